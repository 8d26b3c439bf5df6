"""The same field readers for every file type: a `javascript:` URL, a control character, a
bidirectional override and a superscript digit are errors with file:line in an entry, a status
file, a løsning page and an innsatsområde page alike — through the real `check` command."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import VALID, copy_project
from conftest import edit_file as edit
from generator.adapters.cli import main

LOSNING = "content/innsatsomrader/helsehjelp/hverdagsmestring.md"
OMRADE = "content/innsatsomrader/helsehjelp/index.md"
STATUS = "content/status/2021-11.yml"
ENTRY = "examples_bank/syntetisk-felt.md"
STOTTE = "content/regioner/stotteapparat.yml"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's content and config, with one valid synthetic entry."""
    copy_project(tmp_path)
    (tmp_path / "examples_bank" / "syntetisk-a.md").rename(tmp_path / ENTRY)
    return tmp_path


def check(project: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--config", str(project / "site_config.yml"), "check"])
    return code, capsys.readouterr().err


def test_the_copied_project_is_valid(project, capsys):
    code, err = check(project, capsys)
    assert code == 0, err


# (file, the value to replace, a replacement with a javascript: URL)
JAVASCRIPT = [
    (ENTRY, "url: https://example.org/kilde", "url: javascript:alert(1)"),
    (STATUS, 'tittel: "Helsedirektoratet: Presentasjon',
     'url: "javascript:alert(1)"\n    tittel: "Helsedirektoratet: Presentasjon'),
    (LOSNING, "kilde: https://www.hemnes.kommune.no/helsehjelp.553371.no.html",
     "kilde: javascript:alert(document.cookie)"),
    (OMRADE, "kilde: https://www.hemnes.kommune.no/helsehjelp.553371.no.html",
     "kilde: 'JaVaScRiPt:alert(1)'"),
    (STOTTE, "url: https://www.statsforvalteren.no/innlandet/", "url: javascript:alert(1)"),
]


@pytest.mark.parametrize("rel,old,new", JAVASCRIPT, ids=["entry", "status", "losning", "omrade",
                                                          "stotteapparat"])
def test_javascript_url_is_an_error_in_every_file_type(project, capsys, rel, old, new):
    line = edit(project, rel, old, new)
    code, err = check(project, capsys)
    assert code == 1, err
    assert "er ikke en http(s)-adresse" in err
    assert f"{rel}:{line}: feil:" in err or f"{rel}:{line + 1}: feil:" in err, err


# A control character written as a YAML escape in a double-quoted text, and a bidi override.
CONTROL = [
    (ENTRY, "tittel: Syntetisk testeksempel", 'tittel: "Syntetisk\\x01 testeksempel"'),
    (ENTRY, "sammendrag: Syntetisk eksempel for testene.",
     'sammendrag: "Syntetisk \\u202eeksempel for testene."'),
    (STATUS, "tittel: Statusrapportering 1. november 2021",
     'tittel: "Statusrapportering\\0 1. november 2021"'),
    (LOSNING, "navn: Hverdagsmestring", 'navn: "Hverdags\\x7fmestring"'),
    (OMRADE, "navn: Helsehjelp", 'navn: "Helse\\u2066hjelp"'),
]


@pytest.mark.parametrize("rel,old,new", CONTROL,
                         ids=["entry-c0", "entry-bidi", "status-nul", "losning-del", "omrade-bidi"])
def test_control_character_is_an_error_in_every_file_type(project, capsys, rel, old, new):
    line = edit(project, rel, old, new)
    code, err = check(project, capsys)
    assert code == 1, err
    assert f"{rel}:{line}: feil:" in err, err
    assert "kontrolltegn" in err or "retningstegn" in err, err


def test_raw_control_byte_is_an_error_with_its_line(project, capsys):
    line = edit(project, ENTRY, "Syntetisk brødtekst", "Syntetisk\x00 brødtekst")
    code, err = check(project, capsys)
    assert code == 1 and f"{ENTRY}:{line}: feil: filen inneholder et kontrolltegn (U+0000, NUL)" \
        in err, err


# Integers are ASCII digits in a range: a superscript or Arabic-Indic digit, or 5 000 digits,
# is an error, never a crash (exit 3).
INTEGERS = [
    (LOSNING, "rekkefolge: 1", "rekkefolge: ¹"),
    (OMRADE, "kapittel: 7", "kapittel: ²"),
    (STATUS, "  fase_3: 172", "  fase_3: ٣"),
    (STATUS, "  fase_3: 172", "  fase_3: " + "9" * 5000),
]


@pytest.mark.parametrize("rel,old,new", INTEGERS, ids=["losning-sup", "omrade-sup",
                                                       "status-arabic", "status-huge"])
def test_integers_are_ascii_digits_in_range(project, capsys, rel, old, new):
    line = edit(project, rel, old, new)
    code, err = check(project, capsys)
    assert code == 1, err
    assert f"{rel}:{line}: feil:" in err and "må være et helt tall" in err, err


def test_non_utf8_content_page_is_an_error_not_a_crash(project, capsys):
    path = project / LOSNING
    path.write_bytes(path.read_bytes().replace("Hverdagsmestring".encode(), b"Hverdags\xe6", 1))
    code, err = check(project, capsys)
    assert code == 1 and f"{LOSNING}:" in err and "ikke UTF-8" in err, err


def test_source_type_is_read_and_checked(project, capsys):
    edit(project, ENTRY, "    url: https://example.org/kilde",
         "    url: https://example.org/kilde\n    type: kommune")
    code, err = check(project, capsys)
    assert code == 0, err
    line = edit(project, ENTRY, "    type: kommune", "    type: blogg")
    code, err = check(project, capsys)
    assert code == 1 and f"{ENTRY}:{line}: feil: «type: blogg» er ikke en gyldig verdi" in err, err
