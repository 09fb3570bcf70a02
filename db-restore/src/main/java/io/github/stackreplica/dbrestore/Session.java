package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.StepException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections restoring one database, fed by the one reader of the dump. Statements run in dump order on the main
 * connection. With {@code jobs} worker connections, COPY data is cut into chunks of whole rows on a bounded queue that
 * the workers take ({@link JobQueue}), and index, key, foreign-key, trigger and ANALYZE statements run on the workers
 * too. A table's chunks go to one worker, which loads them with TRUNCATE and COPY FREEZE ({@link FrozenCopy}); the
 * next table starts on another worker as soon as the reader reaches it. With {@code splitTables} every worker takes
 * every table's chunks, each with its own plain COPY open on the table, so that one huge table loads on all
 * connections (FREEZE needs the one transaction that truncated the table). A job starts only when no running or
 * earlier queued job conflicts with it on a table ({@link Job.Lock}): an index waits for its table's load, a foreign
 * key for both tables' loads and keys. Any other statement first waits for everything running.
 */
final class Session implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final String database;
    private final Connection main;
    private final boolean splitTables;
    private final List<JobWorker> workers = new ArrayList<>();
    /** The workers' jobs; null without workers. */
    private final JobQueue queue;
    private final List<String> settings = new ArrayList<>();
    private final Map<String, Long> rowsPerTable = new LinkedHashMap<>();
    private final Set<String> loaded = new HashSet<>();
    private final Set<String> analyzed = new HashSet<>();

    /** @param splitTables load each table on all {@code jobs} connections at once, without FREEZE */
    Session(ServerConnections connections, String database, int jobs, boolean splitTables) {
        this.database = database;
        this.splitTables = splitTables;
        this.main = connections.open(database);
        this.queue = jobs > 1 ? new JobQueue(database, jobs, this::recordRows) : null;
        if (jobs > 1) {
            for (int i = 0; i < jobs; i++) {
                Connection connection = connections.open(database);
                try (Statement statement = connection.createStatement()) {
                    // The workers build indexes side by side already: parallel workers for each build only add CPU
                    // (measured: about 2 s of the benchmark's 11 s of server CPU).
                    statement.execute("SET max_parallel_maintenance_workers = 0");
                } catch (SQLException e) {
                    closeQuietly(connection);
                    throw StepException.failed("Could not set up a worker connection to " + database + ": " + e.getMessage(), e);
                }
                JobWorker worker = new JobWorker(connection, database + "-job-" + (i + 1), queue);
                workers.add(worker);
                worker.start();
            }
        }
    }

    /** Tables analyzed by this session (unquoted names). */
    synchronized Set<String> analyzed() {
        return new HashSet<>(analyzed);
    }

    /** Rows loaded per table by COPY, in dump order. */
    synchronized Map<String, Long> rowsPerTable() {
        return new LinkedHashMap<>(rowsPerTable);
    }

    /**
     * Runs a statement on the main connection, in dump order: a session setting or a sequence's {@code setval} right
     * away (the jobs carry the settings they need; no job touches sequences), anything else once every job before it
     * has finished.
     */
    void execute(String sql, long line, boolean sessionSetting) {
        if (!sessionSetting && !sql.regionMatches(true, 0, "SELECT pg_catalog.setval(", 0, 25)) {
            barrier();
        }
        try (Statement statement = main.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(sql);
        } catch (SQLException e) {
            throw sqlError(line, sql, e);
        }
        if (sessionSetting) {
            synchronized (this) {
                settings.add(sql);
            }
        }
    }

    /**
     * Queues an index, key, foreign-key or trigger statement for the workers (runs it on the main connection when there
     * are none). A foreign key also claims the table it references.
     */
    void build(Job.Kind kind, String sql, long line, String table, boolean shared, String referenced) {
        if (workers.isEmpty()) {
            execute(sql, line, false);
            return;
        }
        List<Job.Lock> locks = new ArrayList<>(List.of(new Job.Lock(table, shared ? Job.Mode.SHARED : Job.Mode.EXCLUSIVE)));
        if (referenced != null && !referenced.equals(table)) {
            locks.add(new Job.Lock(referenced, Job.Mode.EXCLUSIVE));
        }
        String validation = kind == Job.Kind.FOREIGN_KEY ? Statements.foreignKeyValidation(sql) : null;
        if (validation == null) {
            queue.add(new Job(kind, sql, line, locks, settings(), null, null));
            return;
        }
        // Added NOT VALID (a moment, but it locks both tables), then validated holding only its own table's lock: the
        // checks of keys that reference one table then run side by side instead of one after the other.
        queue.add(new Job(kind, sql + " NOT VALID", line, locks, settings(), null, null));
        queue.add(new Job(kind, validation, line, List.of(locks.get(0)), settings(), null, null));
    }

    /** Loads the COPY data that follows in the dump into {@code table}: on the workers, in chunks, when there are any. */
    void copy(DumpItem.Copy copy, DumpScanner scanner) throws IOException {
        synchronized (this) {
            rowsPerTable.putIfAbsent(copy.table(), 0L);
        }
        if (workers.isEmpty()) {
            copyOnMain(copy, scanner);
            return;
        }
        Job.Kind kind;
        synchronized (this) {
            // TRUNCATE (for FREEZE) only a table this restore has not loaded yet.
            kind = loaded.add(copy.table()) && !splitTables ? Job.Kind.FROZEN_COPY : Job.Kind.COPY;
        }
        List<Job.Lock> locks = List.of(new Job.Lock(copy.table(), Job.Mode.LOAD));
        List<String> settings = settings();
        queue.feeding(copy.line());
        try {
            CopyChunks chunks = new CopyChunks(queue::buffer, chunk -> queue.add(new Job(kind, copy.text(), copy.line(),
                    locks, settings, chunk, copy.tableSql())), queue::checkFailure);
            scanner.copyData(chunks);
            chunks.close();
            // Statistics now, on a worker next to the next table's load, rather than at the end.
            queue.add(new Job(Job.Kind.ANALYZE, "ANALYZE " + copy.tableSql(), copy.line(),
                    List.of(new Job.Lock(copy.table(), Job.Mode.EXCLUSIVE)), settings, null, null));
            synchronized (this) {
                analyzed.add(copy.table());
            }
        } finally {
            queue.fed(copy.line());
        }
    }

    private void copyOnMain(DumpItem.Copy copy, DumpScanner scanner) throws IOException {
        try {
            recordRows(copy.table(), FrozenCopy.load(main, copy.text(), copy.tableSql(),
                    in -> scanner.copyData((bytes, offset, length) -> writeToCopy(in, bytes, offset, length, copy))));
        } catch (SQLException e) {
            throw sqlError(copy.line(), copy.text(), e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw StepException.failed("Loading " + copy.table() + " failed: " + e, e);
        }
    }

    private static void writeToCopy(CopyIn in, byte[] bytes, int offset, int length, DumpItem.Copy copy) {
        try {
            in.writeToCopy(bytes, offset, length);
        } catch (SQLException e) {
            throw sqlError(copy.line(), copy.text(), e);
        }
    }

    /** Waits until every job has finished and every COPY has ended; rethrows the first job failure. */
    void barrier() {
        if (queue != null) {
            queue.awaitIdle();
        }
    }

    private synchronized List<String> settings() {
        return List.copyOf(settings);
    }

    private synchronized void recordRows(String table, long rows) {
        rowsPerTable.merge(table, rows, Long::sum);
        LOG.debug("Loaded {} rows into {}", rows, table);
    }

    static StepException sqlError(long line, String sql, SQLException e) {
        String statement = sql.length() > 120 ? sql.substring(0, 117) + "..." : sql;
        return StepException.failed("SQL error at line " + line + " of the dump (" + statement.replaceAll("\\s+", " ")
                + "): " + String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\n\\s*", "; "), e);
    }

    /** Closes every connection; jobs still running are abandoned (their backends end with the connections). */
    @Override
    public void close() {
        if (queue != null) {
            queue.close();
        }
        for (JobWorker worker : workers) {
            worker.interrupt();
            closeQuietly(worker.connection());
        }
        closeQuietly(main);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing a connection failed: {}", e.getMessage());
        }
    }
}
