package io.github.stackreplica.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.stackreplica.common.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingTest {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingTest.class);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        MDC.clear();
        Logging.configure(Map.of());
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLineWithStepAndRun() throws Exception {
        Logging.configure(Map.of("LOG_FORMAT", "json"), out);
        RunContext.enter("db-restore", "run-7");
        LOG.info("Restored {} tables", 12);
        LOG.warn("second line with \"quotes\"\nand a newline");

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), out.toString(StandardCharsets.UTF_8));
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("Restored 12 tables", first.path("formattedMessage").asText());
        assertEquals("INFO", first.path("level").asText());
        assertEquals("db-restore", first.path("mdc").path("step").asText());
        assertEquals("run-7", first.path("mdc").path("run").asText());
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertTrue(second.path("formattedMessage").asText().contains("\n"));
    }

    @Test
    void logLevelFromEnvironmentHidesLowerLevels() {
        Logging.configure(Map.of("LOG_LEVEL", "WARN"), out);
        LOG.info("hidden");
        LOG.warn("shown");
        String text = out.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("hidden"), text);
        assertTrue(text.contains("shown"), text);
    }

    @Test
    void reconfiguringDoesNotCloseTheStreamOfThePreviousConfiguration() {
        boolean[] closed = {false};
        java.io.OutputStream tracked = new java.io.FilterOutputStream(out) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        Logging.configure(Map.of(), tracked);
        Logging.configure(Map.of(), out);
        assertFalse(closed[0], "standard output must survive a step run in-process");
    }

    @Test
    void unknownFormatIsAUsageError() {
        assertThrows(UsageException.class, () -> Logging.configure(Map.of("LOG_FORMAT", "xml"), out));
    }

    @Test
    void propagatedTaskCarriesTheMdcToAnotherThread() throws Exception {
        RunContext.enter("media-sync", "run-9");
        String[] seen = new String[1];
        Runnable task = () -> seen[0] = MDC.get("run");
        Thread thread = new Thread(RunContext.propagate(task));
        thread.start();
        thread.join();
        assertEquals("run-9", seen[0]);
    }

    @Test
    void logbackStartsFromTheConsoleConfiguratorWithoutParsingAnyXml() {
        assertTrue(java.util.ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .anyMatch(provider -> provider.type() == ConsoleConfigurator.class));
        ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
        ConsoleConfigurator configurator = new ConsoleConfigurator();
        configurator.setContext(context);

        assertEquals(ch.qos.logback.classic.spi.Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY,
                configurator.configure(context));
        assertTrue(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE").isStarted());
        assertEquals(ch.qos.logback.classic.Level.WARN, context.getLogger("io.fabric8.kubernetes.client").getLevel());
        assertNull(getClass().getResource("/logback.xml"), "a logback.xml would be parsed at every start");
    }
}
