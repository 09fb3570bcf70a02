package io.github.stackreplica.mediasync;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run will change, found by walking before anything is touched: the safety checks read it, a dry run reports
 * it, and {@link PlanApplier} carries it out. Filled by many threads at once.
 */
final class Plan {

    /** What to do with one source file or symlink. */
    enum Action {
        /** Copy the content (it is new or changed). */
        COPY,
        /** Content unchanged by its stamp; hash it ({@code --checksum} / {@code --verify}) and copy if it differs. */
        CHECK,
        /** Content unchanged; only mode or owner differ. */
        ATTRIBUTES,
        /** Create or replace a symlink. */
        LINK
    }

    /** One source entry and what to do with it; {@code known} is what the target is believed to hold, or null. */
    record FileTask(SourceEntry entry, Action action, Manifest.Entry known) {
    }

    /** A target entry to remove; {@code files} counts the non-directories it holds (1 for a file). */
    record Deletion(String path, boolean directory, long files) {
    }

    /**
     * A source directory; {@code existed} says whether the target already had it, {@code known} is the previous
     * manifest's record of it (or null). {@code fullyRecorded} is false when the target keeps a name the next manifest
     * will not record (an unreadable source entry it had no record of): then the directory's listing cannot be vouched
     * for, or a later deletion of that entry from the source would go unseen.
     */
    record Directory(SourceEntry entry, boolean existed, Manifest.Entry known, boolean fullyRecorded) {
    }

    final Queue<FileTask> fileTasks = new ConcurrentLinkedQueue<>();
    final Queue<Deletion> deletions = new ConcurrentLinkedQueue<>();
    final Queue<Directory> directories = new ConcurrentLinkedQueue<>();
    /** Entries found unchanged, plus (when applied) everything written: the next manifest. */
    final Manifest next;
    /** Non-directory target entries in this shard, the base of {@code --max-delete-fraction}. */
    final LongAdder targetFiles = new LongAdder();
    final LongAdder bytesToCopy = new LongAdder();
    /** Set when a directory's record changes although no file does (whether its listing is vouched for). */
    final AtomicBoolean recordsChanged = new AtomicBoolean();

    /** @param expectedEntries how many entries the next manifest will likely hold (the previous one's size) */
    Plan(int expectedEntries) {
        next = Manifest.concurrent(expectedEntries);
    }

    long filesToDelete() {
        long files = 0;
        for (Deletion deletion : deletions) {
            files += deletion.files();
        }
        return files;
    }

    long filesToCopy() {
        long files = 0;
        for (FileTask task : fileTasks) {
            files += task.action() == Action.COPY || task.action() == Action.LINK ? 1 : 0;
        }
        return files;
    }

    long directoriesToCreate() {
        long created = 0;
        for (Directory directory : directories) {
            created += directory.existed() ? 0 : 1;
        }
        return created;
    }

    /** True when applying the plan changes the target's files (attribute-only fixes and checks included). */
    boolean changesAnything() {
        return !fileTasks.isEmpty() || !deletions.isEmpty() || directoriesToCreate() > 0;
    }
}
