package io.github.stackreplica.dbrestore;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text, fed line by line, into statements the way psql does: a semicolon ends a statement only outside
 * quotes ({@code '...'}, {@code E'...'} with backslash escapes, {@code "..."}), dollar quotes, comments and
 * parentheses. Line comments are dropped; everything else is kept as written.
 */
final class SqlSplitter {

    private enum State { NORMAL, SINGLE, ESCAPED, DOUBLE, DOLLAR, BLOCK_COMMENT }

    /** A complete statement and the line it starts on. */
    record Statement(String text, long line) {
    }

    private final StringBuilder current = new StringBuilder();
    private State state = State.NORMAL;
    private String dollarTag;
    private int commentDepth;
    private int parenDepth;
    private long startLine;

    /** True when no statement is under way: the next line may be a meta-command. */
    boolean idle() {
        return state == State.NORMAL && current.isEmpty();
    }

    /** The line the unfinished statement started on, or 0 when {@link #idle()}. */
    long pendingLine() {
        return idle() ? 0 : startLine;
    }

    /** Feeds one line (without its newline) and returns the statements it completes, in order. */
    List<Statement> feed(String line, long lineNumber) {
        List<Statement> done = List.of();
        int segmentStart = 0;
        int length = line.length();
        int i = 0;
        while (i < length) {
            char c = line.charAt(i);
            switch (state) {
                case NORMAL -> {
                    if (c == '-' && i + 1 < length && line.charAt(i + 1) == '-') {
                        append(line, segmentStart, i, lineNumber);
                        segmentStart = length;
                        i = length;
                        continue;
                    } else if (c == ';' && parenDepth == 0) {
                        append(line, segmentStart, i, lineNumber);
                        segmentStart = i + 1;
                        String text = current.toString().strip();
                        current.setLength(0);
                        if (!text.isEmpty()) {
                            if (done.isEmpty()) {
                                done = new ArrayList<>(1);
                            }
                            done.add(new Statement(text, startLine));
                        }
                    } else if (c == '\'') {
                        state = isEscapePrefix(line, i) ? State.ESCAPED : State.SINGLE;
                    } else if (c == '"') {
                        state = State.DOUBLE;
                    } else if (c == '$') {
                        String tag = dollarTagAt(line, i);
                        if (tag != null) {
                            state = State.DOLLAR;
                            dollarTag = tag;
                            i += tag.length();
                            continue;
                        }
                    } else if (c == '/' && i + 1 < length && line.charAt(i + 1) == '*') {
                        state = State.BLOCK_COMMENT;
                        commentDepth = 1;
                        i += 2;
                        continue;
                    } else if (c == '(') {
                        parenDepth++;
                    } else if (c == ')' && parenDepth > 0) {
                        parenDepth--;
                    }
                }
                case SINGLE, ESCAPED -> {
                    if (c == '\\' && state == State.ESCAPED) {
                        i += 2;
                        continue;
                    }
                    if (c == '\'') {
                        if (i + 1 < length && line.charAt(i + 1) == '\'') {
                            i += 2;
                            continue;
                        }
                        state = State.NORMAL;
                    }
                }
                case DOUBLE -> {
                    if (c == '"') {
                        state = State.NORMAL;
                    }
                }
                case DOLLAR -> {
                    if (c == '$' && line.startsWith(dollarTag, i)) {
                        state = State.NORMAL;
                        i += dollarTag.length();
                        continue;
                    }
                }
                case BLOCK_COMMENT -> {
                    if (c == '*' && i + 1 < length && line.charAt(i + 1) == '/') {
                        if (--commentDepth == 0) {
                            state = State.NORMAL;
                        }
                        i += 2;
                        continue;
                    } else if (c == '/' && i + 1 < length && line.charAt(i + 1) == '*') {
                        commentDepth++;
                        i += 2;
                        continue;
                    }
                }
            }
            i++;
        }
        append(line, segmentStart, length, lineNumber);
        if (!current.isEmpty()) {
            current.append('\n');
        }
        return done;
    }

    private void append(String line, int from, int to, long lineNumber) {
        if (from >= to) {
            return;
        }
        if (current.isEmpty()) {
            int first = from;
            while (first < to && Character.isWhitespace(line.charAt(first))) {
                first++;
            }
            if (first == to && state == State.NORMAL) {
                return;
            }
            startLine = lineNumber;
            current.append(line, first, to);
            return;
        }
        current.append(line, from, to);
    }

    /** {@code E'} or {@code e'} not preceded by an identifier character starts a string with backslash escapes. */
    private static boolean isEscapePrefix(String line, int quote) {
        if (quote == 0 || Character.toUpperCase(line.charAt(quote - 1)) != 'E') {
            return false;
        }
        return quote < 2 || !isIdentifierChar(line.charAt(quote - 2));
    }

    /** The dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code i}, or null. */
    private static String dollarTagAt(String line, int i) {
        if (i > 0 && isIdentifierChar(line.charAt(i - 1))) {
            return null;
        }
        int j = i + 1;
        while (j < line.length() && line.charAt(j) != '$') {
            char c = line.charAt(j);
            boolean ok = Character.isLetter(c) || c == '_' || (j > i + 1 && Character.isDigit(c));
            if (!ok) {
                return null;
            }
            j++;
        }
        return j < line.length() ? line.substring(i, j + 1) : null;
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
