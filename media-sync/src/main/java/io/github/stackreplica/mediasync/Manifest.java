package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * What media-sync last wrote into the target: per relative path, the source's kind, size, mtime, mode and owner at the
 * time of the copy, and the content hash of what was written. Stored as one binary file ending in a CRC-32C of the
 * rest, replaced by an atomic rename; an unreadable one loads as empty (a full compare, never a wrong skip). This is
 * the manifest a run writes; {@link StoredManifest} is the one it reads.
 */
public final class Manifest {

    /**
     * One mirrored entry; {@code hash} means nothing unless {@code hashKnown}. A directory has no hash; for it the
     * flag says whether its listing is vouched for (see {@link #listingVouched()}).
     */
    public record Entry(EntryKind kind, long size, long mtimeNanos, int mode, int uid, int gid, long hash,
            boolean hashKnown) {

        /**
         * A target directory as a run left it. {@code listingVouched}: its names were seen after its mtime was last
         * set (by the walk when the run left the mtime alone, by a listing right after setting it otherwise), so while
         * the mtime stays as it is, nothing was added or removed in it since.
         */
        public static Entry directory(SourceEntry source, boolean listingVouched) {
            return new Entry(EntryKind.DIRECTORY, source.size(), source.mtimeNanos(), source.mode(), source.uid(),
                    source.gid(), 0, listingVouched);
        }

        /** For a directory: its names in the manifest are its listing while its mtime stays as recorded. */
        public boolean listingVouched() {
            return kind == EntryKind.DIRECTORY && hashKnown;
        }

        /** True when the source entry still has the size, mtime and kind this entry was written from. */
        public boolean sameContentStamp(SourceEntry source) {
            return sameContentStamp(source.kind(), source.size(), source.mtimeNanos());
        }

        /** True when a source entry of this kind, size and mtime still has the stamp this entry was written from. */
        public boolean sameContentStamp(EntryKind kind, long size, long mtimeNanos) {
            return this.kind == kind && this.size == size && this.mtimeNanos == mtimeNanos;
        }

        /** True when the source entry has the same mode and owner. */
        public boolean sameAttributes(SourceEntry source) {
            return sameAttributes(source.mode(), source.uid(), source.gid());
        }

        /** True when a source entry with this mode (permission bits) and owner has the same as this entry. */
        public boolean sameAttributes(int mode, int uid, int gid) {
            return this.mode == mode && this.uid == uid && this.gid == gid;
        }
    }

    /**
     * Version 3: entries grouped by directory, so that a run decodes a directory's entries when it walks it, and the
     * id of the boot that wrote it ({@link BootId}).
     */
    static final byte[] MAGIC = "MSYNCMF3".getBytes(StandardCharsets.US_ASCII);

    /** What {@link #save} writes through at a time (a directory's entries bigger than this go in one piece). */
    private static final int SAVE_BUFFER = 1 << 20;

    /** Entries by directory (relative path, empty for the root): no full path is kept per file. */
    private final Map<String, ManifestGroup> directories;
    /** The root directory's own entry, which has no name in a parent directory. */
    private volatile Entry root;

    private Manifest(Map<String, ManifestGroup> directories) {
        this.directories = directories;
    }

    /** A manifest that many threads fill at once. */
    public static Manifest concurrent(int expectedEntries) {
        return new Manifest(new ConcurrentHashMap<>(Math.max(16, expectedEntries / 16)));
    }

    /** Loads {@code file}; a missing or damaged file gives an empty manifest whose problem says why. */
    public static StoredManifest load(Path file) throws IOException {
        return StoredManifest.load(file);
    }

    /**
     * The group of {@code directory}, created on first use with {@code base}, the previous manifest's entries of that
     * directory (which {@link ManifestGroup#keep} refers to). The walk asks once per directory, before anything is
     * put there.
     */
    ManifestGroup group(String directory, ManifestDirectory base) {
        return directories.computeIfAbsent(directory, key -> new ManifestGroup(base));
    }

    /** Records the entry called {@code name} in {@code directory}. */
    public void put(String directory, String name, Entry entry) {
        group(directory, ManifestDirectory.EMPTY).put(name, entry);
    }

    /** Records the entry at {@code path} (relative, slash-separated; empty for the root itself). */
    public void put(String path, Entry entry) {
        if (path.isEmpty()) {
            root = entry;
        } else {
            put(RelativePaths.parent(path), RelativePaths.name(path), entry);
        }
    }

    /**
     * Drops the record put at {@code path} (not an entry carried over from the previous manifest: the walk never
     * keeps a directory's record).
     */
    public void remove(String path) {
        if (path.isEmpty()) {
            root = null;
        } else {
            ManifestGroup group = directories.get(RelativePaths.parent(path));
            if (group != null) {
                group.remove(RelativePaths.name(path));
            }
        }
    }

    /** The names recorded in {@code directory}. */
    public Set<String> names(String directory) {
        ManifestGroup group = directories.get(directory);
        return group == null ? new HashSet<>() : group.names();
    }

    /**
     * True when {@code listing} (names as {@link DirectoryReader} reads them) holds exactly the names recorded in
     * {@code directory}: compared as bytes against the entries carried over, decoded only for the others.
     */
    boolean recordsExactly(String directory, List<byte[]> listing) {
        ManifestGroup group = directories.get(directory);
        return group == null ? listing.isEmpty() : group.recordsExactly(listing);
    }

    public int size() {
        int size = root == null ? 0 : 1;
        for (ManifestGroup group : directories.values()) {
            size += group.count();
        }
        return size;
    }

    /** Every entry by path, the root's under the empty path (for tests and diagnostics). */
    public Map<String, Entry> entries() {
        Map<String, Entry> all = new HashMap<>();
        directories.forEach((directory, group) -> group.forEach((name, entry) -> all.put(
                RelativePaths.child(directory, name), entry)));
        if (root != null) {
            all.put("", root);
        }
        return all;
    }

    /**
     * Writes the manifest to a temporary file beside {@code file} and renames it over {@code file}, recording this
     * machine's current boot. Layout: magic, entry count, directory count, boot id, then a byte saying whether the
     * root's own entry follows (its flags, size, mtime, mode, uid, gid and hash); per directory its path, entry count
     * and byte length, then per entry its name and the same fixed fields; last a CRC-32C of everything before it (as a
     * long). Streamed through one 1 MiB buffer outside the heap: entries carried over from the previous manifest are
     * copied as stored, the others encoded in place, so a save allocates next to nothing on the heap.
     *
     * <p>Not synced to disk: what a sync would protect against is covered without it (a torn or lost manifest fails
     * its checksum and means a full compare, an older one vouches only for what still matches, and after a restart
     * the boot id makes the run check the target's own stamps); the copied files are not synced either. The sync cost
     * about 70 ms of every run that changed something.
     */
    public void save(Path file) throws IOException {
        save(file, BootId.current());
    }

    /** {@link #save(Path)}, recording {@code bootId} as the boot that wrote it. */
    void save(Path file, String bootId) throws IOException {
        List<Map.Entry<String, ManifestGroup>> groups = new ArrayList<>();
        List<ManifestGroup.Layout> layouts = new ArrayList<>();
        int size = 0;
        for (Map.Entry<String, ManifestGroup> directory : directories.entrySet()) {
            if (directory.getValue().count() > 0) {
                ManifestGroup.Layout layout = directory.getValue().layout();
                groups.add(directory);
                layouts.add(layout);
                size += layout.count();
            }
        }
        Entry rootEntry = root;
        size += rootEntry == null ? 0 : 1;
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32C crc = new CRC32C();
        ByteBuffer out = ByteBuffer.allocateDirect(SAVE_BUFFER);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            putUtf8(out.put(MAGIC).putInt(size).putInt(groups.size()), bootId).put((byte) (rootEntry == null ? 0 : 1));
            if (rootEntry != null) {
                putFixed(out, rootEntry);
            }
            for (int g = 0; g < groups.size(); g++) {
                String path = groups.get(g).getKey();
                ManifestGroup.Layout layout = layouts.get(g);
                int groupBytes = 2 + utf8Length(path) + 8 + layout.length();
                ByteBuffer group = out;
                if (groupBytes > out.remaining()) {
                    flush(channel, out, crc);
                    group = groupBytes > out.capacity() ? ByteBuffer.allocate(groupBytes) : out;
                }
                putUtf8(group, path).putInt(layout.count()).putInt(layout.length());
                groups.get(g).getValue().write(group);
                if (group != out) {
                    flush(channel, group, crc);
                }
            }
            flush(channel, out, crc);
            out.putLong(crc.getValue()).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Puts an entry's fixed fields ({@link StoredManifest#ENTRY_FIXED} bytes) as {@code StoredManifest} reads them. */
    static void putFixed(ByteBuffer out, Entry entry) {
        out.put((byte) (entry.kind().ordinal() | (entry.hashKnown() ? 0x10 : 0))).putLong(entry.size())
                .putLong(entry.mtimeNanos()).putInt(entry.mode()).putInt(entry.uid()).putInt(entry.gid())
                .putLong(entry.hash());
    }

    /** Writes out what the buffer holds, adding it to the checksum, and empties it. */
    private static void flush(FileChannel channel, ByteBuffer buffer, CRC32C crc) throws IOException {
        buffer.flip();
        crc.update(buffer.duplicate());
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** The length of {@code text} in UTF-8, as {@link #putUtf8} writes it. */
    static int utf8Length(String text) {
        return ascii(text) ? text.length() : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Puts the length-prefixed UTF-8 form of {@code text}; an ASCII text (nearly every name) without a copy. */
    static ByteBuffer putUtf8(ByteBuffer out, String text) {
        if (!ascii(text)) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return out.putShort((short) bytes.length).put(bytes);
        }
        out.putShort((short) text.length());
        for (int i = 0; i < text.length(); i++) {
            out.put((byte) text.charAt(i));
        }
        return out;
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The manifest's checksum: CRC-32C, which the JVM computes with the CPU's CRC instructions. */
    static long checksum(byte[] bytes, int length) {
        return checksum(ByteBuffer.wrap(bytes, 0, length));
    }

    /** The CRC-32C of the buffer's remaining bytes (consumes them). */
    static long checksum(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }
}
