"""`erfaringsbank from-issue`: a «Foreslå et eksempel» issue (GitHub issue form) → entry file.

GitHub renders a submitted issue form as Markdown: one `### <label>` heading per field, then
the answer; `_No response_` for an empty answer; checkboxes as `- [X] <option>`. FIELDS below
is the one mapping between the form (.github/ISSUE_TEMPLATE/nytt-eksempel.yml, checked against
it by the tests) and the entry format. Problems in the issue are reported with the line in the
issue text and the label the contributor saw, not the YAML key.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from generator.base.errors import BankError, Issue
from generator.load.frontmatter import split
from generator.model import LANGUAGES, STATUSES, Reference
from generator.contribute.scaffold import Draft, parse_kilde
from generator.base.text import fold
from generator.load.yamlsafe import load_mapping

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


class IssueProblems:
    def __init__(self, shown: str):
        self.shown, self.issues = shown, []

    def error(self, line: int, field: Field | None, message: str, hint: str) -> None:
        where = f"«{field.label}»: " if field else ""
        self.issues.append(Issue(self.shown, line, where + message, hint))


def sections(body: str, unknown: list | None = None) -> dict[str, tuple[int, str]]:
    """{key: (line of the heading, answer)}. A `### …` line starts a field if it is the label
    of a field not seen yet; inside a free-text field other headings stay in the text, elsewhere
    they are collected in `unknown` as (line, heading)."""
    found: dict[str, tuple[int, list[str]]] = {}
    labels = {f.label: f.key for f in FIELDS}
    current = None
    for n, line in enumerate(body.replace("\r\n", "\n").split("\n"), start=1):
        m = _heading(line)
        if m and labels.get(m.group(1)) and labels[m.group(1)] not in found:
            current = labels[m.group(1)]
            found[current] = (n, [])
        elif m and (current is None or BY_KEY[current].kind != "textarea"):
            if unknown is not None:
                unknown.append((n, m.group(1)))
            current = None
        elif current:
            found[current][1].append(line)
    out = {}
    for key, (n, lines) in found.items():
        text = "\n".join(lines).strip()
        out[key] = (n, "" if text == NO_RESPONSE else text)
    return out


def parse(body: str, reference: Reference, shown: str = "issue",
          today: dt.date | None = None) -> Draft:
    """The issue body → Draft; raises BankError naming the field and line of every problem."""
    today = today or dt.date.today()
    p = IssueProblems(shown)
    unknown: list[tuple[int, str]] = []
    found = sections(body, unknown)
    for line, heading in unknown:
        close = difflib.get_close_matches(heading, [f.label for f in FIELDS], n=1, cutoff=0.6)
        p.error(line, None, f"ukjent overskrift «### {heading}»",
                (f"Mente du «### {close[0]}»? " if close else "") +
                "Overskriftene kommer fra skjemaet; ikke endre dem.")
    if not found:
        raise BankError([Issue(shown, 1, "teksten er ikke fra skjemaet «Foreslå et eksempel» "
                               "(fant ingen av overskriftene ### Tittel, ### Kommune(r) …)",
                               "Opprett saken med skjemaet «Foreslå et eksempel» under "
                               "New issue, og fyll ut feltene der.")])
    for f in FIELDS:
        if f.key not in found:
            p.error(1, f, "feltet mangler i saken",
                    f"Saken må ha overskriften «### {f.label}» fra skjemaet. Rediger saken, "
                    "eller opprett den på nytt med skjemaet «Foreslå et eksempel».")
        elif f.required and not found[f.key][1]:
            p.error(found[f.key][0], f, "feltet er tomt", "Fyll ut feltet i saken (Edit).")
    d = Draft()
    get = lambda key: found.get(key, (1, ""))  # noqa: E731
    d.tittel = " ".join(get("tittel")[1].split())
    d.sammendrag = " ".join(get("sammendrag")[1].split())
    d.kontakt = " ".join(get("kontakt")[1].split()) or None
    d.tekst = get("tekst")[1]
    d.kommuner = [k.strip(" -*\t") for k in re.split(r"[\n;]", get("kommuner")[1]) if k.strip(" -*\t")]
    d.kilder = [parse_kilde(x.strip(" -*\t")) for x in get("kilder")[1].split("\n")
                if x.strip(" -*\t")]
    io_names = {io.navn: io.slug for io in reference.innsatsomrader.values()}
    lo_names = {lo.navn: lo.slug for lo in reference.losninger.values()}
    d.innsatsomrader = _checked(p, found, "innsatsomrader", io_names)
    d.losninger = _checked(p, found, "losninger", lo_names)
    if "innsatsomrader" in found and "losninger" in found and not (d.innsatsomrader or d.losninger):
        p.error(found["innsatsomrader"][0], BY_KEY["innsatsomrader"], "ingen er krysset av",
                "Kryss av for minst ett innsatsområde eller én løsning.")
    d.status = _option(p, found, "status", STATUS_OPTIONS) or ""
    d.sprak = _option(p, found, "sprak", LANGUAGE_OPTIONS) or "nb"
    line, raw = get("publisert")
    if raw:
        try:
            d.publisert = dt.date.fromisoformat(raw.strip())
        except ValueError:
            p.error(line, BY_KEY["publisert"], f"«{raw.strip()}» er ikke en dato på formen "
                    "ÅÅÅÅ-MM-DD", "Skriv for eksempel 2021-12-01, eller la feltet stå tomt.")
    else:
        d.publisert = today
    if p.issues:
        raise BankError(p.issues)
    return d


def _checked(p: IssueProblems, found, key: str, names: dict[str, str]) -> list[str]:
    if key not in found:
        return []
    line, text = found[key]
    out = []
    for n, row in enumerate(text.split("\n"), start=line + 2):
        m = _checkbox(row)
        if not m:
            continue
        if m.group(2) not in names:
            p.error(n, BY_KEY[key], f"ukjent valg «{m.group(2)}»",
                    "Bruk skjemaet «Foreslå et eksempel» uten å endre valgene.")
        elif m.group(1) in "xX":
            out.append(names[m.group(2)])
    return out


def _option(p: IssueProblems, found, key: str, options: dict[str, str]) -> str | None:
    if key not in found or not found[key][1]:
        return None
    line, text = found[key]
    by_fold = {fold(label): value for label, value in options.items()}
    by_fold.update({fold(v): v for v in options.values()})
    value = by_fold.get(fold(text))
    if value is None:
        p.error(line, BY_KEY[key], f"«{text}» er ikke et gyldig valg",
                "Gyldige valg: " + ", ".join(options) + ".")
    return value


def relabel(issues: list[Issue], text: str, found: dict[str, tuple[int, str]],
            shown: str) -> list[Issue]:
    """Validator issues about the rendered entry → issues about the issue's fields and lines."""
    parts = split(text)
    mapping, _ = load_mapping(parts.front_matter, parts.fm_start_line - 1)
    starts = sorted((loc.line, key) for key, loc in (mapping or {}).items())
    out = []
    for i in issues:
        named = re.search(r"«(\w+)»", i.message)
        key = named.group(1) if named and named.group(1) in BY_KEY and i.line <= 1 else None
        if key is None and i.line >= parts.body_start_line:
            key = "tekst"
        if key is None:
            key = next((k for line, k in reversed(starts) if line <= i.line), "tittel")
        field = BY_KEY.get(key, BY_KEY["tittel"])
        line = found.get(field.key, (1, ""))[0]
        out.append(Issue(shown, line, f"«{field.label}»: {i.message}", i.hint, i.severity))
    return out


def write_entry(settings, reference: Reference, body: str, shown: str = "issue",
                today: dt.date | None = None):
    """Parse the issue and write its entry file; (path, warnings). Raises BankError."""
    from generator.contribute.scaffold import check_text, create, render, target_path
    d = parse(body, reference, shown, today)
    path = target_path(settings, reference, d)
    text = render(d)
    problems = check_text(settings, reference, path, text)
    if any(i.is_error for i in problems):
        raise BankError(relabel(problems, text, sections(body), shown))
    return create(settings, reference, d, path)
