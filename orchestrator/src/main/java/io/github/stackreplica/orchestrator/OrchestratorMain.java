package io.github.stackreplica.orchestrator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.kube.KubeClients;
import io.github.stackreplica.common.log.RunContext;
import io.github.stackreplica.dbrestore.DbRestoreMain;
import io.github.stackreplica.deploy.StackDeployMain;
import io.github.stackreplica.mediasync.MediaSyncMain;
import io.github.stackreplica.shutdown.StackShutdownMain;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Entry point of the orchestrator: a whole replication as a chain of step Jobs, or in-process with --runner local. */
public final class OrchestratorMain {

    private OrchestratorMain() {
    }

    public static void main(String[] args) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("RUN_ID", RunContext.runId(env));
        System.exit(new StepLauncher(env, System.out, System.err).launch(definition(env, System.out, System.err,
                () -> KubeClients.create("orchestrator"), programs()), args));
    }

    /** The step programs the local runner runs in-process, by program name: the same definitions their images run. */
    static Map<String, StepDefinition<?>> programs() {
        return Map.of(
                "db-restore", DbRestoreMain.definition(),
                "media-sync", MediaSyncMain.definition(),
                "stack-shutdown", StackShutdownMain.definition(() -> KubeClients.create("stack-shutdown")),
                "stack-deploy", StackDeployMain.definition(() -> KubeClients.create("stack-deploy")));
    }

    /**
     * The orchestrator as a step.
     *
     * @param env      the environment; its RUN_ID (set by main when absent) names this run
     * @param clients  makes the cluster client (not called for the local runner without a cluster)
     * @param programs the step programs for the local runner
     */
    public static StepDefinition<OrchestratorConfig> definition(Map<String, String> env, PrintStream out, PrintStream err,
                                                                Supplier<KubernetesClient> clients,
                                                                Map<String, StepDefinition<?>> programs) {
        String runId = RunContext.runId(env);
        return new StepDefinition<>("orchestrator", OrchestratorConfig.OPTIONS, OrchestratorConfig::parse, config -> {
            boolean needsClient = config.runner() == OrchestratorConfig.Runner.KUBERNETES
                    || config.local().clusterConfigured() && config.tagCheck().productionNamespace() != null;
            try (KubernetesClient client = needsClient ? clients.get() : null) {
                return new Orchestrator(config, runId, client, c -> localRunner(c, programs, runId, out, err), out,
                        Clock.systemUTC()).run();
            }
        });
    }

    private static StepRunner localRunner(OrchestratorConfig config, Map<String, StepDefinition<?>> programs,
                                          String runId, PrintStream out, PrintStream err) {
        try {
            Path workDir = Files.createTempDirectory("stack-replica-" + runId.replaceAll("[^A-Za-z0-9-]", "-"));
            LocalDatabase database = config.workflow().steps().contains(StepKind.DB_RESTORE)
                    ? LocalDatabase.open(config.local()) : null;
            return new LocalStepRunner(config, programs, runId, database, workDir, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
