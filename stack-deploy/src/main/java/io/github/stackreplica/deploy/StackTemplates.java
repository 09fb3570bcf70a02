package io.github.stackreplica.deploy;

import io.github.stackreplica.common.cli.UsageException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stack templates ({@code *.yaml}) and their variables' defaults ({@code defaults.env}), from the copy of
 * {@code k8s/stack} on the classpath or from a directory such as a mounted ConfigMap.
 *
 * @param defaults the defaults of the directory's {@code defaults.env}, over the built-in ones
 */
record StackTemplates(List<Template> templates, Map<String, String> defaults) {

    static final String CLASSPATH_DIR = "/io/github/stackreplica/deploy/stack";
    private static final String DEFAULTS = "defaults.env";
    private static final Pattern COMPONENT = Pattern.compile("(?m)^#\\s*component:\\s*([a-z, ]+)$");

    /** The templates built into stack-deploy. */
    static StackTemplates builtIn() {
        URL url = StackTemplates.class.getResource(CLASSPATH_DIR);
        if (url == null) {
            throw new IllegalStateException("The built-in templates are missing from the classpath at " + CLASSPATH_DIR);
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = jarFileSystem(uri)) {
                    return read(jar.getPath(CLASSPATH_DIR), Map.of());
                }
            }
            return read(Path.of(uri), Map.of());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The templates in {@code directory}; variables its {@code defaults.env} (if any) does not set keep the built-in
     * defaults.
     *
     * @throws UsageException when the directory does not exist or holds no template
     */
    static StackTemplates fromDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new UsageException("--manifests " + directory + " is not a directory");
        }
        try {
            StackTemplates templates = read(directory, builtIn().defaults());
            if (templates.templates().isEmpty()) {
                throw new UsageException("--manifests " + directory + " holds no *.yaml template");
            }
            return templates;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StackTemplates read(Path directory, Map<String, String> baseDefaults) throws IOException {
        List<Template> templates = new ArrayList<>();
        Map<String, String> defaults = new LinkedHashMap<>(baseDefaults);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                // A mounted ConfigMap also holds ..data and dot-links; real files have plain names.
                if (name.startsWith(".")) {
                    continue;
                }
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (name.equals(DEFAULTS)) {
                    defaults.putAll(parseDefaults(text));
                } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    templates.add(new Template(name, text, components(name, text)));
                }
            }
        }
        return new StackTemplates(List.copyOf(templates), Map.copyOf(defaults));
    }

    private static Set<Component> components(String file, String text) {
        Matcher matcher = COMPONENT.matcher(text);
        if (!matcher.find()) {
            throw new UsageException("Template " + file + " has no '# component: infra' (or app, or infra,app) line");
        }
        Set<Component> components = EnumSet.noneOf(Component.class);
        for (String word : matcher.group(1).split(",")) {
            try {
                Component component = Component.parse(word);
                components.addAll(component.covers());
            } catch (IllegalArgumentException e) {
                throw new UsageException("Template " + file + " names component '" + word.trim() + "': " + e.getMessage());
            }
        }
        return components;
    }

    private static Map<String, String> parseDefaults(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        Map<String, String> defaults = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> defaults.put(key, properties.getProperty(key).trim()));
        return defaults;
    }

    private static FileSystem jarFileSystem(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            throw new IllegalStateException("The jar of the built-in templates is already open", e);
        }
    }
}
