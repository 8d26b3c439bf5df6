"""Stage 2: validate raw entries against the entry format and the reference data.

Every problem is collected (never only the first), with file, line, what is wrong and how to
fix it. `check` and `build` run exactly this code.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from pathlib import Path
from html import unescape
from urllib.parse import unquote
from typing import Any

from generator.base.errors import Collector
from generator.model import urls
from generator.load.files import IMAGE_SUFFIXES, RawEntry
from generator.model import LANGUAGES, STATUSES, Example, Kilde, Kommune, Reference
from generator.render.markdown import markdown_to_html
from generator.base.settings import Settings
from generator.base.text import fold, is_slug
from generator.load.yamlsafe import Located

REQUIRED = ("tittel", "kommuner", "sammendrag", "status", "publisert", "sprak", "kilder")
OPTIONAL = ("innsatsomrader", "losninger", "oppdatert", "kontakt", "syntetisk")
KNOWN = REQUIRED + OPTIONAL
MAX_TITLE, MAX_SUMMARY, MAX_CONTACT = 120, 300, 200
MIN_BODY_CHARS = 20

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<![\d-])(?:\+47[ ]?)?(?:\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}|\d{3}[ ]?\d{2}[ ]?\d{3})(?![\d-])")
# Necessary for a _PHONE match (8 digits, single spaces between): a cheap first pass that lets the
# regex engine skip ahead to digits, where _PHONE's leading look-behind cannot.
_PHONE_HINT = re.compile(r"\d[ ]?\d[ ]?\d[ ]?\d[ ]?\d[ ]?\d[ ]?\d[ ]?\d")
_HTML_IN_TEXT = re.compile(r"[<>]|&[#a-zA-Z0-9]+;")
_DANGEROUS_HTML = re.compile(r"<\s*(script|iframe|object|embed|style|form|input|button|link|meta|base|svg|math)\b", re.I)
_EVENT_ATTR = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
# The same after entities are decoded and control characters and spaces removed, as browsers
# do (jav&#x09;ascript:, &#106;avascript:, reference definitions «[x]: javascript:…»).
_BAD_SCHEME_PLAIN = re.compile(r"(?:\]\(<?|\]:<?|(?:href|src|srcset|poster|action)=[\"']?)"
                               r"(javascript|vbscript|data|file):", re.I)
_BAD_SCHEME = re.compile(r"(?:\]\(\s*<?|\b(?:href|src)\s*=\s*[\"']?)\s*(javascript|vbscript|data|file):", re.I)


_HTTP_URL = re.compile(r"^https?://[^\s/$.?#\"<>\\^`{|}][^\s\"<>\\^`{|}]*$")
MAX_IMAGE_BYTES = 1024 * 1024
_NO_ALT = re.compile(r"!\[\s*\]\(|<img\b(?![^>]*\balt\s*=\s*(?:[\"'][^\"'\s]|[^\s\"'>]))[^>]*>",
                     re.I)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder.resolve())
        return True
    except ValueError:
        return False


class KommuneIndex:
    """Resolves what contributors type — «Tydal», «5033», «Herøy (Nordland)» — to a Kommune."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.by_name: dict[str, list[Kommune]] = defaultdict(list)
        for k in ref.kommuner.values():
            for name in (k.navn, *k.andre_navn):
                self.by_name[fold(name)].append(k)
        self.display = {fold(k.navn): k.navn for k in ref.kommuner.values()}

    def resolve(self, raw: str) -> tuple[Kommune | None, str, str]:
        """(kommune, message, hint); message is empty on success."""
        text = raw.strip()
        if re.fullmatch(r"\d{4}", text):
            k = self.ref.kommuner.get(text)
            if k:
                return k, "", ""
            return None, f"kommunenummeret «{text}» finnes ikke (2020–2023)", \
                "Slå opp nummeret i SSBs liste over kommuner, eller skriv navnet."
        m = re.fullmatch(r"(.+?)\s*[(,]\s*([^()]+?)\s*\)?", text)
        name, fylke = (m.group(1), m.group(2)) if m else (text, None)
        hits = self.by_name.get(fold(name), [])
        if fylke is not None:
            hits = [k for k in hits if fold(self.ref.fylker[k.fylke].navn) == fold(fylke)]
        if len(hits) == 1:
            return hits[0], "", ""
        if len(hits) > 1:
            options = ", ".join(f"{k.nummer} ({self.ref.fylker[k.fylke].navn})" for k in hits)
            return None, f"kommunenavnet «{text}» finnes i flere fylker", \
                f"Skriv kommunenummeret: {options} — eller navn og fylke, f.eks. " \
                f"«{hits[0].navn} ({self.ref.fylker[hits[0].fylke].navn})»."
        close = difflib.get_close_matches(fold(name), list(self.display), n=3, cutoff=0.75)
        hint = ("Mente du " + " eller ".join(f"«{self.display[c]}»" for c in close) + "?"
                if close else "Bruk kommunens navn eller firesifrede kommunenummer fra 2020–2023.")
        return None, f"ukjent kommune «{text}»", hint


def suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"Mente du «{close[0]}»?" if close else ""


class EntryValidator:
    def __init__(self, settings: Settings, ref: Reference, issues: Collector,
                 known_slugs: set[str] = frozenset(), pages: bool = True):
        # pages=False (`check` of a large bank): the body HTML is made only to check its links
        # and images and then dropped, so the heading ids (for the page) are not added.
        self.pages = pages
        self.settings, self.ref, self.issues = settings, ref, issues
        self.kommuner = KommuneIndex(ref)
        self.known_slugs = known_slugs

    # -- helpers -----------------------------------------------------------------------------
    def err(self, entry: RawEntry, line: int, msg: str, hint: str = "") -> None:
        self.issues.error(entry.shown, line, msg, hint)

    def text(self, entry: RawEntry, key: str, max_len: int | None = None,
             required: bool = True) -> str | None:
        loc = entry.fields.get(key)
        if loc is None or loc.value is None or key in entry.flagged:
            return None
        if isinstance(loc.value, (list, dict)):
            self.err(entry, loc.line, f"«{key}» skal være én tekst, ikke en "
                     f"{'liste' if isinstance(loc.value, list) else 'tabell'}",
                     f"Skriv «{key}: din tekst» på én linje.")
            return None
        if not isinstance(loc.value, str):
            self.err(entry, loc.line, f"«{key}» skal være tekst (fant {loc.value!r})",
                     f"Sett verdien i anførselstegn: {key}: \"…\"")
            return None
        value = " ".join(loc.value.split())
        if required and not value:
            self.err(entry, loc.line, f"«{key}» er tom", _HOW_TO.get(key, f"Skriv inn {key}."))
            return None
        if max_len and len(value) > max_len:
            self.err(entry, loc.line, f"«{key}» er {len(value)} tegn; høyst {max_len} er tillatt",
                     "Kort ned teksten; detaljene hører hjemme i brødteksten.")
        return value

    def listing(self, entry: RawEntry, key: str) -> tuple[list[Any], Located | None]:
        loc = entry.fields.get(key)
        if loc is None or loc.value is None or key in entry.flagged:
            return [], loc
        if isinstance(loc.value, str):
            self.err(entry, loc.line, f"«{key}» skal være en liste, ikke en enkelt tekst",
                     f"Skriv {key}: [{loc.value}] — med hakeparenteser.")
            return [], loc
        if not isinstance(loc.value, list):
            self.err(entry, loc.line, f"«{key}» skal være en liste", f"Skriv {key}: [a, b].")
            return [], loc
        return loc.value, loc

    def date(self, entry: RawEntry, key: str) -> dt.date | None:
        loc = entry.fields.get(key)
        if loc is None or loc.value is None or key in entry.flagged:
            return None
        raw = str(loc.value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            self.err(entry, loc.line, f"«{key}: {raw}» er ikke en dato på formen ÅÅÅÅ-MM-DD",
                     f"Skriv for eksempel «{key}: 2021-12-01».")
            return None
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            self.err(entry, loc.line, f"«{key}: {raw}» er en dato som ikke finnes",
                     "Måned 01–12 og en dag som finnes i måneden, f.eks. 2021-12-01.")
            return None
        if value > self.settings.today:
            self.err(entry, loc.line, f"«{key}: {raw}» ligger i framtiden",
                     "Bruk datoen eksemplet ble publisert eller oppdatert, ikke en planlagt dato.")
            return None
        return value

    # -- the entry ---------------------------------------------------------------------------
    def validate(self, entry: RawEntry) -> Example | None:
        before = len(self.issues.issues)
        if not is_slug(entry.slug):
            self.err(entry, 0, f"filnavnet «{entry.path.name}» er ikke en gyldig slug",
                     "Bruk bare små bokstaver a–z, tall og bindestrek, f.eks. "
                     "«tydal-kafe-posten.md» (æ→ae, ø→o, å→a).")
        meant = set()
        for key, loc in entry.fields.items():
            if key not in KNOWN:
                hint = suggest(key, KNOWN) or "Gyldige nøkler: " + ", ".join(KNOWN) + "."
                meant.update(difflib.get_close_matches(key, KNOWN, n=1, cutoff=0.6))
                self.err(entry, loc.line, f"ukjent nøkkel «{key}»", hint)
        for key in REQUIRED:
            if key in meant and key not in entry.fields:
                continue  # «kommune:» for «kommuner:» is one mistake, reported once
            if key not in entry.fields:
                self.err(entry, 1, f"nøkkelen «{key}» mangler", _HOW_TO[key])
            elif entry.fields[key].value is None:
                self.err(entry, entry.fields[key].line, f"«{key}» er tom", _HOW_TO[key])

        tittel = self.text(entry, "tittel", MAX_TITLE)
        sammendrag = self.text(entry, "sammendrag", MAX_SUMMARY)
        kontakt = self.text(entry, "kontakt", MAX_CONTACT, required=False)
        for key, value in (("tittel", tittel), ("sammendrag", sammendrag)):
            if value and _HTML_IN_TEXT.search(value):
                self.err(entry, entry.fields[key].line, f"«{key}» kan ikke inneholde HTML "
                         "(tegnene < og > eller &…;)", "Skriv vanlig tekst.")
        kommuner = self._kommuner(entry)
        innsats, losninger = self._tags(entry)
        status = self._choice(entry, "status", STATUSES)
        sprak = self._choice(entry, "sprak", LANGUAGES)
        publisert = self.date(entry, "publisert")
        oppdatert = self.date(entry, "oppdatert")
        if publisert and oppdatert and oppdatert < publisert:
            self.err(entry, entry.fields["oppdatert"].line, "«oppdatert» er før «publisert»",
                     "Oppdatert-datoen må være samme dag som eller etter publiseringsdatoen.")
        kilder = self._kilder(entry)
        synthetic = entry.fields.get("syntetisk")
        if synthetic is not None and not isinstance(synthetic.value, bool):
            self.err(entry, synthetic.line, "«syntetisk» må være true eller false",
                     "Nøkkelen brukes bare av testdata; slett den i ekte eksempler.")
        body = entry.body.strip()
        if len(body) < MIN_BODY_CHARS:
            self.err(entry, entry.body_line, "brødteksten (etter front matter) er tom eller for kort",
                     "Beskriv hva kommunen gjorde, hvordan, og hva de har fått til.")
        self._body_safety(entry)
        self._personal_data(entry, kontakt)
        images: list[str] = []
        body_html = markdown_to_html(body, self._resolver(entry, images),
                                     headings=self.pages) if body else ""
        if entry.flagged or (len(self.issues.issues) != before and any(
                i.is_error for i in self.issues.issues[before:])):
            # `flagged`: the loader already reported an error for this entry (YAML 1.1 trap), and
            # that key was left out here; such an entry never becomes an Example.
            return None
        return Example(
            slug=entry.slug, path=entry.shown, tittel=tittel, kommuner=tuple(kommuner),
            innsatsomrader=innsats, losninger=losninger, sammendrag=sammendrag, status=status,
            publisert=publisert, oppdatert=oppdatert, sprak=sprak, kilder=tuple(kilder),
            kontakt=kontakt, body_markdown=body, body_html=body_html,
            synthetic=bool(synthetic and synthetic.value is True), images=tuple(images))

    def _line_of(self, entry: RawEntry, needle: str) -> int:
        for n, line in enumerate(entry.body.split("\n"), start=entry.body_line):
            if needle in line:
                return n
        return entry.body_line

    def _resolver(self, entry: RawEntry, images: list[str]):
        """Relative links and images resolve from the entry file's place in the repository,
        exactly as they do when the file is viewed on GitHub."""
        settings = self.settings
        src = urls.example_uri(entry.slug)

        def resolve(kind: str, url: str) -> str | None:
            path, _, fragment = url.partition("#")
            line = self._line_of(entry, path or url)
            target = (entry.path.parent / unquote(path)).resolve()
            if kind == "img":
                return self._image(entry, line, path, target, images, src)
            if target.suffix != ".md":
                self.err(entry, line, f"lenken «{url}» peker ikke på en side (.md)",
                         "Lenk til et annet eksempel (navn.md) eller en side i content/, "
                         "eller bruk en full https://-adresse.")
                return None
            if _inside(target, settings.bank_dir) and target.stem in self.known_slugs:
                return urls.href(src, urls.example_uri(target.stem), fragment)
            if _inside(target, settings.docs_dir) and target.is_file():
                return urls.href(src, target.relative_to(settings.docs_dir).as_posix(), fragment)
            self.err(entry, line, f"lenken «{url}» peker på en side som ikke finnes",
                     "Sjekk filnavnet. Lenker regnes fra eksempelfilens plass: et annet eksempel "
                     "er «navn.md», en innholdsside er «../content/…/side.md».")
            return None

        return resolve

    def _image(self, entry, line, path, target, images, src) -> str | None:
        bank = self.settings.bank_dir
        if not _inside(target, bank) or target.suffix.lower() not in IMAGE_SUFFIXES:
            self.err(entry, line, f"bildet «{path}» må ligge i examples_bank/ og være "
                     "jpg, png, webp, gif eller svg", "Legg bildet i examples_bank/bilder/.")
            return None
        if not target.is_file():
            self.err(entry, line, f"bildet «{path}» finnes ikke",
                     "Sjekk filnavnet (store og små bokstaver teller) og at bildet er lagt til.")
            return None
        size = target.stat().st_size
        if size > MAX_IMAGE_BYTES:
            self.err(entry, line, f"bildet «{path}» er {size // 1024} kB; høyst "
                     f"{MAX_IMAGE_BYTES // 1024} kB er tillatt",
                     "Gjør bildet mindre (for eksempel 1600 piksler bredt, JPEG-kvalitet 80).")
            return None
        rel = target.relative_to(bank).as_posix()
        images.append(rel)
        return urls.href(src, urls.example_file(rel))

    def _choice(self, entry: RawEntry, key: str, options: dict) -> str | None:
        value = self.text(entry, key)
        if value is None:
            return None
        if value not in options:
            self.err(entry, entry.fields[key].line, f"«{key}: {value}» er ikke en gyldig verdi",
                     ("Gyldige verdier: " + ", ".join(options) + ". "
                      + suggest(value, options)).strip())
            return None
        return value

    def _kommuner(self, entry: RawEntry) -> list[Kommune]:
        values, loc = self.listing(entry, "kommuner")
        if loc is not None and loc.value is not None and not values and isinstance(loc.value, list):
            self.err(entry, loc.line, "«kommuner» er tom", "Oppgi minst én kommune.")
        found: list[Kommune] = []
        for n, value in enumerate(values):
            if not isinstance(value, str):
                self.err(entry, loc.item_line(n), f"«kommuner» inneholder {value!r}, ikke et navn",
                         "Skriv kommunenavn eller kommunenummer.")
                continue
            k, msg, hint = self.kommuner.resolve(value)
            if k is None:
                self.err(entry, loc.item_line(n), msg, hint)
            elif k not in found:
                found.append(k)
        return found

    def _tags(self, entry: RawEntry) -> tuple[tuple[str, ...], tuple[str, ...]]:
        ref = self.ref
        io_values, io_loc = self.listing(entry, "innsatsomrader")
        lo_values, lo_loc = self.listing(entry, "losninger")
        io = self._slugs(entry, "innsatsomrader", io_values, io_loc, ref.innsatsomrader)
        lo = self._slugs(entry, "losninger", lo_values, lo_loc, ref.losninger)
        # A løsning implies its innsatsområde: it is derived, never required twice.
        implied = {ref.losninger[s].innsatsomrade for s in lo}
        io_all = tuple(s for s in ref.innsatsomrader if s in io or s in implied)
        if not io_all and not (io_values or lo_values) and "innsatsomrader" in entry.fields:
            self.err(entry, io_loc.line if io_loc else 1, "oppgi minst ett innsatsområde",
                     "Gyldige: " + ", ".join(ref.innsatsomrader) + ".")
        elif not io_all and "innsatsomrader" not in entry.fields and "losninger" not in entry.fields:
            self.err(entry, 1, "nøkkelen «innsatsomrader» mangler", _HOW_TO["innsatsomrader"])
        lo_sorted = tuple(s for s in ref.losninger if s in lo)
        return io_all, lo_sorted

    def _slugs(self, entry, key, values, loc, valid: dict) -> list[str]:
        out = []
        for n, value in enumerate(values):
            if not isinstance(value, str) or value not in valid:
                hint = suggest(str(value), valid)
                self.err(entry, loc.item_line(n), f"ukjent {_LABEL[key]} «{value}»",
                         (hint + " " if hint else "") + "Gyldige verdier: " + ", ".join(valid) + ".")
            elif value not in out:
                out.append(value)
        return out

    def _kilder(self, entry: RawEntry) -> list[Kilde]:
        values, loc = self.listing(entry, "kilder")
        if loc is not None and isinstance(loc.value, list) and not values:
            self.err(entry, loc.line, "«kilder» er tom", _HOW_TO["kilder"])
        kilder = []
        for n, item in enumerate(values):
            line = loc.item_line(n)
            if isinstance(item, str):
                item = {"tittel": item}
            if not isinstance(item, dict):
                self.err(entry, line, "hver kilde skal ha «tittel:» og eventuelt «url:»",
                         _HOW_TO["kilder"])
                continue
            unknown = set(item) - {"tittel", "url"}
            for key in sorted(unknown):
                self.err(entry, line, f"ukjent nøkkel «{key}» i en kilde",
                         suggest(key, ("tittel", "url")) or "En kilde har bare tittel og url.")
            tittel, url = item.get("tittel"), item.get("url")
            if not isinstance(tittel, str) or not tittel.strip():
                self.err(entry, line, "en kilde mangler «tittel»", _HOW_TO["kilder"])
                continue
            if _HTML_IN_TEXT.search(tittel):
                self.err(entry, line, "kildens tittel kan ikke inneholde HTML", "Skriv vanlig tekst.")
            if url is not None:
                if not isinstance(url, str) or not _HTTP_URL.match(url):
                    self.err(entry, line, f"kildens url «{url}» er ikke en http(s)-adresse",
                             "Lim inn hele adressen, som begynner med https://, eller slett "
                             "url-linjen hvis kilden er et dokument uten nettadresse.")
                    continue
            kilder.append(Kilde(" ".join(tittel.split()), url))
        return kilder

    def _body_safety(self, entry: RawEntry) -> None:
        # One search over the whole body first (a line's match is also a match there); only a
        # body with a hit is gone through line by line for the line numbers. Most bodies: none.
        body = entry.body
        if not ((("<" in body or "![" in body) and (_NO_ALT.search(body)
                                                    or _DANGEROUS_HTML.search(body)
                                                    or _EVENT_ATTR.search(body)))
                or (":" in body and _BAD_SCHEME.search(body))):
            return
        for n, line in enumerate(entry.body.split("\n"), start=entry.body_line):
            if _NO_ALT.search(line):
                self.err(entry, n, "bildet mangler alternativ tekst",
                         "Beskriv bildet for dem som ikke ser det: ![Eldre og barn baker sammen]"
                         "(bilder/baking.jpg).")
            if m := _DANGEROUS_HTML.search(line):
                self.err(entry, n, f"HTML-elementet <{m.group(1).lower()}> er ikke tillatt",
                         "Bruk vanlig Markdown; skript, skjemaer, stiler og innebygde rammer "
                         "fjernes fra nettstedet.")
            if _EVENT_ATTR.search(line):
                self.err(entry, n, "HTML-attributter som starter med «on» (hendelser) er ikke "
                         "tillatt", "Bruk vanlig Markdown uten HTML.")
            if m := (_BAD_SCHEME.search(line) or _BAD_SCHEME_PLAIN.search(
                    re.sub(r"[\x00-\x20\x7f]+", "", unescape(line)))):
                self.err(entry, n, f"lenker med «{m.group(1).lower()}:» er ikke tillatt",
                         "Lenk bare til adresser som begynner med https://.")

    def _personal_data(self, entry: RawEntry, kontakt: str | None) -> None:
        checks = [(entry.fields["kontakt"].line, kontakt)] if kontakt else []
        body = entry.body
        if ("@" in body and _EMAIL.search(body)) or (_PHONE_HINT.search(body)
                                                     and _PHONE.search(body)):  # else no line hits
            checks += list(enumerate(body.split("\n"), start=entry.body_line))
        for line, text in checks:
            if ("@" in text and _EMAIL.search(text)) or _PHONE.search(text):
                self.issues.warning(entry.shown, line,
                                    "mulig personopplysning (e-postadresse eller telefonnummer)",
                                    "Oppgi en rolle eller et felles postmottak, ikke en privat "
                                    "person. Sjekk at personen har samtykket.")


_LABEL = {"innsatsomrader": "innsatsområde", "losninger": "løsning"}

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
        cache.begin(ref, frozenset(validator.known_slugs), settings.today)
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
