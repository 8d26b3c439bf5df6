"""Accessibility harness: the page types we check, and axe-core run inside Chromium.

A new page type is one line in PAGE_TYPES: a name, the path in the fixture site, and optionally
a JavaScript snippet that brings the page into the state to check (e.g. search filters open).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": 1280, "mobil": 375}
SCHEMES = ("light", "dark")


@dataclass(frozen=True)
class PageType:
    name: str
    path: str            # relative to the site root, as a browser sees it
    prepare: str = ""    # JS run after load, before checking (open filters, expand …)


PAGE_TYPES = [
    PageType("forside", ""),
    PageType("eksempel", "eksempler/tydal-kafe-posten/"),
    PageType("eksempel-nynorsk", "eksempler/syntetisk-vestland-nynorsk/"),
    PageType("innsatsomrade", "innsatsomrader/aktivitet-og-fellesskap/"),
    PageType("losning", "innsatsomrader/helsehjelp/hverdagsmestring/"),
    PageType("region", "regioner/trondelag/"),
    PageType("regioner", "regioner/"),
    PageType("kommune", "kommuner/5033-tydal/"),
    PageType("kommuner", "kommuner/"),
    PageType("alle-eksempler", "alle-eksempler/"),
    PageType("reformen", "reformen/"),
    PageType("tilgjengelighet", "tilgjengelighet/"),
    PageType("404", "404.html"),
    # To add when it lands (issue 4):
    PageType("status", "status/"),                     # charts, map and tables (issue 3)
    # PageType("sok-med-filtre", "finn-eksempler/", prepare="<open the filter panel>"),
]


def open_page(browser_page, base: str, pt: PageType) -> None:
    response = browser_page.goto(base + pt.path)
    assert response is not None and response.ok, f"{pt.name}: {base + pt.path} svarte ikke"
    if pt.prepare:
        browser_page.evaluate(pt.prepare)


# The rules whose outcome depends on the colours. The dark palette changes only CSS custom
# properties (the DOM is identical), so in the dark palette only these are re-run.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def run_axe(browser_page, colour_only: bool = False) -> dict:
    """axe-core's result for the page as it is now, limited to the WCAG 2.0/2.1 A and AA rules."""
    if not browser_page.evaluate("typeof window.axe !== 'undefined'"):
        browser_page.add_script_tag(path=str(AXE))
    only = {"type": "rule", "values": COLOUR_RULES} if colour_only else {"type": "tag", "values": WCAG_TAGS}
    return browser_page.evaluate(
        "only => axe.run(document, {runOnly: only, resultTypes: ['violations']})", only)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} – {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)
