package io.github.stackreplica.mediasync;

import io.github.stackreplica.common.log.RunContext;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a progress line every {@code --progress-interval} until closed; the line comes from the current phase. */
final class ProgressLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

    private final ScheduledExecutorService timer;
    private volatile Supplier<String> line = () -> null;

    ProgressLog(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "media-sync-progress");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        timer.scheduleAtFixedRate(RunContext.propagate(this::log), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** From now on, log what {@code next} says (nothing while it returns null). */
    void show(Supplier<String> next) {
        line = next;
    }

    private void log() {
        String text = line.get();
        if (text != null) {
            LOG.info("{}", text);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
