#!/usr/bin/env bash
# Starts a throwaway InfluxDB 1.x for tests and benchmarks: installs Debian's influxdb package when
# influxd is missing (needs root, as on CI), writes DIR/influxdb.conf (data in DIR, HTTP and RPC on
# 127.0.0.1) and replaces itself with `influxd run`, so the caller stops it by its process id.
# Usage: scripts/influxd-test.sh DIR HTTP_PORT RPC_PORT [AUTH_ENABLED=false]
set -euo pipefail
DIR=$1 HTTP=$2 RPC=$3 AUTH=${4:-false}
if ! command -v influxd >/dev/null; then
  if ! { apt-get update && apt-get install -y influxdb; } >&2; then
    echo "influxd is not installed and 'apt-get install -y influxdb' failed: the InfluxDB tests need Debian's influxdb package" >&2
    exit 1
  fi
fi
mkdir -p "$DIR"
cat > "$DIR/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$RPC"
[meta]
  dir = "$DIR/meta"
[data]
  dir = "$DIR/data"
  wal-dir = "$DIR/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$HTTP"
  auth-enabled = $AUTH
  log-enabled = false
  max-body-size = 0
[logging]
  level = "warn"
CONF
exec influxd run -config "$DIR/influxdb.conf"
