package io.github.stackreplica.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.UsageException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackDeployConfigTest {

    private static StackDeployConfig parse(Map<String, String> env, String... args) {
        return StackDeployConfig.parse(args, env);
    }

    @Test
    void environmentGivesWhatFlagsDoNotAndDefaultsFillTheRest() {
        StackDeployConfig config = parse(Map.of("NAMESPACE", "staging", "STACK_IMAGE_TAG", "2.0.1",
                "SET", "STACK_REPLICAS=2,WORKER_REPLICAS=3"), "--stack-image-tag", "2.0.2");

        assertEquals("staging", config.namespace());
        assertEquals("2.0.2", config.stackImageTag());
        assertEquals("xchem/fragalysis-stack", config.stackImage());
        assertEquals(Component.ALL, config.components());
        assertEquals(Map.of("STACK_REPLICAS", "2", "WORKER_REPLICAS", "3"), config.sets());
        assertEquals(Duration.ofMinutes(10), config.timeout());
        assertEquals(Duration.ofSeconds(2), config.pollInterval());
    }

    @Test
    void imageTagIsRequiredForTheAppButNotForInfra() {
        UsageException missing = assertThrows(UsageException.class, () -> parse(Map.of(), "--namespace", "s"));
        assertTrue(missing.getMessage().contains("--stack-image-tag"), missing.getMessage());
        assertNull(parse(Map.of(), "--namespace", "s", "--components", "infra").stackImageTag());
    }

    @Test
    void malformedImageTagsAreRefused() {
        for (String tag : new String[] {"1.0:latest", ".hidden", "-x", "a b", "x".repeat(129)}) {
            assertThrows(UsageException.class, () -> parse(Map.of(), "--namespace", "s", "--stack-image-tag", tag), tag);
        }
        assertEquals("v1.2.3_rc-1", parse(Map.of(), "--namespace", "s", "--stack-image-tag", "v1.2.3_rc-1")
                .stackImageTag());
    }

    @Test
    void setRefusesMalformedEntriesOptionVariablesAndGeneratedSecrets() {
        for (String set : new String[] {"NOEQUALS", "lower=1", "STACK_IMAGE_TAG=1", "NAMESPACE=x",
                "DATABASE_ROOT_PASSWORD=secret"}) {
            UsageException e = assertThrows(UsageException.class,
                    () -> parse(Map.of(), "--namespace", "s", "--stack-image-tag", "1", "--set", set), set);
            assertTrue(e.getMessage().contains("--set"), e.getMessage());
        }
        assertEquals(Map.of("CERT_ISSUER", "a=b"), parse(Map.of(), "--namespace", "s", "--stack-image-tag", "1",
                "--set", "CERT_ISSUER=a=b").sets());
    }

    @Test
    void unknownComponentIsAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> parse(Map.of(), "--namespace", "s", "--components", "database"));
        assertTrue(e.getMessage().contains("infra, app or all"), e.getMessage());
    }

    @Test
    void protectedNamespacesComeFromTheEnvironment() {
        StackDeployConfig config = parse(Map.of("PROTECTED_NAMESPACES", "prod-*"), "--namespace", "s",
                "--components", "infra");
        assertEquals(java.util.List.of("prod-*"), config.protectedNamespaces());
    }
}
