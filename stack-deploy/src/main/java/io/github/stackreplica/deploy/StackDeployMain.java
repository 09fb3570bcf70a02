package io.github.stackreplica.deploy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.kube.KubeClients;
import java.util.function.Supplier;

/** Entry point of stack-deploy: brings the stack in a namespace up at a given image tag. */
public final class StackDeployMain {

    private StackDeployMain() {
    }

    public static void main(String[] args) {
        System.exit(StepLauncher.forProcess().launch(definition(() -> KubeClients.create("stack-deploy")), args));
    }

    /**
     * The step for {@link StepLauncher#launch}.
     *
     * @param clients makes the Kubernetes client a run uses; the run closes it
     */
    public static StepDefinition<StackDeployConfig> definition(Supplier<KubernetesClient> clients) {
        return new StepDefinition<>("stack-deploy", StackDeployConfig.OPTIONS, StackDeployConfig::parse,
                config -> {
                    try (KubernetesClient client = clients.get()) {
                        return new StackDeploy(config, client).run();
                    }
                });
    }
}
