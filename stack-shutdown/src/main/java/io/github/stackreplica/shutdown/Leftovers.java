package io.github.stackreplica.shutdown;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** What is still in the namespace while stack-shutdown waits, and why, in words for a person. */
final class Leftovers {

    private final KubernetesClient client;
    private final String namespace;

    Leftovers(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The pods matching any of {@code selectors} and the {@code targets} still present, each described. */
    List<String> podsAndObjects(List<LabelSelector> selectors, List<Target> targets) {
        List<String> left = new ArrayList<>();
        for (LabelSelector selector : selectors) {
            client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems()
                    .forEach(pod -> left.add(describe(pod)));
        }
        for (Target target : targets) {
            HasMetadata object = target.resource(client, namespace).get();
            if (object != null) {
                left.add(target.describe(namespace) + deletionState(object));
            }
        }
        return left;
    }

    /** The claim if it is still there, with why: its finalizers and the pods that mount it. Empty when gone. */
    List<String> volume(Target target) {
        PersistentVolumeClaim claim = (PersistentVolumeClaim) target.resource(client, namespace).get();
        if (claim == null) {
            return List.of();
        }
        List<String> users = client.pods().inNamespace(namespace).list().getItems().stream()
                .filter(pod -> pod.getSpec().getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
                        && target.name().equals(v.getPersistentVolumeClaim().getClaimName())))
                .map(pod -> namespace + "/" + pod.getMetadata().getName())
                .toList();
        return List.of(target.describe(namespace) + deletionState(claim)
                + (users.isEmpty() ? "" : "; still mounted by pod " + String.join(", pod ", users)));
    }

    private static String deletionState(HasMetadata object) {
        if (object.getMetadata().getDeletionTimestamp() == null) {
            return " (not being deleted)";
        }
        List<String> finalizers = object.getMetadata().getFinalizers();
        return " (being deleted since " + object.getMetadata().getDeletionTimestamp()
                + (finalizers.isEmpty() ? ")" : "; finalizers: " + String.join(", ", finalizers) + ")");
    }

    private String describe(Pod pod) {
        String phase = pod.getStatus() == null ? "unknown" : pod.getStatus().getPhase();
        return "pod " + namespace + "/" + pod.getMetadata().getName() + " (" + phase
                + (pod.getMetadata().getDeletionTimestamp() == null ? "" : ", terminating since "
                + pod.getMetadata().getDeletionTimestamp()) + ")";
    }
}
