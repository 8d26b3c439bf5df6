"""`erfaringsbank from-issue`: a «Foreslå et eksempel» issue (GitHub issue form) → entry file.

GitHub renders a submitted issue form as Markdown: one `### <label>` heading per field, then
the answer; `_No response_` for an empty answer; checkboxes as `- [X] <option>`. FIELDS below
is the one mapping between the form (.github/ISSUE_TEMPLATE/nytt-eksempel.yml, checked against
it by the tests) and the entry format. Problems are reported all at once, under the label the
contributor saw (feedback.py): never a line number, a YAML key or the generated file.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from generator.base.text import fold
from generator.contribute.feedback import GENERAL, Feedback, Remark, Surface, quote
from generator.contribute.scaffold import Draft, create, kilde_problem, parse_kilde
from generator.model import LANGUAGES, STATUSES, Reference

FORM_FILE = ".github/ISSUE_TEMPLATE/nytt-eksempel.yml"
NO_RESPONSE = "_No response_"


@dataclass(frozen=True)
class Field:
    key: str          # entry format key (and the form field's id)
    label: str        # the heading GitHub renders
    kind: str         # form element type: input | textarea | dropdown | checkboxes
    required: bool


FIELDS = (
    Field("tittel", "Tittel", "input", True),
    Field("kommuner", "Kommune(r)", "textarea", True),
    Field("innsatsomrader", "Innsatsområder", "checkboxes", False),
    Field("losninger", "Løsninger", "checkboxes", False),
    Field("sammendrag", "Sammendrag", "textarea", True),
    Field("status", "Status", "dropdown", True),
    Field("publisert", "Publisert", "input", False),
    Field("sprak", "Språk", "dropdown", True),
    Field("kilder", "Kilder", "textarea", True),
    Field("kontakt", "Kontakt (en rolle, ikke en person)", "input", False),
    Field("tekst", "Beskrivelse", "textarea", True),
)
BY_KEY = {f.key: f for f in FIELDS}
LANGUAGE_OPTIONS = {f"{name.capitalize()} ({code})": code for code, name in LANGUAGES.items()}
STATUS_OPTIONS = {label: slug for slug, label in STATUSES.items()}
# Linear in the line (a lazy group before «[ \t]*$» is quadratic on a line of spaces, which an
# issue may hold): the rest of the line is taken, and its trailing blanks stripped afterwards.
_HEADING_RE = re.compile(r"###[ \t]+(.+)")
_CHECKBOX_RE = re.compile(r"[ \t]*[-*][ \t]+\[([ xX])\][ \t]+(.+)")


class _Match:
    def __init__(self, *groups: str):
        self._groups = groups

    def group(self, n: int) -> str:
        return self._groups[n - 1]


def _heading(line: str) -> _Match | None:
    m = _HEADING_RE.match(line)
    return _Match(m.group(1).rstrip(" \t")) if m and m.group(1).strip() else None


def _checkbox(line: str) -> _Match | None:
    m = _CHECKBOX_RE.match(line)
    return _Match(m.group(1), m.group(2).rstrip()) if m and m.group(2).strip() else None


FORM = Surface(
    labels={f.key: f.label for f in FIELDS},
    hints={"tittel": "Skriv en kort, beskrivende tittel med vanlig tekst, høyst 120 tegn.",
           "kommuner": "Skriv én kommune per linje, med navn eller kommunenummer. Ved like "
                       "navn: skriv fylket i parentes, for eksempel «Herøy (Nordland)».",
           "innsatsomrader": "Kryss av for minst ett innsatsområde eller én løsning.",
           "losninger": "Kryss av for løsningene eksemplet handler om, eller ingen.",
           "sammendrag": "Skriv én til tre setninger med vanlig tekst, høyst 300 tegn.",
           "status": "Velg " + ", ".join(STATUS_OPTIONS) + ".",
           "publisert": "Skriv datoen kilden ble publisert, på formen ÅÅÅÅ-MM-DD (for "
                        "eksempel 2021-12-01), eller la feltet stå tomt.",
           "sprak": "Velg " + " eller ".join(LANGUAGE_OPTIONS) + ".",
           "kilder": "Skriv én kilde per linje: tittelen, en loddrett strek og hele "
                     "nettadressen, for eksempel «Tydal kommune: Kafe Posten | "
                     "https://www.tydal.kommune.no/… | kommune».",
           "url": "Skriv hele nettadressen, som begynner med https://, uten mellomrom eller "
                  "anførselstegn – eller la adressen stå bort hvis kilden ikke finnes på nett.",
           "kontakt": "Skriv en rolle eller et felles postmottak, for eksempel «Kommunalsjef "
                      "helse og omsorg, Tydal kommune» – ikke en privatpersons navn, e-post "
                      "eller telefon (høyst 200 tegn).",
           "tekst": "Beskriv hva kommunen gjorde, hvordan, og hva de har fått til.",
           "duplikat": "Foreslå heller en endring i det eksisterende eksemplet: åpne siden og "
                       "velg «Foreslå endring i dette eksemplet». Er dette et annet eksempel, "
                       "gi det en tittel som sier hva som skiller dem."},
    general="Skjemaet", body="beskrivelsen",
    link_hint="Lenker må være hele nettadresser som begynner med https://. Bilder kan ikke "
              "legges til gjennom skjemaet: ta bildet ut av beskrivelsen, og skriv i saken at "
              "du har bilder, så hjelper en redaktør deg.",
    order=tuple(f.key for f in FIELDS))
INTRO = ("Takk! Forslaget kan ikke publiseres ennå. Rett dette i saken (velg «Edit»), så "
         "prøver vi igjen automatisk:")


class Reading:
    """What the form gives: the draft, the problems found in the form itself, and the fields
    they are about (the validator's view of those fields' placeholders would repeat them)."""

    def __init__(self):
        self.draft, self.remarks, self.skip = Draft(), [], set()

    def error(self, key: str, message: str, hint: str = "", blank: bool = True) -> None:
        self.remarks.append(Remark(key, message, hint or FORM.hints.get(key, "")))
        if blank:
            self.skip.add(key)


def sections(body: str, unknown: list | None = None) -> dict[str, str]:
    """{key: answer}. A `### …` line starts a field if it is the label of a field not seen yet;
    inside a free-text field other headings stay in the text, elsewhere they are collected in
    `unknown`."""
    found: dict[str, list[str]] = {}
    labels = {f.label: f.key for f in FIELDS}
    current = None
    for line in body.replace("\r\n", "\n").split("\n"):
        m = _heading(line)
        if m and labels.get(m.group(1)) and labels[m.group(1)] not in found:
            current = labels[m.group(1)]
            found[current] = []
        elif m and (current is None or BY_KEY[current].kind != "textarea"):
            if unknown is not None:
                unknown.append(m.group(1))
            current = None
        elif current:
            found[current].append(line)
    out = {}
    for key, lines in found.items():
        text = "\n".join(lines).strip()
        out[key] = "" if text == NO_RESPONSE else text
    return out


def read_form(body: str, reference: Reference, today: dt.date) -> Reading:
    """The issue body → a Reading. Never stops at the first problem: every field that can be
    read is read, so the validator can check it in the same round."""
    r = Reading()
    unknown: list[str] = []
    found = sections(body, unknown)
    renamed = set()
    for heading in unknown:
        close = difflib.get_close_matches(heading[:200], [f.label for f in FIELDS], n=1,
                                          cutoff=0.6)
        field = next((f for f in FIELDS if close and f.label == close[0]), None)
        if field is not None and field.key not in found:
            renamed.add(field.key)
            r.error(field.key, f"overskriften er endret til «### {quote(heading)}»",
                    f"Skriv den slik skjemaet har den: «### {field.label}».")
        else:
            r.error(GENERAL, f"ukjent overskrift «### {quote(heading)}»",
                    "Overskriftene kommer fra skjemaet; slett denne, eller flytt teksten inn "
                    "under «### Beskrivelse».")
    if not found:
        r.remarks = [Remark(GENERAL, "teksten er ikke fra skjemaet «Foreslå et eksempel» (fant "
                            "ingen av overskriftene ### Tittel, ### Kommune(r) …)",
                            "Opprett saken med skjemaet «Foreslå et eksempel» under New issue, "
                            "og fyll ut feltene der.")]
        return r
    for f in FIELDS:
        if f.key not in found and f.key not in renamed:
            r.error(f.key, "feltet mangler i saken",
                    f"Saken må ha overskriften «### {f.label}» fra skjemaet. Rediger saken, "
                    "eller opprett den på nytt med skjemaet «Foreslå et eksempel».")
        elif f.required and f.key in found and not found[f.key]:
            r.error(f.key, "feltet er tomt")
    d = r.draft
    d.tittel = " ".join(found.get("tittel", "").split())
    d.sammendrag = " ".join(found.get("sammendrag", "").split())
    d.kontakt = " ".join(found.get("kontakt", "").split()) or None
    d.tekst = found.get("tekst", "")
    d.kommuner = [k.strip(" -*\t") for k in re.split(r"[\n;]", found.get("kommuner", ""))
                  if k.strip(" -*\t")]
    for line in found.get("kilder", "").split("\n"):
        if line.strip(" -*\t"):
            if (problem := kilde_problem(line.strip(" -*\t"))) is not None:
                r.error("kilder", *problem, blank=False)
            d.kilder.append(parse_kilde(line.strip(" -*\t")))
    io_names = {io.navn: io.slug for io in reference.innsatsomrader.values()}
    lo_names = {lo.navn: lo.slug for lo in reference.losninger.values()}
    d.innsatsomrader = _checked(r, found, "innsatsomrader", io_names)
    d.losninger = _checked(r, found, "losninger", lo_names)
    if "innsatsomrader" in found and "losninger" in found and not (d.innsatsomrader or d.losninger):
        r.error("innsatsomrader", "ingen er krysset av")
    d.status = _option(r, found, "status", STATUS_OPTIONS) or ""
    d.sprak = _option(r, found, "sprak", LANGUAGE_OPTIONS) or "nb"
    raw = found.get("publisert", "").strip()
    try:
        d.publisert = dt.date.fromisoformat(raw) if raw else today
    except ValueError:
        r.error("publisert", f"«{quote(raw)}» er ikke en dato på formen ÅÅÅÅ-MM-DD")
    return r


def _checked(r: Reading, found, key: str, names: dict[str, str]) -> list[str]:
    out = []
    for row in found.get(key, "").split("\n"):
        m = _checkbox(row)
        if not m:
            continue
        if m.group(2) not in names:
            r.error(key, f"«{quote(m.group(2))}» er ikke et av valgene i skjemaet",
                    "Bruk skjemaet «Foreslå et eksempel» uten å endre teksten i valgene.",
                    blank=False)
        elif m.group(1) in "xX":
            out.append(names[m.group(2)])
    return out


def _option(r: Reading, found, key: str, options: dict[str, str]) -> str | None:
    text = found.get(key, "")
    if not text:
        return None
    by_fold = {fold(label): value for label, value in options.items()}
    by_fold.update({fold(v): v for v in options.values()})
    value = by_fold.get(fold(text))
    if value is None:
        r.error(key, f"«{quote(text)}» er ikke et av valgene", "Velg ett av valgene: "
                + ", ".join(options) + ".")
    return value


def write_entry(settings, reference: Reference, body: str, shown: str = "sak",
                today: dt.date | None = None):
    """Read the issue and write its entry file: (path, warnings). Raises `Feedback` with every
    problem, by form field (its `markdown(INTRO)` is the answer for the issue)."""
    r = read_form(body, reference, today or settings.today)
    if any(rm.key == GENERAL and "ikke fra skjemaet" in rm.message for rm in r.remarks):
        raise Feedback(shown, r.remarks, FORM)
    return create(settings, reference, r.draft, surface=FORM, shown=shown, remarks=r.remarks,
                  skip=frozenset(r.skip))
