package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.api.model.ContainerStateWaitingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The simulated node: creates pods the controllers ask for and reports their status (running, failing or exited). */
final class Kubelet {

    private final KubernetesClient client;
    private final Map<String, String> failingImages = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();

    Kubelet(KubernetesClient client) {
        this.client = client;
    }

    void failImage(String image, String reason) {
        failingImages.put(image, reason);
    }

    /** True when {@code pod} uses an image registered with {@link #failImage}. */
    boolean isFailing(Pod pod) {
        return pod.getSpec().getContainers().stream().anyMatch(c -> failingImages.containsKey(c.getImage()));
    }

    /** Creates the pod and reports it started (ready, or in its image's failure state). */
    Pod start(Pod pod) {
        Pod created = client.pods().resource(pod).create();
        started.incrementAndGet();
        return report(created, SimulatedPods.started(created, failingImages));
    }

    /** Reports a started status for a pod that has none yet (its creation raced with a failed status update). */
    void reportIfMissing(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
            report(pod, SimulatedPods.started(pod, failingImages));
        }
    }

    /** Reports the pod's first container as exited with {@code run}'s exit code and message. */
    Pod terminate(Pod pod, JobRun run) {
        return report(pod, SimulatedPods.terminated(pod, run.exitCode(), run.terminationMessage()));
    }

    /** Reports the pod's first container as waiting with {@code reason}, e.g. {@code CreateContainerConfigError}. */
    void reportWaiting(Pod pod, String reason, String message) {
        PodStatus status = SimulatedPods.started(pod, Map.of());
        status.setPhase("Pending");
        status.getConditions().forEach(c -> {
            if (c.getType().endsWith("Ready")) {
                c.setStatus("False");
            }
        });
        var container = status.getContainerStatuses().get(0);
        container.setReady(false);
        container.setStarted(false);
        container.getState().setRunning(null);
        container.getState().setWaiting(new ContainerStateWaitingBuilder().withReason(reason).withMessage(message).build());
        report(pod, status);
    }

    /** How many pods this kubelet has started so far. */
    int startedCount() {
        return started.get();
    }

    private Pod report(Pod pod, PodStatus status) {
        try {
            // One PUT with the version we hold; a concurrent change (a conflict) falls back to a read-modify-patch.
            return client.pods().resource(new PodBuilder(pod).withStatus(status).build()).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .editStatus(current -> {
                    current.setStatus(status);
                    return current;
                });
    }
}
