"""`check`/`build` of a large bank load and validate in two processes (generator/parallel.py).
The result must be the serial one: the same report, byte for byte, for every bad bank of the
golden corpus (tests/bad_banks), and the same examples for the fixture bank. Here the threshold is
lowered to one entry, so these small banks take the two-process path."""
from __future__ import annotations

import pytest

from conftest import ROOT, TODAY, fixture_bank
from generator.validate import parallel
from generator.pipeline import load_bank
from generator.base.settings import Settings
from test_bad_banks import CASES, run_check


@pytest.fixture
def two_processes(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 1)
    used = []
    real = parallel.load_and_validate
    monkeypatch.setattr(parallel, "load_and_validate",
                        lambda *a, **k: used.append(r := real(*a, **k)) or r)
    return used


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_bank_report_in_two_processes(case, tmp_path, capsys, two_processes):
    code, out, err = run_check(case, tmp_path, capsys)
    assert f"# exit {code}\n{err}" == (case / "expected.txt").read_text(encoding="utf-8")


def test_fixture_bank_same_examples(tmp_path, two_processes, monkeypatch):
    settings = Settings(root=tmp_path, bank_dir=fixture_bank(tmp_path), docs_dir=ROOT / "content",
                        today=TODAY)
    parallel_bank = load_bank(settings)
    assert two_processes and two_processes[0] is not None  # the two-process path was taken
    monkeypatch.setattr(parallel, "MIN_ENTRIES", 10**9)
    serial_bank = load_bank(settings)
    assert len(parallel_bank.examples) >= 3
    assert parallel_bank.examples == serial_bank.examples
    assert parallel_bank.warnings == serial_bank.warnings
