#!/usr/bin/env bash
# Hot-path comparison of Cairn and restic 0.14 (repository v2, compression auto) on one corpus, in one
# run: first backup, second backup after ~1 % changed, full restore. Prints user+sys CPU seconds, wall
# seconds and peak RSS of every step (GNU time), and the repository sizes. CPU time is the number to
# compare on a shared machine; wall time only means something on a quiet one.
#   scripts/hotpath-bench.sh [MIB=512] [WORKDIR=/tmp/cairn-hotpath] [JAVA_OPTS...]
set -euo pipefail
MIB=${1:-512}
WORK=${2:-/tmp/cairn-hotpath}
shift $(( $# > 2 ? 2 : $# )) || true
JAVA_OPTS=("$@")
[ ${#JAVA_OPTS[@]} -eq 0 ] && JAVA_OPTS=(-Xmx224m -XX:+UseG1GC)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${CAIRN_BENCH_JAR:-$ROOT/backup-benchmarks/target/benchmarks.jar}
[ -f "$JAR" ] || (cd "$ROOT" && ./mvnw -B -q -pl backup-benchmarks -am package -DskipTests)
command -v restic >/dev/null || apt-get install -y restic
run() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "$label user=%U sys=%S wall=%e maxrss_kib=%M" "$@" > "$WORK/$label.out" 2> "$WORK/$label.err" \
    || { cat "$WORK/$label.err"; exit 1; }
  tail -1 "$WORK/$label.err"
}
cairn() { java "${JAVA_OPTS[@]}" -cp "$JAR" dev.cairn.backup.benchmarks.HotPathRun "$@"; }
rm -rf "$WORK"; mkdir -p "$WORK"
cairn gen "$WORK/corpus" "$MIB" > /dev/null
sync
echo "corpus: $(du -sm "$WORK/corpus" | cut -f1) MiB, $(find "$WORK/corpus" -type f | wc -l) files"
export RESTIC_PASSWORD=bench RESTIC_REPOSITORY=$WORK/restic RESTIC_CACHE_DIR=$WORK/restic-cache
restic init --repository-version 2 -q
cairn init "$WORK/cairn" > /dev/null
run cairn-backup1 java "${JAVA_OPTS[@]}" -cp "$JAR" dev.cairn.backup.benchmarks.HotPathRun backup "$WORK/cairn" "$WORK/corpus"
run restic-backup1 restic backup -q --compression auto "$WORK/corpus"
cairn change "$WORK/corpus" > /dev/null
run cairn-backup2 java "${JAVA_OPTS[@]}" -cp "$JAR" dev.cairn.backup.benchmarks.HotPathRun backup "$WORK/cairn" "$WORK/corpus"
run restic-backup2 restic backup -q --compression auto "$WORK/corpus"
run cairn-restore java "${JAVA_OPTS[@]}" -cp "$JAR" dev.cairn.backup.benchmarks.HotPathRun restore "$WORK/cairn" "$WORK/cairn-restore"
run restic-restore restic restore -q latest --target "$WORK/restic-restore"
echo "repository MiB: cairn $(du -sm "$WORK/cairn" | cut -f1), restic $(du -sm "$WORK/restic" | cut -f1)"
diff -rq "$WORK/corpus" "$WORK/cairn-restore" > /dev/null && echo "cairn restore identical"
rm -rf "$WORK/cairn-restore" "$WORK/restic-restore"
