package io.github.stackreplica.dbrestore;

import io.github.stackreplica.common.cli.StepException;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a dump and decides what each item means for the restore: which database section it belongs to, whether that
 * database is restored, which role statements apply, and which psql meta-commands are allowed.
 */
final class DumpRouter {

    private static final Logger LOG = LoggerFactory.getLogger(DumpRouter.class);
    private static final Pattern CONNINFO_DBNAME = Pattern.compile("dbname='((?:[^'\\\\]|\\\\.)*)'");

    private final boolean cluster;
    private final Predicate<String> isTarget;
    private final String singleTarget;
    private final boolean roles;
    private final DumpActions actions;
    private final Set<String> created = new LinkedHashSet<>();
    private final Set<String> databasesInDump = new LinkedHashSet<>();
    private String section;
    private boolean inOtherSection;

    /**
     * @param cluster      true for a pg_dumpall script, false for a pg_dump of one database
     * @param isTarget     which databases of a dumpall are restored
     * @param singleTarget the database a single-database dump is restored into
     * @param roles        whether role statements are passed on at all
     */
    DumpRouter(boolean cluster, Predicate<String> isTarget, String singleTarget, boolean roles, DumpActions actions) {
        this.cluster = cluster;
        this.isTarget = isTarget;
        this.singleTarget = singleTarget;
        this.roles = roles;
        this.actions = actions;
        this.section = cluster ? null : singleTarget;
    }

    /** The databases a dumpall creates, in dump order (for a single-database dump, the target). */
    Set<String> databasesInDump() {
        return databasesInDump;
    }

    /** The target databases created so far, in dump order. */
    Set<String> created() {
        return created;
    }

    void run(DumpScanner scanner) throws IOException {
        for (DumpItem item = scanner.next(); item != null; item = scanner.next()) {
            if (item instanceof DumpItem.Meta meta) {
                meta(meta);
            } else if (item instanceof DumpItem.Copy copy) {
                if (section != null) {
                    ensureCreated(section, null, copy.line());
                    actions.copy(section, copy, scanner);
                } else {
                    scanner.copyData((bytes, offset, length) -> { });
                }
            } else if (item instanceof DumpItem.Sql sql) {
                statement(sql.text(), sql.line());
            }
        }
        if (!cluster) {
            ensureCreated(singleTarget, null, scanner.lineNumber());
        }
        if (section != null) {
            actions.leave(section);
        }
    }

    private void meta(DumpItem.Meta meta) {
        switch (meta.command()) {
            case "restrict", "unrestrict" -> { }
            case "connect", "c" -> {
                if (!cluster) {
                    return;
                }
                String name = connectTarget(meta.argument());
                if (section != null && !section.equals(name)) {
                    actions.leave(section);
                }
                section = isTarget.test(name) ? name : null;
                inOtherSection = section == null;
                if (section != null) {
                    ensureCreated(name, null, meta.line());
                } else {
                    LOG.debug("Skipping the section of database {} (line {})", name, meta.line());
                }
            }
            default -> throw StepException.failed("Unsupported psql meta-command \\" + meta.command() + " at line "
                    + meta.line() + " of the dump: db-restore understands only \\connect, \\restrict and \\unrestrict."
                    + " Is this a plain pg_dump/pg_dumpall script?");
        }
    }

    private void statement(String sql, long line) {
        Statements.Classified kind = Statements.classify(sql);
        switch (kind.kind()) {
            case CREATE_DATABASE -> {
                String name = cluster ? kind.name() : singleTarget;
                databasesInDump.add(name);
                if (isTargetOf(name)) {
                    ensureCreated(name, cluster ? sql : Statements.renameDatabase(sql, kind.name(), singleTarget), line);
                }
            }
            case DROP_DATABASE, TEMPLATE_FLAG -> LOG.debug("Skipping line {}: db-restore drops and replaces databases itself", line);
            case DATABASE_OBJECT -> {
                String name = cluster ? kind.name() : singleTarget;
                if (isTargetOf(name)) {
                    ensureCreated(name, null, line);
                    actions.databaseObject(name, cluster ? sql : Statements.renameDatabase(sql, kind.name(), singleTarget), line);
                }
            }
            case CREATE_ROLE, ALTER_ROLE, DROP_ROLE, GRANT_ROLE, COMMENT_ON_ROLE -> {
                if (roles && section == null) {
                    actions.role(kind, sql, line);
                } else if (roles) {
                    actions.statement(section, kind, sql, line);
                }
            }
            case CLIENT_ENCODING -> {
                if (!"UTF8".equals(kind.name().toUpperCase(Locale.ROOT).replace("-", ""))) {
                    throw StepException.failed("The dump sets client_encoding '" + kind.name() + "' at line " + line
                            + "; db-restore reads dumps in UTF8 only (pg_dump --encoding=UTF8)");
                }
            }
            default -> {
                if (section != null) {
                    ensureCreated(section, null, line);
                    actions.statement(section, kind, sql, line);
                } else if (kind.kind() == Statements.Kind.SESSION) {
                    actions.globalSetting(sql, line);
                } else if (inOtherSection) {
                    LOG.debug("Skipping line {} in the section of a database not restored", line);
                } else {
                    LOG.info("Skipping global statement at line {}: {}", line, abbreviate(sql));
                }
            }
        }
    }

    private boolean isTargetOf(String name) {
        return cluster ? isTarget.test(name) : true;
    }

    private void ensureCreated(String name, String createSql, long line) {
        if (created.add(name)) {
            if (!cluster) {
                databasesInDump.add(name);
            }
            actions.createDatabase(name, createSql, line);
        }
    }

    /** The database a {@code \connect} argument names: {@code frag} or {@code -reuse-previous=on "dbname='x'"}. */
    static String connectTarget(String argument) {
        Matcher conninfo = CONNINFO_DBNAME.matcher(argument);
        if (conninfo.find()) {
            return conninfo.group(1).replaceAll("\\\\(.)", "$1");
        }
        String first = argument.strip().split("\\s+")[0];
        return Statements.unquote(first);
    }

    private static String abbreviate(String sql) {
        String flat = sql.replaceAll("\\s+", " ");
        return flat.length() > 100 ? flat.substring(0, 97) + "..." : flat;
    }
}
