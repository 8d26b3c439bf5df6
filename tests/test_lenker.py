"""`erfaringsbank lenker`: every external address the site shows, with its file and line, for the
weekly dead-link check — and `--rapport`, which turns lychee's JSON report into the issue."""
from __future__ import annotations

import json
import re
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from conftest import VALID, copy_project, edit_file
from generator.adapters.cli import main
from generator.contribute import links

ENTRY = "examples_bank/syntetisk-lenker.md"
PAGE = "content/lenketest.md"
# The entry: two sources (one without an address), and links in its text — one to its own source
# again (the same place is listed once), an internal one and a mailto (neither is external).
ENTRY_TEXT = VALID.replace("tittel: Syntetisk testeksempel", "tittel: Lenker i teksten").replace(
    """  - tittel: Testdata
    url: https://example.org/kilde
""", """  - tittel: Kommunens side
    url: https://kilde.example/a
  - tittel: Et trykt hefte
""").rstrip() + """
Les [kilden](https://kilde.example/a), [notatet](https://tekst.example/b?x=1&y=2) og
<https://auto.example/c>. Se også [et annet eksempel](syntetisk-a.md) og
[e-post](mailto:post@kommune.example).
"""
PAGE_TEXT = """\
---
title: Lenketest
---
# Lenketest

En [lenke](https://side.example/1) og <https://side.example/2>,
<a href="https://side.example/3">i HTML</a>, ikke `https://kode.example/4` i kode,
og en [intern side](apne-data.md).
"""


@pytest.fixture
def project(tmp_path) -> dict:
    """A copy of the project with files the test writes, and the line of each address it put in
    the data files (support apparatus, status round, a løsning page)."""
    root = copy_project(tmp_path / "p")
    (root / ENTRY).write_text(ENTRY_TEXT, "utf-8")
    (root / PAGE).write_text(PAGE_TEXT, "utf-8")
    lines = {
        "stotte": edit_file(root, "content/regioner/stotteapparat.yml",
                            "url: https://www.statsforvalteren.no/nb/oslo-og-viken/folk-og-samfunn/"
                            "leve-hele-livet/\n", "url: https://stotte.example/x\n"),
        "status": edit_file(root, "content/status/2022-11.yml", "url: https://www.helsedirektoratet.no",
                            "url: https://status.example/y?q=https://www.helsedirektoratet.no"),
        "losning": edit_file(root, "content/innsatsomrader/helsehjelp/hverdagsmestring.md",
                             "kilde: https://www.hemnes.kommune.no/helsehjelp.553371.no.html",
                             "kilde: https://losning.example/z"),
    }
    return {"root": root, "lines": lines}


def lenker(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["--config", str(root / "site_config.yml"), "lenker", *args])
    return code, capsys.readouterr().out


def test_every_external_address_with_its_file_and_line(project, capsys):
    root, lines = project["root"], project["lines"]
    code, out = lenker(root, capsys)
    assert code == 0
    rows = out.splitlines()
    assert rows == sorted(set(rows)) and all(r.count("\t") == 1 for r in rows)

    def of(path):
        return [r for r in rows if r.split("\t")[1].split(":")[0] == path]

    assert of(ENTRY) == [f"https://auto.example/c\t{ENTRY}:18",
                         f"https://kilde.example/a\t{ENTRY}:13",
                         f"https://tekst.example/b?x=1&y=2\t{ENTRY}:17"]
    assert of(PAGE) == [f"https://side.example/1\t{PAGE}:6", f"https://side.example/2\t{PAGE}:6",
                        f"https://side.example/3\t{PAGE}:7"]
    assert of("examples_bank/syntetisk-a.md") == [
        "https://example.org/kilde\texamples_bank/syntetisk-a.md:13"]
    assert f"https://stotte.example/x\tcontent/regioner/stotteapparat.yml:{lines['stotte']}" in rows
    assert (f"https://status.example/y?q=https://www.helsedirektoratet.no/rapporter/leve-hele-livet-"
            f"arsrapport-2022/overordnet-status-for-2022/regionalt-stotteapparat\t"
            f"content/status/2022-11.yml:{lines['status']}") in rows
    assert ("https://losning.example/z\tcontent/innsatsomrader/helsehjelp/hverdagsmestring.md:"
            f"{lines['losning']}") in rows
    assert not [r for r in rows if not r.startswith(("https://", "http://"))]
    assert "kode.example" not in out and "mailto" not in out


def test_url_and_json_formats(project, capsys):
    root = project["root"]
    _, text = lenker(root, capsys)
    urls = sorted({r.split("\t")[0] for r in text.splitlines()})
    code, out = lenker(root, capsys, "--format", "url")
    assert code == 0 and out.splitlines() == urls          # each once, for lychee
    code, out = lenker(root, capsys, "--format", "json")
    data = json.loads(out)["lenker"]
    assert [d["url"] for d in data] == urls
    assert next(d for d in data if d["url"] == "https://side.example/3")["steder"] == [
        {"fil": PAGE, "linje": 7}]


LYCHEE = {   # lychee 0.23's --format json (lychee-bin/src/formatters/stats/json.rs)
    "total": 9, "successful": 5, "unknown": 0, "unsupported": 0, "timeouts": 1, "redirects": 0,
    "excludes": 0, "errors": 3, "cached": 0, "success_map": {},
    "error_map": {"lychee/lenker.txt": [
        {"url": "https://kilde.example/a", "status": {"text": "404 Not Found", "code": 404}},
        # lychee writes the address back as a URL parser reads it
        {"url": "https://side.example/2", "status": {"text": "410 Gone", "code": 410}},
        {"url": "https://ukjent.example/", "status": {"text": "::error::x\n@alle <b>", "code": 500}},
    ]},
    "timeout_map": {"lychee/lenker.txt": [
        {"url": "https://stotte.example/x", "status": {"text": "Timeout",
                                                       "details": "Request timed out"}}]},
    "suggestion_map": {}, "redirect_map": {}, "excluded_map": {},
}


def test_the_issue_lists_dead_links_per_file_entries_first(project, capsys, tmp_path):
    root, lines = project["root"], project["lines"]
    # the page writes the host with capitals; lychee writes it back in lower case
    (root / PAGE).write_text(PAGE_TEXT.replace("https://side.example/2", "https://Side.Example/2"),
                             "utf-8")
    report = tmp_path / "lychee.json"
    report.write_text(json.dumps(LYCHEE), "utf-8")
    issue = tmp_path / "sak.md"
    code, out = lenker(root, capsys, "--rapport", str(report), "--ut", str(issue))
    assert code == 0 and out == ""
    text = issue.read_text("utf-8")
    assert text.startswith("Den ukentlige kontrollen fant 4 lenker som ikke virker.")
    sections = re.findall(r"^### (.*)$", text, re.M)
    assert sections == [r"examples\_bank\/syntetisk\-lenker\.md",
                        r"content\/lenketest\.md",
                        r"content\/regioner\/stotteapparat\.yml", "Andre lenker"]
    assert "- <https://kilde.example/a> (linje 13): 404 Not Found\n" in text
    assert "- <https://Side.Example/2> (linje 6): 410 Gone\n" in text
    assert (f"- <https://stotte.example/x> (linje {lines['stotte']}): "
            "Timeout\\: Request timed out\n") in text
    # what the server said is text: no command, no mention, no HTML
    assert "- <https://ukjent.example/>: \\:\\:error\\:\\:x \\@\u2060alle \\<b\\>\n" in text
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    assert "<b>" not in html and not re.search(r"@\w", html)
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]


def test_no_dead_link_is_an_empty_issue_and_a_broken_report_is_an_error(project, capsys,
                                                                        tmp_path):
    root = project["root"]
    report = tmp_path / "lychee.json"
    report.write_text(json.dumps({**LYCHEE, "error_map": {}, "timeout_map": {}}), "utf-8")
    issue = tmp_path / "sak.md"
    assert lenker(root, capsys, "--rapport", str(report), "--ut", str(issue))[0] == 0
    assert issue.read_text("utf-8") == ""
    report.write_text("No output. Check pipeline run to see if lychee panicked.", "utf-8")
    config = str(root / "site_config.yml")
    assert main(["--config", config, "lenker", "--rapport", str(report)]) == 2
    assert "lychee-rapporten er ikke JSON" in capsys.readouterr().err
    assert main(["--config", config, "lenker", "--rapport", str(tmp_path / "mangler.json")]) == 2
    assert "kan ikke lese lychee-rapporten" in capsys.readouterr().err


def test_normalised_matches_what_a_url_parser_writes():
    assert links.normalised("HTTPS://Kommune.Example") == "https://kommune.example/"
    assert links.normalised("https://a.example:443/æ?q=ø#del") == \
        "https://a.example/%C3%A6?q=%C3%B8"
    assert links.normalised("https://a.example/%c3%a6") == "https://a.example/%C3%A6"
    assert links.normalised("http://a.example:8080/x") == "http://a.example:8080/x"


def test_relative_paths_are_posixpaths_relpath():
    """`urls._relpath` compares folders instead of calling posixpath.relpath (which is slow): it
    must give relpath's answer for every pair of the paths links are made between, and leave
    anything unusual («..», «./», «//», absolute) to relpath itself."""
    import itertools
    import posixpath
    import random

    from generator.model import urls
    folders = ["a", "b", "ab", "a.b", "æ", "side-2", "eksempler", "bilder"]
    rng = random.Random(18)
    paths = [".", "x.jpg", "feed.xml", "a/", "a", "a/b/", "a/b", "..", "../a", "./a", "a//b", "/a/b",
             "a/./b", "a/../b", "a/b/..", "a..b/c", ".a/b", "a/.b/"]
    for _ in range(300):
        parts = [rng.choice(folders) for _ in range(rng.randint(1, 4))]
        paths.append("/".join(parts) + rng.choice(["", "/", "/x.png"]))
    for target, base in itertools.product(paths, repeat=2):
        if base.endswith(".png") or base.endswith(".jpg"):
            continue
        assert urls._relpath(target, base) == posixpath.relpath(target, base), (target, base)
