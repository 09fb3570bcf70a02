package io.github.stackreplica.common.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's start-up configuration, found through {@code META-INF/services}: the console output of {@link Logging},
 * set up in code. Replaces a {@code logback.xml}, whose XML parsing cost about a quarter of a second of every
 * step's start-up (a few hundred classes loaded); {@code StepLauncher} reconfigures from the step's own environment
 * right after start.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class ConsoleConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Logging.installDefault(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
