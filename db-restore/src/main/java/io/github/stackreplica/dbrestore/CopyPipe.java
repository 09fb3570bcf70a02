package io.github.stackreplica.dbrestore;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands the rest of a COPY row longer than a {@link CopyChunk} from the reader of the dump to the worker loading that
 * row, in pieces of about 1 MiB, holding at most {@code capacity} pieces so that memory stays bounded whatever the
 * row's size.
 */
final class CopyPipe {

    /** Tells the writer to stop waiting: the loading side failed. */
    @FunctionalInterface
    interface FailureCheck {
        void throwIfFailed();
    }

    private static final byte[] END = new byte[0];
    private static final int CHUNK = 1 << 20;

    private final BlockingQueue<byte[]> chunks;
    private final FailureCheck failureCheck;
    private byte[] chunk = new byte[CHUNK];
    private int used;

    CopyPipe(int capacity, FailureCheck failureCheck) {
        this.chunks = new ArrayBlockingQueue<>(capacity);
        this.failureCheck = failureCheck;
    }

    /** Reader side: adds bytes (copied; the caller may reuse its array). */
    void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            int n = Math.min(length, chunk.length - used);
            System.arraycopy(bytes, offset, chunk, used, n);
            used += n;
            offset += n;
            length -= n;
            if (used == chunk.length) {
                flush();
            }
        }
    }

    /** Reader side: the data is complete. */
    void close() {
        flush();
        put(END);
    }

    /** Loader side: the next chunk, or null at the end of the data. */
    byte[] take() throws InterruptedException {
        byte[] next = chunks.take();
        return next == END ? null : next;
    }

    /** Loader side, after a failure: drops what is queued so the reader is not left waiting. */
    void discard() {
        chunks.clear();
    }

    private void flush() {
        if (used > 0) {
            put(used == chunk.length ? chunk : Arrays.copyOf(chunk, used));
            chunk = new byte[CHUNK];
            used = 0;
        }
    }

    private void put(byte[] bytes) {
        try {
            while (!chunks.offer(bytes, 100, TimeUnit.MILLISECONDS)) {
                failureCheck.throwIfFailed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while handing on COPY data", e);
        }
    }
}
