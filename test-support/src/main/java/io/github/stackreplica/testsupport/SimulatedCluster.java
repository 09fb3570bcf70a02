package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small control plane on top of fabric8's mock server in CRUD mode, which has no controllers: a background loop
 * plays the StatefulSet, Deployment, Job, garbage-collector and PVC-protection controllers and a kubelet, so steps can
 * be tested end to end. Pods become ready at once unless their image was marked with {@link #failImage}; Jobs run the
 * in-process workload registered for their image with {@link #runJobsWithImage}, and a Job without one stays running.
 *
 * <p>What the simulated controllers do:
 * <ul>
 * <li>StatefulSet: pods {@code <name>-0..n-1}; Deployment: pods {@code <name>-<template hash>-<5 chars>}. Both are
 *     replaced when the pod template changes and removed on scale-down (also through the scale subresource);
 *     status counts ready pods, and a Deployment gets {@code Available}/{@code Progressing} conditions.</li>
 * <li>Job: first {@code status.startTime} and {@code active=1}, then a Running pod {@code <job>-<5 chars>} labelled
 *     {@code job-name} and {@code batch.kubernetes.io/job-name}; the workload runs on its own thread; then the pod's
 *     first container is {@code terminated} (exit code, message, reason {@code Completed}/{@code Error}), phase
 *     {@code Succeeded}/{@code Failed}, and the Job gets {@code succeeded=1} with {@code completionTime} and a
 *     {@code Complete} condition, or {@code failed=1} and a {@code Failed} condition with reason
 *     {@code PodFailurePolicy} (a {@code FailJob} rule matched the exit code) or {@code BackoffLimitExceeded}. As in
 *     Kubernetes, {@code completionTime} is set only on success. No retries. A missing Secret, ConfigMap or key in the
 *     environment leaves the pod waiting in {@code CreateContainerConfigError} until it appears.</li>
 * <li>Garbage collection: pods whose controller is gone are deleted. PVCs carry {@code kubernetes.io/pvc-protection}
 *     and become {@code Bound}; a deleted PVC stays (marked for deletion) until no pod mounts it.</li>
 * </ul>
 *
 * <pre>{@code
 * try (SimulatedCluster cluster = SimulatedCluster.start(mockClient)) {
 *     cluster.runJobsWithImage("ghcr.io/stack-replica/db-restore", (job, env) -> new JobRun(0, "{}"));
 *     ...
 * }
 * }</pre>
 */
public final class SimulatedCluster implements AutoCloseable {

    /** How often the controllers reconcile unless told otherwise. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(25);

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedCluster.class);

    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, "simulated-cluster"));
    private final ExecutorService jobThreads = Executors.newCachedThreadPool(
            runnable -> daemon(runnable, "simulated-job"));
    private final Kubelet kubelet;
    private final StatefulSetController statefulSets;
    private final DeploymentController deployments;
    private final JobController jobs;
    private final GarbageCollector collector;

    private SimulatedCluster(KubernetesClient client) {
        this.client = client;
        this.kubelet = new Kubelet(client);
        this.statefulSets = new StatefulSetController(client, kubelet);
        this.deployments = new DeploymentController(client, kubelet);
        this.jobs = new JobController(client, kubelet, jobThreads);
        this.collector = new GarbageCollector(client);
    }

    /** Starts the controllers on {@code client}, a client of a mock server in CRUD mode, reconciling every 25 ms. */
    public static SimulatedCluster start(KubernetesClient client) {
        return start(client, DEFAULT_TICK);
    }

    /** Starts the controllers on {@code client}, reconciling every {@code tick}. */
    public static SimulatedCluster start(KubernetesClient client, Duration tick) {
        SimulatedCluster cluster = new SimulatedCluster(client);
        cluster.loop.scheduleWithFixedDelay(cluster::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        return cluster;
    }

    /**
     * Runs {@code workload} for every Job whose first container's image starts with {@code imagePrefix} (the longest
     * registered prefix wins). Jobs created before the registration start on the next reconcile.
     */
    public SimulatedCluster runJobsWithImage(String imagePrefix, JobWorkload workload) {
        jobs.register(imagePrefix, workload);
        return this;
    }

    /**
     * Pods started from now on with a container of exactly {@code image} never become ready: that container waits with
     * {@code reason} ({@code ImagePullBackOff}, {@code ErrImagePull}, {@code InvalidImageName}, {@code CrashLoopBackOff}).
     */
    public SimulatedCluster failImage(String image, String reason) {
        kubelet.failImage(image, reason);
        return this;
    }

    /** Waits until two full reconciles have run after this call, so what the controllers would do is done. */
    public void settle() {
        for (int i = 0; i < 2; i++) {
            try {
                loop.submit(this::tick).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("The simulated cluster did not settle", e);
            }
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        jobThreads.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
            jobThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        try {
            int startedBefore = kubelet.startedCount();
            List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
            List<StatefulSet> sets = client.apps().statefulSets().inAnyNamespace().list().getItems();
            List<Deployment> deploys = client.apps().deployments().inAnyNamespace().list().getItems();
            List<Job> jobList = client.batch().v1().jobs().inAnyNamespace().list().getItems();
            Set<String> owners = new HashSet<>();
            for (List<? extends HasMetadata> kind : List.of(sets, deploys, jobList)) {
                kind.forEach(owner -> owners.add(owner.getMetadata().getUid()));
            }
            collector.collectOrphans(pods, owners);
            sets.forEach(set -> guarded(set, () -> statefulSets.reconcile(set, pods)));
            deploys.forEach(deployment -> guarded(deployment, () -> deployments.reconcile(deployment, pods)));
            jobList.forEach(job -> guarded(job, () -> jobs.reconcile(job, pods)));
            // A claim is released only against a pod list that includes every pod started in this tick.
            collector.protectClaims(kubelet.startedCount() == startedBefore ? pods
                    : client.pods().inAnyNamespace().list().getItems());
        } catch (RuntimeException e) {
            // A write raced with a test's own change; the next reconcile sees the new state.
            LOG.debug("Simulated cluster reconcile failed, retrying next tick: {}", e.toString());
        }
    }

    private static void guarded(HasMetadata object, Runnable reconcile) {
        try {
            reconcile.run();
        } catch (RuntimeException e) {
            LOG.debug("Reconciling {} {}/{} failed, retrying next tick: {}", object.getKind(),
                    object.getMetadata().getNamespace(), object.getMetadata().getName(), e.toString());
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
