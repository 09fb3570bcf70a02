package io.github.stackreplica.mediasync;

import java.nio.charset.StandardCharsets;

/** The slice of paths one process handles when N processes share a copy: shard {@code index} of {@code count}. */
public record Shard(int index, int count) {

    /** The whole tree: one process does everything. */
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("expected a shard index from 0 to " + (count - 1) + " of " + count
                    + " shards");
        }
    }

    /** Parses {@code I/N}, e.g. {@code 0/4}. */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/");
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected I/N such as 0/4 (shard I of N, counting from 0)");
    }

    public boolean isAll() {
        return count == 1;
    }

    /** True when this shard handles the entry at {@code relativePath} (slash-separated, relative to the roots). */
    public boolean owns(String relativePath) {
        if (count == 1) {
            return true;
        }
        long hash = ContentHashes.of(relativePath.getBytes(StandardCharsets.UTF_8));
        return Math.floorMod(hash, (long) count) == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
