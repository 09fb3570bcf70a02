package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves a container's environment the way the kubelet does, from the Secrets and ConfigMaps in the pod's namespace.
 * A missing required Secret, ConfigMap or key throws {@link IllegalStateException} with the kubelet's wording.
 */
final class EnvResolver {

    private final KubernetesClient client;
    private final Pod pod;

    EnvResolver(KubernetesClient client, Pod pod) {
        this.client = client;
        this.pod = pod;
    }

    Map<String, String> resolve(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
            if (from.getSecretRef() != null) {
                secretData(from.getSecretRef().getName(), Boolean.TRUE.equals(from.getSecretRef().getOptional()))
                        .forEach((key, value) -> env.put(prefix + key, value));
            }
            if (from.getConfigMapRef() != null) {
                configMapData(from.getConfigMapRef().getName(), Boolean.TRUE.equals(from.getConfigMapRef().getOptional()))
                        .forEach((key, value) -> env.put(prefix + key, value));
            }
        }
        for (EnvVar variable : container.getEnv()) {
            String value = variable.getValueFrom() == null ? variable.getValue() : valueFrom(variable.getValueFrom());
            if (value != null) {
                env.put(variable.getName(), value);
            }
        }
        return env;
    }

    private String valueFrom(EnvVarSource source) {
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            return key(secretData(ref.getName(), Boolean.TRUE.equals(ref.getOptional())), "secret", ref.getName(),
                    ref.getKey(), Boolean.TRUE.equals(ref.getOptional()));
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            return key(configMapData(ref.getName(), Boolean.TRUE.equals(ref.getOptional())), "configmap",
                    ref.getName(), ref.getKey(), Boolean.TRUE.equals(ref.getOptional()));
        }
        if (source.getFieldRef() != null) {
            return switch (source.getFieldRef().getFieldPath()) {
                case "metadata.name" -> pod.getMetadata().getName();
                case "metadata.namespace" -> pod.getMetadata().getNamespace();
                default -> null;
            };
        }
        return null;
    }

    private static String key(Map<String, String> data, String kind, String name, String key, boolean optional) {
        String value = data.get(key);
        if (value == null && !optional) {
            throw new IllegalStateException("couldn't find key " + key + " in " + kind + " "
                    + name);
        }
        return value;
    }

    private Map<String, String> secretData(String name, boolean optional) {
        Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
        if (secret == null) {
            return missing("secret", name, optional);
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((key, value) ->
                    data.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    private Map<String, String> configMapData(String name, boolean optional) {
        ConfigMap configMap = client.configMaps().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
        if (configMap == null) {
            return missing("configmap", name, optional);
        }
        return configMap.getData() == null ? Map.of() : configMap.getData();
    }

    private Map<String, String> missing(String kind, String name, boolean optional) {
        if (optional) {
            return Map.of();
        }
        throw new IllegalStateException(kind + " \"" + name + "\" not found");
    }
}
