"""Browser test support: serve a built site on localhost and drive Debian's Chromium.

No browser is downloaded at run time: Playwright drives /usr/bin/chromium. On a developer
machine without Chromium the browser tests are skipped; under CI (CI=true) they fail instead,
so a missing install step can never pass silently.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium mangler ({CHROMIUM}); scripts/test.sh skal installere det")
        pytest.skip("Chromium er ikke installert (apt-get install chromium)")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    cache_control: str | None = None
    sent: list | None = None  # (path, bytes, content type) of every body sent, if a list

    def copyfile(self, source, outputfile):
        if self.sent is None:
            return super().copyfile(source, outputfile)
        data = source.read()
        outputfile.write(data)
        self.sent.append((self.path, len(data), self.guess_type(self.path.split("?")[0])))

    def log_message(self, *args):
        pass

    def end_headers(self):
        if self.cache_control:
            self.send_header("Cache-Control", self.cache_control)
        super().end_headers()


@contextmanager
def serve(directory: Path, prefix: str = "", cache_control: str | None = None,
          sent: list | None = None):
    """Serve `directory` at http://127.0.0.1:<port>/<prefix>/ (prefix emulates project pages).
    `cache_control`: a Cache-Control header for every response (GitHub Pages: "max-age=600").
    `sent`: a list that receives (path, bytes, content type) of every response body sent.

    With a prefix, the site is placed in a folder of that name under a temporary root, exactly
    as GitHub Pages serves https://<org>.github.io/<repo>/.
    """
    root = directory
    tmp = None
    if prefix:
        import tempfile
        tmp = Path(tempfile.mkdtemp())
        (tmp / prefix).symlink_to(directory.resolve(), target_is_directory=True)
        root = tmp
    handler = functools.partial(
        type("_Handler", (_Quiet,), {"cache_control": cache_control, "sent": sent}),
        directory=str(root))
    socketserver.TCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        port = httpd.server_address[1]
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{port}/" + (f"{prefix}/" if prefix else "")
        finally:
            httpd.shutdown()
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)


_shared: list = []  # [Playwright, Browser] of this test process, once started


@contextmanager
def browser():
    """Chromium for a test module. One Chromium serves the whole test process (each start cost
    about a second of CPU, and nine modules started one): started on first use, stopped at the
    end of the session (conftest.py). The contexts opened in the block — and with them their
    pages, cookies, storage and cache — are closed when it ends: nothing passes to the next
    module."""
    require_chromium()
    if _shared and not _shared[1].is_connected():
        stop_shared()  # it crashed: start a new one
    if not _shared:
        from playwright.sync_api import sync_playwright
        p = sync_playwright().start()
        try:
            _shared.extend([p, p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)])
        except BaseException:
            p.stop()
            raise
    b = _shared[1]
    before = list(b.contexts)
    try:
        yield b
    finally:
        for ctx in b.contexts:
            if ctx not in before:
                ctx.close()


def forget(page, url: str) -> None:
    """Make the next visit of `page` to `url`'s site a first visit again, in the same tab: the
    browser context's HTTP cache and cookies and the site's storage (local and session storage,
    IndexedDB, Cache Storage, service workers) emptied through DevTools. A new page per first
    visit cost Chromium ≈ 0.7–1.3 s of CPU (a new renderer, Pagefind's WebAssembly compiled
    again), a new context more."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Network.clearBrowserCache")
        cdp.send("Network.clearBrowserCookies")
        cdp.send("Storage.clearDataForOrigin",
                 {"origin": f"{parts.scheme}://{parts.netloc}", "storageTypes": "all"})
    finally:
        cdp.detach()


@contextmanager
def first_visit(page, url: str):
    """In the block, `page` loads `url`'s site as on a first visit, in the same tab: forget()
    first, and no cache used — not the HTTP cache, nor the renderer's memory cache, which keeps
    a page's styles and scripts for the next page of the site (DevTools' «Disable cache»)."""
    forget(page, url)
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        yield page
    finally:
        try:
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        finally:
            cdp.detach()


def stop_shared() -> None:
    """Stop this process's Chromium, if it was started."""
    if _shared:
        p, b = _shared
        _shared.clear()
        try:
            if b.is_connected():
                b.close()
        finally:
            p.stop()


def site_prefix() -> str:
    """The path part of site_url in site_config.yml ("erfaringsbank" for project pages):
    pages with absolute links (404.html) only work when served under it, as on GitHub Pages."""
    import re
    from urllib.parse import urlparse
    config = (Path(__file__).resolve().parent.parent / "site_config.yml").read_text("utf-8")
    m = re.search(r"^site_url:\s*[\"']?([^\"'\s]*)", config, re.M)
    return urlparse(m.group(1)).path.strip("/") if m else ""
