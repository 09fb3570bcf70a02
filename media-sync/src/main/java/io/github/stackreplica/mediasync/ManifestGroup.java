package io.github.stackreplica.mediasync;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One directory of the next manifest: entries carried over unchanged from the previous manifest, whose stored bytes
 * the save copies as they are, and records put since. The thread walking the directory notes its names in the
 * order the source listed them ({@link #keep} for a carried-over entry, {@link #expect} for a name whose record is
 * put later, if at all); the save writes the entries in that order, the order in which the next run's listing will
 * meet them ({@link ManifestDirectory.Lookup}), then any record put under a name the walk did not note. A name is
 * either kept or recorded, never both: the walk keeps only the entries it hands to no one else.
 */
final class ManifestGroup {

    /** How many entries a group writes and how many bytes they take. */
    record Layout(int count, int length) {
    }

    private static final int[] NO_ORDER = {};
    private static final String[] NO_NAMES = {};

    private final ManifestDirectory base;
    private final Map<String, Manifest.Entry> records = new ConcurrentHashMap<>();
    /** Listing order, walking thread only: a base entry's index, or -(n + 1) for the n-th expected name. */
    private int[] order = NO_ORDER;
    private int ordered;
    private String[] expected = NO_NAMES;
    private int expectedCount;
    private int keptCount;

    ManifestGroup(ManifestDirectory base) {
        this.base = base;
    }

    /** Carries the base's entry {@code index} over unchanged, as the next name in listing order. */
    void keep(int index) {
        append(index);
        keptCount++;
    }

    /** Notes {@code name} as the next name in listing order; its record comes through a put, if at all. */
    void expect(String name) {
        if (expectedCount == expected.length) {
            expected = Arrays.copyOf(expected, Math.max(8, expectedCount * 2));
        }
        expected[expectedCount] = name;
        append(-(++expectedCount));
    }

    private void append(int item) {
        if (ordered == order.length) {
            order = Arrays.copyOf(order, Math.max(Math.max(8, base.count()), ordered * 2));
        }
        order[ordered++] = item;
    }

    /** Records the entry called {@code name} (from any thread). */
    void put(String name, Manifest.Entry entry) {
        records.put(name, entry);
    }

    /** Drops the record put under {@code name}. */
    void remove(String name) {
        records.remove(name);
    }

    private String expectedName(int item) {
        return expected[-item - 1];
    }

    /** The names expected but not listed in order, or null when every record's name was expected. */
    private Set<String> unexpected(int written) {
        if (written == records.size()) {
            return null;
        }
        Set<String> names = new HashSet<>(records.keySet());
        names.removeAll(Arrays.asList(expected).subList(0, expectedCount));
        return names;
    }

    /** How many entries the group saves: each name is either kept or recorded, never both. */
    int count() {
        return keptCount + records.size();
    }

    Layout layout() {
        int length = 0;
        int written = 0;
        for (int i = 0; i < ordered; i++) {
            int item = order[i];
            if (item >= 0) {
                length += base.length(item);
            } else if (records.containsKey(expectedName(item))) {
                written++;
                length += 2 + Manifest.utf8Length(expectedName(item)) + StoredManifest.ENTRY_FIXED;
            }
        }
        Set<String> unexpected = unexpected(written);
        if (unexpected != null) {
            for (String name : unexpected) {
                length += 2 + Manifest.utf8Length(name) + StoredManifest.ENTRY_FIXED;
            }
        }
        return new Layout(count(), length);
    }

    /** Writes the entries as {@link #layout} counted them; runs of consecutive kept entries in one copy. */
    void write(ByteBuffer out) {
        int written = 0;
        for (int i = 0; i < ordered; i++) {
            int item = order[i];
            if (item >= 0) {
                int last = i;
                while (last + 1 < ordered && order[last + 1] == order[last] + 1) {
                    last++;
                }
                base.copy(item, order[last] + 1, out);
                i = last;
            } else {
                Manifest.Entry record = records.get(expectedName(item));
                if (record != null) {
                    Manifest.putFixed(Manifest.putUtf8(out, expectedName(item)), record);
                    written++;
                }
            }
        }
        Set<String> unexpected = unexpected(written);
        if (unexpected != null) {
            for (String name : unexpected) {
                Manifest.putFixed(Manifest.putUtf8(out, name), records.get(name));
            }
        }
    }

    boolean recordsExactly(List<byte[]> listing) {
        if (listing.size() != count()) {
            return false;
        }
        long[] kept = new long[(base.count() + 63) >>> 6];
        forEachKept(index -> kept[index >>> 6] |= 1L << index);
        ManifestDirectory.Lookup lookup = base.lookup();
        for (byte[] name : listing) {
            int index = lookup.find(DirectoryReader.utf8(name));
            boolean isKept = index >= 0 && (kept[index >>> 6] & (1L << index)) != 0;
            if (!isKept && !records.containsKey(DirectoryReader.decode(name))) {
                return false;
            }
        }
        return true;
    }

    Set<String> names() {
        Set<String> names = new HashSet<>(records.keySet());
        forEachKept(index -> names.add(base.name(index)));
        return names;
    }

    void forEach(java.util.function.BiConsumer<String, Manifest.Entry> action) {
        forEachKept(index -> action.accept(base.name(index), base.entry(index)));
        records.forEach(action);
    }

    private void forEachKept(java.util.function.IntConsumer action) {
        for (int i = 0; i < ordered; i++) {
            if (order[i] >= 0) {
                action.accept(order[i]);
            }
        }
    }
}
