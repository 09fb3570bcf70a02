package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The walk's native directory reader ({@code src/main/c/directories.c}, built into the jar for the build machine's
 * platform): one call per directory lists it and reads every entry's {@code lstat}, handing the results back in three
 * arrays read with plain array loads, instead of a reflective JDK call, a name copy and thirteen JNI field writes per
 * entry. Used when the library loads (Linux on the platform it was built for); {@link DirectoryReader} falls back to
 * the JDK's calls otherwise.
 */
final class NativeDirectories {

    private static final String LIBRARY = "/native/linux-" + System.getProperty("os.arch") + "/libmediasync.so";
    /** Entries a thread's arrays hold at first, with 64 bytes of name each. */
    private static final int FIRST_ENTRIES = 1024;
    /** Arrays up to this many entries are kept for the thread's next directory; larger ones serve one call. */
    private static final int KEPT_ENTRIES = 16 * 1024;
    /**
     * A directory with more entries than this is read through the JDK's calls instead, which hand them over one by
     * one: a huge flat directory must not hold arrays of tens of megabytes per thread in a 256 MB heap.
     */
    private static final int MOST_ENTRIES = 128 * 1024;
    private static final int READ = 0;
    private static final int UNREADABLE = 1;

    private static final String PROBLEM = load();
    private static final ThreadLocal<Results> RESULTS = ThreadLocal.withInitial(() -> new Results(FIRST_ENTRIES));

    /** One thread's arrays for the results of {@link #read(byte[], byte[], int[], long[], boolean)}. */
    private record Results(byte[] names, int[] ints, long[] longs) {
        Results(int entries, int nameBytes) {
            this(new byte[nameBytes], new int[entries * 5], new long[entries * 2]);
        }

        Results(int entries) {
            this(entries, entries * 64);
        }
    }

    private NativeDirectories() {
    }

    /** Lists the directory at {@code path} (its bytes, not NUL-terminated) into the arrays; see directories.c. */
    private static native int read(byte[] path, byte[] names, int[] ints, long[] longs, boolean stat);

    /** True when the library is loaded. */
    static boolean available() {
        return PROBLEM == null;
    }

    /** Why the library is not used here, or null when it is. */
    static String problem() {
        return PROBLEM;
    }

    private static String load() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return "not Linux";
        }
        URL library = NativeDirectories.class.getResource(LIBRARY);
        if (library == null) {
            return "no " + LIBRARY + " in the jar (built on another platform)";
        }
        try {
            if ("file".equals(library.getProtocol())) {
                System.load(Path.of(library.toURI()).toString()); // the image: classes and resources as files
            } else {
                // Inside a jar: loaded from a copy, removed right away (the loaded library stays mapped). Named
                // here rather than by Files.createTempFile, whose SecureRandom costs 10 ms of start-up; the copy
                // creates it exclusively, and fails (falling back to the JDK's calls) if the name is taken.
                Path copy = Path.of(System.getProperty("java.io.tmpdir"), "media-sync-"
                        + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()) + ".so");
                try (InputStream in = library.openStream()) {
                    Files.copy(in, copy);
                    System.load(copy.toString());
                } finally {
                    Files.deleteIfExists(copy);
                }
            }
            return null;
        } catch (IOException | java.net.URISyntaxException | LinkageError | SecurityException e) {
            return "cannot load " + LIBRARY + ": " + e;
        }
    }

    /**
     * Reads {@code directory}'s entries into {@code sink} (with {@code stat} false, names only, every mode 0); false
     * when it has more entries than the arrays may grow to (nothing was reported then: read it another way). Throws
     * as the JDK does when the directory itself cannot be read.
     */
    static boolean read(Path directory, byte[] path, DirectoryReader.Sink sink, boolean stat) throws IOException {
        return read(directory, path, sink, stat, MOST_ENTRIES);
    }

    /** {@link #read(Path, byte[], DirectoryReader.Sink, boolean)}, growing the arrays to at most {@code mostEntries}. */
    static boolean read(Path directory, byte[] path, DirectoryReader.Sink sink, boolean stat, int mostEntries)
            throws IOException {
        Results results = RESULTS.get();
        int count;
        while ((count = read(path, results.names(), results.ints(), results.longs(), stat)) == -1) {
            // The directory needs more room (ints[0] entries, ints[1] bytes of names; a little more in case it grows).
            int entries = results.ints()[0] + results.ints()[0] / 8 + 16;
            if (entries > mostEntries) {
                return false;
            }
            results = new Results(entries, Math.max(entries * 64, results.ints()[1] + results.ints()[1] / 8 + 1024));
            if (entries <= KEPT_ENTRIES) {
                RESULTS.set(results);
            }
        }
        byte[] names = results.names();
        int[] ints = results.ints();
        long[] longs = results.longs();
        if (count < 0) {
            throw failure(directory, ints[0], new String(names, 0, ints[1], StandardCharsets.UTF_8));
        }
        int start = 0;
        for (int i = 0; i < count; i++) {
            int end = ints[5 * i];
            byte[] name = Arrays.copyOfRange(names, start, end);
            int status = ints[5 * i + 1];
            if (status == READ) {
                sink.entry(name, ints[5 * i + 2], longs[2 * i], longs[2 * i + 1], ints[5 * i + 3], ints[5 * i + 4]);
                start = end;
            } else if (status == UNREADABLE) {
                int textEnd = ints[5 * i + 3];
                String text = new String(names, end, textEnd - end, StandardCharsets.UTF_8);
                sink.unreadable(name, new FileSystemException(
                        directory.resolve(DirectoryReader.decode(name)).toString(), null, text));
                start = textEnd;
            } else {
                sink.entry(name, 0, 0, 0, 0, 0);
                start = end;
            }
        }
        return true;
    }

    /** The exception the JDK throws for {@code errno} on {@code directory}. */
    private static IOException failure(Path directory, int errno, String text) {
        return switch (errno) {
            case 2 -> new NoSuchFileException(directory.toString()); // ENOENT
            case 20 -> new NotDirectoryException(directory.toString()); // ENOTDIR
            default -> new FileSystemException(directory.toString(), null, text);
        };
    }
}
