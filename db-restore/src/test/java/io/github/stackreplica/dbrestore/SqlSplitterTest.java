package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlSplitterTest {

    private final SqlSplitter splitter = new SqlSplitter();

    private List<SqlSplitter.Statement> split(String text) {
        List<SqlSplitter.Statement> statements = new ArrayList<>();
        long line = 0;
        for (String part : text.split("\n", -1)) {
            statements.addAll(splitter.feed(part, ++line));
        }
        return statements;
    }

    private List<String> texts(String text) {
        return split(text).stream().map(SqlSplitter.Statement::text).toList();
    }

    @Test
    void splitsOnSemicolonsAndNumbersTheLineEachStatementStartsOn() {
        List<SqlSplitter.Statement> statements = split("SET a = 1; SET b = 2;\n\nCREATE TABLE t (\n  x int\n);");
        assertEquals(List.of("SET a = 1", "SET b = 2", "CREATE TABLE t (\n  x int\n)"),
                statements.stream().map(SqlSplitter.Statement::text).toList());
        assertEquals(List.of(1L, 1L, 3L), statements.stream().map(SqlSplitter.Statement::line).toList());
    }

    @Test
    void ignoresSemicolonsInsideQuotesIdentifiersAndComments() {
        assertEquals(List.of("SELECT 'a;b', \"c;d\", 'it''s; fine' /* x; y */", "SELECT 2"),
                texts("SELECT 'a;b', \"c;d\", 'it''s; fine' /* x; y */; -- trailing; comment\nSELECT 2;"));
    }

    @Test
    void escapeStringsHonourBackslashQuotesButStandardStringsDoNot() {
        assertEquals(List.of("SELECT E'a\\';b'", "SELECT 'c\\'", "SELECT 1"),
                texts("SELECT E'a\\';b'; SELECT 'c\\'; SELECT 1;"));
    }

    @Test
    void keepsDollarQuotedBodiesWholeAcrossLines() {
        List<String> statements = texts("CREATE FUNCTION f() RETURNS text AS $body$\nBEGIN\n  RETURN $$x;y$$; -- ;\nEND;\n$body$ LANGUAGE plpgsql;\nSELECT 1;");
        assertEquals(2, statements.size(), statements.toString());
        assertTrue(statements.get(0).contains("RETURN $$x;y$$; -- ;\nEND;\n$body$ LANGUAGE plpgsql"), statements.get(0));
    }

    @Test
    void semicolonsInsideParenthesesDoNotEndAStatement() {
        assertEquals(List.of("CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b)"),
                texts("CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b);"));
    }

    @Test
    void nestedBlockCommentsAndQuotedStringsSpanLines() {
        assertEquals(List.of("SELECT /* a /* nested; */ still; */ 'multi\nline;'"),
                texts("SELECT /* a /* nested; */ still; */ 'multi\nline;';"));
    }

    @Test
    void anUnfinishedStatementLeavesTheSplitterBusy() {
        split("CREATE TABLE t (");
        assertFalse(splitter.idle());
        assertEquals(1, splitter.pendingLine());
        split(");");
        assertTrue(splitter.idle());
    }

    @Test
    void dollarSignsInIdentifiersAndParametersAreNotQuotes() {
        assertEquals(List.of("SELECT a$b, $1", "SELECT 2"), texts("SELECT a$b, $1; SELECT 2;"));
    }
}
