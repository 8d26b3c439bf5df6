#!/usr/bin/env bash
# Run the whole test suite. Installs what it needs: the Python and npm packages (setup.sh) and
# Debian's Chromium for the browser tests.
source "$(dirname "$0")/setup.sh"
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installerer Chromium for nettlesertestene …"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
# Java for the W3C Nu Html Checker (tests/test_html_valid.py; vnu.jar comes from npm).
if ! command -v java >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installerer Java for HTML-kontrollen (vnu) …"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
fi
# Bytecode is cached (__pycache__ is git-ignored). With PYTHONDONTWRITEBYTECODE set, as here,
# each of the two hundred Python processes the tests start compiled the generator anew
# (≈ 0.1 s of CPU each) and each worker rewrote every test module.
unset PYTHONDONTWRITEBYTECODE
# Two workers more than the machine has cores, one test file per worker (its module fixtures —
# built sites, a browser — are made once). A core's worker is idle while a test waits for a
# served rebuild, a subprocess or a browser; the extra workers use that time (2 cores: pytest
# 159–171 s with 3 workers against 167–192 s with 2; later, on a busier machine, 142–144 s with
# 4 against 152–156 s with 3). `scripts/test.sh -n 0 …` runs in one process. The files are handed
# out in the order tests/conftest.py gives them (the slowest first), not by their number of tests.
exec .venv/bin/python -m pytest -n "$(( $(nproc) + 2 ))" --dist loadfile --no-loadscope-reorder "$@"
