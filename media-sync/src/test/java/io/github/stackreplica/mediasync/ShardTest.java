package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** N shards split the paths between them: together a full mirror, and no file handled twice. */
class ShardTest {

    @TempDir
    Path work;

    @Test
    void threeShardsTogetherMirrorTheTreeCopyingEachFileOnce() throws Exception {
        Path source = Files.createDirectory(work.resolve("source"));
        Path target = work.resolve("target");
        for (int i = 0; i < 300; i++) {
            Trees.write(source, "T" + (i % 7) + "/x" + (i % 13) + "/file-" + i + ".mol", "molecule " + i);
        }
        Files.createDirectories(source.resolve("empty/dir"));

        long copied = 0;
        for (int shard = 0; shard < 3; shard++) {
            SyncRun run = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(),
                    "--shard", shard + "/3");
            assertEquals(0, run.exitCode(), run.log());
            assertTrue(run.figure("filesCopied") > 50, "each shard gets a fair share: " + run.summary());
            copied += run.figure("filesCopied");
        }

        assertEquals(300, copied, "every file copied exactly once");
        assertEquals(Trees.describe(source).keySet(), Trees.describe(target).keySet());
        // Files are complete; directory mtimes are set again by whichever shard finishes last.
        SyncRun check = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(), "--checksum");
        assertEquals(0, check.figure("filesCopied"), check.log());
    }

    @Test
    void shardsDeleteOnlyTheirOwnPathsAndTogetherDeleteAll() throws Exception {
        Path source = Files.createDirectory(work.resolve("source"));
        Path target = work.resolve("target");
        for (int i = 0; i < 100; i++) {
            Trees.write(source, "d/file-" + i, "v" + i);
        }
        SyncRun.of(work, "--source", source.toString(), "--target", target.toString());
        List<Integer> removed = IntStream.range(0, 40).boxed().toList();
        for (int i : removed) {
            Files.delete(source.resolve("d/file-" + i));
        }

        Set<String> deletedByShards = new HashSet<>();
        long deleted = 0;
        for (int shard = 0; shard < 2; shard++) {
            Set<String> before = Trees.describe(target).keySet();
            SyncRun run = SyncRun.of(work, "--source", source.toString(), "--target", target.toString(),
                    "--shards", "2", "--shard-index", String.valueOf(shard));
            assertEquals(0, run.exitCode(), run.log());
            Set<String> gone = new HashSet<>(before);
            gone.removeAll(Trees.describe(target).keySet());
            gone.forEach(path -> assertTrue(new Shard(run.summary().get("shard").toString().charAt(0) - '0', 2)
                    .owns(path), path + " deleted by a shard that does not own it"));
            assertTrue(deletedByShards.addAll(gone));
            deleted += run.figure("filesDeleted");
        }
        assertEquals(40, deleted);
        assertEquals(Trees.describe(source).keySet(), Trees.describe(target).keySet());
    }
}
