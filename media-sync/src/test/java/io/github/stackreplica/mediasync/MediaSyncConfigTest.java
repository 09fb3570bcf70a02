package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flags, environment variables and defaults resolve into the config; bad values are usage errors. */
class MediaSyncConfigTest {

    private static MediaSyncConfig parse(Map<String, String> env, String... args) {
        return MediaSyncConfig.parse(args, env);
    }

    @Test
    void defaultsFollowTheContract() {
        MediaSyncConfig config = parse(Map.of(), "--source", "/nfs/media", "--target", "/code/media");
        assertEquals(Path.of("/nfs/media"), config.source());
        assertTrue(config.delete());
        assertEquals(List.of("lost+found/"), config.excludes());
        assertEquals(8, config.threads());
        assertFalse(config.checksum() || config.verify() || config.dryRun());
        assertEquals(Shard.ALL, config.shard());
        assertNull(config.report());
        assertEquals(Duration.ofSeconds(30), config.progressInterval());
        assertEquals(0.5, config.maxDeleteFraction());
        assertEquals(0, config.bandwidthLimit());
    }

    @Test
    void environmentVariablesFillWhatFlagsLeaveOut() {
        MediaSyncConfig config = parse(Map.of("SOURCE", "/s", "TARGET", "/t", "DELETE", "no", "EXCLUDE", "a/,*.tmp",
                "THREADS", "16", "VERIFY", "yes", "MAX_DELETE_FRACTION", "0.1", "BWLIMIT", "100"), "--threads", "4");
        assertEquals(Path.of("/t"), config.target());
        assertFalse(config.delete());
        assertEquals(List.of("a/", "*.tmp"), config.excludes());
        assertEquals(4, config.threads(), "the flag wins over the variable");
        assertTrue(config.verify());
        assertEquals(0.1, config.maxDeleteFraction());
        assertEquals(100 * 1024, config.bandwidthLimit());
    }

    @Test
    void shardComesFromTheFlagOrFromTheIndexedJobsCompletionIndex() {
        assertEquals(new Shard(2, 4), parse(Map.of(), "--source", "s", "--target", "t", "--shard", "2/4").shard());
        assertEquals(new Shard(3, 5), parse(Map.of("JOB_COMPLETION_INDEX", "3"), "--source", "s", "--target", "t",
                "--shards", "5").shard());
        assertEquals(Shard.ALL, parse(Map.of("JOB_COMPLETION_INDEX", "3"), "--source", "s", "--target", "t").shard());
    }

    @Test
    void rejectsInconsistentOrOutOfRangeValues() {
        Map<String, String> env = Map.of("SOURCE", "s", "TARGET", "t");
        assertThrows(UsageException.class, () -> parse(Map.of("TARGET", "t")));
        assertThrows(UsageException.class, () -> parse(env, "--shard", "4/4"));
        assertThrows(UsageException.class, () -> parse(env, "--shard", "one"));
        assertThrows(UsageException.class, () -> parse(env, "--shards", "3"));
        assertThrows(UsageException.class, () -> parse(env, "--shards", "3", "--shard-index", "3"));
        assertThrows(UsageException.class, () -> parse(env, "--shard", "0/2", "--shards", "2"));
        assertThrows(UsageException.class, () -> parse(env, "--max-delete-fraction", "1.5"));
        assertThrows(UsageException.class, () -> parse(env, "--threads", "0"));
        assertThrows(UsageException.class, () -> parse(env, "--progress-interval", "0"));
    }
}
