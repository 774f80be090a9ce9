#!/usr/bin/env bash
# InfluxDB part of the benchmarks: telegraf-like points (100 hosts; cpu, mem, disk, net, system every
# 10 s) in a real influxd 1.6.7, exported and restored by Cairn (InfluxSource/InfluxRestorer through
# the InfluxBench main class, as the cairn CLI does not exist yet), by `influxd backup/restore
# -portable` (+ the documented SELECT INTO side-load into an existing database), and exported with
# InfluxQL over HTTP and with `influx -execute ... -format csv` (Debian's package has no
# influx_inspect). Usage: bench/influx-bench.sh [POINTS]   (default 5000000). Prints a Markdown table.
set -euo pipefail
POINTS=${1:-5000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/cairn-influx-bench.XXXXXX)
trap 'kill "${PID:-}" 2>/dev/null || true; wait "${PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v influx >/dev/null || apt-get install -y influxdb-client

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP=$(free_port); RPC=$(free_port)
"$ROOT/scripts/influxd-test.sh" "$WORK" "$HTTP" "$RPC" > "$WORK/influxd.log" 2>&1 &
PID=$!
URL="http://127.0.0.1:$HTTP"
for _ in $(seq 100); do curl -sf "$URL/ping" >/dev/null && break; sleep 0.2; done
q() { curl -sf -XPOST "$URL/query" --data-urlencode "q=$1" >/dev/null; }

cd "$ROOT"
./mvnw -B -q -pl backup-influx -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/influx-cp.txt -Dmdep.includeScope=test >/dev/null
CP="backup-influx/target/test-classes:backup-influx/target/classes:backup-testing/target/classes:$(cat backup-influx/target/influx-cp.txt)"
run() { java -Xmx2g -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=info dev.cairn.backup.influx.InfluxBench "$@"; }
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }

run generate "$URL" telegraf "$POINTS"
q "SELECT * FROM telegraf../.*/ LIMIT 1" # warm the index
sync

t0=$(now); run roundtrip "$URL" telegraf "$WORK/cairn" telegraf_cairn 2>&1 | tee "$WORK/cairn.txt"; t1=$(now)
CAIRN_EXPORT=$(sed -n 's/^cairn export: \([0-9.]*\) s.*/\1/p' "$WORK/cairn.txt")
CAIRN_RESTORE=$(sed -n 's/^cairn restore (write + verify): \([0-9.]*\) s.*/\1/p' "$WORK/cairn.txt")
CAIRN_WRITE=$(sed -n 's/.*wrote .* in \([0-9]*\) ms/\1/p' "$WORK/cairn.txt" | python3 -c 'import sys; print(f"{int(sys.stdin.read())/1000:.1f}")')
CAIRN_BYTES=$(du -sb "$WORK/cairn" | cut -f1)

t0=$(now); influxd backup -portable -db telegraf -host "127.0.0.1:$RPC" "$WORK/portable" >/dev/null 2>&1; t1=$(now)
PORTABLE_BACKUP=$(secs "$t0" "$t1"); PORTABLE_BYTES=$(du -sb "$WORK/portable" | cut -f1)

t0=$(now)
curl -sf -G "$URL/query" --data-urlencode db=telegraf --data-urlencode epoch=ns --data-urlencode chunked=true \
  --data-urlencode chunk_size=10000 --data-urlencode 'q=SELECT * FROM /.*/ GROUP BY *' > "$WORK/export.json"
t1=$(now); HTTP_EXPORT=$(secs "$t0" "$t1"); HTTP_BYTES=$(stat -c %s "$WORK/export.json")

t0=$(now)
influx -host 127.0.0.1 -port "$HTTP" -database telegraf -precision ns -format csv \
  -execute 'SELECT * FROM /.*/ GROUP BY *' > "$WORK/export.csv"
t1=$(now); CSV_EXPORT=$(secs "$t0" "$t1"); CSV_BYTES=$(stat -c %s "$WORK/export.csv")

t0=$(now); influxd restore -portable -db telegraf -newdb telegraf_portable -host "127.0.0.1:$RPC" "$WORK/portable" >/dev/null 2>&1; t1=$(now)
PORTABLE_RESTORE=$(secs "$t0" "$t1")
q "CREATE DATABASE telegraf_merged"
t0=$(now); q "SELECT * INTO telegraf_merged.autogen.:MEASUREMENT FROM telegraf_portable.autogen./.*/ GROUP BY *"; t1=$(now)
SIDELOAD=$(secs "$t0" "$t1")
COUNT_SRC=$(curl -sf -G "$URL/query" --data-urlencode db=telegraf --data-urlencode 'q=SELECT COUNT(*) FROM /.*/' | md5sum)
COUNT_CAIRN=$(curl -sf -G "$URL/query" --data-urlencode db=telegraf_cairn --data-urlencode 'q=SELECT COUNT(*) FROM /.*/' | md5sum)
COUNT_MERGED=$(curl -sf -G "$URL/query" --data-urlencode db=telegraf_merged --data-urlencode 'q=SELECT COUNT(*) FROM /.*/' | md5sum)

cat <<TABLE

$POINTS telegraf-like points, influxd $(influxd version | awk '{print $2}'), $(nproc) cores, $(date -u +%Y-%m-%d)

| tool | operation | wall time (s) | output bytes |
|---|---|---:|---:|
| Cairn InfluxSource (line protocol, typed, per window) | export | $CAIRN_EXPORT | $CAIRN_BYTES |
| InfluxQL over HTTP (\`SELECT * GROUP BY *\`, chunked JSON) | export | $HTTP_EXPORT | $HTTP_BYTES |
| \`influx -execute ... -format csv\` | export | $CSV_EXPORT | $CSV_BYTES |
| \`influxd backup -portable\` | backup (TSM files) | $PORTABLE_BACKUP | $PORTABLE_BYTES |
| Cairn InfluxRestorer | restore: write | $CAIRN_WRITE | |
| Cairn InfluxRestorer | restore: write + verify | $CAIRN_RESTORE | |
| \`influxd restore -portable -newdb\` | restore into a new database | $PORTABLE_RESTORE | |
| \`SELECT * INTO ... GROUP BY *\` | side-load into an existing database | $SIDELOAD | |
| \`influxd restore\` + side-load | restore into an existing database | $(python3 -c "print(f'{$PORTABLE_RESTORE + $SIDELOAD:.1f}')") | |

Point counts equal to the source: Cairn $([ "$COUNT_SRC" = "$COUNT_CAIRN" ] && echo yes || echo NO), portable+SELECT INTO $([ "$COUNT_SRC" = "$COUNT_MERGED" ] && echo yes || echo NO).
TABLE
