package io.github.stackreplica.deploy;

import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.cli.UsageException;

/** Entry point of stack-deploy: Brings the target stack up at a given image tag. Not implemented yet: it prints its usage and exits 2. */
public final class StackDeployMain {

    static final StepOptions OPTIONS = new StepOptions("stack-deploy", "Brings the target stack up at a given image tag. (not implemented yet)");

    private StackDeployMain() {
    }

    public static void main(String[] args) {
        System.exit(StepLauncher.forProcess().launch(new StepDefinition<>("stack-deploy", OPTIONS,
                (arguments, env) -> {
                    throw new UsageException("stack-deploy is not implemented yet");
                },
                config -> null), args));
    }
}
