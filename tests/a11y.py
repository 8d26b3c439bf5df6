"""Accessibility harness: the page types we check, and axe-core run inside Chromium.

A new page type is one line in PAGE_TYPES: a name, the path in the fixture site, optionally a
JavaScript snippet that brings the page into the state to check (e.g. search filters open), and
the widths the lean matrix checks it at (default: desktop).

Two matrices (`matrix()`): the full one — every page type at every width in both palettes — when
ERFARINGSBANK_A11Y=full, or when the theme or any CSS differs from the base branch (what changes
how every page looks); otherwise the lean one: every page type once, in the light palette, at its
`lean` widths (the phone width too for the home page and the search page, and the phone menu only
at the phone width). ERFARINGSBANK_A11Y=lean forces the lean one.
"""
from __future__ import annotations

import os
import subprocess
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
    lean: tuple[str, ...] = ("desktop",)  # the widths of the lean matrix (the full: all WIDTHS)


# Waits until the search page has loaded Pagefind and shown its hits, then opens every facet.
OPEN_FILTERS = """async () => {
    const until = (ok) => new Promise((resolve, reject) => {
        const t0 = Date.now();
        (function poll() {
            if (ok()) resolve();
            else if (Date.now() - t0 > 15000) reject(new Error("søkesiden ble ikke klar"));
            else setTimeout(poll, 50);
        })();
    });
    await until(() => document.querySelector("#eb-finn[data-klar]")
                      && document.querySelector("#eb-treffliste .eb-treff"));
    document.querySelectorAll("#eb-fasetter details").forEach((d) => { d.open = true; });
}"""


OPEN_MENU = """async () => {
    document.querySelector(".eb-menyknapp").click();
    await new Promise((resolve) => setTimeout(resolve, 400));   // the drawer slides in in .25 s
    if (!document.getElementById("__drawer").checked) throw new Error("menyen ble ikke åpnet");
}"""


PAGE_TYPES = [
    PageType("forside", "", lean=("desktop", "mobil")),
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
    PageType("status", "status/"),                     # charts, map and tables (issue 3)
    # «Finn eksempler» with a query that has hits, one filter ticked and every facet open.
    PageType("sok-med-filtre", "finn-eksempler/?q=kafe&region=trondelag", prepare=OPEN_FILTERS,
             lean=("desktop", "mobil")),
    # The phone menu open (theme/assets/tilgjengelighet.js); on a wide screen the menu is always shown.
    PageType("meny-apen", "eksempler/tydal-kafe-posten/", prepare=OPEN_MENU, lean=("mobil",)),
]


# What makes the full matrix run: a change to how every page looks.
def _looks(path: str) -> bool:
    return path.startswith("theme/") or path.endswith(".css")


def matrix(environ=None, root: Path = ROOT) -> tuple[bool, str]:
    """(full?, why): the full matrix on request or when the theme or CSS changed, else lean."""
    env = os.environ if environ is None else environ
    asked = env.get("ERFARINGSBANK_A11Y", "").strip().lower()
    if asked in ("full", "lean"):
        return asked == "full", f"ERFARINGSBANK_A11Y={asked}"
    base = f"origin/{env['GITHUB_BASE_REF']}" if env.get("GITHUB_BASE_REF") else "origin/main"
    changed, problem = changed_files(root, base)
    if problem:
        return False, f"{problem}; tema og CSS antas uendret"
    looks = sorted(p for p in changed if _looks(p))
    if looks:
        more = f" og {len(looks) - 3} til" if len(looks) > 3 else ""
        return True, f"tema/CSS endret mot {base}: {', '.join(looks[:3])}{more}"
    return False, f"tema og CSS uendret mot {base}"


def changed_files(root: Path, base: str) -> tuple[set[str], str]:
    """Files that differ between the merge base of `base` and HEAD and the working tree, plus
    untracked ones (as `erfaringsbank check --changed` sees them); or why git cannot tell."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              timeout=60)
    try:
        top = git("rev-parse", "--show-toplevel")
    except (OSError, subprocess.SubprocessError):
        return set(), "git finnes ikke"
    if top.returncode != 0:
        return set(), "ikke i et git-arbeidstre"
    if git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}").returncode != 0:
        return set(), f"{base} finnes ikke i git"
    merge_base = git("merge-base", base, "HEAD")
    if merge_base.returncode != 0:
        return set(), f"ingen felles historie med {base}"
    top = top.stdout.strip()
    diff = git("-C", top, "diff", "--name-only", "-z", "--no-renames",
               merge_base.stdout.strip(), "--")
    new = git("-C", top, "ls-files", "-z", "--others", "--exclude-standard")
    if diff.returncode != 0 or new.returncode != 0:
        return set(), f"git diff mot {base} feilet"
    return {n for n in (diff.stdout + new.stdout).split("\0") if n}, ""


def cells(full: bool) -> list[tuple[PageType, str, str]]:
    """(page type, width, palette) checked by axe: all, or every page type at its lean widths."""
    if full:
        return [(pt, w, s) for pt in PAGE_TYPES for w in WIDTHS for s in SCHEMES]
    return [(pt, w, "light") for pt in PAGE_TYPES for w in pt.lean]


def open_page(browser_page, base: str, pt: PageType) -> None:
    response = browser_page.goto(base + pt.path)
    assert response is not None and response.ok, f"{pt.name}: {base + pt.path} svarte ikke"
    if pt.prepare:
        browser_page.evaluate(pt.prepare)


# The rules whose outcome depends on the colours. The dark palette changes only CSS custom
# properties (the DOM is identical), so in the dark palette only these are re-run.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


# Best-practice rules that are no WCAG criterion but tell a screen-reader user where they are:
# every landmark distinguishable by its name (the sidebar's «Om nettstedet» section and the
# footer's links were both «Om nettstedet»; two unnamed search forms), one main, one banner.
LANDMARK_RULES = ["landmark-unique", "landmark-one-main", "landmark-no-duplicate-banner",
                  "landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main"]


def run_axe(browser_page, colour_only: bool = False) -> dict:
    """axe-core's result for the page as it is now, limited to the WCAG 2.0/2.1 A and AA rules."""
    if not browser_page.evaluate("typeof window.axe !== 'undefined'"):
        # through DevTools, which the page's Content-Security-Policy does not govern (an
        # injected <script> element would be blocked, as any inline script is)
        browser_page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    only = {"type": "rule", "values": COLOUR_RULES} if colour_only else {"type": "tag", "values": WCAG_TAGS}
    extra = {} if colour_only else {rule: {"enabled": True} for rule in LANDMARK_RULES}
    return browser_page.evaluate(
        "([only, extra]) => axe.run(document, {runOnly: only, rules: extra, "
        "resultTypes: ['violations']})", [only, extra])


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} – {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)
