package io.github.stackreplica.common.log;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/** The run id and step name carried in the logging MDC, and their propagation to worker threads. */
public final class RunContext {

    public static final String STEP = "step";
    public static final String RUN = "run";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunContext() {
    }

    /** The run id from {@code RUN_ID}, or a new one such as {@code 20261125-135530-3f9a}. */
    public static String runId(Map<String, String> env) {
        String given = env.get("RUN_ID");
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        return STAMP.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
                + Integer.toHexString(0x10000 | ThreadLocalRandom.current().nextInt(0x10000)).substring(1);
    }

    /** Puts the step and run into this thread's MDC. */
    public static void enter(String step, String runId) {
        MDC.put(STEP, step);
        MDC.put(RUN, runId);
    }

    /** Wraps a task so that it runs with the MDC of the thread that wrapped it (for executor threads). */
    public static Runnable propagate(Runnable task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            setContext(context);
            try {
                task.run();
            } finally {
                setContext(previous);
            }
        };
    }

    /** Wraps a task so that it runs with the MDC of the thread that wrapped it (for executor threads). */
    public static <T> Callable<T> propagate(Callable<T> task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            setContext(context);
            try {
                return task.call();
            } finally {
                setContext(previous);
            }
        };
    }

    private static void setContext(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
