package io.github.stackreplica.orchestrator;

/** Runs one planned step to its end and says how it ended; it never throws for a failed step. */
public interface StepRunner extends AutoCloseable {

    StepOutcome run(StepPlan step);

    /** Releases what the runner holds for the whole run (an embedded database server). */
    @Override
    default void close() {
    }
}
