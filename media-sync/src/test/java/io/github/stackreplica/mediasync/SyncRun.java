package io.github.stackreplica.mediasync;

import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.TerminationMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** One in-process run of media-sync through the launcher, as the orchestrator runs it: exit code, summary and log. */
record SyncRun(int exitCode, Map<String, Object> summary, String log) {

    /** Runs media-sync with {@code args}; the termination message goes to a file under {@code work}. */
    static SyncRun of(Path work, String... args) throws IOException {
        Path termination = Files.createTempFile(work, "termination", ".json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("TERMINATION_LOG", termination.toString(), "RUN_ID", "test-run");
        int code = new StepLauncher(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8)).launch(MediaSyncMain.definition(), args);
        String json = Files.readString(termination);
        Files.delete(termination);
        return new SyncRun(code, TerminationMessage.parse(json), out.toString(StandardCharsets.UTF_8));
    }

    long figure(String name) {
        Object value = summary.get(name);
        if (!(value instanceof Number number)) {
            throw new AssertionError("No figure " + name + " in " + summary + "\n" + log);
        }
        return number.longValue();
    }
}
