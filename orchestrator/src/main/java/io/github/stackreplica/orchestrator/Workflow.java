package io.github.stackreplica.orchestrator;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The replications the original Ansible jobs offered (FULL, JUST DB, WIPE, and media alone), reordered so that the
 * application never serves before its data and media are in place.
 */
public enum Workflow {
    FULL("full", List.of(StepKind.SHUTDOWN, StepKind.DEPLOY_INFRA, StepKind.DB_RESTORE, StepKind.MEDIA_SYNC,
            StepKind.DEPLOY_APP)),
    DB_ONLY("db-only", List.of(StepKind.SHUTDOWN, StepKind.DEPLOY_INFRA, StepKind.DB_RESTORE, StepKind.DEPLOY_APP)),
    MEDIA_ONLY("media-only", List.of(StepKind.MEDIA_SYNC)),
    WIPE("wipe", List.of(StepKind.WIPE));

    private final String word;
    private final List<StepKind> steps;

    Workflow(String word, List<StepKind> steps) {
        this.word = word;
        this.steps = steps;
    }

    public String word() {
        return word;
    }

    public List<StepKind> steps() {
        return steps;
    }

    /** True when the workflow deploys the stack, so it needs the image tag to deploy. */
    public boolean deploys() {
        return steps.contains(StepKind.DEPLOY_APP);
    }

    /**
     * The workflow named {@code word}.
     *
     * @throws IllegalArgumentException listing the known workflows
     */
    public static Workflow of(String word) {
        return Arrays.stream(values()).filter(w -> w.word.equalsIgnoreCase(word.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("expected one of " + Arrays.stream(values())
                        .map(Workflow::word).collect(Collectors.joining(", "))));
    }
}
