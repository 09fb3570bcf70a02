package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A copy killed with SIGKILL leaves no partial file under a final name, and the next run finishes the job. */
class CrashSafetyTest {

    private static final int FILES = 40;
    private static final int SIZE = 256 * 1024;

    @TempDir
    Path work;

    @Test
    void killedMidCopyLeavesOnlyWholeFilesAndARerunCompletesTheMirrorWithoutTemporaries() throws Exception {
        Path source = Files.createDirectory(work.resolve("source"));
        Path target = work.resolve("target");
        Random random = new Random(7);
        for (int i = 0; i < FILES; i++) {
            byte[] content = new byte[SIZE];
            random.nextBytes(content);
            Files.createDirectories(source.resolve("d" + (i % 4)));
            Files.write(source.resolve("d" + (i % 4) + "/f" + i + ".map"), content);
        }

        // 10 MiB at 1 MiB/s: about ten seconds, killed after the first files are in place.
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MediaSyncMain.class.getName(),
                "--source", source.toString(), "--target", target.toString(), "--threads", "2", "--bwlimit", "1024")
                .redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (completeFiles(target) < 3 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(50);
        }
        assertTrue(child.isAlive(), "the child finished before it could be killed: " + Files.readString(
                work.resolve("child.log")));
        assertTrue(Trees.temporaries(target) > 0, "a copy is under way in a temporary file");
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));

        int present = 0;
        for (Path copied : finalFiles(target)) {
            assertArrayEquals(Files.readAllBytes(source.resolve(target.relativize(copied))), Files.readAllBytes(copied),
                    copied + " is under its final name but not whole");
            present++;
        }
        assertTrue(present > 0 && present < FILES, present + " files were in place when killed");

        SyncRun rerun = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, rerun.exitCode(), rerun.log());
        Trees.assertMirrors(source, target);
        assertEquals(0, Trees.temporaries(target), "the rerun removes the killed run's temporaries");
    }

    private static long completeFiles(Path target) throws Exception {
        return finalFiles(target).size();
    }

    private static List<Path> finalFiles(Path target) throws Exception {
        if (!Files.isDirectory(target)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(target)) {
            return walk.filter(Files::isRegularFile).filter(path -> !Trees.isTemporary(path))
                    .filter(path -> !target.relativize(path).startsWith(TreePlanner.STATE)).toList();
        }
    }
}
