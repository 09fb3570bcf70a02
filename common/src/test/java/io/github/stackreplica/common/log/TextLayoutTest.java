package io.github.stackreplica.common.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextLayoutTest {

    /** The pattern the text log used before TextLayout replaced logback's pattern layout. */
    private static final String FORMER_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level [%X{step:-}/%X{run:-}] %logger{0} - %msg%n";

    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(Level level, long millis, Map<String, String> mdc, Throwable thrown, String message,
            Object... arguments) {
        Logger logger = context.getLogger("io.github.stackreplica.mediasync.MediaSync");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, level, message, thrown, arguments);
        event.setTimeStamp(millis);
        event.setMDCPropertyMap(mdc);
        return event;
    }

    @Test
    void writesEveryLineExactlyAsTheFormerPatternDid() {
        PatternLayout former = new PatternLayout();
        former.setContext(context);
        former.setPattern(FORMER_PATTERN);
        former.start();
        TextLayout layout = new TextLayout();
        layout.setContext(context);
        layout.start();

        for (LoggingEvent event : new LoggingEvent[] {
                event(Level.INFO, 1_764_096_849_834L, Map.of("step", "media-sync", "run", "20261125-185409-0c5e"), null,
                        "Scanned {} entries in {}s", 136_691, "0.8"),
                event(Level.WARN, 5L, Map.of(), null, "no context, 1970, {}", "five milliseconds"),
                event(Level.ERROR, 253_402_300_799_999L, Map.of("step", "db-restore"), null,
                        "last millisecond of 9999"),
                event(Level.DEBUG, 1_000_000_000_000L, Map.of("run", "r"), null, "multi\nline")}) {
            assertEquals(former.doLayout(event), layout.doLayout(event));
        }
    }

    @Test
    void anExceptionsStackTraceFollowsItsLine() {
        TextLayout layout = new TextLayout();
        layout.setContext(context);
        layout.start();

        String text = layout.doLayout(event(Level.ERROR, 0L, Map.of(), new IllegalStateException("broken"),
                "Step failed"));

        assertTrue(text.startsWith("1970-01-01T00:00:00.000Z ERROR [/] MediaSync - Step failed"), text);
        assertTrue(text.contains("java.lang.IllegalStateException: broken"), text);
        assertTrue(text.contains("at io.github.stackreplica.common.log.TextLayoutTest"), text);
    }
}
