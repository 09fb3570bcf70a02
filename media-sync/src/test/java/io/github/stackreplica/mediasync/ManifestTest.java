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
import java.util.List;
import java.util.Map;
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

    /** The stored names of {@code directory}, in the order the manifest holds them. */
    private static java.util.List<String> storedOrder(StoredManifest loaded, String directory) {
        ManifestDirectory group = loaded.group(directory);
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < group.count(); i++) {
            names.add(group.name(i));
        }
        return names;
    }

    private static byte[] utf8(String name) {
        return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aLookupFindsEveryStoredNameInAnyOrderAndNoOtherNameInSmallAndLargeDirectories() throws Exception {
        Manifest manifest = Manifest.concurrent(300);
        java.util.List<String> small = new java.util.ArrayList<>();
        java.util.List<String> large = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            small.add("crystal_" + i + (i % 3 == 0 ? " ünïcödé.pdb" : ".mol"));
            manifest.put("small/" + small.get(i), entry(i));
        }
        for (int i = 0; i < 300; i++) { // a miss goes through the hash index; 26 KB outgrows the first scratch array
            large.add("x" + i + "-a-name-long-enough-to-fill-the-scratch.cif");
            manifest.put("large/" + large.get(i), entry(i));
        }
        StoredManifest loaded = savedAndLoaded(manifest);

        for (String directory : java.util.List.of("small", "large")) {
            java.util.List<String> names = new java.util.ArrayList<>(directory.equals("small") ? small : large);
            java.util.Collections.shuffle(names, new java.util.Random(7));
            ManifestDirectory group = loaded.group(directory);
            ManifestDirectory.Lookup lookup = group.lookup();
            for (String name : names.subList(0, names.size() - 2)) {
                int index = lookup.find(utf8(name));
                assertTrue(index >= 0, name);
                assertEquals(name, group.name(index));
                assertEquals(manifest.entries().get(directory + "/" + name), group.entry(index));
            }
            assertEquals(-1, lookup.find(utf8("absent.pdb")));
            assertEquals(-1, lookup.find(utf8(names.get(0) + "x")), "a longer name with the same start");
            assertEquals(names.size() - 2, lookup.foundCount());
            for (String name : names.subList(names.size() - 2, names.size())) {
                assertFalse(lookup.wasFound(storedOrder(loaded, directory).indexOf(name)), name + " was not looked up");
            }
        }
        assertEquals(-1, loaded.group("missing").lookup().find(utf8("x0.cif")));
    }

    @Test
    void aStoredFileMatchesOnlyTheSameKindSizeMtimeModeAndOwner() throws Exception {
        Manifest manifest = Manifest.concurrent(2);
        manifest.put("d/file", new Manifest.Entry(EntryKind.FILE, 10, 1_000, 0644, 1000, 33, 5, true));
        manifest.put("d/link", new Manifest.Entry(EntryKind.SYMLINK, 10, 1_000, 0644, 1000, 33, 5, true));
        ManifestDirectory group = savedAndLoaded(manifest).group("d");
        ManifestDirectory.Lookup lookup = group.lookup();
        int file = lookup.find(utf8("file"));
        int link = lookup.find(utf8("link"));

        assertTrue(lookup.sameFile(file, 10, 1_000, 0644, 1000, 33));
        assertFalse(lookup.sameFile(link, 10, 1_000, 0644, 1000, 33), "a symlink is not a regular file");
        assertFalse(lookup.sameFile(file, 11, 1_000, 0644, 1000, 33), "size");
        assertFalse(lookup.sameFile(file, 10, 1_001, 0644, 1000, 33), "mtime");
        assertFalse(lookup.sameFile(file, 10, 1_000, 0600, 1000, 33), "mode");
        assertFalse(lookup.sameFile(file, 10, 1_000, 0644, 0, 33), "owner");
        assertFalse(lookup.sameFile(file, 10, 1_000, 0644, 1000, 0), "group");
    }

    /**
     * Plays a walk of directory {@code d} into {@code next}, over a previous manifest that held {@code stored} there
     * (entry {@code i} for the i-th name): each listed name is kept, or expected when it starts with {@code +}.
     */
    private void walk(Manifest next, List<String> stored, String... listed) throws Exception {
        Manifest first = Manifest.concurrent(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            first.put("d/" + stored.get(i), entry(i));
        }
        ManifestDirectory base = savedAndLoaded(first).group("d");
        ManifestDirectory.Lookup lookup = base.lookup();
        ManifestGroup group = next.group("d", base);
        for (String name : listed) {
            if (name.startsWith("+")) {
                group.expect(name.substring(1));
            } else {
                group.keep(lookup.find(utf8(name)));
            }
        }
    }

    @Test
    void theNextManifestSavesKeptEntriesAsStoredAndNewRecordsInTheOrderTheWalkListedThem() throws Exception {
        Manifest next = Manifest.concurrent(4);
        // The listing: f2 and f3 unchanged, a new file, f0 unchanged, a file whose copy fails; f1 is gone.
        walk(next, List.of("f0", "f1", "f2", "f3"), "f2", "f3", "+new", "f0", "+failed");
        next.put("d/new", entry(9));
        next.put("d/unlisted", entry(8)); // put without being listed: saved after the listed ones

        assertEquals(5, next.size());
        assertEquals(java.util.Set.of("f2", "f3", "new", "f0", "unlisted"), next.names("d"));
        StoredManifest saved = savedAndLoaded(next);
        assertEquals(java.util.List.of("f2", "f3", "new", "f0", "unlisted"), storedOrder(saved, "d"));
        assertEquals(next.entries(), saved.entries());
        assertEquals(Map.of("d/f0", entry(0), "d/f2", entry(2), "d/f3", entry(3), "d/new", entry(9),
                "d/unlisted", entry(8)), saved.entries());
    }

    @Test
    void aListingMatchesTheNextManifestOnlyWhenItHoldsExactlyTheNamesRecordedThere() throws Exception {
        Manifest next = Manifest.concurrent(3);
        walk(next, List.of("a.pdb", "b ü.mol", "c.cif"), "b ü.mol", "a.pdb", "+new.sdf");
        next.put("d/new.sdf", entry(2)); // c.cif is neither kept nor recorded: deleted

        assertTrue(next.recordsExactly("d", listing("new.sdf", "a.pdb", "b ü.mol")), "any order");
        assertFalse(next.recordsExactly("d", listing("new.sdf", "a.pdb", "b ü.mol", "c.cif")), "one more");
        assertFalse(next.recordsExactly("d", listing("new.sdf", "a.pdb")), "one fewer");
        assertFalse(next.recordsExactly("d", listing("new.sdf", "a.pdb", "c.cif")), "one not kept instead");
        assertFalse(next.recordsExactly("d", listing("new.sdf", "a.pdb", "added by someone")), "one unknown instead");
        assertTrue(next.recordsExactly("empty", listing()));
        assertFalse(next.recordsExactly("empty", listing("x")));
    }

    private static java.util.List<byte[]> listing(String... names) {
        return java.util.Arrays.stream(names).map(ManifestTest::utf8).toList();
    }

    @Test
    void aDirectoryWhoseEntriesDoNotFillItsStoredLengthIsMalformedAndTheOthersStillLoad() throws Exception {
        Manifest manifest = Manifest.concurrent(3);
        manifest.put("d/abcdef.pdb", entry(1));
        manifest.put("e/other.pdb", entry(2));
        Path file = work.resolve("manifest.bin");
        manifest.save(file);
        byte[] bytes = Files.readAllBytes(file);
        // One name's length one byte too long: a file a faulty writer could have checksummed.
        int name = indexOf(bytes, "abcdef.pdb".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bytes[name - 1]++;
        java.nio.ByteBuffer.wrap(bytes).putLong(bytes.length - 8, Manifest.checksum(bytes, bytes.length - 8));
        Files.write(file, bytes);

        StoredManifest loaded = Manifest.load(file);

        assertNull(loaded.problem());
        assertTrue(loaded.group("d") == ManifestDirectory.MALFORMED, "its entries cannot be located");
        assertEquals(Map.of("other.pdb", entry(2)), loaded.directory("e"));
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
