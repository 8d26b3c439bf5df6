#!/usr/bin/env bash
# Regenerate requirements.lock: every Python package the project needs (pyproject.toml's
# dependencies, its `test` extra and the build backend from [build-system]), each pinned to one
# version with the sha256 hashes of its files on PyPI, for Python 3.11 on Linux x86_64.
#   scripts/lock.sh                          after changing pyproject.toml (keeps the other pins)
#   scripts/lock.sh --upgrade                every package to its newest allowed version
#   scripts/lock.sh --upgrade-package NAME   one package
# Uses uv (pinned below) in a throw-away virtualenv; needs only Python 3.11 and network access to
# PyPI. Review the diff, then run scripts/setup.sh (it re-installs when the lock file changed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
UV_VERSION="0.13.9"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$PY" -m venv "$TMP/venv"
"$TMP/venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"

# The build backend is locked too, so `uv pip install --no-build-isolation -e .` in setup.sh
# downloads nothing that is not in the lock.
"$TMP/venv/bin/python" - > "$TMP/build-system.in" <<'PY'
import tomllib
print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))
PY

# --python-version 3.11 means 3.11.0, so the lock installs on every 3.11 release; --no-config and
# --index-url: only PyPI, whatever uv.toml or pip.conf this machine has.
"$TMP/venv/bin/uv" pip compile --quiet --no-config \
    --index-url https://pypi.org/simple \
    --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
    --extra test --generate-hashes --no-header \
    --output-file requirements.lock \
    "$@" pyproject.toml - < "$TMP/build-system.in"

{
  cat <<'HEADER'
# Locked Python dependencies of erfaringsbank (pyproject.toml: dependencies, the `test` extra and
# the build backend setuptools), with hashes, for Python 3.11 on Linux x86_64.
# Installed by scripts/setup.sh, with uv (pinned with hashes in requirements-uv.lock):
#   uv pip install --require-hashes -r requirements.lock
#   uv pip install --no-deps --no-build-isolation -e .
# Do not edit by hand. To regenerate it after changing pyproject.toml (or to upgrade):
#   scripts/lock.sh                  (or: scripts/lock.sh --upgrade)
# which runs, with uv:
#   uv pip compile pyproject.toml - --extra test --generate-hashes --python-version 3.11
#       --python-platform x86_64-manylinux_2_28   (stdin: [build-system] requires)
HEADER
  cat requirements.lock   # uv's output, without a header of its own (--no-header)
} > "$TMP/lock" && mv "$TMP/lock" requirements.lock
echo "requirements.lock: $(grep -c '^[a-z0-9]' requirements.lock) pakker låst"
