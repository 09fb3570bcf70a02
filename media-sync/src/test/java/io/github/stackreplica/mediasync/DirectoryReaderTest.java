package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryReaderTest {

    @TempDir
    Path root;

    /** What a sink saw, by name: "mode size mtime uid gid" or "unreadable". */
    private static final class Recorder implements DirectoryReader.Sink {
        final Map<String, String> seen = new TreeMap<>();

        @Override
        public void entry(byte[] name, int mode, long size, long mtimeNanos, int uid, int gid) {
            seen.put(DirectoryReader.decode(name), Integer.toOctalString(mode) + " " + size + " " + mtimeNanos + " " + uid + " " + gid);
        }

        @Override
        public void unreadable(byte[] name, IOException error) {
            seen.put(DirectoryReader.decode(name), "unreadable");
        }
    }

    @Test
    void readsEveryKindOfEntryWithTheNativeCallsExactlyAsTheJdksPortableCallsDo() throws IOException {
        Path file = Files.writeString(root.resolve("file with spaces ü.pdb"), "content");
        Files.setAttribute(file, "unix:mode", 04751);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_123L));
        Path directory = Files.createDirectory(root.resolve("dir"));
        Files.setAttribute(directory, "unix:mode", 01770);
        Files.createSymbolicLink(root.resolve("link"), Path.of("dir/../file with spaces ü.pdb"));
        Files.createFile(root.resolve("empty"));
        Files.createFile(root.resolve("n".repeat(255))); // the longest name Linux allows
        Files.createFile(root.resolve("line\nbreak and ünïcödé ✓"));

        Recorder fast = new Recorder();
        DirectoryReader.read(root, fast);
        Recorder jdk = new Recorder();
        DirectoryReader.readWithJdkCalls(root, jdk);
        Recorder portable = new Recorder();
        DirectoryReader.readPortably(root, portable);

        assertTrue(NativeDirectories.available(), "the build compiles the native reader for this platform: "
                + NativeDirectories.problem());
        assertEquals("media-sync's native library", DirectoryReader.description(), "what the walk logs");
        assertTrue(DirectoryReader.fast(), "the tests run with --add-opens java.base/sun.nio.fs, as the jar and image do");
        assertEquals(portable.seen, fast.seen);
        assertEquals(portable.seen, jdk.seen);
        assertEquals(Set.of("file with spaces ü.pdb", "dir", "link", "empty", "n".repeat(255),
                "line\nbreak and ünïcödé ✓"), fast.seen.keySet());
        String[] setuid = fast.seen.get("file with spaces ü.pdb").split(" ");
        assertEquals("104751", setuid[0], "the whole st_mode: regular file, setuid, rwxr-x--x");
        assertEquals("7", setuid[1]);
        assertEquals("1600000000123000000", setuid[2]);
        assertTrue(fast.seen.get("link").startsWith("120777 "), "the link itself, not what it points to");
        assertEquals(fast.seen.keySet(), DirectoryReader.names(root));
    }

    @Test
    void aMissingDirectoryOrAFileIsReportedAsTheJdkReportsThem() throws IOException {
        Path file = Files.writeString(root.resolve("file"), "x");

        assertThrows(NoSuchFileException.class, () -> DirectoryReader.read(root.resolve("missing"), new Recorder()));
        assertThrows(NotDirectoryException.class, () -> DirectoryReader.read(file, new Recorder()));
        assertThrows(NotDirectoryException.class, () -> DirectoryReader.names(file));
        assertThrows(NoSuchFileException.class, () -> DirectoryReader.readWithJdkCalls(root.resolve("missing"),
                new Recorder()));
        assertThrows(NotDirectoryException.class, () -> DirectoryReader.readWithJdkCalls(file, new Recorder()));
    }

    @Test
    void aDirectoryWithMoreEntriesThanTheReadersFirstArraysHoldIsReadWhole() throws IOException {
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < 3000; i++) { // past 1,024 entries and 64 KB of names
            String name = "crystal-" + i + "-with-a-name-long-enough-to-outgrow-the-first-array-of-names.pdb";
            Files.writeString(root.resolve(name), Integer.toString(i));
            names.add(name);
        }

        Recorder recorder = new Recorder();
        DirectoryReader.read(root, recorder);

        assertEquals(names, recorder.seen.keySet());
        assertEquals(names, DirectoryReader.names(root));
        assertTrue(recorder.seen.get("crystal-2999-with-a-name-long-enough-to-outgrow-the-first-array-of-names.pdb")
                .startsWith("100644 4 "), "mode and size of the last one");
    }

    @Test
    void aDirectoryAboveTheNativeReadersLimitIsLeftWholeToTheJdksCallsWithNothingReported() throws IOException {
        for (int i = 0; i < 3000; i++) {
            Files.createFile(root.resolve("f" + i));
        }
        byte[] path = root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);

        // Each on a new thread: a thread's arrays start at 1,024 entries, so these must grow (or refuse to).
        Recorder above = new Recorder();
        boolean readAbove = onNewThread(() -> NativeDirectories.read(root, path, above, true, 2000));
        Recorder below = new Recorder();
        boolean readBelow = onNewThread(() -> NativeDirectories.read(root, path, below, true, 4000));

        assertTrue(!readAbove && above.seen.isEmpty(), "declined before reporting anything: DirectoryReader reads it");
        assertTrue(readBelow);
        assertEquals(3000, below.seen.size());
    }

    private static <T> T onNewThread(java.util.concurrent.Callable<T> task) throws IOException {
        java.util.concurrent.FutureTask<T> result = new java.util.concurrent.FutureTask<>(task);
        new Thread(result).start();
        try {
            return result.get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }
}
