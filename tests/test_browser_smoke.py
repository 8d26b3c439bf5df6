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
