package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.StepException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out a dump on the server: creates the target databases, runs their statements and loads their tables. */
final class LiveRestore implements DumpActions, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRestore.class);

    private final DbRestoreConfig config;
    private final ServerConnections connections;
    private final Connection maintenance;
    private final Map<String, TargetDatabase> targets = new LinkedHashMap<>();
    private final Set<String> createdRoles = new HashSet<>();
    private Set<String> existingRoles;

    LiveRestore(DbRestoreConfig config, ServerConnections connections) {
        this.config = config;
        this.connections = connections;
        this.maintenance = connections.open(ServerConnections.MAINTENANCE_DATABASE);
    }

    Map<String, TargetDatabase> targets() {
        return targets;
    }

    @Override
    public void globalSetting(String sql, long line) {
        execute(maintenance, sql, line);
    }

    @Override
    public void role(Statements.Classified role, String sql, long line) {
        String name = role.name();
        boolean ours = createdRoles.contains(name);
        switch (role.kind()) {
            case CREATE_ROLE -> {
                if (existingRoles().contains(name)) {
                    LOG.info("Role {} exists on the server: kept as it is", name);
                } else {
                    execute(maintenance, Statements.withoutPassword(sql), line);
                    createdRoles.add(name);
                    LOG.info("Created role {} (without password)", name);
                }
            }
            case ALTER_ROLE -> {
                if (ours && !sql.toUpperCase(Locale.ROOT).contains(" IN DATABASE ")) {
                    execute(maintenance, Statements.withoutPassword(sql), line);
                }
            }
            case GRANT_ROLE, COMMENT_ON_ROLE -> {
                if (ours) {
                    execute(maintenance, sql, line);
                }
            }
            default -> LOG.debug("Skipping role statement at line {}: roles are never dropped", line);
        }
    }

    private Set<String> existingRoles() {
        if (existingRoles == null) {
            existingRoles = new HashSet<>();
            try (Statement statement = maintenance.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT rolname FROM pg_catalog.pg_roles")) {
                while (rs.next()) {
                    existingRoles.add(rs.getString(1));
                }
            } catch (SQLException e) {
                throw StepException.failed("Could not list the server's roles: " + e.getMessage(), e);
            }
        }
        return existingRoles;
    }

    @Override
    public void createDatabase(String name, String createSql, long line) {
        TargetDatabase target = new TargetDatabase(name, config.mode(), connections, config.jobs(),
                config.splitTables());
        targets.put(name, target);
        target.create(maintenance, createSql);
    }

    @Override
    public void databaseObject(String name, String sql, long line) {
        TargetDatabase target = targets.get(name);
        execute(maintenance, Statements.renameDatabase(sql, name, target.workName()), line);
    }

    @Override
    public void statement(String name, Statements.Classified kind, String sql, long line) {
        Session session = targets.get(name).session();
        switch (kind.kind()) {
            case INDEX -> session.build(Job.Kind.INDEX, sql, line, kind.name(), kind.shared(), null);
            case FOREIGN_KEY -> session.build(Job.Kind.FOREIGN_KEY, sql, line, kind.name(), false, kind.other());
            case TRIGGER -> session.build(Job.Kind.TRIGGER, sql, line, kind.name(), false, null);
            default -> session.execute(sql, line, kind.kind() == Statements.Kind.SESSION);
        }
    }

    @Override
    public void copy(String name, DumpItem.Copy copy, DumpScanner scanner) throws IOException {
        targets.get(name).session().copy(copy, scanner);
    }

    @Override
    public void leave(String name) {
        targets.get(name).leave();
    }

    /** Completes every target (counts, ANALYZE, migrations), then swaps them all in. */
    Map<String, TargetDatabase.Contents> complete() {
        Map<String, TargetDatabase.Contents> contents = new LinkedHashMap<>();
        for (TargetDatabase target : targets.values()) {
            TargetDatabase.Contents restored = target.complete();
            if (restored.tables() == 0 && config.mode() == DbRestoreConfig.Mode.SWAP && target.currentHasTables()) {
                throw StepException.refused("The backup holds no tables for database " + target.name()
                        + "; refusing to replace the existing " + target.name() + ", which has tables");
            }
            contents.put(target.name(), restored);
        }
        for (TargetDatabase target : targets.values()) {
            target.swapIn(maintenance, config.keepPrevious());
        }
        return contents;
    }

    /** After a failure: drops every incomplete database, leaving the originals untouched. */
    void abandon() {
        for (TargetDatabase target : targets.values()) {
            target.abandon(maintenance);
        }
    }

    private static void execute(Connection connection, String sql, long line) {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            statement.execute(sql);
        } catch (SQLException e) {
            throw Session.sqlError(line, sql, e);
        }
    }

    @Override
    public void close() {
        try {
            maintenance.close();
        } catch (SQLException e) {
            LOG.debug("Closing the maintenance connection failed: {}", e.getMessage());
        }
    }
}
