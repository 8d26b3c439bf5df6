"""`erfaringsbank forhandsvis`: a pull request's changed examples as they will be published, in
Markdown for the job summary — and nothing an entry writes becomes markup, a mention, an image
from another site or a workflow command."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from conftest import VALID, copy_project, entry
from generator.adapters.cli import main
from generator.contribute import preview, safemd

SITE = "https://leve-hele-livet.github.io/erfaringsbank/"   # site_url in the copied config

HOSTILE_TITLE = "Ny ::error:: @alle ![x](https://evil.example/t.png) #1 **fet**"
HOSTILE_SUMMARY = "@alle se ![x](https://evil.example/s.png) og [lenke](https://evil.example/l)."
HOSTILE_BODY = """\
Vanlig avsnitt med @alle og @leve-hele-livet/team som skal nevnes.
::error file=x,line=1::falsk feil
  ::add-mask::hemmelig
##[set-output name=x]y og ##[error]z
<details open><summary>klikk</summary>skjult</details>
```
kodeblokk som prøver å lukke sitatet
````
<https://evil.example/auto> og www.evil.example og [lenke](https://evil.example/l2)
# Overskrift
    innrykket kode
| a | b |
|---|---|
- punkt &amp; &lt;b&gt;"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
                   cwd=root, check=True, capture_output=True)


def run(root: Path, *args: str, env=None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "GITHUB_BASE_REF")}
    return subprocess.run([sys.executable, "-m", "generator", "forhandsvis", *args], cwd=root,
                          text=True, capture_output=True, env={**environ, **(env or {})})


def html_of(markdown: str) -> str:
    # UNSAFE: raw HTML passes, so any that leaked from an entry would show up here
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace("\u2060", "").replace("\u00a0", " ")


@pytest.fixture
def pull_request(tmp_path) -> Path:
    """A project in git: main with three entries; the branch changes one, adds a hostile one
    and a broken one, and deletes one."""
    root = copy_project(tmp_path / "p")
    bank = root / "examples_bank"
    (bank / "syntetisk-uendret.md").write_text(entry(tittel="Uendret eksempel"), "utf-8")
    (bank / "syntetisk-fjernes.md").write_text(entry(tittel="Fjernes snart"), "utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "checkout", "-qb", "forslag")
    (bank / "syntetisk-a.md").write_text(entry(tittel="Endret tittel"), "utf-8")
    hostile = entry(tittel=f'"{HOSTILE_TITLE}"', sammendrag=f'"{HOSTILE_SUMMARY}"')
    hostile = hostile.replace("Syntetisk brødtekst som er lang nok til å bli godtatt av "
                              "kontrollen.", HOSTILE_BODY)
    (bank / "syntetisk-fiendtlig.md").write_text(hostile, "utf-8")
    # an error (an image from another site): not previewed, only named
    (bank / "syntetisk-feil.md").write_text(
        VALID.rstrip() + "\n![Bilde](https://evil.example/pixel.png)\n", "utf-8")
    (bank / "syntetisk-fjernes.md").unlink()
    return root


def test_the_changed_entries_as_they_will_be_published(pull_request):
    r = run(pull_request, "--changed", "--base", "main")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    html = html_of(out)
    text = text_of(html)
    # the changed and the new one, in full; the unchanged one not at all
    assert "<h3>Endret tittel</h3>" in html
    assert "Uendret eksempel" not in out
    assert "3 eksempler er endret sammenlignet med main." in text
    assert ("Endret eksempel · fil: examples_bank/syntetisk-a.md · siden får adressen "
            f"{SITE}eksempler/syntetisk-a/") in text
    assert ("Nytt eksempel · fil: examples_bank/syntetisk-fiendtlig.md · siden får adressen "
            f"{SITE}eksempler/syntetisk-fiendtlig/") in text
    # the facts box's rows, with the page's labels, and the sources
    for row in ("Kommune: Tydal kommune", "Innsatsområde: Aktivitet og fellesskap",
                "Løsninger: Ingen oppgitt", "Status: Gjennomført",
                "Publisert: 1. desember 2021", "Språk: bokmål"):
        assert row in text, row
    assert '<li>Testdata: <a href="https://example.org/kilde">' in html
    assert "Sammendrag: Syntetisk eksempel for testene." in text
    # the broken entry is named, and nothing of it is shown; the removed one is listed
    errors = html.split("<h3>Eksempler med feil</h3>", 1)[1].split("<h3>", 1)[0]
    assert "examples_bank/syntetisk-feil.md (" in errors and "kontrollsteget" in errors
    assert "pixel.png" not in out
    removed = text_of(html.split("<h3>Fjernes</h3>", 1)[1])
    assert (f"examples_bank/syntetisk-fjernes.md: siden {SITE}eksempler/syntetisk-fjernes/ "
            "forsvinner") in removed


def test_hostile_text_is_shown_as_text_and_does_nothing(pull_request):
    out = run(pull_request, "--changed", "--base", "main").stdout
    # no line is a workflow command for the runner (it reads stdout)
    for line in out.splitlines():
        assert not line.lstrip().startswith("::") and "##[" not in line, line
    html = html_of(out)
    section = html.split("<h3>Ny ", 1)[1].split("<h3>", 1)[0]
    # no markup from the entry: no image, HTML, heading, table, code block or list of its own
    for tag in ("<img", "<details", "<script", "<h1", "<table", "<pre", "<strong>fet"):
        assert tag not in html, tag
    assert section.count("<blockquote>") == 1 and section.count("<li>") == 9 + 1  # the facts, the source
    # the only links are the page's own address and the real source
    assert set(re.findall(r'href="([^"]*)"', html)) == {
        f"{SITE}eksempler/syntetisk-a/", f"{SITE}eksempler/syntetisk-fiendtlig/",
        "https://example.org/kilde", f"{SITE}eksempler/syntetisk-fjernes/"}
    # no mention: «@» is never followed by a name
    assert re.search(r"@[\w-]", unescape(html)) is None
    # … and everything reads as it was written
    assert text_of(re.search(r"<h3>(Ny .*?)</h3>", html).group(1)) == HOSTILE_TITLE
    assert f"Sammendrag: {HOSTILE_SUMMARY}" in text_of(html)
    quoted = re.search(r"<blockquote>\n<p>(.*?)</p>\n</blockquote>", section, re.S).group(1)
    assert text_of(quoted) == HOSTILE_BODY


def test_site_url_from_the_environment_and_output_to_a_file(pull_request, tmp_path):
    summary = tmp_path / "sammendrag.md"
    r = run(pull_request, "--changed", "--base", "main", "--ut", str(summary),
            env={"SITE_URL": "https://eksempel.example/bank/", "GITHUB_ACTIONS": "true"})
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    written = summary.read_text("utf-8")
    assert "<https://eksempel.example/bank/eksempler/syntetisk-a/>" in written
    assert SITE not in written


def test_nothing_changed_and_a_base_that_does_not_exist(pull_request):
    git(pull_request, "add", "-A")
    git(pull_request, "commit", "-qm", "forslag")
    r = run(pull_request, "--changed", "--base", "HEAD")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "## Forhåndsvisning av endrede eksempler\n\nIngen eksempler er endret.\n"
    r = run(pull_request, "--changed", "--base", "finnes-ikke")
    assert r.returncode == 2 and "finnes-ikke" in r.stderr and "--base" in r.stderr


def test_errors_outside_the_entries_say_where_to_look(pull_request):
    status = pull_request / "content" / "status" / "2021-11.yml"
    status.write_text("runde: [\n", "utf-8")
    r = run(pull_request, "--changed", "--base", "main")
    assert r.returncode == 0, r.stderr
    assert "**Forhåndsvisningen kunne ikke lages:**" in r.stdout and "kontrollsteget" in r.stdout
    assert "Endret tittel" not in r.stdout
    assert "syntetisk\\-fjernes" in r.stdout        # what is removed is still listed


def test_all_entries_without_git_capped_and_long_text_cut(tmp_path, monkeypatch, capsys):
    root = copy_project(tmp_path / "p")
    long_text = "\n".join(f"Linje {n} av en lang tekst om kafeen på dagsenteret." for n in range(40))
    for name in ("syntetisk-b", "syntetisk-c"):
        (root / "examples_bank" / f"{name}.md").write_text(
            entry(tittel=f"Tittel {name}").replace(
                "Syntetisk brødtekst som er lang nok til å bli godtatt av kontrollen.", long_text),
            "utf-8")
    monkeypatch.setattr(preview, "MAX_SHOWN", 2)
    monkeypatch.setattr(preview, "MAX_TEXT_CHARS", 200)
    assert main(["--config", str(root / "site_config.yml"), "forhandsvis"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## Forhåndsvisning av eksemplene\n\nBanken har 3 eksempler.")
    assert "Her vises de 2 første av 3." in out
    assert re.findall(r"^### (.*)$", out, re.M) == ["Syntetisk testeksempel", "Tittel syntetisk\\-b"]
    shown = re.search(r"^### Tittel syntetisk.*?\*\*Kilder\*\*", out, re.M | re.S).group(0)
    assert "Linje 2 av" in shown and "Linje 5 av" not in shown
    assert "Teksten er forkortet her" in shown
    assert "eksempel\n" not in out.split("\n", 4)[2]     # no «nytt/endret» without a comparison


def test_quoted_text_never_leaves_its_block_quote():
    nasty = "a\n\n```\n> b\n<div>\n\n</div>\n@x\n\\\n    kode\n1. liste\n---\n***"
    html = html_of(safemd.quoted(nasty))
    assert html.startswith("<blockquote>") and html.rstrip().endswith("</blockquote>")
    assert html.count("<blockquote>") == 1
    assert set(re.findall(r"<(\w+)", html)) == {"blockquote", "p"}
    assert text_of(html).replace("\n", "") == nasty.replace("\n", "")
    assert safemd.no_commands("::x\n  ::y\nok ##[z") == "\u200b::x\n\u200b  ::y\nok ##\u200b[z"
