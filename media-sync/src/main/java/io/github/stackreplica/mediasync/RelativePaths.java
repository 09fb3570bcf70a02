package io.github.stackreplica.mediasync;

/**
 * Paths relative to the source and target roots, slash-separated, the root itself being the empty path: how the walk,
 * the manifests and the applier join and split them.
 */
final class RelativePaths {

    private RelativePaths() {
    }

    /** The path of {@code name} inside {@code directory}. */
    static String child(String directory, String name) {
        return directory.isEmpty() ? name : directory + "/" + name;
    }

    /** The directory holding {@code path} (the empty path for an entry at the root). */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The last name of {@code path}. */
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
