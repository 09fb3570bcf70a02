package io.github.stackreplica.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runnable jar carries the k8s/stack templates and renders them from inside the jar. */
class PackagedTemplatesIT {

    @Test
    void jarRendersItsBuiltInTemplatesAndNamesAMissingVariable() throws Exception {
        Path jar = Path.of("target", "stack-deploy.jar");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--namespace", "staging-stack", "--components", "infra")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the jar should finish");

        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("Template ingress-stack.yaml uses ${STACK_HOSTNAME}"), output);
    }
}
