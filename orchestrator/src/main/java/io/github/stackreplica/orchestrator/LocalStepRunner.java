package io.github.stackreplica.orchestrator;

import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.TerminationMessage;
import io.github.stackreplica.common.log.RunContext;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each step in this process, one after another, through the same {@link StepLauncher} its image uses: db-restore
 * and media-sync on local paths and a local PostgreSQL; shutdown and deploy only when a cluster is configured.
 */
public final class LocalStepRunner implements StepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStepRunner.class);

    private final OrchestratorConfig config;
    private final Map<String, StepDefinition<?>> programs;
    private final String runId;
    private final LocalDatabase database;
    private final Path workDir;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param programs    the step definitions by program name ({@code db-restore}, ...)
     * @param database    the server db-restore restores into (null when the workflow restores nothing); closed
     *                    with this runner
     * @param workDir     where each step's termination message is written
     */
    public LocalStepRunner(OrchestratorConfig config, Map<String, StepDefinition<?>> programs, String runId,
                           LocalDatabase database, Path workDir, PrintStream out, PrintStream err) {
        this.config = config;
        this.programs = Map.copyOf(programs);
        this.runId = runId;
        this.database = database;
        this.workDir = workDir;
        this.out = out;
        this.err = err;
    }

    @Override
    public StepOutcome run(StepPlan step) {
        StepKind kind = step.kind();
        if (kind.needsCluster() && !config.local().clusterConfigured()) {
            String why = "Skipped " + kind.id() + ": no cluster configured (KUBECONFIG, ~/.kube/config or in-cluster)";
            LOG.info(why);
            return new StepOutcome(kind, "in-process", ExitCode.DONE, why, Map.of(), Duration.ZERO, true);
        }
        StepDefinition<?> definition = programs.get(kind.program());
        if (definition == null) {
            return new StepOutcome(kind, "in-process", ExitCode.FAILED, "Program " + kind.program()
                    + " is not available to the local runner in this build", Map.of(), Duration.ZERO, false);
        }
        Path terminationLog = workDir.resolve(kind.id() + ".termination-log");
        Map<String, String> env = new LinkedHashMap<>(step.env());
        env.put("RUN_ID", runId);
        env.put("TERMINATION_LOG", terminationLog.toString());
        env.putAll(localEnv(kind));
        LOG.info("Running step {} in-process", kind.id());
        Instant started = Instant.now();
        int code = new StepLauncher(env, out, err).launch(definition, new String[0]);
        Duration duration = Duration.between(started, Instant.now());
        RunContext.enter("orchestrator", runId);
        TerminationMessage.Summary summary = TerminationMessage.readSummary(read(terminationLog));
        String message = summary.message() != null ? summary.message() : "exit " + code;
        return new StepOutcome(kind, "in-process", ExitCode.of(code), message, summary.figures(), duration, false);
    }

    private Map<String, String> localEnv(StepKind kind) {
        Map<String, String> env = new LinkedHashMap<>();
        if (kind == StepKind.DB_RESTORE) {
            env.put("BACKUP_ROOT", config.local().backupRoot().toString());
            env.putAll(database.env());
        } else if (kind == StepKind.MEDIA_SYNC) {
            env.put("SOURCE", config.local().mediaSource().toString());
            env.put("TARGET", config.local().mediaTarget().toString());
        }
        return env;
    }

    @Override
    public void close() {
        if (database != null) {
            database.close();
        }
    }

    /** The termination message the step left, or null when it wrote none. */
    private static String read(Path terminationLog) {
        try {
            return Files.exists(terminationLog) ? Files.readString(terminationLog) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
