package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safety checks refuse with exit 3 before anything in the target changes. */
class RefusalTest {

    @TempDir
    Path work;
    Path source;
    Path target;
    Map<String, String> targetBefore;

    @BeforeEach
    void syncedPair() throws Exception {
        source = Files.createDirectory(work.resolve("source"));
        target = work.resolve("target");
        for (int i = 0; i < 10; i++) {
            Trees.write(source, "t" + (i % 3) + "/file-" + i + ".pdb", "content " + i);
        }
        assertEquals(0, SyncRun.of(work, "--source", source.toString(), "--target", target.toString()).exitCode());
        targetBefore = Trees.describe(target);
    }

    private SyncRun sync(String... more) throws Exception {
        String[] args = new String[4 + more.length];
        args[0] = "--source";
        args[1] = source.toString();
        args[2] = "--target";
        args[3] = target.toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return SyncRun.of(work, args);
    }

    private void assertRefusedLeavingTargetAlone(SyncRun run, String reason) throws Exception {
        assertEquals(3, run.exitCode(), run.log());
        assertEquals("refused", run.summary().get("outcome"));
        assertTrue(((String) run.summary().get("message")).contains(reason), run.summary().toString());
        assertEquals(targetBefore, Trees.describe(target));
    }

    @Test
    void refusesAMissingSource() throws Exception {
        source = work.resolve("not-mounted");
        assertRefusedLeavingTargetAlone(sync(), "does not exist");
    }

    @Test
    void refusesASourceThatIsAFile() throws Exception {
        source = Trees.write(work, "a-file", "x");
        assertRefusedLeavingTargetAlone(sync(), "not a directory");
    }

    @Test
    void refusesAnEmptySourceOverANonEmptyTarget() throws Exception {
        source = Files.createDirectory(work.resolve("empty-mount"));
        Files.createDirectory(source.resolve("lost+found")); // a fresh file system's only entry is excluded
        assertRefusedLeavingTargetAlone(sync(), "is empty");
    }

    @Test
    void refusesToDeleteMoreThanTheMaximumFractionOfTheTargetsFiles() throws Exception {
        for (int i = 0; i < 6; i++) {
            Files.delete(source.resolve("t" + (i % 3) + "/file-" + i + ".pdb"));
        }
        SyncRun run = sync();
        assertRefusedLeavingTargetAlone(run, "would delete 6 of the target's 10 files");
        assertEquals(6, run.figure("filesToDelete"));

        SyncRun allowed = sync("--max-delete-fraction", "0.7");
        assertEquals(0, allowed.exitCode(), allowed.log());
        assertEquals(6, allowed.figure("filesDeleted"));
    }

    @Test
    void refusesATargetInsideTheSource() throws Exception {
        target = source.resolve("t0/mirror");
        targetBefore = Trees.describe(source.resolve("t0"));
        SyncRun run = sync();
        assertEquals(3, run.exitCode(), run.log());
        assertTrue(((String) run.summary().get("message")).contains("one is inside the other"));
        assertEquals(targetBefore, Trees.describe(source.resolve("t0")));
    }

    @Test
    void refusesASourceInsideTheTargetEvenThroughASymlink() throws Exception {
        Path inner = Files.createDirectories(target.resolve("t0/inner"));
        Trees.write(inner, "x", "x");
        source = Files.createSymbolicLink(work.resolve("link-to-inner"), inner);
        targetBefore = Trees.describe(target);
        assertRefusedLeavingTargetAlone(sync(), "one is inside the other");
    }
}
