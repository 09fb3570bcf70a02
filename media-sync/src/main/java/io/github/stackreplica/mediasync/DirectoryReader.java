package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists a directory and reads every entry's {@code lstat} attributes, the walk's inner loop (135,000 entries per run).
 * Three ways, the first that works here:
 *
 * <p>{@link NativeDirectories}: media-sync's own JNI library lists the directory and stats every entry in one call.
 *
 * <p>The JDK's own native calls, reached through reflection on {@code sun.nio.fs} (opened to us by
 * {@code Add-Opens: java.base/sun.nio.fs} in the jar's manifest and {@code --add-opens} in the image's JVM flags):
 * {@code open} + {@code fdopendir} + {@code readdir}, and one {@code fstatat} per entry relative to the open directory
 * into one reused attribute object. Per entry that allocates the name and nothing else; the public API allocates two
 * full paths, a file name path, an attribute view and an attribute object per entry (about 0.6 KB), which on this
 * project's VMs cost more in first-touch page faults and young collections than the system calls themselves.
 *
 * <p>Portable, when neither is reachable (another platform, package not opened, another JDK's internals): a
 * {@link DirectoryStream} and a full-path {@code lstat} per entry. All three give the same results;
 * {@code DirectoryReaderTest} checks that and that the tests run the first.
 */
final class DirectoryReader {

    /** Receives a directory's entries, on the thread that reads it. */
    interface Sink {
        /**
         * One entry, links not followed. {@code name} holds the name as the directory stores it ({@link #decode}
         * gives its text; most entries of a re-sync are settled without one); {@code mode} is the whole
         * {@code st_mode} (type and permission bits).
         */
        void entry(byte[] name, int mode, long size, long mtimeNanos, int uid, int gid);

        /** An entry whose attributes could not be read (it is still there: not an entry that vanished). */
        void unreadable(byte[] name, IOException error);
    }

    /** How file names are encoded on disk: the JDK's own choice ({@code sun.jnu.encoding}), UTF-8 in the image. */
    private static final Charset NAMES = namesCharset();

    /** The JDK's native calls, looked up on first use: not at all when {@link NativeDirectories} is used. */
    private static final class Jdk {
        static final Native NATIVE = Native.load();
    }

    private DirectoryReader() {
    }

    private static Charset namesCharset() {
        String encoding = System.getProperty("sun.jnu.encoding");
        return encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding) : Charset.defaultCharset();
    }

    /** The text of a name as a {@link Sink} receives it. */
    static String decode(byte[] name) {
        return new String(name, NAMES);
    }

    /** A name's UTF-8 bytes (the manifest's encoding), given its bytes as a {@link Sink} receives them. */
    static byte[] utf8(byte[] name) {
        return NAMES == StandardCharsets.UTF_8 ? name : decode(name).getBytes(StandardCharsets.UTF_8);
    }

    /** Which way directories are read here, and why not a faster one, for the log. */
    static String description() {
        if (NativeDirectories.available()) {
            return "media-sync's native library";
        }
        return (fast() ? "the JDK's native calls" : "the JDK's public API (package sun.nio.fs not opened)")
                + "; the native library is not used: " + NativeDirectories.problem();
    }

    /** True when the JDK's native calls are reachable (the second way). */
    static boolean fast() {
        return Jdk.NATIVE != null;
    }

    /**
     * Reads every entry of {@code directory} into {@code sink}; entries that vanish between the listing and their
     * {@code lstat} are left out. Throws when the directory itself cannot be listed ({@link NoSuchFileException},
     * {@link NotDirectoryException}, ...).
     */
    static void read(Path directory, Sink sink) throws IOException {
        if (nativeFor(directory) && NativeDirectories.read(directory, bytes(directory), sink, true)) {
            return;
        }
        if (fastFor(directory)) {
            Jdk.NATIVE.read(directory, sink, true);
        } else {
            readPortably(directory, sink);
        }
    }

    /** Reads {@code directory} as {@link #read} does, through the JDK's native calls (for tests). */
    static void readWithJdkCalls(Path directory, Sink sink) throws IOException {
        Jdk.NATIVE.read(directory, sink, true);
    }

    /** The names in {@code directory}, without reading their attributes. */
    static Set<String> names(Path directory) throws IOException {
        List<byte[]> listing = listing(directory);
        Set<String> names = new HashSet<>(Math.max(16, listing.size() * 4 / 3 + 1));
        for (byte[] name : listing) {
            names.add(decode(name));
        }
        return names;
    }

    /** The names in {@code directory} as a {@link Sink} receives them, without reading their attributes. */
    static List<byte[]> listing(Path directory) throws IOException {
        List<byte[]> names = new ArrayList<>();
        Sink collect = new Sink() {
            @Override
            public void entry(byte[] name, int mode, long size, long mtimeNanos, int uid, int gid) {
                names.add(name);
            }

            @Override
            public void unreadable(byte[] name, IOException error) {
                names.add(name);
            }
        };
        if (nativeFor(directory) && NativeDirectories.read(directory, bytes(directory), collect, false)) {
            return names;
        }
        if (fastFor(directory)) {
            Jdk.NATIVE.read(directory, collect, false);
            return names;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path entry : stream) {
                names.add(entry.getFileName().toString().getBytes(NAMES));
            }
        } catch (java.nio.file.DirectoryIteratorException e) {
            throw e.getCause();
        }
        return names;
    }

    /** True when the native library ({@link NativeDirectories}) can read {@code directory}. */
    private static boolean nativeFor(Path directory) {
        return NativeDirectories.available() && directory.getFileSystem() == FileSystems.getDefault();
    }

    /** A path's bytes as the system calls take them. */
    private static byte[] bytes(Path directory) {
        return directory.toString().getBytes(NAMES);
    }

    /** True when the native calls can read {@code directory} (a path of the default file system). */
    private static boolean fastFor(Path directory) {
        return Jdk.NATIVE != null && directory.getFileSystem() == FileSystems.getDefault();
    }

    static void readPortably(Path directory, Sink sink) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path child : stream) {
                byte[] name = child.getFileName().toString().getBytes(NAMES);
                try {
                    SourceEntry.Stat stat = SourceEntry.Stat.of(child);
                    sink.entry(name, stat.mode(), stat.size(), stat.mtimeNanos(), stat.uid(), stat.gid());
                } catch (NoSuchFileException e) {
                    // vanished since the listing
                } catch (IOException e) {
                    sink.unreadable(name, e);
                }
            }
        } catch (java.nio.file.DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    /** {@code member}, made accessible: for the JDK internals this class and {@link DescriptorAttributes} use. */
    static <T extends AccessibleObject> T accessible(T member) {
        member.setAccessible(true);
        return member;
    }

    /**
     * The JDK's native directory and stat calls ({@code sun.nio.fs.UnixNativeDispatcher}) through core reflection:
     * unlike method handles, which would need type adaptations because the attribute class cannot be named here, it
     * costs about 2 ms at start-up instead of about 30 (the per-entry calls pass preallocated argument arrays and
     * read fields through {@link Field}, so they allocate nothing either).
     */
    private record Native(Method open, Method close, Method fdopendir, Method readdir, Method closedir, Method fstatat,
            Constructor<?> newAttributes, Field mode, Field size, Field uid, Field gid, Field mtimeSeconds,
            Field mtimeNanos, Method errno, Integer noFollow, int enoent) {

        static Native load() {
            try {
                Class<?> dispatcher = Class.forName("sun.nio.fs.UnixNativeDispatcher");
                Class<?> attributes = Class.forName("sun.nio.fs.UnixFileAttributes");
                Class<?> constants = Class.forName("sun.nio.fs.UnixConstants");
                Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
                return new Native(
                        accessible(dispatcher.getDeclaredMethod("open", unixPath, int.class, int.class)),
                        accessible(dispatcher.getDeclaredMethod("close", int.class)),
                        accessible(dispatcher.getDeclaredMethod("fdopendir", int.class)),
                        accessible(dispatcher.getDeclaredMethod("readdir", long.class)),
                        accessible(dispatcher.getDeclaredMethod("closedir", long.class)),
                        accessible(dispatcher.getDeclaredMethod("fstatat", int.class, byte[].class, int.class,
                                attributes)),
                        accessible(attributes.getDeclaredConstructor()),
                        accessible(attributes.getDeclaredField("st_mode")),
                        accessible(attributes.getDeclaredField("st_size")),
                        accessible(attributes.getDeclaredField("st_uid")),
                        accessible(attributes.getDeclaredField("st_gid")),
                        accessible(attributes.getDeclaredField("st_mtime_sec")),
                        accessible(attributes.getDeclaredField("st_mtime_nsec")),
                        accessible(Class.forName("sun.nio.fs.UnixException").getDeclaredMethod("errno")),
                        accessible(constants.getDeclaredField("AT_SYMLINK_NOFOLLOW")).getInt(null),
                        accessible(constants.getDeclaredField("ENOENT")).getInt(null));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // not opened to us, or not this JDK's internals: the portable path
            }
        }

        /** Lists {@code directory}; with {@code stat} false, reports names only (every mode 0). */
        void read(Path directory, Sink sink, boolean stat) throws IOException {
            Object fd = call(open, directory, new Object[] {directory, 0, 0});
            Object stream;
            try {
                stream = call(fdopendir, directory, new Object[] {fd});
            } catch (IOException e) {
                closeQuietly(fd);
                throw e;
            }
            try {
                Object attributes = stat ? newAttributes.newInstance() : null;
                Object[] next = {stream};
                Object[] statArguments = {fd, null, noFollow, attributes};
                byte[] name;
                while ((name = (byte[]) call(readdir, directory, next)) != null) {
                    if (name[0] == '.' && (name.length == 1 || name.length == 2 && name[1] == '.')) {
                        continue;
                    }
                    if (!stat) {
                        sink.entry(name, 0, 0, 0, 0, 0);
                        continue;
                    }
                    statArguments[1] = name;
                    try {
                        fstatat.invoke(null, statArguments);
                    } catch (InvocationTargetException e) {
                        if (errno(e.getCause()) != enoent) {
                            sink.unreadable(name, failure(e, directory.resolve(decode(name))));
                        }
                        continue; // else vanished since the listing
                    }
                    sink.entry(name, mode.getInt(attributes), size.getLong(attributes),
                            mtimeSeconds.getLong(attributes) * 1_000_000_000L + mtimeNanos.getLong(attributes),
                            uid.getInt(attributes), gid.getInt(attributes));
                }
            } catch (ReflectiveOperationException e) {
                throw failure(e, directory);
            } finally {
                try {
                    closedir.invoke(null, stream);
                } catch (ReflectiveOperationException e) {
                    // closing a directory stream fails only on a bad descriptor; nothing to do about it
                }
            }
        }

        private Object call(Method method, Path path, Object[] arguments) throws IOException {
            try {
                return method.invoke(null, arguments);
            } catch (ReflectiveOperationException e) {
                throw failure(e, path);
            }
        }

        private int errno(Throwable unixException) {
            try {
                return (int) errno.invoke(unixException);
            } catch (ReflectiveOperationException | IllegalArgumentException notUnix) {
                return -1;
            }
        }

        /**
         * The IOException for a native call's failure (a {@code UnixException} inside the reflection's wrapper), typed
         * as the JDK types it: no such file, not a directory, else the system's message. Unchecked throwables thrown
         * by the call are rethrown as they are.
         */
        private IOException failure(ReflectiveOperationException e, Path path) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            int code = errno(cause);
            if (code == enoent) {
                return new NoSuchFileException(path.toString());
            }
            if (code == 20) { // ENOTDIR on every Linux architecture
                return new NotDirectoryException(path.toString());
            }
            return new java.nio.file.FileSystemException(path.toString(), null, cause.getMessage());
        }

        private void closeQuietly(Object fd) {
            try {
                close.invoke(null, fd);
            } catch (ReflectiveOperationException e) {
                // nothing to do
            }
        }
    }
}
