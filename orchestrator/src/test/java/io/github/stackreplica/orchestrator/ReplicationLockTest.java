package io.github.stackreplica.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.StepException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ReplicationLockTest {

    KubernetesClient client;

    private void existingLease(String holder, ZonedDateTime renewed, int seconds) {
        client.leases().inNamespace("staging").resource(new LeaseBuilder().withNewMetadata()
                .withName(ReplicationLock.NAME).endMetadata().withNewSpec().withHolderIdentity(holder)
                .withLeaseDurationSeconds(seconds).withRenewTime(renewed).withAcquireTime(renewed).endSpec().build())
                .create();
    }

    private Lease lease() {
        return client.leases().inNamespace("staging").withName(ReplicationLock.NAME).get();
    }

    @Test
    void takesTheLockWhenFreeAndReleasesItAtTheEnd() {
        try (ReplicationLock lock = ReplicationLock.acquire(client, "staging", "run A", Duration.ofMinutes(2),
                Clock.systemUTC())) {
            assertEquals("run A", lease().getSpec().getHolderIdentity());
            assertEquals(120, lease().getSpec().getLeaseDurationSeconds());
        }
        assertNull(lease());
    }

    @Test
    void aLiveLockHeldByAnotherRunIsRefusedNamingTheHolder() {
        existingLease("run B (Job ops/refresh-now)", ZonedDateTime.now(), 120);
        StepException e = assertThrows(StepException.class, () -> ReplicationLock.acquire(client, "staging", "run A",
                Duration.ofMinutes(2), Clock.systemUTC()));
        assertEquals(ExitCode.REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains("run B (Job ops/refresh-now)"), e.getMessage());
        assertEquals("run B (Job ops/refresh-now)", lease().getSpec().getHolderIdentity(), "the holder keeps its lock");
    }

    @Test
    void anExpiredLockIsTakenOver() {
        existingLease("run dead", ZonedDateTime.now().minusMinutes(10), 120);
        try (ReplicationLock lock = ReplicationLock.acquire(client, "staging", "run A", Duration.ofMinutes(2),
                Clock.systemUTC())) {
            assertEquals("run A", lease().getSpec().getHolderIdentity());
            assertEquals(1, lease().getSpec().getLeaseTransitions());
        }
    }

    @Test
    void theLockIsRenewedWhileTheRunLasts() throws Exception {
        try (ReplicationLock lock = ReplicationLock.acquire(client, "staging", "run A", Duration.ofMillis(300),
                Clock.systemUTC())) {
            ZonedDateTime first = lease().getSpec().getRenewTime();
            Thread.sleep(700);
            assertTrue(lease().getSpec().getRenewTime().isAfter(first), "renewTime should move on");
        }
    }

    @Test
    void releaseLeavesALockTakenOverBySomeoneElse() {
        ReplicationLock lock = ReplicationLock.acquire(client, "staging", "run A", Duration.ofMinutes(2),
                Clock.systemUTC());
        Lease stolen = lease();
        stolen.getSpec().setHolderIdentity("run C");
        client.leases().inNamespace("staging").resource(stolen).update();
        lock.close();
        assertEquals("run C", lease().getSpec().getHolderIdentity());
    }
}
