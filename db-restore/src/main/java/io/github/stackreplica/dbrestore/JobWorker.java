package io.github.stackreplica.dbrestore;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** One worker connection and its thread: runs the jobs handed to it one at a time and reports each outcome. */
final class JobWorker extends Thread {

    /** Hears how each job ended. */
    @FunctionalInterface
    interface Outcome {
        /** @param rows the rows a COPY loaded, or null for a statement or a failure */
        void finished(JobWorker worker, Job job, Exception error, Long rows);
    }

    private final Connection connection;
    private final Outcome outcome;
    private final BlockingQueue<Job> inbox = new ArrayBlockingQueue<>(1);
    private int settingsApplied;

    JobWorker(Connection connection, String name, Outcome outcome) {
        super(name);
        this.connection = connection;
        this.outcome = outcome;
        setDaemon(true);
    }

    Connection connection() {
        return connection;
    }

    /** Hands a job to this (idle) worker. */
    void run(Job job) {
        inbox.add(job);
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
                if (job.data() != null) {
                    job.data().discard();
                }
            }
            outcome.finished(this, job, error, rows);
        }
    }

    private Long runJob(Job job) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            // Settings only ever grow in dump order, so applying the ones not applied yet brings this connection level.
            for (; settingsApplied < job.settings().size(); settingsApplied++) {
                statement.execute(job.settings().get(settingsApplied));
            }
            if (job.data() == null) {
                statement.execute(job.sql());
                return null;
            }
        }
        return FrozenCopy.load(connection, job.sql(), job.tableSql(), in -> {
            for (byte[] chunk = job.data().take(); chunk != null; chunk = job.data().take()) {
                in.writeToCopy(chunk, 0, chunk.length);
            }
        });
    }
}
