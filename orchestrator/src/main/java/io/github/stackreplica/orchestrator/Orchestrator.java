package io.github.stackreplica.orchestrator;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.stackreplica.common.cli.StepException;
import io.github.stackreplica.common.cli.StepResult;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replication: checks it is safe (protected namespace, lock, production's image tag), then runs the workflow's
 * steps in order, stops at the first failure, and leaves a report in the log, the cluster and its termination message.
 */
public final class Orchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

    private final OrchestratorConfig config;
    private final String runId;
    private final KubernetesClient client;
    private final Function<OrchestratorConfig, StepRunner> localRunner;
    private final PrintStream out;
    private final Clock clock;

    /**
     * @param client      the cluster client; may be null for the local runner without a cluster
     * @param localRunner makes the in-process runner for {@code --runner local}
     * @param out         where the dry-run plan is printed
     */
    public Orchestrator(OrchestratorConfig config, String runId, KubernetesClient client,
                        Function<OrchestratorConfig, StepRunner> localRunner, PrintStream out, Clock clock) {
        this.config = config;
        this.runId = runId;
        this.client = client;
        this.localRunner = localRunner;
        this.out = out;
        this.clock = clock;
    }

    /** Runs the replication; a failed step becomes the result's exit code, never an exception. */
    public StepResult run() {
        config.guard().check(config.namespace());
        OrchestratorConfig resolved = config.withStackImageTag(checkedTag());
        List<StepPlan> plan = StepPlan.of(resolved);
        boolean onCluster = resolved.runner() == OrchestratorConfig.Runner.KUBERNETES;
        StepJobs jobs = new StepJobs(resolved, runId);
        if (resolved.dryRun()) {
            return dryRun(resolved, plan, jobs, onCluster);
        }
        if (!onCluster) {
            try (StepRunner runner = localRunner.apply(resolved)) {
                return runSteps(resolved, plan, runner, null);
            }
        }
        Job ownJob = ownJob();
        ReplicationLock lock = ReplicationLock.acquire(client, resolved.namespace(), holder(ownJob),
                resolved.leaseDuration(), clock);
        try {
            RunRecorder recorder = new RunRecorder(client, resolved.namespace(), ownJob);
            return runSteps(resolved, plan, new JobStepRunner(client, resolved, jobs, ownerReference(ownJob)), recorder);
        } finally {
            lock.close();
        }
    }

    private StepResult runSteps(OrchestratorConfig resolved, List<StepPlan> plan, StepRunner runner,
                                RunRecorder recorder) {
        Instant started = Instant.now(clock);
        List<StepOutcome> outcomes = new ArrayList<>();
        LOG.info("Replication {} of namespace {} ({} runner): {}", resolved.workflow().word(), resolved.namespace(),
                resolved.runner().name().toLowerCase(java.util.Locale.ROOT),
                plan.stream().map(s -> s.kind().id()).toList());
        for (StepPlan step : plan) {
            StepOutcome outcome = runGuarded(runner, step);
            outcomes.add(outcome);
            LOG.info("Step {} {} in {}s: {}", outcome.kind().id(), outcome.outcome(), outcome.duration().toSeconds(),
                    outcome.message());
            if (recorder != null) {
                recorder.step(outcome);
            }
            if (!outcome.succeeded()) {
                break;
            }
        }
        RunReport report = new RunReport(runId, resolved.workflow().word(), resolved.namespace(),
                resolved.stackImageTag(), resolved.runner().name().toLowerCase(java.util.Locale.ROOT), started,
                Instant.now(clock), outcomes);
        if (recorder != null) {
            recorder.finish(report);
        } else {
            printReport(report);
        }
        logSummary(report);
        return new StepResult(report.exitCode(), report.message(), report.figures());
    }

    /** Runs a step; an exception from the runner itself (an API error creating its Job) is that step's failure. */
    private static StepOutcome runGuarded(StepRunner runner, StepPlan step) {
        Instant started = Instant.now();
        try {
            return runner.run(step);
        } catch (StepException e) {
            return new StepOutcome(step.kind(), "-", e.exitCode(), e.getMessage(), Map.of(),
                    java.time.Duration.between(started, Instant.now()), false);
        } catch (RuntimeException e) {
            LOG.error("Step {} could not be run: {}", step.kind().id(), e.toString(), e);
            return new StepOutcome(step.kind(), "-", io.github.stackreplica.common.cli.ExitCode.FAILED,
                    "Step " + step.kind().id() + " could not be run: " + e, Map.of(),
                    java.time.Duration.between(started, Instant.now()), false);
        }
    }

    /** The image tag to deploy: checked against production's, or production's own for {@code production}. */
    private String checkedTag() {
        String tag = config.stackImageTag();
        OrchestratorConfig.TagCheck check = config.tagCheck();
        if (!config.workflow().deploys()) {
            return tag;
        }
        if (!check.configured()) {
            LOG.warn("No --production-namespace or --production-url: deploying tag {} without checking that production"
                    + " runs it (Django migrations would run against the copied data if it differs)", tag);
            return tag;
        }
        String production = check.productionUrl() != null ? ProductionTags.fromUrl(check.productionUrl())
                : ProductionTags.fromNamespace(requireClient(), check.productionNamespace(),
                        check.productionStatefulSet());
        if (OrchestratorConfig.PRODUCTION.equals(tag)) {
            LOG.info("Production runs tag {}: deploying that", production);
            return production;
        }
        if (!production.equals(tag)) {
            if (!check.allowMismatch()) {
                throw StepException.refused("Refusing to deploy tag '" + tag + "': production runs '" + production
                        + "', and Django would migrate the copied data to a different schema. Use --stack-image-tag "
                        + production + " (or 'production'), or --allow-tag-mismatch if this is deliberate.");
            }
            LOG.warn("Deploying tag {} although production runs {} (--allow-tag-mismatch)", tag, production);
        }
        return tag;
    }

    private StepResult dryRun(OrchestratorConfig resolved, List<StepPlan> plan, StepJobs jobs, boolean onCluster) {
        KubernetesSerialization yaml = new KubernetesSerialization();
        out.println("Plan (dry run, nothing changed): workflow " + resolved.workflow().word() + " for namespace "
                + resolved.namespace() + (resolved.stackImageTag() == null ? "" : " at tag " + resolved.stackImageTag())
                + ", " + resolved.runner().name().toLowerCase(java.util.Locale.ROOT) + " runner");
        List<Map<String, Object>> steps = new ArrayList<>();
        int number = 1;
        for (StepPlan step : plan) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("step", step.kind().id());
            entry.put("program", step.kind().program());
            if (onCluster) {
                Job job = jobs.build(step, null);
                entry.put("job", job.getMetadata().getName());
                entry.put("image", jobs.image(step.kind()));
                out.println("  " + number++ + ". " + step.kind().id() + ": Job " + job.getMetadata().getName()
                        + ", image " + jobs.image(step.kind()) + ", env " + step.env());
                out.println(yaml.asYaml(job).indent(6));
            } else {
                out.println("  " + number++ + ". " + step.kind().id() + ": in-process " + step.kind().program()
                        + ", env " + step.env());
            }
            steps.add(entry);
        }
        out.flush();
        return StepResult.done("Dry run: " + plan.size() + " steps planned, nothing changed",
                Map.of("dryRun", true, "workflow", resolved.workflow().word(), "steps", steps));
    }

    private KubernetesClient requireClient() {
        if (client == null) {
            throw StepException.failed("This needs a Kubernetes cluster, and none is configured (KUBECONFIG, "
                    + "~/.kube/config or in-cluster)");
        }
        return client;
    }

    /** The Job this orchestrator runs in (from --own-job, or POD_NAME's owner), or null. */
    private Job ownJob() {
        OrchestratorConfig.JobSettings settings = config.jobs();
        String namespace = settings.ownNamespace() != null ? settings.ownNamespace() : config.namespace();
        String name = settings.ownJob();
        if (name == null && settings.ownPod() != null) {
            Pod pod = client.pods().inNamespace(namespace).withName(settings.ownPod()).get();
            name = pod == null || pod.getMetadata().getOwnerReferences() == null ? null
                    : pod.getMetadata().getOwnerReferences().stream().filter(o -> "Job".equals(o.getKind()))
                    .map(OwnerReference::getName).findFirst().orElse(null);
        }
        return name == null ? null : client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    /** Owner references cannot cross namespaces: only a Job in the target namespace owns the step Jobs. */
    private OwnerReference ownerReference(Job ownJob) {
        if (ownJob == null || !config.namespace().equals(ownJob.getMetadata().getNamespace())) {
            return null;
        }
        return new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withName(ownJob.getMetadata().getName()).withUid(ownJob.getMetadata().getUid())
                .withController(false).withBlockOwnerDeletion(false).build();
    }

    private String holder(Job ownJob) {
        return "run " + runId + (ownJob == null ? "" : " (Job " + ownJob.getMetadata().getNamespace() + "/"
                + ownJob.getMetadata().getName() + ")");
    }

    /** The local runner prints the whole report for the person at the terminal. */
    private void printReport(RunReport report) {
        out.println("Run report:");
        out.println(report.toJson());
        out.flush();
    }

    private void logSummary(RunReport report) {
        LOG.info("Run report {}: {}", report.run(), report.message());
        for (StepOutcome step : report.steps()) {
            LOG.info("  {} {} ({}s, {}){}", String.format("%-13s", step.kind().id()), step.outcome(),
                    step.duration().toSeconds(), step.where(),
                    step.kind() == StepKind.DB_RESTORE ? " backup " + step.figures().get("backup") : "");
        }
    }
}
