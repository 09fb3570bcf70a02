package io.github.stackreplica.shutdown;

import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.cli.UsageException;

/** Entry point of stack-shutdown: Takes the target stack down (optionally wiping its database and volumes). Not implemented yet: it prints its usage and exits 2. */
public final class StackShutdownMain {

    static final StepOptions OPTIONS = new StepOptions("stack-shutdown", "Takes the target stack down (optionally wiping its database and volumes). (not implemented yet)");

    private StackShutdownMain() {
    }

    public static void main(String[] args) {
        System.exit(StepLauncher.forProcess().launch(new StepDefinition<>("stack-shutdown", OPTIONS,
                (arguments, env) -> {
                    throw new UsageException("stack-shutdown is not implemented yet");
                },
                config -> null), args));
    }
}
