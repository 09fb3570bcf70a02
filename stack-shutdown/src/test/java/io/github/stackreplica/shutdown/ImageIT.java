package io.github.stackreplica.shutdown;

import io.github.stackreplica.testsupport.ImageTarballs;
import org.junit.jupiter.api.Test;

/** The image Jib built for this module runs its main class as a non-root user and carries its OCI labels. */
class ImageIT {

    @Test
    void imageRunsMainClassAsNonRootWithLabels() throws Exception {
        ImageTarballs.assertProgramImage("stack-shutdown", "io.github.stackreplica.shutdown.StackShutdownMain");
    }
}
