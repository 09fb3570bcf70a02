package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Plays the StatefulSet controller: pods {@code <name>-0..n-1}, replaced when the template changes, removed when the
 * set scales down; status counts ready pods.
 */
final class StatefulSetController {

    private static final String REVISION = "controller-revision-hash";

    private final KubernetesClient client;
    private final Kubelet kubelet;

    StatefulSetController(KubernetesClient client, Kubelet kubelet) {
        this.client = client;
        this.kubelet = kubelet;
    }

    void reconcile(StatefulSet set, List<Pod> pods) {
        String namespace = set.getMetadata().getNamespace();
        String name = set.getMetadata().getName();
        int replicas = Objects.requireNonNullElse(set.getSpec().getReplicas(), 1);
        String revision = name + "-" + SimulatedPods.templateHash(set.getSpec().getTemplate());
        List<Pod> owned = pods.stream().filter(p -> SimulatedPods.isOwnedBy(p, set)).toList();
        for (Pod pod : owned) {
            if (ordinal(pod, name) >= replicas || !revision.equals(pod.getMetadata().getLabels().get(REVISION))) {
                client.pods().resource(pod).delete();
            }
        }
        Set<String> taken = pods.stream().filter(p -> namespace.equals(p.getMetadata().getNamespace()))
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        for (int i = 0; i < replicas; i++) {
            String podName = name + "-" + i;
            if (!taken.contains(podName)) {
                kubelet.start(SimulatedPods.fromTemplate(podName, set, set.getSpec().getTemplate(),
                        Map.of(REVISION, revision, "statefulset.kubernetes.io/pod-name", podName,
                                "apps.kubernetes.io/pod-index", String.valueOf(i))));
            }
        }
        List<Pod> current = owned.stream().filter(p -> ordinal(p, name) < replicas
                && revision.equals(p.getMetadata().getLabels().get(REVISION))).toList();
        current.forEach(kubelet::reportIfMissing);
        updateStatus(set, current, revision);
    }

    private void updateStatus(StatefulSet set, List<Pod> current, String revision) {
        int ready = (int) current.stream().filter(SimulatedPods::isReady).count();
        StatefulSetStatus status = new StatefulSetStatusBuilder()
                .withObservedGeneration(set.getMetadata().getGeneration())
                .withReplicas(current.size()).withReadyReplicas(ready).withAvailableReplicas(ready)
                .withCurrentReplicas(current.size()).withUpdatedReplicas(current.size())
                .withCurrentRevision(revision).withUpdateRevision(revision)
                .build();
        if (!status.equals(set.getStatus())) {
            client.apps().statefulSets().inNamespace(set.getMetadata().getNamespace())
                    .withName(set.getMetadata().getName())
                    .editStatus(latest -> {
                        latest.setStatus(status);
                        return latest;
                    });
        }
    }

    /** The pod's ordinal, or {@link Integer#MAX_VALUE} when its name does not follow {@code <set>-<n>}. */
    private static int ordinal(Pod pod, String setName) {
        String suffix = pod.getMetadata().getName().substring(Math.min(setName.length() + 1,
                pod.getMetadata().getName().length()));
        try {
            return Integer.parseInt(suffix);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
