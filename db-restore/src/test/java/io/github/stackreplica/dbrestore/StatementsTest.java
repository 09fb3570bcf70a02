package io.github.stackreplica.dbrestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatementsTest {

    private static Statements.Classified classify(String sql) {
        return Statements.classify(sql);
    }

    @Test
    void recognisesIndexesAndKeysWithTheirTable() {
        Statements.Classified index = classify("CREATE INDEX t_s_idx ON public.t USING btree (s)");
        assertEquals(Statements.Kind.INDEX, index.kind());
        assertEquals("public.t", index.name());
        assertTrue(index.shared());
        Statements.Classified key = classify("ALTER TABLE ONLY public.\"Odd Table\"\n    ADD CONSTRAINT odd_pkey PRIMARY KEY (id)");
        assertEquals(Statements.Kind.INDEX, key.kind());
        assertEquals("public.Odd Table", key.name());
        assertFalse(key.shared());
    }

    @Test
    void recognisesForeignKeysWithBothTables() {
        Statements.Classified fk = classify("ALTER TABLE ONLY public.c\n    ADD CONSTRAINT c_id_fkey FOREIGN KEY (id) REFERENCES public.t(id)");
        assertEquals(Statements.Kind.FOREIGN_KEY, fk.kind());
        assertEquals("public.c", fk.name());
        assertEquals("public.t", fk.other());
    }

    @Test
    void recognisesAPlainTriggerWithItsTableButNotAConstraintTrigger() {
        Statements.Classified trigger = classify("CREATE TRIGGER t_touch BEFORE UPDATE OF \"on\" ON public.\"Odd t\" FOR EACH ROW"
                + " EXECUTE FUNCTION public.touch()");
        assertEquals(Statements.Kind.TRIGGER, trigger.kind());
        assertEquals("public.Odd t", trigger.name());
        assertEquals(Statements.Kind.OTHER, classify("CREATE CONSTRAINT TRIGGER c AFTER INSERT ON public.t FROM public.u"
                + " FOR EACH ROW EXECUTE FUNCTION public.f()").kind());
    }

    @Test
    void validatesAForeignKeyOfAPlainTableSeparatelyButLeavesPartitionedAndNotValidKeysAlone() {
        assertEquals("ALTER TABLE ONLY public.\"Odd c\" VALIDATE CONSTRAINT \"c_Id_fkey\"", Statements.foreignKeyValidation(
                "ALTER TABLE ONLY public.\"Odd c\"\n    ADD CONSTRAINT \"c_Id_fkey\" FOREIGN KEY (id) REFERENCES public.t(id) ON DELETE CASCADE"));
        assertEquals(null, Statements.foreignKeyValidation(
                "ALTER TABLE public.p\n    ADD CONSTRAINT p_fkey FOREIGN KEY (id) REFERENCES public.t(id)"), "partitioned: NOT VALID is refused");
        assertEquals(null, Statements.foreignKeyValidation(
                "ALTER TABLE ONLY public.c\n    ADD CONSTRAINT c_fkey FOREIGN KEY (id) REFERENCES public.t(id) NOT VALID"));
        assertEquals(null, Statements.foreignKeyValidation("ALTER TABLE ONLY public.c ADD CONSTRAINT c_pkey PRIMARY KEY (id)"));
    }

    @Test
    void tellsRoleStatementsFromPrivilegeGrants() {
        assertEquals(Statements.Kind.CREATE_ROLE, classify("CREATE ROLE app").kind());
        assertEquals(Statements.Kind.ALTER_ROLE, classify("ALTER ROLE app WITH LOGIN PASSWORD 'x'").kind());
        assertEquals(Statements.Kind.DROP_ROLE, classify("DROP ROLE IF EXISTS app").kind());
        Statements.Classified membership = classify("GRANT pg_read_all_data TO reader GRANTED BY postgres");
        assertEquals(Statements.Kind.GRANT_ROLE, membership.kind());
        assertEquals("reader", membership.name());
        assertEquals(Statements.Kind.OTHER, classify("GRANT SELECT ON TABLE public.t TO reader").kind());
    }

    @Test
    void recognisesDatabaseStatementsAndSessionSettings() {
        assertEquals("frag", classify("CREATE DATABASE frag WITH TEMPLATE = template0 ENCODING = 'UTF8'").name());
        assertEquals(Statements.Kind.DROP_DATABASE, classify("DROP DATABASE IF EXISTS frag").kind());
        assertEquals(Statements.Kind.DATABASE_OBJECT, classify("GRANT CONNECT ON DATABASE frag TO app").kind());
        assertEquals(Statements.Kind.DATABASE_OBJECT, classify("COMMENT ON DATABASE \"Frag\" IS 'x'").kind());
        assertEquals(Statements.Kind.SESSION, classify("SELECT pg_catalog.set_config('search_path', '', false)").kind());
        assertEquals(Statements.Kind.CLIENT_ENCODING, classify("SET client_encoding = 'UTF8'").kind());
        assertEquals(Statements.Kind.CREATE_TABLE, classify("CREATE TABLE public.t (id int)").kind());
    }

    @Test
    void stripsPasswordsFromRoleStatements() {
        assertEquals("ALTER ROLE app WITH NOSUPERUSER LOGIN NOREPLICATION",
                Statements.withoutPassword("ALTER ROLE app WITH NOSUPERUSER LOGIN PASSWORD 'SCRAM-SHA-256$4096:a''b=' NOREPLICATION"));
        assertEquals("CREATE ROLE x WITH LOGIN", Statements.withoutPassword("CREATE ROLE x WITH LOGIN ENCRYPTED PASSWORD 'md5abc'"));
        assertEquals("ALTER ROLE x WITH LOGIN", Statements.withoutPassword("ALTER ROLE x WITH LOGIN PASSWORD NULL"));
    }

    @Test
    void renamesTheDatabaseAStatementIsAbout() {
        assertEquals("ALTER DATABASE frag__restoring OWNER TO app",
                Statements.renameDatabase("ALTER DATABASE frag OWNER TO app", "frag", "frag__restoring"));
        assertEquals("GRANT CONNECT ON DATABASE frag__restoring TO frag",
                Statements.renameDatabase("GRANT CONNECT ON DATABASE frag TO frag", "frag", "frag__restoring"));
        assertEquals("COMMENT ON DATABASE \"My DB__restoring\" IS 'frag'",
                Statements.renameDatabase("COMMENT ON DATABASE \"My DB\" IS 'frag'", "My DB", "My DB__restoring"));
    }

    @Test
    void readsTheDatabaseOfAConnectMetaCommand() {
        assertEquals("frag", DumpRouter.connectTarget("frag"));
        assertEquals("Odd Name", DumpRouter.connectTarget("-reuse-previous=on \"dbname='Odd Name'\""));
        assertEquals("it's", DumpRouter.connectTarget("-reuse-previous=on \"dbname='it\\'s'\""));
    }
}
