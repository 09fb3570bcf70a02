package io.github.stackreplica.common.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The text log line, {@code 2026-11-25T18:54:09.834Z INFO  [step/run] Logger - message}, written directly: what
 * logback's {@code PatternLayout} wrote for {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level
 * [%X{step:-}/%X{run:-}] %logger{0} - %msg%n} (and the stack trace of an exception after it). The pattern layout's
 * class initialisation (about 80 converters, each a lambda), pattern parsing and date formatter cost about 60-80 ms
 * of every step's start-up on the project's VM; this costs next to nothing.
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        timestamp(line, event.getTimeStamp());
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        for (int i = level.length(); i < 5; i++) {
            line.append(' ');
        }
        Map<String, String> mdc = event.getMDCPropertyMap();
        line.append(" [").append(mdc.getOrDefault(RunContext.STEP, "")).append('/')
                .append(mdc.getOrDefault(RunContext.RUN, "")).append("] ");
        String logger = event.getLoggerName();
        line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ")
                .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown));
        }
        return line.toString();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC. */
    private static void timestamp(StringBuilder line, long millis) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
        pad(line, time.getYear(), 4).append('-');
        pad(line, time.getMonthValue(), 2).append('-');
        pad(line, time.getDayOfMonth(), 2).append('T');
        pad(line, time.getHour(), 2).append(':');
        pad(line, time.getMinute(), 2).append(':');
        pad(line, time.getSecond(), 2).append('.');
        pad(line, (int) Math.floorMod(millis, 1000), 3).append('Z');
    }

    private static StringBuilder pad(StringBuilder line, int value, int digits) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < digits; i++) {
            line.append('0');
        }
        return line.append(text);
    }
}
