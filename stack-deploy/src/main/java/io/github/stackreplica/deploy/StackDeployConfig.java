package io.github.stackreplica.deploy;

import io.github.stackreplica.common.cli.OptionValues;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.cli.UsageException;
import io.github.stackreplica.common.kube.TargetGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What stack-deploy renders, where, and how long it waits.
 *
 * @param stackImageTag       the tag of the stack image; null when only infra is deployed and none was given
 * @param manifests           a directory of the team's own templates, or null for the built-in ones
 * @param sets                the {@code --set KEY=VALUE} overrides, in order
 * @param stackHostname       the Ingress host, or null when not given
 * @param protectedNamespaces the glob patterns of {@code PROTECTED_NAMESPACES}, checked before anything else
 */
public record StackDeployConfig(String namespace, String stackImage, String stackImageTag, Component components,
                                Path manifests, Map<String, String> sets, String stackHostname, Duration timeout,
                                Duration pollInterval, boolean dryRun, List<String> protectedNamespaces) {

    /** What Docker accepts as a tag: up to 128 of letters, digits, {@code _ . -}, not starting with {@code . -}. */
    static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    static final Pattern VARIABLE = Pattern.compile("[A-Z_][A-Z0-9_]*");

    /** The template variables the options fill; {@code --set} cannot give them. */
    static final Map<String, String> VARIABLES_FROM_OPTIONS = Map.of(
            "NAMESPACE", "--namespace", "STACK_IMAGE", "--stack-image", "STACK_IMAGE_TAG", "--stack-image-tag",
            "STACK_HOSTNAME", "--stack-hostname");

    public static final StepOptions OPTIONS = new StepOptions("stack-deploy",
            "Renders the stack templates and creates or updates their objects in a namespace, then waits until the "
            + "StatefulSets are ready and the Deployments available. Fails fast when a pod cannot pull or start its "
            + "image. --components infra before restoring data, app after.")
            .string("namespace", null, "Namespace of the stack (required; protected namespaces are refused).")
            .valueName("NAME")
            .string("stack-image-tag", null, "Tag of the stack image for stack, worker and beat (required unless "
                    + "--components infra).").valueName("TAG")
            .string("stack-image", "xchem/fragalysis-stack", "The stack image without its tag.").valueName("IMAGE")
            .string("components", "all", "infra, app or all (infra first).").valueName("infra|app|all")
            .string("manifests", null, "A directory of templates (e.g. a mounted ConfigMap) to use instead of the "
                    + "built-in ones.").valueName("DIR")
            .list("set", null, "Sets a template variable, e.g. --set STACK_REPLICAS=2.").valueName("KEY=VALUE")
            .string("stack-hostname", null, "Host name of the Ingress (needed by infra).").valueName("HOST")
            .duration("timeout", "10m", "How long to wait for the workloads to be ready.")
            .duration("poll-interval", "2s", "How often to look while waiting.")
            .flag("dry-run", false, "Render and list what would be created or updated; change nothing.");

    /** Parses arguments and environment; throws a usage error for a bad or missing value. */
    public static StackDeployConfig parse(String[] args, Map<String, String> env) {
        OptionValues values = OPTIONS.parse(args, env);
        String namespace = values.required("namespace");
        Component components = values.convert("components", Component::parse);
        String tag = values.string("stack-image-tag");
        if (tag == null || tag.isBlank()) {
            if (components != Component.INFRA) {
                throw new UsageException("Missing --stack-image-tag (or environment variable STACK_IMAGE_TAG): "
                        + "--components " + components + " deploys the stack image");
            }
            tag = null;
        } else if (!IMAGE_TAG.matcher(tag).matches()) {
            throw values.invalid("stack-image-tag", "an image tag has up to 128 letters, digits, '_', '.' or '-' "
                    + "and does not start with '.' or '-'");
        }
        Duration poll = values.duration("poll-interval");
        if (poll.isZero()) {
            throw values.invalid("poll-interval", "must be longer than zero");
        }
        String manifests = values.string("manifests");
        String hostname = values.string("stack-hostname");
        return new StackDeployConfig(namespace, values.required("stack-image"), tag, components,
                manifests == null || manifests.isBlank() ? null : Path.of(manifests), sets(values), 
                hostname == null || hostname.isBlank() ? null : hostname, values.duration("timeout"), poll,
                values.flag("dry-run"), TargetGuard.fromEnv(env).patterns());
    }

    private static Map<String, String> sets(OptionValues values) {
        Map<String, String> sets = new LinkedHashMap<>();
        for (String entry : values.list("set")) {
            int equals = entry.indexOf('=');
            String key = equals < 0 ? entry : entry.substring(0, equals);
            if (equals < 0 || !VARIABLE.matcher(key).matches()) {
                throw values.invalid("set", "'" + entry + "' is not KEY=VALUE with KEY in capitals, digits and '_'");
            }
            if (VARIABLES_FROM_OPTIONS.containsKey(key)) {
                throw values.invalid("set", key + " comes from " + VARIABLES_FROM_OPTIONS.get(key) + "; use that option");
            }
            if (GeneratedSecrets.NAMES.contains(key)) {
                throw values.invalid("set", key + " is generated when its Secret is created and cannot be set");
            }
            sets.put(key, entry.substring(equals + 1));
        }
        return Map.copyOf(sets);
    }

    /** The guard for {@code protectedNamespaces}. */
    public TargetGuard guard() {
        return TargetGuard.of(String.join(",", protectedNamespaces));
    }

    /** The variables the options give the templates. */
    Map<String, String> optionVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("NAMESPACE", namespace);
        variables.put("STACK_IMAGE", stackImage);
        if (stackImageTag != null) {
            variables.put("STACK_IMAGE_TAG", stackImageTag);
        }
        if (stackHostname != null) {
            variables.put("STACK_HOSTNAME", stackHostname);
        }
        return variables;
    }
}
