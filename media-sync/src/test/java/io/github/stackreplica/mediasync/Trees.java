package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds test trees and asserts that a target mirrors a source. */
final class Trees {

    private Trees() {
    }

    static Path write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /** Writes {@code content} keeping the file's size and mtime, so only a content hash can tell. */
    static void rewriteKeepingStamp(Path file, String sameLengthContent) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
        assertEquals(Files.size(file), sameLengthContent.getBytes(StandardCharsets.UTF_8).length);
        Files.writeString(file, sameLengthContent, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, mtime);
    }

    static void setMtime(Path file, String instant) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(instant)));
    }

    /** Every entry under {@code root} but the state directory, keyed by relative path, described for comparison. */
    static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                String relative = root.relativize(path).toString().replace('\\', '/');
                if (relative.isEmpty() || relative.equals(TreePlanner.STATE)
                        || relative.startsWith(TreePlanner.STATE + "/")) {
                    continue;
                }
                entries.put(relative, describeEntry(path));
            }
        }
        return entries;
    }

    private static String describeEntry(Path path) throws IOException {
        SourceEntry entry = SourceEntry.read(path, "");
        return switch (entry.kind()) {
            case SYMLINK -> "link -> " + entry.linkTarget();
            case DIRECTORY -> String.format("dir %o mtime %d", entry.mode(), entry.mtimeNanos() / 1000);
            default -> String.format("file %o mtime %d size %d hash %x", entry.mode(), entry.mtimeNanos() / 1000,
                    entry.size(), ContentHashes.of(Files.readAllBytes(path)));
        };
    }

    /** Asserts same paths, kinds, contents, modes, mtimes (to the microsecond) and link targets. */
    static void assertMirrors(Path source, Path target) throws IOException {
        assertEquals(describe(source), describe(target));
    }

    static void assertSameContent(Path expected, Path actual) throws IOException {
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual), actual.toString());
    }

    /** Temporary files (written beside their final names) anywhere in the target; 0 when there is no target yet. */
    static long temporaries(Path target) throws IOException {
        long[] count = {0};
        if (!Files.isDirectory(target)) {
            return 0;
        }
        // A run may be writing and renaming while this looks: entries that vanish are skipped.
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                count[0] += isTemporary(file) ? 1 : 0;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return count[0];
    }

    static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".msync-") && name.endsWith(".tmp");
    }
}
