package io.github.stackreplica.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.stackreplica.common.cli.StepResult;
import io.github.stackreplica.common.cli.UsageException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a stack up: renders the templates of the chosen components (everything is rendered and checked before the
 * first write), then per component, infra first, creates or updates each object and waits until its workloads are
 * ready.
 */
final class StackDeploy {

    private static final Logger LOG = LoggerFactory.getLogger(StackDeploy.class);
    /** The order objects are written in, so that what a pod needs exists before the pod. */
    private static final List<String> KIND_ORDER = List.of("Namespace", "ServiceAccount", "Role", "RoleBinding",
            "Secret", "ConfigMap", "PersistentVolumeClaim", "Service", "StatefulSet", "Deployment", "Ingress");

    private final StackDeployConfig config;
    private final KubernetesClient client;
    private final String namespace;
    private final Applier applier;
    private final Map<Applier.Outcome, Integer> outcomes = new EnumMap<>(Applier.Outcome.class);

    StackDeploy(StackDeployConfig config, KubernetesClient client) {
        this.config = config;
        this.client = client;
        this.namespace = config.namespace();
        this.applier = new Applier(client);
    }

    StepResult run() {
        config.guard().check(namespace);
        StackTemplates templates = config.manifests() == null ? StackTemplates.builtIn()
                : StackTemplates.fromDirectory(config.manifests());
        Map<Component, List<HasMetadata>> phases = render(templates);
        if (config.dryRun()) {
            return dryRun(phases);
        }
        ensureNamespace();
        Readiness readiness = new Readiness(client, namespace, config.timeout(), config.pollInterval());
        int workloads = 0;
        for (Map.Entry<Component, List<HasMetadata>> phase : phases.entrySet()) {
            for (HasMetadata object : phase.getValue()) {
                Applier.Outcome outcome = applier.apply(object);
                outcomes.merge(outcome, 1, Integer::sum);
                LOG.info("{} {} {}/{}", outcome.verb, object.getKind(), namespace, object.getMetadata().getName());
            }
            readiness.await(phase.getValue());
            workloads += (int) phase.getValue().stream().filter(o -> o.getKind().equals("StatefulSet")
                    || o.getKind().equals("Deployment")).count();
            LOG.info("Component {} is ready in {}", phase.getKey(), namespace);
        }
        return StepResult.done("Deployed " + config.components() + " to " + namespace + imageNote() + ": created "
                + count(Applier.Outcome.CREATED) + ", updated " + count(Applier.Outcome.UPDATED) + ", kept "
                + count(Applier.Outcome.KEPT) + "; " + workloads + " workloads ready", figures(workloads));
    }

    /** The objects of each chosen component, in write order; a template in both components goes with the first. */
    private Map<Component, List<HasMetadata>> render(StackTemplates templates) {
        Map<String, String> values = values(templates);
        Map<Component, List<HasMetadata>> phases = new LinkedHashMap<>();
        Set<String> rendered = new HashSet<>();
        for (Component component : config.components().covers()) {
            List<HasMetadata> objects = new ArrayList<>();
            for (Template template : templates.templates()) {
                if (template.components().contains(component) && rendered.add(template.file())) {
                    for (HasMetadata object : TemplateRenderer.render(template, values)) {
                        objects.add(inNamespace(template, object));
                    }
                }
            }
            objects.sort(Comparator.comparingInt(StackDeploy::kindRank));
            phases.put(component, objects);
        }
        return phases;
    }

    private Map<String, String> values(StackTemplates templates) {
        Set<String> used = new HashSet<>();
        templates.templates().forEach(template -> used.addAll(TemplateRenderer.variables(template)));
        for (String key : config.sets().keySet()) {
            if (!used.contains(key)) {
                throw new UsageException("--set " + key + ": no template " + source() + " uses ${" + key + "}");
            }
        }
        Map<String, String> values = new LinkedHashMap<>(templates.defaults());
        values.putAll(GeneratedSecrets.generate());
        values.putAll(config.optionVariables());
        values.putAll(config.sets());
        return values;
    }

    private HasMetadata inNamespace(Template template, HasMetadata object) {
        String declared = object.getMetadata().getNamespace();
        if (declared != null && !declared.equals(namespace)) {
            throw new UsageException("Template " + template.file() + " puts " + object.getKind() + " "
                    + object.getMetadata().getName() + " in namespace " + declared + ", not in --namespace " + namespace);
        }
        object.getMetadata().setNamespace(namespace);
        return object;
    }

    private void ensureNamespace() {
        try {
            if (client.namespaces().withName(namespace).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                        .endMetadata().build()).create();
                LOG.info("Created Namespace {}", namespace);
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            LOG.debug("Not allowed to read or create namespace {}; assuming it exists", namespace);
        }
    }

    private StepResult dryRun(Map<Component, List<HasMetadata>> phases) {
        List<String> plan = new ArrayList<>();
        for (List<HasMetadata> objects : phases.values()) {
            for (HasMetadata object : objects) {
                Applier.Outcome outcome = applier.plan(object);
                outcomes.merge(outcome, 1, Integer::sum);
                String line = outcome.verb.toLowerCase(java.util.Locale.ROOT) + " " + object.getKind() + " "
                        + namespace + "/" + object.getMetadata().getName();
                LOG.info("Dry run: would {}", line);
                plan.add(line);
            }
        }
        Map<String, Object> figures = figures(0);
        figures.put("plan", plan);
        return StepResult.done("Dry run of " + config.components() + " in " + namespace + imageNote()
                + ": would create " + count(Applier.Outcome.CREATED) + ", update " + count(Applier.Outcome.UPDATED)
                + ", keep " + count(Applier.Outcome.KEPT) + " (nothing changed)", figures);
    }

    private Map<String, Object> figures(int workloads) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("components", config.components().toString());
        if (config.stackImageTag() != null) {
            figures.put("stackImage", config.stackImage() + ":" + config.stackImageTag());
        }
        figures.put("created", count(Applier.Outcome.CREATED));
        figures.put("updated", count(Applier.Outcome.UPDATED));
        figures.put("kept", count(Applier.Outcome.KEPT));
        figures.put("workloadsReady", workloads);
        return figures;
    }

    private String imageNote() {
        return config.components() == Component.INFRA || config.stackImageTag() == null ? ""
                : " at " + config.stackImage() + ":" + config.stackImageTag();
    }

    private String source() {
        return config.manifests() == null ? "(built in)" : "in " + config.manifests();
    }

    private int count(Applier.Outcome outcome) {
        return outcomes.getOrDefault(outcome, 0);
    }

    private static int kindRank(HasMetadata object) {
        int rank = KIND_ORDER.indexOf(object.getKind());
        return rank < 0 ? KIND_ORDER.size() : rank;
    }
}
