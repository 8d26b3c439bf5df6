"""Bytes the search downloads, measured in headless Chromium (nothing excluded):

    .venv/bin/python bench/search_bytes.py bench/out/n5000/site [query]

The site is served by Python's http.server under /erfaringsbank/ (as GitHub Pages serves project
pages, with its «Cache-Control: max-age=600») and without HTTP compression, so the `…_gzip` figures count text responses
gzip-compressed, as GitHub Pages sends them (Pagefind's index files are gzip-compressed already).
Three visits, each in a fresh browser context (empty cache), at 1280 px (two facets open):

* `first_query`: the visitor is on the home page and searches from the header: every response from
  submitting the header search until the hits are shown (a request the search page started
  after its hit count appeared is not in it). The home page has already loaded the theme's CSS
  and JavaScript (shared by every page), so this is what the search itself costs: the search
  page, its script, and Pagefind (runtime, WebAssembly, page list, the word's index chunk, the
  first hits' fragments). The target figure.
* `first_query_idle`: the same visit until nothing more is downloaded (1 s without a response):
  also what the page fetches after showing the hits (the open facets' counts).
* `cold`: the search page opened directly with an empty cache, then a query typed: everything,
  the theme included.
* `facet`: on the search page, one region ticked without a search word (Pagefind 1.5.2 fetched
  every index chunk for that).

And `layout_shift`: the search page's cumulative layout shift while it loads (every
`layout-shift` entry without recent input, from a buffered PerformanceObserver, summed — at
least Lighthouse's CLS, which takes the worst 5 s window), at 375 × 812 and 1280 × 900, opened
bare and with a query (?q=…, as the header and home page searches open it).
"""
from __future__ import annotations

import gzip
import mimetypes
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import browser, serve  # noqa: E402  (tests/browser.py: Debian's Chromium, no download)

# Served compressed by GitHub Pages (gzip); Pagefind's index files and wasm are gzip already.
TEXT = ("text/", "application/javascript", "application/json", "application/xml", "image/svg")
QUERY = "møteplass"  # a word of the synthetic filler (bench/make_corpus.py); many hits


class Recorder:
    """What the server really sent (a file the browser had cached is not asked for again)."""

    def __init__(self, sent: list) -> None:
        self.sent = sent

    def rows(self, start: int = 0) -> list[tuple[str, int, int]]:
        """(path, bytes as served, bytes gzip-compressed as GitHub Pages sends text)."""
        out = []
        for path, size, _ in self.sent[start:]:
            local = SITE_ROOT / path.split("?")[0].split("/erfaringsbank/", 1)[-1]
            if local.is_dir():
                local = local / "index.html"
            kind = mimetypes.guess_type(local.name)[0] or ""
            zipped = size
            if kind.startswith(TEXT) and size and local.is_file():
                zipped = len(gzip.compress(local.read_bytes(), 6))
            out.append((path.split("/erfaringsbank/", 1)[-1], size, zipped))
        return out

    def mark(self) -> int:
        return len(self.sent)

    def sums(self, start: int = 0, leave_out: set[str] = frozenset()) -> dict[str, int]:
        rows = [r for r in self.rows(start) if r[0] not in leave_out]
        return {"total": sum(r[1] for r in rows), "gzip": sum(r[2] for r in rows),
                "pagefind_gzip": sum(r[2] for r in rows if r[0].startswith("pagefind/")),
                "requests": len(rows)}


SITE_ROOT = Path(".")


# When the hits are shown (the count above them says «… treff» and a hit is in the list), in the
# page's clock: a request started later is after the hits. A MutationObserver's callback runs
# before any fetch the page script starts after changing the count.
HITS_SHOWN = """
new MutationObserver((_, obs) => {
  const h = document.getElementById("eb-antall");
  if (h && /treff/.test(h.textContent) && document.querySelector("#eb-treffliste .eb-treff")
      && new URL(location.href).searchParams.get("q")) {
    window.__treffVist = performance.now();
    obs.disconnect();
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def _after_hits(page) -> set[str]:
    """Paths (after /erfaringsbank/) of the requests the page started after its hits were shown."""
    return set(page.evaluate("""() => performance.getEntriesByType("resource")
        .filter(e => e.startTime > window.__treffVist)
        .map(e => new URL(e.name).pathname + new URL(e.name).search)"""))


def _hits_for(page, query: str) -> None:
    page.wait_for_function(
        "q => new URL(location.href).searchParams.get('q') === q"
        " && document.querySelector('#eb-finn[data-klar]')"
        " && /treff/.test(document.getElementById('eb-antall').textContent)"
        " && document.querySelector('#eb-treffliste .eb-treff')", arg=query, timeout=120000)


def measure(site: Path, query: str = QUERY) -> dict:
    """{'first_query': {...}, 'before_query': {...}, 'cold': {...}, 'facet': {...}, 'detail':
    [...]}: byte sums (see the module docstring) and every response of the first-query visit."""
    global SITE_ROOT
    SITE_ROOT = Path(site)
    out: dict = {}
    sent: list = []
    rec = Recorder(sent)
    # Cache-Control as GitHub Pages sends it, so the home page's theme files are not fetched
    # again on the search page (as for a real visitor).
    with serve(Path(site), prefix="erfaringsbank", cache_control="max-age=600", sent=sent) as base, \
            browser() as b:
        # 1. From the home page, through the header search.
        ctx = b.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.add_init_script(HITS_SHOWN)
        page.goto(base)
        page.wait_for_load_state("networkidle")
        start = rec.mark()
        page.fill("#eb-hodesok-q", query)
        page.press("#eb-hodesok-q", "Enter")
        _hits_for(page, query)
        _settle(page, rec)
        later = {p.split("/erfaringsbank/", 1)[-1] for p in _after_hits(page)}
        out["first_query"] = rec.sums(start, later)
        out["first_query_idle"] = rec.sums(start)
        out["detail"] = [r + (r[0] in later,) for r in rec.rows(start)]
        ctx.close()
        # 2. Cold: the search page opened directly, then the query typed.
        ctx = b.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        start = rec.mark()
        page.goto(base + "finn-eksempler/")
        page.wait_for_selector("#eb-finn[data-klar]", timeout=120000)
        page.wait_for_load_state("networkidle")
        out["before_query"] = rec.sums(start)
        page.fill("#eb-finn-q", query)
        _hits_for(page, query)
        _settle(page, rec)
        out["cold"] = rec.sums(start)
        ctx.close()
        # 3. A facet ticked without a search word (a fresh visit, so nothing of 2. is cached).
        ctx = b.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.goto(base + "finn-eksempler/")
        page.wait_for_selector("#eb-finn[data-klar]", timeout=120000)
        page.wait_for_load_state("networkidle")
        start = rec.mark()
        before = page.locator("#eb-antall").text_content()
        page.locator('#eb-fasetter input[name="region"]').first.check()
        page.wait_for_function("t => document.getElementById('eb-antall').textContent !== t",
                               arg=before, timeout=120000)
        _settle(page, rec)
        out["facet"] = rec.sums(start)
        ctx.close()
    return out


LAYOUT_SHIFTS = """
window.__skift = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__skift.push(e.value);
}).observe({ type: "layout-shift", buffered: true });
"""


def layout_shift(site: Path, query: str = QUERY) -> dict[str, float]:
    """{"375 bare": cls, "375 ?q=…": cls, "1280 bare": …}: see the module docstring."""
    out = {}
    with serve(Path(site), prefix="erfaringsbank", cache_control="max-age=600") as base, \
            browser() as b:
        for width, height in ((375, 812), (1280, 900)):
            for label, path in (("bare", ""), ("?q=", "?q=" + query)):
                ctx = b.new_context(viewport={"width": width, "height": height})
                page = ctx.new_page()
                page.add_init_script(LAYOUT_SHIFTS)
                page.goto(base + "finn-eksempler/" + path)
                page.wait_for_selector("#eb-finn[data-klar]", timeout=120000)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(1000)
                out[f"{width} {label}"] = round(sum(page.evaluate("window.__skift")), 4)
                ctx.close()
    return out


def _settle(page, rec: Recorder, quiet: float = 1.0, limit: float = 60) -> None:
    """Wait until no new response arrived for `quiet` seconds (the result fragments)."""
    start, seen, since = time.monotonic(), rec.mark(), time.monotonic()
    while time.monotonic() - start < limit:
        page.wait_for_timeout(100)
        if rec.mark() != seen:
            seen, since = rec.mark(), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


if __name__ == "__main__":
    result = measure(Path(sys.argv[1]), *(sys.argv[2:3] or [QUERY]))
    print("first query from the home page's header search, every response:")
    for path, served, zipped, later in result.pop("detail"):
        print(f"{served:>10,} {zipped:>10,}  {path[:80]}{'  (after the hits)' if later else ''}"
              .replace(",", " "))
    for key, value in result.items():
        print(f"{key}: " + ", ".join(f"{k} {v:,}".replace(",", " ") for k, v in value.items()))
    print("layout_shift: " + ", ".join(f"{k} {v}" for k, v in
                                       layout_shift(Path(sys.argv[1]), *(sys.argv[2:3] or [QUERY])).items()))
