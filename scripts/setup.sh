# Sourced by site.sh and test.sh: a project-local virtualenv with everything installed, and the
# pinned npm packages (Pagefind's indexer, axe-core). The Python packages come only from
# requirements.lock (every transitive dependency, pinned with hashes; regenerate it with
# scripts/lock.sh), the project itself is installed editable without dependencies. Re-installs
# only when requirements.lock, requirements-uv.lock, pyproject.toml or package-lock.json changed, so repeated runs are
# fast. The installer is uv (one pinned version, hash-checked: requirements-uv.lock), not pip:
# see below.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installerer Node.js og npm (for Pagefind og axe-core) …"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
NPM_STAMP="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
NPM_PID=""
if [ ! -f "$NPM_STAMP" ]; then
  if command -v npm >/dev/null 2>&1; then
    # In the background, while pip installs: the two do not touch each other's files, and on a
    # fresh clone this saves npm's few seconds of wall time.
    { npm ci --silent --no-audit --no-fund && touch "$NPM_STAMP"; } &
    NPM_PID=$!
  else
    # Pagefind (the search index) comes only from npm: without it `build` stops with an error.
    echo "Advarsel: fant ikke npm. Installer Node.js og npm og kjør scripts/setup.sh igjen" \
         "(npm ci installerer Pagefind, som søkeindeksen trenger, og axe-core)." >&2
  fi
fi

PY="${PYTHON:-python3}"
# Why uv: on a fresh clone with nothing cached, pip took 29–30 s (24 s of CPU) for the lock, one
# download after another; uv downloads in parallel and unpacks in Rust: 15–22 s on the busy shared
# machine, 9–10 s of CPU (docs/performance.md, round eight). uv itself comes from PyPI through
# the Python's own pip, pinned with hashes (requirements-uv.lock), into .venv/uv/. The venv is
# made without pip: ensurepip took 5 s of CPU and nothing here uses a pip inside .venv (to add a
# package by hand: .venv/uv/bin/uv pip install --python .venv/bin/python NAME).
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv --without-pip .venv
fi
# (requirements-uv.lock too: a new uv pin takes effect on the next run)
STAMP=".venv/.installed-$(cat requirements.lock requirements-uv.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
  UV=.venv/uv/bin/uv
  # (again when requirements-uv.lock names another version than the one in .venv/uv/)
  if [ ! -x "$UV" ] ||
     ! grep -qxF "uv==$("$UV" --version | cut -d' ' -f2) \\" requirements-uv.lock; then
    rm -rf .venv/uv
    # A Python without pip of its own (some Linux packages): the venv's pip, from ensurepip.
    if "$PY" -m pip --version >/dev/null 2>&1; then PIP=("$PY" -m pip); else
      .venv/bin/python -m ensurepip --default-pip >/dev/null; PIP=(.venv/bin/python -m pip); fi
    PIP_ROOT_USER_ACTION=ignore "${PIP[@]}" install --quiet --no-compile --require-hashes \
      --target .venv/uv -r requirements-uv.lock
  fi
  # The build backend (setuptools) is in the lock too, hence --no-build-isolation: nothing
  # unhashed is downloaded. uv does not byte-compile (pip did, with ≈ 13 s of CPU, until
  # --no-compile): Python compiles, and caches, only the modules that are imported.
  "$UV" pip install --quiet --python .venv/bin/python --require-hashes -r requirements.lock
  "$UV" pip install --quiet --python .venv/bin/python --no-deps --no-build-isolation -e .
  rm -f .venv/.installed-* && touch "$STAMP"
fi
if [ -n "$NPM_PID" ]; then
  wait "$NPM_PID" || { echo "npm ci feilet (se meldingen over)." >&2; exit 1; }
fi
