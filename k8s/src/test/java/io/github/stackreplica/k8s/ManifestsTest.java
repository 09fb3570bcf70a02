package io.github.stackreplica.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.orchestrator.OrchestratorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The deployment manifests under k8s/ (all but the stack templates, tested with stack-deploy) parse and hold together. */
class ManifestsTest {

    private static final Path ROOT = Path.of(".");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization KUBE = new KubernetesSerialization();

    private static List<Path> yamlFiles(String... dirs) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (String dir : dirs) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(dir))) {
                walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).forEach(files::add);
            }
        }
        return files;
    }

    private static <T> T load(String path, Class<T> type) throws IOException {
        return KUBE.unmarshal(Files.readString(ROOT.resolve(path)), type);
    }

    @Test
    void everyManifestParsesAsAKnownKubernetesObject() throws IOException {
        List<Path> files = yamlFiles("base", "overlays", "production-readonly", "jobs");
        assertTrue(files.size() >= 15, "found " + files);
        for (Path file : files) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            HasMetadata object = KUBE.unmarshal(Files.readString(file));
            assertNotNull(object.getKind(), file.toString());
            assertFalse(object instanceof GenericKubernetesResource, file + " has an unknown kind " + object.getKind());
            assertTrue(object.getMetadata().getName() != null || object.getMetadata().getGenerateName() != null,
                    file + " has no name");
        }
    }

    @Test
    void kustomizationsReferenceOnlyFilesThatExist() throws IOException {
        List<Path> kustomizations = yamlFiles("base", "overlays", "production-readonly").stream()
                .filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList();
        assertEquals(4, kustomizations.size(), kustomizations.toString());
        for (Path kustomization : kustomizations) {
            JsonNode root = YAML.readTree(kustomization.toFile());
            assertEquals("Kustomization", root.path("kind").asText(), kustomization.toString());
            List<String> references = new java.util.ArrayList<>();
            root.path("resources").forEach(r -> references.add(r.asText()));
            root.path("patches").forEach(p -> references.add(p.path("path").asText()));
            assertFalse(references.isEmpty(), kustomization.toString());
            for (String reference : references) {
                Path target = kustomization.getParent().resolve(reference).normalize();
                assertTrue(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")),
                        kustomization + " references " + reference + ", which does not exist");
            }
        }
    }

    @Test
    void cronJobRefreshesStagingNightlyAfterTheBackupWithoutOverlapping() throws IOException {
        CronJob cronJob = load("base/cronjob.yaml", CronJob.class);
        assertEquals("stack-replica-staging-refresh", cronJob.getMetadata().getName());
        assertEquals("Forbid", cronJob.getSpec().getConcurrencyPolicy());
        String[] schedule = cronJob.getSpec().getSchedule().split(" ");
        assertTrue(Integer.parseInt(schedule[1]) >= 2 && !schedule[1].equals("*"), "daily, after 02:04");
        assertEquals("*", schedule[2]);
        assertEquals("Etc/UTC", cronJob.getSpec().getTimeZone());
        PodSpec pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertEquals("stack-replica", pod.getServiceAccountName());
        Container container = pod.getContainers().get(0);
        assertEquals("full", env(container, "WORKFLOW").getValue());
        assertEquals("metadata.namespace", env(container, "NAMESPACE").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("metadata.name", env(container, "POD_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals(0, cronJob.getSpec().getJobTemplate().getSpec().getBackoffLimit());
        assertHardened(pod, "base/cronjob.yaml");
    }

    @Test
    void exampleJobsExistForEveryStepAndRunHardened() throws IOException {
        for (String step : List.of("db-restore", "media-sync", "stack-shutdown", "stack-deploy", "orchestrator")) {
            Job job = load("jobs/" + step + ".yaml", Job.class);
            PodSpec pod = job.getSpec().getTemplate().getSpec();
            assertEquals("Never", pod.getRestartPolicy(), step);
            assertEquals(0, job.getSpec().getBackoffLimit(), step);
            assertTrue(pod.getContainers().get(0).getImage().contains("/stack-replica-" + step + ":"), step);
            assertHardened(pod, step);
        }
        Job restore = load("jobs/db-restore.yaml", Job.class);
        assertTrue(restore.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .anyMatch(m -> m.getMountPath().equals("/backup") && Boolean.TRUE.equals(m.getReadOnly())));
        assertEquals("root_password", env(restore.getSpec().getTemplate().getSpec().getContainers().get(0), "PGPASSWORD")
                .getValueFrom().getSecretKeyRef().getKey());
    }

    @Test
    void roleIsNamespaceScopedAndGrantsNoWildcardsOrClusterResources() throws IOException {
        Role role = load("base/role.yaml", Role.class);
        Set<String> clusterScoped = Set.of("namespaces", "nodes", "persistentvolumes", "clusterroles",
                "clusterrolebindings", "customresourcedefinitions", "storageclasses");
        for (PolicyRule rule : role.getRules()) {
            assertFalse(rule.getVerbs().contains("*"), "wildcard verb in " + rule);
            assertFalse(rule.getResources().contains("*"), "wildcard resource in " + rule);
            assertFalse(rule.getApiGroups().contains("*"), "wildcard group in " + rule);
            rule.getResources().forEach(r -> assertFalse(clusterScoped.contains(r), r + " is cluster-scoped"));
        }
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("leases")
                && r.getVerbs().containsAll(List.of("get", "create", "update", "delete"))), "the lock needs leases");
        Role production = load("production-readonly/role.yaml", Role.class);
        assertEquals(List.of("get"), production.getRules().get(0).getVerbs());
    }

    @Test
    void defaultsConfigMapHoldsOnlyVariablesTheOrchestratorReads() throws IOException {
        ConfigMap defaults = load("base/configmap.yaml", ConfigMap.class);
        Set<String> known = OrchestratorConfig.OPTIONS.specs().stream().map(StepOptions.Spec::env)
                .collect(Collectors.toSet());
        known.addAll(Set.of("PROTECTED_NAMESPACES", "LOG_FORMAT", "LOG_LEVEL"));
        for (String key : defaults.getData().keySet()) {
            assertTrue(known.contains(key), "stack-replica-defaults has " + key + ", which the orchestrator ignores");
        }
        for (String overlay : List.of("overlays/staging/defaults.yaml", "overlays/developer/defaults.yaml")) {
            load(overlay, ConfigMap.class).getData().keySet()
                    .forEach(key -> assertTrue(known.contains(key), overlay + ": " + key));
        }
    }

    @Test
    void awxPlaybookCreatesTheOrchestratorJobFromTheOriginalVariablesAndFailsWithItsSummary() throws IOException {
        JsonNode play = YAML.readTree(ROOT.resolve("awx/stack-replica.yml").toFile()).get(0);
        String text = Files.readString(ROOT.resolve("awx/stack-replica.yml"));
        List<String> modules = new java.util.ArrayList<>();
        play.path("tasks").forEach(task -> task.fieldNames().forEachRemaining(modules::add));
        assertTrue(modules.contains("kubernetes.core.k8s"), modules.toString());
        assertTrue(modules.contains("kubernetes.core.k8s_info"), modules.toString());
        assertTrue(modules.contains("ansible.builtin.fail"), modules.toString());
        for (String variable : List.of("stack_namespace", "stack_image_tag", "stack_shutdown_remove_media_volume",
                "stack_shutdown_remove_database_volume")) {
            assertTrue(text.contains(variable), variable);
        }
        assertTrue(text.contains("state.terminated.message"), "fails with the orchestrator's termination message");
        assertTrue(Files.isRegularFile(ROOT.resolve("awx/README.md")));
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static void assertHardened(PodSpec pod, String where) {
        assertTrue(pod.getSecurityContext().getRunAsNonRoot(), where);
        assertTrue(pod.getSecurityContext().getRunAsUser() > 0, where);
        for (Container container : pod.getContainers()) {
            assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation(), where);
            assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem(), where);
            assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop(), where);
            assertNotNull(container.getResources().getRequests().get("memory"), where);
            assertNotNull(container.getResources().getLimits().get("memory"), where);
        }
    }
}
