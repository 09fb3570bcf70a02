package io.github.stackreplica.mediasync;

import java.io.IOException;
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

    /** What {@link #listTarget} returns when a non-directory stands where the source has a directory. */
    private static final Set<String> FILE_IN_THE_WAY = java.util.Collections.unmodifiableSet(new HashSet<>());
    /** What {@link #targetNames} returns when the target directory holds exactly the manifest's names. */
    private static final Set<String> VOUCHED = java.util.Collections.unmodifiableSet(new HashSet<>());

    private final Path sourceRoot;
    private final Path targetRoot;
    private final MediaSyncConfig config;
    private final StoredManifest previous;
    private final Excludes excludes;
    private final boolean preserveOwner;
    private final SyncStats stats;
    private final Workers workers;
    private final Plan plan;
    private final Temporaries temporaries;
    private final boolean checkTargets;
    final LongAdder entriesScanned = new LongAdder();
    /** True when an unchanged file can be settled from its name and attributes alone (see DirectoryVisit). */
    private final boolean quickUnchanged;

    /**
     * @param checkTargets true when the manifest alone is not trusted (written under another boot): every target file
     *                     and directory is compared with it (one {@code stat} each, every directory listed)
     */
    TreePlanner(MediaSyncConfig config, StoredManifest previous, boolean checkTargets, boolean preserveOwner,
            SyncStats stats, Workers workers, Temporaries temporaries) {
        this.temporaries = temporaries;
        this.checkTargets = checkTargets;
        this.sourceRoot = config.source();
        this.targetRoot = config.target();
        this.config = config;
        this.previous = previous;
        this.excludes = new Excludes(config.excludes());
        this.preserveOwner = preserveOwner;
        this.stats = stats;
        this.workers = workers;
        this.plan = new Plan(previous.size());
        this.quickUnchanged = !config.checksum() && !config.verify() && config.shard().isAll()
                && !excludes.mayExcludeFiles() && !checkTargets;
    }

    /** Walks both trees and returns the plan; per-entry read errors go to the stats and leave that entry alone. */
    Plan plan() throws IOException, InterruptedException {
        LOG.debug("Reading directories through {}", DirectoryReader.description());
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
        ManifestDirectory known = previous.group(directory);
        Set<String> targetNames = targetListed ? targetNames(directory, self, known) : null;
        boolean fileInTheWay = targetNames == FILE_IN_THE_WAY;
        DirectoryVisit visit = new DirectoryVisit(directory, sourceDirectory, known,
                targetNames == null || fileInTheWay ? Set.of() : targetNames);
        try {
            DirectoryReader.read(sourceDirectory, visit);
        } catch (IOException | RuntimeException e) {
            // Without the source's listing nothing below may be deleted: skip the whole subtree.
            stats.error(directory, "cannot list the source directory: " + e);
            return;
        }
        if (fileInTheWay && config.shard().owns(directory)) {
            // A file where the source has a directory: remove it, the directory is created in its place.
            plan.targetFiles.increment();
            plan.deletions.add(new Plan.Deletion(directory, false, 1));
        }
        plan.directories.add(new Plan.Directory(entry, targetNames != null && !fileInTheWay, self,
                visit.fullyRecorded));
        visit.finish();
    }

    /**
     * One directory's entries as the reader reports them. An unchanged file (in the target, its manifest record
     * matching the source's size, mtime, mode and owner) is settled right here from its name's bytes and its stamp,
     * without decoding the name or the record, and counted locally: the walk does this 135,000 times per run, and the
     * next manifest copies the record's stored bytes.
     */
    private final class DirectoryVisit implements DirectoryReader.Sink {
        private final String directory;
        private final Path sourceDirectory;
        private final ManifestDirectory known;
        private final ManifestDirectory.Lookup lookup;
        private final ManifestGroup next;
        /** The target's names when listed; {@link #VOUCHED} when they are the manifest's. */
        private final Set<String> targetNames;
        private final boolean vouched;
        /** The source's names, when the target was listed (deletions are found by comparing the two). */
        private final List<String> names = new ArrayList<>();
        private int inTarget;
        private int unchanged;
        /** False when the target keeps a name the next manifest will not record (see {@link Plan.Directory}). */
        boolean fullyRecorded = true;

        DirectoryVisit(String directory, Path sourceDirectory, ManifestDirectory known, Set<String> targetNames) {
            this.directory = directory;
            this.sourceDirectory = sourceDirectory;
            this.known = known;
            this.lookup = known.lookup();
            this.next = plan.next.group(directory, known);
            this.targetNames = targetNames;
            this.vouched = targetNames == VOUCHED;
        }

        @Override
        public void entry(byte[] rawName, int mode, long size, long mtimeNanos, int uid, int gid) {
            int index = lookup.find(DirectoryReader.utf8(rawName));
            EntryKind kind = EntryKind.ofMode(mode);
            int owner = preserveOwner ? uid : -1;
            int group = preserveOwner ? gid : -1;
            boolean recordedUnchanged = quickUnchanged && index >= 0 && kind == EntryKind.FILE
                    && lookup.sameFile(index, size, mtimeNanos, mode & 07777, owner, group);
            if (recordedUnchanged && vouched) {
                unchanged++;
                next.keep(index);
                return;
            }
            String name = DirectoryReader.decode(rawName);
            if (isState(directory, name)) {
                return;
            }
            boolean there = targetHolds(name, index);
            if (recordedUnchanged && there) {
                noteSourceName(name, true);
                unchanged++;
                next.keep(index);
                return;
            }
            Manifest.Entry recorded = index >= 0 ? known.entry(index) : null;
            String path = RelativePaths.child(directory, name);
            String link = null;
            if (kind == EntryKind.SYMLINK) {
                try {
                    link = Files.readSymbolicLink(sourceDirectory.resolve(name)).toString();
                } catch (NoSuchFileException e) {
                    return; // vanished since the listing: mirror its absence
                } catch (IOException e) {
                    unreadable(name, index, e);
                    return;
                }
            }
            noteSourceName(name, there);
            next.expect(name);
            try {
                planSourceEntry(new SourceEntry(path, kind, size, mtimeNanos, mode & 07777, owner, group, link),
                        directory, name, sourceDirectory, there, recorded);
            } catch (IOException e) {
                stats.error(path, "cannot read the source entry: " + e);
            }
        }

        @Override
        public void unreadable(byte[] rawName, IOException error) {
            String name = DirectoryReader.decode(rawName);
            if (!isState(directory, name)) {
                unreadable(name, lookup.find(DirectoryReader.utf8(rawName)), error);
            }
        }

        /**
         * A source entry that is there but could not be read: its copy in the target is kept, and so is its record
         * ({@code index} in the manifest, or -1).
         */
        private void unreadable(String name, int index, IOException error) {
            stats.error(RelativePaths.child(directory, name), "cannot read the source entry: " + error);
            boolean there = targetHolds(name, index);
            noteSourceName(name, there);
            if (index >= 0) {
                next.keep(index);
            } else if (there) {
                fullyRecorded = false; // the target holds a name the next manifest cannot describe
            }
        }

        /** True when the target holds {@code name} ({@code index}: its entry in the manifest, or -1). */
        private boolean targetHolds(String name, int index) {
            return vouched ? index >= 0 : targetNames.contains(name);
        }

        private void noteSourceName(String name, boolean there) {
            if (!vouched) {
                names.add(name);
                inTarget += there ? 1 : 0;
            }
        }

        /** Adds the local counts and plans the deletion of target entries the source no longer has. */
        void finish() {
            if (unchanged > 0) {
                entriesScanned.add(unchanged);
                stats.filesScanned.add(unchanged);
                stats.filesUnchanged.add(unchanged);
                plan.targetFiles.add(unchanged);
            }
            if (vouched && lookup.foundCount() < known.count()) {
                // The manifest's names are the target's: those the source did not list are gone from it.
                for (int i = 0; i < known.count(); i++) {
                    if (!lookup.wasFound(i)) {
                        planGoneFromSource(known.name(i), known.kind(i));
                    }
                }
            } else if (!vouched && inTarget < targetNames.size()) {
                // Some target entries have no source entry: delete them (a set only for the directories that need it).
                Set<String> sourceNames = new HashSet<>(names);
                for (String name : targetNames) {
                    if (!sourceNames.contains(name)) {
                        planGoneFromSource(name, null);
                    }
                }
            }
        }

        /** @param kind what the manifest says the target holds under this name, or null to look */
        private void planGoneFromSource(String name, EntryKind kind) {
            if (isState(directory, name)) {
                return;
            }
            if (temporaries.isLeftover(name)) {
                // A killed run's temporary: removed whatever --delete and --exclude say, counted as no file.
                plan.deletions.add(new Plan.Deletion(RelativePaths.child(directory, name), false, 0));
            } else {
                planExtraTargetEntry(RelativePaths.child(directory, name), kind);
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
     * manifest when its stamp matches the source, unless {@code checkTargets}; otherwise compares the target's own
     * stamp (a full compare).
     */
    private Manifest.Entry knownTargetEntry(SourceEntry entry, Manifest.Entry known) throws IOException {
        boolean recorded = known != null && known.sameContentStamp(entry)
                && (entry.kind() != EntryKind.SYMLINK || known.hash() == linkHash(entry.linkTarget()));
        if (recorded && !checkTargets) {
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
        // The target has the source's content stamp; when the manifest recorded the same, its hash still holds.
        boolean link = entry.kind() == EntryKind.SYMLINK;
        return new Manifest.Entry(entry.kind(), entry.size(), entry.mtimeNanos(), link ? entry.mode() : target.mode(),
                link ? entry.uid() : target.uid(), link ? entry.gid() : target.gid(),
                recorded ? known.hash() : link ? linkHash(entry.linkTarget()) : 0, recorded ? known.hashKnown() : link);
    }

    /**
     * Plans the deletion of a target entry the source does not have. {@code kind} is its kind when the manifest
     * vouches for it (the directory's listing is as recorded: an entry cannot change kind without changing it), or
     * null to read it from the target.
     */
    private void planExtraTargetEntry(String path, EntryKind kind) {
        try {
            EntryKind targetKind = kind != null ? kind : SourceEntry.read(resolve(targetRoot, path), path).kind();
            boolean directory = targetKind == EntryKind.DIRECTORY;
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
     * The names in the target directory: {@link #VOUCHED} when the manifest vouches for the directory's listing and
     * its mtime is still the recorded one (nothing was added, removed or renamed in it since, so the manifest's names
     * are its listing: one {@code stat}, no {@code readdir}); else its listing, or null when it is not a directory
     * there (then it is created).
     */
    private Set<String> targetNames(String directory, Manifest.Entry self, ManifestDirectory recorded) {
        if (self != null && self.listingVouched() && !checkTargets && recorded != ManifestDirectory.MALFORMED) {
            try {
                BasicFileAttributes target = Files.readAttributes(resolve(targetRoot, directory),
                        BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (target.isDirectory() && target.lastModifiedTime().to(TimeUnit.NANOSECONDS) == self.mtimeNanos()) {
                    return VOUCHED;
                }
            } catch (IOException e) {
                // listed below, which reports what is wrong
            }
        }
        stats.targetDirectoriesListed.increment();
        return listTarget(directory);
    }

    /**
     * The names in the target directory; null when there is nothing under its name there, {@link #FILE_IN_THE_WAY}
     * when a non-directory has it (either way the directory is created).
     */
    private Set<String> listTarget(String directory) {
        Path path = resolve(targetRoot, directory);
        try {
            return DirectoryReader.names(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (NotDirectoryException e) {
            return FILE_IN_THE_WAY;
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

    /** True for the state directory's name at the target's root ({@link #STATE}), which is not a mirrored entry. */
    static boolean isState(String directory, String name) {
        return directory.isEmpty() && name.equals(STATE);
    }

    static Path resolve(Path root, String path) {
        return path.isEmpty() ? root : root.resolve(path);
    }
}
