package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A saved {@link Manifest} as a run reads it. Loading checks the whole file (checksum and structure) but decodes only
 * the directory index; a directory's entries are read in place when the walk reaches it ({@link ManifestDirectory}).
 * So the 135,000-file manifest costs milliseconds before the walk starts rather than a serial decode of every path.
 */
public final class StoredManifest {

    /** The fixed part of an entry after its name: flags, size, mtime, mode, uid, gid, hash. */
    static final int ENTRY_FIXED = 1 + 8 + 8 + 4 + 4 + 4 + 8;

    private static final EntryKind[] KINDS = EntryKind.values();

    private record Group(int offset, int count, int length) {
    }

    /** Per thread, room for one name: decoding copies a name once (into its String), not twice. */
    private static final ThreadLocal<byte[]> NAME = ThreadLocal.withInitial(() -> new byte[1024]);

    /** The whole file, mapped (outside the heap: a young collection would otherwise copy it); read by absolute gets. */
    private final ByteBuffer data;
    private final Map<String, Group> groups;
    /** The root directory's own entry, or null. */
    private final Manifest.Entry root;
    private final int size;
    private final String bootId;
    private final String problem;

    private StoredManifest(ByteBuffer data, Map<String, Group> groups, Manifest.Entry root, int size, String bootId,
            String problem) {
        this.data = data;
        this.groups = groups;
        this.root = root;
        this.size = size;
        this.bootId = bootId;
        this.problem = problem;
    }

    private static StoredManifest unusable(String problem) {
        return new StoredManifest(ByteBuffer.allocate(0), Map.of(), null, 0, "", problem);
    }

    /** Loads {@code file}; a missing or damaged file gives an empty manifest whose {@link #problem()} says why. */
    public static StoredManifest load(Path file) throws IOException {
        ByteBuffer data;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length > Integer.MAX_VALUE - 64) {
                return unusable("manifest " + file + " is too large (" + length + " bytes)");
            }
            // Mapped, not read: no copy, no freshly zeroed buffer. Safe because a manifest is never written in place
            // (a new one is renamed over it), so the mapped file cannot change or shrink under the run.
            data = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
        } catch (NoSuchFileException e) {
            return unusable("no manifest at " + file);
        }
        int length = data.limit();
        if (length < Manifest.MAGIC.length + 8 + 8) {
            return unusable("manifest " + file + " is truncated");
        }
        if (data.getLong(length - 8) != Manifest.checksum(data.duplicate().limit(length - 8))) {
            return unusable("manifest " + file + " fails its checksum (truncated or corrupt)");
        }
        byte[] magic = new byte[Manifest.MAGIC.length];
        data.get(0, magic);
        if (!Arrays.equals(magic, Manifest.MAGIC)) {
            return unusable("manifest " + file + " has an older or unknown format");
        }
        try {
            return index(data);
        } catch (RuntimeException e) {
            return unusable("manifest " + file + " cannot be decoded: " + e);
        }
    }

    /**
     * Reads the directory index and checks that the directories tile the file and their counts add up, decoding no
     * entry (a directory's entries are checked when it is first read: a walk does that on many threads at once).
     */
    private static StoredManifest index(ByteBuffer data) {
        int end = data.limit() - 8;
        int position = Manifest.MAGIC.length;
        int size = data.getInt(position);
        int directories = data.getInt(position + 4);
        position += 8;
        String bootId = string(data, position);
        position += 2 + Short.toUnsignedInt(data.getShort(position));
        Manifest.Entry root = null;
        if (data.get(position++) != 0) {
            root = entry(data, position);
            position += ENTRY_FIXED;
        }
        Map<String, Group> groups = new HashMap<>(Math.max(16, directories * 4 / 3 + 1));
        long entries = root == null ? 0 : 1;
        for (int d = 0; d < directories; d++) {
            int pathLength = Short.toUnsignedInt(data.getShort(position));
            String path = string(data, position);
            position += 2 + pathLength;
            int count = data.getInt(position);
            int length = data.getInt(position + 4);
            position += 8;
            int offset = position;
            if (length < 0 || count < 0 || offset + length > end || groups.put(path, new Group(offset, count, length))
                    != null) {
                throw new IllegalArgumentException("directory " + path + " is malformed");
            }
            position += length; // its entries are checked when the walk reads them (ManifestDirectory.of)
            entries += count;
        }
        if (position != end || entries != size) {
            throw new IllegalArgumentException("entries do not add up");
        }
        return new StoredManifest(data, groups, root, size, bootId, null);
    }

    /** Why the stored manifest could not be used (absent, truncated, bad checksum), or null when it loaded. */
    public String problem() {
        return problem;
    }

    public int size() {
        return size;
    }

    /** The boot of the machine that wrote it ({@link BootId}); empty when it did not load. */
    public String bootId() {
        return bootId;
    }

    /**
     * The entries directly in {@code directory} (relative, slash-separated; empty for the root), read in place: the
     * walk asks once per directory and matches names and stamps without decoding them.
     */
    ManifestDirectory group(String directory) {
        Group group = groups.get(directory);
        return group == null ? ManifestDirectory.EMPTY
                : ManifestDirectory.of(data, group.offset(), group.count(), group.length());
    }

    /** The entries directly in {@code directory}, by name, decoded (for tests and diagnostics). */
    public Map<String, Manifest.Entry> directory(String directory) {
        ManifestDirectory group = group(directory);
        Map<String, Manifest.Entry> entries = new HashMap<>();
        for (int i = 0; i < group.count(); i++) {
            entries.put(group.name(i), group.entry(i));
        }
        return entries;
    }

    /** The entry at {@code path} (empty for the root itself), or null. */
    public Manifest.Entry get(String path) {
        return path.isEmpty() ? root : directory(RelativePaths.parent(path)).get(RelativePaths.name(path));
    }

    /** Every entry by path, the root's under the empty path (decodes them all: for tests and diagnostics). */
    public Map<String, Manifest.Entry> entries() {
        Map<String, Manifest.Entry> all = new HashMap<>();
        for (String directory : groups.keySet()) {
            directory(directory).forEach((name, entry) -> all.put(RelativePaths.child(directory, name), entry));
        }
        if (root != null) {
            all.put("", root);
        }
        return all;
    }

    /** The entry whose fixed fields ({@link #ENTRY_FIXED} bytes, as {@code Manifest.save} puts them) start here. */
    static Manifest.Entry entry(ByteBuffer data, int position) {
        byte flags = data.get(position);
        return new Manifest.Entry(kind(flags), data.getLong(position + 1), data.getLong(position + 9),
                data.getInt(position + 17), data.getInt(position + 21), data.getInt(position + 25),
                data.getLong(position + 29), (flags & 0x10) != 0);
    }

    /** The kind in an entry's flags byte. */
    static EntryKind kind(byte flags) {
        return KINDS[flags & 0x0f];
    }

    /** The length-prefixed UTF-8 string at {@code position}, read through the thread's scratch array. */
    private static String string(ByteBuffer data, int position) {
        int length = Short.toUnsignedInt(data.getShort(position));
        byte[] scratch = NAME.get();
        if (length > scratch.length) {
            scratch = new byte[length];
            NAME.set(scratch);
        }
        data.get(position + 2, scratch, 0, length);
        return new String(scratch, 0, length, StandardCharsets.UTF_8);
    }
}
