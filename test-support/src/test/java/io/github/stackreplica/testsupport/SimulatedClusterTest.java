package io.github.stackreplica.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SimulatedClusterTest {

    private static final String NS = "staging";

    KubernetesClient client;
    private SimulatedCluster cluster;

    @BeforeEach
    void startCluster() {
        cluster = SimulatedCluster.start(client, Duration.ofMillis(10));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void statefulSetGetsPodsNamedByOrdinalAndReportsThemReady() {
        client.apps().statefulSets().resource(statefulSet("stack", 2, "xchem/fragalysis-stack:1.0", null)).create();

        await(() -> readyReplicas(statefulSet("stack")) == 2);

        assertEquals(List.of("stack-0", "stack-1"), podNames("app", "stack"));
        Pod pod = client.pods().inNamespace(NS).withName("stack-0").get();
        assertEquals("Running", pod.getStatus().getPhase());
        assertTrue(pod.getStatus().getContainerStatuses().get(0).getReady());
        assertEquals("StatefulSet", pod.getMetadata().getOwnerReferences().get(0).getKind());
    }

    @Test
    void deploymentGetsHashedPodNamesAndTheAvailableCondition() {
        client.apps().deployments().resource(deployment("redis", "redis:7")).create();

        await(() -> isAvailable(client.apps().deployments().inNamespace(NS).withName("redis").get()));

        List<String> names = podNames("app", "redis");
        assertEquals(1, names.size());
        assertTrue(names.get(0).matches("redis-[a-z0-9]{10}-[a-z0-9]{5}"), names.get(0));
    }

    @Test
    void deletingOrScalingDownAWorkloadRemovesItsPods() {
        client.apps().statefulSets().resource(statefulSet("worker", 3, "xchem/fragalysis-stack:1.0", null)).create();
        client.apps().deployments().resource(deployment("beat", "xchem/fragalysis-stack:1.0")).create();
        await(() -> podNames("app", "worker").size() == 3 && podNames("app", "beat").size() == 1);

        retryOnConflict(() -> client.apps().statefulSets().inNamespace(NS).withName("worker").edit(s -> {
            s.getSpec().setReplicas(1);
            return s;
        }));
        client.apps().deployments().inNamespace(NS).withName("beat").delete();

        await(() -> podNames("app", "worker").equals(List.of("worker-0")) && podNames("app", "beat").isEmpty());
        await(() -> statefulSet("worker").getStatus().getReplicas() == 1);
    }

    @Test
    void scalingThroughTheScaleSubresourceRemovesPods() {
        client.apps().statefulSets().resource(statefulSet("stack", 2, "xchem/fragalysis-stack:1.0", null)).create();
        await(() -> podNames("app", "stack").size() == 2);

        client.apps().statefulSets().inNamespace(NS).withName("stack").scale(0);

        await(() -> podNames("app", "stack").isEmpty() && statefulSet("stack").getStatus().getReplicas() == 0);
    }

    @Test
    void changingTheImageReplacesThePodsWithTheNewImage() {
        client.apps().statefulSets().resource(statefulSet("stack", 1, "xchem/fragalysis-stack:1.0", null)).create();
        await(() -> readyReplicas(statefulSet("stack")) == 1);

        retryOnConflict(() -> client.apps().statefulSets().inNamespace(NS).withName("stack").edit(s -> {
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("xchem/fragalysis-stack:2.0");
            return s;
        }));

        await(() -> {
            Pod pod = client.pods().inNamespace(NS).withName("stack-0").get();
            return pod != null && SimulatedPods.isReady(pod)
                    && "xchem/fragalysis-stack:2.0".equals(pod.getSpec().getContainers().get(0).getImage());
        });
    }

    /**
     * Edits as a person or tool would: the simulated controllers write status concurrently, so an edit can meet a
     * 409 conflict, which real clients answer by reading again and retrying.
     */
    private static void retryOnConflict(Runnable edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                edit.run();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @Test
    void deploymentWithANewTemplateGetsNewPodsUnderANewHash() {
        client.apps().deployments().resource(deployment("beat", "xchem/fragalysis-stack:1.0")).create();
        await(() -> podNames("app", "beat").size() == 1);
        String before = podNames("app", "beat").get(0);

        retryOnConflict(() -> client.apps().deployments().inNamespace(NS).withName("beat").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("xchem/fragalysis-stack:2.0");
            return d;
        }));

        await(() -> {
            List<String> names = podNames("app", "beat");
            return names.size() == 1 && !names.get(0).substring(0, 15).equals(before.substring(0, 15))
                    && isAvailable(client.apps().deployments().inNamespace(NS).withName("beat").get());
        });
    }

    @Test
    void jobWhoseImageFailsNeverRunsItsWorkload() {
        AtomicReference<Boolean> ran = new AtomicReference<>(false);
        cluster.runJobsWithImage("ghcr.io/", (job, env) -> {
            ran.set(true);
            return new JobRun(0, "");
        });
        cluster.failImage("ghcr.io/stack-replica/db-restore:typo", "ImagePullBackOff");

        client.batch().v1().jobs().resource(job("restore", "ghcr.io/stack-replica/db-restore:typo", null)).create();

        await(() -> jobPod("restore") != null
                && "ImagePullBackOff".equals(waitingReason(jobPod("restore").getMetadata().getName())));
        cluster.settle();
        assertFalse(ran.get());
        assertEquals(1, client.batch().v1().jobs().inNamespace(NS).withName("restore").get().getStatus().getActive());
    }

    @Test
    void podsOfAFailedImageWaitWithItsReasonAndNeverBecomeReady() {
        cluster.failImage("xchem/fragalysis-stack:typo", "ImagePullBackOff");
        client.apps().statefulSets().resource(statefulSet("stack", 1, "xchem/fragalysis-stack:typo", null)).create();

        await(() -> "ImagePullBackOff".equals(waitingReason("stack-0")));
        cluster.settle();

        Pod pod = client.pods().inNamespace(NS).withName("stack-0").get();
        assertEquals("Pending", pod.getStatus().getPhase());
        assertTrue(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage()
                .contains("xchem/fragalysis-stack:typo"));
        assertEquals(0, readyReplicas(statefulSet("stack")));
    }

    @Test
    void jobRunsItsWorkloadWithTheResolvedEnvironmentAndCompletes() {
        client.secrets().resource(new SecretBuilder().withNewMetadata().withName("database").withNamespace(NS)
                .endMetadata().addToStringData("root_password", "pw").build()).create();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace(NS)
                .endMetadata().addToData("mode", "full").build()).create();
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        cluster.runJobsWithImage("ghcr.io/stack-replica/db-restore", (job, env) -> {
            seen.set(env);
            return new JobRun(0, "{\"outcome\":\"done\"}");
        });

        client.batch().v1().jobs().resource(withEnvironment(job("restore", "ghcr.io/stack-replica/db-restore:0.1.0",
                null))).create();

        Job done = awaitFinished("restore");
        assertEquals("Complete", done.getStatus().getConditions().get(0).getType());
        assertEquals(1, done.getStatus().getSucceeded());
        assertNotNull(done.getStatus().getStartTime());
        assertNotNull(done.getStatus().getCompletionTime());
        assertEquals(Map.of("PGPASSWORD", "pw", "MODE", "full", "NAMESPACE", NS, "PLAIN", "x"), seen.get());
        Pod pod = jobPod("restore");
        assertTrue(pod.getMetadata().getName().matches("restore-[a-z0-9]{5}"), pod.getMetadata().getName());
        assertEquals("Succeeded", pod.getStatus().getPhase());
        var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertEquals(0, terminated.getExitCode());
        assertEquals("{\"outcome\":\"done\"}", terminated.getMessage());
    }

    @Test
    void failedJobNamesThePodFailurePolicyWhenAFailJobRuleMatchesItsExitCode() {
        cluster.runJobsWithImage("ghcr.io/stack-replica/", (job, env) -> new JobRun(
                Integer.parseInt(job.getMetadata().getLabels().get("exit")), "failed"));

        client.batch().v1().jobs().resource(job("refused", "ghcr.io/stack-replica/db-restore:0.1.0", "3")).create();
        client.batch().v1().jobs().resource(job("crashed", "ghcr.io/stack-replica/db-restore:0.1.0", "1")).create();

        JobCondition refused = awaitFinished("refused").getStatus().getConditions().get(0);
        assertEquals("Failed", refused.getType());
        assertEquals("PodFailurePolicy", refused.getReason());
        JobCondition crashed = awaitFinished("crashed").getStatus().getConditions().get(0);
        assertEquals("BackoffLimitExceeded", crashed.getReason());
        assertEquals(1, awaitFinished("crashed").getStatus().getFailed());
        assertEquals("Failed", jobPod("crashed").getStatus().getPhase());
        assertEquals(1, jobPod("crashed").getStatus().getContainerStatuses().get(0).getState().getTerminated()
                .getExitCode());
    }

    @Test
    void jobPodIsRunningWhileItsWorkloadRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        cluster.runJobsWithImage("ghcr.io/stack-replica/media-sync", (job, env) -> {
            release.await(10, TimeUnit.SECONDS);
            return new JobRun(0, "");
        });

        client.batch().v1().jobs().resource(job("sync", "ghcr.io/stack-replica/media-sync:0.1.0", null)).create();

        await(() -> jobPod("sync") != null && "Running".equals(jobPod("sync").getStatus().getPhase()));
        Job running = client.batch().v1().jobs().inNamespace(NS).withName("sync").get();
        assertEquals(1, running.getStatus().getActive());
        assertFalse(JobController.isFinished(running));
        assertEquals("sync", jobPod("sync").getMetadata().getLabels().get("batch.kubernetes.io/job-name"));
        release.countDown();
        awaitFinished("sync");
    }

    @Test
    void jobWithoutARegisteredWorkloadStaysRunning() {
        client.batch().v1().jobs().resource(job("idle", "busybox:1", null)).create();

        await(() -> jobPod("idle") != null);
        cluster.settle();

        Job job = client.batch().v1().jobs().inNamespace(NS).withName("idle").get();
        assertFalse(JobController.isFinished(job));
        assertEquals("Running", jobPod("idle").getStatus().getPhase());
    }

    @Test
    void jobWhoseSecretIsMissingWaitsWithCreateContainerConfigError() {
        cluster.runJobsWithImage("ghcr.io/", (job, env) -> new JobRun(0, ""));

        client.batch().v1().jobs().resource(withEnvironment(job("restore", "ghcr.io/stack-replica/db-restore:0.1.0",
                null))).create();

        await(() -> jobPod("restore") != null
                && "CreateContainerConfigError".equals(waitingReason(jobPod("restore").getMetadata().getName())));
        assertFalse(JobController.isFinished(client.batch().v1().jobs().inNamespace(NS).withName("restore").get()));
    }

    @Test
    void deletedClaimStaysWithItsFinalizerUntilNoPodMountsIt() {
        client.persistentVolumeClaims().resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("media").withNamespace(NS).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteMany").endSpec().build()).create();
        client.apps().statefulSets().resource(statefulSet("stack", 1, "xchem/fragalysis-stack:1.0", "media")).create();
        await(() -> readyReplicas(statefulSet("stack")) == 1 && claim() != null
                && claim().getMetadata().getFinalizers().contains(GarbageCollector.PVC_PROTECTION));
        assertEquals("Bound", claim().getStatus().getPhase());

        client.persistentVolumeClaims().inNamespace(NS).withName("media").delete();
        cluster.settle();

        assertTrue(claim().isMarkedForDeletion());
        client.apps().statefulSets().inNamespace(NS).withName("stack").delete();
        await(() -> claim() == null);
    }

    private PersistentVolumeClaim claim() {
        return client.persistentVolumeClaims().inNamespace(NS).withName("media").get();
    }

    private StatefulSet statefulSet(String name) {
        return client.apps().statefulSets().inNamespace(NS).withName(name).get();
    }

    private static int readyReplicas(StatefulSet set) {
        return set.getStatus() == null || set.getStatus().getReadyReplicas() == null ? 0
                : set.getStatus().getReadyReplicas();
    }

    private static boolean isAvailable(Deployment deployment) {
        return deployment.getStatus() != null && deployment.getStatus().getConditions().stream()
                .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private List<String> podNames(String label, String value) {
        return client.pods().inNamespace(NS).withLabel(label, value).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    private String waitingReason(String podName) {
        Pod pod = client.pods().inNamespace(NS).withName(podName).get();
        return pod == null ? null : SimulatedPods.waitingReason(pod);
    }

    private Pod jobPod(String job) {
        return client.pods().inNamespace(NS).withLabel("job-name", job).list().getItems().stream().findFirst()
                .orElse(null);
    }

    private Job awaitFinished(String name) {
        await(() -> JobController.isFinished(client.batch().v1().jobs().inNamespace(NS).withName(name).get()));
        return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (NullPointerException notYet) {
                // a status not written yet
            }
            assertTrue(System.nanoTime() < deadline, "condition not met within 5s");
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static PodTemplateSpec template(String app, String image, String claim) {
        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels("app", app).endMetadata()
                .withNewSpec().addNewContainer().withName(app).withImage(image).endContainer().endSpec();
        if (claim != null) {
            template.editSpec().addNewVolume().withName(claim).withNewPersistentVolumeClaim().withClaimName(claim)
                    .endPersistentVolumeClaim().endVolume().endSpec();
        }
        return template.build();
    }

    private static StatefulSet statefulSet(String name, int replicas, String image, String claim) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template(name, image, claim)).endSpec().build();
    }

    private static Deployment deployment(String name, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template(name, image, null)).endSpec().build();
    }

    private static Job withEnvironment(Job job) {
        job.getSpec().getTemplate().getSpec().getContainers().get(0).setEnv(List.of(
                new EnvVarBuilder().withName("PGPASSWORD").withNewValueFrom()
                        .withNewSecretKeyRef().withName("database").withKey("root_password").endSecretKeyRef()
                        .endValueFrom().build(),
                new EnvVarBuilder().withName("MODE").withNewValueFrom()
                        .withNewConfigMapKeyRef().withName("settings").withKey("mode").withOptional(true)
                        .endConfigMapKeyRef().endValueFrom().build(),
                new EnvVarBuilder().withName("NAMESPACE").withNewValueFrom()
                        .withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build(),
                new EnvVarBuilder().withName("PLAIN").withValue("x").build()));
        return job;
    }

    private static Job job(String name, String image, String exitLabel) {
        PodTemplateSpec template = template(name, image, null);
        template.getSpec().setRestartPolicy("Never");
        JobBuilder job = new JobBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("exit", exitLabel == null ? "0" : exitLabel).endMetadata()
                .withNewSpec().withBackoffLimit(0).withTemplate(template)
                .withNewPodFailurePolicy().addNewRule().withAction("FailJob")
                .withNewOnExitCodes().withOperator("In").withValues(2, 3).endOnExitCodes().endRule()
                .endPodFailurePolicy()
                .endSpec();
        return job.build();
    }
}
