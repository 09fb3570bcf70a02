package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;

/** Sets a target entry's mode, owner and modification time from its source entry. */
final class Attributes {

    private Attributes() {
    }

    /**
     * Applies mode, then owner (when {@code uid >= 0}, i.e. running as root), then mtime: chown may clear setuid bits,
     * so the mode is set again after it. Symlinks get only their owner and, where the platform allows, their mtime.
     */
    static void apply(Path path, SourceEntry entry) throws IOException {
        boolean link = entry.kind() == EntryKind.SYMLINK;
        if (!link) {
            Files.setAttribute(path, "unix:mode", entry.mode(), LinkOption.NOFOLLOW_LINKS);
        }
        if (entry.uid() >= 0) {
            Files.setAttribute(path, "unix:uid", entry.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", entry.gid(), LinkOption.NOFOLLOW_LINKS);
            if (!link && (entry.mode() & 06000) != 0) {
                Files.setAttribute(path, "unix:mode", entry.mode(), LinkOption.NOFOLLOW_LINKS);
            }
        }
        try {
            setMtime(path, entry);
        } catch (IOException | UnsupportedOperationException e) {
            if (!link) {
                throw e;
            }
            // A symlink's own mtime cannot be set on every platform; its target text is what matters.
        }
    }

    /** Sets only the modification time (of the entry itself, links not followed). */
    static void setMtime(Path path, SourceEntry entry) throws IOException {
        Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(entry.mtime(), null, null);
    }
}
