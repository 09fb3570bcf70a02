package io.github.stackreplica.dbrestore;

import java.util.List;

/**
 * One piece of restore work a worker connection runs: a COPY load (its data arriving through {@code data}) or an
 * index, key, foreign-key or ANALYZE statement.
 *
 * @param locks    the tables it works on, the first being its own table
 * @param settings the session settings ({@code SET ...}) in force for it, in dump order
 * @param data     the COPY data, or null for a statement
 * @param tableSql the table's name as SQL text, for a COPY; else null
 */
record Job(Kind kind, String sql, long line, List<Lock> locks, List<String> settings, CopyPipe data, String tableSql) {

    /** Which jobs may run together: loads and index builds mix; foreign keys run only among themselves. */
    enum Kind { COPY, INDEX, FOREIGN_KEY }

    /** A claim on a table; two claims conflict unless both are shared (CREATE INDEX next to CREATE INDEX). */
    record Lock(String table, boolean shared) {
        boolean conflicts(Lock other) {
            return table.equals(other.table) && !(shared && other.shared);
        }
    }

    String table() {
        return locks.get(0).table();
    }

    boolean mixesWith(Kind running) {
        return running == kind || (running != Kind.FOREIGN_KEY && kind != Kind.FOREIGN_KEY);
    }
}
