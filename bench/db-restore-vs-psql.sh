#!/usr/bin/env bash
# Benchmark: db-restore against `gunzip -c dump | psql -X -v ON_ERROR_STOP=1`, on the same PostgreSQL 15 server.
#
# Self-contained: builds db-restore if needed, starts its own PostgreSQL 15 server (from PGBIN) in a temporary
# directory, generates a realistic database (text, jsonb, timestamps, bytea, indexes, foreign keys, Django
# migrations), dumps it with pg_dump (>= 200 MB uncompressed, gzipped like production backups), then restores it
# ROUNDS times with each tool, alternating which goes first, each into a fresh database, and prints the medians and
# the median ratio db-restore/psql. db-restore runs with -Xmx256m, the JVM flags of its image (read from
# db-restore/pom.xml: C1 only, serial GC) and its default --jobs 2.
#
# Environment: ROUNDS (3), SCALE (1 = ~430 MB dump), PGBIN (/usr/lib/postgresql/15/bin), BENCH_PORT (55499),
# KEEP (1 keeps the temporary directory).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
SCALE=${SCALE:-1}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${BENCH_PORT:-55499}
REPO=$(cd "$(dirname "$0")/.." && pwd)
JAR=$REPO/db-restore/target/db-restore.jar
# The flags the image's JVM runs with, read from db-restore/pom.xml (Jib jvmFlags), as the media-sync benchmark does.
IMAGE_FLAGS=$(grep -o '<jvmFlag>[^<]*' "$REPO/db-restore/pom.xml" | sed 's/<jvmFlag>//' | tr '\n' ' ')

if [ ! -f "$JAR" ]; then
  (cd "$REPO" && mvn -B -ntp -pl db-restore -am package -DskipTests -Djib.skip)
fi

WORK=$(mktemp -d /tmp/db-restore-bench.XXXXXX)
chmod 755 "$WORK"
RUNAS=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root.
  chown postgres "$WORK"
  RUNAS=(runuser -u postgres --)
fi
cleanup() {
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

"${RUNAS[@]}" "$PGBIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
  -o "-p $PORT -k $WORK -c listen_addresses=localhost -c max_wal_size=2GB" start >/dev/null
export PGHOST=localhost PGPORT=$PORT PGUSER=postgres

echo "Generating the source database (SCALE=$SCALE)..."
createdb bench_source
psql -X -q -v ON_ERROR_STOP=1 -d bench_source -v scale="$SCALE" <<'SQL'
CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, name varchar(255) NOT NULL,
  applied timestamptz NOT NULL);
INSERT INTO django_migrations (app, name, applied)
  SELECT 'app' || (g % 12), lpad((g / 12)::text, 4, '0') || '_migration', now() - (g || ' minutes')::interval
  FROM generate_series(1, 300) g;
CREATE TABLE target (id serial PRIMARY KEY, title varchar(200) UNIQUE NOT NULL, display_name text, metadata jsonb,
  created timestamptz NOT NULL);
INSERT INTO target (title, display_name, metadata, created)
  SELECT 'TARGET' || g, 'Target number ' || g,
         jsonb_build_object('uniprot', 'P' || (10000 + g), 'tags', jsonb_build_array('a', 'b', g)),
         now() - (g || ' days')::interval
  FROM generate_series(1, 2000) g;
CREATE TABLE compound (id serial PRIMARY KEY, smiles text NOT NULL, inchi text, props jsonb, fingerprint bytea,
  created timestamptz NOT NULL);
INSERT INTO compound (smiles, inchi, props, fingerprint, created)
  SELECT 'C' || repeat('c1ccccc1', 1 + g % 7) || 'N' || g, 'InChI=1S/C' || g || '/H' || md5(g::text),
         jsonb_build_object('mw', (g % 900) + 0.5, 'logp', (g % 13) - 3.25, 'hbd', g % 5, 'name', 'cmpd-' || md5(g::text)),
         decode(md5(g::text) || md5((g + 1)::text), 'hex'), now() - (g || ' seconds')::interval
  FROM generate_series(1, (400000 * :scale)::int) g;
CREATE TABLE site_observation (id serial PRIMARY KEY, target_id int NOT NULL REFERENCES target(id),
  compound_id int NOT NULL REFERENCES compound(id), code varchar(64) NOT NULL, sdf text, pdb bytea,
  ligand_props jsonb, created timestamptz NOT NULL);
INSERT INTO site_observation (target_id, compound_id, code, sdf, pdb, ligand_props, created)
  SELECT 1 + g % 2000, 1 + (g * 7) % (400000 * :scale)::int, 'x' || lpad(g::text, 7, '0') || 'a',
         repeat(E'  1.2340   -5.6780    9.1011 C   0  0  0  0  0  0\n', 8 + g % 10) || E'M  END\t$$;\n',
         decode(repeat(md5(g::text), 6), 'hex'), jsonb_build_object('score', g % 100, 'pose', g),
         now() - (g || ' minutes')::interval
  FROM generate_series(1, (250000 * :scale)::int) g;
CREATE INDEX site_observation_code_idx ON site_observation (code);
CREATE INDEX site_observation_target_idx ON site_observation (target_id);
CREATE INDEX site_observation_compound_idx ON site_observation (compound_id);
CREATE INDEX compound_smiles_idx ON compound (smiles);
CREATE TABLE activity_log (id bigserial PRIMARY KEY, observation_id int REFERENCES site_observation(id),
  message text, payload jsonb, at timestamptz NOT NULL);
INSERT INTO activity_log (observation_id, message, payload, at)
  SELECT 1 + g % (250000 * :scale)::int, 'Event ' || g || ' processed by worker ' || (g % 17),
         jsonb_build_object('k', g, 'v', md5(g::text)), now() - (g || ' seconds')::interval
  FROM generate_series(1, (600000 * :scale)::int) g;
CREATE INDEX activity_log_at_idx ON activity_log (at);
CREATE INDEX activity_log_observation_idx ON activity_log (observation_id);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END; $$;
CREATE TRIGGER activity_log_touch BEFORE UPDATE ON activity_log FOR EACH ROW EXECUTE FUNCTION touch();
SQL

DUMP="$WORK/backup-2026-01-01T00:00:00Z-bench.sql.gz"
pg_dump bench_source | gzip -1 > "$DUMP"
dropdb bench_source
SQL_BYTES=$(gunzip -c "$DUMP" | wc -c)
echo "Dump: $(du -h "$DUMP" | cut -f1) gzipped, $((SQL_BYTES / 1000000)) MB of SQL"
if [ "$SQL_BYTES" -lt 200000000 ]; then echo "The dump must be at least 200 MB; raise SCALE" >&2; exit 1; fi

now() { date +%s.%N; }

# Each run starts from a clean slate: the previous run's dirty buffers written out, so that its checkpoint does not
# land on the next run.
settle() { psql -X -q -d postgres -c CHECKPOINT; sync; }

run_psql() {
  dropdb --if-exists bench_psql; createdb bench_psql; settle
  local start; start=$(now)
  gunzip -c "$DUMP" | psql -X -q -v ON_ERROR_STOP=1 -d bench_psql >/dev/null
  echo "$(now) - $start" | bc
}

run_db_restore() {
  dropdb --if-exists bench; settle
  local start; start=$(now)
  TERMINATION_LOG="$WORK/termination-log" LOG_LEVEL=WARN \
    java -Xmx256m $IMAGE_FLAGS -jar "$JAR" --backup "$DUMP" --database bench >/dev/null
  echo "$(now) - $start" | bc
}

PSQL_TIMES=()
RESTORE_TIMES=()
RATIOS=()
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then
    p=$(run_psql); r=$(run_db_restore)
  else
    r=$(run_db_restore); p=$(run_psql)
  fi
  PSQL_TIMES+=("$p"); RESTORE_TIMES+=("$r"); RATIOS+=("$(echo "$r / $p" | bc -l)")
  printf 'round %d: psql %.1fs, db-restore %.1fs, ratio %.2f (load %s)\n' "$round" "$p" "$r" "$(echo "$r / $p" | bc -l)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
MP=$(median "${PSQL_TIMES[@]}")
MR=$(median "${RESTORE_TIMES[@]}")
echo "---"
printf 'median psql:       %.1fs\n' "$MP"
printf 'median db-restore: %.1fs (includes JVM start, ANALYZE and the swap)\n' "$MR"
printf 'ratio of the medians: %.2f\n' "$(echo "$MR / $MP" | bc -l)"
printf 'median ratio db-restore/psql (per round): %.2f (target 0.70 or lower)\n' "$(median "${RATIOS[@]}")"
cat "$WORK/termination-log"; echo
