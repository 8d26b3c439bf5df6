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
