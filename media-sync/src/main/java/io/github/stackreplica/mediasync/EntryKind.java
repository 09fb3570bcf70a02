package io.github.stackreplica.mediasync;

/** The kinds of entry media-sync mirrors; anything else (sockets, devices, FIFOs) is skipped with a warning. */
public enum EntryKind {
    FILE, DIRECTORY, SYMLINK, OTHER;

    /** The kind encoded in a {@code st_mode}. */
    public static EntryKind ofMode(int mode) {
        return switch (mode & 0170000) {
            case 0100000 -> FILE;
            case 0040000 -> DIRECTORY;
            case 0120000 -> SYMLINK;
            default -> OTHER;
        };
    }
}
