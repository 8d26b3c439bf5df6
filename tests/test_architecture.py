"""The tree shows the pipeline, and its rules hold: the import direction (import-linter's
contracts in .importlinter), small modules, no hand-escaped HTML in the page code, and a
taxonomy is defined in one place only (the registry drives pages, filters, facets and exports)."""
from __future__ import annotations

import ast
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT, bank_of

PACKAGE = ROOT / "generator"
STAGES = ("base", "model", "load", "render", "validate", "pages", "exports", "search",
          "pipeline", "publish", "contribute", "adapters")
MAX_LINES = 400


def test_the_package_is_laid_out_as_the_stages():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert set(STAGES) <= folders
    loose = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert not loose, f"every module belongs to a stage: {loose}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for stage in STAGES:
        assert f"generator/{stage}/" in readme, f"README's architecture table lacks {stage}"


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency (pyproject.toml, requirements.lock)"
    r = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]
    assert "Contracts: 2 kept, 0 broken." in r.stdout


def test_no_module_is_over_400_lines():
    long = {p.relative_to(ROOT).as_posix(): n for p in PACKAGE.rglob("*.py")
            if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_LINES}
    assert not long, long


def _fstrings_with_tags(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values
                           if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if re.search(r"<[a-zA-Z/!]", text):
                found.append(node.lineno)
    return found


def test_pages_are_made_by_templates_not_by_html_fstrings():
    """Page markup lives in generator/pages/templates/ (autoescaped); the page code passes data."""
    offenders = {p.relative_to(ROOT).as_posix(): lines for p in (PACKAGE / "pages").rglob("*.py")
                 if (lines := _fstrings_with_tags(p))}
    assert not offenders, offenders
    # a sanity check of the check: it does see an HTML f-string
    probe = ROOT / "tests" / "fixtures" / "html_fstring_probe.py"
    assert _fstrings_with_tags(probe) == [2]


def test_a_new_taxonomy_is_one_entry_in_the_registry(tmp_path):
    """Adding a taxonomy (here a dummy «tema») shows it in the facts box with its Pagefind
    filter, on the search page's facets and labels, and in both exports."""
    from generator import exports, pages
    from generator.model import Bank, taxonomy

    bank, settings = bank_of(tmp_path)
    tema = taxonomy.Taxonomy(
        "tema", "Tema", "Temaer",
        terms=lambda e, ref: ("digitalt",) if "Oslo" in {k.navn for k in e.kommuner} else (),
        name=lambda ref, t: {"digitalt": "Digitale tjenester"}[t],
        all_terms=lambda ref: ("digitalt",), rank=50,
        json=lambda ref, ts: list(ts), csv=lambda ref, ts: {"tema": taxonomy.SEP.join(ts)},
        csv_columns=("tema",))
    bank = Bank(bank.reference, bank.examples, status=bank.status,
                finansiering=bank.finansiering, taxonomies=taxonomy.TAXONOMIES + (tema,))
    oslo = next(e for e in bank.examples if any(k.navn == "Oslo" for k in e.kommuner))

    made = {p.src_uri: p for p in pages.generate(bank, settings)}
    page = made[oslo.src_uri].body
    assert "<dt>Tema</dt>" in page and 'data-pagefind-filter="tema:digitalt"' in page
    assert ">Digitale tjenester<" in page
    assert bank.tagged("tema", "digitalt") == [oslo]

    search = pages.augment(bank, settings, "finn-eksempler.md", {"eb_side": "finn-eksempler"}, "")
    config = json.loads(re.search(r'data-config="([^"]*)"', search).group(1)
                        .replace("&#34;", '"').replace("&amp;", "&").replace("&#39;", "'"))
    assert ["tema", "Tema", "labels"] in config["facets"]
    # the facet as the page arrives (discovery.start_facets): the value's name and count
    assert re.search(r'<details class="eb-fasett" data-key="tema">.*?value="digitalt"> '
                     r'Digitale tjenester <span class="eb-fasett__antall">1</span>', search, re.S)

    files = {f.path: f.content for f in exports.generate(bank, "https://x.no/")}
    records = json.loads(files["eksempler.json"])["eksempler"]
    assert {r["slug"]: r["tema"] for r in records}[oslo.slug] == ["digitalt"]
    rows = list(csv.DictReader(io.StringIO(files["eksempler.csv"].lstrip("\ufeff"))))
    assert {r["slug"]: r["tema"] for r in rows}[oslo.slug] == "digitalt"


def test_the_registry_is_the_only_place_a_taxonomy_is_named():
    """The filter keys of the registry appear as code only in model/taxonomy.py (documentation
    and messages may name them)."""
    from generator.model.taxonomy import TAXONOMIES
    keys = {t.key for t in TAXONOMIES}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "taxonomy.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"(%s):[a-z0-9].*" % "|".join(keys), node.value):
                    offenders.append((path.name, node.lineno, node.value))
            if (isinstance(node, ast.Call) and getattr(node.func, "attr", "") in
                    ("tagged", "terms_in_use") and node.args
                    and isinstance(node.args[0], ast.Constant)):
                pass  # asking the bank for a taxonomy's index by key is what the registry is for
    assert not offenders, offenders
