#!/usr/bin/env bash
# Install what the tests need from Debian (WeasyPrint's libraries and fonts, Chromium for
# the end-to-end tests, gettext, poppler, Node.js and npm for the test OpenID provider, curl
# and jq for the API example; the PostgreSQL server binaries (initdb, pg_ctl) and
# redis-server, which the production-mode suite starts on its own ports) and start
# PostgreSQL and Redis if they are down.
# Safe to run again: it only acts on what is missing.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation
          chromium gettext poppler-utils postgresql postgresql-client redis-server redis-tools
          curl jq)
# Node.js 20+ runs the test OpenID provider; a machine that has it (e.g. from NodeSource)
# needs nothing from Debian for it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing system packages: ${missing[*]} (run 'make test' as root, or install them)." >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "Starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
