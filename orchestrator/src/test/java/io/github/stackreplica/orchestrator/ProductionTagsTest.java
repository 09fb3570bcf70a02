package io.github.stackreplica.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.StepException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ProductionTagsTest {

    KubernetesClient client;

    /** Serves {@code body} at /version/ on a free port and returns the server (stop it when done). */
    static HttpServer versionEndpoint(int status, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/version/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    static URI base(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void readsTheTagOfTheStackContainerInTheProductionNamespace() {
        client.apps().statefulSets().inNamespace("production").resource(new StatefulSetBuilder()
                .withNewMetadata().withName("stack").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("sidecar").withImage("busybox:1.36").endContainer()
                .addNewContainer().withName("stack").withImage("registry:5000/xchem/fragalysis-stack:2024.11.3")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        assertEquals("2024.11.3", ProductionTags.fromNamespace(client, "production", "stack"));
    }

    @Test
    void missingProductionStatefulSetFailsNamingIt() {
        StepException e = assertThrows(StepException.class,
                () -> ProductionTags.fromNamespace(client, "production", "stack"));
        assertEquals(ExitCode.FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("production/stack"), e.getMessage());
    }

    @Test
    void readsTheTagFromTheStacksVersionEndpoint() throws Exception {
        HttpServer server = versionEndpoint(200, "{\"version\": {\"stack\": \"production-stack:2.3.4\", \"b\": 1}}");
        try {
            assertEquals("2.3.4", ProductionTags.fromUrl(base(server)));
            assertEquals("2.3.4", ProductionTags.fromUrl(URI.create(base(server) + "/version/")));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void versionEndpointWithoutAStackVersionOrWithAnErrorFails() throws Exception {
        HttpServer server = versionEndpoint(200, "{\"version\": {}}");
        HttpServer broken = versionEndpoint(503, "down");
        try {
            assertThrows(StepException.class, () -> ProductionTags.fromUrl(base(server)));
            StepException e = assertThrows(StepException.class, () -> ProductionTags.fromUrl(base(broken)));
            assertTrue(e.getMessage().contains("503"), e.getMessage());
        } finally {
            server.stop(0);
            broken.stop(0);
        }
    }

    @Test
    void tagOfIgnoresRegistryPortsAndDigests() {
        assertEquals("1.0", ProductionTags.tagOf("localhost:5000/x/y:1.0"));
        assertEquals("latest", ProductionTags.tagOf("localhost:5000/x/y"));
        assertEquals("1.0", ProductionTags.tagOf("x/y:1.0@sha256:abc"));
    }
}
