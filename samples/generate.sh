#!/usr/bin/env bash
# Regenerates the small sample inputs the README's "main job" uses: a gzipped pg_dumpall of a tiny Fragalysis-like
# database (with django_migrations) in the production backup layout, and a small media tree.
#   samples/backups/daily/backup-<UTC time>Z-dumpall.sql.gz
#   samples/media/...
# Needs PostgreSQL 15 server binaries (Debian: postgresql-15; default /usr/lib/postgresql/15/bin, or PG_BIN=...).
set -euo pipefail
cd "$(dirname "$0")"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
work=$(mktemp -d)
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); chown postgres "$work"; fi
port=$((20000 + RANDOM % 20000))
cleanup() { "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

"${as_pg[@]}" "$PG_BIN/initdb" -D "$work/data" -U postgres -A trust >/dev/null
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$work/data" -o "-p $port -k $work -c listen_addresses=''" -w start >/dev/null
psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres "$@"; }

psql -d postgres -c "CREATE ROLE fragalysis LOGIN" -c "CREATE DATABASE frag OWNER fragalysis"
psql -d frag <<'SQL'
SET ROLE fragalysis;
CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL,
                                applied timestamptz NOT NULL);
INSERT INTO django_migrations (app, name, applied) VALUES
  ('contenttypes', '0001_initial', '2024-01-10 10:00:00+00'),
  ('auth', '0012_alter_user_first_name_max_length', '2024-01-10 10:00:01+00'),
  ('viewer', '0001_initial', '2024-01-10 10:00:02+00'),
  ('viewer', '0042_target_experiment_metadata', '2026-10-02 09:14:00+00');
CREATE TABLE viewer_target (id serial PRIMARY KEY, title varchar(200) UNIQUE NOT NULL, display_name text,
                            metadata jsonb, created timestamptz NOT NULL DEFAULT now());
CREATE TABLE viewer_compound (id serial PRIMARY KEY, smiles text NOT NULL, inchi_key char(27), mol_weight numeric(10,4),
                              description text);
CREATE TABLE viewer_site_observation (id serial PRIMARY KEY, code varchar(255) NOT NULL,
                                      target_id int NOT NULL REFERENCES viewer_target(id),
                                      compound_id int REFERENCES viewer_compound(id), ligand_pdb varchar(255),
                                      apo_file bytea, added timestamptz);
CREATE INDEX viewer_site_observation_target ON viewer_site_observation (target_id);
CREATE FUNCTION viewer_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.added := coalesce(NEW.added, now()); RETURN NEW; END; $$;
CREATE TRIGGER viewer_touch BEFORE INSERT ON viewer_site_observation FOR EACH ROW EXECUTE FUNCTION viewer_touch();
INSERT INTO viewer_target (title, display_name, metadata, created)
  SELECT 'TARGET' || g, 'Target ' || g || E' \t tab; "quoted"', jsonb_build_object('n', g, 'tags', jsonb_build_array('a', 'b')),
         timestamptz '2025-01-01 00:00:00+00' + g * interval '1 day'
  FROM generate_series(1, 20) g;
INSERT INTO viewer_compound (smiles, inchi_key, mol_weight, description)
  SELECT 'C' || repeat('C', g % 12) || 'O', upper(substr(md5(g::text), 1, 14)) || '-' || upper(substr(md5(g::text), 15, 10)) || '-N',
         100 + g * 1.25, CASE WHEN g % 7 = 0 THEN NULL ELSE E'line one\nline two \\ backslash ü ' || g END
  FROM generate_series(1, 500) g;
INSERT INTO viewer_site_observation (code, target_id, compound_id, ligand_pdb, apo_file, added)
  SELECT 'x' || lpad(g::text, 4, '0') || '_A_201', 1 + g % 20, 1 + g % 500,
         'targets/TARGET' || (1 + g % 20) || '/aligned/x' || lpad(g::text, 4, '0') || '_ligand.pdb',
         decode(md5(g::text), 'hex'), timestamptz '2025-06-01 00:00:00+00' + g * interval '1 hour'
  FROM generate_series(1, 2000) g;
SQL

rm -rf backups media
mkdir -p backups/hourly backups/daily backups/weekly backups/monthly
stamp=2026-11-25T02:04:01
"$PG_BIN/pg_dumpall" -h "$work" -p "$port" -U postgres --clean --if-exists | gzip -9 -n > "backups/daily/backup-${stamp}Z-dumpall.sql.gz"
touch -d '2026-11-25 02:05:00 UTC' "backups/daily/backup-${stamp}Z-dumpall.sql.gz"

for t in 1 2 3; do
  dir=media/targets/TARGET$t/aligned/x000${t}_A_201
  mkdir -p "$dir" media/compound_sets
  printf 'HETATM    1  C1  LIG A 201      %s\nEND\n' "$t" > "$dir/x000${t}_A_201_ligand.pdb"
  head -c $((2048 * t)) /dev/zero | tr '\0' 'M' > "$dir/x000${t}_A_201_apo.pdb"
  printf 'smiles,name\nCCO,compound %s\n' "$t" > "media/compound_sets/set $t (ü).csv"
done
ln -sfn ../targets/TARGET1 media/compound_sets/TARGET1-link
ls -l backups/daily
echo "samples regenerated"
