package io.github.stackreplica.deploy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.stackreplica.common.cli.StepException;
import io.github.stackreplica.common.kube.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Waits until StatefulSets have all replicas ready and Deployments are available at their latest generation, and
 * fails fast (exit 1) as soon as one of their pods cannot pull or keep running its image.
 */
final class Readiness {

    /** Waiting reasons that will not fix themselves: a wrong image name or tag, or a container that keeps crashing. */
    static final Set<String> FATAL_REASONS = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "CrashLoopBackOff");

    private final KubernetesClient client;
    private final String namespace;
    private final Duration timeout;
    private final Duration pollInterval;

    Readiness(KubernetesClient client, String namespace, Duration timeout, Duration pollInterval) {
        this.client = client;
        this.namespace = namespace;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
    }

    /**
     * Waits for {@code workloads} (StatefulSets and Deployments; other objects are ignored).
     *
     * @throws StepException exit 1 naming pod, container, image and reason when a pod cannot start; exit 4 listing
     *                       what is not ready and each pod's state on timeout
     */
    void await(List<HasMetadata> workloads) {
        List<HasMetadata> waited = workloads.stream()
                .filter(w -> w instanceof StatefulSet || w instanceof Deployment).toList();
        if (waited.isEmpty()) {
            return;
        }
        String names = String.join(", ", waited.stream().map(this::name).toList());
        Waits.until(new Waits.Wait(names, "ready", timeout, pollInterval), () -> notReady(waited), List::isEmpty,
                left -> "not ready: " + String.join("; ", left));
    }

    private List<String> notReady(List<HasMetadata> workloads) {
        List<String> notReady = new ArrayList<>();
        for (HasMetadata workload : workloads) {
            HasMetadata live = client.resource(workload).get();
            if (live == null) {
                notReady.add(name(workload) + " is gone");
                continue;
            }
            List<Pod> pods = pods(selector(live));
            pods.forEach(pod -> failIfStuck(live, pod));
            if (!isReady(live)) {
                notReady.add(name(live) + " " + progress(live) + (pods.isEmpty() ? ", no pods"
                        : ", " + String.join(", ", pods.stream().map(Readiness::describe).toList())));
            }
        }
        return notReady;
    }

    static boolean isReady(HasMetadata workload) {
        if (workload instanceof StatefulSet set) {
            int replicas = Objects.requireNonNullElse(set.getSpec().getReplicas(), 1);
            var status = set.getStatus();
            return status != null && observed(status.getObservedGeneration(), set)
                    && count(status.getReadyReplicas()) >= replicas && count(status.getUpdatedReplicas()) >= replicas
                    && count(status.getReplicas()) == replicas;
        }
        Deployment deployment = (Deployment) workload;
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        var status = deployment.getStatus();
        return status != null && observed(status.getObservedGeneration(), deployment)
                && count(status.getUpdatedReplicas()) >= replicas && count(status.getAvailableReplicas()) >= replicas
                // as kubectl rollout status: no pods of an older ReplicaSet left
                && count(status.getReplicas()) <= count(status.getUpdatedReplicas())
                && status.getConditions().stream()
                .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void failIfStuck(HasMetadata owner, Pod pod) {
        if (pod.getStatus() == null) {
            return;
        }
        Stream.concat(pod.getStatus().getInitContainerStatuses().stream(),
                        pod.getStatus().getContainerStatuses().stream())
                .filter(c -> c.getState() != null && c.getState().getWaiting() != null
                        && FATAL_REASONS.contains(c.getState().getWaiting().getReason()))
                .findFirst()
                .ifPresent(c -> {
                    throw StepException.failed("Pod " + namespace + "/" + pod.getMetadata().getName() + " of "
                            + name(owner) + " cannot start: container " + c.getName() + " (image " + c.getImage()
                            + ") is in " + c.getState().getWaiting().getReason()
                            + message(c.getState().getWaiting().getMessage())
                            + ". Check the image name and tag (--stack-image, --stack-image-tag, --set *_IMAGE).");
                });
    }

    private List<Pod> pods(LabelSelector selector) {
        if (selector == null) {
            return List.of();
        }
        return client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems();
    }

    private static LabelSelector selector(HasMetadata workload) {
        return workload instanceof StatefulSet set ? set.getSpec().getSelector()
                : ((Deployment) workload).getSpec().getSelector();
    }

    private static String progress(HasMetadata workload) {
        if (workload instanceof StatefulSet set) {
            return count(set.getStatus() == null ? null : set.getStatus().getReadyReplicas()) + "/"
                    + Objects.requireNonNullElse(set.getSpec().getReplicas(), 1) + " ready";
        }
        Deployment deployment = (Deployment) workload;
        return count(deployment.getStatus() == null ? null : deployment.getStatus().getAvailableReplicas()) + "/"
                + Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1) + " available";
    }

    /** A pod's state as {@code kubectl describe} would sum it up: phase, then each container that is not ready. */
    static String describe(Pod pod) {
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Unknown"
                : pod.getStatus().getPhase();
        List<String> containers = new ArrayList<>();
        if (pod.getStatus() != null) {
            Stream.concat(pod.getStatus().getInitContainerStatuses().stream(),
                            pod.getStatus().getContainerStatuses().stream())
                    .filter(c -> !Boolean.TRUE.equals(c.getReady()))
                    .forEach(c -> containers.add(containerState(c)));
        }
        return "pod " + pod.getMetadata().getName() + " " + phase
                + (containers.isEmpty() ? "" : " (" + String.join(", ", containers) + ")");
    }

    private static String containerState(ContainerStatus container) {
        var state = container.getState();
        if (state != null && state.getWaiting() != null) {
            return "container " + container.getName() + " waiting: " + state.getWaiting().getReason()
                    + message(state.getWaiting().getMessage());
        }
        if (state != null && state.getTerminated() != null) {
            return "container " + container.getName() + " terminated: " + state.getTerminated().getReason()
                    + " (exit " + state.getTerminated().getExitCode() + ")";
        }
        return "container " + container.getName() + " not ready";
    }

    private static String message(String message) {
        return message == null || message.isBlank() ? "" : " (" + message + ")";
    }

    private static boolean observed(Long observedGeneration, HasMetadata workload) {
        Long generation = workload.getMetadata().getGeneration();
        return generation == null || (observedGeneration != null && observedGeneration >= generation);
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }

    private String name(HasMetadata workload) {
        return workload.getKind() + " " + namespace + "/" + workload.getMetadata().getName();
    }
}
