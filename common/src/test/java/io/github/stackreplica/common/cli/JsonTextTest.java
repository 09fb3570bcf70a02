package io.github.stackreplica.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written JSON is byte for byte what the termination message's Jackson path (its streaming generator) writes
 * for the same plain values.
 */
class JsonTextTest {

    @Test
    void everyKindOfPlainValueIsWrittenExactlyAsJacksonWritesIt() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x30; c++) {
            controls.append(c);
        }
        Map<Object, Object> figures = new LinkedHashMap<>();
        figures.put("message",
                "Mirrored /media \"staging\" to C:\\target: ünïcödé, 😀, \u2028, \u007f, tab\tend");
        figures.put("controls", controls.toString());
        figures.put("longs", List.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 42));
        figures.put("small", Arrays.asList((short) 7, (byte) -3, true, false, null, ""));
        figures.put("doubles", List.of(0.0, -0.0, 0.1, 1.5, 123456.789, 1e21, 1e-7, 3.4e38f, 0.1f, Double.MAX_VALUE,
                Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN));
        figures.put(17, Map.of());
        figures.put("nested", Map.of("failedPaths", new ArrayList<>(List.of("a/b", "c \"d\"")), "empty", List.of()));

        assertTrue(JsonText.plain(figures));
        assertEquals(TerminationMessage.jackson(figures), JsonText.append(new StringBuilder(), figures).toString());
    }

    @Test
    void anythingElseIsNotPlainSoTheSummaryFallsBackToJackson() {
        assertFalse(JsonText.plain(BigDecimal.ONE));
        assertFalse(JsonText.plain(Map.of("ratio", BigDecimal.ONE)));
        assertFalse(JsonText.plain(List.of(ExitCode.DONE)));
    }
}
