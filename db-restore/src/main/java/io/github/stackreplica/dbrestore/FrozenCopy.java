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
 * truncates the new, empty table, so the rows arrive frozen and visible to all and the index builds, foreign-key
 * checks and ANALYZE that read them next do not have to rewrite every page to set hint bits. Where PostgreSQL
 * refuses FREEZE (a partitioned table, a table a key already references) it loads with a plain COPY.
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
        CopyIn in = null;
        connection.setAutoCommit(false);
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE " + tableSql);
                in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql + " WITH (FREEZE)");
            } catch (SQLException e) {
                LOG.debug("COPY FREEZE not possible for {} ({}); loading with a plain COPY", tableSql, e.getMessage());
                connection.rollback();
                connection.setAutoCommit(true);
                in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
            }
            feed.into(in);
            long rows = in.endCopy();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return rows;
        } catch (Exception e) {
            if (in != null && in.isActive()) {
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
}
