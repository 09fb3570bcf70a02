package io.github.stackreplica.dbrestore;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Cuts the data of one COPY block, as the dump hands it over, into chunks of about {@link #SIZE} bytes that end on row
 * boundaries, so that each can go to a different connection. In COPY text format a raw newline ends a row (newlines
 * inside values are written as {@code \n}).
 */
final class CopyChunks implements DumpInput.CopySink {

    static final int SIZE = 1 << 20;

    private final Supplier<byte[]> buffers;
    private final Consumer<CopyChunk> receiver;
    private final CopyPipe.FailureCheck failureCheck;
    private byte[] buffer;
    private int used;
    private CopyPipe tail;
    private boolean handedOn;

    /**
     * @param buffers      hands out arrays of {@link #SIZE} bytes (possibly recycled)
     * @param receiver     takes each chunk (may block while enough are waiting)
     * @param failureCheck stops a wait for the loader of a long row when loading has failed
     */
    CopyChunks(Supplier<byte[]> buffers, Consumer<CopyChunk> receiver, CopyPipe.FailureCheck failureCheck) {
        this.buffers = buffers;
        this.receiver = receiver;
        this.failureCheck = failureCheck;
        this.buffer = buffers.get();
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (tail != null) {
                int newline = indexOfNewline(bytes, offset, offset + length);
                int n = newline < 0 ? length : newline + 1 - offset;
                tail.write(bytes, offset, n);
                offset += n;
                length -= n;
                if (newline >= 0) {
                    tail.close();
                    tail = null;
                }
                continue;
            }
            int n = Math.min(length, buffer.length - used);
            System.arraycopy(bytes, offset, buffer, used, n);
            used += n;
            offset += n;
            length -= n;
            if (used == buffer.length) {
                handOnFull();
            }
        }
    }

    /**
     * The data is complete (it always ends with a newline). A block without rows still yields one empty chunk, so that
     * its COPY runs and an error in it (a missing table or column) is reported as psql would.
     */
    void close() {
        if (used > 0 || !handedOn) {
            hand(new CopyChunk(buffer, used, null));
        }
        if (tail != null) {
            tail.close();
        }
        buffer = null;
    }

    private void handOnFull() {
        int end = lastIndexOfNewline(buffer, used) + 1;
        if (end == 0) {
            tail = new CopyPipe(4, failureCheck);
            hand(new CopyChunk(buffer, used, tail));
            buffer = buffers.get();
            used = 0;
            return;
        }
        byte[] next = buffers.get();
        int rest = used - end;
        System.arraycopy(buffer, end, next, 0, rest);
        hand(new CopyChunk(buffer, end, null));
        buffer = next;
        used = rest;
    }

    private void hand(CopyChunk chunk) {
        handedOn = true;
        receiver.accept(chunk);
    }

    private static int indexOfNewline(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOfNewline(byte[] bytes, int to) {
        for (int i = to - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
