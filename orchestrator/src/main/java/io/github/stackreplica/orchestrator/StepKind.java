package io.github.stackreplica.orchestrator;

/** One step of a workflow: which program runs it, and the short name its Job and report use. */
public enum StepKind {
    SHUTDOWN("stack-shutdown", "shutdown"),
    WIPE("stack-shutdown", "wipe"),
    DEPLOY_INFRA("stack-deploy", "deploy-infra"),
    DB_RESTORE("db-restore", "db-restore"),
    MEDIA_SYNC("media-sync", "media-sync"),
    DEPLOY_APP("stack-deploy", "deploy-app");

    private final String program;
    private final String id;

    StepKind(String program, String id) {
        this.program = program;
        this.id = id;
    }

    /** The program (Maven module, image {@code stack-replica-<program>}) that runs this step. */
    public String program() {
        return program;
    }

    /** The step's name in Job names, labels and the run report, e.g. {@code deploy-infra}. */
    public String id() {
        return id;
    }

    /** True for steps that talk to the Kubernetes API rather than to a database or a file system. */
    public boolean needsCluster() {
        return program.startsWith("stack-");
    }
}
