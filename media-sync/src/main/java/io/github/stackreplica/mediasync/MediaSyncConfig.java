package io.github.stackreplica.mediasync;

import io.github.stackreplica.common.cli.OptionValues;
import io.github.stackreplica.common.cli.StepOptions;
import io.github.stackreplica.common.cli.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What media-sync was asked to do, resolved from flags and environment by the pure {@link #parse}.
 *
 * @param bandwidthLimit bytes per second summed over all threads; 0 means unlimited
 * @param report         where the JSON summary goes, or null for none
 */
public record MediaSyncConfig(Path source, Path target, boolean delete, List<String> excludes, int threads,
        boolean checksum, boolean verify, Shard shard, boolean dryRun, Path report, Duration progressInterval,
        double maxDeleteFraction, long bandwidthLimit) {

    static final StepOptions OPTIONS = new StepOptions("media-sync",
            "Mirrors a media directory (the NFS replica) onto the stack's volume: hashed, incremental, parallel.")
            .string("source", null, "Directory to copy from (its contents, not the directory itself).").valueName("DIR")
            .string("target", null, "Directory to mirror into; its state lives in <target>/.media-sync/.")
            .valueName("DIR")
            .flag("delete", true, "Remove target entries absent from the source.")
            .list("exclude", "lost+found/", "Glob of paths neither copied nor deleted; a trailing / matches directories"
                    + " only, a pattern without / matches a name at any depth.").valueName("GLOB")
            .integer("threads", 8, "Threads walking, hashing and copying in parallel.")
            .flag("checksum", false, "Decide 'changed' by content hash instead of size and modification time.")
            .flag("verify", false, "Re-hash every unchanged target file against the manifest and repair those that"
                    + " differ.")
            .string("shard", null, "Handle only the paths whose hash falls in shard I of N (0-based), deletions"
                    + " included.").valueName("I/N")
            .integer("shards", null, "Number of shards; this pod's index comes from --shard-index.")
            .integer("shard-index", null, "This pod's shard index with --shards (an Indexed Job sets it).")
            .env("JOB_COMPLETION_INDEX")
            .flag("dry-run", false, "Report what would be copied and deleted; change nothing.")
            .string("report", null, "Write the JSON summary to this file as well.").valueName("FILE")
            .duration("progress-interval", "30s", "How often to log files and bytes done, rate and ETA.")
            .string("max-delete-fraction", "0.5", "Refuse (exit 3) to delete more than this fraction of the"
                    + " target's files.").valueName("FRACTION")
            .integer("bwlimit", 0, "Copy at most this many KiB per second in all (0: unlimited).");

    /**
     * Resolves the options; pure.
     *
     * @throws UsageException for a missing directory, a bad number or an inconsistent shard
     */
    public static MediaSyncConfig parse(String[] args, Map<String, String> env) {
        OptionValues values = OPTIONS.parse(args, env);
        Path source = Path.of(values.required("source"));
        Path target = Path.of(values.required("target"));
        int threads = values.integer("threads");
        if (threads < 1 || threads > 256) {
            throw values.invalid("threads", "expected 1 to 256");
        }
        double fraction = values.convert("max-delete-fraction", MediaSyncConfig::fraction);
        int bwlimit = values.integer("bwlimit");
        if (bwlimit < 0) {
            throw values.invalid("bwlimit", "expected 0 (unlimited) or more KiB per second");
        }
        Duration interval = values.duration("progress-interval");
        if (interval.isZero()) {
            throw values.invalid("progress-interval", "expected a positive duration");
        }
        String report = values.string("report");
        return new MediaSyncConfig(source, target, values.flag("delete"), values.list("exclude"), threads,
                values.flag("checksum"), values.flag("verify"), shard(values), values.flag("dry-run"),
                report == null || report.isBlank() ? null : Path.of(report), interval, fraction, bwlimit * 1024L);
    }

    private static Shard shard(OptionValues values) {
        if (values.has("shard")) {
            if (values.isExplicit("shards")) {
                throw new UsageException("Give either --shard I/N or --shards N (with JOB_COMPLETION_INDEX), not both");
            }
            return values.convert("shard", Shard::parse);
        }
        if (!values.has("shards")) {
            return Shard.ALL;
        }
        int count = values.integer("shards");
        if (!values.has("shard-index")) {
            throw new UsageException("--shards " + count + " needs this pod's index in --shard-index or"
                    + " JOB_COMPLETION_INDEX");
        }
        int index = values.integer("shard-index");
        try {
            return new Shard(index, count);
        } catch (IllegalArgumentException e) {
            throw values.invalid("shard-index", e.getMessage());
        }
    }

    private static double fraction(String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a fraction from 0 to 1, such as 0.5");
    }
}
