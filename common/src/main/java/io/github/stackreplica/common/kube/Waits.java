package io.github.stackreplica.common.kube;

import io.github.stackreplica.common.cli.Durations;
import io.github.stackreplica.common.cli.StepException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polling waits with an explicit timeout. A timeout fails with exit 4 and a message naming the object, the condition
 * and the limit, plus what the caller can say about the state it last saw.
 */
public final class Waits {

    /** How often a wait polls unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(Waits.class);

    private Waits() {
    }

    /**
     * What to wait for.
     *
     * @param object    the object as a person names it, e.g. {@code StatefulSet staging/stack}
     * @param condition what it should become, e.g. {@code ready} or {@code gone}
     * @param timeout   how long to wait at most
     * @param interval  how long to sleep between polls
     */
    public record Wait(String object, String condition, Duration timeout, Duration interval) {

        public static Wait of(String object, String condition, Duration timeout) {
            return new Wait(object, condition, timeout, DEFAULT_INTERVAL);
        }

        public Wait withInterval(Duration newInterval) {
            return new Wait(object, condition, timeout, newInterval);
        }
    }

    /**
     * Polls {@code probe} until {@code done} accepts its value and returns that value. The probe may return null (an
     * object that does not exist); a predicate that throws {@link NullPointerException} on a half-filled object counts
     * as "not yet".
     *
     * @param detail what to add to the timeout message about the last value seen (may return an empty string)
     * @throws StepException exit 4 on timeout
     */
    public static <T> T until(Wait wait, Supplier<T> probe, Predicate<T> done, Function<T, String> detail) {
        long deadline = System.nanoTime() + wait.timeout().toNanos();
        while (true) {
            T value = probe.get();
            if (test(done, value)) {
                return value;
            }
            if (System.nanoTime() - deadline >= 0) {
                String more = detail.apply(value);
                throw StepException.timedOut("Timed out after " + Durations.format(wait.timeout()) + " waiting for "
                        + wait.object() + " to be " + wait.condition() + (more == null || more.isBlank() ? "" : ": " + more));
            }
            LOG.debug("Waiting for {} to be {}", wait.object(), wait.condition());
            sleep(wait.interval(), wait);
        }
    }

    /** Polls {@code probe} until {@code done} accepts its value; see {@link #until(Wait, Supplier, Predicate, Function)}. */
    public static <T> T until(Wait wait, Supplier<T> probe, Predicate<T> done) {
        return until(wait, probe, done, value -> "");
    }

    private static <T> boolean test(Predicate<T> done, T value) {
        try {
            return done.test(value);
        } catch (NullPointerException e) {
            return false;
        }
    }

    private static void sleep(Duration interval, Wait wait) {
        try {
            Thread.sleep(Math.max(1, interval.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StepException.failed("Interrupted while waiting for " + wait.object() + " to be " + wait.condition());
        }
    }
}
