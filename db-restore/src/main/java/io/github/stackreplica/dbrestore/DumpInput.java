package io.github.stackreplica.dbrestore;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The decompressed dump as lines, read once from a stream: SQL lines come back as text, COPY data is handed on as raw
 * bytes (never decoded) so that it costs little more than the copy itself. Counts lines and bytes.
 */
final class DumpInput implements Closeable {

    /** Receives the raw bytes of COPY data; the array is reused after the call returns. */
    @FunctionalInterface
    interface CopySink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Thrown when the dump ends inside a COPY block or a statement. */
    static final class TruncatedDumpException extends IOException {
        private static final long serialVersionUID = 1L;

        TruncatedDumpException(String message) {
            super(message);
        }
    }

    private static final int BUFFER_SIZE = 1 << 20;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    private int limit;
    private boolean eof;
    private long lineNumber;
    private long bytesRead;

    DumpInput(InputStream in) {
        this.in = in;
    }

    /** The number of the line read last (1-based); 0 before the first. */
    long lineNumber() {
        return lineNumber;
    }

    /** Decompressed bytes consumed so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** The next line without its newline (a trailing CR is kept), or null at the end of the dump. */
    String readLine() throws IOException {
        ByteArrayOutputStream longLine = null;
        while (true) {
            if (position == limit && !fill()) {
                if (longLine == null) {
                    return null;
                }
                lineNumber++;
                return longLine.toString(StandardCharsets.UTF_8);
            }
            int newline = indexOf((byte) '\n', position, limit);
            if (newline >= 0) {
                String line;
                if (longLine == null) {
                    line = new String(buffer, position, newline - position, StandardCharsets.UTF_8);
                } else {
                    longLine.write(buffer, position, newline - position);
                    line = longLine.toString(StandardCharsets.UTF_8);
                }
                position = newline + 1;
                lineNumber++;
                return line;
            }
            if (longLine == null) {
                longLine = new ByteArrayOutputStream();
            }
            longLine.write(buffer, position, limit - position);
            position = limit;
        }
    }

    /**
     * Hands the COPY data that follows a {@code COPY ... FROM stdin} line to {@code sink}, up to (not including) the
     * line {@code \.}, which is consumed.
     *
     * @return the number of data lines
     * @throws TruncatedDumpException when the dump ends before {@code \.}
     */
    long copyData(CopySink sink) throws IOException {
        long lines = 0;
        while (true) {
            if (limit - position < 3 && !eof) {
                compactAndFill();
            }
            if (position == limit) {
                throw new TruncatedDumpException("the dump ends inside the COPY data that starts after line "
                        + (lineNumber - lines));
            }
            if (isTerminator(position)) {
                int newline = indexOf((byte) '\n', position, limit);
                position = newline < 0 ? limit : newline + 1;
                lineNumber++;
                return lines;
            }
            int newline = indexOf((byte) '\n', position, limit);
            if (newline < 0) {
                // One line longer than the buffer holds: pass it on piece by piece.
                sink.write(buffer, position, limit - position);
                position = limit;
                skipRestOfLine(sink);
                lines++;
                lineNumber++;
                continue;
            }
            int start = position;
            do {
                position = newline + 1;
                lines++;
                lineNumber++;
                if (limit - position < 3 || isTerminator(position)) {
                    break;
                }
                newline = indexOf((byte) '\n', position, limit);
            } while (newline >= 0);
            sink.write(buffer, start, position - start);
        }
    }

    private void skipRestOfLine(CopySink sink) throws IOException {
        while (true) {
            if (!fill()) {
                throw new TruncatedDumpException("the dump ends inside the COPY data at line " + (lineNumber + 1));
            }
            int newline = indexOf((byte) '\n', position, limit);
            int end = newline < 0 ? limit : newline + 1;
            sink.write(buffer, position, end - position);
            position = end;
            if (newline >= 0) {
                return;
            }
        }
    }

    private boolean isTerminator(int at) {
        if (buffer[at] != '\\' || at + 1 >= limit || buffer[at + 1] != '.') {
            return false;
        }
        int next = at + 2;
        return next >= limit || buffer[next] == '\n' || (buffer[next] == '\r' && (next + 1 >= limit || buffer[next + 1] == '\n'));
    }

    private int indexOf(byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private void compactAndFill() throws IOException {
        int remaining = limit - position;
        System.arraycopy(buffer, position, buffer, 0, remaining);
        position = 0;
        limit = remaining;
        while (!eof && limit < buffer.length / 2) {
            readMore();
        }
    }

    /** Refills an exhausted buffer; false at the end of the input. */
    private boolean fill() throws IOException {
        position = 0;
        limit = 0;
        while (limit == 0 && !eof) {
            readMore();
        }
        return limit > 0;
    }

    private void readMore() throws IOException {
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            eof = true;
        } else {
            limit += read;
            bytesRead += read;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    @Override
    public String toString() {
        return "DumpInput[line " + lineNumber + ", " + bytesRead + " bytes" + (eof ? ", at end" : "") + "]";
    }
}
