package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run leaves the target a mirror of the source, entry kind by entry kind, and repeats cost no reads. */
class MirrorTest {

    @TempDir
    Path work;
    Path source;
    Path target;

    @BeforeEach
    void createSource() throws Exception {
        source = Files.createDirectory(work.resolve("source"));
        target = work.resolve("target");
        Trees.write(source, "target_loader_data/A71EV2A/upload_1/aligned/x0001_A/x0001_A.pdb", "ATOM 1\n");
        Trees.write(source, "target_loader_data/A71EV2A/upload_1/aligned/x0001_A/x0001_A.mol", "mol\n");
        Trees.write(source, "empty-file", "");
        Files.createDirectories(source.resolve("empty/dir"));
        Trees.write(source, "name with spaces/ünïcödé ✓.sdf", "unicode\n");
        Trees.write(source, "d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt", "deep\n");
        Files.write(source.resolve("big.bin"), new byte[3 * 1024 * 1024 + 17]); // larger than one copy buffer
        Path executable = Trees.write(source, "bin/run.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(Trees.write(source, "private.key", "k"), PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(source.resolve("latest"), Path.of("target_loader_data/A71EV2A"));
        Files.createSymbolicLink(source.resolve("dangling"), Path.of("does/not/exist"));
        Trees.setMtime(source.resolve("empty-file"), "2020-01-02T03:04:05.123456Z");
        Files.setAttribute(source.resolve("empty/dir"), "unix:mode", 02770); // setgid, as on shared NFS folders
        Trees.setMtime(source.resolve("empty/dir"), "2019-05-06T07:08:09Z");
    }

    @Test
    void mirrorsFilesEmptyFilesEmptyDirsDeepAndUnicodePathsSymlinksModesAndMtimes() throws Exception {
        SyncRun run = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, run.exitCode(), run.log());
        Trees.assertMirrors(source, target);
        assertTrue(Files.isSymbolicLink(target.resolve("latest")), "symlinks are copied as links");
        assertTrue(Files.isSymbolicLink(target.resolve("dangling")));
        assertEquals(10, run.figure("filesCopied"));
        assertEquals(0, Trees.temporaries(target));
    }

    @Test
    void unchangedTreeOpensNoFileAndCopiesNothing() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        SyncRun again = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, again.exitCode(), again.log());
        assertEquals(0, again.figure("filesOpened"));
        assertEquals(0, again.figure("bytesRead"));
        assertEquals(0, again.figure("filesCopied"));
        assertEquals(10, again.figure("filesUnchanged"));
        Trees.assertMirrors(source, target);
        // The first run set every directory's mtime and then listed each once to vouch for it: from the first
        // unchanged run on, the manifest and each directory's unchanged mtime stand for the listings.
        assertEquals(0, again.figure("targetDirectoriesListed"), again.log());
    }

    @Test
    void filesAddedToTheTargetBehindItsBackAreFoundAndDeletedThoughUnchangedDirectoriesAreNotListed() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString()); // settles the mtimes
        Path aligned = target.resolve("target_loader_data/A71EV2A/upload_1/aligned/x0001_A");
        Files.writeString(aligned.resolve("stray.pdb"), "written by the staging stack\n");
        Files.delete(target.resolve("d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt"));

        SyncRun again = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, again.exitCode(), again.log());
        assertEquals(2, again.figure("targetDirectoriesListed"), "only the two directories whose mtime changed");
        assertEquals(1, again.figure("filesDeleted"));
        assertEquals(1, again.figure("filesCopied"));
        Trees.assertMirrors(source, target);
    }

    @Test
    void aDirectoryHoldingANameTheManifestLacksIsNotVouchedForAfterItsMtimeIsSetAndTheNextRunListsIt()
            throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Trees.write(source, "empty/dir/new.pdb", "new\n");
        Trees.write(target, "empty/dir/extra.pdb", "not from the source\n");

        SyncRun copying = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(),
                "--delete", "false"); // copies new.pdb, keeps the extra, sets the directory's mtime again
        SyncRun next = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(1, copying.figure("filesCopied"), copying.log());
        assertEquals(1, next.figure("targetDirectoriesListed"), "the directory listed after its mtime held the extra");
        assertEquals(1, next.figure("filesDeleted"), next.log());
        Trees.assertMirrors(source, target);
    }

    @Test
    void afterARestartEachTargetFileIsComparedWithTheManifestSoACopyAPowerCutEmptiedIsRedone() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Path crystal = target.resolve("target_loader_data/A71EV2A/upload_1/aligned/x0001_A");
        FileTime crystalMtime = Files.getLastModifiedTime(crystal);
        Path copy = crystal.resolve("x0001_A.pdb");
        FileTime copyMtime = Files.getLastModifiedTime(copy);
        // What a power cut can leave of a copy that never reached the disk: its name and mtime, no data.
        Files.write(copy, new byte[0]);
        Files.setLastModifiedTime(copy, copyMtime);
        Files.setLastModifiedTime(crystal, crystalMtime);
        Path manifestFile = target.resolve(".media-sync/manifest.bin");
        Manifest rewritten = Manifest.concurrent(32);
        Manifest.load(manifestFile).entries().forEach(rewritten::put);

        rewritten.save(manifestFile, BootId.current()); // same boot: the manifest alone is trusted
        SyncRun sameBoot = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        rewritten.save(manifestFile, "another-boot");
        SyncRun afterRestart = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, sameBoot.figure("filesCopied"), "within one boot the manifest vouches for the copy");
        assertEquals(1, afterRestart.figure("filesCopied"), afterRestart.log());
        assertEquals(9, afterRestart.figure("filesUnchanged"));
        assertEquals(1, afterRestart.figure("filesOpened"), "compared by size and mtime; only the copy is read");
        Trees.assertMirrors(source, target);
    }

    @Test
    void copiesFilesWhoseSizeOrMtimeChangedAndOnlyThose() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Trees.write(source, "private.key", "longer key");
        Path mol = source.resolve("target_loader_data/A71EV2A/upload_1/aligned/x0001_A/x0001_A.mol");
        Files.writeString(mol, "MOL\n"); // same size
        Trees.setMtime(mol, "2021-01-01T00:00:00Z");

        SyncRun again = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(2, again.figure("filesCopied"), again.log());
        assertEquals("MOL\n", Files.readString(target.resolve(source.relativize(mol))));
        Trees.assertMirrors(source, target);
    }

    @Test
    void modeChangeAloneIsAppliedWithoutCopying() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Files.setPosixFilePermissions(source.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxrwxr-x"));

        SyncRun again = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, again.figure("filesCopied"));
        assertEquals(1, again.figure("attributesUpdated"));
        Trees.assertMirrors(source, target);
    }

    @Test
    void aDirectorysNewModeAndMtimeReachTheTargetAndATouchedDirectoryGetsItsMtimeBack() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Files.setAttribute(source.resolve("bin"), "unix:mode", 0750);
        Trees.write(source, "empty/dir/new.txt", "new"); // a new entry: the directory's mtime changes with it
        Trees.setMtime(source.resolve("empty/dir"), "2019-05-06T07:08:09Z");

        SyncRun again = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, again.exitCode(), again.log());
        assertEquals(1, again.figure("filesCopied"));
        Trees.assertMirrors(source, target); // modes and mtimes of directories included
    }

    @Test
    void sameSizeAndMtimeButDifferentContentIsFoundByChecksum() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Trees.rewriteKeepingStamp(source.resolve("name with spaces/ünïcödé ✓.sdf"), "UNICODE\n");

        SyncRun plain = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        assertEquals(0, plain.figure("filesCopied"), "size and mtime match: a plain run trusts them");

        SyncRun checksum = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(),
                "--checksum");
        assertEquals(0, checksum.exitCode(), checksum.log());
        assertEquals(1, checksum.figure("filesCopied"));
        Trees.assertMirrors(source, target);
    }

    @Test
    void verifyRepairsATargetFileAlteredBehindTheManifest() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Path altered = target.resolve("target_loader_data/A71EV2A/upload_1/aligned/x0001_A/x0001_A.pdb");
        Trees.rewriteKeepingStamp(altered, "ATOM 2\n");
        Trees.rewriteKeepingStamp(target.resolve("big.bin"), "x" + "\0".repeat(3 * 1024 * 1024 + 16));

        SyncRun verify = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(), "--verify");

        assertEquals(0, verify.exitCode(), verify.log());
        assertEquals(2, verify.figure("filesRepaired"));
        assertEquals("ATOM 1\n", Files.readString(altered));
        Trees.assertMirrors(source, target);
    }

    @Test
    void deletesWhatTheSourceLostButNeitherCopiesNorDeletesExcludedPaths() throws Exception {
        Trees.write(source, "lost+found/recovered", "fsck");
        Trees.write(source, "cache/thumb.png", "png");
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString(), "--exclude", "lost+found/",
                "--exclude", "*.png");
        assertFalse(Files.exists(target.resolve("lost+found")), "excluded directories are not copied");
        assertFalse(Files.exists(target.resolve("cache/thumb.png")), "excluded files are not copied");
        Trees.write(target, "lost+found/target-own", "kept");
        Trees.write(target, "cache/local.png", "kept");
        Files.delete(source.resolve("private.key"));
        Files.delete(source.resolve("latest"));
        Files.delete(source.resolve("d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt"));

        SyncRun again = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(),
                "--exclude", "lost+found/", "--exclude", "*.png");

        assertEquals(0, again.exitCode(), again.log());
        assertEquals(3, again.figure("filesDeleted"));
        assertFalse(Files.exists(target.resolve("private.key"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(target.resolve("latest"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(target.resolve("lost+found/target-own")), "excluded paths are never deleted");
        assertTrue(Files.exists(target.resolve("cache/local.png")));
        assertEquals(withoutExcluded(Trees.describe(source)), withoutExcluded(Trees.describe(target)));
    }

    private static Map<String, String> withoutExcluded(Map<String, String> entries) {
        entries.keySet().removeIf(path -> path.startsWith("lost+found") || path.endsWith(".png"));
        entries.computeIfPresent("cache", (path, description) -> "dir"); // its mtime follows the excluded files
        return entries;
    }

    @Test
    void noDeleteKeepsTargetExtras() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Files.delete(source.resolve("empty-file"));

        SyncRun again = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(),
                "--delete=false");

        assertEquals(0, again.figure("filesDeleted"));
        assertTrue(Files.exists(target.resolve("empty-file")));
    }

    @Test
    void aKilledRunsTemporariesAreRemovedEvenWithoutDeleteButAnotherShardsAreLeftToIt() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Path crystal = target.resolve("target_loader_data/A71EV2A/upload_1/aligned/x0001_A");
        Files.writeString(crystal.resolve(".msync-0-5f3a9c21-17.tmp"), "half a cop");
        Files.writeString(target.resolve(".msync-0-1a2b3c4d-3.tmp"), "half a link");
        Files.writeString(crystal.resolve(".msync-2-77aa0011-9.tmp"), "shard 2 at work");

        SyncRun whole = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(),
                "--delete", "false");
        assertEquals(0, whole.exitCode(), whole.log());
        assertEquals(0, Trees.temporaries(target), "every shard's leftovers go when one process handles the tree");
        assertEquals(0, whole.figure("filesDeleted"), "temporaries are not counted as deleted files");

        Files.writeString(crystal.resolve(".msync-2-77aa0011-9.tmp"), "shard 2 at work");
        Files.writeString(crystal.resolve(".msync-0-5f3a9c21-18.tmp"), "half a cop");
        SyncRun shardZero = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(),
                "--shard", "0/3");
        assertEquals(0, shardZero.exitCode(), shardZero.log());
        assertFalse(Files.exists(crystal.resolve(".msync-0-5f3a9c21-18.tmp")), "its own shard's leftover");
        assertTrue(Files.exists(crystal.resolve(".msync-2-77aa0011-9.tmp")), "shard 2 may be writing it right now");
    }

    @Test
    void replacesAFileByADirectoryAndADirectoryByAFile() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Files.delete(source.resolve("empty-file"));
        Trees.write(source, "empty-file/now-a-dir.txt", "dir");
        Files.delete(source.resolve("bin/run.sh"));
        Files.delete(source.resolve("bin"));
        Trees.write(source, "bin", "now a file");

        SyncRun again = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, again.exitCode(), again.log());
        Trees.assertMirrors(source, target);
    }

    @Test
    void dryRunReportsTheWorkAndChangesNothing() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        Trees.write(source, "new.txt", "new");
        Files.delete(source.resolve("private.key"));
        Map<String, String> before = Trees.describe(target);
        byte[] manifest = Files.readAllBytes(target.resolve(".media-sync/manifest.bin"));

        SyncRun dry = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(), "--dry-run");

        assertEquals(0, dry.exitCode(), dry.log());
        assertEquals(1, dry.figure("filesToCopy"));
        assertEquals(1, dry.figure("filesToDelete"));
        assertEquals(before, Trees.describe(target));
        assertArrayEquals(manifest, Files.readAllBytes(target.resolve(".media-sync/manifest.bin")));
    }

    @Test
    void dryRunIntoAMissingTargetCreatesNothing() throws Exception {
        SyncRun dry = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(), "--dry-run");

        assertEquals(0, dry.exitCode(), dry.log());
        assertEquals(10, dry.figure("filesToCopy"));
        assertFalse(Files.exists(target));
    }

    @Test
    void aDirectoryWhoseManifestEntriesAreMalformedIsComparedWithTheTargetsOwnListingNotVouchedFor() throws Exception {
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString()); // settles the mtimes
        Path crystal = target.resolve("target_loader_data/A71EV2A/upload_1/aligned/x0001_A");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(crystal);
        Files.writeString(crystal.resolve("stray.pdb"), "written behind media-sync's back\n");
        Files.setLastModifiedTime(crystal, mtime); // so that only the manifest could vouch for the listing
        Path manifestFile = target.resolve(".media-sync/manifest.bin");
        byte[] bytes = Files.readAllBytes(manifestFile);
        byte[] name = "x0001_A.pdb".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i + name.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + name.length, name, 0, name.length)) {
                bytes[i - 1]++; // the name's length: x0001_A's entries no longer fill their stored length
                break;
            }
        }
        java.nio.ByteBuffer.wrap(bytes).putLong(bytes.length - 8, Manifest.checksum(bytes, bytes.length - 8));
        Files.write(manifestFile, bytes);

        SyncRun run = SyncRun.of(work, "--source", source.toString(), "--target", target.toString());

        assertEquals(0, run.exitCode(), run.log());
        assertEquals(1, run.figure("targetDirectoriesListed"), "only the malformed directory");
        assertEquals(1, run.figure("filesDeleted"), "the stray file, seen in the listing");
        assertEquals(0, run.figure("filesCopied"), "its files compared by the target's own size and mtime");
        Trees.assertMirrors(source, target);
    }
}
