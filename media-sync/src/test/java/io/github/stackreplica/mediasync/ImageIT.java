package io.github.stackreplica.mediasync;

import io.github.stackreplica.testsupport.ImageTarballs;
import org.junit.jupiter.api.Test;

/** The image Jib built for this module runs its main class as a non-root user and carries its OCI labels. */
class ImageIT {

    @Test
    void imageRunsMainClassAsNonRootWithLabels() throws Exception {
        ImageTarballs.assertProgramImage("media-sync", "io.github.stackreplica.mediasync.MediaSyncMain");
    }
}
