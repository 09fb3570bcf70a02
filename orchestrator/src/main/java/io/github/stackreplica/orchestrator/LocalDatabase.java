package io.github.stackreplica.orchestrator;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server the local runner restores into: the one configured ({@code PGHOST}...), or, when none is, an
 * embedded PostgreSQL 15 started for this run and stopped at its end (for trying the project out).
 */
public final class LocalDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDatabase.class);

    private final EmbeddedPostgres embedded;
    private final Map<String, String> env;

    private LocalDatabase(EmbeddedPostgres embedded, Map<String, String> env) {
        this.embedded = embedded;
        this.env = Map.copyOf(env);
    }

    /** The configured server, or a new embedded one when {@code local.pgHost()} is null. */
    public static LocalDatabase open(OrchestratorConfig.LocalSettings local) {
        Map<String, String> env = new LinkedHashMap<>();
        if (local.pgHost() != null) {
            env.put("PGHOST", local.pgHost());
            env.put("PGPORT", String.valueOf(local.pgPort()));
            env.put("PGUSER", local.pgUser());
            if (local.pgPassword().isPresent()) {
                env.put("PGPASSWORD", local.pgPassword().reveal());
            }
            return new LocalDatabase(null, env);
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            LOG.info("No PostgreSQL server given (PGHOST): started an embedded PostgreSQL 15 on port {} for this run; "
                    + "it stops when the run ends", embedded.getPort());
            env.put("PGHOST", "localhost");
            env.put("PGPORT", String.valueOf(embedded.getPort()));
            env.put("PGUSER", "postgres");
            env.put("PGPASSWORD", "postgres");
            return new LocalDatabase(embedded, env);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start an embedded PostgreSQL server", e);
        }
    }

    /** PGHOST, PGPORT, PGUSER and PGPASSWORD for db-restore. */
    public Map<String, String> env() {
        return env;
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("Could not stop the embedded PostgreSQL server: {}", e.toString());
            }
        }
    }
}
