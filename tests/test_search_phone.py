"""Search on a phone (375 × 812) and on a wide screen (1280 × 900), in Chromium, on the fixture
site: nothing on «Finn eksempler» moves while it loads (cumulative layout shift, measured with a
PerformanceObserver as Lighthouse does, < 0.1 — we require 0.05), a query from the home page or
the search page shows the count and the first hit on the first screen, the header's magnifier
focuses its field, and a hit shows its kind and an excerpt of the page's own text."""
from __future__ import annotations

import pytest
from a11y import matrix
from browser import browser, first_visit, serve

from generator.search import relevance

PHONE = {"width": 375, "height": 812}
WIDE = {"width": 1280, "height": 900}
# Every layout shift not caused by the visitor, from the first paint on (buffered).
LAYOUT_SHIFTS = """
window.__skift = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__skift.push(e.value);
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def base(fixture_site):
    with serve(fixture_site, prefix="erfaringsbank", cache_control="max-age=600") as url:
        yield url


class Tab:
    """One page (tab) of a module-wide browser context: each test opens its own address in it
    (nothing stored carries over: finn-eksempler.js keeps its state in the address). A new
    context and page per test cost Chromium ≈ 1–1.5 s of CPU. Every page records its layout
    shifts (LAYOUT_SHIFTS)."""

    def __init__(self, chromium, touch: bool):
        self.context = chromium.new_context(viewport=PHONE, has_touch=touch, is_mobile=touch)
        self.context.add_init_script(LAYOUT_SHIFTS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, url, viewport):
        self.errors.clear()
        self.page.set_viewport_size(viewport)
        self.page.goto(url)
        return self.page, self.errors


@pytest.fixture(scope="module")
def touch_tab(chromium):
    """A phone with a touch screen (the home page's search, the header's magnifier)."""
    tab = Tab(chromium, touch=True)
    yield tab
    tab.context.close()


@pytest.fixture(scope="module")
def mouse_tab(chromium):
    """A mouse and a keyboard, at a phone's or a wide screen's width (the layout-shift tests:
    a first visit in it each)."""
    tab = Tab(chromium, touch=False)
    yield tab
    tab.context.close()


def ready(page):
    page.wait_for_selector("#eb-finn[data-klar]", timeout=15000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


def in_view(page, selector, viewport):
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


FULL, WHY = matrix()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["375", "1280"])
@pytest.mark.parametrize("query", ["", "?q=trondelag", "?region=trondelag"])
def test_the_search_page_does_not_move_while_it_loads(mouse_tab, base, viewport, query):
    # lean matrix (a11y.matrix): the start state and a query at both widths; a filter too in full
    if query.startswith("?region") and not FULL:
        pytest.skip(f"slank matrise ({WHY}); alle: ERFARINGSBANK_A11Y=full")
    # a first visit: nothing cached, nothing stored (browser.first_visit)
    with first_visit(mouse_tab.page, base):
        page, errors = mouse_tab.open(base + "finn-eksempler/" + query, viewport)
        ready(page)
    shift = sum(page.evaluate("window.__skift"))
    assert shift < 0.05, f"cumulative layout shift {shift:.3f}"
    assert not errors
    if query:  # the hits replaced the start list
        assert page.locator("#eb-antall").text_content().endswith(" treff")


def test_a_query_from_the_home_page_shows_hits_on_a_phone(touch_tab, base):
    page, errors = touch_tab.open(base, PHONE)
    assert in_view(page, "#eb-forside-q", PHONE), "the home page's search field is on the first screen"
    page.fill("#eb-forside-q", "Kafe Posten")
    page.press("#eb-forside-q", "Enter")
    ready(page)
    assert page.locator("#eb-antall").text_content().endswith("treff")
    assert in_view(page, "#eb-antall", PHONE) and in_view(page, "#eb-treffliste .eb-treff h3", PHONE)
    assert page.locator("#eb-treffliste .eb-treff h3").first.text_content() == \
        "Kafe Posten – møteplass skapt sammen med de eldre"
    assert not page.locator("#eb-fasetter").is_visible(), "the facets are behind «Filtrer»"
    # Søk on the search page: the count and the first hit in view again
    page.fill("#eb-finn-q", "levekårsplan")
    page.click("#eb-finn-skjema button[type=submit]")
    page.wait_for_function("() => document.getElementById('eb-antall').textContent === '1 treff'")
    assert in_view(page, "#eb-antall", PHONE) and in_view(page, "#eb-treffliste .eb-treff h3", PHONE)
    # «Filtrer» opens the facets, with the counts for this query
    page.click("#eb-filtrer")
    assert page.get_attribute("#eb-filtrer", "aria-expanded") == "true"
    page.wait_for_selector('#eb-fasetter input[name="innsatsomrade"]')
    assert page.locator("#eb-fasetter").is_visible()
    assert not errors


def test_the_header_magnifier_focuses_its_field_on_a_phone(touch_tab, base):
    page, _ = touch_tab.open(base + "reformen/", PHONE)
    assert not page.locator("#eb-hodesok-q").bounding_box()["width"], "folded away"
    page.tap(".eb-hodesok__apne")
    assert page.evaluate("document.activeElement.id") == "eb-hodesok-q"
    assert page.locator("#eb-hodesok-q").bounding_box()["width"] > 200
    page.keyboard.type("moteplass")
    page.keyboard.press("Enter")
    ready(page)
    assert page.url.endswith("finn-eksempler/?q=moteplass")
    assert page.locator("#eb-treffliste .eb-treff h3").first.text_content() == \
        "Kafe Posten – møteplass skapt sammen med de eldre"


def test_an_empty_header_search_puts_the_cursor_in_the_search_field(mouse_tab, base):
    page, _ = mouse_tab.open(base + "finn-eksempler/?q=", PHONE)
    ready(page)
    assert page.evaluate("document.activeElement.id") == "eb-finn-q"


def test_a_hit_shows_its_kind_and_its_own_text(mouse_tab, base):
    page, errors = mouse_tab.open(base + "finn-eksempler/?q=trondelag", WIDE)
    ready(page)
    hits = page.locator("#eb-treffliste .eb-treff")
    first = hits.first
    assert first.locator(".eb-treff__meta").text_content() == "Eksempel · Tydal · 1. desember 2021"
    # the hit in the folded copy is shown on the word it was made from
    assert first.locator("mark").all_text_contents() == ["Trøndelag."]
    metas = page.locator("#eb-treffliste .eb-treff__meta").all_text_contents()
    assert "Kommune" in metas and "Region" in metas, metas
    texts = " ".join(hits.all_text_contents())
    assert relevance.MARKER not in texts and "Troendelag" not in texts
    assert not errors
