"""Search index while rendering: each page's HTML goes to a Pagefind service as soon as it is made.

`search.index_site` runs the Pagefind CLI over the finished site, after the build: it reads and
parses every HTML file again, and the build waits for it. `StreamingIndex` instead starts
`pagefind --service` (the same binary, the same indexer: search.pagefind_binary)
when the build starts and hands it each page's final HTML from the engine adapter (mkdocs'
`on_post_page`). The binary indexes on the second core while Python renders the next pages, and
at the end only writes the index files. A large site goes to several services one after another
(`PART_PAGES` pages each, for memory), whose bundles search/merge.py makes into one.

Engine-free: it gets URLs and HTML strings. The wire format is Pagefind's service protocol (each
message base64-encoded JSON, terminated by a comma), which the official Python and Node wrappers
speak. We do not use the Python wrapper (`pagefind.index.PagefindIndex`) because its reader sleeps
0.1 s before each response — one page per 0.1 s, about ten minutes for 5 000 pages.

Same index as `index_site` over the written site: one language (`no`), only `data-pagefind-body`
content (Pagefind drops pages without it once any page has it), filters, sort keys and weights
from the HTML; and both hand Pagefind what `prepare` makes of a page (search/relevance.py: the
searched part, a copy without æ/ø/å, the kind of page).
"""
from __future__ import annotations

import base64
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from html import unescape
from pathlib import Path

from generator.search import launch, merge, relevance
from generator.search.pagefind import (BUNDLE_DIR, LANGUAGE, IndexStats, SearchIndexError, bundle_stats,
                     pagefind_binary, pagefind_env)

_FAILED = "Søkeindeksen (Pagefind) kunne ikke lages"
QUEUED = 128  # pages waiting for Pagefind at most (memory: a few MB)
# Pages per Pagefind service (StreamingIndex): a part's service needs ≈ 0.16 MB a page while it
# writes (500 pages: ≈ 100 MB, with the next part's service ≈ 125 MB), and Python ≈ 420 MB at the
# end of a 5 000-entry build; the whole build stays under 600 MB (docs/performance.md)
PART_PAGES = 500
_SORT = re.compile(r'data-pagefind-sort="([^":]+):([^"]*)"')  # the sort keys' values (merge.py)


# Written by the theme right after the `data-pagefind-body` element (theme/main.html).
BODY_START = "<div data-pagefind-body>"
BODY_END = "<!--eb:pagefind-slutt-->"
_TITLE_END = "</title>"
_DOC_END = "</div></body></html>"  # how `page_document` and `indexable` end


def page_document(body_html: str) -> str:
    """What Pagefind reads of a page whose main content is known before the engine renders it
    (every generated page): the theme puts nothing with text around it inside
    `data-pagefind-body` (material's edit buttons are icons), so the index is the one the CLI
    makes of the finished page — tests/test_search_stream.py compares the two."""
    return f'<!doctype html><html lang="nb"><head></head><body>{BODY_START}{body_html}</div></body></html>'


def indexable(html: str) -> str | None:
    """The part of a page Pagefind reads, as a small document: the `<html …>` tag (its `lang`),
    the `<title>`, and the `data-pagefind-body` element — or None for a page without one
    (Pagefind leaves such pages out). Pagefind then parses ~5 KB instead of ~33 KB per page;
    the index is the same (tests/test_search_stream.py compares it with the CLI's)."""
    start = html.find(BODY_START)
    end = html.find(BODY_END, start)
    if start < 0 or end < 0:
        return None if start < 0 else html
    head_end = html.find(_TITLE_END)
    html_tag = html.find("<html")
    if head_end < 0 or html_tag < 0 or head_end > start:
        return html  # not our theme's layout: let Pagefind read the whole page
    tag = html[html_tag:html.find(">", html_tag) + 1]
    title_at = html.rfind("<title>", 0, head_end)
    title = html[title_at:head_end + len(_TITLE_END)] if title_at >= 0 else ""
    return f"<!doctype html>{tag}<head>{title}</head><body>{html[start:end]}</body></html>"


def prepare(url: str, document: str) -> str | None:
    """What Pagefind reads of the page at `url` (from the site root: "/a/b/"), given
    `page_document` or `indexable` of it: its body as search/relevance.py makes it; None if the
    page is not indexed. A document of another layout is read as it is."""
    start = document.find(BODY_START)
    if start < 0 or not document.endswith(_DOC_END):
        return document
    start += len(BODY_START)
    body = relevance.body(url, document[start:-len(_DOC_END)])
    return None if body is None else document[:start] + body + _DOC_END


class _Service:
    """One `pagefind --service` process with one index: pages in, a bundle written out."""

    def __init__(self, launcher: launch.Launcher) -> None:
        try:
            self._proc = launcher.start()
        except OSError as exc:
            raise SearchIndexError(f"{_FAILED}: {exc}") from None
        self._next = 0
        self._lock = threading.Condition()
        self._answers: dict[int, dict] = {}
        self._errors: list[str] = []
        self._pending: set[int] = set()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # Pages are queued and written to Pagefind by a thread of their own: a burst of pages
        # must not block the build while Pagefind parses them. Bounded: when Pagefind is behind,
        # the build waits for it instead of holding thousands of pages (≈ 15 KB each) in memory.
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUED)
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()
        answer = self._call({"type": "NewIndex", "config": {"force_language": LANGUAGE}})
        self._index = answer["index_id"]
        self._write_id: int | None = None

    # -- protocol -------------------------------------------------------------------------
    def _send(self, payload: dict) -> int:
        with self._lock:
            self._next += 1
            mid = self._next
            self._pending.add(mid)
        while True:
            if not self._writer.is_alive() or self._proc.poll() is not None:
                # Pagefind has gone: the page is dropped, and `write` reports the failure
                # (a clear error at the end of the build, never an exception mid-render)
                with self._lock:
                    if not self._errors:
                        self._errors.append("Pagefind tar ikke imot flere sider.")
                    self._pending.discard(mid)
                    self._lock.notify_all()
                return mid
            try:
                self._queue.put((mid, payload), timeout=0.5)
                return mid
            except queue.Full:
                continue

    def _write(self) -> None:
        stdin = self._proc.stdin
        while (item := self._queue.get()) is not None:
            mid, payload = item
            message = json.dumps({"message_id": mid, "payload": payload}).encode("utf-8")
            try:
                stdin.write(base64.b64encode(message) + b",")
                if self._queue.empty():
                    stdin.flush()
            except (OSError, ValueError) as exc:  # Pagefind has gone: _call notices it
                with self._lock:
                    self._errors.append(str(exc))
                    self._pending.clear()
                    self._lock.notify_all()
                return

    def _call(self, payload: dict) -> dict:
        return self._wait(self._send(payload), payload["type"])

    def _wait(self, mid: int, what: str) -> dict:
        with self._lock:
            while mid in self._pending and self._proc.poll() is None:
                self._lock.wait(0.5)
            answer = self._answers.pop(mid, None)
        if answer is None:
            raise SearchIndexError(f"{_FAILED}: Pagefind svarte ikke ({what}).")
        return answer

    def _read(self) -> None:
        out = self._proc.stdout
        buffer = b""
        while True:
            chunk = out.read1(1 << 16)
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for raw in messages:
                if raw.strip():
                    self._receive(raw)
        with self._lock:
            self._lock.notify_all()

    def _receive(self, raw: bytes) -> None:
        try:
            response = json.loads(base64.b64decode(raw))
        except ValueError:
            return  # not a protocol message (a log line of the binary)
        if not response:
            return
        payload = response.get("payload") or {}
        mid = response.get("message_id")
        with self._lock:
            if payload.get("type") == "Error":
                self._errors.append(payload.get("message", "ukjent feil"))
            elif payload.get("type") in ("NewIndex", "WriteFiles"):
                self._answers[mid] = payload
            self._pending.discard(mid)
            self._lock.notify_all()

    def add(self, url: str, html: str) -> None:
        self._send({"type": "AddFile", "index_id": self._index, "url": url,
                    "file_path": None, "file_contents": html})

    def start_write(self, out: Path) -> None:
        if self._write_id is None:
            self._write_id = self._send({"type": "WriteFiles", "index_id": self._index,
                                         "output_path": str(out)})

    def wait_written(self) -> None:
        """Wait until the bundle is written; raise SearchIndexError on any failure."""
        self._wait(self._write_id, "WriteFiles")
        if self._errors:
            raise SearchIndexError(f"{_FAILED}:\n" + "\n".join(self._errors[:10]))

    def close(self) -> None:
        try:
            self._queue.put_nowait(None)
        except queue.Full:  # the writer is stuck on a full pipe (or gone): end Pagefind first
            self._proc.terminate()
        self._writer.join(timeout=10)
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()


class StreamingIndex:
    """The build's search index, fed page by page. Pagefind holds every page it is given until it
    writes, and writing takes about three times that (the 5 000-entry bench: 260 MB held,
    790 MB while writing, docs/performance.md). So the pages go to one service after another,
    `PART_PAGES` each: a full part is written (into a folder of its own) while the next part's
    service takes the next pages, and its process then ends. At the end, search/merge.py makes
    one bundle of the parts — the bundle one service would have written for all the pages
    (tests/test_search_stream.py) — so the browser loads and ranks one index. A site of at
    most `PART_PAGES` pages is one part, written where it belongs, as before."""

    def __init__(self, log=None, background: bool = False) -> None:
        """`background`: at the lowest CPU priority (serve's index of the written site)."""
        try:
            self._launcher = launch.Launcher(pagefind_binary(log), pagefind_env(), background)
        except OSError as exc:
            raise SearchIndexError(f"{_FAILED}: {exc}") from None
        try:
            self._service = _Service(self._launcher)  # at once: it is ready when pages come
        except SearchIndexError:
            self._launcher.close()
            raise
        self._in_part = 0
        self._sorts: dict[str, list[str]] = {}
        self._writing: list[_Service] = []  # parts being written, oldest first
        self._parts: list[merge.Part] = []   # parts written or being written, in order
        self._folder: Path | None = None     # where the parts are written
        self._out: Path | None = None
        self._failed: SearchIndexError | None = None
        self.pages = 0

    def add(self, url: str, html: str) -> None:
        """Index one page (`url` as the site serves it, from the root: "/eksempler/x/"); `html`:
        `page_document` or `indexable` of a rendered page (Pagefind reads `prepare` of it)."""
        html = prepare(url, html)
        if html is None or self._out is not None or self._failed is not None:
            return
        if self._in_part >= PART_PAGES:
            try:
                self._next_part()
            except SearchIndexError as exc:  # reported by `write`, at the end of the build
                self._failed = exc
                return
        for key, value in _SORT.findall(html):
            self._sorts.setdefault(key, []).append(unescape(value))
        self._service.add(url, html)
        self._in_part += 1
        self.pages += 1

    def _next_part(self) -> None:
        """The current part is full: have it written, and start the next part's service (after
        the part before has been written, so at most one service writes at a time)."""
        self._finish_written(keep=0)
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="erfaringsbank-pagefind-"))
        out = self._folder / f"del-{len(self._parts) + 1}"
        self._service.start_write(out)
        self._writing.append(self._service)
        self._parts.append(merge.Part(out, self._sorts))
        self._service, self._in_part, self._sorts = _Service(self._launcher), 0, {}

    def _finish_written(self, keep: int) -> None:
        """Wait for the parts being written until at most `keep` are left; end their services."""
        while len(self._writing) > keep:
            service = self._writing.pop(0)
            try:
                service.wait_written()
            finally:
                service.close()

    def start_write(self, site_dir: Path) -> None:
        """All pages are sent: Pagefind may write now, while the engine goes on writing pages
        (the build's last seconds overlap the rendering instead of following it). Pages added
        after this are not indexed."""
        if self._out is not None:
            return
        self._out = Path(site_dir).resolve() / BUNDLE_DIR
        if self._failed is not None:
            return
        if not self._parts:  # one part: its bundle is the index
            self._service.start_write(self._out)
        else:
            out = self._folder / f"del-{len(self._parts) + 1}"
            self._service.start_write(out)
            self._parts.append(merge.Part(out, self._sorts))
        self._writing.append(self._service)

    def write(self, site_dir: Path) -> IndexStats:
        """Wait until the bundle is written into `site_dir/pagefind/`; stop the services."""
        try:
            self.start_write(site_dir)
            if self._failed is not None:
                raise self._failed
            self._finish_written(keep=0)
            if self._parts:
                self._merge()
            return bundle_stats(site_dir)
        finally:
            self.close()

    def _merge(self) -> None:
        """The parts' bundles → one bundle at `self._out` (replacing an older one: serve)."""
        fresh = self._out.with_name(f".{BUNDLE_DIR}-ny")
        shutil.rmtree(fresh, ignore_errors=True)
        try:
            merge.merge(self._parts, fresh)
        except (merge.BundleFormatError, OSError, ValueError) as exc:
            shutil.rmtree(fresh, ignore_errors=True)
            raise SearchIndexError(f"{_FAILED}: delene av indeksen kunne ikke slås sammen "
                                   f"({exc}).") from None
        old = self._out.with_name(f".{BUNDLE_DIR}-gammel")
        if self._out.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(self._out, old)
        os.replace(fresh, self._out)
        shutil.rmtree(old, ignore_errors=True)

    def close(self) -> None:
        for service in self._writing + [self._service]:
            service.close()
        self._writing = []
        self._launcher.close()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
