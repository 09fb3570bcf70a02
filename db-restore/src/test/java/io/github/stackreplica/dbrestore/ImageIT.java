package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.testsupport.ImageTarballs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The image Jib built for this module runs its main class as a non-root user and carries its OCI labels. */
class ImageIT {

    @Test
    void imageRunsMainClassAsNonRootWithLabels() throws Exception {
        ImageTarballs.assertProgramImage("db-restore", "io.github.stackreplica.dbrestore.DbRestoreMain");
    }

    @Test
    void imageRunsTheJvmWithTheFlagsTheBenchmarkMeasuredBesideTheCommonOnes() throws Exception {
        String entrypoint = ImageTarballs.read(Path.of("target", "jib-image.tar")).config().path("Entrypoint").toString();
        for (String flag : new String[] {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75"}) {
            assertTrue(entrypoint.contains("\"" + flag + "\""), flag + " in " + entrypoint);
        }
    }
}
