package io.github.stackreplica.orchestrator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves the run's record in the cluster: ConfigMap {@value #CONFIG_MAP} in the target namespace, and Kubernetes
 * Events on the orchestrator's own Job (when it runs in one), so {@code kubectl describe job} tells the story.
 */
public final class RunRecorder {

    public static final String CONFIG_MAP = "stack-replica-last-run";

    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

    private final KubernetesClient client;
    private final String namespace;
    private final Job ownJob;

    /** {@code ownJob}: the orchestrator's own Job, or null when it does not run in one (then no Events). */
    public RunRecorder(KubernetesClient client, String namespace, Job ownJob) {
        this.client = client;
        this.namespace = namespace;
        this.ownJob = ownJob;
    }

    /** Records one finished step as an Event on the orchestrator's Job. */
    public void step(StepOutcome step) {
        event(step.succeeded() ? "Normal" : "Warning", step.succeeded() ? "StepSucceeded" : "StepFailed",
                step.kind().id() + ": " + step.outcome() + " - " + step.message());
    }

    /** Saves the whole report to the ConfigMap and records the run's end as an Event. */
    public void finish(RunReport report) {
        ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName(CONFIG_MAP).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", "stack-replica").endMetadata()
                .addToData("run", report.run())
                .addToData("outcome", report.exitCode().outcome())
                .addToData("message", report.message())
                .addToData("finished", report.finished().toString())
                .addToData("report.json", report.toJson())
                .build();
        try {
            client.configMaps().inNamespace(namespace).resource(configMap).createOr(existing -> existing.update());
            LOG.info("Saved the run report to ConfigMap {}/{}", namespace, CONFIG_MAP);
        } catch (KubernetesClientException e) {
            LOG.warn("Could not save ConfigMap {}/{}: {}", namespace, CONFIG_MAP, e.getMessage());
        }
        boolean ok = report.failure().isEmpty();
        event(ok ? "Normal" : "Warning", ok ? "ReplicationSucceeded" : "ReplicationFailed", report.message());
    }

    private void event(String type, String reason, String message) {
        if (ownJob == null) {
            return;
        }
        String now = DateTimeFormatter.ISO_INSTANT.format(ZonedDateTime.now(ZoneOffset.UTC));
        Event event = new EventBuilder()
                .withNewMetadata().withName(ownJob.getMetadata().getName() + "." + UUID.randomUUID().toString()
                        .replace("-", "").substring(0, 16))
                .withNamespace(ownJob.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject().withApiVersion("batch/v1").withKind("Job")
                .withName(ownJob.getMetadata().getName()).withNamespace(ownJob.getMetadata().getNamespace())
                .withUid(ownJob.getMetadata().getUid()).endInvolvedObject()
                .withType(type).withReason(reason)
                .withMessage(message.length() > 1000 ? message.substring(0, 997) + "..." : message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("stack-replica-orchestrator").endSource()
                .withReportingComponent("stack-replica-orchestrator")
                .build();
        try {
            client.v1().events().inNamespace(ownJob.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warn("Could not record Event {} on Job {}: {}", reason, ownJob.getMetadata().getName(), e.getMessage());
        }
    }

}
