"""Search index while rendering: each page's HTML goes to a Pagefind service as soon as it is made.

`search.index_site` runs the Pagefind CLI over the finished site, after the build: it reads and
parses every HTML file again, and the build waits for it. `StreamingIndex` instead starts
`pagefind --service` (the same binary, the same indexer, from the pinned `pagefind[extended]`)
when the build starts and hands it each page's final HTML from the engine adapter (mkdocs'
`on_post_page`). The binary indexes on the second core while Python renders the next pages, and
at the end only writes the index files.

Engine-free: it gets URLs and HTML strings. The wire format is Pagefind's service protocol (each
message base64-encoded JSON, terminated by a comma), which the official Python and Node wrappers
speak. We do not use the Python wrapper (`pagefind.index.PagefindIndex`) because its reader sleeps
0.1 s before each response — one page per 0.1 s, about ten minutes for 5 000 pages.

Same index as the CLI run: one language (`no`), only `data-pagefind-body` content (Pagefind drops
pages without it once any page has it), filters, sort keys and weights from the HTML.
"""
from __future__ import annotations

import base64
import json
import subprocess
import threading
from pathlib import Path

from .search import BUNDLE_DIR, LANGUAGE, IndexStats, SearchIndexError, bundle_stats

_FAILED = "Søkeindeksen (Pagefind) kunne ikke lages"


class StreamingIndex:
    def __init__(self) -> None:
        from pagefind.service import get_executable  # the binary of the pinned package
        binary = get_executable()
        if binary is None:
            raise SearchIndexError(f"{_FAILED}: fant ikke Pagefind (pakken pagefind[extended]).")
        try:
            self._proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as exc:
            raise SearchIndexError(f"{_FAILED}: {exc}") from None
        self._next = 0
        self._lock = threading.Condition()
        self._answers: dict[int, dict] = {}
        self._errors: list[str] = []
        self._pending: set[int] = set()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        answer = self._call({"type": "NewIndex", "config": {"force_language": LANGUAGE}})
        self._index = answer["index_id"]
        self.pages = 0

    # -- protocol -------------------------------------------------------------------------
    def _send(self, payload: dict, wait: bool) -> int:
        with self._lock:
            self._next += 1
            mid = self._next
            self._pending.add(mid)
        message = json.dumps({"message_id": mid, "payload": payload}).encode("utf-8")
        try:
            self._proc.stdin.write(base64.b64encode(message) + b",")
            if wait:
                self._proc.stdin.flush()
        except OSError as exc:
            raise SearchIndexError(f"{_FAILED}: {exc}") from None
        return mid

    def _call(self, payload: dict) -> dict:
        mid = self._send(payload, wait=True)
        with self._lock:
            while mid in self._pending and self._proc.poll() is None:
                self._lock.wait(0.5)
            answer = self._answers.pop(mid, None)
        if answer is None:
            raise SearchIndexError(f"{_FAILED}: Pagefind svarte ikke ({payload['type']}).")
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
        """Index one page (`url` as the site serves it, from the root: "/eksempler/x/")."""
        self._send({"type": "AddFile", "index_id": self._index, "url": url,
                    "file_path": None, "file_contents": html}, wait=False)
        self.pages += 1

    def write(self, site_dir: Path) -> IndexStats:
        """Wait for every page, write the bundle into `site_dir/pagefind/`, stop the service."""
        try:
            out = Path(site_dir).resolve() / BUNDLE_DIR
            self._call({"type": "WriteFiles", "index_id": self._index, "output_path": str(out)})
            if self._errors:
                raise SearchIndexError(f"{_FAILED}:\n" + "\n".join(self._errors[:10]))
            return bundle_stats(site_dir)
        finally:
            self.close()

    def close(self) -> None:
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
