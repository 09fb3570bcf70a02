package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the Job controller and a kubelet running in-process workloads: one pod per Job, the workload registered for
 * its image run on its own thread, then the pod's exit and the Job's {@code Complete} or {@code Failed} condition.
 * There are no retries: the first failed pod fails the Job.
 */
final class JobController {

    private static final Logger LOG = LoggerFactory.getLogger(JobController.class);

    private final KubernetesClient client;
    private final Kubelet kubelet;
    private final ExecutorService threads;
    private final Map<String, JobWorkload> workloads = new ConcurrentHashMap<>();
    private final Set<String> started = ConcurrentHashMap.newKeySet();

    JobController(KubernetesClient client, Kubelet kubelet, ExecutorService threads) {
        this.client = client;
        this.kubelet = kubelet;
        this.threads = threads;
    }

    void register(String imagePrefix, JobWorkload workload) {
        workloads.put(imagePrefix, workload);
    }

    void reconcile(Job job, List<Pod> pods) {
        if (isFinished(job) || started.contains(job.getMetadata().getUid())) {
            return;
        }
        Optional<Pod> existing = pods.stream().filter(p -> SimulatedPods.isOwnedBy(p, job)).findFirst();
        Pod pod = existing.isPresent() ? existing.get() : startPod(job);
        if (kubelet.isFailing(pod)) {
            return;
        }
        String image = pod.getSpec().getContainers().get(0).getImage();
        Optional<JobWorkload> workload = workloadFor(image);
        if (workload.isEmpty()) {
            return;
        }
        Map<String, String> env;
        try {
            env = new EnvResolver(client, pod).resolve(pod.getSpec().getContainers().get(0));
        } catch (IllegalStateException e) {
            if (!"CreateContainerConfigError".equals(SimulatedPods.waitingReason(pod))) {
                kubelet.reportWaiting(pod, "CreateContainerConfigError", e.getMessage());
            }
            return;
        }
        kubelet.reportIfMissing(pod);
        started.add(job.getMetadata().getUid());
        threads.submit(() -> run(job, pod, workload.get(), env));
    }

    private Pod startPod(Job job) {
        // As the Job controller does: startTime and active are set before the pod exists.
        editJobStatus(job, latest -> {
            latest.getStatus().setActive(1);
            latest.getStatus().setStartTime(SimulatedPods.now());
        });
        String name = job.getMetadata().getName() + "-" + SimulatedPods.randomSuffix(5);
        return kubelet.start(SimulatedPods.fromTemplate(name, job, job.getSpec().getTemplate(), Map.of(
                "job-name", job.getMetadata().getName(), "batch.kubernetes.io/job-name", job.getMetadata().getName(),
                "controller-uid", job.getMetadata().getUid(),
                "batch.kubernetes.io/controller-uid", job.getMetadata().getUid())));
    }

    private Optional<JobWorkload> workloadFor(String image) {
        return workloads.entrySet().stream()
                .filter(entry -> image.startsWith(entry.getKey()))
                .max(Comparator.comparingInt(entry -> entry.getKey().length()))
                .map(Map.Entry::getValue);
    }

    private void run(Job job, Pod pod, JobWorkload workload, Map<String, String> env) {
        JobRun run;
        try {
            run = workload.run(job, env);
        } catch (Exception | AssertionError e) {
            LOG.info("Workload of Job {}/{} threw {}", job.getMetadata().getNamespace(), job.getMetadata().getName(), e.toString());
            run = new JobRun(1, e.toString());
        }
        try {
            kubelet.terminate(pod, run);
            finish(job, pod, run);
        } catch (KubernetesClientException e) {
            LOG.debug("Job {}/{} went away while it ran: {}", job.getMetadata().getNamespace(),
                    job.getMetadata().getName(), e.getMessage());
        }
    }

    private void finish(Job job, Pod pod, JobRun run) {
        JobCondition condition = run.exitCode() == 0
                ? condition("Complete", null, null)
                : failedCondition(job, pod, run.exitCode());
        editJobStatus(job, latest -> {
            latest.getStatus().setActive(0);
            if (run.exitCode() == 0) {
                latest.getStatus().setSucceeded(1);
                latest.getStatus().setCompletionTime(SimulatedPods.now());
            } else {
                latest.getStatus().setFailed(1);
            }
            latest.getStatus().getConditions().add(condition);
        });
    }

    private static JobCondition failedCondition(Job job, Pod pod, int exitCode) {
        var policy = job.getSpec().getPodFailurePolicy();
        List<PodFailurePolicyRule> rules = policy == null ? List.of() : policy.getRules();
        for (int i = 0; i < rules.size(); i++) {
            PodFailurePolicyRule rule = rules.get(i);
            var onExitCodes = rule.getOnExitCodes();
            if (onExitCodes == null) {
                continue;
            }
            boolean in = onExitCodes.getValues().contains(exitCode);
            if ("In".equals(onExitCodes.getOperator()) == in) {
                if (!"FailJob".equals(rule.getAction())) {
                    break;
                }
                return condition("Failed", "PodFailurePolicy", "Container "
                        + pod.getSpec().getContainers().get(0).getName() + " for pod "
                        + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                        + " failed with exit code " + exitCode + " matching FailJob rule at index " + i);
            }
        }
        return condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    }

    private static JobCondition condition(String type, String reason, String message) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(SimulatedPods.now()).withLastTransitionTime(SimulatedPods.now()).build();
    }

    private void editJobStatus(Job job, java.util.function.Consumer<Job> change) {
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .editStatus(latest -> {
                    if (latest.getStatus() == null) {
                        latest.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
                    }
                    change.accept(latest);
                    return latest;
                });
    }

    static boolean isFinished(Job job) {
        return job.getStatus() != null && job.getStatus().getConditions().stream()
                .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
    }
}
