"""Search (Pagefind) and facets in a real browser (Debian's Chromium), served from a sub-path.

The site is built from the fixture bank plus three synthetic examples (tests/fixtures/search-extra),
so that region and innsatsområde filters change the count in steps we can check against the data.
"""
from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from urllib.parse import parse_qs, urlparse

import pytest
from browser import browser, forget, serve
from conftest import ROOT, TODAY, build_site, fixture_bank

from generator.pages.discovery import facets
from generator.pipeline import load_bank
from generator.base.settings import Settings

EXTRA = ROOT / "tests" / "fixtures" / "search-extra"
PREFIX = "erfaringsbank"


@pytest.fixture(scope="module")
def search_bank(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    bank = fixture_bank(root)
    for f in EXTRA.glob("*.md"):
        shutil.copy(f, bank / f.name)
    site = build_site(root / "build", bank)
    data = load_bank(Settings(root=root, bank_dir=bank, docs_dir=ROOT / "content", today=TODAY))
    return site, data


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


DEFAULT = {"width": 1280, "height": 720}   # a new browser context's


class Tab:
    """One page (tab) for the module: each test opens its own address in it (finn-eksempler.js
    keeps its state in the address, nothing in storage), so its pages share one renderer — a new
    page per test cost Chromium ≈ 0.7–1.3 s of CPU (Pagefind's WebAssembly compiled again), a new
    context more. A test that watches what is downloaded makes its visit a first one
    (`first_visit`: no cache, no storage)."""

    def __init__(self, chromium):
        self.context = chromium.new_context()
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.viewport = DEFAULT

    def first_visit(self, base, viewport=DEFAULT):
        """The next address opened is a first visit (browser.forget), at `viewport`."""
        forget(self.page, base)
        self.viewport = viewport
        return self

    def go(self, url):
        self.page.set_viewport_size(self.viewport)
        self.viewport = DEFAULT
        self.errors.clear()
        self.page.goto(url)
        return self.page


@pytest.fixture(scope="module")
def desktop(chromium):
    tab = Tab(chromium)
    yield tab
    tab.context.close()


@pytest.fixture(scope="module")
def base(search_bank):
    with serve(search_bank[0], prefix=PREFIX) as url:
        yield url


def open_search(tab, url):
    page = tab.go(url)
    page.wait_for_selector("#eb-finn[data-klar]", timeout=15000)
    assert not tab.errors
    return page


def wait_for_count(page, text):
    page.wait_for_function("t => document.getElementById('eb-antall').textContent === t", arg=text,
                           timeout=10000)


def titles(page):
    return page.locator("#eb-treffliste .eb-treff h3").all_inner_texts()


def facet_counts(page, key):
    """The counts a visitor sees in facet `key` — opened first, as a visitor must: closed facets
    are counted only when opened (finn-eksempler.js)."""
    details = f'#eb-fasetter details[data-key="{key}"]'
    if not page.locator(details).evaluate("d => d.open"):
        page.click(details + " > summary")
    page.wait_for_function("s => { const d = document.querySelector(s); return d && d.open"
                           " && !d.querySelector('.eb-fasett__venter') && !d.ariaBusy; }",
                           arg=details, timeout=10000)
    boxes = page.locator(f'#eb-fasetter input[name="{key}"]')
    out = {}
    for i in range(boxes.count()):
        box = boxes.nth(i)
        out[box.get_attribute("value")] = int(box.locator("xpath=..").locator(".eb-fasett__antall")
                                               .text_content().replace("\u00a0", ""))
    return out


def expected_counts(examples, bank):
    """Facet counts straight from the data: how many of `examples` carry each value."""
    ref = bank.reference
    values = {
        "innsatsomrade": lambda e: e.innsatsomrader,
        "losning": lambda e: e.losninger,
        "region": lambda e: [r.slug for r in bank.embeter_of(e)],
        "fylke": lambda e: e.fylker,
        "kommune": lambda e: [k.slug for k in e.kommuner],
        "status": lambda e: [e.status],
        "aar": lambda e: [str(e.ar)] if e.ar else [],
        "pris": lambda e: [e.pris.term] if e.pris else [],
    }
    assert set(values) == {f[0] for f in facets(bank)}
    out = {}
    for key, fn in values.items():
        counts = {}
        for e in examples:
            for v in fn(e):
                counts[v] = counts.get(v, 0) + 1
        out[key] = counts
    del ref
    return out


def test_one_norwegian_index_and_search_page_not_indexed(search_bank):
    site, bank = search_bank
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["no"], "nb and nn pages share one Norwegian index"
    html = (site / "finn-eksempler" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in html
    # the index has the example's filters and sort key; the published page has none of the
    # indexer's markup (lean pages, search/stream.py: published)
    from test_search_stream import fragments
    record = fragments(site)["/eksempler/tydal-kafe-posten/"]
    assert record["filters"]["region"] == ["trondelag"] and record["filters"]["dato"] == ["2021-12-01"]
    example = (site / "eksempler" / "tydal-kafe-posten" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind" not in example and "Tydal" in example


def test_query_finds_the_real_example_first(desktop, base):
    page = open_search(desktop, base + "finn-eksempler/")
    page.fill("#eb-finn-q", "Kafe Posten")
    page.press("#eb-finn-q", "Enter")
    page.wait_for_function("() => location.search.includes('q=Kafe')")
    page.wait_for_function("() => / treff$/.test(document.getElementById('eb-antall').textContent)")
    found = titles(page)
    assert found[0] == "Kafe Posten – møteplass skapt sammen med de eldre"
    assert len(found) > 1, "the synthetic kafe examples also match, but rank lower"
    page.click("#eb-treffliste .eb-treff >> nth=0 >> a")
    page.wait_for_url(base + "eksempler/tydal-kafe-posten/")


@pytest.mark.parametrize("query, title", [
    ("møteplass", "Kafe Posten – møteplass skapt sammen med de eldre"),       # æ ø å
    ("møteplasser", "Kafe Posten – møteplass skapt sammen med de eldre"),     # bokmål stemming
    ("levekårsplanen", "Ulstein: levekårsplan fra vugge til grav og «300-metersbyen»"),
    ("testdøma", "Syntetisk testeksempel – måltidsvenn på nynorsk"),          # nynorsk page
])
def test_norwegian_queries(desktop, base, query, title):
    page = open_search(desktop, base + f"finn-eksempler/?q={query}")
    page.wait_for_selector("#eb-treffliste .eb-treff")
    assert title in titles(page)[:3]


def test_facets_combine_count_and_live_in_the_url(desktop, base, search_bank):
    _, bank = search_bank
    page = open_search(desktop, base + "finn-eksempler/")
    n = len(bank.examples)
    wait_for_count(page, f"{n} eksempler, nyeste først")
    assert titles(page)[0] == bank.examples[0].tittel
    assert facet_counts(page, "region") == expected_counts(bank.examples, bank)["region"]

    page.check('#eb-fasetter input[name="region"][value="trondelag"]')
    trondelag = bank.tagged("region", "trondelag")
    assert len(trondelag) == 3
    wait_for_count(page, "3 treff")
    assert parse_qs(urlparse(page.url).query) == {"region": ["trondelag"]}
    want = expected_counts(trondelag, bank)
    for key in ("innsatsomrade", "kommune", "status", "aar"):
        assert facet_counts(page, key) == want[key], key

    page.check('#eb-fasetter input[name="innsatsomrade"][value="aktivitet-og-fellesskap"]')
    both = [e for e in trondelag if "aktivitet-og-fellesskap" in e.innsatsomrader]
    assert len(both) == 2
    wait_for_count(page, "2 treff")
    assert sorted(titles(page)) == sorted(e.tittel for e in both)
    shared = page.url
    assert parse_qs(urlparse(shared).query) == {
        "region": ["trondelag"], "innsatsomrade": ["aktivitet-og-fellesskap"]}

    page.go_back()
    wait_for_count(page, "3 treff")
    assert not page.is_checked('#eb-fasetter input[name="innsatsomrade"][value="aktivitet-og-fellesskap"]')
    assert page.is_checked('#eb-fasetter input[name="region"][value="trondelag"]')

    again = open_search(desktop, shared)       # the shared address opened anew
    wait_for_count(again, "2 treff")
    assert again.is_checked('#eb-fasetter input[name="region"][value="trondelag"]')
    assert again.is_checked('#eb-fasetter input[name="innsatsomrade"][value="aktivitet-og-fellesskap"]')
    assert sorted(titles(again)) == sorted(e.tittel for e in both)


def test_two_values_of_one_facet_are_combined_with_or(desktop, base, search_bank):
    _, bank = search_bank
    page = open_search(desktop, base + "finn-eksempler/?region=trondelag&region=nordland")
    want = len(bank.tagged("region", "trondelag")) + len(bank.tagged("region", "nordland"))
    wait_for_count(page, f"{want} treff")


def test_filtering_without_a_search_word_downloads_no_word_index(desktop, base):
    """Pagefind 1.5.2 fetched every word-index chunk for a search without a word (7.3 MB at 5 000
    examples) when a filter was ticked; with the pinned 1.6.0 only the facets' filter data."""
    page = open_search(desktop.first_visit(base), base + "finn-eksempler/")
    asked = []
    listen = lambda r: asked.append(r.url)  # noqa: E731
    page.on("request", listen)
    try:
        before = page.locator("#eb-antall").text_content()
        page.check('#eb-fasetter input[name="region"][value="trondelag"]')
        wait_for_count(page, "3 treff")
    finally:
        page.remove_listener("request", listen)
    assert before != "3 treff"
    assert not [u for u in asked if "/pagefind/index/" in u]
    assert [u for u in asked if "/pagefind/filter/" in u]


def test_a_query_on_a_phone_fetches_no_facet_data_until_a_facet_is_opened(desktop, base):
    """Facets start closed on a phone: the first query downloads the hits, not the facets' filter
    data; opening a facet fetches its counts."""
    page = desktop.first_visit(base, {"width": 375, "height": 800}).go(base + "finn-eksempler/")
    page.wait_for_selector("#eb-finn[data-klar]", timeout=15000)
    asked = []
    listen = lambda r: asked.append(r.url)  # noqa: E731
    page.on("request", listen)
    try:
        page.fill("#eb-finn-q", "Kafe Posten")
        page.wait_for_function("t => { const h = document.querySelector('#eb-treffliste .eb-treff h3');"
                               " return h && h.textContent === t; }",
                               arg="Kafe Posten – møteplass skapt sammen med de eldre", timeout=10000)
        assert not [u for u in asked if "/pagefind/filter/" in u]
        assert not page.locator("#eb-fasetter").is_visible(), "on a phone the facets are behind «Filtrer»"
        page.click("#eb-filtrer")
        counts = facet_counts(page, "region")
    finally:
        page.remove_listener("request", listen)
    assert counts.get("trondelag", 0) >= 1  # Tydal is in Trøndelag
    assert [u for u in asked if "/pagefind/filter/" in u]


def test_header_search_goes_to_the_search_page(desktop, base):
    page = desktop.go(base)
    page.fill("#eb-hodesok-q", "Kafe Posten")
    page.press("#eb-hodesok-q", "Enter")
    page.wait_for_selector("#eb-finn[data-klar]")
    assert page.url.startswith(base + "finn-eksempler/?q=Kafe")
    page.wait_for_selector("#eb-treffliste .eb-treff")
    assert titles(page)[0] == "Kafe Posten – møteplass skapt sammen med de eldre"


def test_without_javascript_the_page_points_to_the_browse_pages(desktop, base, search_bank):
    """Without JavaScript the page shows its start state (the newest examples) and a note with
    the pages to browse; the search forms still send the query to the search page."""
    _, bank = search_bank
    with without_javascript(desktop):
        browse_without_javascript(desktop.go(base + "finn-eksempler/"), base, bank)


@contextmanager
def without_javascript(tab):
    """The shared tab with JavaScript off (what a context made with java_script_enabled=False
    does to each of its pages, through DevTools) for the pages opened in the block."""
    cdp = tab.context.new_cdp_session(tab.page)
    try:
        cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
        yield
    finally:
        try:
            cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
        finally:
            cdp.detach()


def browse_without_javascript(page, base, bank):
    note = page.locator(".eb-uten-js")
    assert note.is_visible()
    assert "trenger JavaScript" in note.inner_text()
    assert titles(page)[0] == bank.examples[0].tittel
    page.fill("#eb-finn-q", "møteplass")
    page.press("#eb-finn-q", "Enter")
    page.wait_for_url(base + "finn-eksempler/?q=m%C3%B8teplass")
    page.goto(base)
    page.fill("#eb-forside-q", "Tydal")
    page.press("#eb-forside-q", "Enter")
    page.wait_for_url(base + "finn-eksempler/?q=Tydal")
    for link in ("Regioner", "Kommuner med eksempler", "Innsatsområdet Mat og måltider (med løsningene)"):
        page.click(f".eb-uten-js >> text={link}")
        page.wait_for_load_state("domcontentloaded")  # click returns once the new page commits
        assert page.url.startswith(base) and page.locator("h1").count() == 1
        page.go_back()


HITS_SHOWN = """
new MutationObserver((_, obs) => {
  const h = document.getElementById("eb-antall");
  if (h && / treff$/.test(h.textContent) && document.querySelector("#eb-treffliste .eb-treff")) {
    window.__treffVist = performance.now();
    obs.disconnect();
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def test_a_query_shows_five_hits_before_it_fetches_the_facets_counts(desktop, base, search_bank):
    """What the first query waits for: Pagefind in the page (no web worker to download), five
    hits' fragments; the open facets' filter data is fetched after the hits are shown, and until
    it is there those facets show no (old) counts. «Vis flere treff» shows the next ones."""
    with desktop.page.add_init_script(HITS_SHOWN):   # for this page only
        page = desktop.first_visit(base, {"width": 1280, "height": 900}).go(
            base + "finn-eksempler/?q=eldre")
    page.wait_for_selector("#eb-finn[data-klar]", timeout=15000)
    page.wait_for_function("() => window.__treffVist")
    n = int(page.locator("#eb-antall").text_content().split()[0])
    assert n > 5, "the query must have more hits than the first batch"
    assert len(titles(page)) == 5
    started = page.evaluate("""() => performance.getEntriesByType("resource")
        .map(e => [new URL(e.name).pathname, e.startTime > window.__treffVist])""")
    assert not [p for p, _ in started if "pagefind-worker" in p]
    before = [p for p, later in started if not later]
    assert len([p for p in before if "/pagefind/fragment/" in p]) == 5
    assert not [p for p in before if "/pagefind/filter/" in p], "the facets wait for the hits"
    assert [p for p, later in started if later and "/pagefind/filter/" in p]
    _, bank = search_bank
    counts = facet_counts(page, "region")  # waits for the counts
    assert sum(counts.values()) <= len(bank.examples) and counts
    assert page.locator('#eb-fasetter details[data-key="region"] .eb-fasett__antall').first.is_visible()
    page.click("#eb-flere")
    page.wait_for_function("n => document.querySelectorAll('#eb-treffliste .eb-treff').length === n",
                           arg=min(n, 15))
