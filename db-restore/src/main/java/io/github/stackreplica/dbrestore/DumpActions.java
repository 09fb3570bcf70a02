package io.github.stackreplica.dbrestore;

import java.io.IOException;

/** What {@link DumpRouter} asks for, item by item: carried out on a server, or only counted for a dry run. */
interface DumpActions {

    /** A {@code SET} of the dump's global part (before any database section). */
    void globalSetting(String sql, long line);

    /** A role statement of a dumpall; {@code sql} may carry a password, which must not reach the server. */
    void role(Statements.Classified role, String sql, long line);

    /** Creates target database {@code name}; {@code createSql} is the dump's CREATE DATABASE, or null for defaults. */
    void createDatabase(String name, String createSql, long line);

    /** A statement about target database {@code name} itself (owner, settings, comment, grants). */
    void databaseObject(String name, String sql, long line);

    /** A statement inside target database {@code name}. */
    void statement(String name, Statements.Classified kind, String sql, long line);

    /** A COPY into a table of target database {@code name}; its data follows in {@code scanner}. */
    void copy(String name, DumpItem.Copy copy, DumpScanner scanner) throws IOException;

    /** The dump moves on from target database {@code name}'s section. */
    void leave(String name);
}
