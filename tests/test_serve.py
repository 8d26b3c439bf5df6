"""`erfaringsbank serve` rebuilds when an entry, a content page or the theme changes (a real
server; content/status/ data lies in docs_dir, which mkdocs itself watches), and it never hangs
and never dies: a failed rebuild leaves the last good site up with the errors at the top of every
page (adapters/serve.py), a failed first build answers every address with the errors, and
fixing the file brings the site back (bad input of every kind, one after another, while one
server runs: test_serve_bad_input.py, which uses the helpers here)."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError
from mkdocs.exceptions import Abort, PluginError

from conftest import ROOT, VALID, copy_project, fixture_files
from generator.adapters import serve
from generator.base.errors import BankError, Issue
from test_contributing import project

PANEL = 'id="eb-byggefeil-tittel"'
STALE = "Siden under er fra forrige vellykkede bygging."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str, float]:
    """(status, body, seconds) — an error status is an answer too (the error page is a 503)."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            status, body = r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read().decode("utf-8")
    return status, body, time.monotonic() - start


def _wait_for(url: str, needle: str, proc, limit: float = 90, absent: str | None = None) -> str:
    """Poll until the page contains `needle` (and not `absent`); every answer must come fast."""
    end = time.monotonic() + limit
    body = ""
    while time.monotonic() < end:
        assert proc.poll() is None, proc.stdout.read()
        try:
            status, body, seconds = _get(url)
        except OSError:  # not listening yet
            time.sleep(0.5)
            continue
        # (measured: well under a second; the bound leaves room for a loaded CI machine and
        # still catches a server that waits for something slow, such as a whole build)
        assert seconds < 15, f"{url} took {seconds:.1f} s"
        if needle in body and (absent is None or absent not in body):
            return body
        # A rebuild of the small test project takes a few tenths of a second; a longer pause
        # (0.3 s) added about that much again to each of the many waits (one GET costs little)
        time.sleep(0.1)
    raise AssertionError(f"{url} never contained {needle!r}: {body[:2000]}")


def _start(root: Path, *code: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [sys.executable, *(code or ["-m", "generator"]), "serve", "-a", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    return proc, f"http://127.0.0.1:{port}/erfaringsbank/"  # serve mirrors site_url's path


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=20)


def test_serve_reloads_on_entry_content_and_theme_changes(tmp_path):
    # The test bank comes along: the status data in content/ names two of its entries.
    root = project(tmp_path, bank_files=fixture_files())
    # A content folder of our own, so the test can edit a content page.
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "theme", root / "theme")
    config = (root / "site_config.yml").read_text().replace(str(ROOT / "content"), "content")
    config = config.replace(str(ROOT / "theme"), "theme")
    (root / "site_config.yml").write_text(config)
    entry = root / "examples_bank" / "syntetisk-serve.md"
    entry.write_text(VALID, encoding="utf-8")
    proc, base = _start(root)
    try:
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
        _stop(proc)


def test_serve_starts_even_if_the_first_build_fails(tmp_path):
    root = copy_project(tmp_path / "p")
    entry = root / "examples_bank" / "syntetisk-a.md"
    entry.write_text(VALID.replace("[Tydal]", "[<script>alert(1)</script>]"), encoding="utf-8")
    proc, base = _start(root)
    try:
        body = _wait_for(base + "finnes/ikke/", PANEL, proc)  # every address: the errors
        status, css, _ = _get(base + "assets/erfaringsbank.css")
        assert status == 503 and PANEL in css
        assert "ukjent kommune «&lt;script&gt;alert(1)&lt;/script&gt;»" in body
        assert "<code>examples_bank/syntetisk-a.md</code>, linje 3" in body
        assert "Nettstedet er ikke bygget ennå" in body and STALE not in body
        # mkdocs' live-reload script is the only script
        assert re.findall(r"<script[^>]*>", body) == ["<script>"] and "livereload(" in body
        entry.write_text(VALID, encoding="utf-8")
        _wait_for(base + "eksempler/syntetisk-a/", "Syntetisk testeksempel", proc, absent=PANEL)
    finally:
        _stop(proc)
    # a broken configuration at start is still exit 2, before serving
    (root / "site_config.yml").write_text("site_name: [\n", encoding="utf-8")
    proc, _ = _start(root)
    assert proc.wait(timeout=60) == 2
    assert "site_config.yml:2: feil: ugyldig YAML" in proc.stdout.read()


# -- the panel and the sorting of failures, without a server ---------------------------------

def _project(tmp_path: Path) -> serve.Project:
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "theme").mkdir(exist_ok=True)
    return serve.Project(str(tmp_path / "site_config.yml"), str(tmp_path / "content"),
                         str(tmp_path / "theme"))


def test_the_panel_is_escaped_text_at_the_top_of_the_page():
    hostile = Issue("examples_bank/<b>x</b>.md", 7, "ukjent «<img src=x onerror=alert(1)>»",
                    "Skriv <script>alert(2)</script>")
    panel = serve.render_panel(serve.Failure((hostile,)), page=False, report_to="saksliste")
    page = serve.inject(b'<html><body class="md">\n<p>Siden</p></body></html>', panel)
    text = page.decode("utf-8")
    assert text.index('<body class="md">') < text.index(PANEL) < text.index("<p>Siden</p>")
    assert "<img" not in text and "<script" not in text and "<b>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and ", linje 7:" in text
    assert "Slik retter du det: Skriv &lt;script&gt;" in text and STALE in text
    assert 'style="' not in text  # the site's CSP allows no inline style: a stylesheet instead
    assert f'href="{serve.CSS_PATH}"' in text


def test_failures_are_told_apart(tmp_path):
    project = _project(tmp_path)
    issue = Issue("examples_bank/a.md", 3, "ukjent kommune «X»", "Bruk kommunens navn.")
    assert serve.explain(BankError([issue]), [], project).issues == (issue,)
    # the plugin's PluginError carries the issues; mkdocs raises Abort in its place
    plugin = PluginError("Eksempelbanken har feil")
    plugin.issues = [issue]
    try:
        try:
            raise plugin
        except PluginError:
            raise Abort("Aborted with a BuildError!")
    except Abort as exc:
        assert serve.explain(exc, ["Eksempelbanken har feil"], project).issues == (issue,)
    # the theme's template, at its line
    theme_file = tmp_path / "theme" / "main.html"
    try:
        Environment().parse("a\n{{ oi( }}", filename=str(theme_file))
    except TemplateSyntaxError as exc:
        found = serve.explain(exc, [], project).issues
        assert [(i.path, i.line) for i in found] == [("theme/main.html", 2)]
    # an engine error: mkdocs' words, at the page it names
    found = serve.explain(Abort("Aborted"), ["Error reading page 'om.md': boom"], project).issues
    assert [i.path for i in found] == ["content/om.md"] and "boom" in found[0].message
    # anything else is a bug: the details saved to a file
    try:
        1 / 0
    except ZeroDivisionError as exc:
        failure = serve.explain(exc, [], project)
    assert failure.internal.startswith("ZeroDivisionError") and not failure.issues
    assert "ZeroDivisionError" in Path(failure.details).read_text(encoding="utf-8")
    os.unlink(failure.details)
    panel = serve.render_panel(failure, page=True, report_to="https://x.example/issues")
    assert b"Intern feil" in panel and failure.details.encode() in panel
    # no content folder: that, not what follows from it
    shutil.rmtree(tmp_path / "content")
    found = serve.explain(BankError([issue]), [], project).issues
    assert [(i.path, i.message) for i in found] == [("content", "innholdsmappen finnes ikke")]
