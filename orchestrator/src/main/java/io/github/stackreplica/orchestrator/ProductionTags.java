package io.github.stackreplica.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.stackreplica.common.cli.StepException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Reads the image tag production runs: from its StatefulSet (same cluster) or from the stack's {@code /version/}. */
public final class ProductionTags {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(20);

    private ProductionTags() {
    }

    /**
     * The tag of the stack container's image of StatefulSet {@code name} in {@code namespace}.
     *
     * @throws StepException exit 1 when the StatefulSet or its image cannot be read
     */
    public static String fromNamespace(KubernetesClient client, String namespace, String name) {
        StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (sts == null) {
            throw StepException.failed("Cannot read production's image tag: StatefulSet " + namespace + "/" + name
                    + " not found (check --production-namespace and --production-statefulset, and that the "
                    + "stack-replica service account may read it)");
        }
        List<Container> containers = sts.getSpec().getTemplate().getSpec().getContainers();
        Container container = containers.stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElse(containers.get(0));
        return tagOf(container.getImage());
    }

    /**
     * The tag in {@code version.stack} (written {@code <namespace>:<tag>}) of the JSON at the stack's
     * {@code /version/} endpoint; {@code url} may be the stack's base URL or the endpoint itself.
     *
     * @throws StepException exit 1 when the endpoint cannot be read or does not say
     */
    public static String fromUrl(URI url) {
        URI endpoint = url.getPath() != null && url.getPath().endsWith("/version/") ? url
                : URI.create(url.toString().replaceAll("/+$", "") + "/version/");
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(HTTP_TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw StepException.failed("Cannot read production's image tag: GET " + endpoint + " answered HTTP "
                        + response.statusCode());
            }
            JsonNode stack = JSON.readTree(response.body()).path("version").path("stack");
            if (!stack.isTextual() || !stack.asText().contains(":")) {
                throw StepException.failed("Cannot read production's image tag: " + endpoint
                        + " has no version.stack of the form <namespace>:<tag>");
            }
            return stack.asText().substring(stack.asText().lastIndexOf(':') + 1);
        } catch (IOException e) {
            throw StepException.failed("Cannot read production's image tag from " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StepException.failed("Interrupted while reading " + endpoint);
        }
    }

    /** The tag of an image reference: after the last ':' that follows the last '/', ignoring a digest; else latest. */
    static String tagOf(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(colon + 1) : "latest";
    }
}
