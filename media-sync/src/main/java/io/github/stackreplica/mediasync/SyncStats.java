package io.github.stackreplica.mediasync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counters of one run, updated by many threads, and the per-file errors with their paths. */
final class SyncStats {

    private static final Logger LOG = LoggerFactory.getLogger(SyncStats.class);
    private static final int KEPT_ERRORS = 100;

    final LongAdder filesScanned = new LongAdder();
    final LongAdder filesCopied = new LongAdder();
    final LongAdder filesDeleted = new LongAdder();
    final LongAdder filesUnchanged = new LongAdder();
    final LongAdder filesRepaired = new LongAdder();
    final LongAdder attributesUpdated = new LongAdder();
    final LongAdder directoriesCreated = new LongAdder();
    /** Directories whose mode or mtime was set (new, changed, or with entries added or removed). */
    final LongAdder directoriesUpdated = new LongAdder();
    final LongAdder bytesCopied = new LongAdder();
    /** Bytes read from source or target files, copying and hashing; zero when nothing was opened. */
    final LongAdder bytesRead = new LongAdder();
    final LongAdder filesOpened = new LongAdder();
    /** Target directories read with {@code readdir} (the others were vouched for by the manifest and their mtime). */
    final LongAdder targetDirectoriesListed = new LongAdder();

    private final AtomicInteger errors = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failedPaths = new ConcurrentLinkedQueue<>();

    /** Records a per-file failure; the run goes on and ends with exit 1. */
    void error(String path, String reason) {
        LOG.warn("Could not mirror {}: {}", path.isEmpty() ? "/" : path, reason);
        if (errors.incrementAndGet() <= KEPT_ERRORS) {
            failedPaths.add(path.isEmpty() ? "/" : path);
        }
    }

    int errors() {
        return errors.get();
    }

    /** The first {@code limit} paths that failed. */
    List<String> failedPaths(int limit) {
        List<String> first = new ArrayList<>();
        for (String path : failedPaths) {
            if (first.size() == limit) {
                break;
            }
            first.add(path);
        }
        return first;
    }
}
