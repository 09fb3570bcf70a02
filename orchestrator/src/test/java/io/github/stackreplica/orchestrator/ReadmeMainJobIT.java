package io.github.stackreplica.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's "main job" command works exactly as written, from the repository root, on the committed samples, with
 * the jar {@code mvn package} built.
 */
class ReadmeMainJobIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** The java command of the README's main-job section, its continuation lines joined. */
    static List<String> mainJobCommand() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("<!-- main-job -->"), readme.indexOf("<!-- /main-job -->"));
        String block = section.substring(section.indexOf("```bash") + 7, section.indexOf("```", section.indexOf("```bash") + 7));
        String joined = block.replace("\\\n", " ");
        String command = joined.lines().map(String::strip).filter(l -> l.startsWith("java -jar")).findFirst()
                .orElseThrow(() -> new AssertionError("no java -jar command in the README's main job"));
        return List.of(command.split("\\s+"));
    }

    @Test
    void theReadmesMainJobRestoresTheSampleBackupAndCopiesTheSampleMedia() throws Exception {
        List<String> command = new ArrayList<>(mainJobCommand());
        assertEquals("orchestrator/target/orchestrator.jar", command.get(2));
        Path media = ROOT.resolve("target/local-media");
        Path log = Files.createTempFile("main-job", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("PGHOST");
        builder.environment().remove("KUBECONFIG");
        builder.environment().put("HOME", Files.createTempDirectory("home").toString());
        Process process = builder.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the main job should finish in minutes");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("Run report:"), output);
        assertTrue(output.contains("backup-2026-11-25T02:04:01Z-dumpall.sql.gz"), output);
        assertTrue(output.contains("Skipped shutdown: no cluster configured"), output);
        assertTrue(Files.isRegularFile(media.resolve("targets/TARGET1/aligned/x0001_A_201/x0001_A_201_ligand.pdb")));
    }
}
