package io.github.stackreplica.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.UsageException;
import io.github.stackreplica.common.kube.TargetGuard;
import io.github.stackreplica.shutdown.Target.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackShutdownConfigTest {

    @Test
    void defaultsShutDownTheApplicationOnlyAndKeepVolumes() {
        StackShutdownConfig config = StackShutdownConfig.parse(new String[] {"--namespace", "staging"}, Map.of());

        assertFalse(config.wipe());
        assertFalse(config.removeMediaVolume());
        assertTrue(config.removeDatabaseVolume());
        assertEquals(Duration.ofMinutes(10), config.timeout());
        assertEquals(TargetGuard.fromEnv(Map.of()).patterns(), config.protectedNamespaces());
        Plan plan = Plan.of(config);
        assertEquals(List.of(new Target(Kind.STATEFUL_SET, "stack"), new Target(Kind.STATEFUL_SET, "worker"),
                new Target(Kind.DEPLOYMENT, "beat"), new Target(Kind.SECRET, "django")), plan.objects());
        assertTrue(plan.volumes().isEmpty());
    }

    @Test
    void awxStyleEnvironmentTurnsOnTheWipeWithoutTheDatabaseVolume() {
        StackShutdownConfig config = StackShutdownConfig.parse(new String[0], Map.of("NAMESPACE", "staging",
                "WIPE", "yes", "REMOVE_MEDIA_VOLUME", "yes", "REMOVE_DATABASE_VOLUME", "no"));

        Plan plan = Plan.of(config);
        assertTrue(plan.objects().containsAll(List.of(new Target(Kind.DEPLOYMENT, "redis"),
                new Target(Kind.DEPLOYMENT, "pgbouncer"), new Target(Kind.SERVICE, "pgbouncer"),
                new Target(Kind.STATEFUL_SET, "database"))), plan.toString());
        assertEquals(List.of(new Target(Kind.PERSISTENT_VOLUME_CLAIM, "media")), plan.volumes());
    }

    @Test
    void everyNameIsConfigurable() {
        StackShutdownConfig config = StackShutdownConfig.parse(new String[] {"--namespace", "s", "--wipe",
                "--app-statefulsets", "web", "--media-volume", "files", "--database-volume", "pgdata",
                "--remove-media-volume"}, Map.of());

        Plan plan = Plan.of(config);
        assertEquals(new Target(Kind.STATEFUL_SET, "web"), plan.objects().get(0));
        assertEquals(List.of(new Target(Kind.PERSISTENT_VOLUME_CLAIM, "files"),
                new Target(Kind.PERSISTENT_VOLUME_CLAIM, "pgdata")), plan.volumes());
    }

    @Test
    void zeroPollIntervalIsAUsageError() {
        assertThrows(UsageException.class, () -> StackShutdownConfig.parse(
                new String[] {"--namespace", "s", "--poll-interval", "0"}, Map.of()));
    }
}
