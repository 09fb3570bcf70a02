package io.github.stackreplica.common.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter2;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Binds slf4j to a logback context set up in code ({@link Logging}), as logback's own provider does but without its
 * auto-configuration: that scans every jar for configurators, reads their rank annotations through a generated proxy,
 * checks versions from the jars' manifests and formats its status with {@code java.time}, about 45 ms of every step's
 * start-up on the project's VM (40 ms instead of 85-95 to the first log line). {@link #select()} makes slf4j use it;
 * {@link ConsoleConfigurator} still configures logback the same way wherever slf4j finds logback by itself.
 */
public final class LogbackProvider implements SLF4JServiceProvider {

    /** The slf4j API version this provider is written against (logback 1.5's own provider says the same). */
    private static final String API_VERSION = "2.0.99";

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    /**
     * Makes slf4j bind this provider directly (its {@code slf4j.provider} property, which also spares it the scan of
     * every jar's service files), unless the property is set already; quietens slf4j's note that it did so. Must run
     * before the first use of {@code LoggerFactory}.
     */
    public static void select() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", LogbackProvider.class.getName());
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
    }

    @Override
    public void initialize() {
        context.setName(ch.qos.logback.core.CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        Logging.installDefault(context);
        context.start();
        if (new StatusUtil(context).getHighestLevel(0) >= Status.WARN) {
            StatusPrinter2 printer = new StatusPrinter2();
            printer.printInCaseOfErrorsOrWarnings(context);
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return API_VERSION;
    }
}
