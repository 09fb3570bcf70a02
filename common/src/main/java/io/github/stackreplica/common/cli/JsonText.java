package io.github.stackreplica.common.cli;

import java.util.Collection;
import java.util.Map;

/**
 * Writes plain values as compact JSON exactly as Jackson's streaming generator does with its defaults (same escapes,
 * same numbers, {@code NaN} and infinities as strings): null, strings, booleans, integral and floating numbers, maps
 * and collections of them. Every step renders its termination message once, at exit; Jackson's generator cost about
 * 25-30 ms there in a fresh JVM (60-odd classes loaded and run cold), this costs next to nothing.
 * {@code JsonTextTest} compares the two.
 */
final class JsonText {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {
    }

    /** True when {@link #append} can write {@code value} and everything in it. */
    static boolean plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte || value instanceof Double
                || value instanceof Float) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!plain(entry.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (!plain(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Appends {@code value}, which must be {@link #plain}. */
    static StringBuilder append(StringBuilder json, Object value) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof String text) {
            string(json, text);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte) {
            json.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                string(json, Double.toString(number));
            } else {
                json.append(number);
            }
        } else if (value instanceof Map<?, ?> map) {
            json.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.append(first ? "" : ",");
                first = false;
                string(json, String.valueOf(entry.getKey())).append(':');
                append(json, entry.getValue());
            }
            json.append('}');
        } else if (value instanceof Collection<?> items) {
            json.append('[');
            boolean first = true;
            for (Object item : items) {
                json.append(first ? "" : ",");
                first = false;
                append(json, item);
            }
            json.append(']');
        } else {
            throw new IllegalArgumentException("not a plain value: " + value.getClass().getName());
        }
        return json;
    }

    /** Appends {@code text} as a JSON string: quote, backslash and control characters escaped. */
    private static StringBuilder string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
