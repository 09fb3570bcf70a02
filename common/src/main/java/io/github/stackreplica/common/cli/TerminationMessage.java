package io.github.stackreplica.common.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-line JSON summary a step leaves in its container's termination log, so the orchestrator and
 * {@code kubectl get pod -o yaml} read the result without logs. Kubernetes keeps at most 4096 bytes of it.
 */
public final class TerminationMessage {

    /** The most Kubernetes keeps of a termination message. */
    public static final int LIMIT_BYTES = 4096;
    public static final String DEFAULT_PATH = "/dev/termination-log";

    /** The keys every summary has; any other key is one of the step's figures. */
    static final List<String> FIXED_KEYS = List.of("step", "run", "outcome", "exitCode", "message");

    private static final Logger LOG = LoggerFactory.getLogger(TerminationMessage.class);
    /** For summaries holding more than plain values (see {@link JsonText}): started only then. */
    private static final class Generators {
        static final JsonFactory FACTORY = new JsonFactory();
    }

    /**
     * Jackson's ObjectMapper costs a few hundred milliseconds to start in a fresh JVM; every step renders its summary
     * once at exit, so rendering uses the streaming generator and only readers of summaries start the mapper.
     */
    private static final class Mapper {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private TerminationMessage() {
    }

    /**
     * Renders the summary as one line of JSON of at most {@link #LIMIT_BYTES} bytes: when it is too long, the largest
     * figures are dropped first (and {@code "truncated":true} added), then the message is shortened.
     */
    public static String render(String step, String runId, StepResult result) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("step", step);
        summary.put("run", runId);
        summary.put("outcome", result.exitCode().outcome());
        summary.put("exitCode", result.exitCode().code());
        summary.put("message", result.message());
        Map<String, Object> figures = new LinkedHashMap<>(result.figures());
        figures.keySet().removeAll(FIXED_KEYS);
        summary.putAll(figures);
        String json = write(summary);
        if (fits(json)) {
            return json;
        }
        List<String> largestFirst = new ArrayList<>(figures.keySet());
        largestFirst.sort(Comparator.comparingInt((String key) -> write(figures.get(key)).length()).reversed());
        summary.put("truncated", true);
        for (String key : largestFirst) {
            summary.remove(key);
            json = write(summary);
            if (fits(json)) {
                return json;
            }
        }
        String message = result.message();
        while (!fits(json)) {
            int excess = json.getBytes(StandardCharsets.UTF_8).length - LIMIT_BYTES;
            message = message.substring(0, Math.max(0, message.length() - Math.max(excess, 1) - 3)) + "...";
            summary.put("message", message);
            json = write(summary);
        }
        return json;
    }

    /**
     * Writes the summary to {@code TERMINATION_LOG} (default {@value #DEFAULT_PATH}). Outside a container that file's
     * directory may not exist or be writable; then the summary stays only in the log.
     */
    public static void write(Map<String, String> env, String json) {
        Path path = Path.of(env.getOrDefault("TERMINATION_LOG", DEFAULT_PATH));
        try {
            Files.writeString(path, json, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            LOG.debug("Could not write the termination message to {}: {}", path, e.toString());
        }
    }

    /** Reads a summary written by {@link #render}; figures come back as JSON types (numbers, strings, maps). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String json) {
        try {
            return Mapper.JSON.readValue(json, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a termination message: " + e.getOriginalMessage(), e);
        }
    }

    /** What a reader of a step's summary needs: its message (null when it gave none) and its figures. */
    public record Summary(String message, Map<String, Object> figures) {

        public static final Summary EMPTY = new Summary(null, Map.of());
    }

    /**
     * Reads a step's termination message as written by {@link #render}; text that is not such JSON (a step that died
     * before writing one, a container's own message) becomes the message, with no figures.
     *
     * @param text the termination message, or null when there is none
     */
    public static Summary readSummary(String text) {
        if (text == null || text.isBlank()) {
            return Summary.EMPTY;
        }
        Map<String, Object> parsed;
        try {
            parsed = parse(text);
        } catch (IllegalArgumentException e) {
            return new Summary(text.strip(), Map.of());
        }
        Map<String, Object> figures = new LinkedHashMap<>(parsed);
        figures.keySet().removeAll(FIXED_KEYS);
        return new Summary(parsed.get("message") instanceof String message ? message : null, figures);
    }

    private static boolean fits(String json) {
        return json.getBytes(StandardCharsets.UTF_8).length <= LIMIT_BYTES;
    }

    private static String write(Object value) {
        return JsonText.plain(value) ? JsonText.append(new StringBuilder(256), value).toString() : jackson(value);
    }

    /** {@code value} as Jackson's streaming generator writes it (data binding for what is not a plain value). */
    static String jackson(Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = Generators.FACTORY.createGenerator(text)) {
            write(json, value);
        } catch (IOException e) {
            throw new IllegalArgumentException("Step figures must be plain values, maps and lists: " + e.getMessage(), e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String string) {
            json.writeString(string);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            json.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                write(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> items) {
            json.writeStartArray();
            for (Object item : items) {
                write(json, item);
            }
            json.writeEndArray();
        } else {
            // Anything else (a record, a BigDecimal, an enum) as Jackson's data binding writes it.
            json.writeRawValue(Mapper.JSON.writeValueAsString(value));
        }
    }
}
