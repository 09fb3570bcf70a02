package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.StepException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database being restored: in swap mode into {@code <name>__restoring}, swapped for {@code <name>} only once
 * complete and verified; in in-place mode straight into {@code <name>}, dropped first.
 */
final class TargetDatabase {

    /** What the restored database holds once complete. */
    record Contents(int tables, Map<String, Long> rowsPerTable, Map<String, String> latestMigrations) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(TargetDatabase.class);
    private static final Pattern CREATE_OPTIONS = Pattern.compile(
            "(?is)CREATE\\s+DATABASE\\s+(?:\"(?:[^\"]|\"\")+\"|[^\\s\";]+)(.*)");

    private final String name;
    private final DbRestoreConfig.Mode mode;
    private final ServerConnections connections;
    private final int jobs;
    private final boolean splitTables;
    private final Map<String, Long> rowsPerTable = new LinkedHashMap<>();
    private final java.util.Set<String> analyzed = new java.util.HashSet<>();
    private Session session;
    private boolean created;

    /** @param splitTables load each table on all {@code jobs} connections at once (see {@link Session}) */
    TargetDatabase(String name, DbRestoreConfig.Mode mode, ServerConnections connections, int jobs, boolean splitTables) {
        this.name = name;
        this.splitTables = splitTables;
        this.mode = mode;
        this.connections = connections;
        this.jobs = jobs;
    }

    String name() {
        return name;
    }

    /** The database the dump is restored into. */
    String workName() {
        return mode == DbRestoreConfig.Mode.SWAP ? name + "__restoring" : name;
    }

    String previousName() {
        return name + "__previous";
    }

    /** Creates the database restored into, with the options of the dump's CREATE DATABASE when there is one. */
    void create(Connection maintenance, String createSql) {
        String options = " TEMPLATE template0";
        if (createSql != null) {
            Matcher m = CREATE_OPTIONS.matcher(createSql);
            if (m.matches()) {
                options = m.group(1);
            }
        }
        if (mode == DbRestoreConfig.Mode.IN_PLACE) {
            LOG.warn("IN-PLACE MODE: dropping database {} before restoring it; if the restore fails, {} stays "
                    + "half-restored until the next successful run", name, name);
        }
        run(maintenance, "DROP DATABASE IF EXISTS " + Statements.quote(workName()) + " WITH (FORCE)");
        run(maintenance, "CREATE DATABASE " + Statements.quote(workName()) + options);
        created = true;
        LOG.info("Created database {} to restore into", workName());
    }

    /** The connections restoring this database, opened on first use. */
    Session session() {
        if (session == null) {
            session = new Session(connections, workName(), jobs, splitTables);
        }
        return session;
    }

    /** Waits for the running jobs and closes the connections; the dump has moved on to another database. */
    void leave() {
        if (session != null) {
            try {
                session.barrier();
                session.rowsPerTable().forEach((table, rows) -> rowsPerTable.merge(table, rows, Long::sum));
                analyzed.addAll(session.analyzed());
            } finally {
                session.close();
                session = null;
            }
        }
    }

    /** Counts the tables, runs ANALYZE and reads the latest Django migration per app. */
    Contents complete() {
        leave();
        try (Connection connection = connections.open(workName()); Statement statement = connection.createStatement()) {
            int tables;
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg_toast%'")) {
                rs.next();
                tables = rs.getInt(1);
            }
            analyzeRest(statement);
            return new Contents(tables, Map.copyOf(rowsPerTable), latestMigrations(statement));
        } catch (SQLException e) {
            throw StepException.failed("Could not verify restored database " + workName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Analyzes the tables the workers did not analyze (all of them when they analyzed none), and again those with an
     * expression index: the workers analyzed each table right after its load, before its indexes existed, and ANALYZE
     * gathers statistics for index expressions only once the index is there.
     */
    private void analyzeRest(Statement statement) throws SQLException {
        if (analyzed.isEmpty()) {
            statement.execute("ANALYZE");
            return;
        }
        java.util.List<String> rest = new java.util.ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT n.nspname, c.relname, EXISTS (SELECT 1 FROM pg_catalog.pg_index i"
                + " WHERE i.indrelid = c.oid AND i.indexprs IS NOT NULL) FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm')"
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'")) {
            while (rs.next()) {
                if (rs.getBoolean(3) || !analyzed.contains(rs.getString(1) + "." + rs.getString(2))) {
                    rest.add(Statements.quote(rs.getString(1)) + "." + Statements.quote(rs.getString(2)));
                }
            }
        }
        if (!rest.isEmpty()) {
            statement.execute("ANALYZE " + String.join(", ", rest));
        }
    }

    private static Map<String, String> latestMigrations(Statement statement) throws SQLException {
        Map<String, String> latest = new LinkedHashMap<>();
        try (ResultSet exists = statement.executeQuery("SELECT to_regclass('public.django_migrations') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return latest;
            }
        }
        try (ResultSet rs = statement.executeQuery("SELECT DISTINCT ON (app) app, name FROM public.django_migrations"
                + " ORDER BY app, applied DESC, id DESC")) {
            while (rs.next()) {
                latest.put(rs.getString(1), rs.getString(2));
            }
        }
        return latest;
    }

    /** True when database {@code name} exists now and holds at least one table. */
    boolean currentHasTables() {
        try (Connection connection = connections.open(name); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables"
                        + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (StepException e) {
            return false;
        } catch (SQLException e) {
            throw StepException.failed("Could not inspect database " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Puts the restored database in place of {@code name}: stops new and existing sessions on it (pgbouncer holds
     * some), renames it to {@code <name>__previous}, renames the restored one to {@code name}, then drops the
     * previous one unless {@code keepPrevious}. If the second rename fails the first is undone.
     */
    void swapIn(Connection maintenance, boolean keepPrevious) {
        if (mode == DbRestoreConfig.Mode.IN_PLACE) {
            return;
        }
        if (!exists(maintenance, name)) {
            run(maintenance, "ALTER DATABASE " + Statements.quote(workName()) + " RENAME TO " + Statements.quote(name));
            LOG.info("Renamed {} to {} (there was no {} before)", workName(), name, name);
            return;
        }
        if (exists(maintenance, previousName())) {
            LOG.info("Dropping {} left by an earlier run", previousName());
            run(maintenance, "DROP DATABASE " + Statements.quote(previousName()) + " WITH (FORCE)");
        }
        run(maintenance, "ALTER DATABASE " + Statements.quote(name) + " WITH ALLOW_CONNECTIONS false");
        renameAway(maintenance);
        try {
            run(maintenance, "ALTER DATABASE " + Statements.quote(workName()) + " RENAME TO " + Statements.quote(name));
        } catch (StepException e) {
            run(maintenance, "ALTER DATABASE " + Statements.quote(previousName()) + " RENAME TO " + Statements.quote(name));
            run(maintenance, "ALTER DATABASE " + Statements.quote(name) + " WITH ALLOW_CONNECTIONS true");
            throw e;
        }
        LOG.info("Swapped restored database in: {} -> {}, {} -> {}", name, previousName(), workName(), name);
        if (keepPrevious) {
            run(maintenance, "ALTER DATABASE " + Statements.quote(previousName()) + " WITH ALLOW_CONNECTIONS true");
            LOG.info("Kept the replaced database as {}", previousName());
        } else {
            run(maintenance, "DROP DATABASE " + Statements.quote(previousName()) + " WITH (FORCE)");
            LOG.info("Dropped the replaced database (now {})", previousName());
        }
    }

    private void renameAway(Connection maintenance) {
        String rename = "ALTER DATABASE " + Statements.quote(name) + " RENAME TO " + Statements.quote(previousName());
        for (int attempt = 1; ; attempt++) {
            terminateSessions(maintenance, name);
            try (Statement statement = maintenance.createStatement()) {
                statement.execute(rename);
                return;
            } catch (SQLException e) {
                if (!"55006".equals(e.getSQLState()) || attempt >= 20) {
                    run(maintenance, "ALTER DATABASE " + Statements.quote(name) + " WITH ALLOW_CONNECTIONS true");
                    throw StepException.failed("Could not rename " + name + " to " + previousName() + ": "
                            + e.getMessage(), e);
                }
                sleep();
            }
        }
    }

    /** After a failure: drops the half-restored database in swap mode, leaving the original untouched. */
    void abandon(Connection maintenance) {
        if (session != null) {
            session.close();
            session = null;
        }
        if (!created) {
            return;
        }
        if (mode == DbRestoreConfig.Mode.SWAP) {
            try {
                run(maintenance, "DROP DATABASE IF EXISTS " + Statements.quote(workName()) + " WITH (FORCE)");
                LOG.info("Dropped the incomplete {}; {} is untouched", workName(), name);
            } catch (StepException e) {
                LOG.warn("Could not drop the incomplete {}: {}", workName(), e.getMessage());
            }
        } else {
            LOG.warn("IN-PLACE MODE: database {} is left half-restored", name);
        }
    }

    private static void terminateSessions(Connection maintenance, String database) {
        try (Statement statement = maintenance.createStatement()) {
            statement.execute("SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity"
                    + " WHERE datname = '" + database.replace("'", "''") + "' AND pid <> pg_catalog.pg_backend_pid()");
        } catch (SQLException e) {
            throw StepException.failed("Could not end the sessions on " + database + ": " + e.getMessage(), e);
        }
    }

    static boolean exists(Connection maintenance, String database) {
        try (Statement statement = maintenance.createStatement();
                ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_catalog.pg_database WHERE datname = '"
                        + database.replace("'", "''") + "'")) {
            return rs.next();
        } catch (SQLException e) {
            throw StepException.failed("Could not list the databases: " + e.getMessage(), e);
        }
    }

    static void run(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw StepException.failed("'" + sql + "' failed: " + e.getMessage(), e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StepException.failed("Interrupted while swapping databases");
        }
    }
}
