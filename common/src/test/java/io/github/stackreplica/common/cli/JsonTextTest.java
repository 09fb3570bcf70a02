package io.github.stackreplica.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written JSON is byte for byte what Jackson's streaming generator writes for the same plain values. */
class JsonTextTest {

    /** What the termination message wrote with Jackson's generator before JsonText. */
    private static String jackson(Object value) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            jackson(json, value);
        }
        return text.toString();
    }

    private static void jackson(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String string) {
            json.writeString(string);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            json.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                jackson(json, entry.getValue());
            }
            json.writeEndObject();
        } else {
            json.writeStartArray();
            for (Object item : (Collection<?>) value) {
                jackson(json, item);
            }
            json.writeEndArray();
        }
    }

    @Test
    void everyKindOfPlainValueIsWrittenExactlyAsJacksonWritesIt() throws IOException {
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
        assertEquals(jackson(figures), JsonText.append(new StringBuilder(), figures).toString());
    }

    @Test
    void anythingElseIsNotPlainSoTheSummaryFallsBackToJackson() {
        assertFalse(JsonText.plain(BigDecimal.ONE));
        assertFalse(JsonText.plain(Map.of("ratio", BigDecimal.ONE)));
        assertFalse(JsonText.plain(List.of(ExitCode.DONE)));
    }
}
