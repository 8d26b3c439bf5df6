"""The «floor»: the same corpus as a bare mkdocs-material site, to compare our build against.

    .venv/bin/python bench/floor.py bench/out/n5000/site_config.yml  → bench/out/n5000/floor/

`make_floor(config)` writes, next to a synthetic project made by bench/make_corpus.py, a plain
mkdocs project (`floor/mkdocs.yml`, `floor/docs/`) holding the same examples:

* one Markdown page per entry of the project's `examples_bank/`, at `docs/eksempler/<slug>.md`
  (the same addresses as ours): the entry's `tittel` as `# heading`, its `sammendrag`, then its
  body; the YAML front matter itself is left out. The bank's `bilder/` are copied beside the
  pages, so the image links resolve as in our site;
* an `index.md` (a heading and one sentence);
* `mkdocs.yml`: `theme: {name: material, language: nb}`, `plugins: []` (so no search plugin and
  no search index), `nav: [{Forside: index.md}]` with `not_in_nav: "*"`, mkdocs' default
  Markdown extensions, nothing else.

Why it is a floor: it is the least work mkdocs-material can do to publish these pages as a
material site. Every page is still read, converted from Markdown and rendered through material's
templates, and written to disk — as in our build — but there is no navigation tree (mkdocs'
automatic nav would list all N pages on every page: N² links, not a floor), no search index, no
taxonomy pages (kommune, fylke, innsatsområde, løsning), no exports, no validation, no facts box
and no related examples. Our build does all of that; the benchmark (bench/run.py) reports our
build time divided by this one, measured interleaved in the same run.

Deterministic and idempotent: files whose content is already right are not rewritten, and pages
of entries that are gone are removed.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

INDEX = "# Forside\n\nEt nakent mkdocs-material-nettsted med de samme eksemplene (målegulv).\n"

MKDOCS_YML = """\
# Written by bench/floor.py: the bare mkdocs-material floor for the benchmark. Do not edit.
site_name: Erfaringsbank – målegulv
docs_dir: docs
theme:
  name: material
  language: nb
plugins: []
nav:
  - Forside: index.md
not_in_nav: "*"
"""


def split_entry(text: str) -> tuple[dict, str]:
    """(front matter, body) of an entry file; a file without front matter has none."""
    lines = text.split("\n")
    if lines[0].rstrip() == "---":
        for i, line in enumerate(lines[1:], 1):
            if line.rstrip() == "---":
                meta = yaml.safe_load("\n".join(lines[1:i])) or {}
                return (meta if isinstance(meta, dict) else {}), "\n".join(lines[i + 1:])
    return {}, text


def floor_page(text: str) -> str:
    meta, body = split_entry(text)
    title = str(meta.get("tittel") or "Uten tittel")
    parts = [f"# {title}"]
    if meta.get("sammendrag"):
        parts.append(str(meta["sammendrag"]).strip())
    parts.append(body.strip())
    return "\n\n".join(parts) + "\n"


def _write(path: Path, data: str | bytes) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)


def make_floor(config: Path) -> Path:
    """Write the floor project beside the project whose site_config.yml is `config`; returns
    its mkdocs.yml."""
    project = Path(config).resolve().parent
    bank = project / "examples_bank"
    floor = project / "floor"
    pages = floor / "docs" / "eksempler"
    wanted: set[Path] = set()
    for entry in sorted(bank.glob("*.md")):
        target = pages / entry.name
        _write(target, floor_page(entry.read_text(encoding="utf-8")))
        wanted.add(target)
    images = bank / "bilder"
    if images.is_dir():
        for image in sorted(images.iterdir()):
            if image.is_file():
                target = pages / "bilder" / image.name
                _write(target, image.read_bytes())
                wanted.add(target)
    if pages.is_dir():
        for stale in [p for p in pages.rglob("*") if p.is_file() and p not in wanted]:
            stale.unlink()
    _write(floor / "docs" / "index.md", INDEX)
    _write(floor / "mkdocs.yml", MKDOCS_YML)
    return floor / "mkdocs.yml"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("bruk: python bench/floor.py <prosjekt>/site_config.yml")
    print(make_floor(Path(sys.argv[1])))
