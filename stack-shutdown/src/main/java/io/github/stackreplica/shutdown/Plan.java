package io.github.stackreplica.shutdown;

import io.github.stackreplica.shutdown.Target.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run deletes, in order: the workloads, Services and Secrets first, then (once their pods are gone) the
 * volumes.
 */
record Plan(List<Target> objects, List<Target> volumes) {

    /** The plan for {@code config}: a shutdown, optionally with the media volume, or a wipe. */
    static Plan of(StackShutdownConfig config) {
        StackShutdownConfig.Names names = config.names();
        List<Target> objects = new ArrayList<>();
        names.appStatefulSets().forEach(name -> objects.add(new Target(Kind.STATEFUL_SET, name)));
        names.appDeployments().forEach(name -> objects.add(new Target(Kind.DEPLOYMENT, name)));
        names.appSecrets().forEach(name -> objects.add(new Target(Kind.SECRET, name)));
        List<Target> volumes = new ArrayList<>();
        if (config.removeMediaVolume()) {
            volumes.add(new Target(Kind.PERSISTENT_VOLUME_CLAIM, names.mediaVolume()));
        }
        if (config.wipe()) {
            names.infraDeployments().forEach(name -> objects.add(new Target(Kind.DEPLOYMENT, name)));
            names.infraServices().forEach(name -> objects.add(new Target(Kind.SERVICE, name)));
            names.infraStatefulSets().forEach(name -> objects.add(new Target(Kind.STATEFUL_SET, name)));
            if (config.removeDatabaseVolume()) {
                volumes.add(new Target(Kind.PERSISTENT_VOLUME_CLAIM, names.databaseVolume()));
            }
        }
        return new Plan(List.copyOf(objects), List.copyOf(volumes));
    }
}
