package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbRestoreConfigTest {

    @Test
    void defaultsRestoreFragFromBackupInSwapModeWithTwoJobs() {
        DbRestoreConfig config = DbRestoreConfig.parse(new String[0], Map.of());
        assertEquals(Path.of("/backup"), config.backupRoot());
        assertEquals("frag", config.database());
        assertEquals(DbRestoreConfig.Mode.SWAP, config.mode());
        assertEquals(DbRestoreConfig.Roles.MISSING, config.roles());
        assertEquals(Duration.ofMinutes(2), config.settle());
        assertEquals(Duration.ofSeconds(60), config.connectTimeout());
        assertNull(config.maxAge());
        assertEquals(2, config.jobs());
        assertFalse(config.splitTables(), "each table on one connection, with COPY FREEZE");
        assertFalse(config.dryRun());
    }

    @Test
    void readsTheServerFromLibpqVariablesAndThePasswordOnlyFromPgpassword() {
        DbRestoreConfig config = DbRestoreConfig.parse(new String[] {"--port", "6543"},
                Map.of("PGHOST", "db.staging", "PGPORT", "5433", "PGUSER", "admin", "PGPASSWORD", "pw"));
        assertEquals("db.staging", config.server().host());
        assertEquals(6543, config.server().port());
        assertEquals("admin", config.server().user());
        assertEquals("pw", config.server().password().reveal());
        assertFalse(config.toString().contains("pw,") || config.toString().contains("=pw"), config.toString());
        assertThrows(UsageException.class, () -> DbRestoreConfig.parse(new String[] {"--password", "x"}, Map.of()));
    }

    @Test
    void acceptsModesAndRolesAsOperatorsWriteThem() {
        DbRestoreConfig config = DbRestoreConfig.parse(new String[] {"--mode", "in-place", "--roles", "none",
                "--max-age", "36h", "--dry-run"}, Map.of("KEEP_PREVIOUS", "yes", "SPLIT_TABLES", "yes"));
        assertEquals(DbRestoreConfig.Mode.IN_PLACE, config.mode());
        assertEquals(DbRestoreConfig.Roles.NONE, config.roles());
        assertEquals(Duration.ofHours(36), config.maxAge());
        assertTrue(config.keepPrevious());
        assertTrue(config.splitTables());
        assertTrue(config.dryRun());
    }

    @Test
    void rejectsADatabaseNameThatIsNotAPlainIdentifier() {
        for (String name : new String[] {"Frag", "frag; DROP", "1frag", "x".repeat(51), "frag\"x"}) {
            UsageException e = assertThrows(UsageException.class,
                    () -> DbRestoreConfig.parse(new String[] {"--database", name}, Map.of()));
            assertTrue(e.getMessage().contains("--database"), e.getMessage());
        }
    }

    @Test
    void rejectsContradictoryOrMalformedOptions() {
        assertThrows(UsageException.class, () -> DbRestoreConfig.parse(new String[] {"--all-databases", "--database", "x"}, Map.of()));
        assertThrows(UsageException.class, () -> DbRestoreConfig.parse(new String[] {"--backup", "/b.sql.gz", "--from-backup", "2025"}, Map.of()));
        assertThrows(UsageException.class, () -> DbRestoreConfig.parse(new String[] {"--from-backup", "yesterday"}, Map.of()));
        assertThrows(UsageException.class, () -> DbRestoreConfig.parse(new String[] {"--mode", "sideways"}, Map.of()));
        assertThrows(UsageException.class, () -> DbRestoreConfig.parse(new String[] {"--jobs", "0"}, Map.of()));
        assertThrows(UsageException.class, () -> DbRestoreConfig.parse(new String[] {"--settle", "soon"}, Map.of()));
    }
}
