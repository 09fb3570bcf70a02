package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.StepException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCatalogTest {

    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    @TempDir
    Path root;

    private final BackupCatalog catalog = new BackupCatalog(Clock.fixed(NOW, ZoneOffset.UTC));

    private Path store(String tier, String stamp, String suffix, Duration modifiedAgo) throws Exception {
        return Dumps.store(root, tier, stamp, suffix, "SELECT 1;\n", NOW.minus(modifiedAgo));
    }

    private DbRestoreConfig config(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--backup-root";
        all[1] = root.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return DbRestoreConfig.parse(all, Map.of());
    }

    @Test
    void picksTheNewestBackupAcrossAllTiers() throws Exception {
        store("monthly", "2025-12-01T00:00:00", "dumpall", Duration.ofDays(40));
        Path newest = store("hourly", "2026-01-10T10:00:00", "dumpall", Duration.ofHours(2));
        store("daily", "2026-01-10T02:00:00", "dumpall", Duration.ofHours(10));
        store("weekly", "2026-01-05T02:00:00", "frag", Duration.ofDays(5));
        assertEquals(newest, catalog.choose(config()).path());
    }

    @Test
    void ignoresFilesStillBeingWrittenWrongNamesAndOtherDatabases() throws Exception {
        Path settled = store("daily", "2026-01-09T02:00:00", "frag", Duration.ofHours(34));
        store("hourly", "2026-01-10T11:59:00", "dumpall", Duration.ofSeconds(30));
        store("hourly", "2026-01-10T11:00:00", "otherdb", Duration.ofHours(1));
        Files.writeString(root.resolve("hourly").resolve("backup-2026-01-10T11:30:00Z-dumpall.sql"), "not gzipped");
        Files.writeString(root.resolve("hourly").resolve("notes.txt"), "x");
        assertEquals(settled, catalog.choose(config()).path());
        assertTrue(catalog.choose(config("--settle", "10s")).path().toString().contains("11:59:00"));
    }

    @Test
    void fromBackupPicksTheNewestWithThatTimestampPrefix() throws Exception {
        Path wanted = store("daily", "2026-01-05T02:00:00", "dumpall", Duration.ofDays(5));
        store("daily", "2026-01-04T02:00:00", "dumpall", Duration.ofDays(6));
        store("daily", "2026-01-09T02:00:00", "dumpall", Duration.ofDays(1));
        assertEquals(wanted, catalog.choose(config("--from-backup", "2026-01-05")).path());
        StepException e = assertThrows(StepException.class, () -> catalog.choose(config("--from-backup", "2025-06")));
        assertEquals(ExitCode.REFUSED, e.exitCode());
    }

    @Test
    void refusesABackupOlderThanMaxAge() throws Exception {
        store("daily", "2026-01-08T12:00:00", "dumpall", Duration.ofDays(2));
        StepException e = assertThrows(StepException.class, () -> catalog.choose(config("--max-age", "36h")));
        assertEquals(ExitCode.REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("2d") && e.getMessage().contains("--max-age"), e.getMessage());
        assertEquals(Duration.ofDays(2), catalog.age(catalog.choose(config("--max-age", "3d"))));
    }

    @Test
    void refusesAMissingOrEmptyBackupRoot() throws Exception {
        StepException missing = assertThrows(StepException.class,
                () -> catalog.choose(DbRestoreConfig.parse(new String[] {"--backup-root", root.resolve("nope").toString()}, Map.of())));
        assertEquals(ExitCode.REFUSED, missing.exitCode());
        assertTrue(missing.getMessage().contains("found under " + root.resolve("nope")), missing.getMessage());
        Files.createDirectories(root.resolve("daily"));
        assertEquals(ExitCode.REFUSED, assertThrows(StepException.class, () -> catalog.choose(config())).exitCode());
    }

    @Test
    void usesAGivenBackupFileAndAgesItByTheTimestampInItsName() throws Exception {
        Path file = store("elsewhere", "2026-01-10T00:00:00", "dumpall", Duration.ofSeconds(1));
        Backup chosen = catalog.choose(config("--backup", file.toString()));
        assertEquals(file, chosen.path());
        assertEquals(Duration.ofHours(12), catalog.age(chosen));
        assertEquals(ExitCode.REFUSED, assertThrows(StepException.class,
                () -> catalog.choose(config("--backup", root.resolve("missing.sql.gz").toString()))).exitCode());
    }
}
