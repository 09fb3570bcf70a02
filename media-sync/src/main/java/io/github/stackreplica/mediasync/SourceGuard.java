package io.github.stackreplica.mediasync;

import io.github.stackreplica.common.cli.StepException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The refusals checked before anything is touched, against a mis-mounted or half-mounted NFS share: a missing or
 * non-directory source, an empty source over a non-empty target, and source and target nested in each other.
 */
final class SourceGuard {

    private SourceGuard() {
    }

    /** @throws StepException exit 3 naming what is wrong and what to check */
    static void check(MediaSyncConfig config) throws IOException {
        Path source = config.source();
        if (!Files.exists(source)) {
            throw StepException.refused("Refusing to sync: source " + source + " does not exist; check that the"
                    + " media share is mounted");
        }
        if (!Files.isDirectory(source)) {
            throw StepException.refused("Refusing to sync: source " + source + " is not a directory");
        }
        if (Files.exists(config.target()) && !Files.isDirectory(config.target())) {
            throw StepException.refused("Refusing to sync: target " + config.target() + " is not a directory");
        }
        Path realSource = source.toRealPath();
        Path realTarget = realPathOfPossiblyMissing(config.target());
        if (realTarget.startsWith(realSource) || realSource.startsWith(realTarget)) {
            throw StepException.refused("Refusing to sync: source " + realSource + " and target " + realTarget
                    + " are the same directory or one is inside the other");
        }
        Excludes excludes = new Excludes(config.excludes());
        if (Files.isDirectory(config.target()) && !hasMirroredEntries(source, excludes)
                && hasMirroredEntries(config.target(), excludes)) {
            throw StepException.refused("Refusing to sync: source " + source + " is empty but target "
                    + config.target() + " is not; a half-mounted share would wipe the target. Check the mount, or"
                    + " empty the target by hand if the source really is empty");
        }
    }

    /** The real path of {@code path}, resolving the nearest existing ancestor when it does not exist yet. */
    private static Path realPathOfPossiblyMissing(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        return existing.toRealPath().resolve(existing.relativize(absolute));
    }

    private static boolean hasMirroredEntries(Path root, Excludes excludes) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean directory = Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
                if (!name.equals(TreePlanner.STATE) && !excludes.excludes(name, directory)) {
                    return true;
                }
            }
        }
        return false;
    }
}
