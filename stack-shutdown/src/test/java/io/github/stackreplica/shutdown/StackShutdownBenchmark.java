package io.github.stackreplica.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.kube.KubeClients;
import io.github.stackreplica.testsupport.ApiRequests;
import io.github.stackreplica.testsupport.SimulatedCluster;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test (no Surefire pattern matches it): run by {@code bench/stack-steps.sh}. Wall time and API requests of
 * stack-shutdown on the simulated cluster, with the default 2s poll interval unless {@code bench.poll} says otherwise.
 */
@EnableKubernetesMockClient(crud = true)
class StackShutdownBenchmark {

    KubernetesClient client;
    KubernetesMockServer server;
    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        int reps = Integer.getInteger("bench.reps", 3);
        String poll = System.getProperty("bench.poll", "2s");
        try (SimulatedCluster cluster = SimulatedCluster.start(client)) {
            for (int i = 0; i < reps; i++) {
                String ns = "bench-" + i;
                new StackFixture(client, ns).create();
                cluster.settle();
                run("dry run wipe", poll, "--namespace", ns, "--wipe", "--remove-media-volume", "--dry-run");
                run("shutdown", poll, "--namespace", ns);
                run("wipe + both volumes", poll, "--namespace", ns, "--wipe", "--remove-media-volume");
                run("wipe again (nothing to do)", poll, "--namespace", ns, "--wipe", "--remove-media-volume");
            }
        }
    }

    private void run(String what, String poll, String... args) throws Exception {
        ApiRequests.drain(server, "stack-shutdown");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--poll-interval", poll, "--timeout", "2m"));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        long start = System.nanoTime();
        int exit = new StepLauncher(Map.of("TERMINATION_LOG", dir.resolve("t").toString()), quiet, quiet).launch(
                StackShutdownMain.definition(() -> KubeClients.create("stack-shutdown", client.getConfiguration())),
                all.toArray(String[]::new));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(0, exit, what);
        System.out.printf("BENCH stack-shutdown | %-30s | %6d ms | %4d API requests | poll %s%n", what, millis,
                ApiRequests.drain(server, "stack-shutdown"), poll);
    }

}
