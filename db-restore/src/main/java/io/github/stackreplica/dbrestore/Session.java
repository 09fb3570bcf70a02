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
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections restoring one database. Statements run in dump order on the main connection; COPY loads and index,
 * key, foreign-key and ANALYZE jobs run on {@code jobs} worker connections: loads and index builds mix, foreign keys
 * run only among themselves (so every key they need exists), any other statement first waits for everything running,
 * and two jobs never work on the same table at once unless both only build indexes. With the dump read ahead, a
 * table's index builds and ANALYZE start as soon as its load ends, and an {@link AheadLoader} loads tables early.
 */
final class Session implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private final String database;
    private final Connection main;
    private final List<JobWorker> idle = new ArrayList<>();
    private final List<JobWorker> workers = new ArrayList<>();
    private final List<Job.Lock> held = new ArrayList<>();
    private final List<String> settings = new ArrayList<>();
    private final Map<String, Long> rowsPerTable = new LinkedHashMap<>();
    private final java.util.Deque<Job> pendingEarly = new java.util.ArrayDeque<>();
    private final java.util.Set<String> scheduled = new java.util.HashSet<>();
    private final java.util.Set<String> analyzed = new java.util.HashSet<>();
    private final int[] runningByKind = new int[Job.Kind.values().length];
    private final PostDataPrescan prescan;
    private final int pipeCapacity;
    private int running;
    private int waitingDispatches;
    private StepException failure;

    private CopyClaims claims;
    private AheadLoader ahead;
    private Connection aheadConnection;

    /** @param prescan the index statements read ahead, to build a table's indexes right after its load; or null */
    Session(ServerConnections connections, String database, int jobs, PostDataPrescan prescan) {
        this.database = database;
        this.prescan = jobs > 1 ? prescan : null;
        this.main = connections.open(database);
        this.pipeCapacity = Math.max(2, 48 / jobs);
        if (jobs > 1) {
            for (int i = 0; i < jobs; i++) {
                JobWorker worker = new JobWorker(connections.open(database), database + "-job-" + (i + 1), this::finished);
                workers.add(worker);
                idle.add(worker);
                worker.start();
            }
        }
    }

    /**
     * Starts a second reader of the dump that loads COPY blocks after {@code fromLine} the main reader has not reached
     * yet (see {@link AheadLoader}).
     */
    void startAhead(ServerConnections connections, ReadAhead readAhead, String section, long fromLine) {
        if (workers.isEmpty()) {
            return;
        }
        aheadConnection = connections.open(database);
        claims = new CopyClaims();
        ahead = new AheadLoader(readAhead.dump(), readAhead.cluster(), section, fromLine, aheadConnection, claims,
                new AheadLoader.Host() {
                    @Override
                    public void began(DumpItem.Copy copy) {
                        externalBegan(copy);
                    }

                    @Override
                    public void ended(DumpItem.Copy copy, Exception error, Long rows) {
                        finished(null, copyJob(copy, null), error, rows);
                    }
                });
        ahead.start(database + "-ahead");
    }

    private synchronized void externalBegan(DumpItem.Copy copy) {
        Job job = copyJob(copy, null);
        running++;
        runningByKind[job.kind().ordinal()]++;
        held.addAll(job.locks());
    }

    private synchronized Job copyJob(DumpItem.Copy copy, CopyPipe pipe) {
        return new Job(Job.Kind.COPY, copy.text(), copy.line(), List.of(new Job.Lock(copy.table(), false)),
                List.copyOf(settings), pipe, copy.tableSql());
    }

    private void progressed(long line) {
        if (claims != null) {
            claims.mainProgressed(line);
        }
    }

    /** Tables already analyzed (unquoted names), right after their load. */
    synchronized java.util.Set<String> analyzed() {
        return new java.util.HashSet<>(analyzed);
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
        progressed(line);
    }

    /** Runs an index, key or foreign-key statement on a worker (on the main connection when there are none). */
    void build(Job.Kind kind, String sql, long line, String table, boolean shared, String referenced) {
        progressed(line);
        synchronized (this) {
            // Each index statement runs once: here, or already (or soon) right after its table's load.
            if (kind == Job.Kind.INDEX && !scheduled.add(sql)) {
                return;
            }
        }
        if (workers.isEmpty()) {
            execute(sql, line, false);
            return;
        }
        List<Job.Lock> locks = new ArrayList<>(List.of(new Job.Lock(table, shared)));
        if (referenced != null && !referenced.equals(table)) {
            locks.add(new Job.Lock(referenced, false));
        }
        dispatch(new Job(kind, sql, line, locks, List.copyOf(settings), null, null));
    }

    /** Loads the COPY data that follows in the dump into {@code table}. */
    void copy(DumpItem.Copy copy, DumpScanner scanner) throws IOException {
        if (workers.isEmpty()) {
            barrier();
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
            return;
        }
        progressed(copy.line());
        if (claims != null && !claims.claimForMain(copy.line())) {
            scanner.copyData((bytes, offset, length) -> { });
            return;
        }
        CopyPipe pipe = new CopyPipe(pipeCapacity, () -> {
            synchronized (this) {
                failIfFailed();
            }
        });
        dispatch(copyJob(copy, pipe));
        scanner.copyData(pipe::write);
        pipe.close();
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
        while (running > 0 || !pendingEarly.isEmpty()) {
            failIfFailed();
            startPendingEarly();
            waitForChange();
        }
        failIfFailed();
    }

    private synchronized void dispatch(Job job) {
        waitingDispatches++;
        try {
            while (true) {
                failIfFailed();
                if (job.kind() == Job.Kind.FOREIGN_KEY && !pendingEarly.isEmpty()) {
                    startPendingEarly();
                } else if (canStart(job)) {
                    break;
                }
                waitForChange();
            }
        } finally {
            waitingDispatches--;
        }
        start(job);
    }

    /**
     * Loads and index builds mix (a build waits for its own table's load through the table locks); foreign keys run
     * only among themselves, after every load and key before them.
     */
    private boolean canStart(Job job) {
        for (Job.Kind kind : Job.Kind.values()) {
            if (runningByKind[kind.ordinal()] > 0 && !job.mixesWith(kind)) {
                return false;
            }
        }
        return !idle.isEmpty() && job.locks().stream().noneMatch(lock -> held.stream().anyMatch(lock::conflicts));
    }

    private void start(Job job) {
        JobWorker worker = idle.remove(idle.size() - 1);
        running++;
        runningByKind[job.kind().ordinal()]++;
        held.addAll(job.locks());
        worker.run(job);
    }

    /** Starts the index builds read ahead for loaded tables, as far as workers and locks allow. */
    private void startPendingEarly() {
        for (java.util.Iterator<Job> it = pendingEarly.iterator(); it.hasNext() && !idle.isEmpty(); ) {
            Job job = it.next();
            if (canStart(job)) {
                it.remove();
                start(job);
            }
        }
    }

    private synchronized void finished(JobWorker worker, Job job, Exception error, Long rows) {
        running--;
        runningByKind[job.kind().ordinal()]--;
        job.locks().forEach(held::remove);
        if (worker != null) {
            idle.add(worker);
        }
        if (rows != null) {
            recordRows(job.table(), rows);
            if (prescan != null && error == null) {
                for (PostDataPrescan.Early build : prescan.forTable(job.table())) {
                    if (scheduled.add(build.sql())) {
                        pendingEarly.add(new Job(Job.Kind.INDEX, build.sql(), build.line(),
                                List.of(new Job.Lock(job.table(), build.shared())), build.settings(), null, null));
                    }
                }
                if (prescan.complete() && analyzed.add(job.table())) {
                    // Statistics now, while other tables load, rather than one long ANALYZE at the end.
                    pendingEarly.add(new Job(Job.Kind.INDEX, "ANALYZE " + job.tableSql(), job.line(),
                            List.of(new Job.Lock(job.table(), false)), job.settings(), null, null));
                }
            }
        }
        if (failure == null && error == null && waitingDispatches == 0) {
            startPendingEarly();
        }
        if (error != null && failure == null) {
            failure = error instanceof SQLException sql ? sqlError(job.line(), job.sql(), sql)
                    : error instanceof StepException step ? step
                    : error instanceof IOException io ? StepException.failed("The dump could not be read in the COPY"
                            + " block at line " + job.line() + ": " + io.getMessage(), io)
                    : StepException.failed("Restoring the statement at line " + job.line() + " failed: " + error, error);
        }
        notifyAll();
    }

    private synchronized void recordRows(String table, long rows) {
        rowsPerTable.merge(table, rows, Long::sum);
        LOG.debug("Loaded {} rows into {}", rows, table);
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
        if (ahead != null) {
            ahead.stop();
            claims.aheadGone();
            closeQuietly(aheadConnection);
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
