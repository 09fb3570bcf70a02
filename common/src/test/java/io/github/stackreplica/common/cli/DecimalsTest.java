package io.github.stackreplica.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void roundsHalfUpToTheGivenPlacesWithAPointAsSeparator() {
        assertEquals("1.3", Decimals.format(1.25, 1));
        assertEquals("0.0", Decimals.format(0, 1));
        assertEquals("240.0", Decimals.format(239.96, 1));
        assertEquals("12", Decimals.format(11.5, 0));
        assertEquals("-0.5", Decimals.format(-0.45, 1));
        assertEquals("1234567.9", Decimals.format(1_234_567.89, 1));
    }

    @Test
    void keepsValuesThatAreNotNumbersReadable() {
        assertEquals("NaN", Decimals.format(Double.NaN, 1));
        assertEquals("Infinity", Decimals.format(Double.POSITIVE_INFINITY, 1));
    }
}
