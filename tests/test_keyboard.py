"""Keyboard alone (issue 8, WCAG 2.1.1 and 2.4.7): the search filters, the header search and the
phone menu, driven only with Tab, Space, Enter and Escape in Debian's Chromium, on the fixture site
served under the site_url path. Every focus stop we land on must show a visible focus ring and be
on the screen."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser import browser, serve, site_prefix

# What the element with focus looks like, and where it is.
_FOCUS = """() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
    return {tag: e.tagName, id: e.id, type: e.type || null, name: e.name || null, value: e.value || null,
            cls: e.className || '', text: (e.textContent || '').trim().slice(0, 60),
            label: e.getAttribute('aria-label'), expanded: e.getAttribute('aria-expanded'),
            inDrawer: !!e.closest('.md-sidebar--primary'), inFacets: !!e.closest('#eb-fasetter'),
            ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none',
            left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width,
            shown: (() => {   // not transparent, not hidden, and not covered by something else
                for (let a = e; a; a = a.parentElement) {
                    const st = getComputedStyle(a);
                    if (parseFloat(st.opacity) < 0.5 || st.visibility !== 'visible') return false;
                }
                const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
                return !!hit && (hit === e || e.contains(hit) || hit.contains(e)); })()}; }"""


@pytest.fixture(scope="module")
def live(fixture_site):
    with serve(fixture_site, prefix=site_prefix()) as base, browser() as b:
        yield base, b


@pytest.fixture(scope="module")
def pages(live):
    """One page (tab) for the whole module, set to the width a test asks for: every test opens
    its own address first, and none stores a choice (a new browser context per test cost
    Chromium ≈ 0.6 s of CPU, a page of its own per width ≈ 1 s)."""
    _, b = live
    made = []

    def make(width: int):
        if not made:
            made.append(b.new_context(viewport={"width": width, "height": 900}).new_page())
        page = made[0]
        if page.viewport_size != {"width": width, "height": 900}:
            page.set_viewport_size({"width": width, "height": 900})
        return page

    yield make
    for page in made:
        page.context.close()


@pytest.fixture
def page_at(live, pages):
    return live[0], pages


def focus(page) -> dict:
    return page.evaluate(_FOCUS)


def on_screen(f: dict, width: int) -> bool:
    return f["width"] > 0 and f["right"] > 0 and f["left"] < width


def tab_until(page, want, width: int, limit: int = 80) -> dict:
    """Press Tab until `want(focus)` holds; every stop on the way must be visible and on screen."""
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        f = focus(page)
        assert f["tag"] != "BODY", f"fokus forsvant fra siden (etter {[x['text'] or x['label'] for x in seen[-3:]]})"
        seen.append(f)
        if f["type"] == "radio" and f["name"] == "__palette":
            # Material's palette switch: the radio is 0 px wide, its <label> shows the focus.
            assert page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle") != "none"
        else:
            if not f["shown"]:   # e.g. the skip link fades in over .25 s: allow transitions to end
                page.wait_for_timeout(400)
                f = focus(page)
            assert on_screen(f, width) and f["shown"], f"fokus på noe som ikke synes på skjermen: {f}"
            assert f["ring"], f"ingen synlig fokusmarkering: {f}"
        if want(f):
            return f
    pytest.fail(f"nådde ikke målet med {limit} trykk på Tab")


def count_text(page) -> str:
    return page.locator("#eb-antall").text_content()


def test_search_filter_by_keyboard_changes_the_hits_and_the_url(page_at):
    base, make = page_at
    page = make(1280)
    page.goto(base + "finn-eksempler/")
    page.wait_for_selector("#eb-finn[data-klar]", timeout=15000)
    before = count_text(page)
    assert before.endswith("eksempler, nyeste først"), before

    box = tab_until(page, lambda f: f["type"] == "checkbox" and f["inFacets"], 1280)
    label = page.evaluate("document.activeElement.closest('label').textContent")
    expected = page.evaluate("document.activeElement.closest('label').querySelector('.eb-fasett__antall').textContent")
    page.keyboard.press("Space")
    page.wait_for_function("t => document.getElementById('eb-antall').textContent !== t", arg=before, timeout=10000)

    assert count_text(page) == f"{expected} treff", (label, count_text(page))
    assert parse_qs(urlparse(page.url).query) == {box["name"]: [box["value"]]}
    after = focus(page)
    assert (after["name"], after["value"], after["type"]) == (box["name"], box["value"], "checkbox"), \
        "fokus må bli på avkrysningsboksen etter at filtrene er tegnet på nytt"
    assert page.evaluate("document.activeElement.checked")
    assert after["ring"] and on_screen(after, 1280), after
    hits = page.locator("#eb-treffliste .eb-treff").count()
    assert hits == int(expected.replace("\u00a0", ""))

    # Space again removes the filter: back to every example, and the URL is clean again.
    page.keyboard.press("Space")
    page.wait_for_function("t => document.getElementById('eb-antall').textContent === t", arg=before, timeout=10000)
    assert urlparse(page.url).query == ""


def test_header_search_by_keyboard(page_at):
    base, make = page_at
    page = make(1280)
    page.goto(base)
    tab_until(page, lambda f: f["id"] == "eb-hodesok-q", 1280)
    page.keyboard.type("Kafe Posten")
    page.keyboard.press("Enter")
    page.wait_for_selector("#eb-finn[data-klar]", timeout=15000)
    assert page.url.startswith(base + "finn-eksempler/?q=Kafe")
    page.wait_for_selector("#eb-treffliste .eb-treff")
    first = page.locator("#eb-treffliste .eb-treff h3").first.inner_text()
    assert first == "Kafe Posten – møteplass skapt sammen med de eldre"


def _is_menu(f):
    return f["tag"] == "BUTTON" and "eb-menyknapp" in f["cls"]


def test_phone_menu_opens_and_is_followed_by_keyboard(page_at):
    base, make = page_at
    page = make(375)
    page.goto(base + "eksempler/tydal-kafe-posten/")
    assert page.locator("label[for='__drawer'].md-header__button").is_hidden()
    menu = tab_until(page, _is_menu, 375, limit=5)
    assert (menu["label"], menu["expanded"]) == ("Meny", "false")

    page.keyboard.press("Enter")
    assert page.get_attribute(".eb-menyknapp", "aria-expanded") == "true"
    f = focus(page)
    assert f["inDrawer"] and (f["tag"], f["text"]) == ("A", "Forside"), f
    page.wait_for_timeout(300)   # the drawer slides in in .25 s
    # Every link of the menu, in the sections too, is a visible tab stop, in reading order.
    links = page.locator(".md-sidebar--primary .md-nav__list a.md-nav__link").all_inner_texts()
    # an example is outside the navigation: the sections only (nav-kort.html)
    assert links[:2] == ["Forside", "Eksempler"] and "Om nettstedet" in links and len(links) >= 5
    seen = [f["text"]]
    for _ in links[1:]:
        seen.append(tab_until(page, lambda f: True, 375, limit=1)["text"])
    assert seen == [t.strip() for t in links]
    # Tab past the last link closes the menu (focus never goes on behind the overlay).
    page.keyboard.press("Tab")
    assert page.get_attribute(".eb-menyknapp", "aria-expanded") == "false"
    assert not focus(page)["inDrawer"]

    assert not page.is_checked("#__drawer")
    page.goto(base + "eksempler/tydal-kafe-posten/")
    tab_until(page, _is_menu, 375, limit=5)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    tab_until(page, lambda f: f["inDrawer"] and f["text"] == "Eksempler", 375, limit=5)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "alle-eksempler/")
    assert page.locator("h1").first.inner_text() == "Alle eksempler"


def test_phone_menu_closes_with_escape_and_hides_its_links_when_closed(page_at):
    base, make = page_at
    page = make(375)
    page.goto(base)
    tab_until(page, _is_menu, 375, limit=5)
    page.keyboard.press("Space")
    assert page.get_attribute(".eb-menyknapp", "aria-expanded") == "true"
    assert focus(page)["inDrawer"]
    page.keyboard.press("Escape")
    assert page.get_attribute(".eb-menyknapp", "aria-expanded") == "false"
    assert _is_menu(focus(page))
    assert not page.is_checked("#__drawer")
    # With the menu closed, Tab goes from the header straight to the page content: none of the
    # 20-odd links of the hidden drawer is a (invisible) tab stop any more.
    page.wait_for_timeout(300)   # the drawer slides out in .25 s
    f = tab_until(page, lambda f: not f["inDrawer"] and f["top"] > 60 and f["tag"] == "A", 375, limit=6)
    assert not f["inDrawer"]


def test_desktop_has_no_menu_button(page_at):
    base, make = page_at
    page = make(1280)
    page.goto(base)
    assert page.locator(".eb-menyknapp").count() == 1
    assert page.locator(".eb-menyknapp").is_hidden()
    assert page.locator(".md-sidebar--primary a.md-nav__link").first.is_visible()


def test_innsatsomrade_links_its_own_atom_feed(page_at, fixture_site):
    """«Abonner på nye eksempler (Atom)» on an innsatsområde page is followed by keyboard and
    gives that area's feed, with that area's examples."""
    base, make = page_at
    page = make(1280)
    page.goto(base + "innsatsomrader/aktivitet-og-fellesskap/")
    link = page.get_by_role("link", name="Abonner på nye eksempler (Atom)")
    assert link.is_visible()
    assert link.get_attribute("href") == "../../feed/aktivitet-og-fellesskap.xml"
    tab_until(page, lambda f: f["text"] == "Abonner på nye eksempler (Atom)", 1280)
    url = page.evaluate("document.activeElement.href")
    assert url == base + "feed/aktivitet-og-fellesskap.xml"
    feed = page.request.get(url).text()
    assert "<title>Aktivitet og fellesskap – nyeste eksempler</title>" in feed
    assert "Kafe Posten" in feed        # the Tydal example belongs to this area
    page.goto(base + "innsatsomrader/helsehjelp/")
    assert page.get_by_role("link", name="Abonner på nye eksempler (Atom)").get_attribute("href") \
        == "../../feed/helsehjelp.xml"


@pytest.mark.parametrize("path", ["", "eksempler/tydal-kafe-posten/", "404.html"])
def test_footer_links_to_open_data(page_at, path):
    base, make = page_at
    page = make(375)
    page.goto(base + path)
    footer = page.get_by_role("navigation", name="Lenker om nettstedet")
    assert footer.get_by_role("link").all_inner_texts()[:2] == ["Tilgjengelighetserklæring", "Åpne data"]
    footer.get_by_role("link", name="Åpne data").click()
    page.wait_for_url(base + "apne-data/")
    assert page.locator("h1").first.inner_text() == "Åpne data"
