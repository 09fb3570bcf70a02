package io.github.stackreplica.common.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.stackreplica.common.BuildInfo;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubeClientsTest {

    KubernetesMockServer server;
    KubernetesClient mockClient;

    @Test
    void clientIdentifiesItselfWithStepAndVersion() throws Exception {
        try (KubernetesClient client = KubeClients.create("media-sync", mockClient.getConfiguration())) {
            client.namespaces().list();
        }
        RecordedRequest request = server.getLastRequest();
        assertEquals("stack-replica/media-sync/" + BuildInfo.version(), request.getHeader("User-Agent"));
        assertTrue(BuildInfo.version().matches("\\d+\\.\\d+\\.\\d+.*"), BuildInfo.version());
    }
}
