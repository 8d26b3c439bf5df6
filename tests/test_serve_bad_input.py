"""`erfaringsbank serve` keeps running through bad input and shows each error: a failed rebuild
leaves the last good site up with the errors at the top of every page (adapters/serve.py), and
fixing the file brings the site back. A file of its own (split from test_serve.py, whose helpers
it uses), so that it runs on another test worker than test_serve.py's other servers: it is the
longest test of the suite (27 rebuilds, one after another)."""
from __future__ import annotations

import html
import re
import shutil
import time
from pathlib import Path

from markupsafe import escape

from conftest import ROOT, VALID, copy_project
from test_serve import PANEL, STALE, _get, _start, _stop, _wait_for

BAD_BANKS = ROOT / "tests" / "bad_banks"
# Starts the real command, with one bug planted for the «intern feil» case: while a file BUG
# lies in the project, making the exports fails like a programming error would.
WITH_A_BUG = """\
import os, sys
from generator.pipeline import stages
made = stages.Build.exports
def exports(self):
    if os.path.exists("BUG"):
        raise ZeroDivisionError("plantet feil fra testen")
    return made(self)
stages.Build.exports = exports
from generator.adapters.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _expected(case: str) -> tuple[str, str]:
    """(where, message) of the first issue `check` reports for a bad bank of the corpus."""
    line = (BAD_BANKS / case / "expected.txt").read_text(encoding="utf-8").split("\n")[1]
    where, message = line.split(": feil: ", 1)
    path, _, number = where.partition(":")
    return f"<code>{path}</code>" + (f", linje {number}" if number else ""), message


def test_serve_keeps_running_through_bad_input_and_shows_each_error(tmp_path):
    root = copy_project(tmp_path / "p")
    entry = root / "examples_bank" / "syntetisk-a.md"
    config = root / "site_config.yml"
    good_config = config.read_text(encoding="utf-8")
    proc, base = _start(root, "-c", WITH_A_BUG)
    page = base + "eksempler/syntetisk-a/"

    def broken(needle: str) -> str:
        body = _wait_for(page, needle, proc, limit=30)
        assert PANEL in body and STALE in body and "Syntetisk testeksempel" in body
        return body

    def fixed() -> None:
        entry.unlink() if entry.is_symlink() or entry.is_file() else shutil.rmtree(entry)
        entry.write_text(VALID, encoding="utf-8")
        _wait_for(page, "Syntetisk testeksempel", proc, limit=30, absent=PANEL)

    try:
        body = _wait_for(page, "Syntetisk testeksempel", proc)
        epoch = re.search(r"livereload\((\d+),", body)[1]
        # 1. content errors from the corpus of bad banks: the same words as `check`, at the
        # file and line, with how to fix it; the first one timed (no more waiting for a fix)
        for case in ("unknown-kommune", "not-utf8", "yaml-alias", "invalid-yaml"):
            shutil.copy(BAD_BANKS / case / "examples_bank" / "syntetisk-a.md", entry)
            broken_at = time.monotonic()
            where, message = _expected(case)
            body = broken(str(escape(message)))  # as the autoescaping template writes it
            assert where in body, case
            assert "Slik retter du det:" in body
            if case == "unknown-kommune":
                # measured 0.12 s; 15 s: room for a loaded CI machine, no more waiting for a fix
                assert time.monotonic() - broken_at < 15
                # a failed build bumps live reload's epoch too: open browsers reload at once
                status, newer, seconds = _get(f"{base.split('/erfaringsbank')[0]}/livereload/"
                                              f"{epoch}/1")
                assert int(newer) > int(epoch) and seconds < 15
            fixed()
        # 2. hostile files: a NUL byte, a huge file, a Python tag, a symlink out of the project,
        # an entry that became a folder
        entry.write_text(VALID.replace("Syntetisk brødtekst", "Syntetisk\x00brødtekst"))
        broken("kontrolltegn (U+0000, NUL)")
        fixed()
        entry.write_text(VALID + "Lang tekst. " * 200_000, encoding="utf-8")
        broken("høyst 1 MB er tillatt")
        fixed()
        entry.write_text(VALID.replace("kommuner: [Tydal]", "kommuner: !!python/object/apply:"
                                       "os.system ['touch KJORT']"), encoding="utf-8")
        broken("python/object/apply:os.system")
        fixed()
        entry.unlink()
        entry.symlink_to("/etc/passwd")
        body = broken("symbolsk lenke")
        assert "root:" not in body
        fixed()
        entry.unlink()
        entry.mkdir()
        _wait_for(page, "", proc)  # answered (the page is gone with its entry), still running
        fixed()
        # 3. a broken site_config.yml, with Python in it, while serving
        config.write_text(good_config + "\nextra: !!python/object/apply:os.system "
                                        "['touch KJORT']\n", encoding="utf-8")
        broken("Python-kode i konfigurasjonen")
        config.write_text(good_config, encoding="utf-8")
        _wait_for(page, "Syntetisk testeksempel", proc, limit=30, absent=PANEL)
        assert not (root / "KJORT").exists()
        # 4. the content folder deleted, then put back
        shutil.move(root / "content", tmp_path / "borte")
        broken("innholdsmappen finnes ikke")
        shutil.move(tmp_path / "borte", root / "content")
        _wait_for(page, "Syntetisk testeksempel", proc, limit=30, absent=PANEL)
        # 5. a mistake in the theme: its template, at its line
        main = root / "theme" / "main.html"
        good_main = main.read_text(encoding="utf-8")
        main.write_text(good_main.replace("{% block site_meta %}",
                                          "{% block site_meta %}{{ oi( }}", 1), encoding="utf-8")
        body = broken("feil i malen")
        assert "<code>theme/main.html</code>, linje" in body
        main.write_text(good_main, encoding="utf-8")
        _wait_for(page, "Syntetisk testeksempel", proc, limit=30, absent=PANEL)
        # 6. a bug: «intern feil», with where the details are; the server goes on
        (root / "BUG").write_text("")
        entry.write_text(VALID + "\n", encoding="utf-8")  # the project root is not watched
        body = broken("Intern feil i erfaringsbank")
        details = Path(html.unescape(re.search(r"lagret i <code>([^<]+)</code>", body)[1]))
        assert "plantet feil fra testen" in details.read_text(encoding="utf-8")
        details.unlink()
        (root / "BUG").unlink()
        entry.write_text(VALID, encoding="utf-8")
        _wait_for(page, "Syntetisk testeksempel", proc, limit=30, absent=PANEL)
    finally:
        _stop(proc)
