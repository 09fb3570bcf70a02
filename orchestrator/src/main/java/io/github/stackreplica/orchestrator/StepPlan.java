package io.github.stackreplica.orchestrator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One planned step: which kind, and the environment its program reads (its options, by their variable names). The
 * runner adds what depends on where the step runs: volumes and secrets for a Job, local paths in-process.
 */
public record StepPlan(StepKind kind, Map<String, String> env) {

    public StepPlan {
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** The steps of the configured workflow, in order; the image tag must already be resolved. */
    public static List<StepPlan> of(OrchestratorConfig config) {
        return config.workflow().steps().stream().map(kind -> new StepPlan(kind, env(kind, config))).toList();
    }

    private static Map<String, String> env(StepKind kind, OrchestratorConfig config) {
        Map<String, String> env = new LinkedHashMap<>(config.passEnv());
        switch (kind) {
            case SHUTDOWN -> {
                env.put("NAMESPACE", config.namespace());
                env.put("REMOVE_MEDIA_VOLUME", String.valueOf(config.removeMediaVolume()));
            }
            case WIPE -> {
                env.put("NAMESPACE", config.namespace());
                env.put("WIPE", "true");
                env.put("REMOVE_DATABASE_VOLUME", String.valueOf(config.removeDatabaseVolume()));
            }
            case DEPLOY_INFRA, DEPLOY_APP -> {
                env.put("NAMESPACE", config.namespace());
                env.put("STACK_IMAGE_TAG", config.stackImageTag());
                env.put("COMPONENTS", kind == StepKind.DEPLOY_INFRA ? "infra" : "app");
                if (config.stackHostname() != null) {
                    env.put("STACK_HOSTNAME", config.stackHostname());
                }
            }
            case DB_RESTORE -> env.put("DATABASE", config.database());
            case MEDIA_SYNC -> {
                // source and target are where the runner mounts or finds them
            }
        }
        env.putAll(config.stepEnv().getOrDefault(kind.program(), Map.of()));
        return env;
    }
}
