package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
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
         * A target directory as a run left it. {@code listingVouched}: the run did not set its mtime, so while the
         * mtime stays as it is, nothing was added or removed in it since its names were last seen. When a run sets a
         * directory's mtime, something could have been added between the run's last look and that moment, so the
         * next run lists it once.
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
            return kind == source.kind() && size == source.size() && mtimeNanos == source.mtimeNanos();
        }

        /** True when the source entry has the same mode and owner. */
        public boolean sameAttributes(SourceEntry source) {
            return mode == source.mode() && uid == source.uid() && gid == source.gid();
        }
    }

    /** Version 2: entries grouped by directory, so that a run decodes a directory's entries when it walks it. */
    static final byte[] MAGIC = "MSYNCMF2".getBytes(StandardCharsets.US_ASCII);

    /** Entries by directory (relative path, empty for the root), then by name: no full path is kept per file. */
    private final Map<String, Map<String, Entry>> directories;

    private Manifest(Map<String, Map<String, Entry>> directories) {
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

    /** Makes room for about {@code entries} entries in {@code directory} (a walk knows how many it found). */
    public void expect(String directory, int entries) {
        directories.computeIfAbsent(directory, key -> new ConcurrentHashMap<>(Math.max(entries, 1)));
    }

    /** Records the entry called {@code name} in {@code directory}. */
    public void put(String directory, String name, Entry entry) {
        directories.computeIfAbsent(directory, key -> new ConcurrentHashMap<>()).put(name, entry);
    }

    /** Records the entry at {@code path} (relative, slash-separated). */
    public void put(String path, Entry entry) {
        put(RelativePaths.parent(path), RelativePaths.name(path), entry);
    }

    /** The names recorded in {@code directory} (for the root, without its own entry). */
    public Set<String> names(String directory) {
        Set<String> names = new HashSet<>(directories.getOrDefault(directory, Map.of()).keySet());
        if (directory.isEmpty()) {
            names.remove("");
        }
        return names;
    }

    public int size() {
        return directories.values().stream().mapToInt(Map::size).sum();
    }

    /** Every entry by path (for tests and diagnostics). */
    public Map<String, Entry> entries() {
        Map<String, Entry> all = new HashMap<>();
        directories.forEach((directory, entries) -> entries.forEach((name, entry) -> all.put(
                RelativePaths.child(directory, name), entry)));
        return all;
    }

    /**
     * Writes the manifest to a temporary file beside {@code file}, syncs it and renames it over {@code file}. Layout:
     * magic, entry count, directory count; per directory its path, entry count and byte length, then per entry its
     * name, flags, size, mtime, mode, uid, gid and hash; last a CRC-32C of everything before it (as a long).
     */
    public void save(Path file) throws IOException {
        int total = size();
        ByteBuffer out = ByteBuffer.allocate(64 + total * 96);
        out.put(MAGIC).putInt(total).putInt(0);
        int directoryCount = 0;
        for (Map.Entry<String, Map<String, Entry>> directory : directories.entrySet()) {
            if (directory.getValue().isEmpty()) {
                continue;
            }
            directoryCount++;
            out = string(out, directory.getKey());
            out = room(out, 8);
            int header = out.position();
            out.putInt(0).putInt(0);
            int count = 0;
            for (Map.Entry<String, Entry> item : directory.getValue().entrySet()) {
                Entry entry = item.getValue();
                out = room(string(out, item.getKey()), StoredManifest.ENTRY_FIXED);
                out.put((byte) (entry.kind().ordinal() | (entry.hashKnown() ? 0x10 : 0))).putLong(entry.size())
                        .putLong(entry.mtimeNanos()).putInt(entry.mode()).putInt(entry.uid()).putInt(entry.gid())
                        .putLong(entry.hash());
                count++;
            }
            out.putInt(header, count).putInt(header + 4, out.position() - header - 8);
        }
        out.putInt(MAGIC.length + 4, directoryCount);
        out = room(out, 8);
        out.putLong(checksum(out.array(), out.position()));
        out.flip();
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (out.hasRemaining()) {
                channel.write(out);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    private static ByteBuffer string(ByteBuffer out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return room(out, 2 + bytes.length).putShort((short) bytes.length).put(bytes);
    }

    /** {@code out}, or a copy twice as large when fewer than {@code bytes} bytes remain. */
    private static ByteBuffer room(ByteBuffer out, int bytes) {
        if (out.remaining() >= bytes) {
            return out;
        }
        ByteBuffer larger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes));
        return larger.put(out.flip());
    }
}
