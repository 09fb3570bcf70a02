package io.github.stackreplica.common.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a step ended: its exit code, a one-line message for a person, and the figures it measured
 * (counts, bytes, durations) in the order they should be reported.
 */
public record StepResult(ExitCode exitCode, String message, Map<String, Object> figures) {

    public StepResult {
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(message, "message");
        figures = figures == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    public static StepResult done(String message) {
        return new StepResult(ExitCode.DONE, message, Map.of());
    }

    public static StepResult done(String message, Map<String, Object> figures) {
        return new StepResult(ExitCode.DONE, message, figures);
    }

    public static StepResult of(StepException e) {
        return new StepResult(e.exitCode(), e.getMessage() == null ? e.toString() : e.getMessage(), e.figures());
    }
}
