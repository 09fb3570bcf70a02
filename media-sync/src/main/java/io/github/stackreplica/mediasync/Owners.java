package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may give files their source's owner and group (only root may). */
final class Owners {

    private Owners() {
    }

    /** True when the effective user is root: {@code /proc/self} belongs to the process's effective user. */
    static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
