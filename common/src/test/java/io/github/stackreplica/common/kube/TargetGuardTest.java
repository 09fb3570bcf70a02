package io.github.stackreplica.common.kube;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.stackreplica.common.cli.ExitCode;
import io.github.stackreplica.common.cli.StepException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TargetGuardTest {

    private final TargetGuard defaults = TargetGuard.fromEnv(Map.of());

    @ParameterizedTest
    @ValueSource(strings = {"production", "production-stack", "fragalysis-production", "kube-system", "kube-public", "default"})
    void defaultListRefusesProductionKubeAndDefaultNamespaces(String namespace) {
        StepException e = assertThrows(StepException.class, () -> defaults.check(namespace));
        assertEquals(ExitCode.REFUSED, e.exitCode());
        assertTrue(e.getMessage().contains(namespace), e.getMessage());
        assertTrue(e.getMessage().contains("PROTECTED_NAMESPACES"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging-stack", "dev-alan", "defaults", "my-kube-stack"})
    void defaultListAllowsStagingAndDeveloperNamespaces(String namespace) {
        assertDoesNotThrow(() -> defaults.check(namespace));
    }

    @Test
    void environmentVariableReplacesTheDefaultPatterns() {
        TargetGuard guard = TargetGuard.fromEnv(Map.of("PROTECTED_NAMESPACES", "prod-?, live*"));
        assertThrows(StepException.class, () -> guard.check("prod-1"));
        assertThrows(StepException.class, () -> guard.check("live-stack"));
        assertDoesNotThrow(() -> guard.check("prod-12"));
        assertDoesNotThrow(() -> guard.check("production"));
    }

    @Test
    void blankEnvironmentVariableKeepsTheDefaults() {
        assertThrows(StepException.class, () -> TargetGuard.fromEnv(Map.of("PROTECTED_NAMESPACES", " ")).check("default"));
    }

    @Test
    void refusalNamesTheMatchingPattern() {
        StepException e = assertThrows(StepException.class, () -> defaults.check("kube-system"));
        assertTrue(e.getMessage().contains("'kube-*'"), e.getMessage());
    }
}
