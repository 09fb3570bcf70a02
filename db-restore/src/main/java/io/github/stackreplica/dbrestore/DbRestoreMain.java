package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.cli.UsageException;

/** Entry point of db-restore: Restores a production PostgreSQL backup into the target stack's database. Not implemented yet: it prints its usage and exits 2. */
public final class DbRestoreMain {

    static final StepOptions OPTIONS = new StepOptions("db-restore", "Restores a production PostgreSQL backup into the target stack's database. (not implemented yet)");

    private DbRestoreMain() {
    }

    public static void main(String[] args) {
        System.exit(StepLauncher.forProcess().launch(new StepDefinition<>("db-restore", OPTIONS,
                (arguments, env) -> {
                    throw new UsageException("db-restore is not implemented yet");
                },
                config -> null), args));
    }
}
