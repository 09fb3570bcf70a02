package io.github.stackreplica.deploy;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Which part of the stack a run deploys: infra (volumes, secrets, database, redis, pgbouncer, services, ingress), app, or both. */
public enum Component {
    INFRA, APP, ALL;

    /** The template components this choice covers: {@code all} is infra then app. */
    public Set<Component> covers() {
        return this == ALL ? EnumSet.of(INFRA, APP) : EnumSet.of(this);
    }

    /**
     * Parses {@code infra}, {@code app} or {@code all}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Component parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "infra" -> INFRA;
            case "app" -> APP;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("expected infra, app or all");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
