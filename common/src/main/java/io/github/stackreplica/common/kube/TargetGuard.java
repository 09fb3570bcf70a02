package io.github.stackreplica.common.kube;

import io.github.stackreplica.common.cli.StepException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses any write into a protected namespace. The patterns come from {@code PROTECTED_NAMESPACES} (comma-separated
 * globs), default {@value #DEFAULT_PATTERNS}; there is deliberately no per-run flag to bypass it.
 */
public final class TargetGuard {

    public static final String ENV = "PROTECTED_NAMESPACES";
    public static final String DEFAULT_PATTERNS = "*production*,kube-*,default";

    private final List<String> patterns;

    private TargetGuard(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** The guard for {@code PROTECTED_NAMESPACES}; unset or blank means the default list. */
    public static TargetGuard fromEnv(Map<String, String> env) {
        String value = env.get(ENV);
        return of(value == null || value.isBlank() ? DEFAULT_PATTERNS : value);
    }

    /** A guard for the given comma-separated glob patterns. */
    public static TargetGuard of(String commaSeparatedGlobs) {
        return new TargetGuard(Arrays.stream(commaSeparatedGlobs.split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).toList());
    }

    public List<String> patterns() {
        return patterns;
    }

    /** The first pattern {@code namespace} matches, if any. */
    public Optional<String> matchingPattern(String namespace) {
        return patterns.stream().filter(pattern -> matches(pattern, namespace)).findFirst();
    }

    /**
     * Checks the namespace before the first write.
     *
     * @throws StepException exit 3 when the namespace is protected
     */
    public void check(String namespace) {
        Optional<String> pattern = matchingPattern(namespace);
        if (pattern.isPresent()) {
            throw StepException.refused("Refusing to write to namespace '" + namespace + "': it matches protected pattern '"
                    + pattern.get() + "' (" + ENV + "=" + String.join(",", patterns) + "). Aim at a staging or developer "
                    + "namespace; to change what is protected, edit " + ENV + " in the step's manifest.");
        }
    }

    private static boolean matches(String glob, String namespace) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        return matcher.matches(Path.of(namespace));
    }
}
