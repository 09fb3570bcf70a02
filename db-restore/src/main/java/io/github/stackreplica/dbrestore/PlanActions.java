package io.github.stackreplica.dbrestore;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A dry run: counts what the dump would do per database without touching any server. */
final class PlanActions implements DumpActions {

    /** What the dump holds for one database. */
    static final class DatabasePlan {
        int statements;
        int tables;
        int copies;
        long rows;

        @Override
        public String toString() {
            return tables + " tables, " + statements + " statements, " + copies + " COPY blocks with " + rows + " rows";
        }
    }

    private final Map<String, DatabasePlan> databases = new LinkedHashMap<>();
    private final Map<String, String> roles = new LinkedHashMap<>();

    Map<String, DatabasePlan> databases() {
        return databases;
    }

    /** The dump's roles: name -> "create" (roles are created only when the server lacks them). */
    Map<String, String> roles() {
        return roles;
    }

    @Override
    public void globalSetting(String sql, long line) {
    }

    @Override
    public void role(Statements.Classified role, String sql, long line) {
        if (role.kind() == Statements.Kind.CREATE_ROLE) {
            roles.put(role.name(), "create if missing");
        }
    }

    @Override
    public void createDatabase(String name, String createSql, long line) {
        databases.put(name, new DatabasePlan());
    }

    @Override
    public void databaseObject(String name, String sql, long line) {
        databases.get(name).statements++;
    }

    @Override
    public void statement(String name, Statements.Classified kind, String sql, long line) {
        DatabasePlan plan = databases.get(name);
        plan.statements++;
        if (kind.kind() == Statements.Kind.CREATE_TABLE) {
            plan.tables++;
        }
    }

    @Override
    public void copy(String name, DumpItem.Copy copy, DumpScanner scanner) throws IOException {
        DatabasePlan plan = databases.get(name);
        plan.copies++;
        plan.statements++;
        plan.rows += scanner.copyData((bytes, offset, length) -> { });
    }

    @Override
    public void leave(String name) {
    }
}
