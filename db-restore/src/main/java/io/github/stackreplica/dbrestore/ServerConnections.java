package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.Durations;
import io.github.stackreplica.common.cli.StepException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens pgjdbc connections to the target server, waiting a bounded time for it to accept them. */
final class ServerConnections {

    /** The maintenance database every PostgreSQL server has; CREATE/DROP/RENAME DATABASE run there. */
    static final String MAINTENANCE_DATABASE = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(ServerConnections.class);

    private final DbRestoreConfig.Server server;
    private final Duration connectTimeout;

    ServerConnections(DbRestoreConfig.Server server, Duration connectTimeout) {
        this.server = server;
        this.connectTimeout = connectTimeout;
    }

    String describe(String database) {
        return server.user() + "@" + server.host() + ":" + server.port() + "/" + database;
    }

    /**
     * A connection to {@code database} in autocommit, with the restore session settings.
     *
     * @throws StepException failed (exit 1) when the password is wrong, or the server did not accept a connection
     *                       within the connect timeout
     */
    Connection open(String database) {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        SQLException last;
        do {
            try {
                Connection connection = DriverManager.getConnection(url(database), properties(deadline));
                try (Statement statement = connection.createStatement()) {
                    // Durability of each commit is pointless mid-restore: a crash means restoring again anyway.
                    statement.execute("SET synchronous_commit = off");
                    statement.execute("SET maintenance_work_mem = '256MB'");
                }
                return connection;
            } catch (SQLException e) {
                last = e;
                if (!retryable(e)) {
                    throw StepException.failed("Could not connect to " + describe(database) + ": " + e.getMessage()
                            + (isAuthentication(e) ? " (check PGUSER and PGPASSWORD)" : ""), e);
                }
                LOG.debug("Server {} not ready yet: {}", describe(database), e.getMessage());
                sleep();
            }
        } while (System.nanoTime() < deadline);
        throw StepException.failed("Could not connect to " + describe(database) + " within --connect-timeout "
                + Durations.format(connectTimeout) + ": " + last.getMessage()
                + ". Check --host/--port (PGHOST/PGPORT) and that the server is running.", last);
    }

    private String url(String database) {
        return "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + database;
    }

    private Properties properties(long deadline) {
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        if (server.password().isPresent()) {
            properties.setProperty("password", server.password().reveal());
        }
        long remaining = Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toSeconds());
        properties.setProperty("connectTimeout", String.valueOf(Math.min(10, remaining)));
        properties.setProperty("loginTimeout", String.valueOf(Math.min(20, remaining + 1)));
        properties.setProperty("ApplicationName", "db-restore");
        properties.setProperty("preferQueryMode", "simple");
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    /** Connection refused, unreachable, or the server starting up or shutting down: worth another try. */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || "57P03".equals(state) || "53300".equals(state));
    }

    private static boolean isAuthentication(SQLException e) {
        return "28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState());
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StepException.failed("Interrupted while waiting for the server");
        }
    }
}
