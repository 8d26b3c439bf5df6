"""Privacy and the Content-Security-Policy (issue 14).

Every page carries the same static policy as a <meta> (GitHub Pages sends no headers) and a referrer
policy; every inline script the theme writes is allowed by a hash in it, and nothing else inline is
on the pages. In Chromium, every page type of the built fixture site (tests/a11y.py: PAGE_TYPES,
with its preparation: the search page with hits and every facet open, the phone menu …) makes
requests only to the local test server, raises no script error, and the browser reports no CSP
violation — so the policy blocks nothing the site needs, and the site calls no third party
(no fonts, no api.github.com for the repository widget).
"""
from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from a11y import PAGE_TYPES, WIDTHS, matrix, open_page
from browser import browser, first_visit, serve, site_prefix

PREFIX = site_prefix()

# Executable script types: no type, a JavaScript MIME type, or a module. Anything else (Material's
# <script id="__config" type="application/json">) is a data block the browser never runs, and
# CSP does not apply to it.
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


class _Page(HTMLParser):
    """The head's first elements, the policies, the inline scripts and inline styles of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.head: list[tuple[str, dict]] = []    # the elements of <head>, in order
        self.in_head = False
        self.csp: list[str] = []
        self.referrer: list[str] = []
        self.inline_scripts: list[str] = []
        self.data_blocks = 0
        self.styles: list[str] = []                # <style> elements and style="" attributes
        self.handlers: list[str] = []              # on…= attributes
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.head.append((tag, a))
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp.append(a.get("content", ""))
        if tag == "meta" and a.get("name", "").lower() == "referrer":
            self.referrer.append(a.get("content", ""))
        if tag == "style":
            self.styles.append("<style>")
        if "style" in a:
            self.styles.append(f'<{tag} style="{a["style"]}">')
        self.handlers += [f"<{tag} {k}>" for k in a if k.startswith("on")]
        if tag == "script" and "src" not in a:
            if a.get("type", "").lower() in _JS_TYPES:
                self._script = []
            else:
                self.data_blocks += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script))
            self._script = None


def sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        if part.strip():
            name, *values = part.split()
            assert name.lower() not in out, f"{name} twice in the policy"
            out[name.lower()] = values
    return out


def redirect_stub(html: str) -> bool:
    """The stub at the old address of a renamed page (the plugin's `redirects` option,
    templates/omdirigering.html): its own small HTML, not the theme's."""
    return 'http-equiv="refresh"' in html


def pages(site):
    """The theme's pages (every page but the redirect stubs)."""
    return sorted(p for p in site.rglob("*.html") if not redirect_stub(p.read_text(encoding="utf-8")))


def test_redirect_stubs_carry_the_policy_too(fixture_site):
    stubs = [p for p in fixture_site.rglob("*.html") if redirect_stub(p.read_text(encoding="utf-8"))]
    assert stubs
    for path in stubs:
        p = _Page()
        p.feed(path.read_text(encoding="utf-8"))
        assert len(p.csp) == 1 and p.referrer == ["strict-origin-when-cross-origin"], path
        policy = directives(p.csp[0])
        assert all(sha256(s) in policy["script-src"] for s in p.inline_scripts), path


def test_every_page_carries_one_static_policy_that_allows_exactly_its_inline_scripts(fixture_site):
    policies, needed = set(), {}
    for path in pages(fixture_site):
        rel = path.relative_to(fixture_site)
        p = _Page()
        p.feed(path.read_text(encoding="utf-8"))
        # The policy governs only what comes after it: right after <meta charset>, before any
        # script or style; the referrer policy beside it.
        assert [t for t, _ in p.head[:3]] == ["meta", "meta", "meta"], rel
        assert p.head[0][1].get("charset") == "utf-8", rel
        assert len(p.csp) == 1 and p.head[1][1].get("http-equiv") == "Content-Security-Policy", rel
        assert p.referrer == ["strict-origin-when-cross-origin"] and p.head[2][1].get("name") == "referrer", rel
        policies.add(p.csp[0])
        for script in p.inline_scripts:
            needed.setdefault(sha256(script), (rel, script[:80]))
        # No inline style or handler: style-src has no 'unsafe-inline', and handlers never run.
        assert not p.styles, (rel, p.styles[:3])
        assert not p.handlers, (rel, p.handlers[:3])
    assert len(policies) == 1, "the policy must be the same on every page (it is static)"
    policy = directives(policies.pop())
    hashes = {v for v in policy["script-src"] if v.startswith("'sha256-")}
    missing = {h: where for h, where in needed.items() if h not in hashes}
    assert not missing, ("inline scripts the policy does not allow — put their hash in "
                         f"theme/main.html (block site_meta): {missing}")
    assert hashes <= set(needed), f"hashes of scripts no page has any more: {hashes - set(needed)}"
    # What the policy must say.
    assert policy["default-src"] == ["'self'"]
    assert set(policy["script-src"]) - hashes == {"'self'", "'wasm-unsafe-eval'"}
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    # Ignored in a <meta> policy (Chromium says so in the console): never written there.
    assert not {"frame-ancestors", "report-uri", "report-to", "sandbox"} & set(policy)


def test_the_repository_link_is_plain(fixture_site):
    """Material's repository widget (data-md-component="source") fetches api.github.com."""
    for path in pages(fixture_site):
        html = path.read_text(encoding="utf-8")
        assert 'data-md-component="source"' not in html, path
        assert "api.github.com" not in html and "fonts.googleapis" not in html, path
    home = (fixture_site / "index.html").read_text(encoding="utf-8")
    assert '<li><a href="https://github.com/leve-hele-livet/erfaringsbank">Kildekode og innhold på GitHub</a></li>' in home


def test_serve_allows_its_live_reload_script_and_a_build_never_does():
    """`erfaringsbank serve`: mkdocs injects its live-reload script inline with new numbers on
    every load, so no hash can allow it; with eb_live_reload (set by the adapter only in serve)
    the preview's policy allows inline scripts. Without it: no inline script at all."""
    from types import SimpleNamespace
    from mkdocs.theme import Theme
    from conftest import ROOT
    tmpl = Theme(name="material", custom_dir=str(ROOT / "theme"), language="nb").get_env() \
        .get_template("main.html")
    page = SimpleNamespace(url="", meta={}, canonical_url=None, previous_page=None, next_page=None)
    config = {"theme": {"favicon": "assets/logo.svg"}, "extra": {}}

    def policy(**flag):
        ctx = tmpl.new_context({"page": page, "config": config, "base_url": ".", **flag})
        p = _Page()
        p.feed("<head>" + "".join(tmpl.blocks["site_meta"](ctx)) + "</head>")
        return directives(p.csp[0])

    built, served = policy(), policy(eb_live_reload=True)
    assert built["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert served["script-src"] == ["'self'", "'wasm-unsafe-eval'", "'unsafe-inline'"]
    assert {k: v for k, v in served.items() if k != "script-src"} == \
        {k: v for k, v in built.items() if k != "script-src"}
    assert policy(eb_live_reload=False) == built


# -- in the browser --------------------------------------------------------------------------

# Every CSP violation the page sees, as Chromium reports it to the page.
_RECORD_VIOLATIONS = """
window.__ebCsp = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__ebCsp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} `
                        + `(${e.sourceFile}:${e.lineNumber}) ${e.sample}`);
}, true);
"""


@pytest.fixture(scope="module")
def live(fixture_site):
    """The served site and one tab (page) for the module's visits (Visit)."""
    with serve(fixture_site, prefix=PREFIX) as base, browser() as b:
        context = b.new_context()
        context.add_init_script(_RECORD_VIOLATIONS)
        yield base, Recorder(context.new_page())
        context.close()


class Recorder:
    """What the tab's pages do (the context's requests, a worker's too; the page's console and
    errors), recorded from the tab's first page on; each Visit starts the record anew."""

    def __init__(self, page):
        self.page, self.context = page, page.context
        self.requests: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.pending: set = set()
        self.context.on("request", self._started)
        self.context.on("requestfinished", lambda r: self.pending.discard(r))
        self.context.on("requestfailed", lambda r: self.pending.discard(r))
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _started(self, request):
        self.requests.append(request.url)
        self.pending.add(request)


class Visit:
    """A first visit (no cookies, empty storage, no cache used: browser.first_visit) in the
    module's tab, recording what the pages do, until close()."""

    def __init__(self, live):
        base, self.rec = live
        self.page = self.rec.page
        self.page.set_viewport_size({"width": 1280, "height": 720})  # a new context's default
        self._first = first_visit(self.page, base)
        self._first.__enter__()
        for record in (self.rec.requests, self.rec.console, self.rec.errors):
            record.clear()
        self.rec.pending.clear()

    @property
    def requests(self) -> list[str]:
        return self.rec.requests

    @property
    def console(self) -> list[str]:
        return self.rec.console

    @property
    def errors(self) -> list[str]:
        return self.rec.errors

    @property
    def pending(self) -> set:
        return self.rec.pending

    def settle(self, quiet_ms: int = 250, limit_ms: int = 8000):
        """Until nothing has been in flight for `quiet_ms` (after load): Material's scripts and
        Pagefind's chunks start right after load. Playwright's «networkidle» waits 500 ms of
        quiet, and 300 ms more were added here: 0.55 s a page saved over 16 page types."""
        self.page.wait_for_load_state("load")
        quiet = waited = 0
        while quiet < quiet_ms and waited < limit_ms:
            self.page.wait_for_timeout(50)
            waited += 50
            quiet = quiet + 50 if not self.pending else 0

    def check(self, what: str):
        violations = self.page.evaluate("window.__ebCsp")
        csp_console = [m for m in self.console if "Content Security Policy" in m
                       or "Content-Security-Policy" in m]
        assert not violations and not csp_console, (what, violations, csp_console)
        assert not self.errors, (what, self.errors)
        foreign = [u for u in self.requests
                   if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"]
        assert not foreign, (what, foreign)
        assert self.requests, what

    def close(self):
        """The tab stays for the next visit, which forgets what this one stored."""
        self._first.__exit__(None, None, None)


FULL, WHY = matrix()
# Every page type in the full matrix (weekly, or when the theme or CSS changed: a11y.matrix);
# otherwise the page types with their own scripts or forms — the rest share the same template.
LEAN = {"forside", "eksempel", "sok-med-filtre", "status", "meny-apen"}


@pytest.mark.parametrize("pt", PAGE_TYPES, ids=[pt.name for pt in PAGE_TYPES])
def test_page_type_calls_no_third_party_and_violates_no_policy(live, pt):
    if pt.name not in LEAN and not FULL:
        pytest.skip(f"slank matrise ({WHY}); alle sidetyper: ERFARINGSBANK_A11Y=full")
    base, _ = live
    visit = Visit(live)
    try:
        # At the first width the accessibility matrix checks it at (the phone menu: a phone).
        visit.page.set_viewport_size({"width": WIDTHS[pt.lean[0]], "height": 900})
        open_page(visit.page, base, pt)
        visit.settle()
        visit.check(pt.name)
        # Material's storage helpers (the hashed inline script) ran, with the site's root as scope.
        assert visit.page.evaluate("__md_scope.pathname") == (f"/{PREFIX}/" if PREFIX else "/")
        if pt.name == "sok-med-filtre":   # Pagefind ran (WebAssembly under 'wasm-unsafe-eval')
            assert visit.page.locator("#eb-treffliste .eb-treff").count() > 0
            assert any(u.endswith(".pagefind") for u in visit.requests)
    finally:
        visit.close()


def test_palette_choice_and_header_search_work_under_the_policy(live):
    """The two hashed inline scripts at work: the palette toggle stores the choice (__md_set),
    the next page restores it before it is drawn (palette script); then the header search form
    (form-action 'self') leads to «Finn eksempler», which finds hits with Pagefind."""
    base, _ = live
    visit = Visit(live)
    try:
        page = visit.page
        page.goto(base)
        assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
        page.click("label[for='__palette_1']")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        page.goto(base + "regioner/")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        page.fill("#eb-hodesok-q", "kafe")
        page.press("#eb-hodesok-q", "Enter")
        page.wait_for_url(re.compile(r".*/finn-eksempler/\?q=kafe$"))
        page.wait_for_selector("#eb-finn[data-klar]", timeout=15000)
        assert page.locator("#eb-treffliste .eb-treff").count() > 0
        visit.settle()
        visit.check("palett og søk")
    finally:
        visit.close()


def test_search_works_under_the_policy_without_the_web_worker(live):
    """«Finn eksempler» runs Pagefind in the page, without its web worker (one script less to
    download before the first hits): the WebAssembly is compiled under the page's <meta> policy.
    That is what 'wasm-unsafe-eval' is for (without it Chromium refuses to compile the module)."""
    base, _ = live
    visit = Visit(live)
    try:
        workers = []
        listening = [("worker", lambda w: workers.append(w.url)),
                     ("request", lambda r: "pagefind-worker" in r.url and workers.append(r.url))]
        for event, handler in listening:
            visit.page.on(event, handler)
        page = visit.page
        page.goto(base + "finn-eksempler/?q=kafe")
        page.wait_for_selector("#eb-finn[data-klar]", timeout=15000)
        assert page.locator("#eb-treffliste .eb-treff").count() > 0
        assert workers == []
        visit.settle()
        visit.check("søk uten web worker")
    finally:
        for event, handler in listening:
            visit.page.remove_listener(event, handler)
        visit.close()
