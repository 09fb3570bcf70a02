package io.github.stackreplica.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.stackreplica.common.cli.UsageException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a template's {@code ${VARIABLE}} placeholders ({@code $${} writes a literal {@code ${}) and reads the result
 * as Kubernetes objects. Values are inserted as they are, so templates quote string values.
 */
final class TemplateRenderer {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$?\\$\\{([^}]*)}");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private TemplateRenderer() {
    }

    /** The variables the template uses, in order of first use. */
    static Set<String> variables(Template template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(template.text());
        while (matcher.find()) {
            if (!matcher.group().startsWith("$$")) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /**
     * Renders the template with {@code values} and reads the objects it holds (documents separated by {@code ---}).
     *
     * @throws UsageException naming the file and the variable when one has no value, or when the result is not valid
     */
    static List<HasMetadata> render(Template template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template.text());
        StringBuilder text = new StringBuilder();
        List<String> missing = new ArrayList<>();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().startsWith("$$")) {
                replacement = matcher.group().substring(1);
            } else if (values.containsKey(matcher.group(1))) {
                replacement = values.get(matcher.group(1));
            } else {
                missing.add(matcher.group(1));
                replacement = "";
            }
            matcher.appendReplacement(text, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(text);
        if (!missing.isEmpty()) {
            throw new UsageException("Template " + template.file() + " uses ${" + String.join("}, ${",
                    new LinkedHashSet<>(missing)) + "}, which has no value: give it with --set KEY=VALUE (or the "
                    + "option that sets it), or add it to defaults.env");
        }
        return parse(template.file(), text.toString());
    }

    private static List<HasMetadata> parse(String file, String text) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : text.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"))) {
                continue;
            }
            Object object;
            try {
                object = SERIALIZATION.unmarshal(document);
            } catch (RuntimeException e) {
                throw new UsageException("Template " + file + " does not render to a Kubernetes object: "
                        + e.getMessage());
            }
            if (!(object instanceof HasMetadata resource) || resource.getMetadata() == null
                    || resource.getMetadata().getName() == null) {
                throw new UsageException("Template " + file + " renders to something without kind and metadata.name");
            }
            objects.add(resource);
        }
        return objects;
    }
}
