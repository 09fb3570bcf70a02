package io.github.stackreplica.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrchestratorConfigTest {

    private static OrchestratorConfig parse(Map<String, String> env, String... args) {
        return OrchestratorConfig.parse(args, env);
    }

    @Test
    void fullWorkflowNeedsAnImageTagAndKeepsTheOriginalDefaults() {
        OrchestratorConfig config = parse(Map.of(), "--workflow", "full", "--namespace", "staging", "--stack-image-tag",
                "1.2.3");
        assertEquals(Workflow.FULL, config.workflow());
        assertEquals("1.2.3", config.stackImageTag());
        assertFalse(config.removeMediaVolume());
        assertTrue(config.removeDatabaseVolume(), "the original wipes the database volume by default");
        assertEquals(OrchestratorConfig.Runner.KUBERNETES, config.runner());
        assertEquals(Duration.ofHours(2), config.jobs().stepTimeout());
        assertEquals("database", config.jobs().databaseSecret());

        UsageException missing = assertThrows(UsageException.class,
                () -> parse(Map.of(), "--workflow", "full", "--namespace", "staging"));
        assertTrue(missing.getMessage().contains("--stack-image-tag"), missing.getMessage());
    }

    @Test
    void wipeAndMediaOnlyNeedNoImageTag() {
        assertNull(parse(Map.of(), "--workflow", "wipe", "--namespace", "staging").stackImageTag());
        assertEquals(Workflow.MEDIA_ONLY, parse(Map.of("WORKFLOW", "media-only", "NAMESPACE", "staging")).workflow());
    }

    @Test
    void badWorkflowTagOrNamespaceIsAUsageError() {
        UsageException workflow = assertThrows(UsageException.class,
                () -> parse(Map.of(), "--workflow", "everything", "--namespace", "staging"));
        assertTrue(workflow.getMessage().contains("full, db-only, media-only, wipe"), workflow.getMessage());
        assertThrows(UsageException.class, () -> parse(Map.of(), "--workflow", "full", "--namespace", "staging",
                "--stack-image-tag", "bad tag!"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--workflow", "wipe", "--namespace", "Staging_1"));
    }

    @Test
    void productionTagNeedsAPlaceToReadItFrom() {
        UsageException e = assertThrows(UsageException.class, () -> parse(Map.of(), "--workflow", "full",
                "--namespace", "staging", "--stack-image-tag", "production"));
        assertTrue(e.getMessage().contains("--production-namespace"), e.getMessage());
        assertEquals("production", parse(Map.of(), "--workflow", "full", "--namespace", "staging",
                "--stack-image-tag", "production", "--production-namespace", "prod").stackImageTag());
    }

    @Test
    void awxExtraVarsUseTheOriginalNamesAndYesNoValues() {
        OrchestratorConfig config = parse(Map.of(), "--workflow", "full", "--extra-vars",
                "{\"stack_namespace\": \"staging-stack\", \"stack_image_tag\": \"2.0.1\","
                        + " \"stack_shutdown_remove_media_volume\": \"yes\","
                        + " \"stack_shutdown_remove_database_volume\": \"no\", \"awx_job_id\": 17}");
        assertEquals("staging-stack", config.namespace());
        assertEquals("2.0.1", config.stackImageTag());
        assertTrue(config.removeMediaVolume());
        assertFalse(config.removeDatabaseVolume());
    }

    @Test
    void extraVarsReadYamlFromAFileAndLoseToExplicitFlagsButBeatTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("extra.yml");
        Files.writeString(file, "stack_namespace: staging-stack\nstack_image_tag: '2.0.1'\n"
                + "stack_shutdown_remove_media_volume: yes\n");
        OrchestratorConfig config = parse(Map.of("STACK_IMAGE_TAG", "from-env", "NAMESPACE", "from-env"),
                "--workflow", "full", "--extra-vars", file.toString(), "--stack-image-tag", "from-flag");
        assertEquals("staging-stack", config.namespace());
        assertEquals("from-flag", config.stackImageTag());
        assertTrue(config.removeMediaVolume());
    }

    @Test
    void extraVarsThatAreNotAMappingAreAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> parse(Map.of(), "--workflow", "wipe", "--namespace", "s", "--extra-vars", "[1, 2]"));
        assertTrue(e.getMessage().contains("--extra-vars"), e.getMessage());
    }

    @Test
    void stepEnvGoesToTheNamedProgramOnly() {
        OrchestratorConfig config = parse(Map.of(), "--workflow", "db-only", "--namespace", "staging",
                "--stack-image-tag", "1.0", "--step-env", "db-restore:MAX_AGE=36h", "--step-env",
                "stack-deploy:STACK_HOSTNAME=staging.example.org");
        List<StepPlan> plan = StepPlan.of(config);
        StepPlan restore = plan.stream().filter(s -> s.kind() == StepKind.DB_RESTORE).findFirst().orElseThrow();
        assertEquals("36h", restore.env().get("MAX_AGE"));
        assertEquals("frag", restore.env().get("DATABASE"));
        StepPlan app = plan.get(plan.size() - 1);
        assertEquals(StepKind.DEPLOY_APP, app.kind());
        assertEquals("staging.example.org", app.env().get("STACK_HOSTNAME"));
        assertEquals("app", app.env().get("COMPONENTS"));
        assertEquals("1.0", app.env().get("STACK_IMAGE_TAG"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--workflow", "wipe", "--namespace", "s",
                "--step-env", "nosuch:X=1"));
    }

    @Test
    void workflowsRunTheirStepsInAnOrderThatNeverServesHalfRestoredData() {
        assertEquals(List.of(StepKind.SHUTDOWN, StepKind.DEPLOY_INFRA, StepKind.DB_RESTORE, StepKind.MEDIA_SYNC,
                StepKind.DEPLOY_APP), Workflow.FULL.steps());
        assertEquals(List.of(StepKind.SHUTDOWN, StepKind.DEPLOY_INFRA, StepKind.DB_RESTORE, StepKind.DEPLOY_APP),
                Workflow.DB_ONLY.steps());
        assertEquals(List.of(StepKind.MEDIA_SYNC), Workflow.MEDIA_ONLY.steps());
        assertEquals(List.of(StepKind.WIPE), Workflow.WIPE.steps());
    }

    @Test
    void shutdownAndWipeStepsCarryTheVolumeChoices() {
        OrchestratorConfig full = parse(Map.of(), "--workflow", "full", "--namespace", "staging", "--stack-image-tag",
                "1.0", "--stack-shutdown-remove-media-volume");
        assertEquals("true", StepPlan.of(full).get(0).env().get("REMOVE_MEDIA_VOLUME"));
        OrchestratorConfig wipe = parse(Map.of("STACK_SHUTDOWN_REMOVE_DATABASE_VOLUME", "no"), "--workflow", "wipe",
                "--namespace", "staging");
        StepPlan step = StepPlan.of(wipe).get(0);
        assertEquals("true", step.env().get("WIPE"));
        assertEquals("false", step.env().get("REMOVE_DATABASE_VOLUME"));
        assertEquals("staging", step.env().get("NAMESPACE"));
    }

    @Test
    void volumesAndResourcesComeFromConfiguration() {
        OrchestratorConfig config = parse(Map.of("BACKUP_VOLUME", "nfs:nfs.example.org:/exports/db-backups"),
                "--workflow", "wipe", "--namespace", "staging", "--media-replica-volume", "pvc:replica",
                "--media-sync-resources", "requests.cpu=2", "--media-sync-resources", "limits.memory=2Gi");
        assertEquals(new VolumeSource("nfs", "nfs.example.org", "/exports/db-backups", null), config.jobs().backupVolume());
        assertEquals("replica", config.jobs().mediaReplicaVolume().claim());
        assertEquals("2", config.jobs().mediaSyncResources().getRequests().get("cpu").toString());
        assertEquals("2Gi", config.jobs().mediaSyncResources().getLimits().get("memory").toString());
        assertThrows(UsageException.class, () -> parse(Map.of(), "--workflow", "wipe", "--namespace", "s",
                "--backup-volume", "nfs:/no-server"));
        assertThrows(UsageException.class, () -> parse(Map.of(), "--workflow", "wipe", "--namespace", "s",
                "--step-resources", "cpu=1"));
    }

    @Test
    void localRunnerWithMediaNeedsLocalDirectories() {
        UsageException e = assertThrows(UsageException.class, () -> parse(Map.of(), "--runner", "local",
                "--workflow", "media-only", "--namespace", "local"));
        assertTrue(e.getMessage().contains("--media-source"), e.getMessage());
    }

    @Test
    void protectedNamespacesAndLoggingAreHandedOnToTheSteps() {
        OrchestratorConfig config = parse(Map.of("PROTECTED_NAMESPACES", "prod*", "LOG_FORMAT", "json"),
                "--workflow", "wipe", "--namespace", "staging");
        assertEquals("prod*", StepPlan.of(config).get(0).env().get("PROTECTED_NAMESPACES"));
        assertEquals("json", StepPlan.of(config).get(0).env().get("LOG_FORMAT"));
    }
}
