package io.github.stackreplica.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stack templates in k8s/stack render with their defaults and describe the Fragalysis stack consistently. */
class StackTemplatesTest {

    private static final Path STACK = Path.of("stack");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    /** What stack-deploy fills from its options and generates; everything else must have a default. */
    private static final Map<String, String> SUPPLIED = Map.of("NAMESPACE", "staging-stack",
            "STACK_IMAGE", "xchem/fragalysis-stack", "STACK_IMAGE_TAG", "1.2.3", "STACK_HOSTNAME", "staging.example.org",
            "DATABASE_ROOT_PASSWORD", "root-pw", "DATABASE_USER_PASSWORD", "user-pw",
            "DJANGO_SECRET_KEY", "key", "DJANGO_SUPERUSER_PASSWORD", "su-pw");

    private static Map<String, HasMetadata> objects;

    @BeforeAll
    static void renderAll() throws IOException {
        Map<String, String> values = new HashMap<>(defaults());
        values.putAll(SUPPLIED);
        KubernetesSerialization serialization = new KubernetesSerialization();
        objects = new HashMap<>();
        for (Path file : templates()) {
            String text = Files.readString(file);
            Matcher matcher = PLACEHOLDER.matcher(text);
            StringBuilder rendered = new StringBuilder();
            while (matcher.find()) {
                assertTrue(values.containsKey(matcher.group(1)), file + " uses ${" + matcher.group(1) + "} without a default");
                matcher.appendReplacement(rendered, Matcher.quoteReplacement(values.get(matcher.group(1))));
            }
            matcher.appendTail(rendered);
            HasMetadata object = assertInstanceOf(HasMetadata.class, serialization.unmarshal(rendered.toString()), file.toString());
            assertEquals("staging-stack", object.getMetadata().getNamespace(), file.toString());
            objects.put(object.getKind() + "/" + object.getMetadata().getName(), object);
        }
    }

    @Test
    void everyTemplateRendersToTheObjectsOfTheStack() {
        assertEquals(new TreeSet<>(List.of("ConfigMap/postgres-init", "ConfigMap/redis-conf", "Deployment/beat",
                "Deployment/pgbouncer", "Deployment/redis", "Ingress/stack", "PersistentVolumeClaim/database",
                "PersistentVolumeClaim/media", "Secret/database", "Secret/django", "Service/database",
                "Service/pgbouncer", "Service/redis", "Service/stack", "ServiceAccount/stack", "StatefulSet/database",
                "StatefulSet/stack", "StatefulSet/worker")), new TreeSet<>(objects.keySet()));
    }

    @Test
    void everyTemplateDeclaresItsComponent() throws IOException {
        for (Path file : templates()) {
            assertTrue(Files.readString(file).lines().anyMatch(line -> line.matches("# component: (infra|app|infra,app)")),
                    file + " has no component line");
        }
    }

    @Test
    void stackWorkerAndBeatRunTheStackImageAtTheTagInTheirRoles() {
        assertEquals(Map.of("stack", "", "worker", "worker", "beat", "beat"), Stream.of("stack", "worker", "beat")
                .collect(Collectors.toMap(name -> name, name -> {
                    Container container = podSpec(workload(name)).getContainers().get(0);
                    assertEquals("xchem/fragalysis-stack:1.2.3", container.getImage(), name);
                    return container.getEnv().stream().filter(e -> e.getName().equals("CONTAINER_ROLE"))
                            .map(EnvVar::getValue).findFirst().orElse("");
                })));
        for (String name : List.of("stack", "worker")) {
            Container container = podSpec(workload(name)).getContainers().get(0);
            assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/code/media")
                    && podSpec(workload(name)).getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName())
                    && v.getPersistentVolumeClaim() != null
                    && v.getPersistentVolumeClaim().getClaimName().equals("media"))), name + " mounts media");
        }
        assertEquals(List.of("ReadWriteMany"), ((io.fabric8.kubernetes.api.model.PersistentVolumeClaim)
                objects.get("PersistentVolumeClaim/media")).getSpec().getAccessModes());
    }

    @Test
    void servicesListenOnTheStacksPorts() {
        assertEquals(80, port("stack"));
        assertEquals(5432, port("database"));
        assertEquals(5432, port("pgbouncer"));
        assertEquals(6379, port("redis"));
    }

    @Test
    void everySecretKeyAndClaimAndConfigMapAPodUsesIsInTheTemplates() {
        for (HasMetadata object : objects.values()) {
            if (!(object instanceof StatefulSet) && !(object instanceof Deployment)) {
                continue;
            }
            PodSpec spec = podSpec(object);
            for (Container container : spec.getContainers()) {
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        var ref = env.getValueFrom().getSecretKeyRef();
                        Secret secret = (Secret) objects.get("Secret/" + ref.getName());
                        assertTrue(secret != null && secret.getStringData().containsKey(ref.getKey()),
                                object.getMetadata().getName() + " reads missing " + ref.getName() + "/" + ref.getKey());
                    }
                }
            }
            spec.getVolumes().forEach(volume -> {
                if (volume.getPersistentVolumeClaim() != null) {
                    assertTrue(objects.containsKey("PersistentVolumeClaim/" + volume.getPersistentVolumeClaim().getClaimName()));
                }
                if (volume.getConfigMap() != null) {
                    assertTrue(objects.containsKey("ConfigMap/" + volume.getConfigMap().getName()));
                }
            });
        }
        assertEquals(Set.of("host", "port", "root_user", "root_password", "user_password"),
                ((Secret) objects.get("Secret/database")).getStringData().keySet());
    }

    @Test
    void defaultsCoverEveryVariableTheOptionsDoNotSupply() throws IOException {
        Set<String> used = new TreeSet<>();
        for (Path file : templates()) {
            PLACEHOLDER.matcher(Files.readString(file)).results().forEach(m -> used.add(m.group(1)));
        }
        used.removeAll(SUPPLIED.keySet());
        assertEquals(used, new TreeSet<>(defaults().keySet()), "defaults.env should hold exactly the other variables");
        assertFalse(used.isEmpty());
    }

    private static int port(String service) {
        return ((Service) objects.get("Service/" + service)).getSpec().getPorts().get(0).getPort();
    }

    private static HasMetadata workload(String name) {
        HasMetadata set = objects.get("StatefulSet/" + name);
        return set != null ? set : objects.get("Deployment/" + name);
    }

    private static PodSpec podSpec(HasMetadata workload) {
        return workload instanceof StatefulSet set ? set.getSpec().getTemplate().getSpec()
                : ((Deployment) workload).getSpec().getTemplate().getSpec();
    }

    private static List<Path> templates() throws IOException {
        try (Stream<Path> files = Files.list(STACK)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static Map<String, String> defaults() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(STACK.resolve("defaults.env"))));
        return properties.stringPropertyNames().stream()
                .collect(Collectors.toMap(key -> key, key -> properties.getProperty(key).trim()));
    }
}
