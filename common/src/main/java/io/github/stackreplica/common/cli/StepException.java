package io.github.stackreplica.common.cli;

import java.util.Map;

/**
 * An expected failure of a step: it carries the exit code to end with and a message for a person.
 * The launcher logs only the message, without a stack trace.
 */
public class StepException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;
    private final transient Map<String, Object> figures;

    public StepException(ExitCode exitCode, String message) {
        this(exitCode, message, Map.of(), null);
    }

    public StepException(ExitCode exitCode, String message, Throwable cause) {
        this(exitCode, message, Map.of(), cause);
    }

    /** {@code figures} are step figures worth reporting even though the step failed (counts so far, the backup used). */
    public StepException(ExitCode exitCode, String message, Map<String, Object> figures, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.figures = Map.copyOf(figures);
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public Map<String, Object> figures() {
        return figures;
    }

    /** Exit 1: a failure a retry may fix (I/O, API errors, a bad dump). */
    public static StepException failed(String message) {
        return new StepException(ExitCode.FAILED, message);
    }

    /** Exit 1 with the exception that caused it. */
    public static StepException failed(String message, Throwable cause) {
        return new StepException(ExitCode.FAILED, message, cause);
    }

    /** Exit 3: a safety check refused the run. */
    public static StepException refused(String message) {
        return new StepException(ExitCode.REFUSED, message);
    }

    /** Exit 4: a wait ran out of time. */
    public static StepException timedOut(String message) {
        return new StepException(ExitCode.TIMED_OUT, message);
    }
}
