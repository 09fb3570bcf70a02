package io.github.stackreplica.shutdown;

import io.github.stackreplica.common.cli.OptionValues;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.kube.TargetGuard;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What stack-shutdown removes and how long it waits.
 *
 * @param names               the objects' names (every one configurable; the defaults follow the Fragalysis stack)
 * @param protectedNamespaces the glob patterns of {@code PROTECTED_NAMESPACES}, checked before anything else
 */
public record StackShutdownConfig(String namespace, boolean removeMediaVolume, boolean wipe,
                                  boolean removeDatabaseVolume, Duration timeout, Duration pollInterval,
                                  boolean dryRun, Names names, List<String> protectedNamespaces) {

    /** The guard for {@code protectedNamespaces} ({@code PROTECTED_NAMESPACES}, read from the environment). */
    public TargetGuard guard() {
        return TargetGuard.of(String.join(",", protectedNamespaces));
    }

    /** The names of the objects the shutdown and the wipe delete. */
    public record Names(List<String> appStatefulSets, List<String> appDeployments, List<String> appSecrets,
                        String mediaVolume, List<String> infraStatefulSets, List<String> infraDeployments,
                        List<String> infraServices, String databaseVolume) {
    }

    public static final StepOptions OPTIONS = new StepOptions("stack-shutdown",
            "Takes the stack in a namespace down: deletes its application workloads and Secret django and waits until "
            + "their pods are gone; optionally the media volume; with --wipe also redis, pgbouncer, the database and "
            + "its volume. Ingress, TLS secret and Secret database are always kept. Absent objects are nothing to do.")
            .string("namespace", null, "Namespace of the stack (required; protected namespaces are refused).")
            .valueName("NAME")
            .flag("remove-media-volume", false, "Also delete the media PVC and wait until it is gone.")
            .flag("wipe", false, "Also delete redis, pgbouncer (Deployment and Service) and the database StatefulSet.")
            .flag("remove-database-volume", true, "With --wipe, also delete the database PVC.")
            .duration("timeout", "10m", "How long to wait for pods and volumes to go.")
            .duration("poll-interval", "2s", "How often to look while waiting.")
            .flag("dry-run", false, "List what would be deleted and change nothing.")
            .list("app-statefulsets", "stack,worker", "StatefulSets of the application.").valueName("NAMES")
            .list("app-deployments", "beat", "Deployments of the application.").valueName("NAMES")
            .list("app-secrets", "django", "Secrets removed with the application.").valueName("NAMES")
            .string("media-volume", "media", "The media PVC.").valueName("NAME")
            .list("infra-statefulsets", "database", "StatefulSets removed by --wipe.").valueName("NAMES")
            .list("infra-deployments", "redis,pgbouncer", "Deployments removed by --wipe.").valueName("NAMES")
            .list("infra-services", "pgbouncer", "Services removed by --wipe.").valueName("NAMES")
            .string("database-volume", "database", "The database PVC (removed by --wipe).").valueName("NAME");

    /** Parses arguments and environment; throws a usage error for a bad or missing value. */
    public static StackShutdownConfig parse(String[] args, Map<String, String> env) {
        OptionValues values = OPTIONS.parse(args, env);
        Duration poll = values.duration("poll-interval");
        if (poll.isZero()) {
            throw values.invalid("poll-interval", "must be longer than zero");
        }
        Names names = new Names(values.list("app-statefulsets"), values.list("app-deployments"),
                values.list("app-secrets"), values.required("media-volume"), values.list("infra-statefulsets"),
                values.list("infra-deployments"), values.list("infra-services"), values.required("database-volume"));
        return new StackShutdownConfig(values.required("namespace"), values.flag("remove-media-volume"),
                values.flag("wipe"), values.flag("remove-database-volume"), values.duration("timeout"), poll,
                values.flag("dry-run"), names, TargetGuard.fromEnv(env).patterns());
    }
}
