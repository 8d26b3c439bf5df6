"""`erfaringsbank new` (and `from-issue`): write a new, correctly named entry file.

The file is rendered from a `Draft`, checked by the very validator `check` uses *before* it is
written, and created with mode "x" — an existing entry is never overwritten, and an example that
seems to exist already (duplicates.py) is pointed out. All problems are reported at once, by
field (feedback.py), and a file is named only once it is written. Interactive questions (only in
a terminal, only without flags) check each answer as it is given: kommune typos get suggestions
from `validate.KommuneIndex`, tags are chosen from the reference lists.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from generator.base.errors import Collector, ConfigError, Issue
from generator.contribute.duplicates import find_existing
from generator.contribute.feedback import (Feedback, Remark, Surface, from_validator, quote,
                                           warnings_as_issues)
from generator.load.frontmatter import split
from generator.load.files import RawEntry, entry_files
from generator.model import KILDE_TYPES, LANGUAGES, STATUSES, Kilde, Reference
from generator.base.settings import Settings
from generator.base.text import slugify
from generator.validate.entries import KommuneIndex, validate_bank
from generator.load.yamlsafe import load_mapping

MAX_SLUG = 60


@dataclass
class Draft:
    """What a contributor tells us; kommuner are as typed (name or number)."""

    tittel: str = ""
    kommuner: list[str] = field(default_factory=list)
    innsatsomrader: list[str] = field(default_factory=list)
    losninger: list[str] = field(default_factory=list)
    sammendrag: str = ""
    status: str = ""
    publisert: dt.date | None = None
    sprak: str = "nb"
    kilder: list[Kilde] = field(default_factory=list)
    kontakt: str | None = None
    tekst: str = ""
    syntetisk: bool = False       # test data only (tests and benchmarks)


def _q(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: nothing in it can break the YAML.
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def render(d: Draft) -> str:
    """The entry file's text, in the format README.md documents."""
    lines = ["---", f"tittel: {_q(d.tittel)}",
             f"kommuner: [{', '.join(_q(k) for k in d.kommuner)}]",
             f"innsatsomrader: [{', '.join(d.innsatsomrader)}]",
             f"losninger: [{', '.join(d.losninger)}]",
             f"sammendrag: {_q(d.sammendrag)}",
             f"status: {d.status}",
             f"publisert: {d.publisert.isoformat() if d.publisert else ''}",
             f"sprak: {d.sprak}", "kilder:"]
    for k in d.kilder:
        lines.append(f"  - tittel: {_q(k.tittel)}")
        if k.url:
            lines.append(f"    url: {_q(k.url)}")
        if k.type:
            lines.append(f"    type: {k.type}")
    if d.kontakt:
        lines.append(f"kontakt: {_q(d.kontakt)}")
    if d.syntetisk:
        lines.append("syntetisk: true")
    lines.append("---")
    body = d.tekst.replace("\r\n", "\n").strip()
    return "\n".join(lines) + "\n" + body + "\n"


def slug_for(tittel: str, kommune_navn: str) -> str:
    """«Kafe Posten – møteplass …» in Tydal → «tydal-kafe-posten-moteplass-…» (≤ 60 tegn)."""
    title, place = slugify(tittel), slugify(kommune_navn)
    slug = title if not place or title.startswith(place) else f"{place}-{title}"
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG + 1].rsplit("-", 1)[0]
    return slug.strip("-") or "eksempel"


def target_path(settings: Settings, reference: Reference, d: Draft) -> Path:
    navn = ""
    if d.kommuner:
        k, _, _ = KommuneIndex(reference).resolve(d.kommuner[0])
        navn = k.navn if k else d.kommuner[0]
    return settings.bank_dir / f"{slug_for(d.tittel, navn)}.md"


def check_text(settings: Settings, reference: Reference, path: Path, text: str) -> list[Issue]:
    """Every issue `check` would report for `text` stored at `path` (which need not exist)."""
    issues = Collector()
    shown = settings.rel(path)
    parts = split(text)
    mapping, problems = load_mapping(parts.front_matter, parts.fm_start_line - 1)
    for p in problems:
        issues.error(shown, p.line, p.message, p.hint)
    if mapping is not None:
        raw = RawEntry(path, shown, path.stem, mapping, parts.body, parts.body_start_line)
        known = {p.stem for p in entry_files(settings)}
        validate_bank(settings, reference, [raw], issues, known_slugs=known)
    return issues.issues


# The questions of `interactive`: its answers are checked as they are given, so what is left
# for the validator is rare; it is reported under the questions' names.
ASK = Surface(
    labels={"tittel": "Tittel", "kommuner": "Kommune(r)", "innsatsomrader": "Innsatsområder",
            "losninger": "Løsninger", "sammendrag": "Sammendrag", "status": "Status",
            "publisert": "Publisert", "sprak": "Språk", "kilder": "Kilder",
            "kontakt": "Kontakt", "tekst": "Beskrivelse"},
    hints={"tittel": "Skriv en kort, beskrivende tittel med vanlig tekst (høyst 120 tegn).",
           "kommuner": "Skriv kommunens navn eller firesifrede kommunenummer.",
           "publisert": "Skriv datoen på formen ÅÅÅÅ-MM-DD, for eksempel 2021-12-01.",
           "sammendrag": "Skriv én til tre setninger med vanlig tekst (høyst 300 tegn).",
           "kilder": "Skriv kildens tittel og hele nettadressen, som begynner med https://.",
           "url": "Skriv hele nettadressen, som begynner med https://, uten mellomrom eller "
                  "anførselstegn.",
           "kontakt": "Skriv en rolle, f.eks. «Kommunalsjef helse og omsorg, Tydal kommune».",
           "tekst": "Beskriv hva kommunen gjorde, hvordan, og hva de har fått til.",
           "duplikat": "Rediger heller det eksisterende eksemplet. Er dette et annet eksempel, "
                       "gi det en tittel som sier hva som skiller dem."},
    general="Eksemplet", body="beskrivelsen")


def duplicate_remark(settings: Settings, reference: Reference, d: Draft, path: Path,
                     surface: Surface) -> Remark | None:
    found = find_existing(settings, reference, d.tittel, d.kommuner, path)
    if found is None:
        return None
    name = f"«{quote(found.tittel)}» " if found.tittel else ""
    return Remark("tittel", f"dette eksemplet ser ut til å finnes allerede: {name}"
                  f"({found.path}, på nettstedet {found.page})", surface.hints["duplikat"])


def create(settings: Settings, reference: Reference, d: Draft, path: Path | None = None, *,
           surface: Surface = ASK, shown: str = "erfaringsbank new", remarks=(),
           skip=frozenset(), exit_code: int = 1) -> tuple[Path, list[Issue]]:
    """Write the entry; return its path and its warnings. Never overwrites. Raises `Feedback`
    with `remarks` (what the caller found already; `skip`: the fields they are about, which
    the validator's view of their placeholder would repeat) and every other problem."""
    path = path or target_path(settings, reference, d)
    remarks = list(remarks)
    if "tittel" not in skip and (dup := duplicate_remark(settings, reference, d, path, surface)):
        remarks.append(dup)
    text = render(d)
    remarks += from_validator(check_text(settings, reference, path, text), text, surface, skip,
                              hide=settings.rel(path))
    if any(r.is_error for r in remarks):
        raise Feedback(shown, remarks, surface, exit_code)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:  # written by someone else since the look above
        raise Feedback(shown, [Remark("tittel", "et eksempel med samme navn ble nettopp lagret "
                                      "av noen andre", surface.hints["duplikat"])],
                       surface) from None
    return path, warnings_as_issues(remarks, surface, settings.rel(path))


def kilde_problem(text: str) -> tuple[str, str] | None:
    """What is wrong with a source line «Tittel | https://… | type» that parse_kilde would
    otherwise swallow into the title: an address without https://, or an unknown type."""
    parts = [p.strip() for p in text.split("|")]
    for part in parts[1:]:
        # (bounded: the pattern backtracks on a long run of «a.a.a…»)
        if len(part) <= 300 and _BARE_ADDRESS.fullmatch(part) and part.lower() not in KILDE_TYPES:
            return (f"nettadressen «{quote(part)}» mangler https:// foran",
                    f"Skriv hele adressen, som begynner med https://, for eksempel "
                    f"«https://{quote(part)}».")
    last = parts[-1] if len(parts) >= 3 else ""
    if last and last.lower() not in KILDE_TYPES and not _HTTP.match(last):
        return (f"ukjent kildetype «{quote(last)}»",
                "Skriv kommune, offentlig, organisasjon eller avis etter den siste streken – "
                "eller la typen stå bort.")
    return None


_HTTP = re.compile(r"(?i)https?://")
# «www.tydal.kommune.no/kafe» or «tydal.kommune.no»: a web address without its scheme
_BARE_ADDRESS = re.compile(r"(?i)(?:www\.)?[a-z0-9æøå-]+(?:\.[a-z0-9æøå-]+)*\.[a-z]{2,}(?:/\S*)?")


def parse_kilde(text: str) -> Kilde:
    """«Tittel | https://… | kommune», «Tittel – https://…» or just «Tittel». A last part
    `| kommune`, `| offentlig`, `| organisasjon` or `| avis` says what kind of source it is."""
    kind = None
    head, bar, last = text.rpartition("|")
    if bar and last.strip().lower() in KILDE_TYPES:
        text, kind = head, last.strip().lower()
    m = re.search(r"https?://\S+", text)
    if not m:
        return Kilde(" ".join(text.split()).strip(" |"), None, kind)
    title = (text[: m.start()] + text[m.end():]).strip(" \t|–—-:,;()<>")
    return Kilde(" ".join(title.split()) or m.group(0), m.group(0).rstrip(".,;)>"), kind)


def usage_error(message: str, hint: str) -> ConfigError:
    return ConfigError([Issue("erfaringsbank new", 0, message, hint)])


# -- interactive ---------------------------------------------------------------------------

Ask = Callable[[str], str]


def interactive(reference: Reference, ask: Ask = input, say: Callable[[str], None] = print,
                today: dt.date | None = None) -> Draft:
    """Ask for every field; each answer is checked at once, and asked again if invalid."""
    today = today or dt.date.today()
    d = Draft()
    say("Nytt eksempel i erfaringsbanken. Trykk Ctrl+C for å avbryte.\n")
    d.tittel = _required(ask, say, "Tittel (kort og beskrivende, høyst 120 tegn): ", 120)
    index = KommuneIndex(reference)
    say("Kommune(r): skriv én om gangen, navn eller kommunenummer. Tom linje når du er ferdig.")
    while True:
        raw = ask(f"Kommune {len(d.kommuner) + 1}: ").strip()
        if not raw:
            if d.kommuner:
                break
            say("  Oppgi minst én kommune.")
            continue
        k, msg, hint = index.resolve(raw)
        if k is None:
            say(f"  {msg}. {hint}")
            continue
        d.kommuner.append(k.navn if index.resolve(k.navn)[0] == k else k.nummer)
        say(f"  ✓ {k.navn} ({reference.fylker[k.fylke].navn})")
    ios = list(reference.innsatsomrader.values())
    los = list(reference.losninger.values())
    say("\nLøsninger (de 25 løsningene i reformen); hver løsning gir også sitt innsatsområde:")
    for n, lo in enumerate(los, 1):
        say(f"  {n:2}. {lo.navn} ({reference.innsatsomrader[lo.innsatsomrade].navn})")
    d.losninger = [lo.slug for lo in _choose(ask, say, los, "Velg numre (f.eks. 3 7), "
                                              "eller tom linje for ingen: ", minimum=0)]
    say("\nInnsatsområder:")
    for n, io in enumerate(ios, 1):
        say(f"  {n}. {io.navn}")
    d.innsatsomrader = [io.slug for io in _choose(
        ask, say, ios, "Velg numre (f.eks. 1 2)" + (", eller tom linje: " if d.losninger else ": "),
        minimum=0 if d.losninger else 1)]
    d.sammendrag = _required(ask, say, "\nSammendrag (én til tre setninger, høyst 300 tegn): ", 300)
    statuses = list(STATUSES)
    say("\nStatus: " + "  ".join(f"{n}. {STATUSES[s]}" for n, s in enumerate(statuses, 1)))
    d.status = _choose(ask, say, statuses, "Velg ett nummer: ", minimum=1, maximum=1)[0]
    while True:
        raw = ask(f"Publisert (ÅÅÅÅ-MM-DD, tom linje = {today.isoformat()}): ").strip()
        try:
            d.publisert = dt.date.fromisoformat(raw) if raw else today
        except ValueError:
            say("  Skriv datoen slik: 2021-12-01.")
            continue
        if d.publisert > today:
            say("  Datoen kan ikke ligge i framtiden.")
            continue
        break
    langs = list(LANGUAGES)
    say("Språk: " + "  ".join(f"{n}. {LANGUAGES[s]}" for n, s in enumerate(langs, 1)))
    d.sprak = (_choose(ask, say, langs, "Velg nummer (tom linje = bokmål): ", minimum=0,
                       maximum=1) or ["nb"])[0]
    say("\nKilder: hvor er eksemplet beskrevet? Tom tittel når du er ferdig.")
    while True:
        title = ask(f"Kilde {len(d.kilder) + 1}, tittel: ").strip()
        if not title:
            if d.kilder:
                break
            say("  Oppgi minst én kilde (et notat, en rapport eller en nettside).")
            continue
        url = ask("  Nettadresse (https://…, tom hvis den ikke finnes): ").strip()
        if url and not re.match(r"^https?://\S+$", url):
            say("  Adressen må begynne med https:// — kilden er lagt til uten adresse.")
            url = ""
        d.kilder.append(Kilde(title, url or None))
    d.kontakt = ask("\nKontakt (en rolle, f.eks. «Kommunalsjef helse og omsorg, Tydal "
                    "kommune»; tom linje for ingen): ").strip() or None
    say("\nBeskriv hva kommunen gjorde og hva de har fått til (Markdown). "
        "Avslutt med to tomme linjer.")
    lines: list[str] = []
    while True:
        line = ask("")
        if line.strip() == "" and lines and lines[-1].strip() == "":
            if "".join(lines).strip():
                break
        lines.append(line)
    d.tekst = "\n".join(lines).strip()
    return d


def _required(ask: Ask, say, prompt: str, max_len: int) -> str:
    while True:
        value = " ".join(ask(prompt).split())
        if not value:
            say("  Feltet må fylles ut.")
        elif len(value) > max_len:
            say(f"  Teksten er {len(value)} tegn; høyst {max_len} er tillatt.")
        elif re.search(r"[<>]", value):
            say("  Skriv vanlig tekst uten < og >.")
        else:
            return value


def _choose(ask: Ask, say, options: list, prompt: str, minimum: int, maximum: int = 99) -> list:
    while True:
        raw = ask(prompt).replace(",", " ").split()
        try:
            picks = list(dict.fromkeys(int(x) for x in raw))
        except ValueError:
            say("  Skriv numrene fra listen, skilt med mellomrom.")
            continue
        if any(not 1 <= n <= len(options) for n in picks):
            say(f"  Velg tall mellom 1 og {len(options)}.")
        elif not minimum <= len(picks) <= maximum:
            say("  Velg ett nummer." if maximum == 1 else f"  Velg minst {minimum}.")
        else:
            return [options[n - 1] for n in picks]
