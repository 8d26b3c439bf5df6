"""Stage 4, building blocks: a card is made once per example, for the site root, and each listing
page puts its way up to the root in front of the links (Components.card, urls.to_root). The card
a page gets must link to the same pages as a card made for that page."""
from __future__ import annotations

import posixpath
import re

import pytest

from conftest import ROOT, TODAY
from generator import pages
from generator.model import urls
from generator.pages.components import Components
from generator.pipeline import load_bank
from generator.base.settings import Settings

HREF = re.compile(r' href="([^"]*)"')


def resolved(card: str, from_uri: str) -> tuple[str, list[str]]:
    """The card's text without hrefs, and the site paths its links lead to from `from_uri`."""
    base = urls.page_dir(from_uri)
    targets = [posixpath.normpath(posixpath.join(base, href)) for href in HREF.findall(card)]
    return HREF.sub("", card), targets


def test_shared_card_links_where_a_card_made_for_the_page_links(loaded):
    bank, settings = loaded
    c = Components(bank, settings)
    # every generated page, pages in the folders a card links into, and the root
    uris = [p.src_uri for p in pages.generate(bank, settings)] + [
        e.src_uri for e in bank.examples] + [
        i.src_uri for i in bank.reference.innsatsomrader.values()] + [
        "index.md", "finn-eksempler.md", "a/b/c/d.md", "eksempler/index.md"]
    assert len(uris) > 30
    for uri in uris:
        for e in bank.examples:
            for level in (3, 4):
                shared = c.card(e, uri, level)
                own = c.make_card(e, uri, level)
                text, targets = resolved(shared, uri)
                assert (text, targets) == resolved(own, uri), (uri, e.src_uri)
                assert len(targets) >= 2 and all(not t.startswith("..") for t in targets)
    assert len(c._cards) == 2 * len(bank.examples)  # made once per example and level


@pytest.mark.parametrize("uri, up", [("index.md", ""), ("finn-eksempler.md", "../"),
                                     ("kommuner/index.md", "../"),
                                     ("kommuner/1511-vanylven/side-2.md", "../../../")])
def test_to_root(uri, up):
    assert urls.to_root(uri) == up


def test_front_matter_as_data_is_what_a_yaml_reader_makes_of_it(loaded):
    """The engine adapter takes GeneratedPage.meta instead of parsing the front matter again
    (mkdocs_parts.GeneratedPage.read_source): it must be exactly what mkdocs' parser reads."""
    from mkdocs.utils.meta import get_data
    bank, settings = loaded
    made = pages.generate(bank, settings)
    assert len(made) > 20 and all(p.meta.get("title") for p in made)
    for p in made:
        assert get_data(p.markdown) == (p.body.lstrip("\n"), p.meta), p.src_uri


def test_only_relative_links_get_the_way_up(loaded, monkeypatch):
    """Should a card ever carry an absolute or external link, it is left as it is."""
    bank, settings = loaded
    c = Components(bank, settings)
    monkeypatch.setattr(c, "make_card", lambda e, uri, level=3: (
        '<a href="eksempler/x/">a</a><a href="https://example.org/">b</a>'
        '<a href="mailto:post@example.org">c</a><a href="#top">d</a><a href="/abs/">e</a>'))
    assert c.card(bank.examples[0], "kommuner/0301-oslo.md") == (
        '<a href="../../eksempler/x/">a</a><a href="https://example.org/">b</a>'
        '<a href="mailto:post@example.org">c</a><a href="#top">d</a><a href="/abs/">e</a>')


def test_kommuner_that_share_a_name_get_distinct_titles(tmp_path):
    """Herøy (Møre og Romsdal and Nordland): two pages, two titles, each with its fylke; a name
    no other kommune has keeps its plain title."""
    from conftest import VALID
    bank_dir = tmp_path / "bank"
    bank_dir.mkdir()
    for slug, kommune in (("heroy-a", "1515"), ("heroy-b", "1818"), ("tydal-a", "Tydal")):
        (bank_dir / f"{slug}.md").write_text(VALID.replace("[Tydal]", f'["{kommune}"]'),
                                             encoding="utf-8")
    settings = Settings(root=tmp_path, bank_dir=bank_dir, docs_dir=ROOT / "content", today=TODAY)
    bank = load_bank(settings)
    titles = {p.src_uri: p.meta["title"] for p in pages.generate(bank, settings)
              if p.meta.get("eb_type") == "kommune"}
    assert sorted(titles.values()) == ["Herøy kommune (Møre og Romsdal)",
                                       "Herøy kommune (Nordland)", "Tydal kommune"], titles


def test_every_generated_page_has_its_own_description(loaded):
    """Search results and link previews show each page's own line, not the site's."""
    bank, settings = loaded
    made = [p for p in pages.generate(bank, settings) if p.meta.get("eb_type") != "omdirigering"]
    described = [p.meta.get("description") for p in made]
    assert all(described), [p.src_uri for p in made if not p.meta.get("description")]
    assert len(set(described)) == len(described)


@pytest.mark.parametrize("markdown, lead", [
    ("# Tittel\n\nKort.\n\nDette er den første ordentlige [avsnittet](x.md) om *reformen* og "
     "hva den betyr for kommunene.\n", "Dette er den første ordentlige avsnittet om reformen og "
     "hva den betyr for kommunene."),
    ("# T\n\n| a | b |\n|---|---|\n\n- liste som er lang nok til å telle med her\n\n"
     "<div>html</div>\n", ""),
    ("Ord " * 80, ("Ord " * 40)[:159].rsplit(" ", 1)[0] + "…"),
])
def test_a_content_page_is_described_by_its_lead(markdown, lead):
    assert pages.describe(markdown) == lead
    assert len(pages.describe(markdown)) <= pages.DESCRIPTION_MAX
