#!/usr/bin/env bash
# MySQL/MariaDB benchmark: Cairn's MySqlSource/MySqlRestorer against mysqldump | zstd / mysql < dump and
# mydumper / myloader (2 threads), on a sysbench-prepared database, against a MariaDB this script starts.
#
#   bench/mysql-bench.sh [TABLES] [ROWS]        default 8 tables x 400000 rows
#
# Needs the Debian packages mariadb-server mariadb-client mydumper sysbench zstd (installed if missing,
# as root). The server runs from a temporary data directory on a free loopback port and is stopped at
# the end. Until the `cairn` CLI exists, Cairn runs through the test-scope main class
# dev.cairn.backup.mysql.MySqlBench, which dumps into a plain directory (SourceHarness: no repository,
# so no compression or deduplication) and restores with verification; and dev.cairn.backup.mysql.MySqlRepoBench,
# which backs the database up through the real engine (chunking, dedup, zstd-3, AES-GCM) into a local
# repository: day 1, then again after 1% of the rows changed (day 2), to measure the repository's growth
# against a second compressed mysqldump.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TABLES=${1:-8}
ROWS=${2:-400000}
THREADS=2

need=()
for cmd in mariadbd:mariadb-server mariadb:mariadb-client mariadb-dump:mariadb-client mydumper:mydumper \
           sysbench:sysbench zstd:zstd; do
  bin=${cmd%%:*}; pkg=${cmd##*:}
  command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

WORK=$(mktemp -d /tmp/cairn-mysql-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SOCK=$WORK/mysql.sock
cleanup() {
  if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== starting MariaDB on 127.0.0.1:$PORT (data in $WORK/data)" >&2
mariadb-install-db --datadir="$WORK/data" --user=root --auth-root-authentication-method=socket >/dev/null
/usr/sbin/mariadbd --no-defaults --datadir="$WORK/data" --port="$PORT" --socket="$SOCK" --bind-address=127.0.0.1 \
  --user=root --skip-name-resolve --log-bin="$WORK/data/binlog" --server-id=1 --binlog-format=ROW --local-infile=1 \
  --innodb-buffer-pool-size=1G --innodb-log-file-size=512M --max-allowed-packet=256M \
  --log-error="$WORK/mariadbd.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do mariadb -S "$SOCK" -u root -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
ROOTSQL="mariadb -S $SOCK -u root"
$ROOTSQL -e "CREATE USER bench@'%' IDENTIFIED BY 'bench'; GRANT ALL ON *.* TO bench@'%' WITH GRANT OPTION;
             CREATE DATABASE sbtest;"
CLIENT="-h 127.0.0.1 -P $PORT -u bench -pbench"
MYCLIENT="-h 127.0.0.1 -P $PORT -u bench -p bench"

echo "== sysbench prepare: $TABLES tables x $ROWS rows" >&2
sysbench oltp_read_write --db-driver=mysql --mysql-socket="$SOCK" --mysql-user=root --mysql-db=sbtest \
  --tables="$TABLES" --table-size="$ROWS" --threads=2 prepare >/dev/null
$ROOTSQL -e "ANALYZE TABLE $(seq -s, -f 'sbtest.sbtest%g' 1 "$TABLES")" >/dev/null

echo "== building Cairn" >&2
./mvnw -B -q -o -pl backup-mysql -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null 2>&1 || \
./mvnw -B -q -pl backup-mysql -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$ROOT/backup-mysql/target/test-classes:$ROOT/backup-mysql/target/classes:$ROOT/backup-api/target/classes:$ROOT/backup-testing/target/classes:$(cat "$WORK/cp.txt")"

# time_it NAME COMMAND...: runs COMMAND in bash; records wall seconds in $WORK/t.NAME and CPU seconds
# (the command's processes plus the server's) in $WORK/cpu.NAME. On a machine shared with other work,
# CPU seconds are the steadier measure; wall time is what the targets are stated in.
TICK=$(getconf CLK_TCK)
server_cpu() { awk -v t="$TICK" '{printf "%.2f", ($14 + $15) / t}' "/proc/$SERVER_PID/stat"; }
time_it() {
  local name=$1; shift
  local s e cs ce
  cs=$(server_cpu); s=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$WORK/c.$name" bash -c "$*"
  e=$(date +%s.%N); ce=$(server_cpu)
  echo "$e - $s" | bc > "$WORK/t.$name"
  awk -v cs="$cs" -v ce="$ce" '{printf "%.2f", $1 + $2 + ce - cs}' "$WORK/c.$name" > "$WORK/cpu.$name"
  printf '   %-22s %8.2f s wall, %8.2f s CPU (client + server)\n' "$name" "$(cat "$WORK/t.$name")" \
    "$(cat "$WORK/cpu.$name")" >&2
}
fresh() { $ROOTSQL -e "DROP DATABASE IF EXISTS $1; CREATE DATABASE $1;"; }
checksums() { $ROOTSQL -N -e "CHECKSUM TABLE $(seq -s, -f "$1.sbtest%g" 1 "$TABLES")" | awk '{print $2}'; }
ORIG=$(checksums sbtest)

echo "== mysqldump | zstd, mysql < dump" >&2
time_it mysqldump "mariadb-dump $CLIENT --single-transaction --master-data=2 --routines --triggers --events sbtest | zstd -q -3 -T1 > $WORK/dump.sql.zst"
fresh sb_mysql
time_it mysql_restore "zstd -dc $WORK/dump.sql.zst | mariadb $CLIENT sb_mysql"
[ "$(checksums sb_mysql)" = "$ORIG" ] || { echo "mysql restore differs" >&2; exit 1; }

echo "== mydumper / myloader, $THREADS threads" >&2
time_it mydumper "mydumper $MYCLIENT -B sbtest -t $THREADS -r 100000 -o $WORK/mydumper"
time_it myloader "myloader $MYCLIENT -B sb_myloader -s sbtest -t $THREADS -d $WORK/mydumper"
[ "$(checksums sb_myloader)" = "$ORIG" ] || { echo "myloader restore differs" >&2; exit 1; }

echo "== Cairn ($THREADS threads; dump, then restore with verification)" >&2
time_it cairn_total "java -cp '$CP' dev.cairn.backup.mysql.MySqlBench 'jdbc:mysql://127.0.0.1:$PORT/' bench bench sbtest sb_cairn $WORK/cairn $THREADS > $WORK/cairn.out"
cat "$WORK/cairn.out" >&2
[ "$(checksums sb_cairn)" = "$ORIG" ] || { echo "Cairn restore differs" >&2; exit 1; }
CD=$(sed -n 's/cairn_dump_seconds=//p' "$WORK/cairn.out")
CR=$(sed -n 's/cairn_restore_seconds=//p' "$WORK/cairn.out")
CRN=$(sed -n 's/cairn_restore_nobinlog_seconds=\([0-9.]*\).*/\1/p' "$WORK/cairn.out")

echo "== Cairn through the repository: day 1, 1% of rows changed, day 2" >&2
REPOBENCH="java -cp '$CP' dev.cairn.backup.mysql.MySqlRepoBench 'jdbc:mysql://127.0.0.1:$PORT/' bench bench sbtest $WORK/repo $THREADS"
time_it cairn_repo_day1 "$REPOBENCH > $WORK/day1.out"
cat "$WORK/day1.out" >&2
for i in $(seq 1 "$TABLES"); do
  $ROOTSQL -e "UPDATE sbtest.sbtest$i SET k = k + 1, c = CONCAT(LEFT(c, 100), '-day2') WHERE RAND(42 + $i) < 0.01"
done
time_it cairn_repo_day2 "$REPOBENCH > $WORK/day2.out"
cat "$WORK/day2.out" >&2
time_it mysqldump_day2 "mariadb-dump $CLIENT --single-transaction --master-data=2 --routines --triggers --events sbtest | zstd -q -3 -T1 > $WORK/dump2.sql.zst"
R1=$(sed -n 's/repo_bytes_stored=//p' "$WORK/day1.out")
R2=$(sed -n 's/repo_bytes_stored=//p' "$WORK/day2.out")
Z1=$(stat -c %s "$WORK/dump.sql.zst"); Z2=$(stat -c %s "$WORK/dump2.sql.zst")

ratio() { echo "scale=2; $1 / $2" | bc; }
MD=$(cat "$WORK/t.mysqldump"); MR=$(cat "$WORK/t.mysql_restore")
YD=$(cat "$WORK/t.mydumper"); YR=$(cat "$WORK/t.myloader")
C() { cat "$WORK/cpu.$1"; }
printf '\nMySQL benchmark: %s tables x %s rows, MariaDB %s, %s cores, load average %s, %s\n' "$TABLES" "$ROWS" \
  "$($ROOTSQL -N -e 'SELECT VERSION()')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%Y-%m-%dT%H:%MZ)"
printf '| %-36s | %7s | %7s | %9s | %9s | %7s | %7s | %7s | %7s |\n' tool "dump s" "dump CPU" "restore s" "rest. CPU" \
  "dump x" "CPU x" "rest. x" "CPU x"
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "--------------------------------------" "---------" "----------" "-----------" \
  "-----------" "---------" "---------" "---------" "---------"
row() { printf '| %-36s | %7.2f | %7.2f | %9.2f | %9.2f | %7s | %7s | %7s | %7s |\n' "$1" "$2" "$3" "$4" "$5" \
  "$(ratio "$2" "$MD")" "$(ratio "$3" "$(C mysqldump)")" "$(ratio "$4" "$MR")" "$(ratio "$5" "$(C mysql_restore)")"; }
row "mysqldump | zstd -3 / mysql < dump" "$MD" "$(C mysqldump)" "$MR" "$(C mysql_restore)"
row "mydumper / myloader (2 threads)" "$YD" "$(C mydumper)" "$YR" "$(C myloader)"
printf '| %-36s | %7.2f | %7s | %9.2f | %9s | %7s | %7s | %7s | %7s |\n' "Cairn (2 threads; restore verified)" "$CD" "" "$CR" "" \
  "$(ratio "$CD" "$MD")" "" "$(ratio "$CR" "$MR")" ""
printf '| %-36s | %7s | %7s | %9.2f | %9s | %7s | %7s | %7s | %7s |\n' "Cairn restore, writeBinlog(false)" "" "" "$CRN" "" \
  "" "" "$(ratio "$CRN" "$MR")" ""
printf 'Cairn dump + 2 restores in one JVM: %.2f s wall, %.2f s CPU (client + server; mysqldump + mysql: %.2f s CPU)\n' \
  "$(cat "$WORK/t.cairn_total")" "$(C cairn_total)" "$(echo "$(C mysqldump) + $(C mysql_restore)" | bc)"
RD1=$(sed -n 's/repo_backup_seconds=//p' "$WORK/day1.out")
printf 'Cairn into an encrypted, compressed repository (day 1): %.2f s inside the JVM, %.2f s wall and %.2f s CPU for the run (x%s / x%s of mysqldump)\n' \
  "$RD1" "$(cat "$WORK/t.cairn_repo_day1")" "$(C cairn_repo_day1)" "$(ratio "$RD1" "$MD")" "$(ratio "$(C cairn_repo_day1)" "$(C mysqldump)")"
printf '\nDay 2 (1%% of rows changed): Cairn repository grew %s MiB (day 1 stored %s MiB); a second mysqldump | zstd -3 is %s MiB (day 1 %s MiB)\n' \
  "$(echo "scale=1; $R2 / 1048576" | bc)" "$(echo "scale=1; $R1 / 1048576" | bc)" \
  "$(echo "scale=1; $Z2 / 1048576" | bc)" "$(echo "scale=1; $Z1 / 1048576" | bc)"
printf 'Cairn JVM run incl. start-up: %.2f s; dump sizes: mysqldump.zst %s, mydumper %s, Cairn (uncompressed files) %s\n' \
  "$(cat "$WORK/t.cairn_total")" "$(du -sh "$WORK/dump.sql.zst" | cut -f1)" "$(du -sh "$WORK/mydumper" | cut -f1)" \
  "$(du -sh "$WORK/cairn" | cut -f1)"
