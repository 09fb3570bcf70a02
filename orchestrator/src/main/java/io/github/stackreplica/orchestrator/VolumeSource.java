package io.github.stackreplica.orchestrator;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;

/**
 * Where a step's volume comes from, as configured: {@code nfs:SERVER:/PATH} or {@code pvc:CLAIM}.
 *
 * @param kind   {@code nfs} or {@code pvc}
 * @param server the NFS server (nfs only)
 * @param path   the NFS export path (nfs only)
 * @param claim  the PersistentVolumeClaim name (pvc only)
 */
public record VolumeSource(String kind, String server, String path, String claim) {

    /**
     * Parses {@code nfs:SERVER:/PATH} or {@code pvc:CLAIM}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static VolumeSource parse(String text) {
        String[] parts = text.trim().split(":", 3);
        if (parts.length == 3 && parts[0].equals("nfs") && !parts[1].isBlank() && parts[2].startsWith("/")) {
            return new VolumeSource("nfs", parts[1], parts[2], null);
        }
        if (parts.length == 2 && parts[0].equals("pvc") && parts[1].matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            return new VolumeSource("pvc", null, null, parts[1]);
        }
        throw new IllegalArgumentException("expected nfs:SERVER:/PATH or pvc:CLAIM-NAME");
    }

    /** The pod volume named {@code name}, read-only when {@code readOnly}. */
    public Volume toVolume(String name, boolean readOnly) {
        VolumeBuilder volume = new VolumeBuilder().withName(name);
        if (kind.equals("nfs")) {
            return volume.withNewNfs().withServer(server).withPath(path).withReadOnly(readOnly).endNfs().build();
        }
        return volume.withNewPersistentVolumeClaim().withClaimName(claim).withReadOnly(readOnly)
                .endPersistentVolumeClaim().build();
    }

    @Override
    public String toString() {
        return kind.equals("nfs") ? "nfs:" + server + ":" + path : "pvc:" + claim;
    }
}
