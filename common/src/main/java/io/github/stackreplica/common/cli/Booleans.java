package io.github.stackreplica.common.cli;

import java.util.Locale;

/** Booleans as flags and AWX write them: {@code true|false}, {@code yes|no}, {@code 1|0}, {@code on|off}. */
public final class Booleans {

    private Booleans() {
    }

    /**
     * Parses a boolean, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException when the text is none of the accepted words
     */
    public static boolean parse(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1", "on" -> true;
            case "false", "no", "n", "0", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false (also yes/no, 1/0)");
        };
    }
}
