package io.github.stackreplica.mediasync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One directory's entries in a stored manifest, read in place from the mapped file: the walk matches a source entry's
 * name bytes and stamp against them without decoding a name or building an entry, and the next manifest copies the
 * unchanged ones' bytes over as they are. Entry {@code i} is a length-prefixed UTF-8 name followed by the fixed fields
 * ({@link StoredManifest#ENTRY_FIXED} bytes) that {@code Manifest.save} writes.
 */
final class ManifestDirectory {

    /** A directory the manifest has no entries for. */
    static final ManifestDirectory EMPTY = new ManifestDirectory(ByteBuffer.allocate(0), 0, new int[] {0});

    /** Above this many entries a lookup that misses the cursor goes through a hash index instead of a scan. */
    private static final int SCAN_LIMIT = 64;

    /**
     * What {@link #of} returns for entries that do not fill their directory's stored length exactly (a manifest that
     * passed its checksum but was written wrongly): no entries, and nothing about the directory may be trusted.
     */
    static final ManifestDirectory MALFORMED = new ManifestDirectory(ByteBuffer.allocate(0), 0, new int[] {0});

    /** Per thread, room for a directory's stored bytes while {@link #of} reads them. */
    private static final ThreadLocal<byte[]> READING = ThreadLocal.withInitial(() -> new byte[16 * 1024]);
    /** Per thread, room for a directory's stored bytes while a lookup walks it (apart from {@link #READING}). */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    private final ByteBuffer data;
    private final int start;
    /** Where each entry starts, relative to {@code start}; the last element is the group's length. */
    private final int[] offsets;

    private ManifestDirectory(ByteBuffer data, int start, int[] offsets) {
        this.data = data;
        this.start = start;
        this.offsets = offsets;
    }

    /** The {@code length} bytes from {@code start} in {@code data}, copied into the thread's array of {@code room}. */
    private static byte[] copy(ByteBuffer data, int start, int length, ThreadLocal<byte[]> room) {
        byte[] bytes = room.get();
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
            room.set(bytes);
        }
        data.get(start, bytes, 0, length);
        return bytes;
    }

    /**
     * The {@code count} entries stored in the {@code length} bytes from {@code start} in {@code data} (a range the
     * manifest's index checked), or {@link #MALFORMED}. The entries are located in a heap copy with plain array reads.
     */
    static ManifestDirectory of(ByteBuffer data, int start, int count, int length) {
        if (count > length / (2 + StoredManifest.ENTRY_FIXED)) {
            return MALFORMED;
        }
        byte[] bytes = copy(data, start, length, READING);
        int[] offsets = new int[count + 1];
        int position = 0;
        for (int i = 0; i < count; i++) {
            if (position + 2 > length) {
                return MALFORMED;
            }
            offsets[i] = position;
            position += 2 + ((bytes[position] & 0xff) << 8 | bytes[position + 1] & 0xff) + StoredManifest.ENTRY_FIXED;
        }
        if (position != length) {
            return MALFORMED;
        }
        offsets[count] = position;
        return new ManifestDirectory(data, start, offsets);
    }

    int count() {
        return offsets.length - 1;
    }

    /** The stored length of entry {@code i}: its name and fixed fields. */
    int length(int i) {
        return offsets[i + 1] - offsets[i];
    }

    /** Entry {@code i}'s name. */
    String name(int i) {
        int position = start + offsets[i];
        byte[] bytes = new byte[Short.toUnsignedInt(data.getShort(position))];
        data.get(position + 2, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Entry {@code i}'s kind. */
    EntryKind kind(int i) {
        return StoredManifest.kind(data.get(fixed(i)));
    }

    /** Entry {@code i}'s record. */
    Manifest.Entry entry(int i) {
        return StoredManifest.entry(data, fixed(i));
    }

    /** Copies entries {@code from} (inclusive) to {@code to} (exclusive) as stored into {@code out}. */
    void copy(int from, int to, ByteBuffer out) {
        int length = offsets[to] - offsets[from];
        out.put(out.position(), data, start + offsets[from], length);
        out.position(out.position() + length);
    }

    private int fixed(int i) {
        int position = start + offsets[i];
        return position + 2 + Short.toUnsignedInt(data.getShort(position));
    }

    /**
     * A lookup for one walk of this directory on the calling thread. It reads a copy of the directory's stored bytes
     * in the thread's scratch array (plain array reads: most of a walk runs before the JIT has compiled the direct
     * buffer's accessors), so it is valid until the thread's next lookup.
     */
    Lookup lookup() {
        return new Lookup(copy(data, start, offsets[count()], SCRATCH));
    }

    /**
     * Finds source names among the directory's entries and remembers which were found. A run saves a directory's
     * entries in the order the source listed their names ({@link ManifestGroup}), and listing a directory again
     * yields the same order for the names it still holds, so the entry after the last one found is tried first: one
     * comparison per name in the usual case.
     */
    final class Lookup {
        private final byte[] bytes;
        private final long[] found = new long[(count() + 63) >>> 6];
        private int foundCount;
        private int cursor;
        /** Hash index (entry + 1 per slot, 0 for empty), built on the first miss in a big directory. */
        private int[] index;

        private Lookup(byte[] bytes) {
            this.bytes = bytes;
        }

        /** The index of the entry named {@code name} (UTF-8), marking it found; -1 when there is none. */
        int find(byte[] name) {
            int count = count();
            if (count == 0) {
                return -1;
            }
            if (cursor < count && named(cursor, name)) {
                return found(cursor++);
            }
            if (count <= SCAN_LIMIT) {
                for (int i = 0; i < count; i++) {
                    if (i != cursor && named(i, name)) {
                        cursor = i + 1;
                        return found(i);
                    }
                }
                return -1;
            }
            int[] slots = index();
            int mask = slots.length - 1;
            for (int slot = hash(name, 0, name.length) & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
                int i = slots[slot] - 1;
                if (named(i, name)) {
                    cursor = i + 1;
                    return found(i);
                }
            }
            return -1;
        }

        /**
         * True when entry {@code i} records a regular file with this size, mtime, permission bits and owner (uid and
         * gid -1 when owners are not kept): the source file is unchanged since it was copied.
         */
        boolean sameFile(int i, long size, long mtimeNanos, int mode, int uid, int gid) {
            int fixed = offsets[i] + 2 + nameLength(offsets[i]);
            return (bytes[fixed] & 0x0f) == EntryKind.FILE.ordinal() && longAt(fixed + 1) == size
                    && longAt(fixed + 9) == mtimeNanos && intAt(fixed + 17) == mode && intAt(fixed + 21) == uid
                    && intAt(fixed + 25) == gid;
        }

        /** How many entries were found. */
        int foundCount() {
            return foundCount;
        }

        /** True when entry {@code i} was found. */
        boolean wasFound(int i) {
            return (found[i >>> 6] & (1L << i)) != 0;
        }

        private int found(int i) {
            long bit = 1L << i;
            if ((found[i >>> 6] & bit) == 0) {
                found[i >>> 6] |= bit;
                foundCount++;
            }
            return i;
        }

        private boolean named(int i, byte[] name) {
            int position = offsets[i];
            int length = nameLength(position);
            return length == name.length && Arrays.equals(bytes, position + 2, position + 2 + length, name, 0, length);
        }

        private int nameLength(int position) {
            return (bytes[position] & 0xff) << 8 | bytes[position + 1] & 0xff;
        }

        private int intAt(int position) {
            return (bytes[position] & 0xff) << 24 | (bytes[position + 1] & 0xff) << 16
                    | (bytes[position + 2] & 0xff) << 8 | bytes[position + 3] & 0xff;
        }

        private long longAt(int position) {
            return (long) intAt(position) << 32 | intAt(position + 4) & 0xffffffffL;
        }

        private int[] index() {
            if (index == null) {
                int count = count();
                int[] slots = new int[Integer.highestOneBit(count * 2 - 1) << 1];
                int mask = slots.length - 1;
                for (int i = 0; i < count; i++) {
                    int position = offsets[i] + 2;
                    int slot = hash(bytes, position, position + nameLength(offsets[i])) & mask;
                    while (slots[slot] != 0) {
                        slot = (slot + 1) & mask;
                    }
                    slots[slot] = i + 1;
                }
                index = slots;
            }
            return index;
        }
    }

    private static int hash(byte[] bytes, int from, int to) {
        int hash = 1;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + bytes[i];
        }
        return hash ^ (hash >>> 16);
    }
}
