package io.github.stackreplica.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.StepResult;
import io.github.stackreplica.common.cli.TerminationMessage;
import io.github.stackreplica.common.kube.KubeClients;
import io.github.stackreplica.testsupport.JobRun;
import io.github.stackreplica.testsupport.SimulatedCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator end to end on the simulated cluster, with stand-in step workloads that record what they were asked
 * to do (the real step programs run as workloads in {@code ReplicationIT}).
 */
@EnableKubernetesMockClient(crud = true)
class OrchestratorTest {

    static final String NS = "staging-stack";
    static final String REGISTRY = "ghcr.io/stack-replica/stack-replica-";

    KubernetesClient client;

    @TempDir
    Path dir;

    private SimulatedCluster cluster;
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, String>> envByStep = Collections.synchronizedMap(new HashMap<>());
    private final Map<String, JobRun> results = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void startCluster() {
        // What stack-deploy's infra step leaves behind, and db-restore's Job reads its credentials from.
        client.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("database").endMetadata().addToStringData("host", "database").addToStringData("port", "5432")
                .addToStringData("root_user", "postgres").addToStringData("root_password", "pw").build()).create();
        cluster = SimulatedCluster.start(client);
        cluster.runJobsWithImage(REGISTRY, (job, env) -> {
            String step = job.getMetadata().getLabels().get(StepJobs.LABEL_STEP);
            ran.add(step);
            envByStep.put(step, env);
            return results.getOrDefault(step, new JobRun(0, TerminationMessage.render(step, env.get("RUN_ID"),
                    StepResult.done(step + " ok", step.equals("db-restore")
                            ? Map.of("backup", "/backup/daily/backup-2026-11-25T02:04:01Z-dumpall.sql.gz", "tables", 3)
                            : Map.of()))));
        });
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private int run(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("RUN_ID", "run-1");
        env.put("TERMINATION_LOG", dir.resolve("termination-log").toString());
        env.put("POLL_INTERVAL", "50ms");
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new StepLauncher(env, print, print).launch(OrchestratorMain.definition(env, print, print,
                () -> KubeClients.create("orchestrator", client.getConfiguration()), Map.of()), args);
    }

    private Map<String, Object> termination() throws Exception {
        return TerminationMessage.parse(Files.readString(dir.resolve("termination-log")));
    }

    private List<Job> jobs() {
        return client.batch().v1().jobs().inNamespace(NS).list().getItems();
    }

    @Test
    void fullWorkflowRunsItsStepsInOrderAsJobsAndRecordsTheRun() throws Exception {
        int code = run("--workflow", "full", "--namespace", NS, "--stack-image-tag", "1.2.3");

        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("shutdown", "deploy-infra", "db-restore", "media-sync", "deploy-app"), ran);
        assertEquals("1.2.3", envByStep.get("deploy-app").get("STACK_IMAGE_TAG"));
        assertEquals("app", envByStep.get("deploy-app").get("COMPONENTS"));
        assertEquals("infra", envByStep.get("deploy-infra").get("COMPONENTS"));
        assertEquals(5, jobs().size());

        Map<String, Object> summary = termination();
        assertEquals("done", summary.get("outcome"));
        assertEquals("/backup/daily/backup-2026-11-25T02:04:01Z-dumpall.sql.gz", summary.get("backup"));
        assertEquals("1.2.3", summary.get("imageTag"));

        ConfigMap lastRun = client.configMaps().inNamespace(NS).withName(RunRecorder.CONFIG_MAP).get();
        assertEquals("done", lastRun.getData().get("outcome"));
        assertEquals("run-1", lastRun.getData().get("run"));
        JsonNode report = new ObjectMapper().readTree(lastRun.getData().get("report.json"));
        assertEquals(5, report.path("steps").size());
        assertEquals("media-sync", report.path("steps").get(3).path("step").asText());
        assertNull(client.leases().inNamespace(NS).withName(ReplicationLock.NAME).get(), "lock released");
    }

    @Test
    void aFailingStepStopsTheChainAndItsMessageBecomesTheRunsMessage() throws Exception {
        results.put("db-restore", new JobRun(1, TerminationMessage.render("db-restore", "run-1",
                new StepResult(ExitCode.FAILED, "SQL error at line 42 of the dump: relation x exists", Map.of()))));

        int code = run("--workflow", "full", "--namespace", NS, "--stack-image-tag", "1.2.3");

        assertEquals(1, code);
        assertEquals(List.of("shutdown", "deploy-infra", "db-restore"), ran);
        Map<String, Object> summary = termination();
        assertEquals("db-restore", summary.get("failedStep"));
        assertTrue(summary.get("message").toString().contains("db-restore"), summary.toString());
        assertTrue(summary.get("message").toString().contains("line 42"), summary.toString());
        assertEquals("failed", client.configMaps().inNamespace(NS).withName(RunRecorder.CONFIG_MAP).get().getData()
                .get("outcome"));
        assertNull(client.leases().inNamespace(NS).withName(ReplicationLock.NAME).get(), "lock released on failure");
    }

    @Test
    void aRefusedStepKeepsExitCodeThree() {
        results.put("media-sync", new JobRun(3, TerminationMessage.render("media-sync", "run-1",
                new StepResult(ExitCode.REFUSED, "source is empty while the target is not", Map.of()))));
        assertEquals(3, run("--workflow", "media-only", "--namespace", NS));
        assertEquals(List.of("media-sync"), ran);
    }

    @Test
    void aStepThatDiesWithoutATerminationMessageStillFailsTheRun() {
        results.put("wipe", new JobRun(137, null));
        assertEquals(1, run("--workflow", "wipe", "--namespace", NS));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("137"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLockHeldByAnotherRunRefusesBeforeAnyChange() {
        client.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName(ReplicationLock.NAME)
                .endMetadata().withNewSpec().withHolderIdentity("run other (Job staging-stack/nightly)")
                .withLeaseDurationSeconds(120).withRenewTime(ZonedDateTime.now()).endSpec().build()).create();

        assertEquals(3, run("--workflow", "full", "--namespace", NS, "--stack-image-tag", "1.2.3"));
        assertTrue(jobs().isEmpty());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("run other (Job staging-stack/nightly)"));
    }

    @Test
    void anExpiredLockIsTakenOver() {
        client.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName(ReplicationLock.NAME)
                .endMetadata().withNewSpec().withHolderIdentity("run dead").withLeaseDurationSeconds(60)
                .withRenewTime(ZonedDateTime.now().minusHours(1)).endSpec().build()).create();
        assertEquals(0, run("--workflow", "wipe", "--namespace", NS));
        assertEquals(List.of("wipe"), ran);
    }

    private void productionRuns(String image) {
        client.apps().statefulSets().inNamespace("production-stack").resource(new StatefulSetBuilder()
                .withNewMetadata().withName("stack").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("stack").withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
    }

    @Test
    void aTagThatDiffersFromProductionIsRefusedUnlessAllowed() {
        productionRuns("xchem/fragalysis-stack:2024.11.3");

        assertEquals(3, run("--workflow", "db-only", "--namespace", NS, "--stack-image-tag", "2025.01.1",
                "--production-namespace", "production-stack"));
        assertTrue(jobs().isEmpty());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2024.11.3"));

        assertEquals(0, run("--workflow", "db-only", "--namespace", NS, "--stack-image-tag", "2025.01.1",
                "--production-namespace", "production-stack", "--allow-tag-mismatch"));
    }

    @Test
    void productionTagIsResolvedFromTheProductionNamespace() {
        productionRuns("xchem/fragalysis-stack:2024.11.3");

        assertEquals(0, run("--workflow", "db-only", "--namespace", NS, "--stack-image-tag", "production",
                "--production-namespace", "production-stack"));
        assertEquals("2024.11.3", envByStep.get("deploy-infra").get("STACK_IMAGE_TAG"));
        assertEquals("2024.11.3", envByStep.get("deploy-app").get("STACK_IMAGE_TAG"));
    }

    @Test
    void productionTagIsResolvedFromTheVersionEndpoint() throws Exception {
        HttpServer server = ProductionTagsTest.versionEndpoint(200,
                "{\"version\": {\"stack\": \"production-stack:2.3.4\"}}");
        try {
            assertEquals(0, run(Map.of("STACK_IMAGE_TAG", "production"), "--workflow", "db-only", "--namespace", NS,
                    "--production-url", ProductionTagsTest.base(server).toString()));
        } finally {
            server.stop(0);
        }
        assertEquals("2.3.4", envByStep.get("deploy-app").get("STACK_IMAGE_TAG"));
        assertEquals("2.3.4", termination().get("imageTag"));
    }

    @Test
    void awxExtraVarsDriveTheRun() {
        assertEquals(0, run("--workflow", "wipe", "--extra-vars",
                "{\"stack_namespace\": \"" + NS + "\", \"stack_shutdown_remove_database_volume\": \"no\"}"));
        assertEquals("false", envByStep.get("wipe").get("REMOVE_DATABASE_VOLUME"));
        assertEquals(NS, envByStep.get("wipe").get("NAMESPACE"));
    }

    @Test
    void aProtectedNamespaceIsRefusedBeforeAnyChange() {
        assertEquals(3, run("--workflow", "wipe", "--namespace", "fragalysis-production"));
        assertTrue(client.batch().v1().jobs().inAnyNamespace().list().getItems().isEmpty());
        assertNull(client.leases().inNamespace("fragalysis-production").withName(ReplicationLock.NAME).get());
    }

    @Test
    void dryRunPrintsThePlanAndChangesNothing() throws Exception {
        assertEquals(0, run("--workflow", "full", "--namespace", NS, "--stack-image-tag", "1.2.3", "--dry-run"));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(REGISTRY + "db-restore:"), printed);
        assertTrue(printed.contains("sr-run-1-media-sync"), printed);
        assertTrue(printed.contains("claimName: \"media\"") || printed.contains("claimName: media"), printed);
        assertTrue(jobs().isEmpty());
        assertNull(client.leases().inNamespace(NS).withName(ReplicationLock.NAME).get());
        assertEquals(true, termination().get("dryRun"));
    }

    @Test
    void aMissingDatabaseSecretFailsFastNamingIt() {
        client.secrets().inNamespace(NS).withName("database").delete();
        assertEquals(1, run("--workflow", "full", "--namespace", NS, "--stack-image-tag", "1.2.3"));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("CreateContainerConfigError") && printed.contains("database"), printed);
        assertEquals(List.of("shutdown", "deploy-infra"), ran);
    }

    @Test
    void aStepImageThatCannotBePulledFailsFastNamingTheImage() {
        cluster.failImage(REGISTRY + "stack-shutdown:" + io.github.stackreplica.common.BuildInfo.version(),
                "ImagePullBackOff");
        assertEquals(1, run("--workflow", "wipe", "--namespace", NS, "--step-timeout", "10m"));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("ImagePullBackOff") && printed.contains(REGISTRY + "stack-shutdown"), printed);
    }

    @Test
    void whenRunInAJobItOwnsTheStepJobsAndRecordsEventsOnItsJob() {
        Job own = client.batch().v1().jobs().inNamespace(NS).resource(new JobBuilder().withNewMetadata()
                .withName("refresh-now").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("orchestrator").withImage("orchestrator:dev").endContainer()
                .withRestartPolicy("Never").endSpec().endTemplate().endSpec().build()).create();
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("refresh-now-abcde")
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName("refresh-now")
                .withUid(own.getMetadata().getUid()).endOwnerReference().endMetadata().build()).create();

        assertEquals(0, run(Map.of("POD_NAME", "refresh-now-abcde"), "--workflow", "wipe", "--namespace", NS));

        Job step = client.batch().v1().jobs().inNamespace(NS).withName("sr-run-1-wipe").get();
        assertEquals(own.getMetadata().getUid(), step.getMetadata().getOwnerReferences().get(0).getUid());
        List<Event> events = client.v1().events().inNamespace(NS).list().getItems();
        assertTrue(events.stream().anyMatch(e -> "StepSucceeded".equals(e.getReason())
                && "refresh-now".equals(e.getInvolvedObject().getName())), events.toString());
        assertTrue(events.stream().anyMatch(e -> "ReplicationSucceeded".equals(e.getReason())), events.toString());
        assertFalse(events.isEmpty());
    }
}
