package io.github.stackreplica.orchestrator;

import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.cli.UsageException;

/** Entry point of orchestrator: Runs a whole replication (full, db-only, media-only, wipe) as a chain of step Jobs. Not implemented yet: it prints its usage and exits 2. */
public final class OrchestratorMain {

    static final StepOptions OPTIONS = new StepOptions("orchestrator", "Runs a whole replication (full, db-only, media-only, wipe) as a chain of step Jobs. (not implemented yet)");

    private OrchestratorMain() {
    }

    public static void main(String[] args) {
        System.exit(StepLauncher.forProcess().launch(new StepDefinition<>("orchestrator", OPTIONS,
                (arguments, env) -> {
                    throw new UsageException("orchestrator is not implemented yet");
                },
                config -> null), args));
    }
}
