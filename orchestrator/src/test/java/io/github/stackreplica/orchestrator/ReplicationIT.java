package io.github.stackreplica.orchestrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.stackreplica.common.cli.StepDefinition;
import io.github.stackreplica.common.cli.StepLauncher;
import io.github.stackreplica.common.cli.TerminationMessage;
import io.github.stackreplica.common.kube.KubeClients;
import io.github.stackreplica.dbrestore.DbRestoreMain;
import io.github.stackreplica.deploy.StackDeployMain;
import io.github.stackreplica.mediasync.MediaSyncMain;
import io.github.stackreplica.shutdown.StackShutdownMain;
import io.github.stackreplica.testsupport.JobRun;
import io.github.stackreplica.testsupport.Postgres;
import io.github.stackreplica.testsupport.SimulatedCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole replications on the simulated cluster with the real step programs as the Jobs' workloads: db-restore into an
 * embedded PostgreSQL 15 from the committed sample backup, media-sync between real directories, and stack-shutdown /
 * stack-deploy against the cluster.
 */
@EnableKubernetesMockClient(crud = true)
class ReplicationIT {

    static final String NS = "staging-stack";
    static final String REGISTRY = "ghcr.io/stack-replica/stack-replica-";
    static final Path SAMPLES = Path.of("..", "samples").toAbsolutePath().normalize();

    static Postgres postgres;

    KubernetesClient client;

    @TempDir
    Path dir;

    private SimulatedCluster cluster;
    private Path mediaTarget;
    private Path backupRoot;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeAll
    static void startPostgres() {
        postgres = Postgres.start();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void startCluster() throws IOException {
        postgres.execute("postgres", "DROP DATABASE IF EXISTS frag WITH (FORCE)");
        mediaTarget = Files.createDirectories(dir.resolve("media"));
        backupRoot = SAMPLES.resolve("backups");
        cluster = SimulatedCluster.start(client);
        Supplier<KubernetesClient> clients = () -> KubeClients.create("test", client.getConfiguration());
        Map<String, String> db = new HashMap<>(postgres.env());
        cluster.runJobsWithImage(REGISTRY + "db-restore", (job, env) -> step(DbRestoreMain.definition(), env,
                with(db, "BACKUP_ROOT", backupRoot.toString(), "SETTLE", "0s")));
        cluster.runJobsWithImage(REGISTRY + "media-sync", (job, env) -> step(MediaSyncMain.definition(), env,
                Map.of("SOURCE", SAMPLES.resolve("media").toString(), "TARGET", mediaTarget.toString())));
        cluster.runJobsWithImage(REGISTRY + "stack-shutdown", (job, env) -> step(StackShutdownMain.definition(clients),
                env, Map.of("POLL_INTERVAL", "100ms", "TIMEOUT", "30s")));
        cluster.runJobsWithImage(REGISTRY + "stack-deploy", (job, env) -> step(StackDeployMain.definition(clients),
                env, Map.of("POLL_INTERVAL", "100ms", "TIMEOUT", "30s")));
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    private static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> map = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** Runs a real step program as the Job's container would: its env, with local paths for the mounts. */
    private JobRun step(StepDefinition<?> definition, Map<String, String> jobEnv, Map<String, String> local)
            throws IOException {
        Map<String, String> env = new HashMap<>(jobEnv);
        env.putAll(local);
        Path log = Files.createTempFile(dir, "termination", ".log");
        env.put("TERMINATION_LOG", log.toString());
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = new StepLauncher(env, print, print).launch(definition, new String[0]);
        return new JobRun(code, Files.readString(log));
    }

    private int orchestrate(String... args) {
        Map<String, String> env = Map.of("RUN_ID", "it-" + System.nanoTime(), "POLL_INTERVAL", "50ms",
                "TERMINATION_LOG", dir.resolve("orchestrator.log").toString());
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new StepLauncher(env, print, print).launch(OrchestratorMain.definition(env, print, print,
                () -> KubeClients.create("orchestrator", client.getConfiguration()), Map.of()), args);
    }

    private String log() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private long count(String sql) throws Exception {
        try (Connection connection = postgres.connect("frag"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private boolean fragExists() throws Exception {
        try (Connection connection = postgres.connect("postgres"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'frag'")) {
            rows.next();
            return rows.getLong(1) == 1;
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(root::relativize).filter(p -> !p.startsWith(".media-sync")).sorted().toList();
        }
    }

    private StatefulSet statefulSet(String name) {
        return client.apps().statefulSets().inNamespace(NS).withName(name).get();
    }

    private static String image(StatefulSet set) {
        return set.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void fullReplicationRestoresTheDatabaseCopiesTheMediaAndDeploysTheStackAtTheTag() throws Exception {
        int code = orchestrate("--workflow", "full", "--namespace", NS, "--stack-image-tag", "2026.11.1",
                "--stack-hostname", "staging.example.org");

        assertEquals(0, code, log());
        assertEquals(20, count("SELECT count(*) FROM viewer_target"));
        assertEquals(2000, count("SELECT count(*) FROM viewer_site_observation"));
        assertEquals(files(SAMPLES.resolve("media")), files(mediaTarget));
        for (Path file : files(mediaTarget)) {
            assertArrayEquals(Files.readAllBytes(SAMPLES.resolve("media").resolve(file)),
                    Files.readAllBytes(mediaTarget.resolve(file)), file.toString());
        }
        assertTrue(Files.isSymbolicLink(mediaTarget.resolve("compound_sets/TARGET1-link")));
        assertTrue(image(statefulSet("stack")).endsWith(":2026.11.1"), image(statefulSet("stack")));
        assertTrue(image(statefulSet("worker")).endsWith(":2026.11.1"));
        assertNotNull(statefulSet("database"));
        assertNotNull(client.secrets().inNamespace(NS).withName("database").get());

        ConfigMap lastRun = client.configMaps().inNamespace(NS).withName(RunRecorder.CONFIG_MAP).get();
        assertEquals("done", lastRun.getData().get("outcome"));
        assertTrue(lastRun.getData().get("report.json").contains("backup-2026-11-25T02:04:01Z-dumpall.sql.gz"),
                lastRun.getData().get("report.json"));
        Map<String, Object> summary = TerminationMessage.parse(Files.readString(dir.resolve("orchestrator.log")));
        assertEquals("done", summary.get("outcome"));
        assertTrue(summary.get("backup").toString().endsWith("backup-2026-11-25T02:04:01Z-dumpall.sql.gz"));
    }

    @Test
    void dbOnlyRestoresTheDatabaseAndLeavesTheMediaAlone() throws Exception {
        int code = orchestrate("--workflow", "db-only", "--namespace", NS, "--stack-image-tag", "2026.11.1",
                "--stack-hostname", "staging.example.org");

        assertEquals(0, code, log());
        assertEquals(500, count("SELECT count(*) FROM viewer_compound"));
        assertEquals(List.of(), files(mediaTarget));
        assertNotNull(statefulSet("stack"));
    }

    @Test
    void mediaOnlyCopiesTheMediaAndTouchesNeitherDatabaseNorStack() throws Exception {
        int code = orchestrate("--workflow", "media-only", "--namespace", NS);

        assertEquals(0, code, log());
        assertEquals(files(SAMPLES.resolve("media")), files(mediaTarget));
        assertFalse(fragExists());
        assertNull(statefulSet("stack"));
    }

    @Test
    void wipeRemovesTheDatabaseAndItsVolumeButKeepsItsCredentials() throws Exception {
        assertEquals(0, orchestrate("--workflow", "db-only", "--namespace", NS, "--stack-image-tag", "1.0",
                "--stack-hostname", "staging.example.org"), log());
        assertNotNull(statefulSet("database"));

        assertEquals(0, orchestrate("--workflow", "wipe", "--namespace", NS), log());

        assertNull(statefulSet("stack"));
        assertNull(statefulSet("database"));
        assertNull(client.persistentVolumeClaims().inNamespace(NS).withName("database").get());
        assertNotNull(client.secrets().inNamespace(NS).withName("database").get(), "credentials are kept");
    }

    @Test
    void aBrokenBackupStopsTheRunBeforeTheApplicationIsDeployed() throws Exception {
        backupRoot = Files.createDirectories(dir.resolve("broken/daily"));
        Files.write(backupRoot.resolve("backup-2026-11-25T02:04:01Z-dumpall.sql.gz"), new byte[] {31, -117, 8, 0, 1});
        Files.setLastModifiedTime(backupRoot.resolve("backup-2026-11-25T02:04:01Z-dumpall.sql.gz"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        backupRoot = backupRoot.getParent();

        int code = orchestrate("--workflow", "full", "--namespace", NS, "--stack-image-tag", "1.0",
                "--stack-hostname", "staging.example.org");

        assertEquals(1, code, log());
        assertNull(statefulSet("stack"), "the application must not be deployed over a failed restore");
        assertTrue(files(mediaTarget).isEmpty(), "media-sync does not run after a failed restore");
        Map<String, Object> summary = TerminationMessage.parse(Files.readString(dir.resolve("orchestrator.log")));
        assertEquals("db-restore", summary.get("failedStep"));
    }
}
