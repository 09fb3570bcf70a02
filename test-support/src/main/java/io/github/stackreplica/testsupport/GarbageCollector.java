package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Plays the garbage collector and the PVC protection controller: pods whose controller is gone are deleted; every PVC
 * carries the {@code kubernetes.io/pvc-protection} finalizer, removed once the PVC is being deleted and no pod mounts it.
 */
final class GarbageCollector {

    static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";

    private final KubernetesClient client;

    GarbageCollector(KubernetesClient client) {
        this.client = client;
    }

    /** Deletes the pods whose controller's uid is not in {@code liveOwners}. */
    void collectOrphans(List<Pod> pods, Set<String> liveOwners) {
        for (Pod pod : pods) {
            SimulatedPods.controllerUid(pod).filter(uid -> !liveOwners.contains(uid))
                    .ifPresent(uid -> client.pods().resource(pod).delete());
        }
    }

    /** Protects new PVCs with the finalizer and releases deleted ones no pod in {@code pods} mounts any more. */
    void protectClaims(List<Pod> pods) {
        for (PersistentVolumeClaim claim : client.persistentVolumeClaims().inAnyNamespace().list().getItems()) {
            boolean protectedClaim = claim.getMetadata().getFinalizers().contains(PVC_PROTECTION);
            if (!claim.isMarkedForDeletion() && !protectedClaim) {
                client.persistentVolumeClaims().resource(claim).edit(c -> {
                    c.getMetadata().getFinalizers().add(PVC_PROTECTION);
                    return c;
                });
                bind(claim);
            } else if (claim.isMarkedForDeletion() && protectedClaim && !isMounted(claim, pods)) {
                client.persistentVolumeClaims().resource(claim).edit(c -> {
                    List<String> finalizers = new ArrayList<>(c.getMetadata().getFinalizers());
                    finalizers.remove(PVC_PROTECTION);
                    c.getMetadata().setFinalizers(finalizers);
                    return c;
                });
            }
        }
    }

    private void bind(PersistentVolumeClaim claim) {
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName())
                .editStatus(c -> {
                    c.setStatus(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder()
                            .withPhase("Bound")
                            .withAccessModes(c.getSpec().getAccessModes())
                            .withCapacity(c.getSpec().getResources() == null ? null
                                    : c.getSpec().getResources().getRequests())
                            .build());
                    return c;
                });
    }

    /** True when a pod in the claim's namespace has a volume on it. */
    static boolean isMounted(PersistentVolumeClaim claim, List<Pod> pods) {
        return !mountedBy(claim, pods).isEmpty();
    }

    /** The pods in the claim's namespace that have a volume on it. */
    static List<Pod> mountedBy(PersistentVolumeClaim claim, List<Pod> pods) {
        return pods.stream()
                .filter(p -> claim.getMetadata().getNamespace().equals(p.getMetadata().getNamespace()))
                .filter(p -> p.getSpec().getVolumes().stream().anyMatch(v -> v.getPersistentVolumeClaim() != null
                        && claim.getMetadata().getName().equals(v.getPersistentVolumeClaim().getClaimName())))
                .toList();
    }
}
