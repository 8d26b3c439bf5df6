"""The reference data: geography from the package (load/reference.py) and the 5 innsatsområder
and 25 løsninger from their content pages (`content/innsatsomrader/<område>/…`), whose front
matter is the data — so correcting a name or `verified` is a one-line change in that page.
These pages come by pull request too: their front matter is read with the shared field readers.
"""
from __future__ import annotations

from pathlib import Path

from generator.base.errors import Collector
from generator.base.settings import Settings
from generator.load.files import load_document
from generator.load.reference import load_geography
from generator.load.yamlsafe import Located
from generator.model import Innsatsomrade, Losning, Reference
from generator.validate.fields import Reader

INNSATSOMRADE_ORDER = ("et-aldersvennlig-norge", "aktivitet-og-fellesskap", "mat-og-maltider",
                       "helsehjelp", "sammenheng-i-tjenestene")
# Front matter the theme reads on any page (mkdocs and mkdocs-material).
PAGE_KEYS = ("title", "description", "hide", "search")
INNSATSOMRADE_KEYS = ("innsatsomrade", "navn", "alternativt_navn", "kapittel", "mal",
                      "kilde") + PAGE_KEYS
LOSNING_KEYS = ("losning", "rekkefolge", "navn", "verified", "kilde", "grunnlag") + PAGE_KEYS


def load_reference(settings: Settings, issues: Collector) -> Reference:
    kommuner, fylker, embeter = load_geography()
    base = settings.docs_dir / "innsatsomrader"
    innsatsomrader: dict[str, Innsatsomrade] = {}
    losninger: dict[str, Losning] = {}
    for io_slug in INNSATSOMRADE_ORDER:
        index = base / io_slug / "index.md"
        page = _page(settings, index, issues, "innsatsomrade", io_slug, INNSATSOMRADE_KEYS)
        if page is None:
            continue
        r, meta = page
        navn = r.text(meta.get("navn"), "navn", max_len=120, html=False)
        mal = r.text(meta.get("mal"), "mal", max_len=400, html=False)
        r.text(meta.get("alternativt_navn"), "alternativt_navn", max_len=120, html=False)
        r.integer(meta.get("kapittel"), "kapittel", low=1, high=99)
        r.url(meta.get("kilde"), "kilde")
        found = []
        for path in sorted((base / io_slug).glob("*.md")):
            if path.name == "index.md":
                continue
            lpage = _page(settings, path, issues, "losning", path.stem, LOSNING_KEYS)
            if lpage is None:
                continue
            lr, lmeta = lpage
            lnavn = lr.text(lmeta.get("navn"), "navn", max_len=160, html=False)
            order = lr.integer(lmeta.get("rekkefolge"), "rekkefolge", low=1, high=99)
            verified = lr.boolean(lmeta.get("verified"), "verified",
                                  "Skriv «verified: true» når navnet er sjekket mot meldingen.")
            kilde = lr.url(lmeta.get("kilde"), "kilde")
            # what an unconfirmed name is based on: one plain sentence for the public page
            grunnlag = lr.text(lmeta.get("grunnlag"), "grunnlag", max_len=300, html=False)
            if verified is False and not grunnlag and "grunnlag" not in lmeta:
                lr.err(lmeta["verified"].line, "en løsning med «verified: false» må ha «grunnlag»",
                       "Skriv én setning om hva navnet bygger på, for eksempel «grunnlag: Navnet "
                       "er hentet fra Helsedirektoratets gjennomføringsplan.» — eller bekreft "
                       "navnet mot meldingen og sett «verified: true».")
            if lr.errors == 0 and lnavn and verified is not None:
                found.append((order or 99, path.name, Losning(
                    path.stem, lnavn, io_slug, verified, kilde, _uri(settings, path), grunnlag)))
        found.sort(key=lambda t: t[:2])
        losninger.update((lo.slug, lo) for _, _, lo in found)
        if r.errors == 0 and navn and mal:
            innsatsomrader[io_slug] = Innsatsomrade(io_slug, navn, mal, _uri(settings, index),
                                                    tuple(lo.slug for _, _, lo in found))
    return Reference(kommuner, fylker, embeter, innsatsomrader, losninger)


def _uri(settings: Settings, path: Path) -> str:
    return path.relative_to(settings.docs_dir).as_posix()


def _page(settings: Settings, path: Path, issues: Collector, key: str, slug: str,
          allowed: tuple[str, ...]) -> tuple[Reader, dict[str, Located]] | None:
    shown = settings.rel(path)
    doc = load_document(path, shown, issues, missing=(
        "siden mangler", f"Opprett {shown} med front matter «{key}: {slug}»."))
    if doc is None:
        return None
    meta = doc.fields
    r = Reader(shown, issues)
    r.unknown_keys(meta, allowed, "i front matter")
    if meta.get(key) is None or meta[key].value != slug:
        r.err(meta[key].line if key in meta else 1,
              f"front matter må ha «{key}: {slug}» (samme som filnavnet)",
              f"Legg til linjen «{key}: {slug}».")
        return None
    required = ("navn", "mal") if key == "innsatsomrade" else ("navn", "verified")
    missing = [k for k in required if meta.get(k) is None or meta[k].value in (None, "")]
    for k in missing:
        r.err(meta[k].line if k in meta else 1, f"nøkkelen «{k}» mangler",
              f"Legg til «{k}:» i front matter.")
    return None if missing else (r, meta)
