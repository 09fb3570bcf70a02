package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixStatTest {

    @TempDir
    Path root;

    @Test
    void readsEveryKindOfEntryRelativeToItsDirectoryExactlyAsAFullLstatDoes() throws IOException {
        Path file = Files.writeString(root.resolve("file with spaces ü.pdb"), "content");
        Files.setAttribute(file, "unix:mode", 04751);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_123L));
        Path directory = Files.createDirectory(root.resolve("dir"));
        Files.setAttribute(directory, "unix:mode", 01770);
        Files.createSymbolicLink(root.resolve("link"), Path.of("dir/../file with spaces ü.pdb"));
        Files.createFile(root.resolve("empty"));

        List<SourceEntry> fast = new ArrayList<>();
        List<SourceEntry> full = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
            assertInstanceOf(SecureDirectoryStream.class, stream, "Linux directory streams hold a descriptor");
            for (Path child : stream) {
                String name = child.getFileName().toString();
                fast.add(UnixStat.read(stream, child, "sub/" + name));
                full.add(SourceEntry.read(child, "sub/" + name));
            }
        }

        assertTrue(UnixStat.available(), "the tests run with --add-opens java.base/sun.nio.fs, as the jar and image do");
        assertEquals(4, fast.size());
        assertEquals(full, fast);
        SourceEntry setuid = fast.stream().filter(entry -> entry.name().startsWith("file")).findFirst().orElseThrow();
        assertEquals(04751, setuid.mode());
        assertEquals(7, setuid.size());
        assertEquals(1_600_000_000_123_000_000L, setuid.mtimeNanos());
    }
}
