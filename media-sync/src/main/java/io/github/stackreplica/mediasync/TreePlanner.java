package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
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

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TreePlanner.class);

    /** The state directory at the target's root; never copied, deleted or mirrored. */
    static final String STATE = ".media-sync";

    private final Path sourceRoot;
    private final Path targetRoot;
    private final MediaSyncConfig config;
    private final StoredManifest previous;
    private final Excludes excludes;
    private final boolean preserveOwner;
    private final SyncStats stats;
    private final Workers workers;
    private final Plan plan;
    final LongAdder entriesScanned = new LongAdder();

    TreePlanner(MediaSyncConfig config, StoredManifest previous, boolean preserveOwner, SyncStats stats, Workers workers) {
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
        workers.submit(() -> visit(root, sourceRoot, targetExists, previous.get("")));
        workers.awaitIdle();
        return plan;
    }

    /**
     * Plans one source directory; {@code targetListed} says whether the target's parent listing had its name, and
     * {@code self} is the manifest's entry for the directory itself (or null).
     */
    private void visit(SourceEntry entry, Path sourceDirectory, boolean targetListed, Manifest.Entry self) {
        String directory = entry.path();
        List<SourceEntry> children = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> unreadable = new ArrayList<>(0);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(sourceDirectory)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (directory.isEmpty() && name.equals(STATE)) {
                    continue;
                }
                String path = RelativePaths.child(directory, name);
                try {
                    children.add(owned(UnixStat.read(stream, child, path)));
                    names.add(name);
                } catch (NoSuchFileException e) {
                    // vanished since the listing: mirror its absence
                } catch (IOException e) {
                    stats.error(path, "cannot read the source entry: " + e);
                    unreadable.add(name); // still in the source: its copy in the target is kept
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // Without the source's listing nothing below may be deleted: skip the whole subtree.
            stats.error(directory, "cannot list the source directory: " + e);
            return;
        }
        Map<String, Manifest.Entry> known = previous.directory(directory);
        Set<String> targetNames = targetListed ? targetNames(directory, self, known) : null;
        plan.directories.add(new Plan.Directory(entry, targetNames != null));
        if (targetNames == null) {
            targetNames = Set.of();
        }
        plan.next.expect(directory, children.size());
        int inTarget = 0;
        for (int i = 0; i < children.size(); i++) {
            String name = names.get(i);
            boolean there = targetNames.contains(name);
            inTarget += there ? 1 : 0;
            try {
                planSourceEntry(children.get(i), directory, name, sourceDirectory, there, known.get(name));
            } catch (IOException e) {
                stats.error(children.get(i).path(), "cannot read the source entry: " + e);
            }
        }
        if (inTarget < targetNames.size()) {
            // Some target entries have no source entry: delete them (a set only for the directories that need it).
            Set<String> sourceNames = new HashSet<>(names);
            sourceNames.addAll(unreadable);
            for (String name : targetNames) {
                if (!sourceNames.contains(name) && !(directory.isEmpty() && name.equals(STATE))) {
                    planExtraTargetEntry(RelativePaths.child(directory, name));
                }
            }
        }
    }

    /** @param known what the manifest says the target holds under this name, or null */
    private void planSourceEntry(SourceEntry entry, String directory, String name, Path sourceParent, boolean inTarget,
            Manifest.Entry known) throws IOException {
        entriesScanned.increment();
        if (excludes.excludes(entry.path(), entry.kind() == EntryKind.DIRECTORY)) {
            return;
        }
        switch (entry.kind()) {
            case DIRECTORY -> {
                Path source = sourceParent.resolve(name);
                workers.submit(() -> visit(entry, source, inTarget, known));
            }
            case FILE, SYMLINK -> {
                stats.filesScanned.increment();
                if (config.shard().owns(entry.path())) {
                    if (inTarget) {
                        plan.targetFiles.increment();
                    }
                    planFile(entry, directory, name, inTarget, known);
                }
            }
            default -> LOG.warn("Skipped {}: not a regular file, directory or symlink (a socket, FIFO or device)",
                    entry.path());
        }
    }

    private void planFile(SourceEntry entry, String directory, String name, boolean inTarget, Manifest.Entry recorded)
            throws IOException {
        Manifest.Entry known = inTarget ? knownTargetEntry(entry, recorded) : null;
        if (known == null) {
            task(entry, entry.kind() == EntryKind.SYMLINK ? Plan.Action.LINK : Plan.Action.COPY, null);
        } else if (entry.kind() == EntryKind.FILE && (config.checksum() || config.verify())) {
            task(entry, Plan.Action.CHECK, known);
        } else if (entry.kind() == EntryKind.FILE && !known.sameAttributes(entry)) {
            task(entry, Plan.Action.ATTRIBUTES, known);
        } else {
            stats.filesUnchanged.increment();
            plan.next.put(directory, name, known);
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
    private Manifest.Entry knownTargetEntry(SourceEntry entry, Manifest.Entry known) throws IOException {
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

    /**
     * The names in the target directory, or null when it is not a directory there (then it is created). When the
     * manifest vouches for the directory's listing and its mtime is still the recorded one, nothing was added,
     * removed or renamed in it since, so the manifest's names are its listing: one {@code stat}, no {@code readdir}.
     */
    private Set<String> targetNames(String directory, Manifest.Entry self, Map<String, Manifest.Entry> known) {
        if (self != null && self.listingVouched()) {
            try {
                BasicFileAttributes target = Files.readAttributes(resolve(targetRoot, directory),
                        BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (target.isDirectory() && target.lastModifiedTime().to(TimeUnit.NANOSECONDS) == self.mtimeNanos()) {
                    if (directory.isEmpty()) {
                        Set<String> names = new HashSet<>(known.keySet());
                        names.remove(""); // the root's own entry
                        return names;
                    }
                    return known.keySet();
                }
            } catch (IOException e) {
                // listed below, which reports what is wrong
            }
        }
        stats.targetDirectoriesListed.increment();
        return listTarget(directory);
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
}
