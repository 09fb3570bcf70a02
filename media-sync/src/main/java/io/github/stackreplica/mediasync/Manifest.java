package io.github.stackreplica.mediasync;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What media-sync last wrote into the target: per relative path, the source's kind, size, mtime, mode and owner at the
 * time of the copy, and the content hash of what was written. Stored as one binary file ending in an XXHash64 of the
 * rest, replaced by an atomic rename; an unreadable one loads as empty (a full compare, never a wrong skip).
 */
public final class Manifest {

    /** One mirrored entry; {@code hash} means nothing unless {@code hashKnown}. */
    public record Entry(EntryKind kind, long size, long mtimeNanos, int mode, int uid, int gid, long hash,
            boolean hashKnown) {

        /** True when the source entry still has the size, mtime and kind this entry was written from. */
        public boolean sameContentStamp(SourceEntry source) {
            return kind == source.kind() && size == source.size() && mtimeNanos == source.mtimeNanos();
        }

        /** True when the source entry has the same mode and owner. */
        public boolean sameAttributes(SourceEntry source) {
            return mode == source.mode() && uid == source.uid() && gid == source.gid();
        }
    }

    private static final byte[] MAGIC = "MSYNCMF1".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, Entry> entries;
    private final String problem;

    private Manifest(Map<String, Entry> entries, String problem) {
        this.entries = entries;
        this.problem = problem;
    }

    public static Manifest empty() {
        return new Manifest(new HashMap<>(), null);
    }

    /** A manifest that many threads fill at once. */
    public static Manifest concurrent(int expectedEntries) {
        return new Manifest(new ConcurrentHashMap<>(Math.max(16, expectedEntries + expectedEntries / 8)), null);
    }

    public Entry get(String path) {
        return entries.get(path);
    }

    public void put(String path, Entry entry) {
        entries.put(path, entry);
    }

    public void remove(String path) {
        entries.remove(path);
    }

    public int size() {
        return entries.size();
    }

    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** Why the stored manifest could not be used (absent, truncated, bad checksum), or null when it loaded. */
    public String problem() {
        return problem;
    }

    /** Loads {@code file}; a missing or damaged file gives an empty manifest whose {@link #problem()} says why. */
    public static Manifest load(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Manifest(new HashMap<>(), "no manifest at " + file);
        }
        if (bytes.length < MAGIC.length + 8 + 8) {
            return new Manifest(new HashMap<>(), "manifest " + file + " is truncated");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes);
        long stored = data.getLong(bytes.length - 8);
        if (stored != ContentHashes.of(bytes, bytes.length - 8)) {
            return new Manifest(new HashMap<>(), "manifest " + file + " fails its checksum (truncated or corrupt)");
        }
        try {
            return new Manifest(decode(data, bytes.length - 8), null);
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            return new Manifest(new HashMap<>(), "manifest " + file + " cannot be decoded: " + e);
        }
    }

    private static Map<String, Entry> decode(ByteBuffer data, int end) {
        byte[] magic = new byte[MAGIC.length];
        data.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("unknown format");
        }
        int count = data.getInt();
        Map<String, Entry> entries = new HashMap<>(Math.max(16, count * 4 / 3 + 1));
        EntryKind[] kinds = EntryKind.values();
        for (int i = 0; i < count; i++) {
            int length = Short.toUnsignedInt(data.getShort());
            String path = new String(data.array(), data.position(), length, StandardCharsets.UTF_8);
            data.position(data.position() + length);
            byte flags = data.get();
            entries.put(path, new Entry(kinds[flags & 0x0f], data.getLong(), data.getLong(), data.getInt(),
                    data.getInt(), data.getInt(), data.getLong(), (flags & 0x10) != 0));
        }
        if (data.position() != end) {
            throw new IllegalArgumentException("trailing bytes");
        }
        return entries;
    }

    /** Writes the manifest to a temporary file beside {@code file}, syncs it and renames it over {@code file}. */
    public void save(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(entries.size());
            for (Map.Entry<String, Entry> item : entries.entrySet()) {
                byte[] path = item.getKey().getBytes(StandardCharsets.UTF_8);
                Entry entry = item.getValue();
                out.writeShort(path.length);
                out.write(path);
                out.writeByte(entry.kind().ordinal() | (entry.hashKnown() ? 0x10 : 0));
                out.writeLong(entry.size());
                out.writeLong(entry.mtimeNanos());
                out.writeInt(entry.mode());
                out.writeInt(entry.uid());
                out.writeInt(entry.gid());
                out.writeLong(entry.hash());
            }
        }
        byte[] body = bytes.toByteArray();
        ByteBuffer trailer = ByteBuffer.allocate(8).putLong(0, ContentHashes.of(body, body.length));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(body);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            while (trailer.hasRemaining()) {
                channel.write(trailer);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
