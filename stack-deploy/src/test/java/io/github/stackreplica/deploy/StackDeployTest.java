package io.github.stackreplica.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.TerminationMessage;
import io.github.stackreplica.common.kube.KubeClients;
import io.github.stackreplica.testsupport.SimulatedCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class StackDeployTest {

    private static final String NS = "staging-stack";
    private static final String IMAGE = "xchem/fragalysis-stack";

    KubernetesClient client;
    @TempDir
    Path dir;

    private SimulatedCluster cluster;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startCluster() {
        cluster = SimulatedCluster.start(client);
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void infraThenAppBringsTheStackUpWithTheTagOnStackWorkerAndBeat() throws Exception {
        assertEquals(0, deploy("--components", "infra", "--stack-hostname", "staging.example.org"));

        assertTrue(Readiness.isReady(client.apps().statefulSets().inNamespace(NS).withName("database").get()));
        assertTrue(Readiness.isReady(client.apps().deployments().inNamespace(NS).withName("redis").get()));
        assertTrue(Readiness.isReady(client.apps().deployments().inNamespace(NS).withName("pgbouncer").get()));
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("media").get());
        assertEquals("staging.example.org", client.network().v1().ingresses().inNamespace(NS).withName("stack").get()
                .getSpec().getRules().get(0).getHost());
        assertNull(client.apps().statefulSets().inNamespace(NS).withName("stack").get(), "infra deploys no app");

        assertEquals(0, deploy("--components", "app", "--stack-image-tag", "2.3.4"));

        for (String workload : List.of("stack", "worker")) {
            var set = client.apps().statefulSets().inNamespace(NS).withName(workload).get();
            assertEquals(IMAGE + ":2.3.4", set.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertTrue(Readiness.isReady(set), workload);
        }
        var beat = client.apps().deployments().inNamespace(NS).withName("beat").get();
        assertEquals(IMAGE + ":2.3.4", beat.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(IMAGE + ":2.3.4", pod("stack-0").getSpec().getContainers().get(0).getImage());
        Map<String, Object> summary = termination();
        assertEquals("done", summary.get("outcome"));
        assertEquals(IMAGE + ":2.3.4", summary.get("stackImage"));
        assertEquals(3, summary.get("workloadsReady"));
    }

    @Test
    void secretsAreCreatedOnceWithRandomValuesAndKeptAcrossRedeploys() throws Exception {
        assertEquals(0, deploy("--stack-image-tag", "1.0.0", "--stack-hostname", "h.example.org"));
        Secret database = client.secrets().inNamespace(NS).withName("database").get();
        Secret django = client.secrets().inNamespace(NS).withName("django").get();
        Map<String, String> first = decoded(database);
        assertEquals(List.of("host", "port", "root_password", "root_user", "user_password"),
                first.keySet().stream().sorted().toList());
        assertEquals(24, first.get("root_password").length());
        assertNotEquals(first.get("root_password"), first.get("user_password"));

        assertEquals(0, deploy("--stack-image-tag", "1.0.1", "--stack-hostname", "h.example.org"));

        assertEquals(first, decoded(client.secrets().inNamespace(NS).withName("database").get()));
        assertEquals(decoded(django), decoded(client.secrets().inNamespace(NS).withName("django").get()));
        assertTrue(log().contains("Kept existing Secret " + NS + "/database"), log());
        assertEquals(IMAGE + ":1.0.1", pod("worker-0").getSpec().getContainers().get(0).getImage());
    }

    @Test
    void redeployUpdatesInPlaceAndKeepsFieldsOthersOwn() throws Exception {
        assertEquals(0, deploy("--stack-image-tag", "1.0.0", "--stack-hostname", "h.example.org"));
        client.services().inNamespace(NS).withName("stack").edit(s -> {
            s.getSpec().setClusterIP("10.43.7.9");
            s.getMetadata().getAnnotations().put("owner.example.org/note", "kept");
            return s;
        });

        assertEquals(0, deploy("--stack-image-tag", "1.1.0", "--stack-hostname", "h.example.org",
                "--set", "STACK_REPLICAS=2"));

        var service = client.services().inNamespace(NS).withName("stack").get();
        assertEquals("10.43.7.9", service.getSpec().getClusterIP());
        assertEquals("kept", service.getMetadata().getAnnotations().get("owner.example.org/note"));
        assertEquals(2, client.apps().statefulSets().inNamespace(NS).withName("stack").get().getSpec().getReplicas());
        assertEquals(IMAGE + ":1.1.0", pod("stack-1").getSpec().getContainers().get(0).getImage());
        assertEquals(0, termination().get("created"));
    }

    @Test
    void badImageFailsFastNamingPodContainerImageAndReason() throws Exception {
        cluster.failImage(IMAGE + ":typo", "ErrImagePull");
        long start = System.nanoTime();

        assertEquals(1, deploy("--stack-image-tag", "typo", "--stack-hostname", "h.example.org", "--timeout", "1m"));

        assertTrue(System.nanoTime() - start < 30_000_000_000L, "failed fast, not after the timeout");
        String message = (String) termination().get("message");
        assertTrue(message.contains("Pod " + NS + "/stack-0 of StatefulSet " + NS + "/stack")
                || message.contains("Pod " + NS + "/worker-0 of StatefulSet " + NS + "/worker")
                || message.contains("of Deployment " + NS + "/beat"), message);
        assertTrue(message.contains("(image " + IMAGE + ":typo) is in ErrImagePull"), message);
    }

    @Test
    void timeoutListsWhatIsNotReadyAndEachPodsState() throws Exception {
        cluster.failImage(IMAGE + ":slow", "ContainerCreating");
        assertEquals(0, deploy("--components", "infra", "--stack-hostname", "h.example.org"));

        assertEquals(4, deploy("--components", "app", "--stack-image-tag", "slow", "--timeout", "2s"));

        String message = (String) termination().get("message");
        assertTrue(message.startsWith("Timed out after 2s waiting for "), message);
        assertTrue(message.contains("StatefulSet " + NS + "/stack 0/1 ready, pod stack-0 Pending "
                + "(container stack waiting: ContainerCreating"), message);
        assertTrue(message.contains("Deployment " + NS + "/beat 0/1 available"), message);
    }

    @Test
    void unknownSetVariableIsAUsageErrorNamingIt() {
        assertEquals(2, deploy("--stack-image-tag", "1.0.0", "--stack-hostname", "h", "--set", "NO_SUCH_THING=1"));

        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--set NO_SUCH_THING"), err.toString());
        assertNull(client.namespaces().withName(NS).get(), "nothing written");
    }

    @Test
    void missingVariableIsAUsageErrorNamingItAndItsFileBeforeAnyWrite() {
        assertEquals(2, deploy("--components", "infra"));

        String error = err.toString(StandardCharsets.UTF_8);
        assertTrue(error.contains("Template ingress-stack.yaml uses ${STACK_HOSTNAME}"), error);
        assertTrue(client.persistentVolumeClaims().inNamespace(NS).list().getItems().isEmpty());
    }

    @Test
    void invalidImageTagIsAUsageError() {
        assertEquals(2, deploy("--stack-image-tag", "1.0:latest", "--stack-hostname", "h"));

        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--stack-image-tag"), err.toString());
    }

    @Test
    void protectedNamespaceIsRefused() throws Exception {
        assertEquals(3, launch("--namespace", "kube-system", "--stack-image-tag", "1.0.0", "--stack-hostname", "h"));

        assertTrue(client.apps().statefulSets().inNamespace("kube-system").list().getItems().isEmpty());
        assertEquals("refused", termination().get("outcome"));
    }

    @Test
    void dryRunListsWhatWouldBeCreatedAndWritesNothing() throws Exception {
        assertEquals(0, deploy("--stack-image-tag", "1.0.0", "--stack-hostname", "h", "--dry-run"));

        assertNull(client.namespaces().withName(NS).get());
        assertTrue(client.apps().statefulSets().inNamespace(NS).list().getItems().isEmpty());
        @SuppressWarnings("unchecked")
        List<String> plan = (List<String>) termination().get("plan");
        assertTrue(plan.contains("created StatefulSet " + NS + "/stack"), plan.toString());
        assertTrue(plan.contains("created Secret " + NS + "/database"), plan.toString());
        assertEquals(1, plan.stream().filter(line -> line.endsWith("Secret " + NS + "/django")).count(), plan.toString());
    }

    @Test
    void ownManifestsDirectoryIsRenderedWithItsDefaultsAndSets() throws Exception {
        Files.writeString(dir.resolve("configmap-greeting.yaml"), """
                # component: app
                kind: ConfigMap
                apiVersion: v1
                metadata:
                  name: greeting
                data:
                  text: "${GREETING}, ${WHO}"
                  literal: "$${NOT_A_VARIABLE}"
                """);
        Files.writeString(dir.resolve("defaults.env"), "GREETING=hello\nWHO=world\n");

        assertEquals(0, deploy("--components", "app", "--stack-image-tag", "1", "--manifests", dir.toString(),
                "--set", "WHO=staging"));

        Map<String, String> data = client.configMaps().inNamespace(NS).withName("greeting").get().getData();
        assertEquals("hello, staging", data.get("text"));
        assertEquals("${NOT_A_VARIABLE}", data.get("literal"));
        assertNull(client.apps().statefulSets().inNamespace(NS).withName("stack").get());
    }

    @Test
    void templatePuttingAnObjectInAnotherNamespaceIsRefusedBeforeAnyWrite() throws Exception {
        Files.writeString(dir.resolve("configmap.yaml"), """
                # component: infra
                kind: ConfigMap
                apiVersion: v1
                metadata:
                  name: elsewhere
                  namespace: fragalysis-production
                """);

        assertEquals(2, deploy("--components", "infra", "--manifests", dir.toString()));

        assertTrue(err.toString(StandardCharsets.UTF_8).contains("puts ConfigMap elsewhere in namespace "
                + "fragalysis-production, not in --namespace " + NS), err.toString());
        assertNull(client.configMaps().inNamespace("fragalysis-production").withName("elsewhere").get());
    }

    private int deploy(String... args) {
        List<String> all = new ArrayList<>(List.of("--namespace", NS));
        all.addAll(List.of(args));
        return launch(all.toArray(String[]::new));
    }

    private int launch(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--poll-interval", "20ms"));
        if (!all.contains("--timeout")) {
            all.addAll(List.of("--timeout", "20s"));
        }
        Map<String, String> env = Map.of("TERMINATION_LOG", dir.resolve("termination-log").toString());
        return new StepLauncher(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).launch(
                StackDeployMain.definition(() -> KubeClients.create("stack-deploy", client.getConfiguration())),
                all.toArray(String[]::new));
    }

    private Pod pod(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> values = new java.util.TreeMap<>();
        secret.getData().forEach((key, value) ->
                values.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        return values;
    }

    private String log() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, Object> termination() throws Exception {
        return TerminationMessage.parse(Files.readString(dir.resolve("termination-log")));
    }
}
