package io.github.stackreplica.dbrestore;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises the statements of a pg_dump/pg_dumpall script that db-restore treats specially. */
final class Statements {

    /** What a statement is, as far as restoring is concerned. */
    enum Kind {
        /** {@code SET ...} or {@code SELECT pg_catalog.set_config(...)}: session state every connection needs. */
        SESSION,
        CLIENT_ENCODING,
        CREATE_DATABASE,
        DROP_DATABASE,
        /** ALTER/COMMENT ON/GRANT/REVOKE/SECURITY LABEL on a database; {@code name} is that database. */
        DATABASE_OBJECT,
        /** {@code UPDATE pg_catalog.pg_database SET datistemplate ...}, which pg_dumpall writes for template1. */
        TEMPLATE_FLAG,
        CREATE_ROLE,
        ALTER_ROLE,
        DROP_ROLE,
        /** {@code GRANT role TO member}: {@code name} is the member. */
        GRANT_ROLE,
        COMMENT_ON_ROLE,
        CREATE_TABLE,
        /** A primary key, unique, check or exclusion constraint, or an index: needs only its table. */
        INDEX,
        /** A foreign key: needs its table and the referenced table's key. */
        FOREIGN_KEY,
        /** {@code CREATE TRIGGER ... ON table} (not a constraint trigger): needs only its table (and its function). */
        TRIGGER,
        OTHER
    }

    /**
     * A classified statement.
     *
     * @param name    the database, role or table it is about (unquoted), or null
     * @param other   the referenced table of a foreign key, or null
     * @param shared  true when the statement may run alongside others on the same table (CREATE INDEX)
     */
    record Classified(Kind kind, String name, String other, boolean shared) {
    }

    private static final String IDENT = "(\"(?:[^\"]|\"\")+\"|[^\\s\";,()]+)";
    private static final String QUALIFIED = "((?:\"(?:[^\"]|\"\")+\"|[^\\s\".;,()]+)(?:\\.(?:\"(?:[^\"]|\"\")+\"|[^\\s\".;,()]+))?)";
    private static final int I = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;

    private static final Pattern CLIENT_ENCODING = Pattern.compile("SET\\s+client_encoding\\s*(?:=|TO)\\s*'([^']*)'", I);
    private static final Pattern SESSION = Pattern.compile("(SET\\s|SELECT\\s+pg_catalog\\.set_config\\s*\\(|RESET\\s).*", I);
    private static final Pattern CREATE_DATABASE = Pattern.compile("CREATE\\s+DATABASE\\s+" + IDENT + ".*", I);
    private static final Pattern DROP_DATABASE = Pattern.compile("DROP\\s+DATABASE\\s+(?:IF\\s+EXISTS\\s+)?" + IDENT + ".*", I);
    private static final Pattern DATABASE_OBJECT = Pattern.compile(
            "(?:ALTER\\s+DATABASE\\s+|COMMENT\\s+ON\\s+DATABASE\\s+|SECURITY\\s+LABEL\\s+.*?ON\\s+DATABASE\\s+|(?:GRANT|REVOKE)\\s+.*?\\s+ON\\s+DATABASE\\s+)"
                    + IDENT + ".*", I);
    private static final Pattern TEMPLATE_FLAG = Pattern.compile("UPDATE\\s+pg_catalog\\.pg_database\\s+SET\\s+datistemplate.*", I);
    private static final Pattern CREATE_ROLE = Pattern.compile("CREATE\\s+(?:ROLE|USER|GROUP)\\s+" + IDENT + ".*", I);
    private static final Pattern ALTER_ROLE = Pattern.compile("ALTER\\s+(?:ROLE|USER|GROUP)\\s+" + IDENT + ".*", I);
    private static final Pattern DROP_ROLE = Pattern.compile("DROP\\s+(?:ROLE|USER|GROUP)\\s+(?:IF\\s+EXISTS\\s+)?" + IDENT + ".*", I);
    private static final Pattern COMMENT_ON_ROLE = Pattern.compile("COMMENT\\s+ON\\s+ROLE\\s+" + IDENT + ".*", I);
    private static final Pattern GRANT_ROLE = Pattern.compile("GRANT\\s+" + IDENT + "\\s+TO\\s+" + IDENT + "(\\s.*)?", I);
    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE\\s+(?:UNLOGGED\\s+)?TABLE\\s+.*", I);
    private static final Pattern CREATE_INDEX = Pattern.compile(
            "CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+" + IDENT + "\\s+ON\\s+(?:ONLY\\s+)?" + QUALIFIED + "\\s.*", I);
    private static final Pattern TRIGGER = Pattern.compile("CREATE\\s+(?:OR\\s+REPLACE\\s+)?TRIGGER\\s+" + IDENT
            + "\\s.*?\\sON\\s+" + QUALIFIED + "\\s.*", I);
    private static final Pattern KEY = Pattern.compile("ALTER\\s+TABLE\\s+(?:ONLY\\s+)?" + QUALIFIED
            + "\\s+ADD\\s+CONSTRAINT\\s+" + IDENT + "\\s+(?:PRIMARY\\s+KEY|UNIQUE|CHECK|EXCLUDE)\\b.*", I);
    private static final Pattern FOREIGN_KEY = Pattern.compile("ALTER\\s+TABLE\\s+(?:ONLY\\s+)?" + QUALIFIED
            + "\\s+ADD\\s+CONSTRAINT\\s+" + IDENT + "\\s+FOREIGN\\s+KEY\\s*\\(.*?\\)\\s*REFERENCES\\s+" + QUALIFIED + ".*", I);
    private static final Pattern ONLY = Pattern.compile("ALTER\\s+TABLE\\s+ONLY\\s", I);
    private static final Pattern NOT_VALID = Pattern.compile("\\sNOT\\s+VALID\\s*$", I);
    private static final Pattern PASSWORD = Pattern.compile(
            "\\s+(?:(?:UN)?ENCRYPTED\\s+)?PASSWORD\\s+(?:'(?:[^']|'')*'|NULL)", Pattern.CASE_INSENSITIVE);

    private Statements() {
    }

    static Classified classify(String sql) {
        String head = sql.length() > 12 ? sql.substring(0, 12).toUpperCase(Locale.ROOT) : sql.toUpperCase(Locale.ROOT);
        Matcher m;
        if (head.startsWith("SET ") || head.startsWith("SELECT PG_CA") || head.startsWith("RESET ")) {
            if ((m = CLIENT_ENCODING.matcher(sql)).matches()) {
                return new Classified(Kind.CLIENT_ENCODING, m.group(1), null, false);
            }
            if (SESSION.matcher(sql).matches()) {
                return new Classified(Kind.SESSION, null, null, false);
            }
        }
        if (head.startsWith("CREATE")) {
            if ((m = CREATE_INDEX.matcher(sql)).matches()) {
                return new Classified(Kind.INDEX, unquote(m.group(2)), null, true);
            }
            if ((m = TRIGGER.matcher(sql)).matches()) {
                return new Classified(Kind.TRIGGER, unquote(m.group(2)), null, false);
            }
            if (CREATE_TABLE.matcher(sql).matches()) {
                return new Classified(Kind.CREATE_TABLE, null, null, false);
            }
            if ((m = CREATE_DATABASE.matcher(sql)).matches()) {
                return new Classified(Kind.CREATE_DATABASE, unquote(m.group(1)), null, false);
            }
            if ((m = CREATE_ROLE.matcher(sql)).matches()) {
                return new Classified(Kind.CREATE_ROLE, unquote(m.group(1)), null, false);
            }
        }
        if (head.startsWith("ALTER TABLE")) {
            if ((m = KEY.matcher(sql)).matches()) {
                return new Classified(Kind.INDEX, unquote(m.group(1)), null, false);
            }
            if ((m = FOREIGN_KEY.matcher(sql)).matches()) {
                return new Classified(Kind.FOREIGN_KEY, unquote(m.group(1)), unquote(m.group(3)), false);
            }
        }
        return classifyGlobal(sql, head);
    }

    private static Classified classifyGlobal(String sql, String head) {
        Matcher m;
        if ((m = DATABASE_OBJECT.matcher(sql)).matches()) {
            return new Classified(Kind.DATABASE_OBJECT, unquote(m.group(1)), null, false);
        }
        if (head.startsWith("DROP") && (m = DROP_DATABASE.matcher(sql)).matches()) {
            return new Classified(Kind.DROP_DATABASE, unquote(m.group(1)), null, false);
        }
        if (head.startsWith("UPDATE") && TEMPLATE_FLAG.matcher(sql).matches()) {
            return new Classified(Kind.TEMPLATE_FLAG, null, null, false);
        }
        if (head.startsWith("ALTER") && (m = ALTER_ROLE.matcher(sql)).matches()) {
            return new Classified(Kind.ALTER_ROLE, unquote(m.group(1)), null, false);
        }
        if (head.startsWith("DROP") && (m = DROP_ROLE.matcher(sql)).matches()) {
            return new Classified(Kind.DROP_ROLE, unquote(m.group(1)), null, false);
        }
        if (head.startsWith("COMMENT") && (m = COMMENT_ON_ROLE.matcher(sql)).matches()) {
            return new Classified(Kind.COMMENT_ON_ROLE, unquote(m.group(1)), null, false);
        }
        if (head.startsWith("GRANT") && !sql.toUpperCase(Locale.ROOT).contains(" ON ")
                && (m = GRANT_ROLE.matcher(sql)).matches()) {
            return new Classified(Kind.GRANT_ROLE, unquote(m.group(2)), null, false);
        }
        return new Classified(Kind.OTHER, null, null, false);
    }

    /**
     * For a foreign key that pg_dump adds valid to a plain table ({@code ALTER TABLE ONLY t ADD CONSTRAINT c FOREIGN KEY
     * ...}), the statement that validates it once added {@code NOT VALID}: {@code ALTER TABLE ONLY t VALIDATE CONSTRAINT
     * c}. Null for any other statement (a partitioned table's key, one the dump keeps NOT VALID).
     */
    static String foreignKeyValidation(String sql) {
        Matcher m = FOREIGN_KEY.matcher(sql);
        if (!m.matches() || !ONLY.matcher(sql).lookingAt() || NOT_VALID.matcher(sql).find()) {
            return null;
        }
        return "ALTER TABLE ONLY " + m.group(1) + " VALIDATE CONSTRAINT " + m.group(2);
    }

    /** The statement without any {@code PASSWORD '...'} clause. */
    static String withoutPassword(String sql) {
        return PASSWORD.matcher(sql).replaceAll("");
    }

    /**
     * The statement with the database named {@code from} (as {@link #classify} found it) renamed to {@code to}, in a
     * CREATE DATABASE or database-object statement.
     */
    static String renameDatabase(String sql, String from, String to) {
        Pattern name = Pattern.compile("(?i)(DATABASE\\s+(?:IF\\s+EXISTS\\s+)?)(" + Pattern.quote(quote(from)) + "|"
                + Pattern.quote(from) + ")(?=\\s|;|$)");
        Matcher m = name.matcher(sql);
        return m.find() ? sql.substring(0, m.start(2)) + quote(to) + sql.substring(m.end(2)) : sql;
    }

    /** The identifier as SQL text: quoted unless it is a plain lower-case name. */
    static String quote(String identifier) {
        if (identifier.matches("[a-z_][a-z0-9_$]*")) {
            return identifier;
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A name as written in SQL, unquoted; each part of a qualified name is unquoted and the parts joined by dots. */
    static String unquote(String written) {
        StringBuilder name = new StringBuilder();
        int i = 0;
        while (i < written.length()) {
            char c = written.charAt(i);
            if (c == '"') {
                int j = i + 1;
                while (j < written.length()) {
                    if (written.charAt(j) == '"') {
                        if (j + 1 < written.length() && written.charAt(j + 1) == '"') {
                            name.append('"');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    name.append(written.charAt(j++));
                }
                i = j + 1;
            } else {
                name.append(Character.toLowerCase(c));
                i++;
            }
        }
        return name.toString();
    }
}
