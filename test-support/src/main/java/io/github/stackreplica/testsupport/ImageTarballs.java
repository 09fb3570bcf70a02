package io.github.stackreplica.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.stackreplica.common.BuildInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads the image tarball {@code jib:buildTar} leaves in {@code target/jib-image.tar} and checks its configuration. */
public final class ImageTarballs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageTarballs() {
    }

    /** An image's tags and its container configuration ({@code config} of the image config JSON). */
    public record ImageConfig(List<String> repoTags, JsonNode config) {
    }

    /** Reads the tags and container configuration out of a Docker-format image tarball. */
    public static ImageConfig read(Path tarball) throws IOException {
        Map<String, byte[]> jsonEntries = new HashMap<>();
        try (InputStream file = Files.newInputStream(tarball); TarArchiveInputStream tar = new TarArchiveInputStream(file)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().endsWith(".json")) {
                    jsonEntries.put(entry.getName(), tar.readAllBytes());
                }
            }
        }
        JsonNode manifest = JSON.readTree(jsonEntries.get("manifest.json")).get(0);
        JsonNode imageConfig = JSON.readTree(jsonEntries.get(manifest.get("Config").asText()));
        List<String> tags = JSON.convertValue(manifest.get("RepoTags"),
                JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        return new ImageConfig(tags, imageConfig.get("config"));
    }

    /** The files in every layer of a Docker-format image tarball (layers are gzipped tars), by path. */
    public static Map<String, byte[]> layerFiles(Path tarball) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream file = Files.newInputStream(tarball); TarArchiveInputStream tar = new TarArchiveInputStream(file)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.getName().endsWith(".tar.gz")) {
                    continue;
                }
                TarArchiveInputStream layer = new TarArchiveInputStream(new java.util.zip.GZIPInputStream(
                        new java.io.ByteArrayInputStream(tar.readAllBytes())));
                TarArchiveEntry inLayer;
                while ((inLayer = layer.getNextEntry()) != null) {
                    if (inLayer.isFile()) {
                        files.put(inLayer.getName(), layer.readAllBytes());
                    }
                }
            }
        }
        return files;
    }

    /**
     * Asserts that this module's image (built into {@code target/jib-image.tar} by the default profile) is tagged
     * {@code ghcr.io/stack-replica/stack-replica-<module>:<version>}, starts {@code mainClass}, runs as a numeric
     * non-root user and carries the OCI source, version and revision labels.
     */
    public static void assertProgramImage(String module, String mainClass) throws IOException {
        Path tarball = Path.of("target", "jib-image.tar");
        assertTrue(Files.isRegularFile(tarball), "jib:buildTar should have written " + tarball.toAbsolutePath());
        ImageConfig image = read(tarball);

        assertEquals(List.of("ghcr.io/stack-replica/stack-replica-" + module + ":" + BuildInfo.version()), image.repoTags());
        List<String> entrypoint = JSON.convertValue(image.config().get("Entrypoint"),
                JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertEquals("java", entrypoint.get(0), "entrypoint " + entrypoint);
        assertEquals(mainClass, entrypoint.get(entrypoint.size() - 1), "entrypoint " + entrypoint);

        String user = image.config().path("User").asText();
        assertTrue(user.matches("\\d+(:\\d+)?"), "user should be numeric, was '" + user + "'");
        assertNotEquals("0", user.split(":")[0], "image must not run as root");

        JsonNode labels = image.config().path("Labels");
        assertEquals(BuildInfo.version(), labels.path("org.opencontainers.image.version").asText());
        assertTrue(labels.path("org.opencontainers.image.source").asText().startsWith("https://"), "source label " + labels);
        assertFalse(labels.path("org.opencontainers.image.revision").asText().isBlank(), "revision label " + labels);
    }
}
