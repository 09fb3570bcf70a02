package io.github.stackreplica.mediasync;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names of the temporary files a copy writes beside the final name before renaming it into place (a rename within
 * one directory: no file-system-wide rename lock, no single temporary directory all threads create in), and which
 * leftovers of a killed run a run removes: every one when it handles the whole tree, else only its own shard's, since
 * other shards may be writing theirs at that moment. Form: {@code .msync-<shard>-<process token>-<n>.tmp}.
 */
final class Temporaries {

    private static final String PREFIX = ".msync-";
    private static final String SUFFIX = ".tmp";

    private final Shard shard;
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    Temporaries(Shard shard) {
        this.shard = shard;
        this.prefix = PREFIX + shard.index() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000000, Integer.MAX_VALUE)) + "-";
    }

    /** A new temporary name, unique among all processes sharing the target. */
    String next() {
        return prefix + counter.incrementAndGet() + SUFFIX;
    }

    /** True when {@code name} is a temporary this run may remove: one a killed run left behind. */
    boolean isLeftover(String name) {
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX)
                && (shard.isAll() || name.startsWith(PREFIX + shard.index() + "-"));
    }
}
