package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pods as the simulated controllers and kubelet make them: names, owner references and the states they report. */
final class SimulatedPods {

    /** The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alike characters). */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SimulatedPods() {
    }

    /** A pod stamped from {@code template}, owned by {@code owner}, with {@code extraLabels} on top of the template's. */
    static Pod fromTemplate(String name, HasMetadata owner, PodTemplateSpec template, Map<String, String> extraLabels) {
        Map<String, String> labels = new HashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.putAll(extraLabels);
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
                .withOwnerReferences(ownerReference(owner))
                .endMetadata()
                .withSpec(template.getSpec())
                .editSpec().withNodeName("simulated-node").endSpec()
                .build();
    }

    static OwnerReference ownerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** The controller's uid in the pod's owner references, if it has one. */
    static Optional<String> controllerUid(Pod pod) {
        return pod.getMetadata().getOwnerReferences().stream()
                .filter(ref -> Boolean.TRUE.equals(ref.getController()))
                .map(OwnerReference::getUid)
                .findFirst();
    }

    static boolean isOwnedBy(Pod pod, HasMetadata owner) {
        return controllerUid(pod).filter(owner.getMetadata().getUid()::equals).isPresent();
    }

    /** {@code length} random characters from the alphabet Kubernetes uses for generated names. */
    static String randomSuffix(int length) {
        StringBuilder suffix = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }

    /** A stable hash of a pod template, like {@code pod-template-hash} and {@code controller-revision-hash}. */
    static String templateHash(PodTemplateSpec template) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Serialization.asJson(template).getBytes(StandardCharsets.UTF_8));
            StringBuilder hash = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                hash.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
            }
            return hash.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * The status the kubelet would report for a freshly started pod: Running and ready, or, when a container's image is
     * in {@code failingImages}, that container waiting with the failure's reason (phase Running for
     * {@code CrashLoopBackOff}, else Pending).
     */
    static PodStatus started(Pod pod, Map<String, String> failingImages) {
        List<Container> containers = pod.getSpec().getContainers();
        List<ContainerStatus> statuses = containers.stream()
                .map(c -> failingImages.containsKey(c.getImage())
                        ? waiting(c, failingImages.get(c.getImage()))
                        : running(c))
                .toList();
        boolean ready = statuses.stream().allMatch(ContainerStatus::getReady);
        boolean crashing = statuses.stream().anyMatch(s -> s.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason()));
        return new PodStatusBuilder()
                .withPhase(ready || crashing ? "Running" : "Pending")
                .withStartTime(now())
                .withPodIP("10.42.0." + (1 + RANDOM.nextInt(250)))
                .withConditions(condition("PodScheduled", true), condition("Initialized", true),
                        condition("ContainersReady", ready), condition("Ready", ready))
                .withContainerStatuses(statuses)
                .build();
    }

    /** The status of a pod whose first container exited with {@code exitCode} and {@code message}. */
    static PodStatus terminated(Pod pod, int exitCode, String message) {
        Container container = pod.getSpec().getContainers().get(0);
        ContainerStatus status = new ContainerStatusBuilder()
                .withName(container.getName()).withImage(container.getImage())
                .withImageID(imageId(container)).withReady(false).withStarted(false).withRestartCount(0)
                .withNewState().withNewTerminated()
                .withExitCode(exitCode).withMessage(message).withReason(exitCode == 0 ? "Completed" : "Error")
                .withStartedAt(pod.getStatus() == null ? now() : pod.getStatus().getStartTime()).withFinishedAt(now())
                .endTerminated().endState()
                .build();
        PodStatus previous = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        return new PodStatusBuilder(previous)
                .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .withConditions(condition("PodScheduled", true), condition("Initialized", true),
                        condition("ContainersReady", false), condition("Ready", false))
                .withContainerStatuses(status)
                .build();
    }

    /** The first container's waiting reason, or null when it is not waiting. */
    static String waitingReason(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses().isEmpty()) {
            return null;
        }
        var waiting = pod.getStatus().getContainerStatuses().get(0).getState().getWaiting();
        return waiting == null ? null : waiting.getReason();
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static ContainerStatus running(Container container) {
        return new ContainerStatusBuilder()
                .withName(container.getName()).withImage(container.getImage()).withImageID(imageId(container))
                .withReady(true).withStarted(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(now()).endRunning().endState()
                .build();
    }

    private static ContainerStatus waiting(Container container, String reason) {
        String message = "CrashLoopBackOff".equals(reason)
                ? "back-off 10s restarting failed container=" + container.getName()
                : "Back-off pulling image \"" + container.getImage() + "\"";
        return new ContainerStatusBuilder()
                .withName(container.getName()).withImage(container.getImage()).withImageID("")
                .withReady(false).withStarted(false).withRestartCount("CrashLoopBackOff".equals(reason) ? 1 : 0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .build();
    }

    private static String imageId(Container container) {
        return "docker.io/" + container.getImage() + "@sha256:0000";
    }

    private static PodCondition condition(String type, boolean status) {
        return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False")
                .withLastTransitionTime(now()).build();
    }
}
