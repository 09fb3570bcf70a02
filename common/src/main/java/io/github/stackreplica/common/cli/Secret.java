package io.github.stackreplica.common.cli;

import java.util.Map;
import java.util.Objects;

/** A credential read from the environment only; it never prints itself. */
public final class Secret {

    private static final Secret ABSENT = new Secret(null);

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** The secret in environment variable {@code name}, or an absent secret when it is unset or empty. */
    public static Secret fromEnv(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? ABSENT : new Secret(value);
    }

    /** A secret held in code, for tests and for credentials generated at run time. */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"));
    }

    public boolean isPresent() {
        return value != null;
    }

    /** The clear text, or null when absent. Call it only where the value is handed to the system that needs it. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return isPresent() ? "****" : "(unset)";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && Objects.equals(value, secret.value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }
}
