package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.stackreplica.common.cli.StepException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JobQueueTest {

    private final Map<String, Long> rows = new HashMap<>();
    private final JobQueue queue = new JobQueue("db", 2, rows::put);
    /** Workers only as the queue's keys: never started, their jobs are taken by the test. */
    private final JobWorker a = new JobWorker(null, "a", queue);
    private final JobWorker b = new JobWorker(null, "b", queue);

    private static Job chunk(String table, long line) {
        return new Job(Job.Kind.FROZEN_COPY, "COPY " + table + " FROM stdin", line,
                List.of(new Job.Lock(table, Job.Mode.LOAD)), List.of(), new CopyChunk(new byte[0], 0, null), table);
    }

    private static Job index(String table) {
        return new Job(Job.Kind.INDEX, "CREATE INDEX ON " + table, 99, List.of(new Job.Lock(table, Job.Mode.SHARED)),
                List.of(), null, null);
    }

    private CompletableFuture<Job> next(JobWorker worker) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return queue.next(worker);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void anIndexWaitsUntilEveryCopyOfItsTableHasEnded() throws Exception {
        queue.feeding(10);
        Job first = chunk("t", 10);
        queue.add(first);
        assertSame(first, queue.next(a));
        Job build = index("t");
        queue.add(build);
        CompletableFuture<Job> other = next(b);
        Thread.sleep(300);
        assertFalse(other.isDone(), "the table is still loading");
        queue.fed(10);
        assertSame(JobQueue.END_COPY, queue.next(a));
        queue.copyEnded(a, 1000);
        assertSame(build, other.get(5, TimeUnit.SECONDS));
        assertEquals(1000L, rows.get("t"));
    }

    @Test
    void aFrozenBlockStaysOnTheWorkerThatOpenedItWhileAnotherTableGoesToTheOtherWorker() throws Exception {
        queue.feeding(10);
        Job first = chunk("t", 10);
        Job second = chunk("t", 10);
        queue.add(first);
        queue.add(second);
        assertSame(first, queue.next(a));
        CompletableFuture<Job> other = next(b);
        Thread.sleep(300);
        assertFalse(other.isDone(), "b may not open a second COPY FREEZE of the block a holds");
        assertSame(second, queue.next(a));
        queue.fed(10);
        queue.feeding(20);
        Job nextTable = chunk("u", 20);
        queue.add(nextTable);
        assertSame(nextTable, other.get(5, TimeUnit.SECONDS));
        assertSame(JobQueue.END_COPY, queue.next(a), "a ends its COPY: its block has no more data");
    }

    @Test
    void aWorkersSqlErrorNamesTheCopyStatementsLineAndStopsTheReader() throws Exception {
        queue.feeding(10);
        queue.add(chunk("t", 10));
        queue.next(a);
        queue.failed(a, JobQueue.END_COPY, new SQLException("invalid input syntax for type integer: \"x\""));
        StepException error = assertThrows(StepException.class, () -> queue.add(chunk("t", 10)));
        assertEquals("SQL error at line 10 of the dump (COPY t FROM stdin): invalid input syntax for type integer: \"x\"",
                error.getMessage());
        assertEquals(null, queue.next(b), "the other workers stop");
    }
}
