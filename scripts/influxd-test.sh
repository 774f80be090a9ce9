#!/usr/bin/env bash
# Starts a throwaway InfluxDB 1.x for tests and benchmarks: installs Debian's influxdb package when
# influxd is missing (scripts/ensure-packages.sh; needs root, as on CI), writes DIR/influxdb.conf
# (data in DIR, HTTP and RPC on 127.0.0.1) and replaces itself with `influxd run`, so the caller
# stops it by its process id.
# Usage: scripts/influxd-test.sh DIR HTTP_PORT RPC_PORT [AUTH_ENABLED=false]
set -euo pipefail
DIR=$1 HTTP=$2 RPC=$3 AUTH=${4:-false}
# installs Debian's influxdb package if influxd is missing; fails loudly if it cannot
"$(dirname "$0")/ensure-packages.sh" influxd >&2
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
