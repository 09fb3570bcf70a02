package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying and hashing read a file the same way, whether it fits in one buffer or streams through several. */
class FileCopierTest {

    @TempDir
    Path work;
    FileCopier copier;

    @BeforeEach
    void createCopier() {
        copier = new FileCopier(new Temporaries(Shard.ALL), new SyncStats(), new Bandwidth(0));
    }

    private static SourceEntry listed(Path file, long size) throws Exception {
        SourceEntry entry = SourceEntry.read(file, file.getFileName().toString());
        return new SourceEntry(entry.path(), entry.kind(), size, entry.mtimeNanos(), entry.mode(), -1, -1, null);
    }

    @Test
    void aCopyGetsItsSourcesModeAndMtimeThroughItsDescriptor() throws Exception {
        Path source = Files.writeString(work.resolve("mode.pdb"), "content");
        Files.setAttribute(source, "unix:mode", 0604);
        Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(1_500_000_000_123L));
        Path target = work.resolve("mode-copy.pdb");

        copier.copyFile(listed(source, 7), source, target);

        assertTrue(DescriptorAttributes.available(), "the tests open java.base/sun.nio.ch and java.io as the jar does");
        assertEquals(0604, (int) Files.getAttribute(target, "unix:mode") & 07777);
        assertEquals(Files.getLastModifiedTime(source), Files.getLastModifiedTime(target));
    }

    @Test
    void filesSmallerOrLargerThanTheThreadsBufferAreCopiedWithTheHashThatHashingTheirCopyGives() throws Exception {
        // The first buffer holds 64 KiB and grows to 1 MiB: one that fits, one that fills it exactly, one that grows
        // it, one just above the limit and one far above it (both streamed), then a small one in the grown buffer.
        int[] sizes = {6, 64 * 1024, 200_000, 1024 * 1024 + 1, 3 * 1024 * 1024 + 5, 7};
        Random random = new Random(7);
        for (int size : sizes) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            Path source = Files.write(work.resolve("source-" + content.length), content);
            Path target = work.resolve("target-" + content.length);

            Manifest.Entry copied = copier.copyFile(listed(source, content.length), source, target);

            assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(target)));
            assertEquals(ContentHashes.of(content), copied.hash());
            assertEquals(copied.hash(), copier.hash(target));
        }
    }

    @Test
    void aFileWhoseSizeChangedSinceItWasListedIsNotPutInPlaceAndLeavesNoTemporary() throws Exception {
        Path source = Files.writeString(work.resolve("growing.log"), "written after the listing\n");
        Path target = work.resolve("growing-copy.log");

        assertThrows(FileCopier.SourceChangedException.class,
                () -> copier.copyFile(listed(source, 5), source, target));

        assertFalse(Files.exists(target));
        try (var left = Files.list(work)) {
            assertEquals(1, left.count(), "only the source: no temporary beside the target");
        }
    }
}
