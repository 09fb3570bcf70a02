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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table of each program lists exactly the options the program accepts, each with its
 * environment variable. The orchestrator's table is generated ({@code -Dreadme.update=true} rewrites it).
 */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern FLAG_ROW = Pattern.compile("^\\| `--([a-z0-9-]+)[^`]*` \\| `([A-Z0-9_]+)`");

    static Map<String, StepOptions> programs() {
        Map<String, StepOptions> programs = new LinkedHashMap<>();
        programs.put("db-restore", DbRestoreMain.definition().options());
        programs.put("media-sync", MediaSyncMain.definition().options());
        programs.put("stack-shutdown", StackShutdownMain.definition(() -> null).options());
        programs.put("stack-deploy", StackDeployMain.definition(() -> null).options());
        programs.put("orchestrator", OrchestratorConfig.OPTIONS);
        return programs;
    }

    private static String section(String readme, String program) {
        String start = "<!-- config:" + program + " -->";
        String end = "<!-- /config:" + program + " -->";
        assertTrue(readme.contains(start) && readme.contains(end), "README needs a section " + start);
        return readme.substring(readme.indexOf(start), readme.indexOf(end));
    }

    @Test
    void eachProgramsTableListsExactlyItsOptionsWithTheirEnvironmentVariables() throws IOException {
        String readme = Files.readString(README);
        for (Map.Entry<String, StepOptions> program : programs().entrySet()) {
            Map<String, String> rows = new LinkedHashMap<>();
            for (String line : section(readme, program.getKey()).split("\n")) {
                Matcher row = FLAG_ROW.matcher(line);
                if (row.find()) {
                    rows.put(row.group(1), row.group(2));
                }
            }
            Map<String, String> declared = new LinkedHashMap<>();
            program.getValue().specs().forEach(spec -> declared.put(spec.name(), spec.env()));
            assertEquals(declared, rows, "README table of " + program.getKey() + " (flag -> env var)");
            for (StepOptions.SecretSpec secret : program.getValue().secrets()) {
                assertTrue(section(readme, program.getKey()).contains("`" + secret.env() + "`"),
                        program.getKey() + " README should name secret " + secret.env());
            }
        }
    }

    @Test
    void orchestratorTableIsGeneratedFromItsOptions() throws IOException {
        String readme = Files.readString(README);
        String start = "<!-- options:orchestrator -->\n";
        String end = "<!-- /options:orchestrator -->";
        String updated = readme.substring(0, readme.indexOf(start) + start.length())
                + OrchestratorConfig.OPTIONS.markdownTable() + readme.substring(readme.indexOf(end));
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(README, updated);
            return;
        }
        assertEquals(updated, readme, "run the k8s module's tests with -Dreadme.update=true to regenerate it");
    }

    @Test
    void readmeShowsTheTwoCommandsANewcomerRuns() throws IOException {
        String readme = Files.readString(README);
        assertTrue(readme.contains("mvn -B -ntp verify"));
        assertTrue(readme.contains("java -jar orchestrator/target/orchestrator.jar --runner local"));
        assertTrue(readme.contains("kubectl create job --from=cronjob/stack-replica-staging-refresh refresh-now"));
        for (String program : List.of("db-restore", "media-sync", "stack-shutdown", "stack-deploy", "orchestrator")) {
            assertTrue(readme.contains("`" + program + "`"), program);
        }
    }
}
