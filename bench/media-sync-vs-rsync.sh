#!/usr/bin/env bash
# Times media-sync against `rsync -a --delete` and `cp -a` on a generated tree shaped like the production media
# (deep per-target directories, mostly 2-30 KB files plus a few hundred large ones), whole processes timed (JVM start
# included), tools alternated round by round. Scenarios: (a) copy into an empty target, (b) re-sync with nothing
# changed, (c) re-sync after 1% of files changed and 1% deleted. Then, unless NFS_FILES=0, a smaller tree with the
# source on latfs (a FUSE passthrough adding 1 ms to every metadata operation, like a cold NFS client) for (a), (b).
#
# Environment: FILES (135000), LARGE (150), ROUNDS (3), NFS_FILES (10000), NFS_ROUNDS (1), NFS_LATENCY_US (1000),
# THREADS (8), JAVA_FLAGS (the image's), BENCH_DIR (/tmp/media-sync-bench; about 5x the tree's size is needed, ~13 GB by
# default), TARGET_FS (fresh: the local targets on a fresh loop-mounted ext4 when running as root, see targets_fs;
# same: beside the source).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/media-sync-bench}
FILES=${FILES:-135000}
LARGE=${LARGE:-150}
ROUNDS=${ROUNDS:-3}
NFS_FILES=${NFS_FILES:-10000}
NFS_ROUNDS=${NFS_ROUNDS:-1}
NFS_LATENCY_US=${NFS_LATENCY_US:-1000}
THREADS=${THREADS:-8}
# The flags the image's JVM runs with, read from media-sync/pom.xml (Jib jvmFlags).
IMAGE_FLAGS=$(grep -o '<jvmFlag>[^<]*' "$ROOT/media-sync/pom.xml" | sed 's/<jvmFlag>//' | tr '\n' ' ')
JAVA_FLAGS=${JAVA_FLAGS:-$IMAGE_FLAGS}
JAR=$ROOT/media-sync/target/media-sync.jar
LATFS_SRC=/work/shared/tools/latfs

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

ensure_tools() {
  if [ ! -f "$JAR" ]; then
    log "building $JAR"
    (cd "$ROOT" && mvn -B -ntp -pl media-sync -am package -DskipTests >/dev/null)
  fi
  if ! command -v rsync >/dev/null 2>&1; then
    log "installing rsync"
    apt-get install -y rsync >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y rsync >/dev/null; }
  fi
}

# generate DIR FILES LARGE SEED: a media-like tree, reproducible from SEED.
generate() {
  python3 - "$@" <<'PY'
import os, random, sys
root, files, large, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
pool = os.urandom(64 << 20)
def content(size):
    start = rng.randrange(0, len(pool) - min(size, len(pool)) + 1)
    chunk = pool[start:start + size]
    return chunk if len(chunk) == size else (chunk * (size // len(chunk) + 1))[:size]
exts = [".pdb", ".mol", ".sdf", ".cif", ".map", ".png", ".json", ".smi"]
per_crystal, crystals_per_target = 30, 15
made, t = 0, 0
large_at = set(rng.sample(range(files), min(large, files)))
while made < files:
    target = "T%04d" % t
    for c in range(crystals_per_target):
        d = os.path.join(root, "target_loader_data", target, "upload_1", target, "aligned_files",
                         "%s-x%04d_A" % (target, c))
        os.makedirs(d, exist_ok=True)
        for n in range(per_crystal):
            if made >= files:
                break
            if made in large_at:
                size = min(50 << 20, (5 << 20) + int(rng.expovariate(1 / (2 << 20))))
            else:
                size = int(2048 * (15 ** rng.random()))      # 2-30 KB, log-uniform
            with open(os.path.join(d, "%s-x%04d_A_%02d%s" % (target, c, n, rng.choice(exts))), "wb") as f:
                f.write(content(size))
            made += 1
    t += 1
PY
}

# mutate DIR SEED: rewrite 1% of the files (new content, new size) and delete another 1%.
mutate() {
  python3 - "$@" <<'PY'
import os, random, sys
root, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
picked = rng.sample(paths, max(2, len(paths) // 50))
half = len(picked) // 2
for p in picked[:half]:
    with open(p, "wb") as f:
        f.write(os.urandom(rng.randrange(2048, 30720)))
for p in picked[half:]:
    os.remove(p)
PY
}

now() { date +%s.%N; }
# run_tool TOOL SRC DST -> prints seconds
run_tool() {
  local tool=$1 src=$2 dst=$3 start end
  start=$(now)
  case $tool in
    media-sync) java $JAVA_FLAGS -jar "$JAR" --source "$src" --target "$dst" --threads "$THREADS" --progress-interval 10m \
                  >"$WORK/last-media-sync.log" 2>&1 || { cat "$WORK/last-media-sync.log" >&2; return 1; } ;;
    rsync) mkdir -p "$dst"; rsync -a --delete "$src/" "$dst/" ;;
    cp) mkdir -p "$dst"; cp -a "$src/." "$dst/" ;;
  esac
  end=$(now)
  echo "$end - $start" | bc -l
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { echo "scale=3; $1 / $2" | bc -l; }

declare -A T
record() { T[$1]="${T[$1]:-} $2"; }

# scenario NAME SRC TOOLS... : for each round, alternate the tools' order and time each into its own target.
scenario() {
  local name=$1 src=$2 base=$3; shift 3
  local tools=("$@") round i tool secs
  for ((round = 0; round < ROUNDS_NOW; round++)); do
    if [ "$name" = c ]; then mutate "$src" "$((100 + round))"; fi
    for ((i = 0; i < ${#tools[@]}; i++)); do
      tool=${tools[$(((i + round) % ${#tools[@]}))]}
      if [ "$name" = a ]; then rm -rf "$base/$tool"; fi
      sync # the previous run's dirty pages written out first, so that their writeback does not land on this run
      secs=$(run_tool "$tool" "$src" "$base/$tool")
      record "$name-$tool" "$secs"
      log "($name) round $((round + 1)) $tool ${secs}s"
    done
  done
}

summary() {
  local label=$1; shift
  local name ms rs cp
  echo "== $label"
  for name in "$@"; do
    ms=$(median ${T[$name-media-sync]}); rs=$(median ${T[$name-rsync]})
    cp=${T[$name-cp]:+$(median ${T[$name-cp]})}
    printf '(%s) media-sync %6.2fs  rsync %6.2fs  %s ratio media-sync/rsync %s  (medians of %s rounds: media-sync [%s] rsync [%s])\n' \
      "$name" "$ms" "$rs" "${cp:+cp -a ${cp}s }" "$(ratio "$ms" "$rs")" "$ROUNDS_NOW" "${T[$name-media-sync]# }" "${T[$name-rsync]# }"
  done
}

# targets_fs DIR: mounts a fresh ext4 file system (a loop-mounted sparse image) at DIR for the
# targets, like a new media volume, and prints DIR; prints nothing when that is not possible (not root, no loop
# device) or TARGET_FS=same. Why: on this project's long-lived root file system, ext4's inode allocator spends much of a
# 135,000-file copy skipping inodes deleted moments before (perf: recently_deleted and find_get_block, 30-40 % of
# cp's CPU), so (a) measured the previous run's deletion more than the tools and swung 14-60 s run to run.
targets_fs() {
  local dir=$1 image=$WORK/targets.img size
  [ "${TARGET_FS:-fresh}" = fresh ] && [ "$(id -u)" = 0 ] && command -v mkfs.ext4 >/dev/null && losetup -f >/dev/null 2>&1 \
    || return 0
  size=$(( $(du -sk "$WORK/local/src" | cut -f1) * 4 / 1024 + 1024 ))  # MiB: three targets and room to spare
  umount "$dir" 2>/dev/null || true
  rm -f "$image" && truncate -s "${size}M" "$image" && mkfs.ext4 -q -F "$image" && mkdir -p "$dir" \
    && mount -o loop "$image" "$dir" && echo "$dir"
}

local_bench() {
  local base=$WORK/local targets
  mkdir -p "$base"
  if [ "$(cat "$base/src.files" 2>/dev/null)" != "$FILES/$LARGE" ]; then
    log "generating $FILES files ($LARGE large) in $base/src"
    rm -rf "$base/src" && generate "$base/src" "$FILES" "$LARGE" 42 && echo "$FILES/$LARGE" >"$base/src.files"
  fi
  log "tree: $(find "$base/src" -type f | wc -l) files, $(du -sh "$base/src" | cut -f1)"
  rm -rf "$base/media-sync" "$base/rsync" "$base/cp"
  targets=$(targets_fs "$WORK/targets")
  if [ -n "$targets" ]; then
    trap 'umount "'"$targets"'" 2>/dev/null; rm -f "'"$WORK"'/targets.img"' EXIT
    log "targets on a fresh ext4 file system at $targets"
  else
    targets=$base
    log "targets in $targets (same file system as the source; see targets_fs)"
  fi
  ROUNDS_NOW=$ROUNDS
  scenario a "$base/src" "$targets" media-sync rsync cp
  scenario b "$base/src" "$targets" media-sync rsync
  scenario c "$base/src" "$targets" media-sync rsync
  # (c) changed the source: regenerate it next time.
  rm -f "$base/src.files"
  summary "local disk, $FILES files, targets $( [ "$targets" = "$base" ] && echo "beside the source" || echo "on a fresh ext4")" a b c
  if [ "$targets" != "$base" ]; then
    umount "$targets" && rm -f "$WORK/targets.img"
    trap - EXIT
  fi
}

nfs_bench() {
  local base=$WORK/nfs build=/tmp/latfs-build
  if [ ! -x "$build/latfs" ]; then
    rm -rf "$build" && cp -r "$LATFS_SRC" "$build" && (cd "$build" && ./build.sh >/dev/null)
  fi
  mkdir -p "$base/mnt"
  if [ "$(cat "$base/backing.files" 2>/dev/null)" != "$NFS_FILES" ]; then
    rm -rf "$base/backing" && generate "$base/backing" "$NFS_FILES" 0 7 && echo "$NFS_FILES" >"$base/backing.files"
  fi
  "$build/latfs" "$base/backing" "$base/mnt" "$NFS_LATENCY_US" &
  local pid=$!
  trap 'fusermount3 -u "'"$base"'/mnt" 2>/dev/null || true' EXIT
  for _ in $(seq 50); do mountpoint -q "$base/mnt" && break; sleep 0.1; done
  ROUNDS_NOW=$NFS_ROUNDS
  T=()
  scenario a "$base/mnt" "$base" media-sync rsync
  scenario b "$base/mnt" "$base" media-sync rsync
  fusermount3 -u "$base/mnt"; wait "$pid" 2>/dev/null || true
  trap - EXIT
  summary "source on latfs at ${NFS_LATENCY_US} us per metadata operation, $NFS_FILES files" a b
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  ensure_tools
  mkdir -p "$WORK"
  if [ "$FILES" != 0 ]; then local_bench; fi
  if [ "$NFS_FILES" != 0 ]; then nfs_bench; fi
fi
