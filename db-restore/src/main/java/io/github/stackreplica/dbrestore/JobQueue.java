package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.StepException;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;

/**
 * The work waiting for one database's worker connections, and what they are running. A worker takes more of the COPY
 * block it holds open, else the first queued job that nothing running or queued before it conflicts with on a table
 * ({@link Job.Lock}); a block loaded with FREEZE stays on the one worker that opened it. At most {@link #CHUNKS} chunks
 * of COPY data wait, so that memory stays bounded whatever the dump's size.
 */
final class JobQueue {

    /** Tells a worker to end the COPY it holds open: its block has no data left for it. */
    static final Job END_COPY = new Job(Job.Kind.COPY, "", 0, List.of(), List.of(), null, null);

    /**
     * Chunks read ahead of the workers: bounds the memory in flight to about this many MiB. The further the reader may
     * run ahead, the earlier the next table's load starts on another worker while one finishes (measured: 64 against
     * 16 saved about 0.2 s of 8 on the benchmark); with -Xmx256m there is room for it.
     */
    static final int CHUNKS = 64;

    private final String database;
    private final int spareLimit;
    private final ObjLongConsumer<String> rowsLoaded;
    private final List<Job> queue = new ArrayList<>();
    private final List<Job> running = new ArrayList<>();
    private final Map<JobWorker, Job> openCopies = new HashMap<>();
    private final Set<Long> feeding = new HashSet<>();
    private final Deque<byte[]> spareBuffers = new ArrayDeque<>();
    private int queuedChunks;
    private boolean closed;
    private StepException failure;

    /** @param rowsLoaded hears the rows each ended COPY loaded, by table */
    JobQueue(String database, int workers, ObjLongConsumer<String> rowsLoaded) {
        this.database = database;
        this.spareLimit = CHUNKS + 2 * workers;
        this.rowsLoaded = rowsLoaded;
    }

    /** Queues a job; for a chunk, first waits while {@link #CHUNKS} wait already. Rethrows a worker's failure. */
    synchronized void add(Job job) {
        while (job.chunk() != null && queuedChunks >= CHUNKS) {
            checkFailure();
            waitForChange();
        }
        checkFailure();
        queue.add(job);
        if (job.chunk() != null) {
            queuedChunks++;
        }
        notifyAll();
    }

    /** The reader is handing on the data of the COPY block at {@code line}: its workers keep their COPY open. */
    synchronized void feeding(long line) {
        feeding.add(line);
    }

    /** The reader has handed on all data of the COPY block at {@code line} (or given up on it). */
    synchronized void fed(long line) {
        feeding.remove(line);
        notifyAll();
    }

    /** Waits until every job has finished and every COPY has ended; rethrows the first worker failure. */
    synchronized void awaitIdle() {
        while (!queue.isEmpty() || !running.isEmpty() || !openCopies.isEmpty()) {
            checkFailure();
            waitForChange();
        }
        checkFailure();
    }

    /**
     * A worker's next job, waiting for one: more of the COPY block it holds open, or {@link #END_COPY} when that block
     * has none left, or else the first runnable queued job. Null when the queue is closed or a worker has failed.
     */
    synchronized Job next(JobWorker worker) throws InterruptedException {
        while (!closed && failure == null) {
            Job open = openCopies.get(worker);
            if (open != null) {
                Job chunk = takeChunkOf(open.line());
                if (chunk != null) {
                    return chunk;
                }
                if (!feeding.contains(open.line())) {
                    return END_COPY;
                }
            } else {
                Job job = takeRunnable();
                if (job != null) {
                    if (job.chunk() != null) {
                        openCopies.put(worker, job);
                    } else {
                        running.add(job);
                    }
                    return job;
                }
            }
            wait();
        }
        return null;
    }

    private Job takeChunkOf(long line) {
        for (int i = 0; i < queue.size(); i++) {
            Job job = queue.get(i);
            if (job.chunk() != null && job.line() == line) {
                return take(i);
            }
        }
        return null;
    }

    private Job takeRunnable() {
        candidates:
        for (int i = 0; i < queue.size(); i++) {
            Job job = queue.get(i);
            if (job.kind() == Job.Kind.FROZEN_COPY && isOpen(job.line())) {
                continue;
            }
            for (Job other : running) {
                if (job.conflicts(other)) {
                    continue candidates;
                }
            }
            for (Job other : openCopies.values()) {
                if (job.conflicts(other)) {
                    continue candidates;
                }
            }
            for (int j = 0; j < i; j++) {
                if (job.conflicts(queue.get(j))) {
                    continue candidates;
                }
            }
            return take(i);
        }
        return null;
    }

    private boolean isOpen(long block) {
        for (Job open : openCopies.values()) {
            if (open.line() == block) {
                return true;
            }
        }
        return false;
    }

    private Job take(int index) {
        Job job = queue.remove(index);
        if (job.chunk() != null) {
            queuedChunks--;
            notifyAll();
        }
        return job;
    }

    /** A worker ended its COPY, which loaded {@code rows} rows. */
    synchronized void copyEnded(JobWorker worker, long rows) {
        Job block = openCopies.remove(worker);
        rowsLoaded.accept(block.table(), rows);
        notifyAll();
    }

    /** A worker finished a statement. */
    synchronized void finished(Job job) {
        running.remove(job);
        notifyAll();
    }

    /** A worker failed running {@code job} (a chunk, {@link #END_COPY}, a statement, or null while waiting). */
    synchronized void failed(JobWorker worker, Job job, Exception error) {
        Job block = openCopies.remove(worker);
        if (job != null) {
            running.remove(job);
        }
        Job culprit = job == null || job.chunk() != null || job == END_COPY ? block : job;
        if (failure == null && !closed) {
            failure = culprit == null ? StepException.failed("A worker connection of " + database + " failed: " + error, error)
                    : error instanceof SQLException sql ? Session.sqlError(culprit.line(), culprit.sql(), sql)
                    : StepException.failed("Restoring the statement at line " + culprit.line() + " failed: " + error, error);
        }
        notifyAll();
    }

    /** An array of {@link CopyChunks#SIZE} bytes for COPY data, recycled when possible. */
    synchronized byte[] buffer() {
        byte[] spare = spareBuffers.poll();
        return spare != null ? spare : new byte[CopyChunks.SIZE];
    }

    /** Takes back a chunk's array once its data is on the server. */
    synchronized void recycle(byte[] buffer) {
        if (buffer.length == CopyChunks.SIZE && spareBuffers.size() < spareLimit) {
            spareBuffers.push(buffer);
        }
    }

    /** Rethrows the first worker failure, if any. */
    synchronized void checkFailure() {
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops handing out jobs: waiting workers get null. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void waitForChange() {
        try {
            wait(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StepException.failed("Interrupted while restoring " + database);
        }
    }
}
