package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.OptionValues;
import io.github.stackreplica.common.cli.Secret;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.cli.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What db-restore does, parsed once from arguments and environment.
 *
 * @param backup      the backup file to use, or null to pick one under {@code backupRoot}
 * @param fromBackup  a timestamp prefix the picked backup must start with, or null
 * @param maxAge      the oldest backup accepted, or null for no limit
 * @param database    the database restored (ignored with {@code allDatabases})
 * @param splitTables load each table on all {@code jobs} connections at once (without COPY FREEZE)
 * @param report      where the JSON report goes, or null
 */
public record DbRestoreConfig(Path backupRoot, Path backup, String fromBackup, Duration settle, Duration maxAge,
        String database, boolean allDatabases, Roles roles, Mode mode, boolean keepPrevious, Server server,
        Duration connectTimeout, int jobs, boolean splitTables, Path report, boolean dryRun) {

    /** Which roles of a dumpall are created on the server. */
    public enum Roles { MISSING, NONE }

    /** How the target database is replaced. */
    public enum Mode { SWAP, IN_PLACE }

    /** The PostgreSQL server restored into; the password comes only from {@code PGPASSWORD}. */
    public record Server(String host, int port, String user, Secret password) {
    }

    /** Longest name accepted, so that {@code <name>__restoring} still fits PostgreSQL's 63 bytes. */
    static final int MAX_NAME = 50;

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern TIMESTAMP_PREFIX = Pattern.compile("\\d{4}(-\\d{0,2}(-\\d{0,2}(T\\d{0,2}(:\\d{0,2}(:\\d{0,2}Z?)?)?)?)?)?");

    static final StepOptions OPTIONS = new StepOptions("db-restore",
            "Restores a plain-SQL PostgreSQL backup (gzipped pg_dump or pg_dumpall) into the target stack's database,\n"
                    + "into a new database first and swapped in only once complete.")
            .string("backup-root", "/backup", "Directory with the hourly/daily/weekly/monthly backup tiers.").valueName("DIR")
            .string("backup", null, "Restore this backup file instead of picking one.").valueName("FILE")
            .string("from-backup", null, "Pick the newest backup whose timestamp starts with this, e.g. 2025-11-24T02.").valueName("TS")
            .duration("settle", "2m", "Ignore backups modified more recently than this (still being written).")
            .duration("max-age", null, "Refuse (exit 3) a backup older than this, e.g. 36h. Off by default.")
            .string("database", "frag", "The database to restore (from a dumpall, its section).").valueName("NAME")
            .flag("all-databases", false, "Restore every database of a dumpall (except postgres and template1).")
            .string("roles", "missing", "missing: create the dump's roles the server lacks, without passwords; none: skip roles.")
            .valueName("missing|none")
            .string("mode", "swap", "swap: restore into <name>__restoring, then swap; in-place: drop <name> first (no room for two copies).")
            .valueName("swap|in-place")
            .flag("keep-previous", false, "In swap mode keep the replaced database as <name>__previous.")
            .string("host", "localhost", "PostgreSQL server host.").env("PGHOST")
            .integer("port", 5432, "PostgreSQL server port.").env("PGPORT")
            .string("user", "postgres", "PostgreSQL user (a superuser: dumps set owners).").env("PGUSER")
            .duration("connect-timeout", "60s", "How long to keep trying to reach the server before failing.")
            .integer("jobs", 2, "Connections used for table loads and index/constraint builds.")
            .flag("split-tables", false, "Load each table on all --jobs connections at once, without COPY FREEZE: for a"
                    + " huge table on a server with cores to spare (slower on a small one).")
            .string("report", null, "Also write the summary as JSON to this file.").valueName("FILE")
            .flag("dry-run", false, "Choose the backup, scan it and print the plan; change nothing.")
            .secret("PGPASSWORD", "Password of the PostgreSQL user.");

    /** Parses and validates everything; throws {@link UsageException} (exit 2) on bad input. */
    public static DbRestoreConfig parse(String[] args, Map<String, String> env) {
        OptionValues values = OPTIONS.parse(args, env);
        String database = values.string("database").strip();
        if (!PLAIN_IDENTIFIER.matcher(database).matches() || database.length() > MAX_NAME) {
            throw values.invalid("database", "expected a plain lower-case identifier ([a-z_][a-z0-9_]*) of at most "
                    + MAX_NAME + " characters");
        }
        boolean allDatabases = values.flag("all-databases");
        if (allDatabases && values.isExplicit("database")) {
            throw new UsageException("--all-databases and --database exclude each other: choose one");
        }
        String fromBackup = values.string("from-backup");
        if (fromBackup != null && !TIMESTAMP_PREFIX.matcher(fromBackup).matches()) {
            throw values.invalid("from-backup", "expected the start of a timestamp such as 2025-11-24 or 2025-11-24T02:00");
        }
        Path backup = values.convert("backup", Path::of);
        if (backup != null && fromBackup != null) {
            throw new UsageException("--backup and --from-backup exclude each other: choose one");
        }
        int port = values.integer("port");
        if (port < 1 || port > 65535) {
            throw values.invalid("port", "expected a port number from 1 to 65535");
        }
        int jobs = values.integer("jobs");
        if (jobs < 1 || jobs > 16) {
            throw values.invalid("jobs", "expected 1 to 16 connections");
        }
        Duration maxAge = values.duration("max-age");
        if (maxAge != null && maxAge.isZero()) {
            maxAge = null;
        }
        return new DbRestoreConfig(values.convert("backup-root", Path::of), backup, fromBackup,
                values.duration("settle"), maxAge, database, allDatabases,
                values.convert("roles", text -> parseEnum(Roles.class, text)),
                values.convert("mode", text -> parseEnum(Mode.class, text)), values.flag("keep-previous"),
                new Server(values.required("host"), port, values.required("user"), values.secret("PGPASSWORD")),
                values.duration("connect-timeout"), jobs, values.flag("split-tables"), values.convert("report", Path::of),
                values.flag("dry-run"));
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
        String name = text.strip().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        StringBuilder accepted = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            accepted.append(accepted.isEmpty() ? "" : " or ").append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException("expected " + accepted);
    }
}
