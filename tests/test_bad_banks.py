"""The bad-input corpus: one small bank per class of mistake, each with the exact report.

Every folder in tests/bad_banks/ holds an `examples_bank/` and an `expected.txt`: its first line
is `# exit N`, the rest is exactly what `erfaringsbank check` prints on stderr (issues sorted by
file and line, each with its hint, then the summary count). Optional: `args.txt` (extra
arguments, e.g. --strict) and `large-files.txt` (lines «path bytes»: files too big to keep in
git, created sparse before the run). The CLI runs in-process (`generator.cli.main`, which is what
`python -m generator` calls) to keep the suite fast; test_cli.py runs it as a subprocess.

After changing a message on purpose, regenerate with REGEN_BAD_BANKS=1 and review the diff.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from generator.adapters.cli import main

CORPUS = ROOT / "tests" / "bad_banks"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "examples_bank").is_dir())


def run_check(case: Path, tmp_path: Path, capsys) -> tuple[int, str, str]:
    shutil.copytree(case / "examples_bank", tmp_path / "examples_bank")
    large = case / "large-files.txt"
    for line in large.read_text().splitlines() if large.exists() else []:
        rel, size = line.split()
        path = tmp_path / "examples_bank" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            f.truncate(int(size))
    # The project's real content pages, so links like ../content/reformen/faser.md resolve.
    (tmp_path / "content").symlink_to(ROOT / "content", target_is_directory=True)
    shutil.copy(ROOT / "site_config.yml", tmp_path / "site_config.yml")
    args = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []
    capsys.readouterr()
    code = main(["--config", str(tmp_path / "site_config.yml"), "check", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_bank_report(case, tmp_path, capsys):
    code, out, err = run_check(case, tmp_path, capsys)
    actual = f"# exit {code}\n{err}"
    expected_file = case / "expected.txt"
    if os.environ.get("REGEN_BAD_BANKS"):
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")
    assert "Traceback" not in err
    if code == 0:
        assert out.startswith("OK: ")
    else:
        assert code == 1 and out == ""


def test_corpus_covers_every_class_in_the_issue():
    """The classes named in issue #6; each must have its own bank."""
    required = {
        "invalid-yaml", "front-matter-missing", "front-matter-not-closed", "tabs",
        "yaml11-sprak-no", "yaml11-status-yes-on-off", "required-key-missing",
        "unknown-key-typo", "wrong-type-string-for-list", "wrong-type-list-for-string",
        "unknown-kommune", "ambiguous-kommune", "unknown-innsatsomrade", "unknown-losning",
        "losning-implies-innsatsomrade", "impossible-date", "future-date", "empty-title",
        "empty-body", "title-too-long", "sammendrag-too-long", "duplicate-slug",
        "near-duplicate", "not-utf8", "bom-crlf-accepted", "file-name-not-slug",
        "kilder-url-not-http", "link-missing-internal-page", "image-missing",
        "image-too-large", "image-no-alt", "personal-data-warning", "personal-data-strict",
        "all-errors-sorted",
    }
    assert required <= {c.name for c in CASES}
    for case in CASES:
        assert (case / "expected.txt").is_file(), case.name


def test_bom_crlf_and_non_utf8_bytes_are_kept_exact():
    """git must not normalise the corpus (see .gitattributes): the bytes are the test."""
    crlf = (CORPUS / "bom-crlf-accepted/examples_bank/syntetisk-a.md").read_bytes()
    assert crlf.startswith(b"\xef\xbb\xbf---\r\n") and b"\n" not in crlf.replace(b"\r\n", b"")
    latin1 = (CORPUS / "not-utf8/examples_bank/syntetisk-a.md").read_bytes()
    assert b"br\xf8dtekst" in latin1


def test_losning_implies_innsatsomrade_is_derived_not_required():
    """We derive the innsatsområde from each løsning (README): a løsning from another
    innsatsområde than those listed is not an inconsistency, it adds that innsatsområde."""
    from conftest import TODAY
    from generator.pipeline import load_bank
    from generator.base.settings import Settings
    bank = CORPUS / "losning-implies-innsatsomrade" / "examples_bank"
    examples = load_bank(Settings(root=bank.parent, bank_dir=bank, docs_dir=ROOT / "content",
                                  today=TODAY)).examples
    assert {e.slug: e.innsatsomrader for e in examples} == {
        "syntetisk-a": ("aktivitet-og-fellesskap",),
        "syntetisk-b": ("aktivitet-og-fellesskap", "mat-og-maltider")}
