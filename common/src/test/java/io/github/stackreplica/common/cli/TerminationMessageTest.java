package io.github.stackreplica.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessageTest {

    @Test
    void rendersOneLineOfJsonWithStepOutcomeExitCodeMessageAndFigures() {
        String json = TerminationMessage.render("media-sync", "r1",
                StepResult.done("copied 3 files", Map.of("filesCopied", 3, "bytesCopied", 1024L)));
        assertFalse(json.contains("\n"));
        Map<String, Object> parsed = TerminationMessage.parse(json);
        assertEquals("media-sync", parsed.get("step"));
        assertEquals("done", parsed.get("outcome"));
        assertEquals(0, parsed.get("exitCode"));
        assertEquals("copied 3 files", parsed.get("message"));
        assertEquals(3, parsed.get("filesCopied"));
        assertEquals(1024, parsed.get("bytesCopied"));
        assertTrue(json.startsWith("{\"step\":\"media-sync\""), json);
    }

    @Test
    void dropsTheLargestFiguresFirstToStayWithinKubernetesLimit() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("filesCopied", 7);
        figures.put("errors", List.of("x".repeat(3000), "y".repeat(3000)));
        String json = TerminationMessage.render("media-sync", "r1",
                new StepResult(ExitCode.FAILED, "2 files failed", figures));
        assertTrue(json.getBytes(StandardCharsets.UTF_8).length <= TerminationMessage.LIMIT_BYTES);
        Map<String, Object> parsed = TerminationMessage.parse(json);
        assertEquals(7, parsed.get("filesCopied"));
        assertEquals(true, parsed.get("truncated"));
        assertFalse(parsed.containsKey("errors"));
        assertEquals(1, parsed.get("exitCode"));
    }

    @Test
    void shortensAHugeMultibyteMessageAndStaysValidJson() {
        String message = "é\"\\\n".repeat(5000);
        String json = TerminationMessage.render("db-restore", "r1", new StepResult(ExitCode.FAILED, message, Map.of()));
        assertTrue(json.getBytes(StandardCharsets.UTF_8).length <= TerminationMessage.LIMIT_BYTES);
        Map<String, Object> parsed = TerminationMessage.parse(json);
        assertTrue(((String) parsed.get("message")).endsWith("..."));
        assertEquals("failed", parsed.get("outcome"));
    }

    @Test
    void readSummarySeparatesTheMessageFromTheStepFigures() {
        String json = TerminationMessage.render("db-restore", "r1",
                StepResult.done("restored frag", Map.of("tables", 4, "backup", "/backup/x.sql.gz")));
        TerminationMessage.Summary summary = TerminationMessage.readSummary(json);
        assertEquals("restored frag", summary.message());
        assertEquals(Map.of("tables", 4, "backup", "/backup/x.sql.gz"), summary.figures());
    }

    @Test
    void readSummaryTakesTextThatIsNotASummaryAsTheMessage() {
        assertEquals(new TerminationMessage.Summary("Error: exec format error", Map.of()),
                TerminationMessage.readSummary("Error: exec format error\n"));
        assertEquals(TerminationMessage.Summary.EMPTY, TerminationMessage.readSummary(null));
        assertEquals(TerminationMessage.Summary.EMPTY, TerminationMessage.readSummary("  "));
    }

    @Test
    void writesToThePathInTerminationLog(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("termination-log");
        TerminationMessage.write(Map.of("TERMINATION_LOG", file.toString()), "{\"step\":\"x\"}");
        assertEquals("{\"step\":\"x\"}", Files.readString(file));
    }

    @Test
    void aMissingTerminationLogDirectoryIsNotAnError(@TempDir Path dir) {
        TerminationMessage.write(Map.of("TERMINATION_LOG", dir.resolve("no/such/dir/log").toString()), "{}");
        assertFalse(Files.exists(dir.resolve("no")));
    }

    record Pair(String name, long rows) {
    }

    @Test
    void writesEveryKindOfFigureExactlyAsJacksonDataBindingWould() throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("text", "tab\t quote\" ü ✓");
        figures.put("int", 3);
        figures.put("long", 1L << 40);
        figures.put("double", 12.5);
        figures.put("notANumber", Double.NaN);
        figures.put("flag", true);
        figures.put("nothing", null);
        figures.put("list", List.of("a", 1, false));
        figures.put("nested", new java.util.TreeMap<>(Map.of("app1", "0002_x", "app0", "0001_y")));
        figures.put("record", new Pair("compound", 400000));
        figures.put("big", new java.math.BigDecimal("1.10"));

        String json = TerminationMessage.render("db-restore", "r1", StepResult.done("done", figures));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("step", "db-restore");
        summary.put("run", "r1");
        summary.put("outcome", "done");
        summary.put("exitCode", 0);
        summary.put("message", "done");
        summary.putAll(figures);
        assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(summary), json);
    }
}
