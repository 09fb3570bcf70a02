package io.github.stackreplica.mediasync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.stackreplica.testsupport.ImageTarballs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The image Jib built for this module runs its main class as a non-root user and carries its OCI labels. */
class ImageIT {

    @Test
    void imageRunsMainClassAsNonRootWithLabels() throws Exception {
        ImageTarballs.assertProgramImage("media-sync", "io.github.stackreplica.mediasync.MediaSyncMain");
    }

    @Test
    void imageJvmRunsWithTheFlagsTheBenchmarkMeasuredIncludingTheOpenedPackageForTheFastWalk() throws Exception {
        List<String> entrypoint = new ArrayList<>();
        for (JsonNode part : ImageTarballs.read(Path.of("target", "jib-image.tar")).config().path("Entrypoint")) {
            entrypoint.add(part.asText());
        }
        Matcher flags = Pattern.compile("<jvmFlag>([^<]*)</jvmFlag>").matcher(Files.readString(Path.of("pom.xml")));
        List<String> declared = new ArrayList<>();
        while (flags.find()) {
            declared.add(flags.group(1));
        }

        for (String opened : List.of("sun.nio.fs", "sun.nio.ch", "java.io")) {
            assertTrue(declared.contains("--add-opens=java.base/" + opened + "=ALL-UNNAMED"), declared.toString());
        }
        assertTrue(entrypoint.containsAll(declared), "entrypoint " + entrypoint + " lacks some of " + declared);
    }

    @Test
    void imageCarriesTheNativeDirectoryReaderOnItsClasspathSoTheWalkDoesNotFallBackToTheJdksCalls() throws Exception {
        java.util.Map<String, byte[]> files = ImageTarballs.layerFiles(Path.of("target", "jib-image.tar"));
        String library = "app/resources/native/linux-" + System.getProperty("os.arch") + "/libmediasync.so";

        assertTrue(files.containsKey(library), library + " is not in the image");
        String classpath = new String(files.get("app/jib-classpath-file"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(List.of(classpath.trim().split(":")).contains("/app/resources"), "classpath " + classpath);
    }
}
