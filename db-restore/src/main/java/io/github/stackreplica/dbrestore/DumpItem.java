package io.github.stackreplica.dbrestore;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One thing a plain-SQL dump asks for: a statement, a COPY whose data follows, or a psql meta-command. */
sealed interface DumpItem {

    /** The dump line the item starts at (1-based). */
    long line();

    /** An SQL statement without its terminating semicolon. */
    record Sql(String text, long line) implements DumpItem {
    }

    /**
     * A {@code COPY table (columns) FROM stdin} statement; its data follows in the dump.
     *
     * @param table    the table's name, unquoted ({@code public.Odd name})
     * @param tableSql the table's name as the dump writes it ({@code public."Odd name"})
     */
    record Copy(String text, String table, String tableSql, long line) implements DumpItem {

        private static final Pattern HEAD = Pattern.compile("(?is)^COPY\\s+((?:\"(?:[^\"]|\"\")*\"|[^\\s(\".]+)(?:\\.(?:\"(?:[^\"]|\"\")*\"|[^\\s(\".]+))?)");

        /** The COPY statement {@code text} if it reads from stdin, else null. */
        static Copy of(String text, long line) {
            String upper = text.toUpperCase(Locale.ROOT);
            if (!upper.startsWith("COPY") || !upper.stripTrailing().endsWith("FROM STDIN")) {
                return null;
            }
            Matcher head = HEAD.matcher(text);
            String written = head.find() ? head.group(1) : "?";
            return new Copy(text, Statements.unquote(written), written, line);
        }
    }

    /** A psql meta-command such as {@code \connect frag}: the command without backslash, and its argument text. */
    record Meta(String command, String argument, long line) implements DumpItem {

        static Meta parse(String text, long line) {
            String trimmed = text.strip().substring(1);
            int space = 0;
            while (space < trimmed.length() && !Character.isWhitespace(trimmed.charAt(space))) {
                space++;
            }
            return new Meta(trimmed.substring(0, space), trimmed.substring(space).strip(), line);
        }
    }
}
