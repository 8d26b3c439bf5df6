"""The guard: a built site without what only the erfaringsbank plugin makes must not be published.

An engine that does not run our plugin still builds the hand-written pages without a word of
warning — Zensical 0.1 skips plugins it does not know (docs/motor.md), and `mkdocs build` with
the plugin left out of the config builds too. Such a site has no example pages, no open data, no
feeds and no search. `missing_output(site)` lists in plain Norwegian what is missing; the build
and the workflows stop on any problem:

    python -m generator.publish.guard site/      # exit 0: OK · 1: problems (listed) · 2: usage

Reads only the built files: no mkdocs, no bank, no settings (it checks the output, whatever made
it). The names below are the ones the core writes (generator/exports, generator/pages,
generator/search); tests/test_guard.py builds a real site and one without the plugin.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

# Files only the plugin writes (generator/exports), and what they are, for the report.
EXPORTS = {
    "eksempler.json": "de åpne dataene som JSON",
    "eksempler.csv": "de åpne dataene som CSV",
    "eksempler-excel.csv": "de åpne dataene som CSV for Excel",
    "eksempler.schema.json": "skjemaet for eksempler.json",
    "datasett.jsonld": "beskrivelsen av de åpne dataene (DCAT-AP-NO)",
    "feed.xml": "nyhetsstrømmen (Atom) med de nyeste eksemplene",
}
# «Alle eksempler» is a generated page (the navigation names it; content/ has no such file).
ALL_EXAMPLES = "alle-eksempler/index.html"
# Markers in the HTML the core makes (generator/pages): the article of an example page, and the
# list section of a listing page. The theme alone never writes them.
EXAMPLE_MARK = b'<article class="eb-eksempel"'
LISTING_MARK = b'<section class="eb-eksempler"'
# Pagefind's bundle, written at the end of the build (generator/search).
PAGEFIND = ("pagefind/pagefind.js", "pagefind/pagefind-entry.json")
# Example pages read for the marker: enough to notice pages the core did not make, without
# reading thousands of files (every page's existence is checked).
SAMPLE = 25
SHOWN = 5  # missing example pages named in the report


def missing_output(site_dir: Path) -> list[str]:
    """What the built site at `site_dir` lacks of the plugin's output; [] when nothing does."""
    site = Path(site_dir)
    if not site.is_dir():
        return [f"Fant ikke det bygde nettstedet: {site} er ikke en mappe."]
    problems = [f"{name} mangler – {what}." for name, what in EXPORTS.items()
                if not (site / name).is_file()]
    slugs, data_problem = _example_slugs(site / "eksempler.json")
    if data_problem:
        problems.append(data_problem)
    if not (site / ALL_EXAMPLES).is_file():
        problems.append(f"Siden «Alle eksempler» ({ALL_EXAMPLES}) mangler.")
    elif LISTING_MARK not in (site / ALL_EXAMPLES).read_bytes():
        problems.append(f"Siden «Alle eksempler» ({ALL_EXAMPLES}) har ingen eksempelliste; "
                        "den er ikke laget av erfaringsbank.")
    if slugs:
        problems += _example_pages(site, slugs)
    problems += _search_bundle(site, len(slugs) if slugs else 0)
    if problems:
        problems.append("Dette er ikke et nettsted bygget av erfaringsbank: tillegget "
                        "«erfaringsbank» i site_config.yml kjørte ikke (eller feilet). Bygg med "
                        "«erfaringsbank build» (eller «mkdocs build -f site_config.yml» med "
                        "tillegget installert), ikke med en annen motor; se docs/motor.md.")
    return problems


def _example_slugs(path: Path) -> tuple[list[str] | None, str | None]:
    """The examples eksempler.json lists (None if it is missing or unreadable), or a problem."""
    if not path.is_file():
        return None, None  # reported with the other missing files
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        slugs = [str(e["slug"]) for e in data["eksempler"]]
    except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
        return None, f"eksempler.json kan ikke leses som erfaringsbankens data ({exc})."
    if data.get("antall") != len(slugs):
        return slugs, (f"eksempler.json sier «antall: {data.get('antall')}», men lister "
                       f"{len(slugs)} eksempler.")
    return slugs, None


def _example_pages(site: Path, slugs: list[str]) -> list[str]:
    pages = [site / "eksempler" / slug / "index.html" for slug in slugs]
    absent = [p for p in pages if not p.is_file()]
    problems = []
    if absent:
        named = ", ".join(str(p.relative_to(site)) for p in absent[:SHOWN])
        more = f" og {len(absent) - SHOWN} til" if len(absent) > SHOWN else ""
        problems.append(f"{len(absent)} av {len(pages)} eksempelsider mangler: {named}{more}.")
    gone = set(absent)
    present = [p for p in pages if p not in gone]
    step = max(1, len(present) // SAMPLE)
    unmarked = [p for p in present[::step][:SAMPLE + 1] if EXAMPLE_MARK not in p.read_bytes()]
    if unmarked:
        problems.append(f"{len(unmarked)} eksempelsider er ikke laget av erfaringsbank (uten "
                        f"<article class=\"eb-eksempel\">), f.eks. "
                        f"{unmarked[0].relative_to(site)}.")
    return problems


def _search_bundle(site: Path, examples: int) -> list[str]:
    absent = [name for name in PAGEFIND if not (site / name).is_file()]
    if absent:
        return [f"Søkeindeksen (Pagefind) mangler: {', '.join(absent)}. Uten den virker verken "
                "«Finn eksempler» eller søkefeltet."]
    try:
        entry = json.loads((site / PAGEFIND[1]).read_text(encoding="utf-8"))
        pages = sum(int(lang["page_count"]) for lang in entry["languages"].values())
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError) as exc:
        return [f"{PAGEFIND[1]} kan ikke leses ({exc})."]
    if pages < max(examples, 1):
        return [f"Søkeindeksen (Pagefind) har {pages} sider, men nettstedet har {examples} "
                "eksempler; alle eksempelsider skal være søkbare."]
    return []


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    usage = "Bruk: python -m generator.publish.guard MAPPE   (det bygde nettstedet, f.eks. site/)"
    if args in (["-h"], ["--help"]):
        print(usage + "\nAvslutningskoder: 0 i orden · 1 noe mangler (listet) · 2 feil bruk.")
        return 0
    if len(args) != 1 or args[0].startswith("-"):
        print(usage, file=sys.stderr)
        return 2
    problems = missing_output(Path(args[0]))
    if problems:
        print(f"Nettstedet i {args[0]} skal ikke publiseres:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"OK: {args[0]} har eksempelsidene, de åpne dataene, nyhetsstrømmen og søkeindeksen.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
