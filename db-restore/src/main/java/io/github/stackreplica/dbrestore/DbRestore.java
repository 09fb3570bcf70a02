package io.github.stackreplica.dbrestore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.StepException;
import io.github.stackreplica.common.cli.StepResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The db-restore step: choose a backup, restore it into a fresh database, verify it, swap it in and report. */
final class DbRestore {

    private static final Logger LOG = LoggerFactory.getLogger(DbRestore.class);
    private static final Set<String> SERVER_DATABASES = Set.of("template0", "template1", "postgres");

    private final DbRestoreConfig config;
    private final Clock clock;

    DbRestore(DbRestoreConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    StepResult run() {
        long started = System.nanoTime();
        BackupCatalog catalog = new BackupCatalog(clock);
        Backup backup = catalog.choose(config);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("backup", backup.path().toString());
        figures.put("backupAgeSeconds", catalog.age(backup).toSeconds());
        figures.put("database", config.allDatabases() ? "(all)" : config.database());
        boolean cluster = backup.isDumpall() || isClusterDump(backup.path());
        return config.dryRun() ? plan(backup, cluster, figures) : restore(backup, cluster, figures, started);
    }

    private StepResult restore(Backup backup, boolean cluster, Map<String, Object> figures, long started) {
        ServerConnections connections = new ServerConnections(config.server(), config.connectTimeout());
        try (LiveRestore live = new LiveRestore(config, connections)) {
            DumpRouter router = router(cluster, live);
            long bytesRead;
            Map<String, TargetDatabase.Contents> contents;
            try (DumpScanner scanner = open(backup.path())) {
                try {
                    router.run(scanner);
                } catch (IOException e) {
                    throw StepException.failed("Backup " + backup.path() + " is corrupt or incomplete (read up to line "
                            + scanner.lineNumber() + "): " + e.getMessage() + ". Nothing was changed.", e);
                }
                bytesRead = scanner.bytesRead();
                requireTargets(router, backup);
                contents = live.complete();
            } catch (IOException e) {
                throw StepException.failed("Could not read backup " + backup.path() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                live.abandon();
                throw withFigures(e, figures);
            }
            return done(figures, contents, bytesRead, started);
        }
    }

    private StepResult done(Map<String, Object> figures, Map<String, TargetDatabase.Contents> contents, long bytesRead,
            long started) {
        double seconds = Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0;
        int tables = contents.values().stream().mapToInt(TargetDatabase.Contents::tables).sum();
        long rows = contents.values().stream().flatMap(c -> c.rowsPerTable().values().stream()).mapToLong(Long::longValue).sum();
        figures.put("databases", List.copyOf(contents.keySet()));
        figures.put("tables", tables);
        figures.put("rows", rows);
        figures.put("bytesRead", bytesRead);
        figures.put("durationSeconds", Math.round(seconds * 10) / 10.0);
        figures.put("throughputMBps", Math.round(bytesRead / 1e6 / Math.max(seconds, 0.001) * 10) / 10.0);
        Map<String, String> migrations = new LinkedHashMap<>();
        contents.values().forEach(c -> migrations.putAll(c.latestMigrations()));
        if (!migrations.isEmpty()) {
            figures.put("latestMigrations", migrations);
        }
        Map<String, Object> report = new LinkedHashMap<>(figures);
        Map<String, Object> rowsPerTable = new LinkedHashMap<>();
        contents.forEach((name, c) -> rowsPerTable.put(name, c.rowsPerTable()));
        report.put("rowsPerTable", rowsPerTable);
        writeReport(report);
        String message = "Restored " + String.join(", ", contents.keySet()) + " from " + figures.get("backup") + ": "
                + tables + " tables, " + rows + " rows, " + bytesRead / 1_000_000 + " MB in " + figures.get("durationSeconds")
                + "s (" + figures.get("throughputMBps") + " MB/s)";
        contents.forEach((name, c) -> LOG.info("{}: {} tables; latest migrations {}", name, c.tables(), c.latestMigrations()));
        return StepResult.done(message, figures);
    }

    private StepResult plan(Backup backup, boolean cluster, Map<String, Object> figures) {
        PlanActions plan = new PlanActions();
        DumpRouter router = router(cluster, plan);
        try (DumpScanner scanner = open(backup.path())) {
            router.run(scanner);
            figures.put("bytesRead", scanner.bytesRead());
        } catch (IOException e) {
            throw withFigures(StepException.failed("Backup " + backup.path() + " is corrupt or incomplete: " + e.getMessage(), e), figures);
        }
        requireTargets(router, backup);
        LOG.info("Dry run: backup {} is a {}", backup.path(), cluster ? "pg_dumpall of " + router.databasesInDump()
                : "single-database dump");
        LOG.info("Dry run: roles in the dump (created only if missing, without passwords; --roles {}): {}",
                config.roles().name().toLowerCase(), plan.roles().keySet());
        plan.databases().forEach((name, p) -> LOG.info("Dry run: would restore {} ({} mode): {}", name,
                config.mode().name().toLowerCase().replace('_', '-'), p));
        figures.put("databases", List.copyOf(plan.databases().keySet()));
        figures.put("tables", plan.databases().values().stream().mapToInt(p -> p.tables).sum());
        figures.put("rows", plan.databases().values().stream().mapToLong(p -> p.rows).sum());
        figures.put("statements", plan.databases().values().stream().mapToInt(p -> p.statements).sum());
        figures.put("roles", List.copyOf(plan.roles().keySet()));
        writeReport(figures);
        return StepResult.done("Dry run: would restore " + plan.databases() + " from " + backup.path(), figures);
    }

    private DumpRouter router(boolean cluster, DumpActions actions) {
        Predicate<String> isTarget = config.allDatabases() ? name -> !SERVER_DATABASES.contains(name)
                : config.database()::equals;
        return new DumpRouter(cluster, isTarget, config.database(), config.roles() == DbRestoreConfig.Roles.MISSING, actions);
    }

    private void requireTargets(DumpRouter router, Backup backup) {
        if (router.created().isEmpty()) {
            String wanted = config.allDatabases() ? "any database besides postgres and template1" : "database " + config.database();
            throw StepException.refused("Backup " + backup.path() + " holds no " + wanted + " (it holds: "
                    + router.databasesInDump() + "). Choose another backup or --database.");
        }
    }

    private void writeReport(Map<String, Object> report) {
        if (config.report() == null) {
            return;
        }
        try {
            Files.writeString(config.report(), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw StepException.failed("Could not write the report to " + config.report() + ": " + e.getMessage(), e);
        }
    }

    private static DumpScanner open(Path path) throws IOException {
        return new DumpScanner(new DumpInput(new GZIPInputStream(Files.newInputStream(path), 1 << 16)));
    }

    /** True when the dump says it is a pg_dumpall script ("PostgreSQL database cluster dump") near its start. */
    private static boolean isClusterDump(Path path) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            String head = new String(in.readNBytes(8192), StandardCharsets.UTF_8);
            return head.contains("PostgreSQL database cluster dump");
        } catch (IOException e) {
            throw StepException.failed("Backup " + path + " is not a readable gzip file: " + e.getMessage(), e);
        }
    }

    private static StepException withFigures(RuntimeException e, Map<String, Object> figures) {
        if (e instanceof StepException step) {
            return new StepException(step.exitCode(), step.getMessage(), figures, step.getCause());
        }
        return new StepException(ExitCode.FAILED, "Restore failed: " + e, figures, e);
    }
}
