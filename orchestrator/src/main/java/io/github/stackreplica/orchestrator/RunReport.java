package io.github.stackreplica.orchestrator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.stackreplica.common.cli.ExitCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one replication did: the workflow, the target, the image tag, and each step's outcome and duration. It becomes
 * the orchestrator's termination message figures, ConfigMap {@code stack-replica-last-run} and its log summary.
 */
public record RunReport(String run, String workflow, String namespace, String imageTag, String runner,
                        Instant started, Instant finished, List<StepOutcome> steps) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunReport {
        steps = List.copyOf(steps);
    }

    /** The first step that did not succeed, if any. */
    public Optional<StepOutcome> failure() {
        return steps.stream().filter(s -> !s.succeeded()).findFirst();
    }

    /** The run's exit code: 0, or the failed step's 2/3/4, or 1 for anything else. */
    public ExitCode exitCode() {
        return failure().map(s -> switch (s.exitCode()) {
            case USAGE, REFUSED, TIMED_OUT -> s.exitCode();
            default -> ExitCode.FAILED;
        }).orElse(ExitCode.DONE);
    }

    /** The backup db-restore used, from its termination message. */
    public Optional<String> backup() {
        return steps.stream().filter(s -> s.kind() == StepKind.DB_RESTORE)
                .map(s -> s.figures().get("backup")).filter(b -> b != null).map(Object::toString).findFirst();
    }

    /** One line for a person: what ran, for whom, and how it ended. */
    public String message() {
        String what = workflow + " replication of " + namespace + (imageTag == null ? "" : " at tag " + imageTag);
        return failure().map(f -> what + " failed at step " + f.kind().id() + " (exit " + f.exitCode().code() + "): "
                + f.message()).orElse(what + " done in " + seconds(Duration.between(started, finished)) + "s");
    }

    /** The report as plain values (for JSON): run facts, then one entry per step; compact enough for 4096 bytes. */
    public Map<String, Object> figures() {
        return figures(false);
    }

    /**
     * The report as plain values; {@code detailed} adds each step's own figures (rows, files copied), for the
     * ConfigMap and the local runner's printout.
     */
    public Map<String, Object> figures(boolean detailed) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("workflow", workflow);
        figures.put("namespace", namespace);
        figures.put("imageTag", imageTag);
        figures.put("runner", runner);
        figures.put("started", started.toString());
        figures.put("finished", finished.toString());
        figures.put("durationSeconds", seconds(Duration.between(started, finished)));
        backup().ifPresent(b -> figures.put("backup", b));
        failure().ifPresent(f -> figures.put("failedStep", f.kind().id()));
        List<Map<String, Object>> stepList = new ArrayList<>();
        for (StepOutcome step : steps) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("step", step.kind().id());
            entry.put("outcome", step.outcome());
            entry.put("exitCode", step.exitCode().code());
            entry.put("durationSeconds", seconds(step.duration()));
            entry.put("where", step.where());
            entry.put("message", detailed || step.message().length() <= 300 ? step.message()
                    : step.message().substring(0, 297) + "...");
            if (detailed && !step.figures().isEmpty()) {
                entry.put("figures", step.figures());
            }
            stepList.add(entry);
        }
        figures.put("steps", stepList);
        return figures;
    }

    /** The detailed report as indented JSON: what ConfigMap {@code stack-replica-last-run} holds and the local
     * runner prints. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(figures(true));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The run report holds only plain values", e);
        }
    }

    private static long seconds(Duration duration) {
        return Math.round(duration.toMillis() / 1000.0);
    }
}
