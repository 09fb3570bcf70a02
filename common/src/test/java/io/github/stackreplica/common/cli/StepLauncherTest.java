package io.github.stackreplica.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepLauncherTest {

    record DemoConfig(String namespace, Secret password) {
        static final StepOptions OPTIONS = new StepOptions("demo", "A demo step.")
                .string("namespace", null, "Target namespace.")
                .secret("DEMO_PASSWORD", "The password.");

        static DemoConfig parse(String[] args, Map<String, String> env) {
            OptionValues values = OPTIONS.parse(args, env);
            return new DemoConfig(values.required("namespace"), values.secret("DEMO_PASSWORD"));
        }
    }

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int launch(StepDefinition.Body<DemoConfig> body, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("TERMINATION_LOG", dir.resolve("termination-log").toString());
        env.put("DEMO_PASSWORD", "s3cr3t-value");
        env.put("RUN_ID", "run-42");
        StepLauncher launcher = new StepLauncher(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return launcher.launch(new StepDefinition<>("demo", DemoConfig.OPTIONS, DemoConfig::parse, body), args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, Object> termination() throws Exception {
        return TerminationMessage.parse(Files.readString(dir.resolve("termination-log")));
    }

    @Test
    void doneStepReturnsZeroAndWritesItsSummary() throws Exception {
        int code = launch(config -> StepResult.done("restored frag", Map.of("tables", 12)), "--namespace", "staging");
        assertEquals(0, code);
        Map<String, Object> summary = termination();
        assertEquals("demo", summary.get("step"));
        assertEquals("done", summary.get("outcome"));
        assertEquals(0, summary.get("exitCode"));
        assertEquals("restored frag", summary.get("message"));
        assertEquals(12, summary.get("tables"));
        assertEquals("run-42", summary.get("run"));
    }

    @Test
    void usageErrorReturnsTwoWithATwoLineMessageAndRunsNothing() throws Exception {
        boolean[] ran = {false};
        int code = launch(config -> {
            ran[0] = true;
            return StepResult.done("ran");
        });
        assertEquals(2, code);
        assertFalse(ran[0]);
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, err.toString(StandardCharsets.UTF_8));
        assertTrue(lines[0].contains("--namespace"), lines[0]);
        assertTrue(lines[1].contains("--help"), lines[1]);
        assertEquals("usage-error", termination().get("outcome"));
    }

    @Test
    void helpPrintsOptionsWithEnvironmentNamesAndReturnsZero() {
        int code = launch(config -> StepResult.done("ran"), "--help");
        assertEquals(0, code);
        assertTrue(stdout().contains("--namespace") && stdout().contains("NAMESPACE"), stdout());
        assertTrue(stdout().contains("DEMO_PASSWORD"), stdout());
    }

    @Test
    void unexpectedExceptionReturnsOneAndIsLoggedOnceWithItsStackTrace() throws Exception {
        int code = launch(config -> {
            throw new IllegalStateException("boom-" + "unique");
        }, "--namespace", "staging");
        assertEquals(1, code);
        String log = stdout();
        long errorLines = log.lines().filter(line -> line.contains(" ERROR ")).count();
        assertEquals(1, errorLines, log);
        assertTrue(log.contains("boom-unique"), log);
        assertTrue(log.contains("at io.github.stackreplica"), "stack trace expected in " + log);
        assertEquals("failed", termination().get("outcome"));
        assertTrue(((String) termination().get("message")).contains("boom-unique"));
    }

    @Test
    void expectedFailureKeepsItsExitCodeAndMessage() throws Exception {
        int code = launch(config -> {
            throw StepException.refused("Refusing: backup too old");
        }, "--namespace", "staging");
        assertEquals(3, code);
        assertTrue(stdout().contains("Refusing: backup too old"), stdout());
        assertFalse(stdout().contains("at io.github.stackreplica"), "no stack trace for an expected failure");
        assertEquals("refused", termination().get("outcome"));
        assertEquals(3, termination().get("exitCode"));
    }

    @Test
    void timeoutExitsFour() {
        assertEquals(4, launch(config -> {
            throw StepException.timedOut("Timed out after 1s waiting for X to be ready");
        }, "--namespace", "staging"));
    }

    @Test
    void loggedConfigurationMasksSecrets() {
        launch(config -> StepResult.done("ok"), "--namespace", "staging");
        String log = stdout();
        assertTrue(log.contains("namespace=staging"), log);
        assertTrue(log.contains("password=****"), log);
        assertFalse(log.contains("s3cr3t-value"), log);
    }

    @Test
    void everyLogLineCarriesStepAndRun() {
        launch(config -> StepResult.done("ok"), "--namespace", "staging");
        for (String line : stdout().split("\n")) {
            assertTrue(line.contains("[demo/run-42]"), line);
        }
    }
}
