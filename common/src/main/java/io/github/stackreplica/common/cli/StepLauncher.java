package io.github.stackreplica.common.cli;

import io.github.stackreplica.common.BuildInfo;
import io.github.stackreplica.common.log.LogbackProvider;
import io.github.stackreplica.common.log.Logging;
import io.github.stackreplica.common.log.RunContext;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one catch-all of every step: parse arguments and environment into the config, log it once, run, and turn the
 * outcome into an exit code and a termination message. It returns the exit code; only {@code main} calls
 * {@code System.exit}.
 */
public final class StepLauncher {

    static {
        LogbackProvider.select(); // before LOG below, the first use of slf4j in a step
    }

    private static final Logger LOG = LoggerFactory.getLogger(StepLauncher.class);

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param env the process environment ({@code System.getenv()} in main, a map in tests)
     * @param out where {@code --help} and the log go
     * @param err where usage errors go
     */
    public StepLauncher(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
    }

    /** A launcher on the real environment and standard streams, for {@code main}. */
    public static StepLauncher forProcess() {
        return new StepLauncher(System.getenv(), System.out, System.err);
    }

    /** Runs the step and returns its exit code: 0 done, 1 failed, 2 usage, 3 refused, 4 timed out. */
    public <C> int launch(StepDefinition<C> step, String[] args) {
        String runId = RunContext.runId(env);
        RunContext.enter(step.name(), runId);
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(step.options().help());
            out.flush();
            return ExitCode.DONE.code();
        }
        StepResult result;
        try {
            Logging.configure(env, out);
            C config = step.parser().parse(args, env);
            LOG.info("{} {} starting with {}", step.name(), BuildInfo.version(), RecordText.of(config));
            result = step.body().run(config);
        } catch (UsageException e) {
            err.println(step.name() + ": " + e.getMessage());
            err.println("Run '" + step.name() + " --help' to see the options and their environment variables.");
            err.flush();
            result = StepResult.of(e);
        } catch (StepException e) {
            LOG.error("{}", e.getMessage());
            result = StepResult.of(e);
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.error("{} failed unexpectedly: {}", step.name(), e.toString(), e);
            result = new StepResult(ExitCode.FAILED, step.name() + " failed unexpectedly: " + e, Map.of());
        }
        finish(step.name(), runId, result);
        return result.exitCode().code();
    }

    private void finish(String step, String runId, StepResult result) {
        if (result.exitCode() == ExitCode.DONE) {
            LOG.info("{} done: {}", step, result.message());
        } else if (result.exitCode() != ExitCode.USAGE) {
            LOG.info("{} ended {} (exit {})", step, result.exitCode().outcome(), result.exitCode().code());
        }
        TerminationMessage.write(env, TerminationMessage.render(step, runId, result));
    }
}
