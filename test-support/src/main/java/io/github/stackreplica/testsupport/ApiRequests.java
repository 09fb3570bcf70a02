package io.github.stackreplica.testsupport;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.TimeUnit;

/** Counts the API requests a step made against the mock server, by the user agent every step's client sends. */
public final class ApiRequests {

    private ApiRequests() {
    }

    /**
     * Takes every request recorded so far off the mock server's queue and returns how many {@code step} made
     * (user agent {@code stack-replica/<step>/...}).
     */
    public static int drain(KubernetesMockServer server, String step) throws InterruptedException {
        int count = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            String agent = request.getHeader("User-Agent");
            if (agent != null && agent.startsWith("stack-replica/" + step + "/")) {
                count++;
            }
        }
        return count;
    }
}
