package io.github.stackreplica.common.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.StepException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitsTest {

    private static final Duration FAST = Duration.ofMillis(5);

    @Test
    void returnsTheFirstValueThatMeetsTheCondition() {
        AtomicInteger polls = new AtomicInteger();
        Integer value = Waits.until(new Waits.Wait("Counter c", "three", Duration.ofSeconds(5), FAST),
                polls::incrementAndGet, n -> n == 3);
        assertEquals(3, value);
    }

    @Test
    void timeoutExitsFourNamingObjectConditionLimitAndDetail() {
        StepException e = assertThrows(StepException.class, () -> Waits.until(
                new Waits.Wait("StatefulSet staging/stack", "ready", Duration.ofMillis(50), FAST),
                () -> "1/2 ready", s -> false, s -> "last seen " + s));
        assertEquals(ExitCode.TIMED_OUT, e.exitCode());
        assertEquals("Timed out after 50ms waiting for StatefulSet staging/stack to be ready: last seen 1/2 ready",
                e.getMessage());
    }

    @Test
    void predicateThatTripsOnNullCountsAsNotYet() {
        AtomicInteger polls = new AtomicInteger();
        String value = Waits.until(new Waits.Wait("Pod p", "running", Duration.ofSeconds(5), FAST),
                () -> polls.incrementAndGet() < 3 ? null : "Running", s -> s.equals("Running"));
        assertEquals("Running", value);
        assertTrue(polls.get() >= 3);
    }
}
