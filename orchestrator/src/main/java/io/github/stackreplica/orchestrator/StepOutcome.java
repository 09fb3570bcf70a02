package io.github.stackreplica.orchestrator;

import io.github.stackreplica.common.cli.ExitCode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one step ended, as its Job (or in-process run) reported it.
 *
 * @param where   the Job name, or {@code in-process}
 * @param skipped true when the step did not run (a cluster step under the local runner without a cluster)
 * @param figures what the step's termination message reported beyond step/outcome/exitCode/message
 */
public record StepOutcome(StepKind kind, String where, ExitCode exitCode, String message, Map<String, Object> figures,
                          Duration duration, boolean skipped) {

    public StepOutcome {
        figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    public boolean succeeded() {
        return exitCode == ExitCode.DONE;
    }

    /** The outcome word for the report: the exit code's, or {@code skipped}. */
    public String outcome() {
        return skipped ? "skipped" : exitCode.outcome();
    }
}
