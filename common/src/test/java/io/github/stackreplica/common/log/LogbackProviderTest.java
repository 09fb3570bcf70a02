package io.github.stackreplica.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** slf4j binds the provider directly in a fresh JVM, quietly, and logs through the step's console output. */
class LogbackProviderTest {

    /** What a fresh JVM runs: select the provider, log one line, say which factory slf4j bound. */
    public static final class Probe {
        public static void main(String[] args) {
            LogbackProvider.select();
            LoggerFactory.getLogger("io.github.stackreplica.Probe").info("hello {}", "world");
            ch.qos.logback.classic.LoggerContext context = (ch.qos.logback.classic.LoggerContext)
                    LoggerFactory.getILoggerFactory();
            // logback's own provider would have run its auto-configuration, which notes what it searched for.
            long autoConfiguration = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(status -> status.getMessage().toLowerCase(java.util.Locale.ROOT).contains("configurator"))
                    .count();
            System.out.println("auto-configuration statuses " + autoConfiguration);
        }
    }

    @Test
    void aFreshJvmLogsThroughTheProviderWithNothingOnStandardError() throws Exception {
        Process probe = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Probe.class.getName())).start();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(probe.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, probe.exitValue(), err);
        assertEquals("", err, "slf4j or logback complained");
        assertTrue(out.matches("(?s)\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z INFO  \\[/\\] Probe - hello world\\n.*"), out);
        assertTrue(out.contains("auto-configuration statuses 0"), "logback's own provider was bound: " + out);
    }

    @Test
    void anExplicitlyChosenProviderIsKept() throws IOException {
        String before = System.getProperty("slf4j.provider");
        try {
            System.setProperty("slf4j.provider", "some.other.Provider");
            LogbackProvider.select();
            assertEquals("some.other.Provider", System.getProperty("slf4j.provider"));
        } finally {
            if (before == null) {
                System.clearProperty("slf4j.provider");
            } else {
                System.setProperty("slf4j.provider", before);
            }
        }
    }
}
