-- The source database: realistic types, keys, and data that trips naive dump parsers.
CREATE TABLE public.compound (
    id serial PRIMARY KEY,
    name text NOT NULL,
    props jsonb,
    fingerprint bytea,
    created timestamptz NOT NULL DEFAULT '2025-01-01 00:00:00+00'
);
CREATE INDEX compound_name_idx ON public.compound (name);
CREATE TABLE public."Odd Table; name" (
    "weird ""col""" text,
    n numeric
);
CREATE TABLE public.observation (
    id bigserial PRIMARY KEY,
    compound_id int NOT NULL REFERENCES public.compound(id),
    note text,
    UNIQUE (compound_id, note)
);
CREATE TABLE public.django_migrations (id serial PRIMARY KEY, app varchar(255), name varchar(255), applied timestamptz);
INSERT INTO public.django_migrations (app, name, applied) VALUES
    ('auth', '0001_initial', '2024-01-01'), ('auth', '0002_groups', '2024-02-01'),
    ('catalog', '0001_initial', '2024-01-01'), ('catalog', '0003_add_smiles', '2024-03-01'),
    ('catalog', '0002_older', '2024-02-15');
INSERT INTO public.compound (name, props, fingerprint) VALUES
    (E'tab\there', '{"a": 1}', '\x00ff'),
    (E'newline\nin the middle', '{"quote": "it''s"}', '\x5c2e'),
    (E'back\\slash and \\. and \\N', NULL, NULL),
    (E'\\.', '[]', ''),
    ('unicode: żółw 🐢 日本', '{"emoji": "🐢"}', '\xdeadbeef'),
    ('semi; colon -- not a comment /* nor this */', '{}', NULL),
    (repeat('long value ', 20000), NULL, decode(repeat('ab', 100000), 'hex'));
INSERT INTO public.compound (name, props) SELECT 'c' || g, jsonb_build_object('g', g) FROM generate_series(1, 993) g;
INSERT INTO public.observation (compound_id, note) SELECT 1 + g % 1000, CASE WHEN g % 7 = 0 THEN NULL ELSE 'n' || g END
    FROM generate_series(1, 200) g;
INSERT INTO public."Odd Table; name" VALUES ('a "quoted"; value', 1.5), (NULL, NULL);
CREATE FUNCTION public.tricky(x text) RETURNS text LANGUAGE plpgsql AS $body$
BEGIN
    -- a comment with a 'quote' and a ; semicolon
    IF x = ';' THEN RETURN $$it's; done$$; END IF;
    RETURN x || ';';
END;
$body$;
COMMENT ON FUNCTION public.tricky(text) IS 'has ''quotes''; and semicolons';
COMMENT ON TABLE public.compound IS E'a comment with\na newline and a \\ backslash';
CREATE VIEW public.compound_names AS SELECT name FROM public.compound WHERE name <> ';';
GRANT SELECT ON public.compound TO app;
