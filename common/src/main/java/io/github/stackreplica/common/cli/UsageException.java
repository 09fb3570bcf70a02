package io.github.stackreplica.common.cli;

/** A bad flag, environment variable or combination of them: exit 2, before anything is touched. */
public class UsageException extends StepException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(ExitCode.USAGE, message);
    }
}
