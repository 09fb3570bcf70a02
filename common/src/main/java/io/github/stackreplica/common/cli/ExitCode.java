package io.github.stackreplica.common.cli;

/** The exit codes every step shares, and the outcome word each one reports. */
public enum ExitCode {
    DONE(0, "done"),
    FAILED(1, "failed"),
    USAGE(2, "usage-error"),
    REFUSED(3, "refused"),
    TIMED_OUT(4, "timed-out");

    private final int code;
    private final String outcome;

    ExitCode(int code, String outcome) {
        this.code = code;
        this.outcome = outcome;
    }

    public int code() {
        return code;
    }

    /** The word written as {@code outcome} in reports and termination messages. */
    public String outcome() {
        return outcome;
    }

    /** The exit code for a process status; anything unknown counts as {@link #FAILED}. */
    public static ExitCode of(int code) {
        for (ExitCode exitCode : values()) {
            if (exitCode.code == code) {
                return exitCode;
            }
        }
        return FAILED;
    }
}
