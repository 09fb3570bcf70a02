package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's id of the current boot, different after every restart of the machine (and on every other machine).
 * Files are not synced to disk as they are copied (like rsync), so after a power cut a file may be back to its state
 * before the copy, or empty, under a name the manifest vouches for. A manifest written under another boot is therefore
 * not trusted alone: the run compares each target file's own size and mtime with it once (as rsync always does).
 */
final class BootId {

    private static final Path SOURCE = Path.of("/proc/sys/kernel/random/boot_id");

    private BootId() {
    }

    /** This boot's id, or the empty string where the kernel does not tell (then no manifest is trusted alone). */
    static String current() {
        try {
            return Files.readString(SOURCE).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
