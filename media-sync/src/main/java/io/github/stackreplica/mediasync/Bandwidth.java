package io.github.stackreplica.mediasync;

/** A limit on the bytes per second copied by all threads together ({@code --bwlimit}); 0 means none. */
final class Bandwidth {

    private final long bytesPerSecond;
    private final long start = System.nanoTime();
    private long bytes;

    Bandwidth(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    boolean limited() {
        return bytesPerSecond > 0;
    }

    /** Accounts for {@code count} bytes and sleeps until the average rate is back under the limit. */
    void take(long count) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long due;
        synchronized (this) {
            bytes += count;
            due = start + (long) (bytes * 1e9 / bytesPerSecond);
        }
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
