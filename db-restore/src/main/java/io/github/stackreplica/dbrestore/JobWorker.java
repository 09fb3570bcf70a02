package io.github.stackreplica.dbrestore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One worker connection and its thread: runs the jobs its {@link JobQueue} hands it one at a time. For chunks of COPY
 * data it keeps one COPY open until the queue says the block has no more for it.
 */
final class JobWorker extends Thread {

    private final Connection connection;
    private final JobQueue jobs;
    private CopyIn copy;
    private boolean frozen;
    private int settingsApplied;

    JobWorker(Connection connection, String name, JobQueue jobs) {
        super(name);
        this.connection = connection;
        this.jobs = jobs;
        setDaemon(true);
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void run() {
        Job job = null;
        try {
            for (job = jobs.next(this); job != null; job = jobs.next(this)) {
                if (job == JobQueue.END_COPY) {
                    long rows = frozen ? FrozenCopy.end(connection, copy) : copy.endCopy();
                    copy = null;
                    jobs.copyEnded(this, rows);
                } else if (job.chunk() != null) {
                    load(job);
                } else {
                    apply(job.settings());
                    try (Statement statement = connection.createStatement()) {
                        statement.setEscapeProcessing(false);
                        statement.execute(job.sql());
                    }
                    jobs.finished(job);
                }
            }
        } catch (Exception e) {
            if (job != null && job.chunk() != null && job.chunk().tail() != null) {
                job.chunk().tail().discard();
            }
            jobs.failed(this, job, e);
        }
    }

    private void load(Job job) throws SQLException, InterruptedException {
        if (copy == null) {
            apply(job.settings());
            frozen = job.kind() == Job.Kind.FROZEN_COPY;
            copy = frozen ? FrozenCopy.begin(connection, job.sql(), job.tableSql())
                    : connection.unwrap(PGConnection.class).getCopyAPI().copyIn(job.sql());
        }
        CopyChunk chunk = job.chunk();
        copy.writeToCopy(chunk.data(), 0, chunk.length());
        jobs.recycle(chunk.data());
        if (chunk.tail() != null) {
            for (byte[] piece = chunk.tail().take(); piece != null; piece = chunk.tail().take()) {
                copy.writeToCopy(piece, 0, piece.length);
            }
        }
    }

    /** Applies the settings not applied yet: they only ever grow in dump order, so this brings the connection level. */
    private void apply(List<String> settings) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            for (; settingsApplied < settings.size(); settingsApplied++) {
                statement.execute(settings.get(settingsApplied));
            }
        }
    }
}
