#!/usr/bin/env bash
# Cairn vs restic vs borg on the same ~1 GiB mixed corpus, on this machine, in one run.
#
#   bench/bench.sh                        # full run (~1 GiB corpus); results in $BENCH_DIR/results.md
#   BENCH_SCALE=0.05 bench/bench.sh       # a quick smoke run on a ~75 MiB corpus
#
# Phases, per tool: first backup; second backup after bench/corpus.py changed ~1% of the data; full
# restore of the second snapshot (checked against SHA-256 sums of the corpus); full read-verify
# (cairn verify --read-data, restic check --read-data, borg check --verify-data). Each phase runs under
# /usr/bin/time -v (wall time, user+system CPU, peak RSS); repository size is `du -sb` after each backup.
# Settings: restic 0.14 with repository format v2 and --compression auto; borg 1.2 with
# --compression zstd,3 and repokey encryption; cairn with its defaults (zstd 3, AES-256-GCM).
# Every phase starts from the same state (settle): dirty pages written back, the page cache dropped (when
# run as root) and the phase's input read back into it, so no tool pays for the write-back or memory
# reclaim of the one before; restored trees are removed only after every tool has restored (on ext4
# without a journal, creating files right after thousands were deleted costs seconds of kernel time).
# Restores run BENCH_RESTORE_ROUNDS times (default 2), the second round in reverse tool order, and the
# report takes each tool's fastest: the first restore after the run's earlier deletions pays more kernel
# time for creating files (measured: 1.6-1.9 s of system time instead of 0.5-1.1 s, whichever tool is
# first), so a single round in a fixed order penalises the tool that restores first.
# Environment: BENCH_DIR (default /tmp/cairn-bench; needs ~8 GiB free at scale 1), BENCH_SCALE (default 1.0),
# BENCH_TOOLS (default "cairn restic borg"), BENCH_RESTORE_ROUNDS (default 2). Installs restic, borgbackup
# and time from apt if missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/cairn-bench}
BENCH_SCALE=${BENCH_SCALE:-1.0}
BENCH_TOOLS=${BENCH_TOOLS:-"cairn restic borg"}
BENCH_RESTORE_ROUNDS=${BENCH_RESTORE_ROUNDS:-2}
corpus="$BENCH_DIR/corpus"
results="$BENCH_DIR/results.tsv"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

need=()
command -v restic >/dev/null || need+=(restic)
command -v borg >/dev/null || need+=(borgbackup)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]} from apt"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -f "$root/backup-cli/target/cairn.jar" ] || "$root/bin/cairn" --version >/dev/null

export CAIRN_PASSWORD=bench-passphrase RESTIC_PASSWORD=bench-passphrase BORG_PASSPHRASE=bench-passphrase
export RESTIC_CACHE_DIR="$BENCH_DIR/cache/restic" BORG_BASE_DIR="$BENCH_DIR/cache/borg"
export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes

rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"/{repos,restore,time,logs,cache}
printf 'tool\tphase\twall_s\tcpu_s\trss_kib\trepo_bytes\tload1\n' > "$results"

log "generating the corpus (scale $BENCH_SCALE) in $corpus"
python3 "$here/corpus.py" generate "$corpus" --scale "$BENCH_SCALE"
sync

repo() { echo "$BENCH_DIR/repos/$1"; }

# settle DIR...: write back dirty pages, drop the page cache if allowed, warm it with DIR..., let it calm
settle() {
  sync
  { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null || true  # root only; elsewhere the warm-up below still evens things out
  local d
  for d in "$@"; do find "$d" -type f -print0 | xargs -0 -r cat > /dev/null; done
  sleep 2
}

# run TOOL PHASE CMD...: runs CMD under /usr/bin/time -v and appends a line to results.tsv
run() {
  local tool=$1 phase=$2; shift 2
  local t="$BENCH_DIR/time/$tool-$phase.txt" out="$BENCH_DIR/logs/$tool-$phase.log"
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  log "$tool $phase (load average $load)"
  if ! /usr/bin/time -v -o "$t" "$@" >"$out" 2>&1; then
    log "FAILED: $tool $phase (see $out)"; tail -20 "$out" >&2; return 1
  fi
  local wall cpu rss size=""
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$t")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$t")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")
  case $phase in backup*) size=$(du -sb "$(repo "$tool")" | cut -f1) ;; esac
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$phase" "$wall" "$cpu" "$rss" "$size" "$load" >> "$results"
}

init() {
  case $1 in
    cairn) "$root/bin/cairn" -q -r "$(repo cairn)" init ;;
    restic) restic -q -r "$(repo restic)" init --repository-version 2 ;;
    borg) borg init -e repokey "$(repo borg)" ;;
  esac >"$BENCH_DIR/logs/$1-init.log" 2>&1
}

backup() {  # backup TOOL N
  settle "$corpus"
  case $1 in
    cairn) run cairn "backup$2" "$root/bin/cairn" -q -r "$(repo cairn)" backup "$corpus" ;;
    restic) run restic "backup$2" restic -q -r "$(repo restic)" --compression auto backup "$corpus" ;;
    borg) run borg "backup$2" borg create --compression zstd,3 "$(repo borg)::b$2" "$corpus" ;;
  esac
}

restore() {  # restore TOOL ROUND
  local dir="$BENCH_DIR/restore/$1-$2"
  settle "$(repo "$1")"
  case $1 in
    cairn) run cairn restore "$root/bin/cairn" -q -r "$(repo cairn)" restore latest --target "$dir" ;;
    restic) run restic restore restic -q -r "$(repo restic)" restore latest --target "$dir" ;;
    borg) mkdir -p "$dir" && run borg restore sh -c 'cd "$1" && borg extract "$2::b2"' sh "$dir" "$(repo borg)" ;;
  esac
  # the restored copy of the corpus is wherever text/app.log landed (each tool nests paths its own way)
  local restored
  restored=$(find "$dir" -path '*/text/app.log' -print -quit)
  restored=${restored%/text/app.log}
  if (cd "$restored" && sha256sum --quiet -c "$BENCH_DIR/corpus.sha256" >/dev/null 2>&1); then
    log "$1 restore: every file matches"
  else
    log "$1 restore: MISMATCH against the corpus"; echo "$1 restore mismatch" >> "$BENCH_DIR/errors.txt"
  fi
  [ "$(cd "$restored" && find . -type f | wc -l)" = "$(cd "$corpus" && find . -type f | wc -l)" ] \
    || { log "$1 restore: file count differs"; echo "$1 restore file count" >> "$BENCH_DIR/errors.txt"; }
}

verify() {
  settle "$(repo "$1")"
  case $1 in
    cairn) run cairn verify "$root/bin/cairn" -q -r "$(repo cairn)" verify --read-data ;;
    restic) run restic verify restic -q -r "$(repo restic)" check --read-data ;;
    borg) run borg verify borg check --verify-data "$(repo borg)" ;;
  esac
}

for t in $BENCH_TOOLS; do init "$t"; done
for t in $BENCH_TOOLS; do backup "$t" 1; done
log "changing ~1% of the corpus"
python3 "$here/corpus.py" mutate "$corpus"
(cd "$corpus" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$BENCH_DIR/corpus.sha256"
sync
for t in $BENCH_TOOLS; do backup "$t" 2; done
order=$BENCH_TOOLS
for ((round = 1; round <= BENCH_RESTORE_ROUNDS; round++)); do
  for t in $order; do restore "$t" "$round"; done
  order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' ')
done
rm -rf "$BENCH_DIR/restore"
for t in $BENCH_TOOLS; do verify "$t"; done

{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), $(java -version 2>&1 | head -1)."
  echo "Versions: $(restic version | cut -d' ' -f1-2), $(borg --version). Corpus: $(du -sh "$corpus" | cut -f1) in $(find "$corpus" -type f | wc -l) files (bench/corpus.py, scale $BENCH_SCALE); warm page cache."
  echo
  python3 "$here/report.py" "$results"
  [ -f "$BENCH_DIR/errors.txt" ] && { echo; echo "ERRORS:"; cat "$BENCH_DIR/errors.txt"; }
  true
} | tee "$BENCH_DIR/results.md"
