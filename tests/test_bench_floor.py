"""bench/floor.py: the bare mkdocs-material floor the benchmark divides our build time by.

Checks the floor project on a tiny synthetic bank (bench/make_corpus.py, written under tmp_path),
without building it: a valid mkdocs config, material, no plugins, a nav that lists no example,
one page per entry with the entry's title and no front matter, and nothing rewritten the second
time.
"""
from __future__ import annotations

import sys

import yaml

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from bench.floor import make_floor, split_entry  # noqa: E402
from bench.make_corpus import make_project  # noqa: E402


def test_floor_is_a_bare_material_site_of_the_same_entries(tmp_path):
    from mkdocs.config import load_config

    config = make_project(20, tmp_path / "p")
    floor = make_floor(config)
    assert floor == tmp_path / "p" / "floor" / "mkdocs.yml"

    cfg = load_config(str(floor))
    assert cfg.theme.name == "material"
    assert cfg.theme["language"] == "nb"
    assert list(cfg.plugins) == []  # no search plugin
    assert yaml.safe_load(floor.read_text("utf-8"))["nav"] == [{"Forside": "index.md"}]

    entries = sorted((tmp_path / "p" / "examples_bank").glob("*.md"))
    pages = sorted((floor.parent / "docs" / "eksempler").glob("*.md"))
    assert len(entries) == 20
    assert [p.name for p in pages] == [e.name for e in entries]
    for entry, page in zip(entries, pages):
        meta, body = split_entry(entry.read_text("utf-8"))
        text = page.read_text("utf-8")
        assert text.startswith(f"# {meta['tittel']}\n\n{meta['sammendrag']}\n\n")
        assert body.strip() in text
        assert "syntetisk: true" not in text  # the front matter is left out
    assert (floor.parent / "docs" / "index.md").is_file()

    # idempotent: a second call rewrites nothing; a page of a removed entry goes
    stamps = {p: p.stat().st_mtime_ns for p in floor.parent.rglob("*") if p.is_file()}
    entries[0].unlink()
    make_floor(config)
    assert not (floor.parent / "docs" / "eksempler" / entries[0].name).exists()
    for p, stamp in stamps.items():
        if p.name != entries[0].name:
            assert p.stat().st_mtime_ns == stamp, p


def test_bounds_mkdocs_alone_has_the_floors_pages_and_nothing_else(tmp_path):
    """bench/bounds.py: «mkdocs' page loop alone» builds the floor's page addresses — each page a
    heading and a word under a one-line theme — so that its time is mkdocs' own per page."""
    import subprocess

    from bench.bounds import make_tiny

    config = make_project(12, tmp_path / "p")
    floor = make_floor(config)
    tiny = make_tiny(floor)
    docs = floor.parent / "docs"
    floor_pages = sorted(p.relative_to(docs) for p in docs.rglob("*.md"))
    tiny_pages = sorted(p.relative_to(tiny.parent / "docs")
                        for p in (tiny.parent / "docs").rglob("*.md"))
    assert tiny_pages == floor_pages and len(floor_pages) == 13
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tiny)], check=True,
                   cwd=tmp_path)
    built = sorted((tiny.parent / "site" / "eksempler").glob("*/index.html"))
    assert len(built) == 12
    for page in built:
        html = page.read_text("utf-8")
        assert html.startswith("<!doctype html>") and len(html) < 300, page
        assert "Tekst." in html and "md-" not in html  # the one-line theme, not material's
    # made again from scratch: a page of a removed entry does not stay behind
    removed = [p for p in floor_pages if p.parts[0] == "eksempler"][-1]
    (docs / removed).unlink()
    make_tiny(floor)
    assert not (tiny.parent / "docs" / removed).exists()
    assert (tiny.parent / "docs" / "index.md").is_file()
