package io.github.stackreplica.mediasync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.stackreplica.common.cli.Decimals;
import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.StepException;
import io.github.stackreplica.common.cli.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mirror of the source into the target: guard, load the manifest, plan by walking, refuse mass deletions, apply,
 * save the manifest, report. Per-file errors make the result exit 1 after the whole tree was processed.
 */
public final class MediaSync {

    private static final Logger LOG = LoggerFactory.getLogger(MediaSync.class);
    private static final int REPORTED_FAILURES = 5;

    private final MediaSyncConfig config;
    private final SyncStats stats = new SyncStats();
    private final long started = System.nanoTime();

    public MediaSync(MediaSyncConfig config) {
        this.config = config;
    }

    /** Runs the sync; throws {@link StepException} for refusals (exit 3) and failed paths (exit 1). */
    public StepResult run() throws IOException, InterruptedException {
        SourceGuard.check(config);
        Path state = config.target().resolve(TreePlanner.STATE);
        String suffix = config.shard().isAll() ? "" : "-" + config.shard().index() + "-of-" + config.shard().count();
        Path manifestFile = state.resolve("manifest" + suffix + ".bin");
        StoredManifest previous = Manifest.load(manifestFile);
        if (previous.problem() != null) {
            LOG.info("Comparing every file with the target: {}", previous.problem());
        }
        String bootId = BootId.current();
        boolean checkTargets = previous.problem() == null && (bootId.isEmpty() || !bootId.equals(previous.bootId()));
        if (checkTargets) {
            LOG.info("The manifest was written before this machine last started, or on another machine: checking each"
                    + " target file's size and mtime against it once (copies cut short by a power loss are redone)");
        }
        try (Workers workers = new Workers(config.threads()); ProgressLog progress = new ProgressLog(
                config.progressInterval())) {
            Temporaries temporaries = new Temporaries(config.shard());
            TreePlanner planner = new TreePlanner(config, previous, checkTargets, Owners.runningAsRoot(), stats,
                    workers, temporaries);
            progress.show(() -> "Scanning " + config.source() + ": " + planner.entriesScanned.sum() + " entries so far");
            Plan plan = planner.plan();
            LOG.info("Scanned {} entries in {}s (manifest of {} entries): {} files to copy ({}), {} to delete, {}"
                    + " directories to create", planner.entriesScanned.sum(), Decimals.format(seconds(), 1),
                    previous.size(), plan.filesToCopy(), Sizes.format(plan.bytesToCopy.sum()), plan.filesToDelete(),
                    plan.directoriesToCreate());
            refuseMassDeletion(plan);
            if (config.dryRun()) {
                return dryRunResult(plan);
            }
            Files.createDirectories(state);
            // No manifest is written before the changes: after a crash the previous one still holds, since every path
            // it vouches for either is untouched or has a source stamp that no longer matches it (copied again), and
            // every target directory changed by the run has a new mtime (listed again).
            progress.show(() -> copyProgress(plan));
            new PlanApplier(config, plan, new FileCopier(temporaries, stats,
                    new Bandwidth(config.bandwidthLimit())), stats, workers).apply();
            if (plan.changesAnything() || stats.directoriesUpdated.sum() > 0 || plan.recordsChanged.get()
                    || previous.problem() != null
                    || previous.size() != plan.next.size()) {
                plan.next.save(manifestFile);
            }
            return result(plan);
        }
    }

    private void refuseMassDeletion(Plan plan) {
        long deleting = plan.filesToDelete();
        long existing = plan.targetFiles.sum();
        if (deleting > 0 && deleting > config.maxDeleteFraction() * existing) {
            throw new StepException(ExitCode.REFUSED, String.format("Refusing to sync: it would delete %d of the"
                    + " target's %d files (more than --max-delete-fraction %s); check that the source %s is fully"
                    + " mounted, or raise the fraction", deleting, existing, config.maxDeleteFraction(),
                    config.source()), Map.of("filesToDelete", deleting, "targetFiles", existing), null);
        }
    }

    private String copyProgress(Plan plan) {
        double seconds = seconds();
        long bytes = stats.bytesCopied.sum();
        long total = plan.bytesToCopy.sum();
        double rate = bytes / Math.max(seconds, 0.001);
        String eta = rate > 0 && total > bytes ? String.format("%.0fs", (total - bytes) / rate) : "-";
        return String.format("Copied %d of %d files, %s of %s (%s/s), deleted %d, ETA %s", stats.filesCopied.sum(),
                plan.filesToCopy(), Sizes.format(bytes), Sizes.format(total), Sizes.format((long) rate),
                stats.filesDeleted.sum(), eta);
    }

    private StepResult dryRunResult(Plan plan) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("dryRun", true);
        figures.put("filesScanned", stats.filesScanned.sum());
        figures.put("filesToCopy", plan.filesToCopy());
        figures.put("bytesToCopy", plan.bytesToCopy.sum());
        figures.put("filesToDelete", plan.filesToDelete());
        figures.put("directoriesToCreate", plan.directoriesToCreate());
        figures.put("filesUnchanged", stats.filesUnchanged.sum());
        figures.put("durationSeconds", Math.round(seconds() * 1000) / 1000.0);
        figures.put("errors", stats.errors());
        figures.put("failedPaths", stats.failedPaths(REPORTED_FAILURES));
        String message = String.format("Dry run: would copy %d files (%s) and delete %d from %s; changed nothing",
                plan.filesToCopy(), Sizes.format(plan.bytesToCopy.sum()), plan.filesToDelete(), config.target());
        return finish(message, figures);
    }

    private StepResult result(Plan plan) {
        double seconds = seconds();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("filesScanned", stats.filesScanned.sum());
        figures.put("filesCopied", stats.filesCopied.sum());
        figures.put("filesDeleted", stats.filesDeleted.sum());
        figures.put("filesUnchanged", stats.filesUnchanged.sum());
        figures.put("filesRepaired", stats.filesRepaired.sum());
        figures.put("attributesUpdated", stats.attributesUpdated.sum());
        figures.put("directoriesCreated", stats.directoriesCreated.sum());
        figures.put("bytesCopied", stats.bytesCopied.sum());
        figures.put("bytesRead", stats.bytesRead.sum());
        figures.put("filesOpened", stats.filesOpened.sum());
        figures.put("targetDirectoriesListed", stats.targetDirectoriesListed.sum());
        figures.put("durationSeconds", Math.round(seconds * 1000) / 1000.0);
        figures.put("throughputMiBPerSecond", Math.round(stats.bytesCopied.sum() / 1048576.0 / seconds * 10) / 10.0);
        figures.put("manifestEntries", plan.next.size());
        figures.put("shard", config.shard().toString());
        figures.put("errors", stats.errors());
        figures.put("failedPaths", stats.failedPaths(REPORTED_FAILURES));
        String message = "Mirrored " + config.source() + " to " + config.target() + ": copied "
                + stats.filesCopied.sum() + " files (" + Sizes.format(stats.bytesCopied.sum()) + "), deleted "
                + stats.filesDeleted.sum() + ", " + stats.filesUnchanged.sum() + " unchanged, in "
                + Decimals.format(seconds, 1) + "s";
        return finish(message, figures);
    }

    private StepResult finish(String message, Map<String, Object> figures) {
        LOG.info("Summary: {}", figures);
        writeReport(message, figures);
        if (stats.errors() > 0) {
            throw new StepException(ExitCode.FAILED, message + "; " + stats.errors() + " path(s) failed, first: "
                    + String.join(", ", stats.failedPaths(REPORTED_FAILURES)) + " (see the warnings above); rerun"
                    + " to retry them", figures, null);
        }
        return StepResult.done(message, figures);
    }

    private void writeReport(String message, Map<String, Object> figures) {
        if (config.report() == null) {
            return;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("outcome", stats.errors() > 0 ? ExitCode.FAILED.outcome() : ExitCode.DONE.outcome());
        report.put("message", message);
        report.putAll(figures);
        try {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(config.report().toFile(), report);
        } catch (IOException e) {
            stats.error(config.report().toString(), "cannot write the report: " + e);
        }
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
