package io.github.stackreplica.orchestrator;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.github.stackreplica.common.BuildInfo;
import io.github.stackreplica.common.cli.OptionValues;
import io.github.stackreplica.common.cli.Secret;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.cli.UsageException;
import io.github.stackreplica.common.kube.TargetGuard;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The orchestrator's configuration: which workflow, for which namespace and image tag, how its step Jobs look, and
 * where the local runner finds its inputs.
 */
public record OrchestratorConfig(
        Workflow workflow,
        String namespace,
        String stackImageTag,
        Runner runner,
        boolean dryRun,
        boolean removeMediaVolume,
        boolean removeDatabaseVolume,
        String database,
        String stackHostname,
        Map<String, Map<String, String>> stepEnv,
        Duration leaseDuration,
        Duration pollInterval,
        TagCheck tagCheck,
        JobSettings jobs,
        LocalSettings local,
        TargetGuard guard,
        Map<String, String> passEnv) {

    /** How the steps run: as Kubernetes Jobs, or in this process one after another. */
    public enum Runner { KUBERNETES, LOCAL }

    /** Where production's image tag is read, and whether a mismatch is allowed. */
    public record TagCheck(String productionNamespace, URI productionUrl, String productionStatefulSet,
                           boolean allowMismatch) {
        public boolean configured() {
            return productionNamespace != null || productionUrl != null;
        }
    }

    /** How each step's Job is built. */
    public record JobSettings(String imageRegistry, String stepImageTag, String serviceAccount, Duration stepTimeout,
                              int retries, Duration ttlAfterFinished, VolumeSource backupVolume,
                              VolumeSource mediaReplicaVolume, String mediaPvc, String databaseSecret,
                              ResourceRequirements resources, ResourceRequirements dbRestoreResources,
                              ResourceRequirements mediaSyncResources, long runAsUser, long fsGroup, String ownJob,
                              String ownPod, String ownNamespace) {
    }

    /** Inputs of the local runner: local paths and a PostgreSQL server (embedded when no host is given). */
    public record LocalSettings(Path backupRoot, Path mediaSource, Path mediaTarget, String pgHost, int pgPort,
                                String pgUser, Secret pgPassword, boolean clusterConfigured) {
    }

    /** This configuration with the image tag resolved (from {@code production} to production's actual tag). */
    public OrchestratorConfig withStackImageTag(String tag) {
        return new OrchestratorConfig(workflow, namespace, tag, runner, dryRun, removeMediaVolume, removeDatabaseVolume,
                database, stackHostname, stepEnv, leaseDuration, pollInterval, tagCheck, jobs, local, guard, passEnv);
    }

    /** Only the tag part of an image reference: what a registry accepts. */
    static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    /** A DNS-1123 label: what Kubernetes accepts as a namespace name. */
    static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** The tag value that means "whatever production runs". */
    public static final String PRODUCTION = "production";

    /** Environment variables handed on to every step (logging and the protected-namespace list). */
    static final List<String> PASSED_ENV = List.of("LOG_LEVEL", "LOG_FORMAT", TargetGuard.ENV);

    public static final StepOptions OPTIONS = new StepOptions("orchestrator",
            "Runs a whole replication (full, db-only, media-only, wipe) as a chain of step Jobs in the target namespace,"
                    + " or in-process with --runner local.")
            .string("workflow", null, "full | db-only | media-only | wipe.")
            .string("namespace", null, "The target stack's namespace (AWX: stack_namespace).").valueName("NS")
            .string("stack-image-tag", null, "Image tag to deploy, or 'production' for production's tag (AWX: "
                    + "stack_image_tag). Needed by full and db-only.").valueName("TAG")
            .string("runner", "kubernetes", "kubernetes (each step a Job) | local (in this process, for developers).")
            .flag("dry-run", false, "Print the plan (steps, Jobs, images, volumes) and change nothing.")
            .string("extra-vars", null, "AWX extra variables: a file, or inline JSON/YAML. Below flags, above the "
                    + "environment.").valueName("FILE-OR-JSON")
            .flag("stack-shutdown-remove-media-volume", false, "full/db-only: delete PVC media at shutdown.")
            .flag("stack-shutdown-remove-database-volume", true, "wipe: delete PVC database too.")
            .string("stack-hostname", null, "Host name of the stack's Ingress, for stack-deploy.").valueName("HOST")
            .string("database", "frag", "The database db-restore restores.").valueName("NAME")
            .list("step-env", null, "Extra environment for one program's step, e.g. db-restore:MAX_AGE=36h.")
            .duration("lease-duration", "2m", "The replication lock's lease; renewed every third of it.")
            .duration("poll-interval", "5s", "How often step Jobs are polled.")
            .string("production-namespace", null, "Read production's tag from StatefulSet stack there (same cluster,"
                    + " read-only).").valueName("NS")
            .string("production-url", null, "Read production's tag from the stack's GET /version/ "
                    + "(version.stack = <namespace>:<tag>).").valueName("URL")
            .string("production-statefulset", "stack", "The StatefulSet whose image gives production's tag.")
            .flag("allow-tag-mismatch", false, "Run even when --stack-image-tag differs from production's.")
            .string("image-registry", "ghcr.io/stack-replica", "Registry of the step images "
                    + "(<registry>/stack-replica-<step>:<tag>).")
            .string("step-image-tag", BuildInfo.version(), "Tag of the step images (default: this orchestrator's "
                    + "version).")
            .string("service-account", "stack-replica", "Service account of the step Jobs.")
            .duration("step-timeout", "2h", "activeDeadlineSeconds of each step Job.")
            .integer("step-retries", 0, "backoffLimit of each step Job (exit codes 2 and 3 never retry).")
            .duration("job-ttl", "1d", "ttlSecondsAfterFinished of each step Job.")
            .string("backup-volume", "pvc:database-backups", "The backup share db-restore mounts read-only at /backup:"
                    + " nfs:SERVER:/PATH or pvc:CLAIM.")
            .string("media-replica-volume", "pvc:media-replica", "The media replica media-sync mounts read-only: "
                    + "nfs:SERVER:/PATH or pvc:CLAIM.")
            .string("media-pvc", "media", "The stack's media PVC media-sync writes to.")
            .string("database-secret", "database", "Secret with keys host, port, root_user, root_password.")
            .list("step-resources", "requests.cpu=100m,requests.memory=256Mi,limits.memory=512Mi",
                    "Resources of every step container.")
            .list("db-restore-resources", "requests.cpu=1,requests.memory=512Mi,limits.memory=1Gi",
                    "Resources of the db-restore container.")
            .list("media-sync-resources", "requests.cpu=1,requests.memory=512Mi,limits.memory=1Gi",
                    "Resources of the media-sync container.")
            .integer("run-as-user", 65532, "UID (and fsGroup) the step containers run as.")
            .string("own-job", null, "This orchestrator's own Job, for owner references and Events (default: found"
                    + " from POD_NAME).")
            .string("backup-root", "/backup", "Local runner: the backup directory.").valueName("DIR")
            .string("media-source", null, "Local runner: the media replica directory.").valueName("DIR")
            .string("media-target", null, "Local runner: the stack's media directory.").valueName("DIR")
            .string("host", null, "Local runner: PostgreSQL host; unset = an embedded server for this run.")
            .env("PGHOST")
            .integer("port", 5432, "Local runner: PostgreSQL port.").env("PGPORT")
            .string("user", "postgres", "Local runner: PostgreSQL user.").env("PGUSER")
            .secret("PGPASSWORD", "Local runner: PostgreSQL password.");

    /** Parses arguments, AWX extra variables and environment; pure but for reading an extra-vars file. */
    public static OptionsAndVars parseOptions(String[] args, Map<String, String> env) {
        OptionValues first = OPTIONS.parse(args, env);
        Map<String, String> extra = first.has("extra-vars")
                ? first.convert("extra-vars", ExtraVars::read) : Map.of();
        return new OptionsAndVars(extra.isEmpty() ? first : OPTIONS.parse(ExtraVars.asArgs(extra, args), env), extra);
    }

    /** The parsed options and the AWX variables that contributed to them. */
    public record OptionsAndVars(OptionValues values, Map<String, String> extraVars) {
    }

    /**
     * The configuration for these arguments and environment.
     *
     * @throws UsageException for a missing or invalid option, naming it
     */
    public static OrchestratorConfig parse(String[] args, Map<String, String> env) {
        OptionValues v = parseOptions(args, env).values();
        Workflow workflow = v.convert("workflow", Workflow::of);
        if (workflow == null) {
            throw new UsageException("Missing --workflow (or WORKFLOW): one of full, db-only, media-only, wipe");
        }
        String namespace = v.required("namespace");
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw v.invalid("namespace", "not a Kubernetes namespace name");
        }
        String tag = v.string("stack-image-tag");
        if (workflow.deploys() && (tag == null || tag.isBlank())) {
            throw new UsageException("Missing --stack-image-tag (or STACK_IMAGE_TAG): workflow " + workflow.word()
                    + " deploys the stack; give production's tag, or 'production' to read it from production");
        }
        if (tag != null && !IMAGE_TAG.matcher(tag).matches()) {
            throw v.invalid("stack-image-tag", "not a valid image tag");
        }
        Runner runner = v.convert("runner", text -> Runner.valueOf(runnerWord(text)));
        TagCheck tagCheck = new TagCheck(v.string("production-namespace"),
                v.convert("production-url", URI::create), v.string("production-statefulset"),
                v.flag("allow-tag-mismatch"));
        if (PRODUCTION.equals(tag) && !tagCheck.configured()) {
            throw new UsageException("--stack-image-tag production needs --production-namespace or --production-url"
                    + " to read production's tag from");
        }
        LocalSettings local = localSettings(v, env);
        if (runner == Runner.LOCAL && workflow.steps().contains(StepKind.MEDIA_SYNC)
                && (local.mediaSource() == null || local.mediaTarget() == null)) {
            throw new UsageException("--runner local with workflow " + workflow.word() + " needs --media-source and "
                    + "--media-target (local directories)");
        }
        return new OrchestratorConfig(workflow, namespace, tag, runner, v.flag("dry-run"),
                v.flag("stack-shutdown-remove-media-volume"), v.flag("stack-shutdown-remove-database-volume"),
                v.required("database"), v.string("stack-hostname"), stepEnv(v), v.duration("lease-duration"), v.duration("poll-interval"),
                tagCheck, jobSettings(v, env), local, TargetGuard.fromEnv(env), passEnv(env));
    }

    private static String runnerWord(String text) {
        String word = text.trim().toUpperCase(java.util.Locale.ROOT);
        if (!word.equals("KUBERNETES") && !word.equals("LOCAL")) {
            throw new IllegalArgumentException("expected kubernetes or local");
        }
        return word;
    }

    private static JobSettings jobSettings(OptionValues v, Map<String, String> env) {
        if (v.integer("step-retries") < 0) {
            throw v.invalid("step-retries", "must be 0 or more");
        }
        long uid = v.integer("run-as-user");
        if (uid <= 0) {
            throw v.invalid("run-as-user", "steps run as a non-root user: give a UID above 0");
        }
        return new JobSettings(v.required("image-registry"), v.required("step-image-tag"), v.required("service-account"),
                v.duration("step-timeout"), v.integer("step-retries"), v.duration("job-ttl"),
                v.convert("backup-volume", VolumeSource::parse), v.convert("media-replica-volume", VolumeSource::parse),
                v.required("media-pvc"), v.required("database-secret"),
                resources(v, "step-resources"), resources(v, "db-restore-resources"),
                resources(v, "media-sync-resources"), uid, uid, v.string("own-job"), env.get("POD_NAME"), env.get("POD_NAMESPACE"));
    }

    private static ResourceRequirements resources(OptionValues v, String name) {
        try {
            return Resources.parse(v.list(name));
        } catch (IllegalArgumentException e) {
            throw v.invalid(name, e.getMessage());
        }
    }

    private static LocalSettings localSettings(OptionValues v, Map<String, String> env) {
        boolean clusterConfigured = env.containsKey("KUBECONFIG") || env.containsKey("KUBERNETES_SERVICE_HOST")
                || (env.containsKey("HOME") && java.nio.file.Files.isRegularFile(Path.of(env.get("HOME"), ".kube", "config")));
        return new LocalSettings(Path.of(v.required("backup-root")),
                v.has("media-source") ? Path.of(v.string("media-source")) : null,
                v.has("media-target") ? Path.of(v.string("media-target")) : null,
                v.string("host"), v.integer("port"), v.required("user"), v.secret("PGPASSWORD"), clusterConfigured);
    }

    private static Map<String, Map<String, String>> stepEnv(OptionValues v) {
        Map<String, Map<String, String>> byProgram = new LinkedHashMap<>();
        for (String item : v.list("step-env")) {
            int colon = item.indexOf(':');
            int equals = item.indexOf('=');
            if (colon <= 0 || equals < colon + 2) {
                throw v.invalid("step-env", "expected PROGRAM:NAME=VALUE, e.g. db-restore:MAX_AGE=36h");
            }
            String program = item.substring(0, colon);
            if (java.util.Arrays.stream(StepKind.values()).noneMatch(k -> k.program().equals(program))) {
                throw v.invalid("step-env", "unknown program '" + program + "'");
            }
            byProgram.computeIfAbsent(program, p -> new LinkedHashMap<>())
                    .put(item.substring(colon + 1, equals), item.substring(equals + 1));
        }
        return byProgram;
    }

    private static Map<String, String> passEnv(Map<String, String> env) {
        Map<String, String> passed = new LinkedHashMap<>();
        for (String name : PASSED_ENV) {
            if (env.get(name) != null && !env.get(name).isBlank()) {
                passed.put(name, env.get(name));
            }
        }
        return passed;
    }
}
