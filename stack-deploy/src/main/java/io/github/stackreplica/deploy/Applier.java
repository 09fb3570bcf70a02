package io.github.stackreplica.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Create-or-update that works on a real API server and on the CRUD mock alike (no server-side apply, no strategic
 * merge): read the object; create it when absent; otherwise replace it (PUT) carrying the live object's
 * {@code resourceVersion}, and keep what others own: labels, annotations, finalizers and owner references it does not
 * set, and a Service's allocated cluster IPs and node ports. Secrets and PVCs are created when absent and never
 * changed (generated credentials stay; a claim's spec is immutable).
 */
final class Applier {

    /** What happened to one object. */
    enum Outcome {
        CREATED("Created"), UPDATED("Updated"), KEPT("Kept existing");

        final String verb;

        Outcome(String verb) {
            this.verb = verb;
        }
    }

    private final KubernetesClient client;

    Applier(KubernetesClient client) {
        this.client = client;
    }

    /** What {@link #apply} would do, without changing anything. */
    Outcome plan(HasMetadata desired) {
        HasMetadata live = client.resource(desired).get();
        return live == null ? Outcome.CREATED : isCreateOnly(desired) ? Outcome.KEPT : Outcome.UPDATED;
    }

    /** Creates or updates {@code desired}; retries once when the object changed between read and write. */
    Outcome apply(HasMetadata desired) {
        try {
            return applyOnce(desired);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return applyOnce(desired);
        }
    }

    private Outcome applyOnce(HasMetadata desired) {
        HasMetadata live = client.resource(desired).get();
        if (live == null) {
            client.resource(desired instanceof Secret secret ? encoded(secret) : desired).create();
            return Outcome.CREATED;
        }
        if (isCreateOnly(desired)) {
            return Outcome.KEPT;
        }
        keepWhatOthersOwn(desired, live);
        client.resource(desired).update();
        return Outcome.UPDATED;
    }

    /** The secret with {@code stringData} moved into {@code data}, as the API server stores it (the mock does not). */
    static Secret encoded(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>(secret.getData() == null ? Map.of() : secret.getData());
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((key, value) -> data.put(key,
                    Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        }
        return new SecretBuilder(secret).withData(data).withStringData(null).build();
    }

    private static boolean isCreateOnly(HasMetadata object) {
        return object instanceof Secret || object instanceof PersistentVolumeClaim;
    }

    private static void keepWhatOthersOwn(HasMetadata desired, HasMetadata live) {
        ObjectMeta want = desired.getMetadata();
        ObjectMeta have = live.getMetadata();
        want.setResourceVersion(have.getResourceVersion());
        want.setLabels(merged(have.getLabels(), want.getLabels()));
        want.setAnnotations(merged(have.getAnnotations(), want.getAnnotations()));
        LinkedHashSet<String> finalizers = new LinkedHashSet<>(have.getFinalizers());
        finalizers.addAll(want.getFinalizers());
        want.setFinalizers(new ArrayList<>(finalizers));
        if (want.getOwnerReferences().isEmpty()) {
            want.setOwnerReferences(have.getOwnerReferences());
        }
        if (desired instanceof Service service && live instanceof Service existing) {
            keepAllocations(service.getSpec(), existing.getSpec());
        }
    }

    /** Cluster IPs and node ports are allocated by the API server and mostly immutable. */
    private static void keepAllocations(ServiceSpec want, ServiceSpec have) {
        if (want.getClusterIP() == null) {
            want.setClusterIP(have.getClusterIP());
            want.setClusterIPs(have.getClusterIPs());
        }
        if (want.getIpFamilies().isEmpty()) {
            want.setIpFamilies(have.getIpFamilies());
            want.setIpFamilyPolicy(have.getIpFamilyPolicy());
        }
        if (want.getHealthCheckNodePort() == null) {
            want.setHealthCheckNodePort(have.getHealthCheckNodePort());
        }
        for (var port : want.getPorts()) {
            if (port.getNodePort() == null) {
                have.getPorts().stream()
                        .filter(old -> old.getPort().equals(port.getPort()) && old.getNodePort() != null)
                        .findFirst().ifPresent(old -> port.setNodePort(old.getNodePort()));
            }
        }
    }

    private static Map<String, String> merged(Map<String, String> live, Map<String, String> desired) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (live != null) {
            merged.putAll(live);
        }
        if (desired != null) {
            merged.putAll(desired);
        }
        return merged.isEmpty() ? null : merged;
    }
}
