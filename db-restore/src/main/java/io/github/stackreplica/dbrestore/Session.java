package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.StepException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections restoring one database. Statements run in dump order on the main connection; COPY loads and
 * index, key and foreign-key builds run on {@code jobs} worker connections when they can: a run of jobs of one kind
 * goes in parallel, a change of kind or any other statement first waits for everything running (so keys exist before
 * the foreign keys that need them), and two jobs never touch the same table at once unless both only read it.
 */
final class Session implements AutoCloseable {

    /** Which parallel run a job belongs to. */
    enum JobKind { COPY, INDEX, FOREIGN_KEY }

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final byte[] END = new byte[0];
    private static final int CHUNK = 1 << 20;

    private record Lock(String table, boolean shared) {
        boolean conflicts(Lock other) {
            return table.equals(other.table) && !(shared && other.shared);
        }
    }

    private record Job(JobKind kind, String sql, long line, List<Lock> locks, List<String> settings,
            BlockingQueue<byte[]> data) {
    }

    private final String database;
    private final Connection main;
    private final List<Worker> idle = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private final List<Lock> held = new ArrayList<>();
    private final List<String> settings = new ArrayList<>();
    private final Map<String, Long> rowsPerTable = new LinkedHashMap<>();
    private final int pipeCapacity;
    private int running;
    private JobKind runningKind;
    private StepException failure;

    Session(ServerConnections connections, String database, int jobs) {
        this.database = database;
        this.main = connections.open(database);
        this.pipeCapacity = Math.max(2, 48 / jobs);
        if (jobs > 1) {
            for (int i = 0; i < jobs; i++) {
                Worker worker = new Worker(connections.open(database), database + "-job-" + (i + 1));
                workers.add(worker);
                idle.add(worker);
                worker.start();
            }
        }
    }

    /** Rows loaded per table by COPY, in load order. */
    synchronized Map<String, Long> rowsPerTable() {
        return new LinkedHashMap<>(rowsPerTable);
    }

    /** Runs a statement on the main connection once everything before it has finished. */
    void execute(String sql, long line, boolean sessionSetting) {
        barrier();
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

    /** Runs an index, key or foreign-key statement on a worker (on the main connection when there are none). */
    void build(JobKind kind, String sql, long line, String table, boolean shared, String referenced) {
        if (workers.isEmpty()) {
            execute(sql, line, false);
            return;
        }
        List<Lock> locks = new ArrayList<>(List.of(new Lock(table, shared)));
        if (referenced != null && !referenced.equals(table)) {
            locks.add(new Lock(referenced, false));
        }
        dispatch(new Job(kind, sql, line, locks, List.copyOf(settings), null));
    }

    /** Loads the COPY data that follows in the dump into {@code table}. */
    void copy(DumpItem.Copy copy, DumpScanner scanner) throws IOException {
        if (workers.isEmpty()) {
            barrier();
            try {
                CopyIn in = main.unwrap(PGConnection.class).getCopyAPI().copyIn(copy.text());
                try {
                    scanner.copyData((bytes, offset, length) -> writeToCopy(in, bytes, offset, length, copy));
                    recordRows(copy.table(), in.endCopy());
                } finally {
                    if (in.isActive()) {
                        in.cancelCopy();
                    }
                }
            } catch (SQLException e) {
                throw sqlError(copy.line(), copy.text(), e);
            }
            return;
        }
        BlockingQueue<byte[]> pipe = new ArrayBlockingQueue<>(pipeCapacity);
        dispatch(new Job(JobKind.COPY, copy.text(), copy.line(), List.of(new Lock(copy.table(), false)),
                List.copyOf(settings), pipe));
        Chunker chunker = new Chunker(pipe);
        scanner.copyData(chunker::write);
        chunker.flush();
        put(pipe, END);
    }

    private static void writeToCopy(CopyIn in, byte[] bytes, int offset, int length, DumpItem.Copy copy) {
        try {
            in.writeToCopy(bytes, offset, length);
        } catch (SQLException e) {
            throw sqlError(copy.line(), copy.text(), e);
        }
    }

    /** Waits until every job has finished; rethrows the first job failure. */
    synchronized void barrier() {
        while (running > 0) {
            waitForChange();
        }
        failIfFailed();
    }

    private synchronized void dispatch(Job job) {
        while (true) {
            failIfFailed();
            boolean sameRun = running == 0 || runningKind == job.kind();
            if (sameRun && !idle.isEmpty() && job.locks().stream().noneMatch(lock -> held.stream().anyMatch(lock::conflicts))) {
                break;
            }
            waitForChange();
        }
        Worker worker = idle.remove(idle.size() - 1);
        running++;
        runningKind = job.kind();
        held.addAll(job.locks());
        worker.inbox.add(job);
    }

    private synchronized void finished(Worker worker, Job job, Exception error, Long rows) {
        running--;
        job.locks().forEach(held::remove);
        idle.add(worker);
        if (rows != null) {
            recordRows(tableOf(job), rows);
        }
        if (error != null && failure == null) {
            failure = error instanceof SQLException sql ? sqlError(job.line(), job.sql(), sql)
                    : StepException.failed("Restoring the statement at line " + job.line() + " failed: " + error, error);
        }
        notifyAll();
    }

    private static String tableOf(Job job) {
        return job.locks().get(0).table();
    }

    private synchronized void recordRows(String table, long rows) {
        rowsPerTable.merge(table, rows, Long::sum);
        LOG.debug("Loaded {} rows into {}", rows, table);
    }

    private void put(BlockingQueue<byte[]> pipe, byte[] chunk) {
        try {
            while (!pipe.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                synchronized (this) {
                    failIfFailed();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StepException.failed("Interrupted while loading data into " + database);
        }
    }

    private void failIfFailed() {
        if (failure != null) {
            throw failure;
        }
    }

    private void waitForChange() {
        try {
            wait(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StepException.failed("Interrupted while restoring " + database);
        }
    }

    static StepException sqlError(long line, String sql, SQLException e) {
        String statement = sql.length() > 120 ? sql.substring(0, 117) + "..." : sql;
        return StepException.failed("SQL error at line " + line + " of the dump (" + statement.replaceAll("\\s+", " ")
                + "): " + String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\n\\s*", "; "), e);
    }

    /** Closes every connection; jobs still running are abandoned (their backends end with the connections). */
    @Override
    public void close() {
        for (Worker worker : workers) {
            worker.interrupt();
            closeQuietly(worker.connection);
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

    /** Gathers COPY bytes into chunks of about 1 MiB for a worker. */
    private final class Chunker {
        private final BlockingQueue<byte[]> pipe;
        private byte[] chunk = new byte[CHUNK];
        private int used;

        Chunker(BlockingQueue<byte[]> pipe) {
            this.pipe = pipe;
        }

        void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                int n = Math.min(length, chunk.length - used);
                System.arraycopy(bytes, offset, chunk, used, n);
                used += n;
                offset += n;
                length -= n;
                if (used == chunk.length) {
                    flush();
                }
            }
        }

        void flush() {
            if (used > 0) {
                put(pipe, used == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, used));
                chunk = new byte[CHUNK];
                used = 0;
            }
        }
    }

    /** One worker connection and its thread. */
    private final class Worker extends Thread {
        private final Connection connection;
        private final BlockingQueue<Job> inbox = new ArrayBlockingQueue<>(1);
        private int settingsApplied;

        Worker(Connection connection, String name) {
            super(name);
            this.connection = connection;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                Job job;
                try {
                    job = inbox.take();
                } catch (InterruptedException e) {
                    return;
                }
                Long rows = null;
                Exception error = null;
                try {
                    rows = runJob(job);
                } catch (Exception e) {
                    error = e;
                    drain(job);
                }
                finished(this, job, error, rows);
            }
        }

        private Long runJob(Job job) throws SQLException, InterruptedException {
            try (Statement statement = connection.createStatement()) {
                statement.setEscapeProcessing(false);
                for (; settingsApplied < job.settings().size(); settingsApplied++) {
                    statement.execute(job.settings().get(settingsApplied));
                }
                if (job.data() == null) {
                    statement.execute(job.sql());
                    return null;
                }
            }
            CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(job.sql());
            try {
                for (byte[] chunk = job.data().take(); chunk != END; chunk = job.data().take()) {
                    in.writeToCopy(chunk, 0, chunk.length);
                }
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        }

        /** After a failed COPY, takes the rest of its data so that the reader is not left waiting. */
        private void drain(Job job) {
            if (job.data() != null) {
                job.data().clear();
            }
        }
    }
}
