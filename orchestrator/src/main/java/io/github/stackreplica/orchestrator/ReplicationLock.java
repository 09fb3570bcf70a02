package io.github.stackreplica.orchestrator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.github.stackreplica.common.cli.StepException;
import io.github.stackreplica.common.log.RunContext;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock that keeps two replications of one namespace from overlapping: Lease {@value #NAME} in the target
 * namespace, renewed while the run lasts, released at its end, and taken over only once it has expired.
 */
public final class ReplicationLock implements AutoCloseable {

    public static final String NAME = "stack-replica";

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationLock.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String holder;
    private final Duration duration;
    private final Clock clock;
    private final ScheduledExecutorService renewer;

    private ReplicationLock(KubernetesClient client, String namespace, String holder, Duration duration, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.holder = holder;
        this.duration = duration;
        this.clock = clock;
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lease-renewer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Takes the lock for {@code holder} and keeps renewing it every third of {@code duration} until closed.
     *
     * @throws StepException exit 3 naming the holder when another run holds an unexpired lease
     */
    public static ReplicationLock acquire(KubernetesClient client, String namespace, String holder, Duration duration,
                                          Clock clock) {
        ReplicationLock lock = new ReplicationLock(client, namespace, holder, duration, clock);
        lock.take();
        long period = Math.max(1, duration.toMillis() / 3);
        lock.renewer.scheduleAtFixedRate(RunContext.propagate(lock::renew), period, period, TimeUnit.MILLISECONDS);
        return lock;
    }

    private Resource<Lease> lease() {
        return client.leases().inNamespace(namespace).withName(NAME);
    }

    private void take() {
        Lease existing = lease().get();
        ZonedDateTime now = ZonedDateTime.now(clock);
        if (existing == null) {
            try {
                client.leases().inNamespace(namespace).resource(newLease(now, 0)).create();
                LOG.info("Took the replication lock: Lease {}/{} for {}", namespace, NAME, holder);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    throw StepException.failed("Namespace " + namespace + " does not exist: create it and apply the "
                            + "stack-replica RBAC there (kubectl apply -k k8s/overlays/staging) before replicating "
                            + "into it");
                }
                if (e.getCode() != 409) {
                    throw e;
                }
                existing = lease().get();
            }
        }
        String current = existing.getSpec() == null ? null : existing.getSpec().getHolderIdentity();
        if (current != null && !current.isBlank() && !expired(existing, now)) {
            throw StepException.refused("Another replication is running in namespace " + namespace + ": Lease "
                    + namespace + "/" + NAME + " is held by '" + current + "', last renewed "
                    + existing.getSpec().getRenewTime() + ", expiring "
                    + expiry(existing) + ". Wait for it to finish (kubectl get jobs -n " + namespace
                    + " -l app.kubernetes.io/name=stack-replica); if that run is dead, the lease expires by itself.");
        }
        int transitions = (existing.getSpec() == null || existing.getSpec().getLeaseTransitions() == null ? 0
                : existing.getSpec().getLeaseTransitions()) + 1;
        Lease takeover = newLease(now, transitions);
        takeover.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        client.leases().inNamespace(namespace).resource(takeover).update();
        LOG.warn("Took over the expired replication lock from '{}' (Lease {}/{})", current, namespace, NAME);
    }

    private Lease newLease(ZonedDateTime now, int transitions) {
        return new LeaseBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/name", "stack-replica").endMetadata()
                .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds((int) Math.max(1, duration.toSeconds()))
                .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(transitions).endSpec().build();
    }

    private static boolean expired(Lease lease, ZonedDateTime now) {
        ZonedDateTime expiry = expiry(lease);
        return expiry == null || expiry.isBefore(now);
    }

    private static ZonedDateTime expiry(Lease lease) {
        if (lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
            return null;
        }
        Integer seconds = lease.getSpec().getLeaseDurationSeconds();
        return lease.getSpec().getRenewTime().plusSeconds(seconds == null ? 0 : seconds);
    }

    /** Renews the lease; a lease lost to someone else is logged, and the run goes on (it cannot undo its steps). */
    void renew() {
        try {
            Lease current = lease().get();
            if (current == null || current.getSpec() == null || !holder.equals(current.getSpec().getHolderIdentity())) {
                LOG.error("Lost the replication lock Lease {}/{}: now held by {}", namespace, NAME,
                        current == null || current.getSpec() == null ? "nobody" : current.getSpec().getHolderIdentity());
                return;
            }
            current.getSpec().setRenewTime(ZonedDateTime.now(clock));
            client.leases().inNamespace(namespace).resource(current).update();
        } catch (KubernetesClientException e) {
            LOG.warn("Could not renew Lease {}/{}: {}", namespace, NAME, e.getMessage());
        }
    }

    /** Stops renewing and deletes the lease if this run still holds it. */
    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            Lease current = lease().get();
            if (current != null && current.getSpec() != null && holder.equals(current.getSpec().getHolderIdentity())) {
                lease().delete();
                LOG.info("Released the replication lock Lease {}/{}", namespace, NAME);
            }
        } catch (KubernetesClientException e) {
            LOG.warn("Could not release Lease {}/{} ({}); it expires by itself after {}s", namespace, NAME,
                    e.getMessage(), duration.toSeconds());
        }
    }
}
