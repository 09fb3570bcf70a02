package io.github.stackreplica.mediasync;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * The {@code --exclude} globs, read as rsync reads them: a trailing {@code /} matches directories only, a pattern
 * without {@code /} matches a name at any depth, any other pattern matches the path from the root.
 */
public final class Excludes {

    private record Rule(PathMatcher matcher, boolean directoriesOnly, boolean wholePath) {
    }

    private final List<Rule> rules;
    private final boolean anyForFiles;

    public Excludes(List<String> globs) {
        this.rules = globs.stream().map(Excludes::rule).toList();
        this.anyForFiles = rules.stream().anyMatch(rule -> !rule.directoriesOnly());
    }

    private static Rule rule(String glob) {
        boolean directoriesOnly = glob.endsWith("/");
        String pattern = directoriesOnly ? glob.substring(0, glob.length() - 1) : glob;
        boolean wholePath = pattern.contains("/");
        if (pattern.startsWith("/")) {
            pattern = pattern.substring(1);
        }
        return new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), directoriesOnly, wholePath);
    }

    /** True when some rule can exclude a file (not only directories). */
    public boolean mayExcludeFiles() {
        return anyForFiles;
    }

    /** True when the entry at {@code path} (relative, slash-separated) is excluded. */
    public boolean excludes(String path, boolean directory) {
        if (rules.isEmpty() || path.isEmpty() || !(directory || anyForFiles)) {
            return false;
        }
        Path relative = Path.of(path);
        Path name = relative.getFileName();
        for (Rule rule : rules) {
            if ((directory || !rule.directoriesOnly()) && rule.matcher().matches(rule.wholePath() ? relative : name)) {
                return true;
            }
        }
        return false;
    }
}
