"""«Who to ask»: each region page lists its support apparatus from content/regioner/
stotteapparat.yml — organisations and their public pages, never persons."""
from __future__ import annotations

from conftest import ROOT
from generator.load.yamlsafe import load_plain
from sitecheck import page

DATA = load_plain((ROOT / "content" / "regioner" / "stotteapparat.yml").read_text(encoding="utf-8"))


def test_every_region_page_lists_its_support_apparatus(fixture_site):
    assert DATA["regioner"], "the data file lists regions"
    for slug, orgs in DATA["regioner"].items():
        raw = page(fixture_site, f"regioner/{slug}/").read_text(encoding="utf-8")
        section = raw[raw.index('id="stotteapparat"'):]
        section = section[:section.index("</section>")]
        for org in orgs:
            assert f'<a href="{org["url"]}" rel="noopener noreferrer">' in section, (slug, org)
        assert section.count("<li>") == len(orgs)


def test_the_data_file_is_not_published(fixture_site):
    assert not list(fixture_site.rglob("*.yml"))
