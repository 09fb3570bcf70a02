package io.github.stackreplica.dbrestore;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second reader of the dump with its own connection: it loads the COPY blocks the main reader has not reached yet,
 * so that two tables load at once although the dump holds them one after the other (each table still gets its rows in
 * dump order, from one COPY). Costs one more decompression of the dump.
 */
final class AheadLoader implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(AheadLoader.class);

    /** The session the loads belong to: registers them as running jobs and hears when they end. */
    interface Host {
        /** Registers a load as running; called with the claims' lock held, so it must not block. */
        void began(DumpItem.Copy copy);

        void ended(DumpItem.Copy copy, Exception error, Long rows);
    }

    private final Supplier<InputStream> dump;
    private final boolean cluster;
    private final String section;
    private final long fromLine;
    private final Connection connection;
    private final CopyClaims claims;
    private final Host host;
    private volatile boolean stopped;

    /**
     * @param section  the database whose section is loaded (for a dumpall)
     * @param fromLine loads only blocks after this line (where the main reader's session began)
     */
    AheadLoader(Supplier<InputStream> dump, boolean cluster, String section, long fromLine, Connection connection,
            CopyClaims claims, Host host) {
        this.dump = dump;
        this.cluster = cluster;
        this.section = section;
        this.fromLine = fromLine;
        this.connection = connection;
        this.claims = claims;
        this.host = host;
    }

    Thread start(String name) {
        Thread thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try (DumpScanner scanner = new DumpScanner(new DumpInput(dump.get()))) {
            boolean inSection = !cluster;
            List<String> settings = new ArrayList<>();
            int applied = 0;
            long lastStatement = 0;
            for (DumpItem item = scanner.next(); item != null && !stopped; item = scanner.next()) {
                if (item instanceof DumpItem.Meta meta && cluster && ("connect".equals(meta.command()) || "c".equals(meta.command()))) {
                    inSection = section.equals(DumpRouter.connectTarget(meta.argument()));
                    settings.clear();
                    applied = 0;
                } else if (item instanceof DumpItem.Sql sql) {
                    lastStatement = sql.line();
                    if (inSection && Statements.classify(sql.text()).kind() == Statements.Kind.SESSION) {
                        settings.add(sql.text());
                    }
                } else if (item instanceof DumpItem.Copy copy) {
                    if (!inSection || copy.line() <= fromLine || !claims.claimAhead(copy.line())) {
                        scanner.copyData((bytes, offset, length) -> { });
                        continue;
                    }
                    if (!claims.awaitMainThenRegister(lastStatement, copy.line(), () -> host.began(copy))) {
                        return;
                    }
                    applied = apply(settings, applied);
                    if (!load(copy, scanner)) {
                        return;
                    }
                }
            }
        } catch (Exception e) {
            LOG.debug("The ahead loader stopped: {}", e.toString());
        } finally {
            claims.aheadGone();
        }
    }

    private int apply(List<String> settings, int applied) throws java.sql.SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            for (; applied < settings.size(); applied++) {
                statement.execute(settings.get(applied));
            }
        }
        return applied;
    }

    /** Loads one block; false when it failed (the failure is the host's to report). */
    private boolean load(DumpItem.Copy copy, DumpScanner scanner) {
        Long rows = null;
        Exception error = null;
        try {
            rows = FrozenCopy.load(connection, copy.text(), copy.tableSql(), in -> scanner.copyData((bytes, offset, length) -> {
                try {
                    in.writeToCopy(bytes, offset, length);
                } catch (java.sql.SQLException e) {
                    throw new java.io.IOException(e);
                }
            }));
        } catch (java.io.IOException e) {
            error = e.getCause() instanceof java.sql.SQLException sql ? sql : e;
        } catch (Exception e) {
            error = e;
        }
        host.ended(copy, error, rows);
        return error == null;
    }
}
