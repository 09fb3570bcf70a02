package io.github.stackreplica.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepJobsTest {

    private static final String RUN = "20261125-141530-ab12";

    private final OrchestratorConfig config = OrchestratorConfig.parse(new String[] {"--workflow", "full",
            "--namespace", "staging-stack", "--stack-image-tag", "1.2.3", "--image-registry", "registry.example.org/sr",
            "--step-image-tag", "0.9.0", "--backup-volume", "nfs:nfs.example.org:/exports/backups",
            "--media-replica-volume", "nfs:nfs.example.org:/exports/media", "--step-timeout", "90m",
            "--job-ttl", "2d", "--step-retries", "1"}, Map.of("PROTECTED_NAMESPACES", "prod*"));
    private final StepJobs jobs = new StepJobs(config, RUN);

    private Job job(StepKind kind) {
        StepPlan step = StepPlan.of(config).stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
        return jobs.build(step, null);
    }

    private static Container container(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, EnvVar> env(Job job) {
        return container(job).getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
    }

    private static VolumeMount mount(Job job, String name) {
        return container(job).getVolumeMounts().stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    private static Volume volume(Job job, String name) {
        return job.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void everyStepJobRunsItsProgramImageOnceWithDeadlineTtlAndServiceAccount() {
        for (StepKind kind : Workflow.FULL.steps()) {
            Job job = job(kind);
            assertEquals("staging-stack", job.getMetadata().getNamespace());
            assertEquals("sr-" + RUN + "-" + kind.id(), job.getMetadata().getName());
            assertEquals("registry.example.org/sr/stack-replica-" + kind.program() + ":0.9.0", container(job).getImage());
            assertEquals(1, job.getSpec().getBackoffLimit());
            assertEquals(90 * 60L, job.getSpec().getActiveDeadlineSeconds());
            assertEquals(2 * 86400, job.getSpec().getTtlSecondsAfterFinished());
            PodSpec pod = job.getSpec().getTemplate().getSpec();
            assertEquals("Never", pod.getRestartPolicy());
            assertEquals("stack-replica", pod.getServiceAccountName());
            assertEquals(RUN, job.getMetadata().getLabels().get(StepJobs.LABEL_RUN));
            assertEquals(kind.id(), job.getMetadata().getLabels().get(StepJobs.LABEL_STEP));
            assertEquals(kind.id(), job.getSpec().getTemplate().getMetadata().getLabels().get(StepJobs.LABEL_STEP));
            assertEquals(RUN, env(job).get("RUN_ID").getValue());
            assertEquals("prod*", env(job).get("PROTECTED_NAMESPACES").getValue());
        }
    }

    @Test
    void podFailurePolicyFailsTheJobAtOnceOnUsageAndRefusalExitCodes() {
        List<PodFailurePolicyRule> rules = job(StepKind.DB_RESTORE).getSpec().getPodFailurePolicy().getRules();
        assertEquals("FailJob", rules.get(0).getAction());
        assertEquals(StepJobs.CONTAINER, rules.get(0).getOnExitCodes().getContainerName());
        assertEquals("In", rules.get(0).getOnExitCodes().getOperator());
        assertEquals(List.of(2, 3), rules.get(0).getOnExitCodes().getValues());
        assertEquals("Ignore", rules.get(1).getAction());
        assertEquals("DisruptionTarget", rules.get(1).getOnPodConditions().get(0).getType());
    }

    @Test
    void containersRunAsNonRootWithReadOnlyRootAndNoCapabilities() {
        Job job = job(StepKind.MEDIA_SYNC);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(65532L, pod.getSecurityContext().getRunAsUser());
        assertEquals(65532L, pod.getSecurityContext().getFsGroup());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        Container container = container(job);
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertEquals("/tmp", mount(job, "tmp").getMountPath());
        assertTrue(volume(job, "tmp").getEmptyDir() != null);
        assertEquals("File", container.getTerminationMessagePolicy());
    }

    @Test
    void dbRestoreMountsTheBackupShareReadOnlyAndTakesCredentialsFromSecretDatabase() {
        Job job = job(StepKind.DB_RESTORE);
        assertEquals(StepJobs.BACKUP_MOUNT, mount(job, "backup").getMountPath());
        assertTrue(mount(job, "backup").getReadOnly());
        assertEquals("nfs.example.org", volume(job, "backup").getNfs().getServer());
        assertEquals("/exports/backups", volume(job, "backup").getNfs().getPath());
        assertTrue(volume(job, "backup").getNfs().getReadOnly());
        Map<String, EnvVar> env = env(job);
        assertEquals(StepJobs.BACKUP_MOUNT, env.get("BACKUP_ROOT").getValue());
        assertEquals("frag", env.get("DATABASE").getValue());
        for (Map.Entry<String, String> key : Map.of("PGHOST", "host", "PGPORT", "port", "PGUSER", "root_user",
                "PGPASSWORD", "root_password").entrySet()) {
            assertNull(env.get(key.getKey()).getValue(), "no literal credentials in the Job");
            assertEquals("database", env.get(key.getKey()).getValueFrom().getSecretKeyRef().getName());
            assertEquals(key.getValue(), env.get(key.getKey()).getValueFrom().getSecretKeyRef().getKey());
        }
        assertEquals("1", container(job).getResources().getRequests().get("cpu").toString());
        assertFalse(job.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken(),
                "db-restore does not talk to the API server");
    }

    @Test
    void mediaSyncMountsTheReplicaReadOnlyAndThePvcMediaWritable() {
        Job job = job(StepKind.MEDIA_SYNC);
        assertTrue(mount(job, "media-replica").getReadOnly());
        assertEquals("/exports/media", volume(job, "media-replica").getNfs().getPath());
        assertFalse(Boolean.TRUE.equals(mount(job, "media").getReadOnly()));
        assertEquals("media", volume(job, "media").getPersistentVolumeClaim().getClaimName());
        assertEquals(StepJobs.MEDIA_REPLICA_MOUNT, env(job).get("SOURCE").getValue());
        assertEquals(StepJobs.MEDIA_MOUNT, env(job).get("TARGET").getValue());
    }

    @Test
    void deployStepsCarryNamespaceTagAndComponentsAndMayUseTheApi() {
        Job infra = job(StepKind.DEPLOY_INFRA);
        assertEquals("infra", env(infra).get("COMPONENTS").getValue());
        assertEquals("1.2.3", env(infra).get("STACK_IMAGE_TAG").getValue());
        assertEquals("staging-stack", env(infra).get("NAMESPACE").getValue());
        assertTrue(infra.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
    }

    @Test
    void ownerReferenceTiesStepJobsToTheOrchestratorsJob() {
        StepPlan step = StepPlan.of(config).get(0);
        Job job = jobs.build(step, new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName("refresh-now").withUid("uid-1").build());
        assertEquals("refresh-now", job.getMetadata().getOwnerReferences().get(0).getName());
        assertEquals("uid-1", job.getMetadata().getOwnerReferences().get(0).getUid());
    }

    @Test
    void jobNamesStayValidDnsLabelsForLongRunIds() {
        StepJobs longRun = new StepJobs(config, "AWX_Job_123456789012345678901234567890123456789012345678901234567890");
        String name = longRun.jobName(StepKind.DEPLOY_INFRA);
        assertTrue(name.length() <= 63, name);
        assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), name);
        assertTrue(name.endsWith("-deploy-infra"), name);
    }
}
