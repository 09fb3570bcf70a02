package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import net.jpountz.xxhash.StreamingXXHash64;

/**
 * Copies one file or symlink into the target the crash-safe way: content (hashed as it streams) into a temporary file
 * beside the final name, then owner, mode and mtime (through its descriptor where the JDK allows,
 * {@link DescriptorAttributes}), then an atomic rename over the final name. A kill at any moment leaves either the old
 * entry or the new one under the final name, never a partial one; the next run removes the temporary
 * ({@link Temporaries}).
 */
final class FileCopier {

    /** What a thread's buffers start at: media files are mostly 2-30 KB. */
    private static final int FIRST_BUFFER = 64 * 1024;

    /**
     * Per worker thread: a direct buffer (the kernel reads and writes it without a copy through the heap), a heap
     * array to feed the hash, and the streaming hash. The buffers grow to the largest file the thread met, up to the
     * copier's limit: a fresh megabyte costs about 2 ms of page clearing on the project's VMs, and eight threads
     * copying a few small files each (a 1%-changed re-sync) never need it.
     */
    private static final class ThreadState {
        ByteBuffer buffer;
        byte[] array;
        final StreamingXXHash64 hash = ContentHashes.streaming();

        ThreadState(int size) {
            buffer = ByteBuffer.allocateDirect(size);
            array = new byte[size];
        }

        /** Grows the buffers (up to {@code limit}) so that a file of {@code size} bytes fits in one. */
        void fit(long size, int limit) {
            if (size > buffer.capacity() && buffer.capacity() < limit) {
                int capacity = (int) Math.min(limit, Long.highestOneBit(size - 1) << 1);
                buffer = ByteBuffer.allocateDirect(capacity);
                array = new byte[capacity];
            }
        }

        /**
         * The hash of the {@code length} bytes at the buffer's position (left unchanged), computed on a heap copy:
         * with the image's C1-only JIT, XXHash64 runs at ~5 GB/s over an array but ~1 GB/s over a direct buffer.
         */
        long hashWhole(ByteBuffer data, int length) {
            data.get(data.position(), array, 0, length);
            return ContentHashes.of(array, length);
        }
    }

    private final Temporaries temporaries;
    private final SyncStats stats;
    private final Bandwidth bandwidth;
    private final ThreadLocal<ThreadState> state;
    /** The largest buffer a thread uses: a file bigger than this is streamed through it. */
    private final int bufferLimit;

    /** @param temporaries names for the files written beside their final names */
    FileCopier(Temporaries temporaries, SyncStats stats, Bandwidth bandwidth) {
        this.temporaries = temporaries;
        this.stats = stats;
        this.bandwidth = bandwidth;
        this.bufferLimit = bandwidth.limited() ? 64 * 1024 : 1024 * 1024;
        this.state = ThreadLocal.withInitial(() -> new ThreadState(Math.min(FIRST_BUFFER, bufferLimit)));
    }

    /**
     * Copies the regular file {@code source} to {@code target} and returns its manifest entry.
     *
     * @throws SourceChangedException when the file's size changed while it was read
     */
    Manifest.Entry copyFile(SourceEntry entry, Path source, Path target) throws IOException {
        Path temporary = target.resolveSibling(temporaries.next());
        boolean renamed = false;
        try {
            long hash;
            boolean attributesSet;
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                    FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                stats.filesOpened.increment();
                hash = readAll(in, out, entry.size());
                attributesSet = DescriptorAttributes.apply(out, entry);
            }
            if (!attributesSet) {
                Attributes.apply(temporary, entry);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
            stats.bytesCopied.add(entry.size());
            return new Manifest.Entry(EntryKind.FILE, entry.size(), entry.mtimeNanos(), entry.mode(), entry.uid(),
                    entry.gid(), hash, true);
        } finally {
            if (!renamed) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Reads {@code in} to its end, writing what it reads to {@code out} unless that is null, and returns the content
     * hash: of the whole file at once when it fits in the buffer (nearly every media file), else streamed.
     *
     * @param expectedSize the size the file was listed with, checked at the end; negative for no check
     * @throws SourceChangedException when the file's size is not {@code expectedSize}
     */
    private long readAll(FileChannel in, FileChannel out, long expectedSize) throws IOException {
        ThreadState thread = state.get();
        thread.fit(expectedSize >= 0 ? expectedSize : in.size(), bufferLimit);
        ByteBuffer buffer = thread.buffer;
        thread.hash.reset();
        boolean streaming = false;
        long total = 0;
        while (true) {
            buffer.clear();
            boolean end = fill(in, buffer);
            buffer.flip();
            int length = buffer.remaining();
            total += length;
            if (end && !streaming) {
                long hash = thread.hashWhole(buffer, length);
                write(out, buffer);
                checkSize(total, expectedSize);
                return hash;
            }
            streaming = true;
            buffer.get(buffer.position(), thread.array, 0, length);
            thread.hash.update(thread.array, 0, length);
            write(out, buffer);
            if (end) {
                checkSize(total, expectedSize);
                return thread.hash.getValue();
            }
        }
    }

    /** Reads until the buffer is full or the file ends; true at the end of the file. */
    private boolean fill(FileChannel in, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            int read = in.read(buffer);
            if (read < 0) {
                return true;
            }
            stats.bytesRead.add(read);
            throttle(read);
        }
        return false;
    }

    /** Writes the buffer's remaining bytes to {@code out}; nothing when there is no output (hashing only). */
    private static void write(FileChannel out, ByteBuffer buffer) throws IOException {
        while (out != null && buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static void checkSize(long copied, long expectedSize) throws SourceChangedException {
        if (expectedSize >= 0 && copied != expectedSize) {
            throw new SourceChangedException("changed while being copied: " + expectedSize + " bytes when listed, "
                    + copied + " bytes read; the next run copies it again");
        }
    }

    private void throttle(int bytes) throws InterruptedIOException {
        try {
            bandwidth.take(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while throttled by --bwlimit");
        }
    }

    /** Creates or replaces the symlink {@code target} and returns its manifest entry. */
    Manifest.Entry copyLink(SourceEntry entry, Path target) throws IOException {
        Path temporary = target.resolveSibling(temporaries.next());
        boolean renamed = false;
        try {
            Files.createSymbolicLink(temporary, Path.of(entry.linkTarget()));
            Attributes.apply(temporary, entry);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
            return new Manifest.Entry(EntryKind.SYMLINK, entry.size(), entry.mtimeNanos(), entry.mode(), entry.uid(),
                    entry.gid(), TreePlanner.linkHash(entry.linkTarget()), true);
        } finally {
            if (!renamed) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Hashes a file's content without copying it; equal content gives the hash {@link #copyFile} recorded. */
    long hash(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            stats.filesOpened.increment();
            return readAll(in, null, -1);
        }
    }

    /** The size of a source file changed while it was copied; the copy is discarded. */
    static final class SourceChangedException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceChangedException(String message) {
            super(message);
        }
    }
}
