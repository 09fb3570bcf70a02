package io.github.stackreplica.orchestrator;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the Kubernetes Job that runs one step in the target namespace. */
public final class StepJobs {

    public static final String CONTAINER = "step";
    public static final String LABEL_RUN = "stack-replica.io/run";
    public static final String LABEL_STEP = "stack-replica.io/step";
    public static final String BACKUP_MOUNT = "/backup";
    public static final String MEDIA_REPLICA_MOUNT = "/media-replica";
    public static final String MEDIA_MOUNT = "/media";
    /** Exit codes that no retry can fix: usage (2) and refused (3). */
    static final List<Integer> FINAL_EXIT_CODES = List.of(2, 3);

    private final OrchestratorConfig config;
    private final String runId;

    public StepJobs(OrchestratorConfig config, String runId) {
        this.config = config;
        this.runId = runId;
    }

    /** The Job's name: {@code sr-<run>-<step>}, a valid DNS label of at most 63 characters. */
    public String jobName(StepKind kind) {
        String run = runId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        String suffix = "-" + kind.id();
        String name = "sr-" + run;
        name = name.substring(0, Math.min(name.length(), 63 - suffix.length())).replaceAll("-+$", "");
        return name + suffix;
    }

    /** The image of a program: {@code <registry>/stack-replica-<program>:<step image tag>}. */
    public String image(StepKind kind) {
        return config.jobs().imageRegistry() + "/stack-replica-" + kind.program() + ":" + config.jobs().stepImageTag();
    }

    /** The Job for {@code step}, owned by {@code owner} when the orchestrator runs in a Job itself (else null). */
    public Job build(StepPlan step, OwnerReference owner) {
        OrchestratorConfig.JobSettings jobs = config.jobs();
        Map<String, String> labels = labels(step.kind());
        return new JobBuilder()
                .withNewMetadata().withName(jobName(step.kind())).withNamespace(config.namespace()).withLabels(labels)
                .withOwnerReferences(owner == null ? List.of() : List.of(owner)).endMetadata()
                .withNewSpec()
                .withBackoffLimit(jobs.retries())
                .withActiveDeadlineSeconds(jobs.stepTimeout().toSeconds())
                .withTtlSecondsAfterFinished((int) jobs.ttlAfterFinished().toSeconds())
                .withNewPodFailurePolicy()
                .withRules(new PodFailurePolicyRuleBuilder().withAction("FailJob").withNewOnExitCodes()
                                .withContainerName(CONTAINER).withOperator("In").withValues(FINAL_EXIT_CODES)
                                .endOnExitCodes().build(),
                        new PodFailurePolicyRuleBuilder().withAction("Ignore").addNewOnPodCondition()
                                .withType("DisruptionTarget").withStatus("True").endOnPodCondition().build())
                .endPodFailurePolicy()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(jobs.serviceAccount())
                .withAutomountServiceAccountToken(step.kind().needsCluster())
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(jobs.runAsUser())
                .withRunAsGroup(jobs.runAsUser()).withFsGroup(jobs.fsGroup())
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer()
                .withName(CONTAINER)
                .withImage(image(step.kind()))
                .withImagePullPolicy("IfNotPresent")
                .withEnv(env(step))
                .withVolumeMounts(mounts(step.kind()))
                .withResources(resources(step.kind()))
                .withTerminationMessagePolicy("File")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .endContainer()
                .withVolumes(volumes(step.kind()))
                .endSpec().endTemplate().endSpec().build();
    }

    /** The labels every step Job and its pod carry: the run and the step, for {@code kubectl get jobs -l}. */
    public Map<String, String> labels(StepKind kind) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "stack-replica");
        labels.put("app.kubernetes.io/component", kind.program());
        labels.put("app.kubernetes.io/managed-by", "stack-replica-orchestrator");
        labels.put(LABEL_RUN, runId.replaceAll("[^A-Za-z0-9_.-]", "-"));
        labels.put(LABEL_STEP, kind.id());
        return labels;
    }

    private List<EnvVar> env(StepPlan step) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("RUN_ID", runId, null));
        step.env().forEach((name, value) -> env.add(new EnvVar(name, value, null)));
        switch (step.kind()) {
            case DB_RESTORE -> {
                env.add(new EnvVar("BACKUP_ROOT", BACKUP_MOUNT, null));
                env.add(fromSecret("PGHOST", "host"));
                env.add(fromSecret("PGPORT", "port"));
                env.add(fromSecret("PGUSER", "root_user"));
                env.add(fromSecret("PGPASSWORD", "root_password"));
            }
            case MEDIA_SYNC -> {
                env.add(new EnvVar("SOURCE", MEDIA_REPLICA_MOUNT, null));
                env.add(new EnvVar("TARGET", MEDIA_MOUNT, null));
            }
            default -> {
            }
        }
        return env;
    }

    private EnvVar fromSecret(String name, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(config.jobs().databaseSecret()).withKey(key).endSecretKeyRef().endValueFrom().build();
    }

    private List<VolumeMount> mounts(StepKind kind) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (kind == StepKind.DB_RESTORE) {
            mounts.add(new VolumeMountBuilder().withName("backup").withMountPath(BACKUP_MOUNT).withReadOnly(true).build());
        } else if (kind == StepKind.MEDIA_SYNC) {
            mounts.add(new VolumeMountBuilder().withName("media-replica").withMountPath(MEDIA_REPLICA_MOUNT)
                    .withReadOnly(true).build());
            mounts.add(new VolumeMountBuilder().withName("media").withMountPath(MEDIA_MOUNT).build());
        }
        return mounts;
    }

    private List<Volume> volumes(StepKind kind) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        if (kind == StepKind.DB_RESTORE) {
            volumes.add(config.jobs().backupVolume().toVolume("backup", true));
        } else if (kind == StepKind.MEDIA_SYNC) {
            volumes.add(config.jobs().mediaReplicaVolume().toVolume("media-replica", true));
            volumes.add(new VolumeBuilder().withName("media").withNewPersistentVolumeClaim()
                    .withClaimName(config.jobs().mediaPvc()).endPersistentVolumeClaim().build());
        }
        return volumes;
    }

    private ResourceRequirements resources(StepKind kind) {
        return switch (kind) {
            case DB_RESTORE -> config.jobs().dbRestoreResources();
            case MEDIA_SYNC -> config.jobs().mediaSyncResources();
            default -> config.jobs().resources();
        };
    }
}
