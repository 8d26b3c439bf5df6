#!/usr/bin/env bash
# Run the whole test suite. Installs what it needs: the Python packages (into .venv),
# Debian's Chromium for the browser tests, and axe-core from npm.
source "$(dirname "$0")/setup.sh"
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installerer Chromium for nettlesertestene …"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if [ -f package.json ] && ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installerer npm for axe-core (tilgjengelighetstestene) …"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if [ -f package.json ] && [ ! -d node_modules/axe-core ] && command -v npm >/dev/null; then
  npm ci --silent --no-audit --no-fund
fi
exec .venv/bin/python -m pytest "$@"
