package io.github.stackreplica.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.stackreplica.common.kube.KubeClients;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** Proves the wiring against a real API server and controllers: runs only where a Docker engine exists. */
@Testcontainers(disabledWithoutDocker = true)
class K3sSmokeIT {

    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

    @Test
    void createsANamespaceAndRunsATrivialJobToCompletion() {
        Config config = Config.fromKubeconfig(K3S.getKubeConfigYaml());
        try (KubernetesClient client = KubeClients.create("k3s-smoke", config)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("smoke").endMetadata().build())
                    .create();
            Job job = new JobBuilder()
                    .withNewMetadata().withName("hello").withNamespace("smoke").endMetadata()
                    .withNewSpec().withBackoffLimit(0)
                    .withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .addNewContainer().withName("hello").withImage("busybox:1.36").withCommand("true").endContainer()
                    .endSpec().endTemplate().endSpec().build();
            client.batch().v1().jobs().inNamespace("smoke").resource(job).create();
            Job done = client.batch().v1().jobs().inNamespace("smoke").withName("hello").waitUntilCondition(
                    j -> j != null && j.getStatus() != null && j.getStatus().getSucceeded() != null
                            && j.getStatus().getSucceeded() == 1, 5, TimeUnit.MINUTES);
            assertEquals(1, done.getStatus().getSucceeded());
        }
    }
}
