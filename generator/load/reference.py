"""Stage 0 of loading: reference data.

Kommuner, fylker and embeter come from package data (`generator/data/`, with SOURCES.md).
The 5 innsatsområder and 25 løsninger are content pages (`content/innsatsomrader/…`) whose front
matter is the data — so correcting a name or `verified` is a one-line change in that page.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path

from generator.base.errors import Collector
from generator.load.files import parse_document, read_text
from generator.model import Embete, Fylke, Innsatsomrade, Kommune, Losning, Reference
from generator.base.settings import Settings
from generator.load.yamlsafe import load_plain

INNSATSOMRADE_ORDER = ("et-aldersvennlig-norge", "aktivitet-og-fellesskap", "mat-og-maltider",
                       "helsehjelp", "sammenheng-i-tjenestene")


def data_path(name: str) -> Path:
    return Path(str(resources.files("generator") / "data" / name))


@lru_cache(maxsize=1)
def load_geography() -> tuple[dict[str, Kommune], dict[str, Fylke], dict[str, Embete]]:
    regioner = load_plain(data_path("regioner.yml").read_text(encoding="utf-8"))
    embeter = {e["slug"]: Embete(e["slug"], e["navn"], tuple(e["fylker"]))
               for e in regioner["embeter"]}
    embete_of = {nr: e.slug for e in embeter.values() for nr in e.fylker}
    fylker = {nr: Fylke(nr, navn, embete_of[nr]) for nr, navn in regioner["fylker"].items()}
    kommuner: dict[str, Kommune] = {}
    with data_path("kommuner-2021.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            nr = row["kommunenummer"]
            kommuner[nr] = Kommune(nr, row["navn"], nr[:2],
                                   tuple(n for n in row["andre_navn"].split(";") if n))
    return kommuner, fylker, embeter


def load_reference(settings: Settings, issues: Collector) -> Reference:
    kommuner, fylker, embeter = load_geography()
    base = settings.docs_dir / "innsatsomrader"
    innsatsomrader: dict[str, Innsatsomrade] = {}
    losninger: dict[str, Losning] = {}
    for io_slug in INNSATSOMRADE_ORDER:
        index = base / io_slug / "index.md"
        meta = _page_meta(settings, index, issues, "innsatsomrade", io_slug,
                          required=("navn", "mal"))
        if meta is None:
            continue
        los_slugs = []
        pages = sorted((base / io_slug).glob("*.md"), key=lambda p: (_order(p), p.name))
        for page in pages:
            if page.name == "index.md":
                continue
            lmeta = _page_meta(settings, page, issues, "losning", page.stem,
                               required=("navn", "verified"))
            if lmeta is None:
                continue
            verified = lmeta["verified"]
            if not isinstance(verified, bool):
                issues.error(settings.rel(page), 0, "«verified» må være true eller false",
                             "Skriv «verified: true» når navnet er sjekket mot meldingen.")
                continue
            losninger[page.stem] = Losning(page.stem, lmeta["navn"], io_slug, verified,
                                           lmeta.get("kilde"), _uri(settings, page))
            los_slugs.append(page.stem)
        kap = meta.get("kapittel")
        innsatsomrader[io_slug] = Innsatsomrade(
            io_slug, meta["navn"], int(kap) if str(kap).isdigit() else None, meta["mal"],
            meta.get("kilde"), _uri(settings, index), tuple(los_slugs))
    return Reference(kommuner, fylker, embeter, innsatsomrader, losninger)


def _order(path: Path) -> int:
    """The løsning's place in the white paper (`rekkefolge:`), read cheaply before parsing."""
    for line in path.read_text(encoding="utf-8-sig").splitlines()[:12]:
        if line.startswith("rekkefolge:") and line.split(":", 1)[1].strip().isdigit():
            return int(line.split(":", 1)[1])
    return 99


def _uri(settings: Settings, path: Path) -> str:
    return path.relative_to(settings.docs_dir).as_posix()


def _page_meta(settings: Settings, path: Path, issues: Collector, key: str, slug: str,
               required: tuple[str, ...]) -> dict | None:
    shown = settings.rel(path)
    text = read_text(path, shown, issues, missing=(
        "siden mangler", f"Opprett {shown} med front matter «{key}: {slug}»."))
    parsed = parse_document(text, shown, issues) if text is not None else None
    if parsed is None:
        return None
    meta = {k: v.value for k, v in parsed[1].items()}
    if meta.get(key) != slug:
        issues.error(shown, 1, f"front matter må ha «{key}: {slug}» (samme som filnavnet)",
                     f"Legg til linjen «{key}: {slug}».")
        return None
    missing = [k for k in required if meta.get(k) in (None, "")]
    for k in missing:
        issues.error(shown, 1, f"nøkkelen «{k}» mangler", f"Legg til «{k}:» i front matter.")
    return None if missing else meta
