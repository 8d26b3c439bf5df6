"""`erfaringsbank serve` rebuilds when an entry, a content page or the theme changes (a real
server; content/status/ data lies in docs_dir, which mkdocs itself watches)."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from conftest import fixture_files, ROOT, VALID
from test_contributing import project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, needle: str, proc, limit: float = 90) -> str:
    """Poll until the page contains `needle` (bounded; fails with the server's output)."""
    end = time.monotonic() + limit
    body = ""
    while time.monotonic() < end:
        assert proc.poll() is None, proc.stdout.read()
        try:
            body = urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
            if needle in body:
                return body
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never contained {needle!r}")


def test_serve_reloads_on_entry_content_and_theme_changes(tmp_path):
    # The test bank comes along: the status data in content/ names two of its entries.
    root = project(tmp_path, bank_files=fixture_files())
    # A content folder of our own, so the test can edit a content page.
    shutil_copy = __import__("shutil").copytree
    shutil_copy(ROOT / "content", root / "content")
    shutil_copy(ROOT / "theme", root / "theme")
    config = (root / "site_config.yml").read_text().replace(str(ROOT / "content"), "content")
    config = config.replace(str(ROOT / "theme"), "theme")
    (root / "site_config.yml").write_text(config)
    entry = root / "examples_bank" / "syntetisk-serve.md"
    entry.write_text(VALID, encoding="utf-8")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}/erfaringsbank/"  # serve mirrors site_url's path
        _wait_for(base + "eksempler/syntetisk-serve/", "Syntetisk testeksempel", proc)
        entry.write_text(VALID.replace("tittel: Syntetisk testeksempel",
                                       "tittel: Endret mens serveren kjører"), encoding="utf-8")
        _wait_for(base + "eksempler/syntetisk-serve/", "Endret mens serveren kjører", proc)
        page = root / "content" / "reformen" / "faser.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n\nEn ny setning fra testen.\n")
        _wait_for(base + "reformen/faser/", "En ny setning fra testen.", proc)
        css = root / "theme" / "assets" / "erfaringsbank.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* endret-av-testen */\n")
        _wait_for(base + "assets/erfaringsbank.css", "endret-av-testen", proc)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
