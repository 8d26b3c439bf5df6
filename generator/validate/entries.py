"""Validate raw entries against the entry format and the reference data.

Every problem is collected (never only the first), with file, line, what is wrong and how to
fix it. `check` and `build` run exactly this code. The fields are read with the shared field
readers (fields.py); the body is rendered first (a pure function, render/markdown.py) and the
links and images it holds are checked here afterwards.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import re
import stat
from pathlib import Path
from urllib.parse import unquote

from generator.base.errors import Collector
from generator.base.settings import Settings
from generator.base.text import BAD_CHARS, fold, is_slug
from generator.load.files import IMAGE_SUFFIXES, RawEntry
from generator.load.limits import MAX_HTML_TAGS, markdown_depth_problem
from generator.load.tree import link_targets_stamp
from generator.model import (LANGUAGES, PRIS_PLASSERINGER, STATUSES, Example, Kommune, Pris,
                             Reference, urls)
from generator.render.markdown import Ref, Rendered, TooComplex, render_markdown, with_targets
from generator.validate.fields import Reader, fields, suggest
from generator.validate.kommuner import KommuneIndex
from generator.validate.safety import body_safety, named_health, personal_data

REQUIRED = ("tittel", "kommuner", "sammendrag", "status", "publisert", "sprak", "kilder")
OPTIONAL = ("innsatsomrader", "losninger", "ar", "oppdatert", "kontakt", "pris", "syntetisk")
FIRST_YEAR = 1990  # «ar»: the year the example is from (the reform's roots go back a while)
PRIS_YEARS = (2019, 2023)  # the years the Leve hele livet-prisen was awarded
KNOWN = REQUIRED + OPTIONAL
MAX_TITLE, MAX_SUMMARY, MAX_CONTACT = 120, 300, 200
MIN_BODY_CHARS = 20
MAX_IMAGE_BYTES = 1024 * 1024

__all__ = ["EntryValidator", "KommuneIndex", "validate_bank", "duplicate_titles", "KNOWN"]


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(_resolved(folder))
        return True
    except ValueError:
        return False


def _size(path: Path) -> int | None:
    """The size of a regular file; None if there is none — also for a name the system refuses
    (too long: «File name too long» was an internal error)."""
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


@functools.lru_cache(maxsize=16)
def _resolved(folder: Path) -> Path:
    """The bank and content folders, resolved once (not once per link: thousands of links in
    one body made `check` spend seconds in realpath)."""
    return folder.resolve()


class EntryValidator:
    def __init__(self, settings: Settings, ref: Reference, issues: Collector,
                 known_slugs: set[str] = frozenset(), pages: bool = True):
        # pages=False (`check` of a large bank): the body HTML is made only to check its links
        # and images and then dropped, so the heading ids (for the page) are not added.
        self.pages = pages
        self.settings, self.ref, self.issues = settings, ref, issues
        self.kommuner = KommuneIndex(ref)
        self.known_slugs = known_slugs

    def validate(self, entry: RawEntry, issues: Collector | None = None) -> Example | None:
        """The entry as an Example, or None; its problems go to `issues` (default: the
        validator's collector)."""
        r = Reader(entry.shown, self.issues if issues is None else issues)
        if not is_slug(entry.slug):
            r.err(0, f"filnavnet «{entry.path.name}» er ikke en gyldig slug",
                  "Bruk bare små bokstaver a–z, tall og bindestrek, f.eks. "
                  "«tydal-kafe-posten.md» (æ→ae, ø→o, å→a).")
        meant = set(r.unknown_keys(entry.fields, KNOWN, ""))
        for key in REQUIRED:
            if key in meant and key not in entry.fields:
                continue  # «kommune:» for «kommuner:» is one mistake, reported once
            if key not in entry.fields:
                r.err(1, f"nøkkelen «{key}» mangler", _HOW_TO[key])
            elif entry.fields[key].value is None:
                r.err(entry.fields[key].line, f"«{key}» er tom", _HOW_TO[key])
        # `flagged`: the loader already reported these keys (YAML 1.1 trap); such an entry
        # never becomes an Example, and the keys are not reported twice
        f = {k: v for k, v in entry.fields.items() if k not in entry.flagged}
        tittel = r.text(f.get("tittel"), "tittel", max_len=MAX_TITLE, html=False,
                        empty_hint=_HOW_TO["tittel"])
        sammendrag = r.text(f.get("sammendrag"), "sammendrag", max_len=MAX_SUMMARY, html=False,
                            empty_hint=_HOW_TO["sammendrag"])
        kontakt = r.text(f.get("kontakt"), "kontakt", max_len=MAX_CONTACT, required=False)
        kommuner = self._kommuner(r, f)
        innsats, losninger = self._tags(r, f, entry)
        status = r.choice(f.get("status"), "status", STATUSES)
        sprak = r.choice(f.get("sprak"), "sprak", LANGUAGES)
        publisert = r.date(f.get("publisert"), "publisert", not_after=self.settings.today)
        oppdatert = r.date(f.get("oppdatert"), "oppdatert", not_after=self.settings.today)
        if publisert and oppdatert and oppdatert < publisert:
            r.err(f["oppdatert"].line, "«oppdatert» er før «publisert»",
                  "Oppdatert-datoen må være samme dag som eller etter publiseringsdatoen.")
        kilder = r.sources(f.get("kilder"), empty_hint=_HOW_TO["kilder"])
        ar = r.integer(f.get("ar"), "ar", low=FIRST_YEAR, high=self.settings.today.year,
                       hint="Året eksemplet gjelder, slik kilden sier det, for eksempel «ar: 2021».")
        pris = self._pris(r, f.get("pris"))
        synthetic = r.boolean(f.get("syntetisk"), "syntetisk",
                              "Nøkkelen brukes bare av testdata; slett den i ekte eksempler.")
        body = entry.body.strip()
        if len(body) < MIN_BODY_CHARS:
            r.err(entry.body_line, "brødteksten (etter front matter) er tom eller for kort",
                  "Beskriv hva kommunen gjorde, hvordan, og hva de har fått til.")
        rendered = self._render(r, entry, body)
        body_safety(r, entry.body, entry.body_line,
                    rendered.external_images if rendered is not None else ())
        personal_data(r, entry.body, entry.body_line,
                      (entry.fields["kontakt"].line, kontakt) if kontakt else None)
        named_health(r, entry.body, entry.body_line)
        body_html, images = "", []
        if rendered is not None:
            targets, images = self._targets(r, entry, rendered)
            body_html = with_targets(rendered, targets)
        if entry.flagged or r.errors:
            return None
        return Example(
            slug=entry.slug, path=entry.shown, tittel=tittel, kommuner=tuple(kommuner),
            innsatsomrader=innsats, losninger=losninger, sammendrag=sammendrag, status=status,
            publisert=publisert, oppdatert=oppdatert, sprak=sprak, kilder=kilder,
            kontakt=kontakt, body_html=body_html, synthetic=synthetic is True,
            images=tuple(images), pris=pris, ar=ar)

    # -- the body's links and images -----------------------------------------------------------

    def _render(self, r: Reader, entry: RawEntry, body: str) -> Rendered | None:
        """The body rendered, or None (empty, or over a limit: load/limits.py). The limits are
        checked before the sanitiser sees the body, whose time grows with elements × depth."""
        if not body:
            return None
        problem = markdown_depth_problem(entry.body, entry.body_line)
        if problem is not None:
            r.err(*problem)
            return None
        try:
            return render_markdown(body, headings=self.pages, max_tags=MAX_HTML_TAGS)
        except TooComplex as exc:
            r.err(entry.body_line, f"teksten blir til {exc.tags} HTML-elementer (avsnitt, "
                  f"listepunkter, lenker, tabellceller …); høyst {exc.limit} er tillatt",
                  "Kort ned teksten, eller del eksemplet i flere. Et eksempel har sjelden mer "
                  "enn noen hundre.")
            return None

    def _targets(self, r: Reader, entry: RawEntry, rendered: Rendered
                 ) -> tuple[dict[Ref, str | None], list[str]]:
        """Where each relative link and image of the body goes on the site (None: reported).
        They resolve from the entry file's place in the repository, exactly as they do when the
        file is viewed on GitHub."""
        settings = self.settings
        src = urls.example_uri(entry.slug)
        targets: dict[Ref, str | None] = {}
        images: list[str] = []
        lines = _Lines(entry.body, entry.body_line)
        for ref in rendered.refs:
            path, _, fragment = ref.url.partition("#")
            line = lines.of(path or ref.url)
            if BAD_CHARS.search(unquote(path)):  # «%00» and the like: no file has such a name
                targets[ref] = None
                what = "bildet" if ref.kind == "img" else "lenken"
                r.err(line, f"{what} «{_shown_url(ref.url)}» inneholder et kontrolltegn",
                      "Skriv adressen på nytt, uten %00 og lignende.")
                continue
            target = (entry.path.parent / unquote(path)).resolve()
            if ref.kind == "img":
                targets[ref] = self._image(r, line, path, target, images, src)
                continue
            targets[ref] = None
            if target.suffix != ".md":
                r.err(line, f"lenken «{_shown_url(ref.url)}» peker ikke på en side (.md)",
                      "Lenk til et annet eksempel (navn.md) eller en side i content/, "
                      "eller bruk en full https://-adresse.")
            elif _inside(target, settings.bank_dir) and target.stem in self.known_slugs:
                targets[ref] = urls.href(src, urls.example_uri(target.stem), fragment)
            elif _inside(target, settings.docs_dir) and _size(target) is not None:
                targets[ref] = urls.href(src, target.relative_to(settings.docs_dir).as_posix(),
                                         fragment)
            else:
                r.err(line, f"lenken «{_shown_url(ref.url)}» peker på en side som ikke finnes",
                      "Sjekk filnavnet. Lenker regnes fra eksempelfilens plass: et annet eksempel "
                      "er «navn.md», en innholdsside er «../content/…/side.md».")
        return targets, images

    def _image(self, r: Reader, line, path, target, images, src) -> str | None:
        bank = self.settings.bank_dir
        if target.suffix.lower() == ".svg":
            # Refused, not sanitised: an SVG opened from the site's own origin runs its scripts,
            # and on GitHub Pages that origin is shared by every project site of the organisation
            # (a script there can read or change what those sites store). A PNG or WebP cannot.
            r.err(line, f"bildet «{_shown_url(path)}» er en SVG-fil, som ikke er tillatt (den kan "
                  "inneholde skript)", "Lagre bildet som PNG eller WebP (i de fleste tegne- og "
                  "kartprogrammer: Eksporter) og lenk til den filen.")
            return None
        if not _inside(target, bank) or target.suffix.lower() not in IMAGE_SUFFIXES:
            r.err(line, f"bildet «{_shown_url(path)}» må ligge i examples_bank/ og være "
                  "jpg, png, webp eller gif", "Legg bildet i examples_bank/bilder/.")
            return None
        size = _size(target)
        if size is None:
            r.err(line, f"bildet «{_shown_url(path)}» finnes ikke",
                  "Sjekk filnavnet (store og små bokstaver teller) og at bildet er lagt til.")
            return None
        if size > MAX_IMAGE_BYTES:
            r.err(line, f"bildet «{_shown_url(path)}» er {size // 1024} kB; høyst "
                  f"{MAX_IMAGE_BYTES // 1024} kB er tillatt",
                  "Gjør bildet mindre (for eksempel 1600 piksler bredt, JPEG-kvalitet 80).")
            return None
        rel = target.relative_to(bank).as_posix()
        images.append(rel)
        return urls.href(src, urls.example_file(rel))

    # -- tags ----------------------------------------------------------------------------------

    def _pris(self, r: Reader, loc) -> Pris | None:
        """`pris: {ar: 2022, plassering: finalist}` — the kommune's place in a year's round of
        the Leve hele livet-prisen (vinner, finalist or nominert)."""
        if loc is None or loc.value is None:
            return None
        if not isinstance(loc.value, dict):
            r.err(loc.line, "«pris» skal ha «ar» og «plassering»",
                  "Skriv for eksempel «pris: {ar: 2019, plassering: vinner}».")
            return None
        parts = fields(loc)
        r.unknown_keys(parts, ("ar", "plassering"), "i «pris»")
        ar = r.integer(parts.get("ar"), "ar", low=PRIS_YEARS[0], high=PRIS_YEARS[1],
                       hint="Prisen ble delt ut i 2019–2023: skriv året kommunen var med.")
        plassering = r.choice(parts.get("plassering"), "plassering", PRIS_PLASSERINGER)
        if "ar" not in parts or "plassering" not in parts:
            r.err(loc.line, "«pris» mangler «ar» eller «plassering»",
                  "Skriv for eksempel «pris: {ar: 2019, plassering: vinner}».")
            return None
        return Pris(ar, plassering) if ar is not None and plassering else None

    def _kommuner(self, r: Reader, f) -> list[Kommune]:
        loc = f.get("kommuner")
        values = r.listing(loc, "kommuner")
        if loc is not None and isinstance(loc.value, list) and not values:
            r.err(loc.line, "«kommuner» er tom", "Oppgi minst én kommune.")
        found: list[Kommune] = []
        for item in values:
            if not isinstance(item.value, str):
                r.err(item.line, f"«kommuner» inneholder {item.value!r}, ikke et navn",
                      "Skriv kommunenavn eller kommunenummer.")
                continue
            name = r.text(item, "kommuner")
            if name is None:
                continue
            k, msg, hint = self.kommuner.resolve(name)
            if k is None:
                r.err(item.line, msg, hint)
            elif k not in found:
                found.append(k)
        return found

    def _tags(self, r: Reader, f, entry: RawEntry) -> tuple[tuple[str, ...], tuple[str, ...]]:
        ref = self.ref
        io_loc, lo_loc = f.get("innsatsomrader"), f.get("losninger")
        io_values = r.listing(io_loc, "innsatsomrader")
        lo_values = r.listing(lo_loc, "losninger")
        io = self._slugs(r, "innsatsomrader", io_values, ref.innsatsomrader)
        lo = self._slugs(r, "losninger", lo_values, ref.losninger)
        # A løsning implies its innsatsområde: it is derived, never required twice.
        implied = {ref.losninger[s].innsatsomrade for s in lo}
        io_all = tuple(s for s in ref.innsatsomrader if s in io or s in implied)
        if not io_all and not (io_values or lo_values) and "innsatsomrader" in entry.fields:
            r.err(io_loc.line if io_loc else 1, "oppgi minst ett innsatsområde",
                  "Gyldige: " + ", ".join(ref.innsatsomrader) + ".")
        elif not io_all and "innsatsomrader" not in entry.fields \
                and "losninger" not in entry.fields:
            r.err(1, "nøkkelen «innsatsomrader» mangler", _HOW_TO["innsatsomrader"])
        lo_sorted = tuple(s for s in ref.losninger if s in lo)
        return io_all, lo_sorted

    def _slugs(self, r: Reader, key: str, values, valid: dict) -> list[str]:
        out = []
        for item in values:
            value = item.value
            if not isinstance(value, str) or value not in valid:
                hint = suggest(str(value), valid)
                r.err(item.line, f"ukjent {_LABEL[key]} «{value}»",
                      (hint + " " if hint else "") + "Gyldige verdier: " + ", ".join(valid) + ".")
            elif value not in out:
                out.append(value)
        return out


_LABEL = {"innsatsomrader": "innsatsområde", "losninger": "løsning"}


class _Lines:
    """The line of each link as written in the body: its first occurrence after the previous
    link's (links come in document order), else its first occurrence, else the body's first line.
    Linear in the body for all its links together (a line-by-line search per link was quadratic
    for a body of thousands of links)."""

    def __init__(self, body: str, first_line: int):
        self.body, self.first_line, self.pos = body, first_line, 0
        self.starts: list[int] | None = None

    def of(self, needle: str) -> int:
        at = self.body.find(needle, self.pos) if needle else -1
        if at < 0 and needle:
            at = self.body.find(needle)
        if at < 0:
            return self.first_line
        self.pos = at
        if self.starts is None:
            self.starts = [m.start() for m in re.finditer("\n", self.body)]
        return self.first_line + bisect.bisect_left(self.starts, at)


def _shown_url(url: str) -> str:
    url = BAD_CHARS.sub("?", url)
    return url if len(url) <= 80 else url[:77] + "…"


_HOW_TO = {
    "tittel": "Legg til «tittel: Kort, beskrivende tittel».",
    "kommuner": "Legg til «kommuner: [Tydal]» — navn eller kommunenummer.",
    "innsatsomrader": "Legg til «innsatsomrader: [aktivitet-og-fellesskap]».",
    "sammendrag": "Legg til «sammendrag: Én til tre setninger.»",
    "status": "Legg til «status: gjennomfort» (planlagt, igangsatt eller gjennomfort).",
    "publisert": "Legg til «publisert: 2021-12-01».",
    "sprak": "Legg til «sprak: nb» (bokmål) eller «sprak: nn» (nynorsk).",
    "kilder": "Legg til minst én kilde:\n      kilder:\n        - tittel: Hvor eksemplet er "
              "beskrevet\n          url: https://…",
}


def validate_bank(settings: Settings, ref: Reference, entries: list[RawEntry],
                  issues: Collector, known_slugs: set[str] | None = None,
                  cache=None) -> list[Example]:
    """`known_slugs`: every example slug in the bank, when `entries` is only a part of it."""
    validator = EntryValidator(settings, ref, issues,
                               {e.slug for e in entries} | (known_slugs or set()))
    if cache is not None:  # incremental.EntryCache (serve): unchanged entries are reused
        cache.begin(ref, frozenset(validator.known_slugs), settings.today,
                    link_targets_stamp(settings))
    examples = []
    seen_slug: dict[str, RawEntry] = {}
    for entry in entries:
        if entry.slug in seen_slug:
            issues.error(entry.shown, 0, f"slugen «{entry.slug}» er brukt av "
                         f"{seen_slug[entry.slug].shown} også",
                         "Gi filen et annet navn; filnavnet blir adressen til siden.")
            continue
        seen_slug[entry.slug] = entry
        ex = validator.validate(entry) if cache is None else cache.validate(validator, entry)
        if ex is not None:
            examples.append(ex)
    duplicate_titles(examples, issues)
    return examples


def duplicate_titles(examples: list[Example], issues: Collector) -> None:
    seen_title: dict[tuple, Example] = {}
    for ex in sorted(examples, key=lambda e: e.path):
        key = (fold(ex.tittel), frozenset(k.nummer for k in ex.kommuner))
        if key in seen_title:
            issues.error(ex.path, 0, f"samme tittel og kommune som {seen_title[key].path} "
                         "(mulig duplikat)", "Slå sammen de to eksemplene, eller gi dem "
                         "titler som sier hva som skiller dem.")
        else:
            seen_title[key] = ex
