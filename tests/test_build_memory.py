"""The build's Python memory (issue 18): generated pages are made one at a time and, until mkdocs
writes them, kept with their HTML compressed (generator/pages: each; adapters/mkdocs_parts:
Packed). The output is the same as before: tests/test_scale.py compares whole sites."""
from __future__ import annotations

from mkdocs.config import load_config
from mkdocs.structure.files import Files

from conftest import ROOT
from generator import pages
from generator.adapters.mkdocs_parts import GeneratedFile, GeneratedPage, Packed


def test_pages_come_one_at_a_time(loaded):
    bank, settings = loaded
    made = pages.each(bank, settings)
    first = next(made)               # made before the rest exist: not a list built up front
    assert first.src_uri.startswith("eksempler/")
    rest = list(made)
    whole = pages.generate(bank, settings)
    assert [p.src_uri for p in [first, *rest]] == [p.src_uri for p in whole]
    assert [p.markdown for p in [first, *rest]] == [p.markdown for p in whole]


def test_a_packed_page_holds_its_html_compressed_until_it_is_rendered(loaded):
    bank, settings = loaded
    made = next(p for p in pages.each(bank, settings) if 'id="' in p.body)
    packed = Packed(made)
    assert packed.html == made.body.lstrip("\n")
    assert len(packed._html) < len(made.body.encode("utf-8")) / 2
    config = load_config(str(ROOT / "site_config.yml"))
    config.plugins._current_plugin = "erfaringsbank"   # as mkdocs sets it during on_files
    file = GeneratedFile.generated(config, made.src_uri, content="")
    file.made = packed
    page = GeneratedPage(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    # read and rendered as mkdocs does for every page before writing the first: no HTML held
    assert page.content == "" and page.markdown == ""
    assert page.meta["title"] == made.meta["title"]
    assert page.present_anchor_ids and all(f'id="{a}"' in made.body for a in page.present_anchor_ids)
    page.unpack()                    # the plugin's on_page_context, right before rendering
    assert page.content == made.body.lstrip("\n") and page.packed is None
    page.unpack()                    # once only
    assert page.content == made.body.lstrip("\n")
