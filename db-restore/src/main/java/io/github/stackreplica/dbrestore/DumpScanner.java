package io.github.stackreplica.dbrestore;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads a plain-SQL dump item by item. After a {@link DumpItem.Copy} the caller must take its data with
 * {@link #copyData} before asking for the next item.
 */
final class DumpScanner implements Closeable {

    private final DumpInput input;
    private final SqlSplitter splitter = new SqlSplitter();
    private final Deque<DumpItem> pending = new ArrayDeque<>();

    DumpScanner(DumpInput input) {
        this.input = input;
    }

    /**
     * The next item, or null at the end of the dump.
     *
     * @throws DumpInput.TruncatedDumpException when the dump ends inside a statement
     */
    DumpItem next() throws IOException {
        while (pending.isEmpty()) {
            String line = input.readLine();
            if (line == null) {
                if (!splitter.idle()) {
                    throw new DumpInput.TruncatedDumpException("the dump ends inside the statement that starts at line "
                            + splitter.pendingLine());
                }
                return null;
            }
            long number = input.lineNumber();
            if (splitter.idle() && line.startsWith("\\")) {
                return DumpItem.Meta.parse(line, number);
            }
            if (splitter.idle() && (line.isEmpty() || line.startsWith("--"))) {
                continue;
            }
            for (SqlSplitter.Statement statement : splitter.feed(line, number)) {
                DumpItem.Copy copy = DumpItem.Copy.of(statement.text(), statement.line());
                pending.add(copy != null ? copy : new DumpItem.Sql(statement.text(), statement.line()));
            }
        }
        return pending.poll();
    }

    /** Streams the data of the COPY just returned by {@link #next()}; returns the number of data lines. */
    long copyData(DumpInput.CopySink sink) throws IOException {
        return input.copyData(sink);
    }

    long lineNumber() {
        return input.lineNumber();
    }

    long bytesRead() {
        return input.bytesRead();
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
