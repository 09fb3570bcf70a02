package io.github.stackreplica.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.dbrestore.DbRestoreMain;
import io.github.stackreplica.deploy.StackDeployMain;
import io.github.stackreplica.mediasync.MediaSyncMain;
import io.github.stackreplica.orchestrator.OrchestratorConfig;
import io.github.stackreplica.shutdown.StackShutdownMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table of each program is exactly what its options declare. Run with
 * {@code -Dreadme.update=true} to rewrite the tables after changing an option.
 */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");

    static Map<String, StepOptions> programs() {
        Map<String, StepOptions> programs = new LinkedHashMap<>();
        programs.put("db-restore", DbRestoreMain.definition().options());
        programs.put("media-sync", MediaSyncMain.definition().options());
        programs.put("stack-shutdown", StackShutdownMain.definition(() -> null).options());
        programs.put("stack-deploy", StackDeployMain.definition(() -> null).options());
        programs.put("orchestrator", OrchestratorConfig.OPTIONS);
        return programs;
    }

    @Test
    void configurationTablesMatchTheOptionsEachProgramAccepts() throws IOException {
        String readme = Files.readString(README);
        String updated = readme;
        for (Map.Entry<String, StepOptions> program : programs().entrySet()) {
            String start = "<!-- options:" + program.getKey() + " -->\n";
            String end = "<!-- /options:" + program.getKey() + " -->";
            int from = updated.indexOf(start);
            int to = updated.indexOf(end);
            assertTrue(from >= 0 && to > from, "README needs " + start.strip() + " ... " + end);
            updated = updated.substring(0, from + start.length()) + program.getValue().markdownTable()
                    + updated.substring(to);
        }
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(README, updated);
            return;
        }
        assertEquals(updated, readme, "README configuration tables are out of date: run the k8s module's tests with "
                + "-Dreadme.update=true");
    }

    @Test
    void readmeShowsTheTwoCommandsANewcomerRuns() throws IOException {
        String readme = Files.readString(README);
        assertTrue(readme.contains("mvn -B -ntp verify"));
        assertTrue(readme.contains("java -jar orchestrator/target/orchestrator.jar --runner local"));
        assertTrue(readme.contains("kubectl create job --from=cronjob/stack-replica-staging-refresh refresh-now"));
    }
}
