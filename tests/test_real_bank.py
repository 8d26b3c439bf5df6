"""The bundled bank, built as the site is published: invariants only, never a count or a name,
so a new valid example can never turn this red (every other test builds its own bank)."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def real_site(real_project) -> Path:
    project, ran = real_project  # conftest.py: checked and built once per test run
    assert ran["check"]["code"] == 0, \
        "the bundled bank must pass check --strict:\n" + ran["check"]["stderr"]
    assert ran["build"]["code"] == 0, ran["build"]["stderr"]
    assert "WARNING" not in ran["build"]["stderr"], "the bundled site builds without warnings"
    return project


def entries(project: Path) -> list[str]:
    return sorted(p.stem for p in (project / "examples_bank").glob("*.md")
                  if p.name != "README.md")


def test_every_entry_has_a_page_and_is_listed(real_site):
    site = real_site / "site"
    listed = set()
    for listing in (site / "alle-eksempler").rglob("index.html"):
        listed |= set(re.findall(r'href="(?:\.\./)+eksempler/([a-z0-9-]+)/"',
                                 listing.read_text(encoding="utf-8")))
    for slug in entries(real_site):
        page = site / "eksempler" / slug / "index.html"
        assert page.is_file(), slug
        html = page.read_text(encoding="utf-8")
        assert '<article class="eb-eksempel"' in html and "Kilder</h2>" in html, slug
        assert slug in listed, f"{slug} is not on any «Alle eksempler» page"


def test_exports_count_every_entry(real_site):
    site = real_site / "site"
    slugs = entries(real_site)
    data = json.loads((site / "eksempler.json").read_text(encoding="utf-8"))
    assert data["antall"] == len(data["eksempler"]) == len(slugs)
    assert sorted(e["slug"] for e in data["eksempler"]) == slugs
    with open(site / "eksempler.csv", encoding="utf-8-sig", newline="") as f:
        assert sorted(row["slug"] for row in csv.DictReader(f)) == slugs


def test_every_real_example_cites_a_source_with_a_url(real_site):
    data = json.loads((real_site / "site" / "eksempler.json").read_text(encoding="utf-8"))
    for e in data["eksempler"]:
        assert not e["syntetisk"], f"{e['slug']}: synthetic entries belong in tests only"
        assert any(k["url"] for k in e["kilder"]), f"{e['slug']} has no source with a URL"


# Words of editorial notes that must never reach a public page (they belong in the sources'
# notes and in pull requests, not on the site).
INTERNAL_NOTES = ("ikke kontrollert", "ikke funnet ennå", "må sjekkes", "gjetning", "TODO",
                  "verified:", "merknad:")


def test_no_public_page_carries_internal_notes(real_site):
    for page in (real_site / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for note in INTERNAL_NOTES:
            assert note not in text, f"{page.relative_to(real_site)}: «{note}»"

