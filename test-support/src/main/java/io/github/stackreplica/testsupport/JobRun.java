package io.github.stackreplica.testsupport;

/**
 * How a simulated Job's container ended: its exit code and the termination message Kubernetes would read from its
 * termination log (may be null).
 */
public record JobRun(int exitCode, String terminationMessage) {

    /** A run that exited 0 with {@code terminationMessage}. */
    public static JobRun succeeded(String terminationMessage) {
        return new JobRun(0, terminationMessage);
    }
}
