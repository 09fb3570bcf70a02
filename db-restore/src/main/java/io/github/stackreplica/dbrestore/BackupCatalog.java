package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.Durations;
import io.github.stackreplica.common.cli.StepException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the complete backups under the backup root and picks the one to restore. */
final class BackupCatalog {

    static final List<String> TIERS = List.of("hourly", "daily", "weekly", "monthly");

    private static final Logger LOG = LoggerFactory.getLogger(BackupCatalog.class);

    private final Clock clock;

    BackupCatalog(Clock clock) {
        this.clock = clock;
    }

    /**
     * The backup to restore, following --backup, --from-backup or newest-first, checked against --max-age.
     *
     * @throws StepException refused (exit 3) when there is none or it is too old
     */
    Backup choose(DbRestoreConfig config) {
        Backup chosen = config.backup() != null ? given(config.backup()) : pick(config);
        Duration age = age(chosen);
        LOG.info("Chose backup {} ({} old, {} bytes)", chosen.path(), Durations.format(age), chosen.size());
        if (config.maxAge() != null && age.compareTo(config.maxAge()) > 0) {
            throw StepException.refused("Refusing backup " + chosen.path() + ": it is " + Durations.format(age)
                    + " old, more than --max-age " + Durations.format(config.maxAge())
                    + ". Check that the production backups still run, or raise --max-age.");
        }
        return chosen;
    }

    /** How old the backup is, from the timestamp in its name, never negative. */
    Duration age(Backup backup) {
        Duration age = Duration.between(backup.timestamp(), clock.instant()).withNanos(0);
        return age.isNegative() ? Duration.ZERO : age;
    }

    private Backup given(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw StepException.refused("Backup file " + file + " does not exist or is not readable");
        }
        try {
            long size = Files.size(file);
            Backup named = Backup.fromName(file, size);
            if (named != null) {
                return named;
            }
            Path parent = file.getParent();
            return new Backup(file, "", Files.getLastModifiedTime(file).toInstant(),
                    parent == null ? "" : parent.getFileName().toString(), "", size);
        } catch (IOException e) {
            throw StepException.failed("Could not read backup file " + file + ": " + e.getMessage(), e);
        }
    }

    private Backup pick(DbRestoreConfig config) {
        List<Backup> complete = complete(config.backupRoot(), config.settle());
        List<Backup> wanted = complete.stream()
                .filter(backup -> backup.isDumpall() || (!config.allDatabases() && backup.suffix().equals(config.database())))
                .filter(backup -> config.fromBackup() == null || backup.stamp().startsWith(config.fromBackup()))
                .sorted(Comparator.comparing(Backup::timestamp).reversed())
                .toList();
        if (wanted.isEmpty()) {
            String what = config.allDatabases() ? "dumpall backups" : "backups of database " + config.database()
                    + " (or dumpall)";
            throw StepException.refused("No " + what + (config.fromBackup() != null ? " with timestamp "
                    + config.fromBackup() + "*" : "") + " found under " + config.backupRoot() + " (tiers "
                    + String.join(", ", TIERS) + "; " + complete.size() + " complete backups seen in all)");
        }
        for (Backup other : wanted.subList(1, wanted.size())) {
            LOG.info("Also saw backup {} ({} old)", other.path(), Durations.format(age(other)));
        }
        return wanted.get(0);
    }

    /** Backups with a proper name, readable, and not modified within {@code settle}. */
    List<Backup> complete(Path root, Duration settle) {
        List<Backup> found = new ArrayList<>();
        Instant settledBefore = clock.instant().minus(settle);
        for (String tier : TIERS) {
            Path dir = root.resolve(tier);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    Backup backup = completeBackup(file, settledBefore);
                    if (backup != null) {
                        found.add(backup);
                    }
                }
            } catch (IOException e) {
                LOG.warn("Could not list {}: {}", dir, e.getMessage());
            }
        }
        return found;
    }

    private static Backup completeBackup(Path file, Instant settledBefore) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            Backup backup = Backup.fromName(file, Files.size(file));
            if (backup == null) {
                LOG.debug("Ignoring {}: not named backup-<YYYY-MM-DDTHH:MM:SS>Z-<suffix>.sql.gz", file);
            } else if (!Files.isReadable(file)) {
                LOG.warn("Ignoring backup {}: not readable", file);
            } else if (Files.getLastModifiedTime(file).toInstant().isAfter(settledBefore)) {
                LOG.info("Ignoring backup {}: modified too recently, it may still be being written", file);
            } else {
                return backup;
            }
        } catch (IOException e) {
            LOG.warn("Ignoring backup {}: {}", file, e.getMessage());
        }
        return null;
    }
}
