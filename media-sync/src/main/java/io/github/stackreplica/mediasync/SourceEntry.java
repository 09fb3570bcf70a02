package io.github.stackreplica.mediasync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One entry as {@code lstat} saw it (links not followed).
 *
 * @param path       slash-separated path relative to its root; empty for the root itself
 * @param mode       the permission bits including setuid, setgid and sticky ({@code st_mode & 07777})
 * @param linkTarget the link's text for a symlink, else null
 */
public record SourceEntry(String path, EntryKind kind, long size, long mtimeNanos, int mode, int uid, int gid,
        String linkTarget) {

    /** One {@code lstat} by full path: the whole {@code st_mode} (type and permission bits), size, mtime, owner. */
    record Stat(int mode, long size, long mtimeNanos, int uid, int gid) {

        /** The attributes read in one {@code lstat}; asking for names avoids a user-name lookup per file. */
        private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime";

        /** Reads {@code file} without following links. */
        static Stat of(Path file) throws IOException {
            Map<String, Object> attributes = Files.readAttributes(file, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            return new Stat((Integer) attributes.get("mode"), (Long) attributes.get("size"),
                    ((FileTime) attributes.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
                    (Integer) attributes.get("uid"), (Integer) attributes.get("gid"));
        }
    }

    /** Reads {@code file} without following links; {@code path} is the name it is reported under. */
    public static SourceEntry read(Path file, String path) throws IOException {
        Stat stat = Stat.of(file);
        EntryKind kind = EntryKind.ofMode(stat.mode());
        String link = kind == EntryKind.SYMLINK ? Files.readSymbolicLink(file).toString() : null;
        return new SourceEntry(path, kind, stat.size(), stat.mtimeNanos(), stat.mode() & 07777, stat.uid(),
                stat.gid(), link);
    }

    public FileTime mtime() {
        return FileTime.from(mtimeNanos, TimeUnit.NANOSECONDS);
    }

    /** The name within its directory. */
    public String name() {
        return RelativePaths.name(path);
    }
}
