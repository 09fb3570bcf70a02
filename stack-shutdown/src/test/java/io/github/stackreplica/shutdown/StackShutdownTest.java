package io.github.stackreplica.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class StackShutdownTest {

    private static final String NS = "staging-stack";

    KubernetesClient client;
    @TempDir
    Path dir;

    private SimulatedCluster cluster;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void startStack() {
        cluster = SimulatedCluster.start(client);
        new StackFixture(client, NS).create();
        cluster.settle();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void shutdownDeletesTheApplicationAndItsPodsAndKeepsDatabaseAndMedia() throws Exception {
        assertEquals(0, shutdown());

        assertNull(client.apps().statefulSets().inNamespace(NS).withName("stack").get());
        assertNull(client.apps().statefulSets().inNamespace(NS).withName("worker").get());
        assertNull(client.apps().deployments().inNamespace(NS).withName("beat").get());
        assertNull(client.secrets().inNamespace(NS).withName("django").get());
        assertTrue(pods("stack").isEmpty() && pods("worker").isEmpty() && pods("beat").isEmpty(), "app pods gone");
        assertKept("StatefulSet database", client.apps().statefulSets().inNamespace(NS).withName("database").get());
        assertKept("Deployment redis", client.apps().deployments().inNamespace(NS).withName("redis").get());
        assertKept("Deployment pgbouncer", client.apps().deployments().inNamespace(NS).withName("pgbouncer").get());
        assertKept("Service pgbouncer", client.services().inNamespace(NS).withName("pgbouncer").get());
        assertKept("Secret database", client.secrets().inNamespace(NS).withName("database").get());
        assertKept("PVC media", client.persistentVolumeClaims().inNamespace(NS).withName("media").get());
        assertKept("Ingress stack", client.network().v1().ingresses().inNamespace(NS).withName("stack").get());
        assertEquals(1, pods("database").size());
        Map<String, Object> summary = termination();
        assertEquals("done", summary.get("outcome"));
        assertEquals(4, summary.get("deleted"));
    }

    @Test
    void removeMediaVolumeDeletesTheMediaClaimOnceThePodsMountingItAreGone() throws Exception {
        assertEquals(0, shutdown("--remove-media-volume"));

        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("media").get());
        assertKept("PVC database", client.persistentVolumeClaims().inNamespace(NS).withName("database").get());
        assertTrue(log().contains("Deleted PVC " + NS + "/media"), log());
    }

    @Test
    void wipeAlsoRemovesDatabaseRedisPgbouncerAndTheDatabaseVolumeButKeepsIngressAndCredentials() throws Exception {
        assertEquals(0, shutdown("--wipe"));

        assertNull(client.apps().statefulSets().inNamespace(NS).withName("database").get());
        assertNull(client.apps().deployments().inNamespace(NS).withName("redis").get());
        assertNull(client.apps().deployments().inNamespace(NS).withName("pgbouncer").get());
        assertNull(client.services().inNamespace(NS).withName("pgbouncer").get());
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("database").get());
        assertTrue(pods("database").isEmpty() && pods("redis").isEmpty() && pods("pgbouncer").isEmpty());
        assertKept("Ingress stack", client.network().v1().ingresses().inNamespace(NS).withName("stack").get());
        assertKept("Secret stack-tls", client.secrets().inNamespace(NS).withName("stack-tls").get());
        assertKept("Secret database", client.secrets().inNamespace(NS).withName("database").get());
        assertKept("PVC media", client.persistentVolumeClaims().inNamespace(NS).withName("media").get());
        assertTrue(((String) termination().get("message")).startsWith("Wiped the stack in " + NS));
    }

    @Test
    void wipeWithoutRemovingTheDatabaseVolumeKeepsTheDatabaseClaim() throws Exception {
        assertEquals(0, shutdown("--wipe", "--remove-database-volume=false"));

        assertNull(client.apps().statefulSets().inNamespace(NS).withName("database").get());
        assertKept("PVC database", client.persistentVolumeClaims().inNamespace(NS).withName("database").get());
    }

    @Test
    void secondRunFindsEverythingAbsentAndIsNothingToDo() throws Exception {
        assertEquals(0, shutdown("--wipe", "--remove-media-volume"));
        out.reset();

        assertEquals(0, shutdown("--wipe", "--remove-media-volume"));

        assertTrue(log().contains("StatefulSet " + NS + "/stack is absent: nothing to do"), log());
        assertFalse(log().contains("Deleted"), log());
        assertEquals(0, termination().get("deleted"));
        assertTrue(((String) termination().get("message")).contains("nothing to do"));
    }

    @Test
    void absentNamespaceIsNothingToDo() throws Exception {
        assertEquals(0, launch(new String[] {"--namespace", "never-created", "--wipe"}));

        assertTrue(((String) termination().get("message")).contains("never-created does not exist: nothing to do"));
    }

    @Test
    void protectedNamespaceIsRefusedAndNothingIsDeleted() throws Exception {
        new StackFixture(client, "fragalysis-production").create();

        assertEquals(3, launch(new String[] {"--namespace", "fragalysis-production", "--wipe"}));

        assertNotNull(client.apps().statefulSets().inNamespace("fragalysis-production").withName("stack").get());
        assertEquals("refused", termination().get("outcome"));
    }

    @Test
    void dryRunListsWhatWouldBeDeletedAndChangesNothing() throws Exception {
        assertEquals(0, shutdown("--wipe", "--remove-media-volume", "--dry-run"));

        assertNotNull(client.apps().statefulSets().inNamespace(NS).withName("stack").get());
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("database").get());
        String message = (String) termination().get("message");
        assertTrue(message.startsWith("Dry run: would delete StatefulSet " + NS + "/stack"), message);
        assertTrue(message.contains("PVC " + NS + "/media") && message.contains("PVC " + NS + "/database"), message);
        assertFalse(message.contains("Ingress"), message);
    }

    @Test
    void timeoutNamesTheClaimItsFinalizerAndThePodStillMountingIt() throws Exception {
        new StackFixture(client, NS).podMounting("media-sync-x7k2p", "media");

        assertEquals(4, shutdown("--remove-media-volume", "--timeout", "500ms"));

        String message = (String) termination().get("message");
        assertTrue(message.startsWith("Timed out after 500ms waiting for PVC " + NS + "/media to be gone"), message);
        assertTrue(message.contains("kubernetes.io/pvc-protection"), message);
        assertTrue(message.contains("still mounted by pod " + NS + "/media-sync-x7k2p"), message);
    }

    @Test
    void missingNamespaceIsAUsageError() {
        assertEquals(2, launch(new String[0]));
    }

    private int shutdown(String... args) {
        List<String> all = new ArrayList<>(List.of("--namespace", NS));
        all.addAll(List.of(args));
        return launch(all.toArray(String[]::new));
    }

    private int launch(String[] args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--poll-interval", "20ms"));
        if (!all.contains("--timeout")) {
            all.addAll(List.of("--timeout", "5s"));
        }
        Map<String, String> env = Map.of("TERMINATION_LOG", dir.resolve("termination-log").toString());
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new StepLauncher(env, stream, stream).launch(
                StackShutdownMain.definition(() -> KubeClients.create("stack-shutdown", client.getConfiguration())),
                all.toArray(String[]::new));
    }

    private List<String> pods(String name) {
        return client.pods().inNamespace(NS).withLabel("name", name).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).toList();
    }

    private String log() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, Object> termination() throws Exception {
        return TerminationMessage.parse(Files.readString(dir.resolve("termination-log")));
    }

    private static void assertKept(String what, Object object) {
        assertNotNull(object, what + " should be kept");
    }
}
