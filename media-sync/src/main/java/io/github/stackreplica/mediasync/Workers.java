package io.github.stackreplica.mediasync;

import io.github.stackreplica.common.log.RunContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fixed pool of threads carrying the caller's logging context, and a wait until every task submitted so far (and
 * every task those submitted) has finished: walking a tree submits one task per directory from inside tasks.
 */
final class Workers implements AutoCloseable {

    private final ExecutorService pool;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Object idle = new Object();

    Workers(int threads) {
        AtomicInteger number = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, task -> {
            // The logging context is set once per thread (threads start from the run's threads), not per task: a
            // first copy submits 135,000 tasks.
            Thread thread = new Thread(RunContext.propagate(task), "media-sync-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code task} on a worker; an unexpected exception from it is rethrown by {@link #awaitIdle()}. */
    void submit(Runnable task) {
        pending.incrementAndGet();
        pool.execute(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            } finally {
                if (pending.decrementAndGet() == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
            }
        });
    }

    /** Waits until no task is pending, then rethrows the first unexpected exception a task threw. */
    void awaitIdle() throws InterruptedException {
        synchronized (idle) {
            while (pending.get() > 0) {
                idle.wait();
            }
        }
        Throwable thrown = failure.getAndSet(null);
        if (thrown instanceof RuntimeException e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
