package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.TerminationMessage;
import io.github.stackreplica.testsupport.Postgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** db-restore against a real PostgreSQL 15 with dumps from the real pg_dumpall and pg_dump. */
class DbRestoreTest {

    private static final String STAMP = "2026-01-02T03:04:05";

    private static Postgres postgres;
    /** pg_dump of the source database {@code frag}, to compare restored databases with. */
    private static String source;
    private static String dumpallClean;
    private static String dumpallPlain;
    private static String singleDump;
    private static String singleDumpWithCreate;
    private static String appPasswordBefore;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeAll
    static void startServerAndDumpSource() throws Exception {
        postgres = Postgres.start();
        postgres.execute("postgres",
                "CREATE ROLE app LOGIN PASSWORD 'production-secret'",
                "CREATE ROLE reader LOGIN PASSWORD 'reader-secret'",
                "CREATE DATABASE frag OWNER app",
                "CREATE DATABASE other");
        postgres.execute("frag", Files.readString(Path.of("src/test/resources/tricky-source.sql")));
        postgres.execute("other", "CREATE TABLE other_only (id int)");
        source = Dumps.comparable(postgres, "frag");
        dumpallClean = Dumps.run(postgres, "pg_dumpall", "--clean", "--if-exists");
        dumpallPlain = Dumps.run(postgres, "pg_dumpall");
        singleDump = Dumps.run(postgres, "pg_dump", "--clean", "--if-exists", "frag");
        singleDumpWithCreate = Dumps.run(postgres, "pg_dump", "--create", "--clean", "--if-exists", "frag");
        appPasswordBefore = password("app");
        // The staging server's own credentials, which a restore must keep.
        postgres.execute("postgres", "DROP DATABASE other");
    }

    @AfterAll
    static void stopServer() {
        postgres.close();
    }

    @BeforeEach
    void changeTheTargetSoThatARestoreShows() {
        postgres.execute("postgres", "DROP ROLE IF EXISTS reader");
        postgres.execute("frag", "DROP TABLE IF EXISTS public.scratch", "CREATE TABLE public.scratch (note text)",
                "INSERT INTO public.scratch VALUES ('only in the target')");
    }

    private int launch(String... args) {
        Map<String, String> env = new HashMap<>(postgres.env());
        env.put("TERMINATION_LOG", dir.resolve("termination-log").toString());
        env.put("BACKUP_ROOT", dir.resolve("backups").toString());
        StepLauncher launcher = new StepLauncher(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return launcher.launch(DbRestoreMain.definition(), args);
    }

    private Path backup(String suffix, String sql) throws Exception {
        return Dumps.store(dir.resolve("backups"), "daily", STAMP, suffix, sql, Instant.now().minusSeconds(3600));
    }

    private Map<String, Object> termination() throws Exception {
        return TerminationMessage.parse(Files.readString(dir.resolve("termination-log")));
    }

    private String log() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> databases() throws Exception {
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT datname FROM pg_database ORDER BY 1")) {
            List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    private static String password(String role) throws Exception {
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "'")) {
            return rs.next() ? rs.getString(1) : "(no such role)";
        }
    }

    @Test
    void restoresDumpallWithCleanSoThatTheDatabaseEqualsItsSource() throws Exception {
        backup("dumpall", dumpallClean);
        assertEquals(0, launch(), log());
        assertEquals(source, Dumps.comparable(postgres, "frag"));
        Map<String, Object> summary = termination();
        assertEquals("frag", summary.get("database"));
        assertTrue(((String) summary.get("backup")).endsWith("backup-" + STAMP + "Z-dumpall.sql.gz"), summary.toString());
        assertEquals(4, summary.get("tables"));
        assertEquals(1207, ((Number) summary.get("rows")).intValue());
        assertTrue(((Number) summary.get("bytesRead")).longValue() > 10_000);
        assertTrue(summary.containsKey("durationSeconds") && summary.containsKey("backupAgeSeconds"), summary.toString());
        assertEquals(Map.of("catalog", "0003_add_smiles", "auth", "0002_groups"), summary.get("latestMigrations"));
        assertFalse(databases().contains("frag__restoring") || databases().contains("frag__previous"), databases().toString());
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'frag'")) {
            assertTrue(rs.next());
            assertEquals("app", rs.getString(1), "the owner the dump gave frag");
        }
    }

    @Test
    void refusesToReplaceADatabaseWithTablesByABackupWithoutTables() throws Exception {
        postgres.execute("postgres", "CREATE DATABASE emptysource");
        String empty = Dumps.run(postgres, "pg_dump", "emptysource");
        postgres.execute("postgres", "DROP DATABASE emptysource");
        backup("frag", empty);
        assertEquals(3, launch(), log());
        assertTrue(((String) termination().get("message")).contains("holds no tables"), termination().toString());
        assertScratchStillThere();
    }

    @Test
    void restoresDumpallWithoutCleanWithOneJob() throws Exception {
        backup("dumpall", dumpallPlain);
        assertEquals(0, launch("--jobs", "1"), log());
        assertEquals(source, Dumps.comparable(postgres, "frag"));
    }

    @Test
    void restoresASingleDatabaseDump() throws Exception {
        backup("frag", singleDump);
        assertEquals(0, launch(), log());
        assertEquals(source, Dumps.comparable(postgres, "frag"));
    }

    @Test
    void restoresASingleDatabaseDumpMadeWithCreate() throws Exception {
        backup("frag", singleDumpWithCreate);
        assertEquals(0, launch(), log());
        assertEquals(source, Dumps.comparable(postgres, "frag"));
    }

    @Test
    void restoresOnlyTheRequestedDatabaseOfADumpall() throws Exception {
        backup("dumpall", dumpallClean);
        assertEquals(0, launch(), log());
        assertFalse(databases().contains("other"), databases().toString());
    }

    @Test
    void createsMissingRolesWithoutPasswordsAndKeepsExistingPasswords() throws Exception {
        postgres.execute("postgres", "ALTER ROLE app PASSWORD 'staging-own-secret'");
        String stagingPassword = password("app");
        backup("dumpall", dumpallClean);
        assertEquals(0, launch(), log());
        assertEquals(stagingPassword, password("app"));
        assertNotEquals(appPasswordBefore, password("app"));
        assertNull(password("reader"), "reader is created, without a password");
    }

    @Test
    void keepsTheOriginalDatabaseWhenTheDumpIsTruncatedInsideCopy() throws Exception {
        int cut = dumpallClean.indexOf("COPY public.compound");
        backup("dumpall", dumpallClean.substring(0, dumpallClean.indexOf('\n', cut + 200)));
        assertEquals(1, launch(), log());
        assertTrue(((String) termination().get("message")).contains("ends inside the COPY data"), termination().toString());
        assertScratchStillThere();
    }

    @Test
    void keepsTheOriginalDatabaseOnAnSqlErrorAndNamesTheLine() throws Exception {
        String broken = dumpallClean.replaceFirst("CREATE INDEX compound_name_idx", "CREATE INDEX compound_name_idx ON no_such_table (x);\nCREATE INDEX compound_name_idx2");
        long line = broken.substring(0, broken.indexOf("no_such_table")).lines().count();
        backup("dumpall", broken);
        assertEquals(1, launch(), log());
        String message = (String) termination().get("message");
        assertTrue(message.contains("line " + line) && message.contains("no_such_table"), message);
        assertScratchStillThere();
    }

    /** The clean dumpall with {@code row} as the first row of the observation table's COPY data. */
    private String withObservationRow(String row) {
        int firstRow = dumpallClean.indexOf('\n', dumpallClean.indexOf("COPY public.observation")) + 1;
        return dumpallClean.substring(0, firstRow) + row + "\n" + dumpallClean.substring(firstRow);
    }

    @Test
    void keepsTheOriginalDatabaseWhenCopyDataIsBad() throws Exception {
        String broken = withObservationRow("not-a-number\t1\tx");
        long line = broken.substring(0, broken.indexOf("COPY public.observation")).lines().count() + 1;
        backup("dumpall", broken);
        assertEquals(1, launch(), log());
        String message = (String) termination().get("message");
        assertTrue(message.contains("line " + line) && message.contains("not-a-number"), message);
        assertScratchStillThere();
    }

    @Test
    void keepsTheOriginalDatabaseWhenDataBreaksAForeignKeyAndNamesTheKeysLine() throws Exception {
        String broken = withObservationRow("999999\t999999\tdangling");
        int key = broken.indexOf("ALTER TABLE ONLY public.observation\n    ADD CONSTRAINT observation_compound_id_fkey");
        long line = broken.substring(0, key).lines().count() + 1;
        backup("dumpall", broken);
        assertEquals(1, launch(), log());
        String message = (String) termination().get("message");
        assertTrue(message.contains("line " + line) && message.contains("violates foreign key constraint"), message);
        assertScratchStillThere();
    }

    @Test
    void failsOnAnUnsupportedMetaCommandNamingTheLine() throws Exception {
        backup("dumpall", dumpallClean.replaceFirst("\n\\\\connect frag\n", "\n\\\\connect frag\n\\\\! rm -rf /\n"));
        assertEquals(1, launch(), log());
        assertTrue(((String) termination().get("message")).contains("Unsupported psql meta-command \\!"), termination().toString());
        assertScratchStillThere();
    }

    @Test
    void failsOnACorruptGzipAndChangesNothing() throws Exception {
        Path file = backup("dumpall", dumpallClean);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
        assertEquals(1, launch(), log());
        assertScratchStillThere();
    }

    @Test
    void swapKeepsThePreviousDatabaseWhenAskedAndEndsSessionsOnTheOldOne() throws Exception {
        backup("dumpall", dumpallClean);
        try (Connection held = postgres.connect("frag")) {
            assertEquals(0, launch("--keep-previous"), log());
            assertTrue(held.isClosed() || !held.isValid(2), "the session on the old frag was ended");
        }
        try (Connection c = postgres.connect("frag__previous"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT note FROM public.scratch")) {
            assertTrue(rs.next());
        }
        postgres.execute("postgres", "DROP DATABASE frag__previous");
        assertEquals(source, Dumps.comparable(postgres, "frag"));
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() throws Exception {
        backup("dumpall", dumpallClean);
        assertEquals(0, launch("--dry-run"), log());
        assertScratchStillThere();
        Map<String, Object> summary = termination();
        assertEquals(4, summary.get("tables"));
        assertEquals(1207, ((Number) summary.get("rows")).intValue());
        assertTrue(log().contains("would restore frag"), log());
    }

    @Test
    void refusesWhenTheBackupRootHoldsNoBackups() throws Exception {
        assertEquals(3, launch(), log());
        assertTrue(((String) termination().get("message")).contains("found under"), termination().toString());
    }

    @Test
    void refusesADumpallWithoutTheRequestedDatabase() throws Exception {
        backup("dumpall", dumpallClean);
        assertEquals(3, launch("--database", "nosuchdb"), log());
        assertFalse(databases().contains("nosuchdb__restoring"));
    }

    @Test
    void failsWithinTheConnectTimeoutWhenTheServerIsUnreachable() throws Exception {
        backup("dumpall", dumpallClean);
        long start = System.nanoTime();
        assertEquals(1, launch("--port", "1", "--connect-timeout", "2s"), log());
        assertTrue(System.nanoTime() - start < 15_000_000_000L, "bounded wait");
        assertTrue(((String) termination().get("message")).contains("--connect-timeout"), termination().toString());
    }

    @Test
    void restoresEveryDatabaseOfADumpallWithAllDatabases() throws Exception {
        backup("dumpall", dumpallClean);
        assertEquals(0, launch("--all-databases"), log());
        assertEquals(source, Dumps.comparable(postgres, "frag"));
        try (Connection c = postgres.connect("other"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM public.other_only")) {
            assertTrue(rs.next());
        }
        assertEquals(List.of("frag", "other"), termination().get("databases"));
        postgres.execute("postgres", "DROP DATABASE other");
    }

    @Test
    void inPlaceModeDropsAndRestoresTheDatabaseItselfAndSaysSo() throws Exception {
        backup("dumpall", dumpallClean);
        assertEquals(0, launch("--mode", "in-place"), log());
        assertEquals(source, Dumps.comparable(postgres, "frag"));
        assertTrue(log().contains("IN-PLACE MODE"), log());
    }

    @Test
    void rolesNoneLeavesTheServerRolesAlone() throws Exception {
        backup("dumpall", dumpallClean);
        assertEquals(0, launch("--roles", "none"), log());
        assertEquals("(no such role)", password("reader"));
    }

    @Test
    void refusesABackupOlderThanMaxAgeAndChangesNothing() throws Exception {
        backup("dumpall", dumpallClean);
        assertEquals(3, launch("--max-age", "36h"), log());
        assertTrue(((String) termination().get("message")).contains("--max-age"), termination().toString());
        assertScratchStillThere();
    }

    @Test
    void writesTheReportWithRowsPerTable() throws Exception {
        backup("frag", singleDump);
        Path report = dir.resolve("report.json");
        assertEquals(0, launch("--report", report.toString()), log());
        Map<String, Object> json = TerminationMessage.parse(Files.readString(report));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> rows = (Map<String, Map<String, Object>>) json.get("rowsPerTable");
        assertEquals(1000, ((Number) rows.get("frag").get("public.compound")).intValue(), json.toString());
        assertEquals(2, ((Number) rows.get("frag").get("public.Odd Table; name")).intValue(), json.toString());
    }

    @Test
    void restoresManyTablesWithKeysOnFourJobsEqualToTheSource() throws Exception {
        postgres.execute("postgres", "CREATE DATABASE many");
        StringBuilder schema = new StringBuilder("CREATE TABLE t0 (id int PRIMARY KEY, v text);"
                + "INSERT INTO t0 SELECT g, md5(g::text) FROM generate_series(1, 3000) g;");
        for (int i = 1; i < 25; i++) {
            schema.append("CREATE TABLE t").append(i).append(" (id int PRIMARY KEY, parent int REFERENCES t").append(i - 1)
                    .append("(id), v text, j jsonb);")
                    .append("INSERT INTO t").append(i).append(" SELECT g, 1 + g % 3000, repeat(md5(g::text), ").append(i)
                    .append("), jsonb_build_object('g', g) FROM generate_series(1, 3000) g;")
                    .append("CREATE INDEX t").append(i).append("_v ON t").append(i).append(" (v);")
                    .append("CREATE UNIQUE INDEX t").append(i).append("_pv ON t").append(i).append(" (parent, id);");
        }
        postgres.execute("many", schema.toString());
        String expected = Dumps.comparable(postgres, "many");
        backup("many", Dumps.run(postgres, "pg_dump", "many"));
        postgres.execute("many", "DROP TABLE t24");
        assertEquals(0, launch("--database", "many", "--jobs", "4"), log());
        assertEquals(expected, Dumps.comparable(postgres, "many"));
        assertEquals(25, termination().get("tables"));
        assertEquals(75000, ((Number) termination().get("rows")).intValue());
        postgres.execute("postgres", "DROP DATABASE many");
    }

    /**
     * A database whose tables span several COPY chunks, one row longer than a chunk, with keys, a deferrable foreign key
     * (as Django makes them), an expression index and a trigger.
     */
    private static void createBigDatabase() {
        postgres.execute("postgres", "CREATE DATABASE big");
        postgres.execute("big", "CREATE TABLE wide (id int PRIMARY KEY, label text, body text)",
                "INSERT INTO wide SELECT g, 'Label ' || g, repeat(md5(g::text), 20) || E'\\n\\t' FROM generate_series(1, 8000) g",
                "INSERT INTO wide VALUES (0, 'huge', repeat('0123456789abcdef', 200000))",
                "CREATE INDEX wide_lower_label_idx ON wide (lower(label))",
                "CREATE TABLE child (id int PRIMARY KEY, wide_id int REFERENCES wide(id) DEFERRABLE INITIALLY DEFERRED)",
                "INSERT INTO child SELECT g, g FROM generate_series(1, 5000) g",
                "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                "CREATE TRIGGER child_touch BEFORE UPDATE ON child FOR EACH ROW EXECUTE FUNCTION touch()");
    }

    @Test
    void loadsTablesLargerThanAChunkAndARowLongerThanAChunkAndAnalyzesThemWithTheirExpressionIndexes() throws Exception {
        createBigDatabase();
        String expected = Dumps.comparable(postgres, "big");
        backup("big", Dumps.run(postgres, "pg_dump", "big"));
        assertEquals(0, launch("--database", "big", "--jobs", "2"), log());
        assertEquals(expected, Dumps.comparable(postgres, "big"));
        assertEquals(13001, ((Number) termination().get("rows")).intValue());
        try (Connection c = postgres.connect("big"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_stats WHERE tablename = 'wide'),"
                        + " (SELECT count(*) FROM pg_stats WHERE tablename = 'wide_lower_label_idx'),"
                        + " (SELECT count(*) FROM pg_stats WHERE tablename = 'child')")) {
            assertTrue(rs.next());
            assertEquals(3, rs.getInt(1), "every column of wide has statistics");
            assertEquals(1, rs.getInt(2), "the expression index has statistics, gathered after it was built");
            assertEquals(2, rs.getInt(3));
        }
        postgres.execute("postgres", "DROP DATABASE big");
    }

    @Test
    void splitTablesLoadsEachTableOnEveryJobAndRestoresTheSameRows() throws Exception {
        createBigDatabase();
        String expected = Dumps.withSortedRows(Dumps.comparable(postgres, "big"));
        backup("big", Dumps.run(postgres, "pg_dump", "big"));
        assertEquals(0, launch("--database", "big", "--jobs", "3", "--split-tables"), log());
        assertEquals(expected, Dumps.withSortedRows(Dumps.comparable(postgres, "big")));
        assertEquals(13001, ((Number) termination().get("rows")).intValue());
        postgres.execute("postgres", "DROP DATABASE big");
    }

    private void assertScratchStillThere() throws Exception {
        try (Connection c = postgres.connect("frag"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT note FROM public.scratch")) {
            assertTrue(rs.next(), "the original frag is untouched");
        }
        assertFalse(databases().contains("frag__restoring"), databases().toString());
    }
}
