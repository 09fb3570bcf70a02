package io.github.stackreplica.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepOptionsTest {

    private static final StepOptions OPTIONS = new StepOptions("demo", "A demo step.")
            .string("backup-root", "/backup", "Where backups are.")
            .string("host", "localhost", "Server host.").env("PGHOST")
            .flag("dry-run", false, "Change nothing.")
            .flag("delete", true, "Delete extra files.")
            .integer("threads", 8, "Worker threads.")
            .duration("settle", "2m", "Settle time.")
            .duration("max-age", null, "Oldest backup accepted.")
            .list("exclude", "lost+found/", "Paths to skip.")
            .string("namespace", null, "Target namespace.")
            .secret("PGPASSWORD", "Database password.");

    private static OptionValues parse(Map<String, String> env, String... args) {
        return OPTIONS.parse(args, env);
    }

    @Test
    void flagWinsOverEnvironmentWhichWinsOverDefault() {
        assertEquals("/backup", parse(Map.of()).string("backup-root"));
        assertEquals("/env", parse(Map.of("BACKUP_ROOT", "/env")).string("backup-root"));
        assertEquals("/flag", parse(Map.of("BACKUP_ROOT", "/env"), "--backup-root", "/flag").string("backup-root"));
        assertEquals("/flag", parse(Map.of("BACKUP_ROOT", "/env"), "--backup-root=/flag").string("backup-root"));
    }

    @Test
    void optionWithConventionalEnvironmentNameReadsItInsteadOfTheMechanicalOne() {
        assertEquals("db.example", parse(Map.of("PGHOST", "db.example", "HOST", "ignored")).string("host"));
    }

    @Test
    void blankEnvironmentVariableCountsAsUnset() {
        assertEquals("/backup", parse(Map.of("BACKUP_ROOT", " ")).string("backup-root"));
    }

    @Test
    void booleanAcceptsBareFlagExplicitValuesAndAwxWordsInEnvironment() {
        assertTrue(parse(Map.of(), "--dry-run").flag("dry-run"));
        assertTrue(parse(Map.of(), "--dry-run=true").flag("dry-run"));
        assertFalse(parse(Map.of(), "--delete=false").flag("delete"));
        assertFalse(parse(Map.of(), "--delete", "no").flag("delete"));
        assertTrue(parse(Map.of("DRY_RUN", "yes")).flag("dry-run"));
        assertTrue(parse(Map.of("DRY_RUN", "1")).flag("dry-run"));
        assertFalse(parse(Map.of("DELETE", "NO")).flag("delete"));
        assertFalse(parse(Map.of("DELETE", "0")).flag("delete"));
        assertFalse(parse(Map.of()).flag("dry-run"));
        assertTrue(parse(Map.of()).flag("delete"));
    }

    @Test
    void bareBooleanFlagDoesNotSwallowTheNextOption() {
        OptionValues values = parse(Map.of(), "--dry-run", "--threads", "3");
        assertTrue(values.flag("dry-run"));
        assertEquals(3, values.integer("threads"));
    }

    @Test
    void durationsAcceptSecondsMinutesHoursAndDays() {
        assertEquals(Duration.ofSeconds(45), parse(Map.of(), "--settle", "45s").duration("settle"));
        assertEquals(Duration.ofMinutes(10), parse(Map.of("SETTLE", "10m")).duration("settle"));
        assertEquals(Duration.ofHours(2), parse(Map.of(), "--settle=2h").duration("settle"));
        assertEquals(Duration.ofDays(1), parse(Map.of(), "--settle", "1d").duration("settle"));
        assertEquals(Duration.ofMinutes(90), parse(Map.of(), "--settle", "1h30m").duration("settle"));
        assertEquals(Duration.ofMinutes(2), parse(Map.of()).duration("settle"));
    }

    @Test
    void optionWithoutDefaultIsAbsentUntilGiven() {
        OptionValues values = parse(Map.of());
        assertNull(values.duration("max-age"));
        assertNull(values.string("namespace"));
        assertFalse(values.has("namespace"));
        assertEquals(Duration.ofHours(36), parse(Map.of("MAX_AGE", "36h")).duration("max-age"));
    }

    @Test
    void badValueNamesTheOptionAndTheValueItGot() {
        UsageException fromFlag = assertThrows(UsageException.class, () -> parse(Map.of(), "--threads", "many"));
        assertTrue(fromFlag.getMessage().contains("--threads"), fromFlag.getMessage());
        assertTrue(fromFlag.getMessage().contains("'many'"), fromFlag.getMessage());

        UsageException fromEnv = assertThrows(UsageException.class, () -> parse(Map.of("SETTLE", "soon")));
        assertTrue(fromEnv.getMessage().contains("--settle"), fromEnv.getMessage());
        assertTrue(fromEnv.getMessage().contains("'soon'"), fromEnv.getMessage());
        assertTrue(fromEnv.getMessage().contains("SETTLE"), fromEnv.getMessage());

        UsageException bool = assertThrows(UsageException.class, () -> parse(Map.of("DRY_RUN", "maybe")));
        assertTrue(bool.getMessage().contains("'maybe'") && bool.getMessage().contains("--dry-run"), bool.getMessage());
        assertEquals(ExitCode.USAGE, bool.exitCode());
    }

    @Test
    void unknownOptionAndStrayArgumentAreUsageErrors() {
        assertThrows(UsageException.class, () -> parse(Map.of(), "--no-such-option"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "stray"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--back", "/x"), "no partial matching of long flags");
    }

    @Test
    void requiredOptionMissingNamesFlagAndVariable() {
        UsageException e = assertThrows(UsageException.class, () -> parse(Map.of()).required("namespace"));
        assertTrue(e.getMessage().contains("--namespace") && e.getMessage().contains("NAMESPACE"), e.getMessage());
    }

    @Test
    void listOptionRepeatsOnTheCommandLineAndSplitsCommasInEnvironment() {
        assertEquals(List.of("lost+found/"), parse(Map.of()).list("exclude"));
        assertEquals(List.of("a/", "b/*.tmp"), parse(Map.of(), "--exclude", "a/", "--exclude", "b/*.tmp").list("exclude"));
        assertEquals(List.of("a/", "b/"), parse(Map.of("EXCLUDE", "a/, b/")).list("exclude"));
    }

    @Test
    void secretComesOnlyFromEnvironmentAndNeverPrints() {
        Secret secret = parse(Map.of("PGPASSWORD", "hunter2")).secret("PGPASSWORD");
        assertEquals("hunter2", secret.reveal());
        assertEquals("****", secret.toString());
        assertFalse(parse(Map.of()).secret("PGPASSWORD").isPresent());
        assertThrows(UsageException.class, () -> parse(Map.of(), "--pgpassword", "x"));
    }

    @Test
    void convertTurnsConverterErrorsIntoUsageErrorsNamingTheOption() {
        UsageException e = assertThrows(UsageException.class,
                () -> parse(Map.of(), "--backup-root", "x").convert("backup-root", text -> {
                    throw new IllegalArgumentException("must be absolute");
                }));
        assertTrue(e.getMessage().contains("--backup-root") && e.getMessage().contains("must be absolute"), e.getMessage());
    }

    @Test
    void markdownTableHasARowPerOptionAndSecret() {
        String table = OPTIONS.markdownTable();
        assertTrue(table.contains("| `--backup-root VALUE` | `BACKUP_ROOT` | `/backup` | Where backups are. |"), table);
        assertTrue(table.contains("| `--host VALUE` | `PGHOST` |"), table);
        assertTrue(table.contains("| (environment only) | `PGPASSWORD` |"), table);
        assertEquals(2 + OPTIONS.specs().size() + OPTIONS.secrets().size(), table.split("\n").length);
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariableAndDefault() {
        String help = OPTIONS.help();
        assertTrue(help.contains("--backup-root"), help);
        assertTrue(help.contains("BACKUP_ROOT"), help);
        assertTrue(help.contains("/backup"), help);
        assertTrue(help.contains("PGHOST"), help);
        assertTrue(help.contains("PGPASSWORD"), help);
        assertTrue(help.contains("--threads N") && help.contains("THREADS"), help);
    }
}
