"""Search index stage: Pagefind indexes the built site (engine-free: it takes a site folder).

`build` (`erfaringsbank build`, `mkdocs build`) indexes while rendering instead, with the same
settings (search/stream.py), so the index is part of the same atomic build; `index_site` over
the written site is what `serve` does in the background after each rebuild
(`BackgroundIndexer`), and the reference the streamed index is tested against. Both hand
Pagefind the same preparation of each page (search/relevance.py). Pagefind is a
binary: the pinned npm package `pagefind` (package.json, installed by `npm ci` in
scripts/setup.sh) and nothing else, see `pagefind_binary`.

Language: every page is indexed as Norwegian (`no`) – bokmål and nynorsk pages alike – so there is
one index with Norwegian stemming instead of one index per `lang` (which would split results).
Only the main content (`data-pagefind-body`, see theme/main.html) is indexed; example pages carry
the filters (facets), the sort key and the weights (see pages.example_page).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

LANGUAGE = "no"          # Pagefind's code for Norwegian (Snowball stemmer), used for nb and nn
BUNDLE_DIR = "pagefind"  # the index and the Pagefind JS, relative to the site root


class SearchIndexError(RuntimeError):
    pass


# Pagefind 1.6.0 from npm (package.json): its search does not download the whole index when a
# visitor filters without a search word (1.5.2 did: 7.3 MB at 5 000 examples). It is the only
# source: PyPI's `pagefind[extended]` stops at 1.5.2 and is not installed (a 57 MB binary that no
# test ran), so without npm's binary the index cannot be made and `pagefind_binary` says why.
_NPM_BINARY = "node_modules/@pagefind/*/bin/pagefind_extended*"


def _binary_roots() -> tuple[Path, ...]:
    """Where `node_modules/` is looked for: the repository, then the current folder."""
    return (Path(__file__).resolve().parents[2], Path.cwd())


# Pagefind's Linux binaries (musl) allocate with jemalloc, which by default keeps freed pages for
# 10 s before giving them back. Pagefind frees the parsed pages while it builds the index, so
# giving them back after 0.5 s lowers its peak RSS at 5 000 examples from 1.08 GB to 0.87 GB;
# 0 s saves 20 MB more but costs ≈ 1 s of system time (docs/performance.md). `_RJEM_` is the
# prefix of the jemalloc in Rust's tikv-jemallocator; other builds ignore the variable. A value
# the user has set wins.
_JEMALLOC_ENV = "_RJEM_MALLOC_CONF"
_JEMALLOC_CONF = "dirty_decay_ms:500,muzzy_decay_ms:0"


def pagefind_env() -> dict[str, str]:
    """The environment Pagefind is started with: ours, plus the jemalloc setting above."""
    env = dict(os.environ)
    env.setdefault(_JEMALLOC_ENV, _JEMALLOC_CONF)
    return env


def pagefind_binary(log=None) -> Path:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, else the npm one (in the repository or the
    current folder). Raises SearchIndexError when there is none. `log` is accepted for the
    callers' sake and not used."""
    if env := os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(env)
    for root in _binary_roots():
        for found in sorted(root.glob(_NPM_BINARY)):
            if found.is_file() and not found.name.endswith(".sha256"):
                return found
    raise SearchIndexError(
        "Søkeindeksen (Pagefind) kunne ikke lages: fant ikke Pagefind-programmet i "
        "node_modules/@pagefind/. Pagefind installeres med npm: kjør scripts/setup.sh (npm ci), "
        "eller angi programmet med PAGEFIND_BINARY_PATH.")


@dataclass(frozen=True)
class IndexStats:
    files: int
    bytes: int


def index_site(site_dir: Path, background: bool = False, pause=None) -> IndexStats:
    """Write the Pagefind bundle into `site_dir/pagefind/` from the written site; raise
    SearchIndexError on failure. Every page goes through the same preparation as in the
    streamed build index (search/stream.py: `indexable`, then `prepare`), so both give the same
    index; Pagefind's own `--site` crawl would read the pages as they are. `background`: at the
    lowest CPU priority (serve), so a rebuild running at the same time is not slowed down by it.
    `pause()`, called before each page, may block (serve: while a rebuild runs)."""
    from generator.search import stream  # stream builds on this module
    site_dir = Path(site_dir)
    index = stream.StreamingIndex(background=background)
    try:
        for path in sorted(site_dir.rglob("*.html")):
            rel = path.relative_to(site_dir).as_posix()
            if rel.startswith(BUNDLE_DIR + "/"):
                continue
            if pause is not None:
                pause()
            url = "/" + (rel[:-len("index.html")] if rel == "index.html" or rel.endswith("/index.html")
                         else rel)
            try:
                document = stream.indexable(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                raise SearchIndexError(f"Søkeindeksen (Pagefind) kunne ikke lages: {rel}: {exc}") from None
            if document is not None:
                index.add(url, document)
    except BaseException:
        index.close()
        raise
    return index.write(site_dir)


def bundle_stats(site_dir: Path) -> IndexStats:
    files = [p for p in (Path(site_dir) / BUNDLE_DIR).rglob("*") if p.is_file()]
    return IndexStats(len(files), sum(p.stat().st_size for p in files))


class BackgroundIndexer:
    """`serve`: index the site in a background thread after each rebuild, so the rebuilt page is
    served at once and the search catches up a moment later (a few seconds at 5 000 entries).
    It starts once rebuilds have paused for `quiet` seconds: an editor that saves every few
    seconds gets each rebuild without Pagefind reading the whole site on the other core (an
    edit visible after 1.5–2.4 s at 5 000 entries, docs/performance.md). Requests that arrive
    while an index is being made are merged into one more run. While a rebuild runs (`hold`
    until the next `request` or `release`) it waits: its page preparation runs in serve's own
    process and would take turns with the rebuild for the interpreter (≈ 1.5× its time)."""

    quiet = 2.0

    def __init__(self, log) -> None:
        import threading
        self._log = log
        self._wanted: Path | None = None
        self._fresh = False  # a request came during the quiet wait
        self._held = False  # a rebuild is running
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
        self._thread.start()

    def request(self, site_dir: Path) -> None:
        with self._cond:
            self._wanted = Path(site_dir)
            self._fresh, self._held = True, False
            self._cond.notify_all()

    def hold(self) -> None:
        with self._cond:
            self._held = True

    def release(self) -> None:
        with self._cond:
            self._held = False
            self._cond.notify_all()

    def _unheld(self) -> None:
        with self._cond:
            self._cond.wait_for(lambda: not self._held or self._stopped)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._wanted is None and not self._stopped:
                    self._cond.wait()
                while (self._fresh or self._held) and not self._stopped:
                    self._fresh = False  # until `quiet` s without a request, and no rebuild
                    self._cond.wait(self.quiet)
                if self._stopped:
                    return
                site, self._wanted = self._wanted, None
            try:
                stats = index_site(site, background=True, pause=self._unheld)
                self._log.info(f"Søkeindeks (Pagefind) oppdatert: {stats.files} filer")
            except (SearchIndexError, OSError) as exc:
                self._log.warning(str(exc))
