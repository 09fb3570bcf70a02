package io.github.stackreplica.mediasync;

import io.github.stackreplica.common.cli.Decimals;

/** Byte counts as people read them: {@code 512 B}, {@code 1.5 MiB}, {@code 240.0 GiB}. */
final class Sizes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Sizes() {
    }

    static String format(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : Decimals.format(value, 1) + " " + UNITS[unit];
    }
}
