package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest round-trips, rejects damage as a whole, and handles the production tree's size quickly. */
class ManifestTest {

    @TempDir
    Path work;

    private static Manifest.Entry entry(int i) {
        return new Manifest.Entry(EntryKind.values()[i % 3], i * 1000L, 1_700_000_000_123_456_789L + i, 0644, 1000,
                1000, 0x9E3779B97F4A7C15L * i, i % 2 == 0);
    }

    /** Saves {@code manifest} to {@code work/manifest.bin} and loads it back, which must succeed. */
    private StoredManifest savedAndLoaded(Manifest manifest) throws Exception {
        Path file = work.resolve("manifest.bin");
        manifest.save(file);
        StoredManifest loaded = Manifest.load(file);
        assertNull(loaded.problem());
        return loaded;
    }

    @Test
    void savedManifestLoadsBackEntryForEntry() throws Exception {
        Manifest manifest = Manifest.concurrent(3);
        Manifest.Entry root = new Manifest.Entry(EntryKind.DIRECTORY, 4096, 1_700_000_000_000_000_000L, 02775, 0, 33,
                0, true);
        manifest.put("", root);
        manifest.put("a/b/ünïcödé file.pdb", entry(1));
        manifest.put("empty", entry(2));
        manifest.put("link", entry(3));

        StoredManifest loaded = savedAndLoaded(manifest);

        assertEquals(manifest.entries(), loaded.entries());
        assertEquals(4, loaded.size());
        assertEquals(root, loaded.get(""), "the root's own entry");
        assertEquals(java.util.Set.of("empty", "link"), loaded.directory("").keySet(), "names in the root only");
        assertEquals(java.util.Set.of("empty", "link"), manifest.names(""));
        assertEquals(BootId.current(), loaded.bootId());
        assertFalse(loaded.bootId().isEmpty(), "Linux tells its boot id");
        assertTrue(Files.list(work).noneMatch(path -> path.toString().endsWith(".tmp")), "no temporary left");
    }

    @Test
    void aDirectoryWhoseEntriesOutgrowTheWriteBufferSavesAndLoadsBackBetweenSmallOnes() throws Exception {
        Manifest manifest = Manifest.concurrent(30_002);
        manifest.put("small-before/a.pdb", entry(1));
        for (int i = 0; i < 30_000; i++) { // about 2.4 MB of entries in one directory
            manifest.put("flat/x" + i + "-a-long-enough-file-name-for-the-test.pdb", entry(i));
        }
        manifest.put("small-after/ünïcödé.pdb", entry(2));

        StoredManifest loaded = savedAndLoaded(manifest);

        assertEquals(manifest.entries(), loaded.entries());
    }

    @Test
    void corruptOrTruncatedManifestLoadsEmptyWithTheReason() throws Exception {
        Manifest manifest = Manifest.concurrent(100);
        for (int i = 0; i < 100; i++) {
            manifest.put("dir/file-" + i, entry(i));
        }
        Path file = work.resolve("manifest.bin");
        manifest.save(file);
        byte[] bytes = Files.readAllBytes(file);

        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x01;
        Files.write(file, flipped);
        StoredManifest corrupt = Manifest.load(file);
        assertEquals(0, corrupt.size());
        assertTrue(corrupt.problem().contains("checksum"), corrupt.problem());

        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        assertEquals(0, Manifest.load(file).size());
        assertNotNull(Manifest.load(file).problem());

        Files.delete(file);
        assertTrue(Manifest.load(file).problem().contains("no manifest"));
    }

    @Test
    void productionSizedManifestSavesAndLoadsWellUnderASecond() throws Exception {
        Manifest manifest = Manifest.concurrent(135_000);
        for (int i = 0; i < 135_000; i++) {
            String target = "T" + (1000 + i / 450);
            String crystal = target + "-x" + (1000 + i / 30) + "_A";
            manifest.put("target_loader_data/" + target + "/upload_1/" + target + "/aligned_files/" + crystal + "/"
                    + crystal + "_" + (i % 30) + ".pdb", entry(i));
        }
        Path file = work.resolve("manifest.bin");
        manifest.save(file); // warm-up: class loading and JIT are not what is measured
        Manifest.load(file);

        // CPU time of this thread: the shared test machine's load must not decide the outcome.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        manifest.save(file);
        StoredManifest loaded = Manifest.load(file);
        double seconds = (threads.getCurrentThreadCpuTime() - start) / 1e9;

        assertTrue(seconds < 0.5, "save + load took " + seconds + " s of CPU");
        assertEquals(135_000, loaded.size());
        assertTrue(Files.size(file) < 20 * 1024 * 1024, Files.size(file) + " bytes");
    }

    @Test
    void aDirectorysEntriesAreFoundByNameAndOnlyItsOwn() throws Exception {
        Manifest manifest = Manifest.concurrent(4);
        manifest.put("top.txt", entry(1));
        manifest.put("a", entry(2));
        manifest.put("a/b/one", entry(3));
        manifest.put("a/b/two", entry(4));

        StoredManifest loaded = savedAndLoaded(manifest);

        assertEquals(4, loaded.size());
        assertEquals(java.util.Set.of("one", "two"), loaded.directory("a/b").keySet());
        assertEquals(java.util.Set.of("top.txt", "a"), loaded.directory("").keySet());
        assertEquals(entry(3), loaded.get("a/b/one"));
        assertEquals(java.util.Map.of(), loaded.directory("a/b/one"));
        assertNull(loaded.get("a/b/three"));
    }

    @Test
    void aManifestInTheFirstFormatLoadsEmptySoTheRunComparesEveryFile() throws Exception {
        byte[] body = java.nio.ByteBuffer.allocate(16).put("MSYNCMF1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(0).putInt(0).array();
        Path file = work.resolve("manifest.bin");
        Files.write(file, java.nio.ByteBuffer.allocate(24).put(body).putLong(Manifest.checksum(body, body.length))
                .array());

        StoredManifest loaded = Manifest.load(file);

        assertEquals(0, loaded.size());
        assertTrue(loaded.problem().contains("older or unknown format"), loaded.problem());
    }
}
