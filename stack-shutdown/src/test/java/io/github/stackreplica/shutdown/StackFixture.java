package io.github.stackreplica.shutdown;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** A running Fragalysis-shaped stack in the mock cluster, built object by object as the stack templates would. */
final class StackFixture {

    private final KubernetesClient client;
    private final String namespace;

    StackFixture(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Creates the namespace and every object of the stack. */
    void create() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                .build()).create();
        for (String claim : List.of("media", "database")) {
            create(new PersistentVolumeClaimBuilder().withNewMetadata().withName(claim).endMetadata()
                    .withNewSpec().withAccessModes("media".equals(claim) ? "ReadWriteMany" : "ReadWriteOnce")
                    .endSpec().build());
        }
        for (String secret : List.of("database", "django", "stack-tls")) {
            create(new SecretBuilder().withNewMetadata().withName(secret).endMetadata()
                    .addToStringData("key", "value").build());
        }
        create(statefulSet("database", "xchem/fragalysis-database:1", "database"));
        create(statefulSet("stack", "xchem/fragalysis-stack:1.0", "media"));
        create(statefulSet("worker", "xchem/fragalysis-stack:1.0", "media"));
        for (String name : List.of("redis", "pgbouncer", "beat")) {
            create(new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("name", name).endSelector()
                    .withTemplate(template(name, name + ":1", null)).endSpec().build());
        }
        for (String name : List.of("database", "redis", "pgbouncer", "stack")) {
            create(new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().addToSelector("name", name).addNewPort().withPort(80).endPort().endSpec().build());
        }
        create(new IngressBuilder().withNewMetadata().withName("stack").endMetadata()
                .withNewSpec().addNewTl().withSecretName("stack-tls").addToHosts("stack.example.org").endTl()
                .endSpec().build());
    }

    /** A bare pod (as a media-sync Job's would be) that mounts {@code claim} and never goes away by itself. */
    void podMounting(String podName, String claim) {
        create(new PodBuilder().withNewMetadata().withName(podName).endMetadata()
                .withSpec(template("media-sync", "media-sync:1", claim).getSpec()).build());
    }

    private void create(HasMetadata object) {
        object.getMetadata().setNamespace(namespace);
        client.resource(object).create();
    }

    private static HasMetadata statefulSet(String name, String image, String claim) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(1).withServiceName(name)
                .withNewSelector().addToMatchLabels("name", name).endSelector()
                .withTemplate(template(name, image, claim)).endSpec().build();
    }

    private static PodTemplateSpec template(String name, String image, String claim) {
        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels("name", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage(image).endContainer().endSpec();
        if (claim != null) {
            template.editSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim()
                    .withClaimName(claim).endPersistentVolumeClaim().endVolume().endSpec();
        }
        return template.build();
    }
}
