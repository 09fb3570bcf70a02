package io.github.stackreplica.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.github.stackreplica.common.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateRendererTest {

    @TempDir
    Path dir;

    private static Template template(String text) {
        return new Template("t.yaml", text, EnumSet.of(Component.APP));
    }

    @Test
    void rendersEveryDocumentAndKeepsEscapedPlaceholders() {
        List<HasMetadata> objects = TemplateRenderer.render(template("""
                # component: app
                kind: ConfigMap
                apiVersion: v1
                metadata:
                  name: "${NAME}-a"
                data:
                  script: "echo $${HOME} $$HOME"
                ---
                kind: ConfigMap
                apiVersion: v1
                metadata:
                  name: "${NAME}-b"
                """), Map.of("NAME", "x"));

        assertEquals(List.of("x-a", "x-b"), objects.stream().map(o -> o.getMetadata().getName()).toList());
        assertEquals("echo ${HOME} $$HOME", ((ConfigMap) objects.get(0)).getData().get("script"));
        assertEquals(Set.of("NAME"), TemplateRenderer.variables(template("a: ${NAME} $${NOT} ${NAME}")));
    }

    @Test
    void missingVariablesAreNamedWithTheirFile() {
        UsageException e = assertThrows(UsageException.class, () -> TemplateRenderer.render(
                template("kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: ${A}-${B}\n"), Map.of("A", "a")));

        assertEquals("Template t.yaml uses ${B}, which has no value: give it with --set KEY=VALUE (or the option "
                + "that sets it), or add it to defaults.env", e.getMessage());
    }

    @Test
    void renderingToSomethingThatIsNotAnObjectIsAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> TemplateRenderer.render(template("just: text\n"), Map.of()));
        assertTrue(e.getMessage().startsWith("Template t.yaml "), e.getMessage());
    }

    @Test
    void directoryTemplatesNeedAComponentLineAndKeepBuiltInDefaults() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "# component: infra,app\nkind: ConfigMap\n");
        Files.writeString(dir.resolve("defaults.env"), "REDIS_IMAGE=redis:8\n");

        StackTemplates templates = StackTemplates.fromDirectory(dir);

        assertEquals(EnumSet.of(Component.INFRA, Component.APP), templates.templates().get(0).components());
        assertEquals("redis:8", templates.defaults().get("REDIS_IMAGE"));
        assertEquals("1", templates.defaults().get("STACK_REPLICAS"));
        Files.writeString(dir.resolve("b.yaml"), "kind: ConfigMap\n");
        UsageException e = assertThrows(UsageException.class, () -> StackTemplates.fromDirectory(dir));
        assertTrue(e.getMessage().contains("b.yaml has no '# component: infra'"), e.getMessage());
    }

    @Test
    void builtInTemplatesAreTheOnesInK8sStack() throws Exception {
        try (var files = Files.list(Path.of("..", "k8s", "stack"))) {
            assertEquals(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList(),
                    StackTemplates.builtIn().templates().stream().map(Template::file).toList());
        }
    }
}
