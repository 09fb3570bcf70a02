package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-file failures are collected with their paths and end the run with exit 1; the summary goes everywhere. */
class ErrorsAndReportTest {

    @TempDir
    Path work;

    @Test
    void filesVanishingDuringTheCopyAreReportedByPathAndTheRestIsStillCopied() throws Exception {
        Path source = Files.createDirectory(work.resolve("source"));
        Path target = work.resolve("target");
        for (int i = 0; i < 5; i++) {
            Files.write(source.resolve("f" + i + ".map"), new byte[64 * 1024]);
        }
        Path report = work.resolve("report.json");

        // One thread at 64 KiB/s: a second per file, so the files can vanish after the plan but before their copy.
        CompletableFuture<SyncRun> running = CompletableFuture.supplyAsync(() -> {
            try {
                return SyncRun.of(work, "--source", source.toString(), "--target", target.toString(), "--threads",
                        "1", "--bwlimit", "64", "--report", report.toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Trees.temporaries(target) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<Path> vanished;
        try (var files = Files.list(source)) {
            vanished = files.toList();
        }
        for (Path file : vanished) {
            Files.delete(file); // the one being copied is open already and completes
        }
        SyncRun run = running.get(30, TimeUnit.SECONDS);

        assertEquals(1, run.exitCode(), run.log());
        assertEquals("failed", run.summary().get("outcome"));
        assertEquals(1, run.figure("filesCopied"));
        assertEquals(4, run.figure("errors"));
        assertTrue(((List<?>) run.summary().get("failedPaths")).size() == 4, run.summary().toString());
        assertTrue(run.log().contains("vanished from the source"), run.log());
        @SuppressWarnings("unchecked")
        Map<String, Object> written = new ObjectMapper().readValue(report.toFile(), Map.class);
        assertEquals("failed", written.get("outcome"));
        assertEquals(4, written.get("errors"));
        assertEquals(run.summary().get("failedPaths"), written.get("failedPaths"));
    }

    @Test
    void summaryCarriesTheReportedFiguresInTerminationMessageAndReport() throws Exception {
        Path source = Files.createDirectory(work.resolve("source"));
        Trees.write(source, "a/b.pdb", "pdb");
        Path report = work.resolve("report.json");

        SyncRun run = SyncRun.of(work, "--source", source.toString(), "--target", work.resolve("t").toString(),
                "--report", report.toString());

        assertEquals(0, run.exitCode(), run.log());
        @SuppressWarnings("unchecked")
        Map<String, Object> written = new ObjectMapper().readValue(report.toFile(), Map.class);
        for (String figure : List.of("filesScanned", "filesCopied", "filesDeleted", "filesUnchanged", "bytesCopied",
                "durationSeconds", "throughputMiBPerSecond", "errors", "failedPaths")) {
            assertTrue(run.summary().containsKey(figure), figure + " in the termination message");
            assertTrue(written.containsKey(figure), figure + " in the report");
        }
        assertEquals(3, run.figure("bytesCopied"));
        assertTrue(run.log().contains("Summary: {filesScanned=1"), run.log());
    }

    @Test
    void corruptManifestDegradesToAFullCompareThatStillFindsChanges() throws Exception {
        Path source = Files.createDirectory(work.resolve("source"));
        Path target = work.resolve("target");
        for (int i = 0; i < 20; i++) {
            Trees.write(source, "d/f" + i, "content " + i);
        }
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Path manifest = target.resolve(".media-sync/manifest.bin");
        byte[] bytes = Files.readAllBytes(manifest);
        bytes[20] ^= 0x40;
        Files.write(manifest, bytes);
        Trees.write(source, "d/f3", "changed content");
        Trees.write(source, "d/new", "new");

        SyncRun run = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, run.exitCode(), run.log());
        assertTrue(run.log().contains("fails its checksum"), run.log());
        assertEquals(2, run.figure("filesCopied"), "unchanged files are recognised by the target's own stamp");
        assertEquals(19, run.figure("filesUnchanged"));
        Trees.assertMirrors(source, target);
        SyncRun after = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        assertEquals(21, after.figure("filesUnchanged"), "the rewritten manifest vouches again");
        assertEquals(0, after.figure("filesOpened"));
    }
}
