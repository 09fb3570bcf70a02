package io.github.stackreplica.dbrestore;

import java.util.List;

/**
 * One piece of restore work a worker connection runs: a chunk of a table's COPY data, or an index, key, foreign-key
 * or ANALYZE statement.
 *
 * @param sql      the statement; for a chunk, the COPY statement of its block
 * @param line     the dump line of the statement (of the COPY statement, for a chunk)
 * @param locks    the tables it works on, the first being its own table
 * @param settings the session settings ({@code SET ...}) in force for it, in dump order
 * @param chunk    the rows, for a chunk of COPY data; else null
 * @param tableSql the table's name as SQL text, for a chunk; else null
 */
record Job(Kind kind, String sql, long line, List<Lock> locks, List<String> settings, CopyChunk chunk, String tableSql) {

    enum Kind {
        /** A chunk of a COPY block loaded with a plain COPY, on any number of connections at once. */
        COPY,
        /** A chunk of a COPY block loaded on one connection, with TRUNCATE and COPY FREEZE ({@link FrozenCopy}). */
        FROZEN_COPY,
        INDEX,
        FOREIGN_KEY,
        TRIGGER,
        ANALYZE
    }

    /** How a job uses a table, as far as running it next to others is concerned. */
    enum Mode {
        /** Loads rows: loads of a table run together. */
        LOAD,
        /** Builds an index ({@code CREATE INDEX}): runs next to other index builds on the table, not next to loads. */
        SHARED,
        /** Anything else (keys, foreign keys, ANALYZE): alone on the table. */
        EXCLUSIVE
    }

    /** A claim on a table; two claims on one table conflict unless both are loads or both index builds. */
    record Lock(String table, Mode mode) {
        boolean conflicts(Lock other) {
            return table.equals(other.table) && (mode != other.mode || mode == Mode.EXCLUSIVE);
        }
    }

    String table() {
        return locks.get(0).table();
    }

    boolean conflicts(Job other) {
        for (Lock lock : locks) {
            for (Lock theirs : other.locks) {
                if (lock.conflicts(theirs)) {
                    return true;
                }
            }
        }
        return false;
    }
}
