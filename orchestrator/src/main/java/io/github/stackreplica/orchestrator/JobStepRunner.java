package io.github.stackreplica.orchestrator;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.stackreplica.common.cli.Durations;
import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.TerminationMessage;
import io.github.stackreplica.common.kube.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs each step as a Kubernetes Job in the target namespace, waits for it, and reads its termination message. */
public final class JobStepRunner implements StepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobStepRunner.class);
    /** Waiting reasons that will not fix themselves soon enough to keep a replication waiting. */
    static final Set<String> FATAL_WAITING = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "CreateContainerConfigError", "CreateContainerError");
    /** Time beyond the Job's own deadline before the orchestrator stops waiting for Kubernetes to say so. */
    static final Duration GRACE = Duration.ofMinutes(2);

    private final KubernetesClient client;
    private final OrchestratorConfig config;
    private final StepJobs jobs;
    private final OwnerReference owner;

    /** {@code owner}: the orchestrator's own Job, or null when it does not run in one. */
    public JobStepRunner(KubernetesClient client, OrchestratorConfig config, StepJobs jobs, OwnerReference owner) {
        this.client = client;
        this.config = config;
        this.jobs = jobs;
        this.owner = owner;
    }

    /** What a poll sees: the Job (null if gone) and its pods. */
    record Observed(Job job, List<Pod> pods) {
    }

    @Override
    public StepOutcome run(StepPlan step) {
        Instant started = Instant.now();
        Job job = jobs.build(step, owner);
        String name = job.getMetadata().getName();
        String ns = config.namespace();
        client.batch().v1().jobs().inNamespace(ns).resource(job).create();
        LOG.info("Created Job {}/{} for step {} (image {})", ns, name, step.kind().id(), jobs.image(step.kind()));
        Observed seen = Waits.until(
                new Waits.Wait("Job " + ns + "/" + name, "finished", config.jobs().stepTimeout().plus(GRACE),
                        config.pollInterval()),
                () -> observe(ns, name), o -> finished(o.job()).isPresent() || fatalWaiting(o.pods()).isPresent(),
                o -> o.pods().isEmpty() ? "no pod yet" : "pod state " + describe(o.pods()));
        return outcome(step.kind(), name, seen, Duration.between(started, Instant.now()));
    }

    private Observed observe(String ns, String name) {
        Job job = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
        List<Pod> pods = client.pods().inNamespace(ns).withLabel("job-name", name).list().getItems();
        return new Observed(job, pods);
    }

    private StepOutcome outcome(StepKind kind, String name, Observed seen, Duration duration) {
        Optional<ContainerStateWaiting> fatal = fatalWaiting(seen.pods());
        if (fatal.isPresent() && finished(seen.job()).isEmpty()) {
            client.batch().v1().jobs().inNamespace(config.namespace()).withName(name).delete();
            String reason = fatal.get().getReason();
            String hint = reason.startsWith("CreateContainer")
                    ? "check that the Secrets, ConfigMaps and volumes the step uses exist in " + config.namespace()
                    : "check --image-registry and --step-image-tag";
            return new StepOutcome(kind, name, ExitCode.FAILED, "Step " + kind.id() + " could not start: " + reason
                    + " for image " + jobs.image(kind) + (fatal.get().getMessage() == null ? ""
                    : " (" + fatal.get().getMessage() + ")") + "; " + hint, Map.of(), duration, false);
        }
        JobCondition condition = finished(seen.job()).orElseThrow();
        Optional<ContainerStateTerminated> terminated = terminated(seen.pods());
        TerminationMessage.Summary summary = terminated.map(t -> TerminationMessage.readSummary(t.getMessage()))
                .orElse(TerminationMessage.Summary.EMPTY);
        Map<String, Object> figures = summary.figures();
        String message = summary.message();
        if ("Complete".equals(condition.getType())) {
            return new StepOutcome(kind, name, ExitCode.DONE, message == null ? "done" : message, figures, duration,
                    false);
        }
        if ("DeadlineExceeded".equals(condition.getReason())) {
            return new StepOutcome(kind, name, ExitCode.TIMED_OUT, "Step Job " + name + " exceeded its deadline of "
                    + Durations.format(config.jobs().stepTimeout()) + " (--step-timeout)", figures, duration, false);
        }
        int exit = terminated.map(ContainerStateTerminated::getExitCode).orElse(1);
        String why = message != null ? message : "Job " + name + " failed: " + condition.getReason()
                + (condition.getMessage() == null ? "" : " (" + condition.getMessage() + ")")
                + terminated.map(t -> ", container exited " + t.getExitCode() + " " + t.getReason()).orElse("");
        return new StepOutcome(kind, name, ExitCode.of(exit == 0 ? 1 : exit), why, figures, duration, false);
    }

    static Optional<JobCondition> finished(Job job) {
        if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()))
                .filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                .findFirst();
    }

    private static Optional<ContainerStatus> stepStatus(List<Pod> pods) {
        return pods.stream()
                .sorted(Comparator.comparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp())).reversed())
                .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
                .flatMap(p -> p.getStatus().getContainerStatuses().stream())
                .filter(s -> StepJobs.CONTAINER.equals(s.getName()))
                .findFirst();
    }

    static Optional<ContainerStateWaiting> fatalWaiting(List<Pod> pods) {
        return stepStatus(pods).map(s -> s.getState() == null ? null : s.getState().getWaiting())
                .filter(w -> FATAL_WAITING.contains(w.getReason()));
    }

    private static Optional<ContainerStateTerminated> terminated(List<Pod> pods) {
        return stepStatus(pods).map(s -> s.getState() != null && s.getState().getTerminated() != null
                ? s.getState().getTerminated() : s.getLastState() == null ? null : s.getLastState().getTerminated());
    }

    private static String describe(List<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getName() + " " + (p.getStatus() == null ? "?"
                : p.getStatus().getPhase())).toList().toString();
    }
}
