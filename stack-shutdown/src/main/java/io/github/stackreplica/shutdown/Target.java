package io.github.stackreplica.shutdown;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

/** One object stack-shutdown deletes: its kind and name. */
record Target(Kind kind, String name) {

    /** The kinds stack-shutdown deletes. */
    enum Kind {
        STATEFUL_SET("StatefulSet"), DEPLOYMENT("Deployment"), SERVICE("Service"), SECRET("Secret"),
        PERSISTENT_VOLUME_CLAIM("PVC");

        private final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** The object's resource in {@code namespace}. */
    Resource<? extends HasMetadata> resource(KubernetesClient client, String namespace) {
        return switch (kind) {
            case STATEFUL_SET -> client.apps().statefulSets().inNamespace(namespace).withName(name);
            case DEPLOYMENT -> client.apps().deployments().inNamespace(namespace).withName(name);
            case SERVICE -> client.services().inNamespace(namespace).withName(name);
            case SECRET -> client.secrets().inNamespace(namespace).withName(name);
            case PERSISTENT_VOLUME_CLAIM -> client.persistentVolumeClaims().inNamespace(namespace).withName(name);
        };
    }

    /** The selector of a workload's pods, or null for an object that has no pods. */
    static LabelSelector podSelector(HasMetadata object) {
        if (object instanceof StatefulSet set) {
            return set.getSpec().getSelector();
        }
        if (object instanceof Deployment deployment) {
            return deployment.getSpec().getSelector();
        }
        return null;
    }

    /** As a person names it: {@code StatefulSet staging/stack}. */
    String describe(String namespace) {
        return kind.label + " " + namespace + "/" + name;
    }
}
