"""The status validator: one bad file per rule, each error with file:line and a clear message."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, TODAY
from generator.base.errors import Collector
from generator.validate.reference import load_reference
from generator.base.settings import Settings
from generator.validate.status import load_status

REAL = (ROOT / "content" / "status" / "2021-11.yml").read_text(encoding="utf-8")
FUNDING = (ROOT / "content" / "status" / "finansiering-2021.yml").read_text(encoding="utf-8")
EXAMPLES = {"tydal-kafe-posten", "ulstein-levekarsplan-og-300-metersbyen"}


@pytest.fixture(scope="module")
def reference():
    settings = Settings(root=ROOT, bank_dir=ROOT / "examples_bank", docs_dir=ROOT / "content",
                        today=TODAY)
    return load_reference(settings, Collector())


def run(tmp_path: Path, reference, text: str, name: str = "2021-11.yml"):
    folder = tmp_path / "content" / "status"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    settings = Settings(root=tmp_path, bank_dir=tmp_path / "examples_bank",
                        docs_dir=tmp_path / "content", today=TODAY)
    issues = Collector()
    rounds, funding = load_status(settings, reference, issues, EXAMPLES)
    return rounds, funding, [i for i in issues.issues if i.is_error]


def line_of(text: str, needle: str, start: str | None = None) -> int:
    """1-based line of the first line containing `needle` (after the line containing `start`)."""
    lines = text.split("\n")
    first = 0
    if start:
        first = next(n for n, l in enumerate(lines) if start in l)
    return next(n for n, l in enumerate(lines) if n >= first and needle in l) + 1


def replace_in_region(text: str, region: str, old: str, new: str) -> str:
    head, tail = text.split(f"  {region}:\n", 1)
    return head + f"  {region}:\n" + tail.replace(old, new, 1)


def only_error(errors, text_part: str):
    assert len(errors) == 1, [e.format() for e in errors]
    assert text_part in errors[0].message, errors[0].format()
    assert errors[0].path == "content/status/2021-11.yml"
    assert errors[0].hint
    return errors[0]


def test_real_round_is_valid(tmp_path, reference):
    rounds, _, errors = run(tmp_path, reference, REAL)
    assert errors == []
    r = rounds[0]
    assert r.nasjonalt["kommuner"] == 356 and r.nasjonalt["fase_3"] == 172
    assert r.nasjonalt["fase_2"] is None          # not in the sources: left empty
    vt = r.regioner["vestfold-og-telemark"]
    assert (vt["kommuner"], vt["vedtak_fattet"], vt["vedtak_i_aar"], vt["fase_2"],
            vt["fase_3"], vt["nettverk_deltar"]) == (23, 10, 7, 13, 10, 23)
    assert r.regioner["vestland"].vurdering.sprak == "nn"
    assert len(r.regioner) == 10


@pytest.mark.parametrize("value, why", [("-3", "negativt"), ("12.5", "desimaltall"),
                                        ('"ca. 170"', "anførselstegn"), ("ca. 170", "ikke et helt")])
def test_count_must_be_whole_number(tmp_path, reference, value, why):
    bad = REAL.replace("  fase_3: 172", f"  fase_3: {value}", 1)
    _, _, errors = run(tmp_path, reference, bad)
    e = only_error(errors, why)
    assert e.line == line_of(bad, "  fase_3: ")
    assert "helt tall" in e.message


def test_part_larger_than_total(tmp_path, reference):
    bad = replace_in_region(REAL, "vestfold-og-telemark", "fase_3: 10", "fase_3: 24")
    _, _, errors = run(tmp_path, reference, bad)
    e = only_error(errors, "«fase_3: 24» er større enn antall kommuner (23)")
    assert e.line == line_of(bad, "fase_3: 24")


def test_sum_of_parts_larger_than_total(tmp_path, reference):
    bad = replace_in_region(REAL, "vestfold-og-telemark", "fase_2: 13", "fase_2: 14")
    _, _, errors = run(tmp_path, reference, bad)
    e = only_error(errors, "fase_2 + fase_3 = 24 er større enn antall kommuner (23)")
    assert e.line == line_of(bad, "fase_3: 10", start="vestfold-og-telemark:")


def test_given_sum_must_equal_parts(tmp_path, reference):
    bad = replace_in_region(REAL, "vestfold-og-telemark", "vedtak_fattet_eller_i_aar: null",
                            "vedtak_fattet_eller_i_aar: 18")
    _, _, errors = run(tmp_path, reference, bad)
    only_error(errors, "vedtak_fattet + vedtak_i_aar = 17, men vedtak_fattet_eller_i_aar er 18")


def test_region_total_must_match_reference(tmp_path, reference):
    bad = replace_in_region(REAL, "vestfold-og-telemark", "kommuner: 23", "kommuner: 24")
    _, _, errors = run(tmp_path, reference, bad)
    e = only_error(errors, "har 23 kommuner")
    assert e.line == line_of(bad, "kommuner: 24")
    assert "kommuner: 23" in e.hint


def test_national_total_must_be_356(tmp_path, reference):
    bad = REAL.replace("  kommuner: 356", "  kommuner: 357", 1)
    _, _, errors = run(tmp_path, reference, bad)
    e = only_error(errors, "nasjonalt har 356 kommuner")
    assert e.line == line_of(bad, "kommuner: 357")


def test_unknown_region_is_an_error_with_suggestion(tmp_path, reference):
    bad = REAL.replace("  vestfold-og-telemark:", "  vestfold-telemark:", 1)
    _, _, errors = run(tmp_path, reference, bad)
    msgs = {e.message: e for e in errors}
    e = msgs["ukjent region «vestfold-telemark»"]
    assert e.line == line_of(bad, "  vestfold-telemark:")
    assert "Mente du «vestfold-og-telemark»" in e.hint
    assert "regionen «vestfold-og-telemark» mangler" in msgs


def test_unknown_key_is_an_error_with_suggestion(tmp_path, reference):
    bad = REAL.replace("  fase_3: 172", "  fase3: 172", 1)
    _, _, errors = run(tmp_path, reference, bad)
    msgs = {e.message: e for e in errors}
    e = msgs["ukjent nøkkel «fase3» i nasjonalt"]
    assert e.line == line_of(bad, "fase3: 172")
    assert "Mente du «fase_3»" in e.hint
    assert "tallnøkkelen «fase_3» mangler i nasjonalt" in msgs
    assert len(errors) == 2


def test_unknown_top_level_key(tmp_path, reference):
    bad = REAL.replace("tittel: Statusrapportering", "titel: Statusrapportering", 1)
    _, _, errors = run(tmp_path, reference, bad)
    assert any(e.message == "ukjent nøkkel «titel» på toppnivå" and e.line == 3 for e in errors)


def test_assessment_language_must_be_nb_or_nn(tmp_path, reference):
    bad = replace_in_region(REAL, "vestland", "sprak: nn", "sprak: nyn")
    _, _, errors = run(tmp_path, reference, bad)
    e = only_error(errors, "«vurdering.sprak» må være nb eller nn, ikke «nyn»")
    assert e.line == line_of(bad, "sprak: nyn")


def test_round_must_match_file_name(tmp_path, reference):
    _, _, errors = run(tmp_path, reference, REAL, name="2021-05.yml")
    assert len(errors) == 1 and "stemmer ikke med filnavnet 2021-05.yml" in errors[0].message
    assert errors[0].line == 1 and errors[0].path == "content/status/2021-05.yml"


def test_examples_must_exist(tmp_path, reference):
    bad = REAL.replace("eksempler: [tydal-kafe-posten,", "eksempler: [tydal-kafe-posen,")
    _, _, errors = run(tmp_path, reference, bad)
    e = only_error(errors, "eksempelet «tydal-kafe-posen» finnes ikke")
    assert e.line == line_of(bad, "eksempler:")


def test_funding_amounts_are_validated(tmp_path, reference):
    _, funding, errors = run(tmp_path, reference, FUNDING, name="finansiering-2021.yml")
    assert errors == [] and funding[0].embeter["vestfold-og-telemark"] == 823
    assert sum(funding[0].embeter.values()) == 10_000  # the letter: 10 mill. kroner in total
    bad = FUNDING.replace("agder: 851", "agdr: 851")
    _, _, errors = run(tmp_path / "b", reference, bad, name="finansiering-2021.yml")
    assert {e.message for e in errors} == {"ukjent region «agdr»", "beløpet for «agder» mangler"}


def test_pipeline_loads_status_data(bankdir):
    """load_bank (behind `check` and `build`) loads and validates the status data."""
    bank = bankdir.load()
    files = sorted((p.stem for p in (ROOT / "content" / "status").glob("*.yml")
                    if not p.stem.startswith("finansiering")), reverse=True)
    assert [r.runde for r in bank.status] == files and "2021-11" in files  # newest first
    assert bank.finansiering and bank.finansiering[0].enhet == "1000 kroner"
