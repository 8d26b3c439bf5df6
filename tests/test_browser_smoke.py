"""The built site opens in a real browser, also from a sub-path as on GitHub project pages."""
from browser import browser, serve


def test_example_page_in_chromium_under_subpath(fixture_site):
    with serve(fixture_site, prefix="erfaringsbank") as base, browser() as b:
        page = b.new_page()
        page.goto(base)
        page.click("text=Ulstein: levekårsplan fra vugge til grav og «300-metersbyen»")
        assert page.url == base + "eksempler/ulstein-levekarsplan-og-300-metersbyen/"
        page.click(".eb-fakta a[href*=regioner]")
        assert page.url == base + "regioner/more-og-romsdal/"
        assert page.locator("h1").inner_text() == "Møre og Romsdal"


def test_feed_is_discoverable_without_fetching_the_sitemap(fixture_site):
    """The pages the menu lists name the Atom feed for feed readers (rel contains «alternate»,
    type Atom; not the thousands of example pages — lean pages); mkdocs-material would fetch
    the whole sitemap.xml for a link matching [rel=alternate], so no page may ask for it."""
    sent: list = []
    found = """() => [...document.querySelectorAll('link[rel~=alternate]')]
        .filter(l => l.type === 'application/atom+xml').map(l => l.href)"""
    with serve(fixture_site, prefix="erfaringsbank", sent=sent) as base, browser() as b:
        page = b.new_page()
        page.goto(base + "alle-eksempler/")
        page.wait_for_load_state("networkidle")
        feeds = page.evaluate(found)
        page.goto(base + "eksempler/tydal-kafe-posten/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(found) == []
        page.goto(base)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(found) == [base + "feed.xml"]
    assert feeds == [base + "feed.xml"]
    requested = [path for path, _, _ in sent]
    assert requested and not any("sitemap.xml" in p for p in requested), requested
