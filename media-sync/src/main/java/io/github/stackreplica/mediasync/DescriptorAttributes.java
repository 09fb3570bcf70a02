package io.github.stackreplica.mediasync;

import static io.github.stackreplica.mediasync.DirectoryReader.accessible;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;

/**
 * Sets a file's owner, mode and mtime through the descriptor it is being written with: {@code fchown},
 * {@code fchmod}, {@code futimens}, three system calls without a path. The path-based equivalent in the JDK costs
 * seven ({@code lchown} twice, {@code open}+{@code fchmod}+{@code close} for a mode without following links, an
 * {@code lstat} to keep the access time, {@code utimensat}), each walking the path again; for 135,000 new files that
 * was about a sixth of a first copy's system time.
 *
 * <p>The JDK has no public API for a channel's descriptor or these calls: they are reached with reflection, which
 * needs {@code java.base/sun.nio.ch}, {@code java.base/java.io} and {@code java.base/sun.nio.fs} opened (the jar's
 * {@code Add-Opens}, the image's JVM flags). Without that, {@link #apply} returns false and the caller uses
 * {@link Attributes#apply}: same result.
 */
final class DescriptorAttributes {

    private record Calls(Field channelDescriptor, Field descriptorNumber, Method fchown, Method fchmod,
            Method futimens) {
    }

    private static final Calls CALLS = load();

    private DescriptorAttributes() {
    }

    private static Calls load() {
        try {
            Class<?> dispatcher = Class.forName("sun.nio.fs.UnixNativeDispatcher");
            Method supported = accessible(dispatcher.getDeclaredMethod("futimensSupported"));
            if (!(boolean) supported.invoke(null)) {
                return null;
            }
            return new Calls(accessible(Class.forName("sun.nio.ch.FileChannelImpl").getDeclaredField("fd")),
                    accessible(FileDescriptor.class.getDeclaredField("fd")),
                    accessible(dispatcher.getDeclaredMethod("fchown", int.class, int.class, int.class)),
                    accessible(dispatcher.getDeclaredMethod("fchmod", int.class, int.class)),
                    accessible(dispatcher.getDeclaredMethod("futimens", int.class, long.class, long.class)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // not opened to us, or not this JDK's internals
        }
    }

    static boolean available() {
        return CALLS != null;
    }

    /**
     * Gives the regular file open as {@code channel} the entry's owner (when {@code uid >= 0}, i.e. running as root),
     * then its mode (after the owner: chown clears setuid bits), then its mtime (access time the same). False when
     * descriptors cannot be used here; nothing was changed then.
     */
    static boolean apply(FileChannel channel, SourceEntry entry) throws IOException {
        if (CALLS == null) {
            return false;
        }
        Object descriptor;
        int fd;
        try {
            descriptor = CALLS.channelDescriptor().get(channel);
            fd = CALLS.descriptorNumber().getInt(descriptor);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            return false; // not the JDK's file channel
        }
        try {
            if (entry.uid() >= 0) {
                CALLS.fchown().invoke(null, fd, entry.uid(), entry.gid());
            }
            CALLS.fchmod().invoke(null, fd, entry.mode());
            CALLS.futimens().invoke(null, fd, entry.mtimeNanos(), entry.mtimeNanos());
            return true;
        } catch (InvocationTargetException e) {
            throw new IOException("cannot set owner, mode or mtime: " + e.getCause().getMessage(), e.getCause());
        } catch (IllegalAccessException e) {
            return false;
        }
    }
}
