package io.github.stackreplica.shutdown;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.kube.KubeClients;
import java.util.function.Supplier;

/** Entry point of stack-shutdown: takes the stack in a namespace down, optionally wiping its database and volumes. */
public final class StackShutdownMain {

    private StackShutdownMain() {
    }

    public static void main(String[] args) {
        System.exit(StepLauncher.forProcess().launch(definition(() -> KubeClients.create("stack-shutdown")), args));
    }

    /**
     * The step for {@link StepLauncher#launch}.
     *
     * @param clients makes the Kubernetes client a run uses; the run closes it
     */
    public static StepDefinition<StackShutdownConfig> definition(Supplier<KubernetesClient> clients) {
        return new StepDefinition<>("stack-shutdown", StackShutdownConfig.OPTIONS, StackShutdownConfig::parse,
                config -> {
                    try (KubernetesClient client = clients.get()) {
                        return new StackShutdown(config, client).run();
                    }
                });
    }
}
