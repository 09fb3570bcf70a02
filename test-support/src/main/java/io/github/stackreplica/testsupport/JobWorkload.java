package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;

/**
 * What a simulated Job's container does, run in-process on its own thread. An exception thrown by it counts as exit 1
 * with the exception as termination message.
 */
@FunctionalInterface
public interface JobWorkload {

    /**
     * @param job the Job as it was when its pod started
     * @param env the first container's environment, with {@code value}, {@code secretKeyRef}, {@code configMapKeyRef},
     *            {@code fieldRef} ({@code metadata.name|namespace}) and {@code envFrom} resolved from the cluster
     */
    JobRun run(Job job, Map<String, String> env) throws Exception;
}
