package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import java.time.Clock;

/** Entry point of db-restore: restores a production PostgreSQL backup into the target stack's database. */
public final class DbRestoreMain {

    private DbRestoreMain() {
    }

    /** The step as the launcher (and the orchestrator, in-process) runs it. */
    public static StepDefinition<DbRestoreConfig> definition() {
        return definition(Clock.systemUTC());
    }

    /** The step with a given clock (backup ages and settle time), for tests. */
    public static StepDefinition<DbRestoreConfig> definition(Clock clock) {
        return new StepDefinition<>("db-restore", DbRestoreConfig.OPTIONS, DbRestoreConfig::parse,
                config -> new DbRestore(config, clock).run());
    }

    public static void main(String[] args) {
        System.exit(StepLauncher.forProcess().launch(definition(), args));
    }
}
