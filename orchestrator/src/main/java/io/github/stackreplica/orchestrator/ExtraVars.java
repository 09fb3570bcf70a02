package io.github.stackreplica.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AWX extra variables, as the original job templates named them ({@code stack_namespace}, {@code stack_image_tag},
 * {@code stack_shutdown_remove_media_volume}, {@code stack_shutdown_remove_database_volume}) or as any orchestrator
 * option with underscores ({@code step_timeout}); values such as AWX's {@code yes}/{@code no} are kept as text.
 */
public final class ExtraVars {

    /** AWX names that are not simply an option's name with underscores. */
    static final Map<String, String> RENAMED = Map.of("stack_namespace", "namespace");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ExtraVars() {
    }

    /**
     * Reads extra variables from a file (when {@code valueOrFile} names one) or from inline JSON or YAML, and returns
     * the recognised ones keyed by option name. Unknown variables (AWX adds its own) are ignored.
     *
     * @throws IllegalArgumentException when the text is not a JSON/YAML mapping
     */
    public static Map<String, String> read(String valueOrFile) {
        String text = valueOrFile.trim();
        Path file = Path.of(text.startsWith("@") ? text.substring(1) : text);
        if (text.length() < 4096 && !text.startsWith("{") && !text.contains("\n") && Files.isRegularFile(file)) {
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read extra variables from " + file, e);
            }
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON or YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a mapping of variable names to values, or a file holding one");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String option = RENAMED.getOrDefault(field.getKey(), field.getKey().replace('_', '-'));
            boolean known = OrchestratorConfig.OPTIONS.specs().stream().anyMatch(s -> s.name().equals(option));
            if (known && !option.equals("extra-vars") && field.getValue().isValueNode() && !field.getValue().isNull()) {
                options.put(option, field.getValue().asText());
            }
        }
        return options;
    }

    /** The arguments with the extra variables placed before them as flags, so that explicit flags still win. */
    static String[] asArgs(Map<String, String> options, String[] args) {
        List<String> merged = new ArrayList<>();
        options.forEach((option, value) -> merged.add("--" + option + "=" + value));
        merged.addAll(Arrays.asList(args));
        return merged.toArray(String[]::new);
    }
}
