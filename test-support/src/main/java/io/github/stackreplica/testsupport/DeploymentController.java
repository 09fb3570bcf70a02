package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plays the Deployment and ReplicaSet controllers in one: pods {@code <name>-<template hash>-<5 chars>}, all replaced
 * when the template changes, removed when the Deployment scales down; status and the {@code Available} condition
 * follow the ready pods.
 */
final class DeploymentController {

    private static final String HASH = "pod-template-hash";

    private final KubernetesClient client;
    private final Kubelet kubelet;

    DeploymentController(KubernetesClient client, Kubelet kubelet) {
        this.client = client;
        this.kubelet = kubelet;
    }

    void reconcile(Deployment deployment, List<Pod> pods) {
        int replicas = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        String hash = SimulatedPods.templateHash(deployment.getSpec().getTemplate());
        List<Pod> owned = pods.stream().filter(p -> SimulatedPods.isOwnedBy(p, deployment)).toList();
        List<Pod> current = owned.stream().filter(p -> hash.equals(p.getMetadata().getLabels().get(HASH))).toList();
        owned.stream().filter(p -> !current.contains(p)).forEach(p -> client.pods().resource(p).delete());
        current.stream().skip(replicas).forEach(p -> client.pods().resource(p).delete());
        for (int i = current.size(); i < replicas; i++) {
            String name = deployment.getMetadata().getName() + "-" + hash + "-" + SimulatedPods.randomSuffix(5);
            kubelet.start(SimulatedPods.fromTemplate(name, deployment, deployment.getSpec().getTemplate(),
                    Map.of(HASH, hash)));
        }
        List<Pod> kept = current.stream().limit(replicas).toList();
        kept.forEach(kubelet::reportIfMissing);
        updateStatus(deployment, kept, replicas);
    }

    private void updateStatus(Deployment deployment, List<Pod> kept, int replicas) {
        int ready = (int) kept.stream().filter(SimulatedPods::isReady).count();
        boolean available = ready >= replicas;
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(kept.size()).withUpdatedReplicas(kept.size())
                .withReadyReplicas(ready).withAvailableReplicas(ready).withUnavailableReplicas(kept.size() - ready)
                .withConditions(
                        condition("Available", available,
                                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                                available ? "Deployment has minimum availability."
                                        : "Deployment does not have minimum availability."),
                        condition("Progressing", true,
                                available ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                                "ReplicaSet \"" + deployment.getMetadata().getName() + "\" is progressing."))
                .build();
        if (!sameStatus(status, deployment.getStatus())) {
            client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                    .withName(deployment.getMetadata().getName())
                    .editStatus(latest -> {
                        latest.setStatus(status);
                        return latest;
                    });
        }
    }

    /** Equal but for the conditions' timestamps, which change on every build. */
    private static boolean sameStatus(DeploymentStatus wanted, DeploymentStatus actual) {
        if (actual == null) {
            return false;
        }
        DeploymentStatus a = new DeploymentStatusBuilder(actual).build();
        DeploymentStatus w = new DeploymentStatusBuilder(wanted).build();
        a.getConditions().forEach(DeploymentController::clearTimes);
        w.getConditions().forEach(DeploymentController::clearTimes);
        return a.equals(w);
    }

    private static void clearTimes(DeploymentCondition condition) {
        condition.setLastTransitionTime(null);
        condition.setLastUpdateTime(null);
    }

    private static DeploymentCondition condition(String type, boolean status, String reason, String message) {
        return new DeploymentConditionBuilder().withType(type).withStatus(status ? "True" : "False")
                .withReason(reason).withMessage(message)
                .withLastTransitionTime(SimulatedPods.now()).withLastUpdateTime(SimulatedPods.now())
                .build();
    }
}
