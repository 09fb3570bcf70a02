package io.github.stackreplica.common.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.stackreplica.common.BuildInfo;

/**
 * The one place Kubernetes clients are made: {@code KUBECONFIG}, {@code ~/.kube/config} or the in-cluster service
 * account (fabric8's auto-configuration), with the user agent {@code stack-replica/<step>/<version>}.
 */
public final class KubeClients {

    private KubeClients() {
    }

    /** A client configured from the environment, as a step running in a pod or on a laptop needs. */
    public static KubernetesClient create(String step) {
        return create(step, Config.autoConfigure(null));
    }

    /** A client on an explicit base configuration (tests pass the mock server's). */
    public static KubernetesClient create(String step, Config base) {
        Config config = new ConfigBuilder(base).withUserAgent(userAgent(step)).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** {@code stack-replica/<step>/<version>}, which API server audit logs show for every call. */
    public static String userAgent(String step) {
        return "stack-replica/" + step + "/" + BuildInfo.version();
    }
}
