package io.github.stackreplica.shutdown;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.stackreplica.common.cli.StepResult;
import io.github.stackreplica.common.kube.TargetGuard;
import io.github.stackreplica.common.kube.Waits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a stack down: deletes the planned objects, waits until their pods are gone, then deletes the planned volumes
 * and waits until they are gone. Objects that are already absent are nothing to do.
 */
final class StackShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(StackShutdown.class);

    private final StackShutdownConfig config;
    private final KubernetesClient client;
    private final TargetGuard guard;
    private final String namespace;
    private final Leftovers leftovers;
    private final List<String> deleted = new ArrayList<>();
    private final List<String> absent = new ArrayList<>();

    StackShutdown(StackShutdownConfig config, KubernetesClient client) {
        this.config = config;
        this.client = client;
        this.guard = config.guard();
        this.namespace = config.namespace();
        this.leftovers = new Leftovers(client, namespace);
    }

    StepResult run() {
        guard.check(namespace);
        if (!namespaceExists()) {
            LOG.info("Namespace {} does not exist: nothing to do", namespace);
            return StepResult.done("Namespace " + namespace + " does not exist: nothing to do",
                    Map.of("deleted", 0, "absent", 0));
        }
        Plan plan = Plan.of(config);
        if (config.dryRun()) {
            return dryRun(plan);
        }
        List<LabelSelector> selectors = new ArrayList<>();
        List<Target> deletedTargets = new ArrayList<>();
        for (Target target : plan.objects()) {
            HasMetadata object = delete(target);
            if (object != null) {
                deletedTargets.add(target);
                LabelSelector selector = Target.podSelector(object);
                if (selector != null) {
                    selectors.add(selector);
                }
            }
        }
        awaitGone("the pods of the deleted workloads in " + namespace,
                () -> leftovers.podsAndObjects(selectors, deletedTargets));
        List<Target> volumes = plan.volumes().stream().filter(volume -> delete(volume) != null).toList();
        if (!volumes.isEmpty()) {
            awaitGone(String.join(", ", volumes.stream().map(v -> v.describe(namespace)).toList()),
                    () -> volumes.stream().flatMap(volume -> leftovers.volume(volume).stream()).toList());
        }
        return StepResult.done(summary(), figures());
    }

    private boolean namespaceExists() {
        try {
            return client.namespaces().withName(namespace).get() != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                LOG.debug("Not allowed to read namespace {}; assuming it exists", namespace);
                return true;
            }
            throw e;
        }
    }

    /** Deletes the target and returns it as it was, or returns null when it is absent. */
    private HasMetadata delete(Target target) {
        HasMetadata object = target.resource(client, namespace).get();
        String name = target.describe(namespace);
        if (object == null) {
            LOG.info("{} is absent: nothing to do", name);
            absent.add(name);
            return null;
        }
        target.resource(client, namespace).delete();
        LOG.info("Deleted {}", name);
        deleted.add(name);
        return object;
    }

    private void awaitGone(String what, Supplier<List<String>> remaining) {
        Waits.until(new Waits.Wait(what, "gone", config.timeout(), config.pollInterval()), remaining, List::isEmpty,
                left -> "still there: " + String.join("; ", left));
    }

    private StepResult dryRun(Plan plan) {
        List<String> wouldDelete = new ArrayList<>();
        List<Target> all = new ArrayList<>(plan.objects());
        all.addAll(plan.volumes());
        for (Target target : all) {
            String name = target.describe(namespace);
            if (target.resource(client, namespace).get() == null) {
                LOG.info("Dry run: {} is absent: nothing to do", name);
                absent.add(name);
            } else {
                LOG.info("Dry run: would delete {}", name);
                wouldDelete.add(name);
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("wouldDelete", wouldDelete);
        figures.put("absent", absent.size());
        return StepResult.done("Dry run: would delete " + (wouldDelete.isEmpty() ? "nothing"
                : String.join(", ", wouldDelete)) + " (nothing changed)", figures);
    }

    private String summary() {
        String action = config.wipe() ? "Wiped" : "Shut down";
        if (deleted.isEmpty()) {
            return action + " the stack in " + namespace + ": nothing to do, every object was already absent";
        }
        return action + " the stack in " + namespace + ": deleted " + String.join(", ", deleted)
                + (absent.isEmpty() ? "" : "; already absent: " + String.join(", ", absent));
    }

    private Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("deleted", deleted.size());
        figures.put("absent", absent.size());
        figures.put("deletedObjects", List.copyOf(deleted));
        return figures;
    }
}
