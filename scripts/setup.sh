# Sourced by site.sh and test.sh: a project-local virtualenv with everything installed, and the
# pinned npm packages (Pagefind's indexer, axe-core). The Python packages come only from
# requirements.lock (every transitive dependency, pinned with hashes; regenerate it with
# scripts/lock.sh), the project itself is installed editable without dependencies. Re-installs
# only when requirements.lock, pyproject.toml or package-lock.json changed, so repeated runs are
# fast.
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
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
STAMP=".venv/.installed-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$STAMP" ]; then
  # Python 3.11's own pip is enough (no unpinned `pip install --upgrade pip`). The build backend
  # (setuptools) is in the lock too, hence --no-build-isolation: nothing unhashed is downloaded.
  # --no-compile: pip byte-compiled every installed module (≈ 13 s of CPU on a fresh clone, a
  # third of the install); Python compiles, and caches, only the modules that are imported.
  .venv/bin/python -m pip install --quiet --no-compile --require-hashes -r requirements.lock
  .venv/bin/python -m pip install --quiet --no-compile --no-deps --no-build-isolation -e .
  rm -f .venv/.installed-* && touch "$STAMP"
fi
if [ -n "$NPM_PID" ]; then
  wait "$NPM_PID" || { echo "npm ci feilet (se meldingen over)." >&2; exit 1; }
fi
