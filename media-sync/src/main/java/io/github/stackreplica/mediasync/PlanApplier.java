package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out a {@link Plan} in parallel: deletions first, then directories (parents before children), then files and
 * symlinks, then directory modes and mtimes (last, because every rename inside a directory changes its mtime).
 * A failure on one path is recorded with the path and the rest goes on.
 */
final class PlanApplier {

    private final MediaSyncConfig config;
    private final Plan plan;
    private final FileCopier copier;
    private final SyncStats stats;
    private final Workers workers;
    /** Directories whose listing this run changed, so their mtime must be set again. */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();

    PlanApplier(MediaSyncConfig config, Plan plan, FileCopier copier, SyncStats stats, Workers workers) {
        this.config = config;
        this.plan = plan;
        this.copier = copier;
        this.stats = stats;
        this.workers = workers;
    }

    void apply() throws InterruptedException {
        for (Plan.Deletion deletion : plan.deletions) {
            workers.submit(() -> delete(deletion));
        }
        workers.awaitIdle();
        for (List<Plan.Directory> level : newDirectoriesByDepth().values()) {
            for (Plan.Directory directory : level) {
                workers.submit(() -> create(directory.entry().path()));
            }
            workers.awaitIdle();
        }
        for (Plan.FileTask task : plan.fileTasks) {
            workers.submit(() -> run(task));
        }
        workers.awaitIdle();
        // Every directory's record first (no I/O): vouching for a directory compares its listing with the records of
        // its entries, its subdirectories' included. Then one task per directory whose mode or mtime must be set.
        List<Plan.Directory> stale = new ArrayList<>();
        for (Plan.Directory directory : plan.directories) {
            if (!record(directory)) {
                stale.add(directory);
            }
        }
        for (Plan.Directory directory : stale) {
            workers.submit(() -> finishDirectory(directory));
        }
        workers.awaitIdle();
    }

    private Map<Integer, List<Plan.Directory>> newDirectoriesByDepth() {
        Map<Integer, List<Plan.Directory>> levels = new TreeMap<>();
        for (Plan.Directory directory : plan.directories) {
            if (!directory.existed()) {
                int depth = (int) directory.entry().path().chars().filter(c -> c == '/').count();
                levels.computeIfAbsent(depth, key -> new ArrayList<>()).add(directory);
            }
        }
        return levels;
    }

    private void delete(Plan.Deletion deletion) {
        Path path = target(deletion.path());
        try {
            if (deletion.directory()) {
                deleteTree(path);
            } else {
                Files.deleteIfExists(path);
            }
            stats.filesDeleted.add(deletion.files());
            touch(deletion.path());
        } catch (IOException e) {
            stats.error(deletion.path(), "cannot delete it from the target: " + e);
        }
    }

    private void create(String path) {
        if (path.isEmpty()) {
            return;
        }
        try {
            Files.createDirectory(target(path));
            stats.directoriesCreated.increment();
            touch(path);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(target(path))) {
                stats.error(path, "cannot create the directory: a non-directory is in the way");
            }
        } catch (IOException e) {
            stats.error(path, "cannot create the directory: " + e);
        }
    }

    private void run(Plan.FileTask task) {
        SourceEntry entry = task.entry();
        try {
            switch (task.action()) {
                case COPY -> copy(entry);
                case LINK -> {
                    plan.next.put(entry.path(), copier.copyLink(entry, target(entry.path())));
                    stats.filesCopied.increment();
                    touch(entry.path());
                }
                case CHECK -> check(entry, task.known());
                case ATTRIBUTES -> keepContent(entry, task.known());
            }
        } catch (NoSuchFileException e) {
            boolean vanished = !Files.exists(source(entry.path()), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            stats.error(entry.path(), vanished ? "vanished from the source during the run" : e.toString());
        } catch (IOException e) {
            stats.error(entry.path(), e instanceof FileCopier.SourceChangedException ? e.getMessage() : e.toString());
        }
    }

    private void copy(SourceEntry entry) throws IOException {
        plan.next.put(entry.path(), copier.copyFile(entry, source(entry.path()), target(entry.path())));
        stats.filesCopied.increment();
        touch(entry.path());
    }

    /**
     * {@code --checksum} compares the source's hash, {@code --verify} the target's, with the manifest's (or, when the
     * manifest has no hash for the file, with each other); a difference means the file is copied again.
     */
    private void check(SourceEntry entry, Manifest.Entry known) throws IOException {
        Long expected = known.hashKnown() ? known.hash() : null;
        long content;
        if (config.verify()) {
            content = copier.hash(target(entry.path()));
            long reference = expected != null ? expected : copier.hash(source(entry.path()));
            if (content != reference) {
                copy(entry);
                stats.filesRepaired.increment();
                return;
            }
            if (config.checksum() && expected != null && copier.hash(source(entry.path())) != expected) {
                copy(entry);
                return;
            }
        } else {
            content = copier.hash(source(entry.path()));
            long reference = expected != null ? expected : copier.hash(target(entry.path()));
            if (content != reference) {
                copy(entry);
                return;
            }
        }
        keepContent(entry, new Manifest.Entry(known.kind(), known.size(), known.mtimeNanos(), known.mode(),
                known.uid(), known.gid(), content, true));
    }

    /** The target's content is right: fix mode and owner if they differ, and keep the entry. */
    private void keepContent(SourceEntry entry, Manifest.Entry known) throws IOException {
        Manifest.Entry kept = known;
        if (!known.sameAttributes(entry)) {
            Attributes.apply(target(entry.path()), entry);
            stats.attributesUpdated.increment();
            kept = new Manifest.Entry(known.kind(), known.size(), known.mtimeNanos(), entry.mode(), entry.uid(),
                    entry.gid(), known.hash(), known.hashKnown());
        }
        stats.filesUnchanged.increment();
        plan.next.put(entry.path(), kept);
    }

    /**
     * Records the directory in the next manifest and returns whether the target's copy is current: it existed with
     * the recorded mode and owner, the source's stamp is the recorded one, and nothing was added or removed in it.
     */
    private boolean record(Plan.Directory directory) {
        SourceEntry entry = directory.entry();
        Manifest.Entry known = directory.known();
        boolean current = directory.existed() && known != null && known.sameAttributes(entry)
                && known.sameContentStamp(entry) && !touched.contains(entry.path()) && directory.fullyRecorded();
        if (known == null || known.listingVouched() != current) {
            plan.recordsChanged.set(true);
        }
        plan.next.put(entry.path(), Manifest.Entry.directory(entry, current));
        return current;
    }

    /**
     * Sets a directory's mode and mtime (only the mtime when its mode and owner are as recorded: entries were added or
     * removed), then vouches for its listing. On failure its record is dropped, so that the next run sets them again.
     */
    private void finishDirectory(Plan.Directory directory) {
        SourceEntry entry = directory.entry();
        Manifest.Entry known = directory.known();
        try {
            if (directory.existed() && known != null && known.sameAttributes(entry)) {
                Attributes.setMtime(target(entry.path()), entry);
            } else {
                Attributes.apply(target(entry.path()), entry);
            }
            stats.directoriesUpdated.increment();
        } catch (IOException e) {
            stats.error(entry.path(), "cannot set the directory's mode or mtime: " + e);
            plan.next.remove(entry.path());
            return;
        }
        vouchAfterReset(directory);
    }

    /**
     * A directory whose mtime this run set is vouched for when, listed after that, it holds exactly the names the next
     * manifest records for it: anything added or removed before the listing would show in it, anything after moves
     * the mtime again (so the next run lists it). One {@code readdir} here spares the next run one, and makes the
     * first unchanged run after a copy as cheap as the ones after it.
     */
    private void vouchAfterReset(Plan.Directory directory) {
        String path = directory.entry().path();
        try {
            List<byte[]> names = DirectoryReader.listing(target(path));
            if (path.isEmpty()) {
                names.removeIf(name -> TreePlanner.isState(path, DirectoryReader.decode(name)));
            }
            if (plan.next.recordsExactly(path, names)) {
                plan.next.put(path, Manifest.Entry.directory(directory.entry(), true));
            }
        } catch (IOException e) {
            // not vouched for: the next run lists it
        }
    }

    private void touch(String path) {
        touched.add(RelativePaths.parent(path));
    }

    private Path source(String path) {
        return TreePlanner.resolve(config.source(), path);
    }

    private Path target(String path) {
        return TreePlanner.resolve(config.target(), path);
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
