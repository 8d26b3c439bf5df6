"""Content pages come by pull request too: raw HTML in content/*.md is sanitised like an entry
body (tables, figures and lang spans stay; scripts, event handlers, javascript: links, styles
and frames do not), while the sections the core generates into them stay whole."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_project
from generator.adapters.cli import main

HOSTILE = """

<script>alert('innhold')</script>
<p onclick="alert(1)" lang="nn">Nynorsk avsnitt</p>
<img src="x" onerror="alert(2)" alt="bilde">
[lenke](javascript:alert(3)) og <a href="jav&#x09;ascript:alert(4)">lenke</a>
<iframe src="https://example.org"></iframe>
<style>body { display: none }</style>
<!--eb-0000-->
<script>alert('forfalsket markør')</script>
<!--/eb-0000-->

| A | B |
|---|---|
| <span lang="nn">eitt</span> | to |
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("innhold")
    copy_project(root)
    for page in ("tilgjengelighet.md", "innsatsomrader/helsehjelp/index.md"):
        path = root / "content" / page
        path.write_text(path.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    assert main(["--config", str(root / "site_config.yml"), "build"]) == 0
    return root / "site"


@pytest.mark.parametrize("page", ["tilgjengelighet/index.html",
                                  "innsatsomrader/helsehjelp/index.html"])
def test_content_page_keeps_nothing_active(site, page):
    html = (site / page).read_text(encoding="utf-8")
    main_part = html[html.index('id="innhold"'):html.index("</article>")]
    for bad in ("alert(", "onclick", "onerror", "javascript:", "<iframe", "<style",
                "display: none"):
        assert bad not in main_part, bad
    assert '<p lang="nn">Nynorsk avsnitt</p>' in main_part
    assert '<span lang="nn">eitt</span>' in main_part and "<table>" in main_part
    assert 'alt="bilde"' in main_part


def test_generated_sections_stay_whole(site):
    helsehjelp = (site / "innsatsomrader/helsehjelp/index.html").read_text(encoding="utf-8")
    assert 'id="losninger"' in helsehjelp and 'type="application/atom+xml"' in helsehjelp
    search = (site / "finn-eksempler/index.html").read_text(encoding="utf-8")
    assert '<form class="eb-finn__skjema"' in search and 'src="../assets/finn-eksempler.js"' in search
    status = (site / "status/index.html").read_text(encoding="utf-8")
    assert "<svg" in status


@pytest.mark.parametrize("name", ["side.html", "bilde.svg", "skript.js", "gammel.HTM"])
def test_active_files_in_content_are_refused(tmp_path, name):
    root = tmp_path
    copy_project(root)
    (root / "content" / name).write_text("<script>alert(1)</script>", encoding="utf-8")
    for command in ("check", "build"):
        assert main(["--config", str(root / "site_config.yml"), command]) == 1, command
    assert not (root / "site").exists()


def test_content_page_title_and_description_are_plain_text(tmp_path, capsys):
    copy_project(tmp_path)
    page = tmp_path / "content" / "tilgjengelighet.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    page.write_text("---\ntitle: 'Tilgjengelighet</title><script>alert(1)</script>'\n"
                    "description: \"x\\u0007\"\n" + text[4:], encoding="utf-8")
    assert main(["--config", str(tmp_path / "site_config.yml"), "check"]) == 1
    err = capsys.readouterr().err
    assert "content/tilgjengelighet.md:2: feil: «title» kan ikke inneholde HTML" in err
    assert "content/tilgjengelighet.md:3: feil: «description» inneholder et kontrolltegn" in err


def test_hostile_content_page_runs_nothing_in_a_browser(site):
    """The hostile content pages opened in Chromium: no dialog, no script error, no request to
    anyone but the local server (the SVG door is closed before the browser: an SVG is refused
    by check and build, tests/test_files.py and the bad bank svg-and-external-images)."""
    from urllib.parse import urlparse

    from browser import browser, serve
    with serve(site) as base, browser() as b:
        page = b.new_page()
        dialogs, requests = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url))
        for path in ("tilgjengelighet/", "innsatsomrader/helsehjelp/"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            assert page.locator('p[lang="nn"]').count() >= 1, path  # the harmless part is there
        page.close()
    assert dialogs == []
    assert all(urlparse(u).hostname == "127.0.0.1" for u in requests
               if urlparse(u).scheme in ("http", "https"))
