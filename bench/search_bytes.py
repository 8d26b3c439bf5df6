"""Bytes a first search downloads: open «Finn eksempler» in headless Chromium, type a query, wait for
the hits, and add up the response bodies of every request (nothing excluded).

    .venv/bin/python bench/search_bytes.py bench/out/n5000/site [query]

The site is served by Python's http.server under /erfaringsbank/ (as GitHub Pages serves project
pages) and without HTTP compression, so HTML, CSS and JS count with their full size; `total_gzip`
counts text responses gzip-compressed, as GitHub Pages sends them (Pagefind's index files are
gzip-compressed already). `first_query_bytes` is what
`bench/run.py` reports; `measure` also gives the Pagefind part and the bytes before typing.
"""
from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import browser, serve  # noqa: E402  (tests/browser.py: Debian's Chromium, no download)

# Served compressed by GitHub Pages (gzip); Pagefind's index files and wasm are gzip already.
TEXT = ("text/", "application/javascript", "application/json", "application/xml", "image/svg")
QUERY = "møteplass"  # a word of the synthetic filler (bench/make_corpus.py); many hits


def measure(site: Path, query: str = QUERY) -> dict[str, int]:
    """{'total', 'total_gzip', 'pagefind', 'before_query', 'requests'}: bytes of all responses
    until the hits for `query` are shown (as served here, and with text gzip-compressed as GitHub
    Pages sends it), the part under pagefind/, and what was loaded before typing."""
    got: list[tuple[str, int]] = []
    zipped: list[int] = []
    detail: list[tuple[str, int, int]] = []  # (path, as served, gzipped) of every response

    def on_response(response):
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            body = b""
        got.append((response.url, len(body)))
        kind = response.headers.get("content-type", "")
        zipped.append(len(gzip.compress(body, 6)) if kind.startswith(TEXT) else len(body))
        detail.append((response.url.split("/erfaringsbank/", 1)[-1], len(body), zipped[-1]))

    with serve(Path(site), prefix="erfaringsbank") as base, browser() as b:
        page = b.new_page()
        page.on("response", on_response)
        page.goto(base + "finn-eksempler/")
        page.wait_for_selector("#eb-finn[data-klar]", timeout=120000)
        page.wait_for_load_state("networkidle")
        before = sum(s for _, s in got)
        heading = page.locator("#eb-antall").text_content()
        page.fill("#eb-finn-q", query)
        page.wait_for_function(
            "([h, q]) => new URL(location.href).searchParams.get('q') === q"
            " && document.getElementById('eb-antall').textContent !== h", arg=[heading, query],
            timeout=120000)
        _settle(page, got)
        page.close()
    return {"total": sum(s for _, s in got), "total_gzip": sum(zipped),
            "pagefind": sum(s for u, s in got if "/pagefind/" in u),
            "before_query": before, "requests": len(got), "detail": detail}


def _settle(page, got: list, quiet: float = 1.0, limit: float = 60) -> None:
    """Wait until no new response arrived for `quiet` seconds (the result fragments)."""
    start, seen, since = time.monotonic(), len(got), time.monotonic()
    while time.monotonic() - start < limit:
        page.wait_for_timeout(100)
        if len(got) != seen:
            seen, since = len(got), time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def first_query_bytes(site: Path) -> int:
    return measure(site)["total"]


if __name__ == "__main__":
    result = measure(Path(sys.argv[1]), *(sys.argv[2:3] or [QUERY]))
    for path, served, zipped in result.pop("detail"):
        print(f"{served:>10,} {zipped:>10,}  {path[:90]}".replace(",", " "))
    for key, value in result.items():
        print(f"{key}: {value:,}".replace(",", " "))
