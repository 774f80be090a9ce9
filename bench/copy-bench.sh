#!/usr/bin/env bash
# Throughput to and from remote storage on loopback: Cairn vs restic against the same embedded s3proxy
# and the same OpenSSH sftp server, optionally through a link with latency.
#
#   bench/copy-bench.sh                           # ~300 MiB corpus (bench/corpus.py at scale 0.2)
#   COPY_BENCH_SCALE=0.05 bench/copy-bench.sh     # a quick smoke run
#   COPY_BENCH_LATENCY_MS=10 bench/copy-bench.sh  # every byte to and from either server 10 ms late
#
# Phases, each timed with /usr/bin/time -v (wall, CPU, peak RSS):
#   backup-s3  back the corpus up straight into a bucket   (cairn backup / restic backup)
#   copy-s3    copy a local repository's snapshot into a new bucket whose repository shares the
#              local one's chunker parameters              (cairn copy / restic copy)
#   restore-s3 restore the backup-s3 snapshot into a new local directory (cairn restore / restic
#              restore), twice, the second round in the other order; the faster of each tool's two
#              counts. Every round gets a directory of its own, all removed at the end: on ext4 without
#              a journal (as here), creating files soon after deleting many costs seconds of kernel
#              time, whichever tool does it. So the run needs about ten times the corpus in free disk.
#   backup-sftp, restore-sftp  the same against OpenSSH's sshd and sftp-server (from the distribution's
#              openssh-server package, installed if missing) on a free 127.0.0.1 port, logging in as the
#              current user with a key made for the run; restic reaches it through the ssh client
#              (sftp.command), Cairn through its own SSH client (Apache MINA SSHD)
# Throughput = corpus bytes / wall time. The s3proxy (in-memory jclouds blob store) runs in its own JVM
# (backup-integration-tests' BenchS3Server) on a free 127.0.0.1 port; both tools use 5 connections or
# fewer (restic's default s3.connections=5; Cairn's default upload threads). Settings: restic 0.14,
# repository v2, --compression auto; cairn defaults (zstd 3, AES-256-GCM, 16 MiB packs).
# Environment: COPY_BENCH_DIR (default /tmp/cairn-copy-bench), COPY_BENCH_SCALE (default 0.2),
# CAIRN_JAR (default backup-cli/target/cairn.jar: another build of the CLI, to compare two builds),
# COPY_BENCH_LATENCY_MS (default 0: plain loopback; otherwise a FaultyProxy in front of each server
# delays every byte by that much each way, so a round trip costs twice that; throughput is kept, and
# the proxy's own CPU shares the machine with both tools).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
DIR=${COPY_BENCH_DIR:-/tmp/cairn-copy-bench}
SCALE=${COPY_BENCH_SCALE:-0.2}
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

command -v restic >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq restic >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
[ -x /usr/sbin/sshd ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server >/dev/null; }
LATENCY_MS=${COPY_BENCH_LATENCY_MS:-0}

log "building the CLI and the test server (no tests run)"
(cd "$root" && ./mvnw -B -q -pl backup-cli,backup-integration-tests -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test) >&2
s3jar=$(ls "$root"/backup-storage/backup-storage-s3/target/backup-storage-s3-*.jar | grep -v sources | head -1)
cairn_cp="${CAIRN_JAR:-$root/backup-cli/target/cairn.jar}:$s3jar:$(cat "$root/backup-storage/backup-storage-s3/target/classpath.txt")"
server_cp="$root/backup-integration-tests/target/test-classes:$(cat "$root/backup-integration-tests/target/classpath.txt")"

rm -rf "$DIR"
mkdir -p "$DIR"/{logs,time,repos}
results="$DIR/results.tsv"
printf 'tool\tphase\twall_s\tcpu_s\trss_kib\n' > "$results"
log "generating the corpus (scale $SCALE)"
python3 "$here/corpus.py" generate "$DIR/corpus" --scale "$SCALE"
corpus_bytes=$(du -sb "$DIR/corpus" | cut -f1)

export AWS_ACCESS_KEY_ID=bench-access AWS_SECRET_ACCESS_KEY=bench-secret-key
export CAIRN_PASSWORD=bench-passphrase CAIRN_TO_PASSWORD=bench-copy-passphrase CAIRN_FROM_PASSWORD=bench-passphrase
export RESTIC_PASSWORD=bench-passphrase RESTIC_FROM_PASSWORD=bench-passphrase RESTIC_CACHE_DIR="$DIR/restic-cache"

# the server runs until its stdin (a FIFO held open by this script) closes
mkfifo "$DIR/server.in"
java -Xmx6g -Dbench.latencyMs="$LATENCY_MS" -cp "$server_cp" dev.cairn.backup.integration.BenchS3Server "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" \
  cairn-backup cairn-copy restic-backup restic-copy < "$DIR/server.in" > "$DIR/logs/server.out" 2> "$DIR/logs/server.err" &
server_pid=$!
exec 3> "$DIR/server.in"
sshd_pid=
trap 'exec 3>&- 4>&-; kill $server_pid 2>/dev/null || true; [ -z "$sshd_pid" ] || kill "$sshd_pid" 2>/dev/null || true' EXIT
for _ in $(seq 200); do grep -q READY "$DIR/logs/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/READY/ {print $2}' "$DIR/logs/server.out")
[ -n "$port" ] || { log "s3proxy did not start"; cat "$DIR/logs/server.err" >&2; exit 1; }
endpoint="http://127.0.0.1:$port"
log "s3proxy on $endpoint"

# OpenSSH on a free port, for the current user, with keys made for this run
user=$(id -un)
mkdir -p "$DIR/sshd"
[ "$(id -u)" != 0 ] || mkdir -p /run/sshd  # sshd's privilege separation directory
ssh-keygen -q -t ed25519 -N '' -f "$DIR/sshd/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$DIR/sshd/client_key"
cp "$DIR/sshd/client_key.pub" "$DIR/sshd/authorized_keys"
sshd_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '%s\n' "Port $sshd_port" "ListenAddress 127.0.0.1" "HostKey $DIR/sshd/host_key" "PidFile $DIR/sshd/sshd.pid" \
  "AuthorizedKeysFile $DIR/sshd/authorized_keys" "PasswordAuthentication no" "KbdInteractiveAuthentication no" \
  "PermitRootLogin prohibit-password" "UsePAM $([ "$(id -u)" = 0 ] && echo yes || echo no)" "StrictModes no" \
  "Subsystem sftp /usr/lib/openssh/sftp-server" \
  > "$DIR/sshd/sshd_config"
/usr/sbin/sshd -f "$DIR/sshd/sshd_config" -E "$DIR/logs/sshd.log"
for _ in $(seq 50); do [ -s "$DIR/sshd/sshd.pid" ] && break; sleep 0.1; done
sshd_pid=$(cat "$DIR/sshd/sshd.pid")
sftp_port=$sshd_port
if [ "$LATENCY_MS" != 0 ]; then
  mkfifo "$DIR/link.in"
  java -Xmx256m -cp "$server_cp" dev.cairn.backup.integration.BenchLatencyProxy 127.0.0.1 "$sshd_port" "$LATENCY_MS" \
    < "$DIR/link.in" > "$DIR/logs/link.out" 2> "$DIR/logs/link.err" &
  exec 4> "$DIR/link.in"
  for _ in $(seq 200); do grep -q READY "$DIR/logs/link.out" 2>/dev/null && break; sleep 0.1; done
  sftp_port=$(awk '/READY/ {print $2}' "$DIR/logs/link.out")
  [ -n "$sftp_port" ] || { log "the latency proxy did not start"; cat "$DIR/logs/link.err" >&2; exit 1; }
fi
echo "[127.0.0.1]:$sftp_port $(cut -d' ' -f1,2 "$DIR/sshd/host_key.pub")" > "$DIR/sshd/known_hosts"
# no ~/.ssh/config (-F /dev/null): options there (Compression, ciphers) would change restic's numbers
ssh_command="ssh -F /dev/null -p $sftp_port -i '$DIR/sshd/client_key' -o 'UserKnownHostsFile=$DIR/sshd/known_hosts'"
ssh_command+=" -o StrictHostKeyChecking=yes -o BatchMode=yes $user@127.0.0.1 -s sftp"
log "sshd ($(ssh -V 2>&1 | cut -d, -f1)) on 127.0.0.1:$sshd_port; clients connect to port $sftp_port"
cairn_sftp() { echo "sftp://$user@127.0.0.1:$sftp_port$DIR/repos/$1?key=$DIR/sshd/client_key&known-hosts=$DIR/sshd/known_hosts"; }
restic_sftp() { echo "sftp:$user@127.0.0.1:$DIR/repos/$1"; }

# the JVM options bin/cairn runs with (its heap of 192 MiB included), without its class-data archive
cairn() { java -XX:+UseSerialGC -Xmx192m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:FreqInlineSize=100 \
  -XX:InlineSmallCode=1000 -cp "$cairn_cp" dev.cairn.backup.cli.CairnCommand -q "$@"; }
cairn_s3() { echo "s3://$1?endpoint=$endpoint&region=us-east-1&path-style=true"; }
restic_s3() { echo "s3:$endpoint/$1"; }
r() { restic -q -o s3.bucket-lookup=path -o s3.region=us-east-1 "$@"; }

run() {  # run TOOL PHASE CMD...
  local tool=$1 phase=$2; shift 2
  log "$tool $phase"
  if ! /usr/bin/time -v -o "$DIR/time/$tool-$phase.txt" "$@" > "$DIR/logs/$tool-$phase.log" 2>&1; then
    log "FAILED: $tool $phase"; tail -20 "$DIR/logs/$tool-$phase.log" >&2; exit 1
  fi
  local t="$DIR/time/$tool-$phase.txt"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$phase" \
    "$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$t")" \
    "$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$t")" \
    "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")" >> "$results"
}
rs() { restic -q -o sftp.command="$ssh_command" "$@"; }
export -f cairn r rs
export cairn_cp ssh_command

# backup straight into S3
cairn init -r "$(cairn_s3 cairn-backup)" > "$DIR/logs/cairn-init.log" 2>&1
r -r "$(restic_s3 restic-backup)" init --repository-version 2 > "$DIR/logs/restic-init.log" 2>&1
run cairn backup-s3 bash -c 'cairn backup -r "$1" "$2"' _ "$(cairn_s3 cairn-backup)" "$DIR/corpus"
run restic backup-s3 bash -c 'r -r "$1" --compression auto backup "$2"' _ "$(restic_s3 restic-backup)" "$DIR/corpus"

# local backup (untimed), then copy to S3 into a repository sharing the chunker parameters
cairn init -r "$DIR/repos/cairn" > /dev/null 2>&1
cairn backup -r "$DIR/repos/cairn" "$DIR/corpus" > /dev/null 2>&1
CAIRN_PASSWORD=$CAIRN_TO_PASSWORD cairn init -r "$(cairn_s3 cairn-copy)" --copy-chunker-params-from "$DIR/repos/cairn" \
  > "$DIR/logs/cairn-init-copy.log" 2>&1
restic -q -r "$DIR/repos/restic" init --repository-version 2 > /dev/null 2>&1
restic -q -r "$DIR/repos/restic" --compression auto backup "$DIR/corpus" > /dev/null 2>&1
r -r "$(restic_s3 restic-copy)" init --repository-version 2 --from-repo "$DIR/repos/restic" --copy-chunker-params \
  > "$DIR/logs/restic-init-copy.log" 2>&1
run cairn copy-s3 bash -c 'cairn copy --from "$1" --to "$2"' _ "$DIR/repos/cairn" "$(cairn_s3 cairn-copy)"
run restic copy-s3 bash -c 'r -r "$1" --compression auto copy --from-repo "$2"' _ "$(restic_s3 restic-copy)" "$DIR/repos/restic"

# restore from S3, two rounds in opposite orders, each into a new directory
rounds=0
restore_round() {  # restore_round TOOL PHASE COMMAND REPOSITORY: COMMAND gets the repository and the target
  rounds=$((rounds + 1))
  sync
  run "$1" "$2" bash -c "$3" _ "$4" "$DIR/restore-$rounds"
}
cairn_restore='cairn restore -r "$1" latest --target "$2"'
restic_restore='r -r "$1" restore latest --target "$2"'
restore_round cairn restore-s3 "$cairn_restore" "$(cairn_s3 cairn-backup)"
restore_round restic restore-s3 "$restic_restore" "$(restic_s3 restic-backup)"
restore_round restic restore-s3 "$restic_restore" "$(restic_s3 restic-backup)"
restore_round cairn restore-s3 "$cairn_restore" "$(cairn_s3 cairn-backup)"

# the same over SFTP
sftp_failed() { log "cannot use the sftp server: $1"; tail -20 "$DIR/logs/$2" "$DIR/logs/sshd.log" >&2; exit 1; }
cairn init -r "$(cairn_sftp sftp-cairn)" > "$DIR/logs/cairn-init-sftp.log" 2>&1 || sftp_failed "cairn init" cairn-init-sftp.log
rs -r "$(restic_sftp sftp-restic)" init --repository-version 2 > "$DIR/logs/restic-init-sftp.log" 2>&1 \
  || sftp_failed "restic init" restic-init-sftp.log
run cairn backup-sftp bash -c 'cairn backup -r "$1" "$2"' _ "$(cairn_sftp sftp-cairn)" "$DIR/corpus"
run restic backup-sftp bash -c 'rs -r "$1" --compression auto backup "$2"' _ "$(restic_sftp sftp-restic)" "$DIR/corpus"
rs_restore='rs -r "$1" restore latest --target "$2"'
restore_round cairn restore-sftp "$cairn_restore" "$(cairn_sftp sftp-cairn)"
restore_round restic restore-sftp "$rs_restore" "$(restic_sftp sftp-restic)"
restore_round restic restore-sftp "$rs_restore" "$(restic_sftp sftp-restic)"
restore_round cairn restore-sftp "$cairn_restore" "$(cairn_sftp sftp-cairn)"
rm -rf "$DIR"/restore-*

{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(java -version 2>&1 | head -1), $(restic version | cut -d' ' -f1-2); corpus $((corpus_bytes / 1048576)) MiB in"
  echo "$(find "$DIR/corpus" -type f | wc -l) files (bench/corpus.py, scale $SCALE); s3proxy 2.6.0 (in-memory) and"
  echo "$(ssh -V 2>&1 | cut -d, -f1)'s sshd on loopback; added latency $LATENCY_MS ms each way."
  echo
  echo "| phase | tool | wall s | CPU s | peak RSS MiB | MiB/s | Cairn ÷ restic (throughput) |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  awk -F'\t' -v bytes="$corpus_bytes" 'NR > 1 {
      key = $2; if (($1, key) in wall && wall[$1, key] <= $3) next  # two restore rounds: the faster
      wall[$1, key] = $3; cpu[$1, key] = $4; rss[$1, key] = $5; phases[key] = 1 }
    END {
      n = split("backup-s3 copy-s3 restore-s3 backup-sftp restore-sftp", order, " ")
      for (i = 1; i <= n; i++) { p = order[i]
        for (j = 1; j <= 2; j++) { t = (j == 1) ? "cairn" : "restic"
          ratio = (t == "cairn") ? sprintf("%.2f", wall["restic", p] / wall["cairn", p]) : ""
          printf "| %s | %s | %.1f | %.1f | %d | %.1f | %s |\n", p, t, wall[t, p], cpu[t, p], rss[t, p] / 1024,
            bytes / 1048576 / wall[t, p], ratio } } }' "$results"
} | tee "$DIR/results.md"
