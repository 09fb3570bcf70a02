package io.github.stackreplica.common.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Applies {@code LOG_LEVEL} and {@code LOG_FORMAT=text|json} to logback's console output. */
public final class Logging {

    /** Libraries whose INFO lines are noise in a step's log. */
    private static final Map<String, Level> QUIET = Map.of("io.fabric8.kubernetes.client", Level.WARN,
            "okhttp3", Level.WARN, "io.zonky", Level.WARN, "org.testcontainers", Level.INFO);

    private Logging() {
    }

    /** Configures the root logger from the environment, writing to standard output. */
    public static void configure(Map<String, String> env) {
        configure(env, System.out);
    }

    /**
     * Configures the root logger from the environment, writing to {@code out}.
     *
     * @throws io.github.stackreplica.common.cli.UsageException when {@code LOG_FORMAT} is neither {@code text} nor {@code json}
     */
    public static void configure(Map<String, String> env, OutputStream out) {
        String format = env.getOrDefault("LOG_FORMAT", "text").trim().toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json") && !format.isEmpty()) {
            throw new io.github.stackreplica.common.cli.UsageException("LOG_FORMAT must be text or json, not '" + format + "'");
        }
        install((LoggerContext) LoggerFactory.getILoggerFactory(), env, format.equals("json"), out);
    }

    /**
     * Logback's start-up configuration (by {@link LogbackProvider} or {@link ConsoleConfigurator}): text on standard
     * output at the process environment's {@code LOG_LEVEL}. {@code LOG_FORMAT} is validated (and applied) by
     * {@code StepLauncher}; until then, text.
     */
    static void installDefault(LoggerContext context) {
        install(context, System.getenv(), false, System.out);
    }

    /**
     * Sends the root logger to {@code out} at {@code LOG_LEVEL}, in text or JSON, and quietens the libraries' chatty
     * loggers. Also logback's start-up configuration ({@link ConsoleConfigurator}).
     */
    static void install(LoggerContext context, Map<String, String> env, boolean json, OutputStream out) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(env.getOrDefault("LOG_LEVEL", "INFO").trim(), Level.INFO));
        for (Map.Entry<String, Level> quiet : QUIET.entrySet()) {
            context.getLogger(quiet.getKey()).setLevel(quiet.getValue());
        }

        Encoder<ILoggingEvent> encoder = json ? jsonEncoder(context) : textEncoder(context);
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setName("CONSOLE");
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setImmediateFlush(true);
        appender.setOutputStream(new NonClosing(out));
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    /**
     * Logback closes an appender's stream when the appender stops; reconfiguring (a step run in-process by the
     * orchestrator) must not close standard output.
     */
    private static final class NonClosing extends java.io.FilterOutputStream {

        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        TextLayout layout = new TextLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }
}
