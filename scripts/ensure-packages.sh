#!/usr/bin/env bash
# Installs the Debian packages that Cairn's tests and scripts use, if the command they provide is
# missing. Usage: scripts/ensure-packages.sh COMMAND...   (e.g. ansible-playbook)
# Known commands map to their Debian package; an unknown command is taken as the package name.
# Exits non-zero, loudly, if a package cannot be installed, so a test never passes without its tool.
set -euo pipefail

package_for() {
  case "$1" in
    ansible-playbook|ansible) echo ansible ;;
    influxd|influx) echo influxdb ;;
    mariadbd|mariadb-install-db) echo mariadb-server ;;
    restic) echo restic ;;
    borg) echo borgbackup ;;
    zstd) echo zstd ;;
    *) echo "$1" ;;
  esac
}

missing=()
for cmd in "$@"; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    missing+=("$(package_for "$cmd")")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ensure-packages: need root (or sudo) to install: ${missing[*]}" >&2; exit 2
  fi
fi

# Several test JVMs may call this at once: serialise on a lock so apt/dpkg do not collide.
exec 9>/tmp/cairn-ensure-packages.lock
flock 9
# another caller may have installed them while we waited for the lock
still=()
for cmd in "$@"; do command -v "$cmd" >/dev/null 2>&1 || still+=("$(package_for "$cmd")"); done
[ ${#still[@]} -eq 0 ] && exit 0
missing=("${still[@]}")
echo "ensure-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# other installers (unattended upgrades, other test scripts) may hold dpkg's lock: wait for it
APT_OPTS=(-o DPkg::Lock::Timeout=900)
if ! $SUDO apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${missing[@]}" >&2; then
  $SUDO apt-get "${APT_OPTS[@]}" update >&2 || true
  if ! $SUDO apt-get "${APT_OPTS[@]}" install -y --no-install-recommends "${missing[@]}" >&2; then
    echo "ensure-packages: FAILED to install ${missing[*]} with apt-get; install them by hand" >&2
    exit 1
  fi
fi
for cmd in "$@"; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "ensure-packages: '$cmd' still missing after installing ${missing[*]}" >&2
    exit 1
  fi
done
