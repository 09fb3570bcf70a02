package io.github.stackreplica.dbrestore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one table of a freshly created database with {@code COPY ... WITH (FREEZE)}: in one transaction that first
 * truncates the new, empty table, so the rows arrive frozen and all-visible. The index builds, foreign-key checks and
 * ANALYZE that read them next then neither rewrite every page to set hint bits nor visit the heap where an index
 * suffices (a foreign-key check becomes a join of two index-only scans), and autovacuum has nothing to do. Where
 * PostgreSQL refuses FREEZE (a partitioned table, a table a key already references) it loads with a plain COPY.
 */
final class FrozenCopy {

    /** Writes the table's data into the open COPY. */
    @FunctionalInterface
    interface Feed {
        void into(CopyIn in) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FrozenCopy.class);

    private FrozenCopy() {
    }

    /** Loads the data {@code feed} writes with COPY statement {@code copySql}; returns the rows loaded. */
    static long load(Connection connection, String copySql, String tableSql, Feed feed) throws Exception {
        CopyIn in = begin(connection, copySql, tableSql);
        try {
            feed.into(in);
            return end(connection, in);
        } catch (Exception e) {
            if (in.isActive()) {
                in.cancelCopy();
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Starts loading {@code tableSql}: truncates it and opens {@code copySql} with FREEZE in a transaction, or opens a
     * plain COPY where FREEZE is refused. Finish with {@link #end}.
     */
    static CopyIn begin(Connection connection, String copySql, String tableSql) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + tableSql);
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql + " WITH (FREEZE)");
        } catch (SQLException e) {
            LOG.debug("COPY FREEZE not possible for {} ({}); loading with a plain COPY", tableSql, e.getMessage());
            connection.rollback();
            connection.setAutoCommit(true);
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        }
    }

    /** Ends a COPY opened by {@link #begin} and commits it; returns the rows loaded. */
    static long end(Connection connection, CopyIn in) throws SQLException {
        long rows = in.endCopy();
        if (!connection.getAutoCommit()) {
            connection.commit();
            connection.setAutoCommit(true);
        }
        return rows;
    }
}
