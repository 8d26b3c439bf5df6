"""Search index while rendering: each page's HTML goes to a Pagefind service as soon as it is made.

`search.index_site` runs the Pagefind CLI over the finished site, after the build: it reads and
parses every HTML file again, and the build waits for it. `StreamingIndex` instead starts
`pagefind --service` (the same binary, the same indexer: search.pagefind_binary)
when the build starts and hands it each page's final HTML from the engine adapter (mkdocs'
`on_post_page`). The binary indexes on the second core while Python renders the next pages, and
at the end only writes the index files.

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
import subprocess
import threading
from pathlib import Path

from generator.search import relevance
from generator.search.pagefind import (BUNDLE_DIR, LANGUAGE, IndexStats, SearchIndexError, bundle_stats,
                     pagefind_binary, pagefind_env)

_FAILED = "Søkeindeksen (Pagefind) kunne ikke lages"
QUEUED = 128  # pages waiting for Pagefind at most (memory: a few MB)


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


class StreamingIndex:
    def __init__(self, log=None, background: bool = False) -> None:
        """`background`: at the lowest CPU priority (serve's index of the written site)."""
        binary = pagefind_binary(log)
        try:
            self._proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                          env=pagefind_env(),
                                          preexec_fn=(lambda: os.nice(19)) if background else None)
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
        self.pages = 0
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

    # -- API ------------------------------------------------------------------------------
    def add(self, url: str, html: str) -> None:
        """Index one page (`url` as the site serves it, from the root: "/eksempler/x/"); `html`:
        `page_document` or `indexable` of a rendered page (Pagefind reads `prepare` of it)."""
        html = prepare(url, html)
        if html is None:
            return
        self._send({"type": "AddFile", "index_id": self._index, "url": url,
                    "file_path": None, "file_contents": html})
        self.pages += 1

    def start_write(self, site_dir: Path) -> None:
        """All pages are sent: Pagefind may build and write the bundle into `site_dir/pagefind/`
        now, while the engine goes on writing pages (the build's last ~8 s at 5 000 entries
        overlap the rendering instead of following it). Pages added after this are not indexed."""
        if self._write_id is None:
            out = Path(site_dir).resolve() / BUNDLE_DIR
            self._write_id = self._send({"type": "WriteFiles", "index_id": self._index,
                                         "output_path": str(out)})

    def write(self, site_dir: Path) -> IndexStats:
        """Wait until the bundle is written into `site_dir/pagefind/`; stop the service."""
        try:
            self.start_write(site_dir)
            self._wait(self._write_id, "WriteFiles")
            if self._errors:
                raise SearchIndexError(f"{_FAILED}:\n" + "\n".join(self._errors[:10]))
            return bundle_stats(site_dir)
        finally:
            self.close()

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
