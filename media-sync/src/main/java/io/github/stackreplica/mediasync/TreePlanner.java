package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Walks the source in parallel, one task per directory, and decides per entry what the target needs. The target is
 * only listed (one {@code readdir} per directory, no {@code stat} per file): for a file the manifest vouches for, a
 * name in the listing is enough. The target is stat-ed only for names the manifest does not know.
 */
final class TreePlanner {

    /** The state directory at the target's root; never copied, deleted or mirrored. */
    static final String STATE = ".media-sync";

    private final Path sourceRoot;
    private final Path targetRoot;
    private final MediaSyncConfig config;
    private final Manifest previous;
    private final Excludes excludes;
    private final boolean preserveOwner;
    private final SyncStats stats;
    private final Workers workers;
    private final Plan plan;
    final LongAdder entriesScanned = new LongAdder();

    TreePlanner(MediaSyncConfig config, Manifest previous, boolean preserveOwner, SyncStats stats, Workers workers) {
        this.sourceRoot = config.source();
        this.targetRoot = config.target();
        this.config = config;
        this.previous = previous;
        this.excludes = new Excludes(config.excludes());
        this.preserveOwner = preserveOwner;
        this.stats = stats;
        this.workers = workers;
        this.plan = new Plan(previous.size());
    }

    /** Walks both trees and returns the plan; per-entry read errors go to the stats and leave that entry alone. */
    Plan plan() throws IOException, InterruptedException {
        SourceEntry root = owned(SourceEntry.read(sourceRoot, ""));
        boolean targetExists = Files.isDirectory(targetRoot);
        workers.submit(() -> visit(root, sourceRoot, targetExists));
        workers.awaitIdle();
        return plan;
    }

    /** Plans one source directory; {@code targetListed} says whether the target's parent listing had its name. */
    private void visit(SourceEntry entry, Path sourceDirectory, boolean targetListed) {
        String directory = entry.path();
        Map<String, Path> sourceNames;
        try {
            sourceNames = listWithPaths(sourceDirectory);
        } catch (IOException e) {
            // Without the source's listing nothing below may be deleted: skip the whole subtree.
            stats.error(directory, "cannot list the source directory: " + e);
            return;
        }
        Set<String> targetNames = targetListed ? listTarget(directory) : null;
        plan.directories.add(new Plan.Directory(entry, targetNames != null));
        if (targetNames == null) {
            targetNames = Set.of();
        }
        for (Map.Entry<String, Path> item : List.copyOf(sourceNames.entrySet())) {
            String name = item.getKey();
            String path = child(directory, name);
            if (directory.isEmpty() && name.equals(STATE)) {
                continue;
            }
            try {
                planSourceEntry(owned(SourceEntry.read(item.getValue(), path)), item.getValue(),
                        targetNames.contains(name));
            } catch (NoSuchFileException e) {
                sourceNames.remove(name); // vanished since the listing: mirror its absence
            } catch (IOException e) {
                stats.error(path, "cannot read the source entry: " + e);
            }
        }
        for (String name : targetNames) {
            if (!sourceNames.containsKey(name) && !(directory.isEmpty() && name.equals(STATE))) {
                planExtraTargetEntry(child(directory, name));
            }
        }
    }

    private void planSourceEntry(SourceEntry entry, Path source, boolean inTarget) throws IOException {
        entriesScanned.increment();
        boolean directory = entry.kind() == EntryKind.DIRECTORY;
        if (excludes.excludes(entry.path(), directory)) {
            return;
        }
        switch (entry.kind()) {
            case DIRECTORY -> {
                workers.submit(() -> visit(entry, source, inTarget));
            }
            case FILE, SYMLINK -> {
                stats.filesScanned.increment();
                if (config.shard().owns(entry.path())) {
                    if (inTarget) {
                        plan.targetFiles.increment();
                    }
                    planFile(entry, inTarget);
                }
            }
            default -> stats.error(entry.path(), "not a regular file, directory or symlink; skipped");
        }
    }

    private void planFile(SourceEntry entry, boolean inTarget) throws IOException {
        Manifest.Entry known = inTarget ? knownTargetEntry(entry) : null;
        if (known == null) {
            task(entry, entry.kind() == EntryKind.SYMLINK ? Plan.Action.LINK : Plan.Action.COPY, null);
        } else if (entry.kind() == EntryKind.FILE && (config.checksum() || config.verify())) {
            task(entry, Plan.Action.CHECK, known);
        } else if (entry.kind() == EntryKind.FILE && !known.sameAttributes(entry)) {
            task(entry, Plan.Action.ATTRIBUTES, known);
        } else {
            stats.filesUnchanged.increment();
            plan.next.put(entry.path(), known);
        }
    }

    private void task(SourceEntry entry, Plan.Action action, Manifest.Entry known) {
        if (action == Plan.Action.COPY) {
            plan.bytesToCopy.add(entry.size());
        }
        plan.fileTasks.add(new Plan.FileTask(entry, action, known));
    }

    /**
     * What the target holds under the entry's name when it has the entry's content, else null (copy it). Trusts the
     * manifest when its stamp matches the source; otherwise compares the target's own stamp (a full compare).
     */
    private Manifest.Entry knownTargetEntry(SourceEntry entry) throws IOException {
        Manifest.Entry known = previous.get(entry.path());
        if (known != null && known.sameContentStamp(entry)
                && (entry.kind() != EntryKind.SYMLINK || known.hash() == linkHash(entry.linkTarget()))) {
            return known;
        }
        SourceEntry target;
        try {
            target = owned(SourceEntry.read(resolve(targetRoot, entry.path()), entry.path()));
        } catch (NoSuchFileException e) {
            return null;
        }
        if (target.kind() == EntryKind.DIRECTORY) {
            plan.deletions.add(new Plan.Deletion(entry.path(), true, countFiles(resolve(targetRoot, entry.path()))));
            return null;
        }
        boolean same = target.kind() == entry.kind() && (entry.kind() == EntryKind.SYMLINK
                ? target.linkTarget().equals(entry.linkTarget())
                : target.size() == entry.size() && micros(target.mtimeNanos()) == micros(entry.mtimeNanos()));
        if (!same) {
            return null;
        }
        boolean link = entry.kind() == EntryKind.SYMLINK;
        return new Manifest.Entry(entry.kind(), entry.size(), entry.mtimeNanos(), link ? entry.mode() : target.mode(),
                link ? entry.uid() : target.uid(), link ? entry.gid() : target.gid(),
                link ? linkHash(entry.linkTarget()) : 0, link);
    }

    private void planExtraTargetEntry(String path) {
        try {
            SourceEntry target = SourceEntry.read(resolve(targetRoot, path), path);
            boolean directory = target.kind() == EntryKind.DIRECTORY;
            if (excludes.excludes(path, directory) || !config.shard().owns(path)) {
                return;
            }
            long files = directory ? countFiles(resolve(targetRoot, path)) : 1;
            plan.targetFiles.add(files);
            if (config.delete()) {
                plan.deletions.add(new Plan.Deletion(path, directory, files));
            }
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            stats.error(path, "cannot read the target entry to delete it: " + e);
        }
    }

    /** The names in the target directory, or null when it is not a directory there (then it is created). */
    private Set<String> listTarget(String directory) {
        Path path = resolve(targetRoot, directory);
        try {
            return list(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (NotDirectoryException e) {
            // A file where the source has a directory: remove it, the directory is created in its place.
            if (config.shard().owns(directory)) {
                plan.targetFiles.increment();
                plan.deletions.add(new Plan.Deletion(directory, false, 1));
            }
            return null;
        } catch (IOException e) {
            stats.error(directory, "cannot list the target directory: " + e);
            return Set.of();
        }
    }

    static long linkHash(String linkTarget) {
        return ContentHashes.of(linkTarget.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private SourceEntry owned(SourceEntry entry) {
        return preserveOwner ? entry : new SourceEntry(entry.path(), entry.kind(), entry.size(), entry.mtimeNanos(),
                entry.mode(), -1, -1, entry.linkTarget());
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }

    private static Map<String, Path> listWithPaths(Path directory) throws IOException {
        Map<String, Path> entries = new HashMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path entry : stream) {
                entries.put(entry.getFileName().toString(), entry);
            }
        }
        return entries;
    }

    private static Set<String> list(Path directory) throws IOException {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path entry : stream) {
                names.add(entry.getFileName().toString());
            }
        }
        return names;
    }

    /** The non-directories under {@code directory}, links not followed. */
    static long countFiles(Path directory) throws IOException {
        long[] count = {0};
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                count[0]++;
                return FileVisitResult.CONTINUE;
            }
        });
        return count[0];
    }

    static Path resolve(Path root, String path) {
        return path.isEmpty() ? root : root.resolve(path);
    }

    private static String child(String directory, String name) {
        return directory.isEmpty() ? name : directory + "/" + name;
    }
}
