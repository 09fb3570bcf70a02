package io.github.stackreplica.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A PostgreSQL 15 server from the embedded binaries on Maven Central, on a free localhost port, superuser
 * {@code postgres} without a password. Usable outside tests too (start, URL/port, stop), e.g. to restore into.
 */
public final class Postgres implements AutoCloseable {

    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a fresh server in a temporary data directory; {@link #close()} stops it and deletes the directory. */
    public static Postgres start() {
        try {
            return new Postgres(EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "50")
                    .setServerConfig("fsync", "off")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL server", e);
        }
    }

    public String host() {
        return "localhost";
    }

    public int port() {
        return server.getPort();
    }

    public String user() {
        return SUPERUSER;
    }

    /** The JDBC URL of database {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** The libpq variables that point {@code psql}, {@code pg_dump} and the steps at this server. */
    public Map<String, String> env() {
        return Map.of("PGHOST", host(), "PGPORT", String.valueOf(port()), "PGUSER", user());
    }

    /** A new connection to {@code database} as the superuser; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, "");
    }

    /** Runs each statement in {@code database} in autocommit (CREATE DATABASE works too). */
    public void execute(String database, String... statements) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run SQL in " + database + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
        }
    }
}
