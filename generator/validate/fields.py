"""One set of field readers for every file the project reads: entries, status files, the
innsatsområde and løsning pages, and any other front matter or data file.

Each reader takes a `Located` value (the value with the line of its key, from load/yamlsafe.py),
checks it and returns the clean value, or None after reporting what is wrong and how to fix it
with the file and line. The rules are the same whatever file the field is in:

* text refuses control characters (C0 except tab and newline, DEL, C1), lone surrogates and the
  bidirectional overrides U+202A–U+202E and U+2066–U+2069 (they can make a title read differently
  from what it says), has a length limit where one is given, and refuses HTML where asked;
* a URL is an absolute http(s) address without spaces or control characters — never
  `javascript:`, `data:` or the like; a relative path only where the field allows it;
* an integer is ASCII digits within a stated range (so «¹», «٣» or 5 000 digits are errors,
  not crashes);
* a date is ÅÅÅÅ-MM-DD and exists; a choice is one of its options (with a suggestion).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Iterable

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from generator.base.errors import Collector
from generator.base.text import BAD_CHARS, describe_char
from generator.load.yamlsafe import Located
from generator.model import KILDE_TYPES, Kilde

HTML_IN_TEXT = re.compile(r"[<>]|&[#a-zA-Z0-9]+;")
HTTP_URL = re.compile(r"^https?://[^\s/$.?#\"<>\\^`{|}][^\s\"<>\\^`{|}]*$")
_RELATIVE = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\s\"<>\\^`{|}]+$")
_DIGITS = re.compile(r"[0-9]+")
MAX_SOURCES = 50


def bad_char(text: str) -> str | None:
    """The first character a text may not hold, described; None if the text is clean."""
    m = BAD_CHARS.search(text)
    return describe_char(m.group(0)) if m else None


def suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f"Mente du «{close[0]}»?" if close else ""


def items(loc: Located) -> list[Located]:
    """The items of a list value, each with its own line."""
    if not isinstance(loc.value, list):
        return []
    return [Located(v, loc.item_line(n),
                    loc.node.value[n] if isinstance(loc.node, SequenceNode)
                    and n < len(loc.node.value) else loc.node, loc.offset)
            for n, v in enumerate(loc.value)]


def fields(loc: Located) -> dict[str, Located]:
    """The keys of a mapping value, each with the line of its key."""
    if not isinstance(loc.value, dict) or not isinstance(loc.node, MappingNode):
        return {}
    out: dict[str, Located] = {}
    for knode, vnode in loc.node.value:
        key = str(knode.value)
        if key in loc.value and key not in out:
            out[key] = Located(loc.value[key], knode.start_mark.line + 1 + loc.offset, vnode,
                               loc.offset)
    return out


def is_null(loc: Located | None) -> bool:
    return loc is None or loc.value is None


@dataclass
class Reader:
    """The field readers for one file. `shown`: the file as messages name it."""

    shown: str
    issues: Collector
    errors: int = 0

    def err(self, line: int, message: str, hint: str = "") -> None:
        self.errors += 1
        self.issues.error(self.shown, line, message, hint)

    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.issues.warning(self.shown, line, message, hint)

    # -- shapes --------------------------------------------------------------------------------

    def unknown_keys(self, found: dict[str, Located], allowed: Iterable[str], where: str,
                     hint: str = "") -> list[str]:
        """Report keys that are not allowed; returns the allowed keys they probably meant."""
        allowed = tuple(allowed)
        meant = []
        for key, loc in found.items():
            if key not in allowed:
                guess = suggest(key, allowed)
                meant.extend(difflib.get_close_matches(key, allowed, n=1, cutoff=0.6))
                self.err(loc.line, f"ukjent nøkkel «{key}»{(' ' + where) if where else ''}",
                         guess or hint or "Gyldige nøkler: " + ", ".join(allowed) + ".")
        return meant

    def listing(self, loc: Located | None, key: str) -> list[Located]:
        """A list value; a single text where a list belongs is reported with the fix."""
        if is_null(loc):
            return []
        if isinstance(loc.value, str):
            self.err(loc.line, f"«{key}» skal være en liste, ikke en enkelt tekst",
                     f"Skriv {key}: [{loc.value}] — med hakeparenteser.")
            return []
        if not isinstance(loc.value, list):
            self.err(loc.line, f"«{key}» skal være en liste", f"Skriv {key}: [a, b].")
            return []
        return items(loc)

    # -- scalars -------------------------------------------------------------------------------

    def text(self, loc: Located | None, key: str, *, max_len: int | None = None,
             required: bool = True, html: bool = True, multiline: bool = False,
             empty_hint: str = "") -> str | None:
        """Text. Single-line text has its whitespace runs made one space; multi-line text
        keeps its line breaks (paragraphs). `html=False`: < > and entities are refused."""
        if is_null(loc):
            return None
        value = loc.value
        if isinstance(value, (list, dict)):
            self.err(loc.line, f"«{key}» skal være én tekst, ikke en "
                     f"{'liste' if isinstance(value, list) else 'tabell'}",
                     f"Skriv «{key}: din tekst» på én linje.")
            return None
        if not isinstance(value, str):
            self.err(loc.line, f"«{key}» skal være tekst (fant {value!r})",
                     f"Sett verdien i anførselstegn: {key}: \"…\"")
            return None
        if (what := bad_char(value)) is not None:
            self.err(loc.line, f"«{key}» inneholder {what}",
                     "Skriv teksten på nytt uten spesialtegnet (det er ofte limt inn fra et "
                     "annet program eller skrevet som \\x.. eller \\u.. i anførselstegn).")
            return None
        value = value.strip() if multiline else " ".join(value.split())
        if required and not value:
            self.err(loc.line, f"«{key}» er tom", empty_hint or f"Skriv inn {key}.")
            return None
        if max_len and len(value) > max_len:
            self.err(loc.line, f"«{key}» er {len(value)} tegn; høyst {max_len} er tillatt",
                     "Kort ned teksten; detaljene hører hjemme i brødteksten.")
        if not html and HTML_IN_TEXT.search(value):
            self.err(loc.line, f"«{key}» kan ikke inneholde HTML (tegnene < og > eller &…;)",
                     "Skriv vanlig tekst.")
            return None
        return value

    def url(self, loc: Located | None, key: str, *, relative: bool = False,
            hint: str = "") -> str | None:
        """An absolute http(s) URL (or, with `relative`, a path inside the site)."""
        if is_null(loc):
            return None
        value = loc.value
        if isinstance(value, str):
            value = value.strip()
        ok = isinstance(value, str) and bad_char(value) is None and (
            HTTP_URL.match(value) or (relative and _RELATIVE.match(value)))
        if not ok:
            shown = value if isinstance(value, str) else repr(value)
            shown = BAD_CHARS.sub("?", shown)[:200]
            self.err(loc.line, f"«{key}: {shown}» er ikke en http(s)-adresse",
                     hint or "Lim inn hele adressen, som begynner med https://. Andre typer "
                     "lenker (javascript:, data:, file: …) er ikke tillatt.")
            return None
        return value

    def integer(self, loc: Located | None, key: str, *, low: int = 0, high: int = 10**9,
                subject: str = "", hint: str = "") -> int | None:
        """A whole number written in plain ASCII digits, low ≤ n ≤ high. A quoted number is
        text, and is refused: the file should mean the same in every YAML reader."""
        if is_null(loc):
            return None
        node = loc.node
        value = loc.value
        quoted = isinstance(node, ScalarNode) and node.style not in (None, "")
        if isinstance(value, str) and not quoted and _DIGITS.fullmatch(value) \
                and len(value.lstrip("0")) <= len(str(high)):
            number = int(value)
            if low <= number <= high:
                return number
        shown = value if isinstance(value, str) else (
            "en liste eller tabell" if isinstance(value, (list, dict)) else repr(value))
        shown = BAD_CHARS.sub("?", shown)
        if len(shown) > 40:
            shown = shown[:20] + "…"
        if isinstance(value, str) and re.fullmatch(r"-\d+", value):
            why = "et negativt tall"
        elif isinstance(value, str) and re.fullmatch(r"-?\d+[.,]\d+", value):
            why = "et desimaltall"
        elif quoted:
            why = "tekst i anførselstegn"
        elif isinstance(value, str) and _DIGITS.fullmatch(value):
            why = f"utenfor det tillatte området {low}–{high}"
        else:
            why = "ikke et helt tall"
        what = subject or f"«{key}»"
        self.err(loc.line, f"«{key}: {shown}» er {why}; {what} må være et helt tall fra "
                 f"{low} til {high}", hint or "Skriv tallet med vanlige sifre (0–9), uten "
                 "anførselstegn, mellomrom eller andre tegn.")
        return None

    def date(self, loc: Located | None, key: str, *, not_after: dt.date | None = None
             ) -> dt.date | None:
        if is_null(loc):
            return None
        raw = str(loc.value).strip() if not isinstance(loc.value, (list, dict)) else ""
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raw = BAD_CHARS.sub("?", raw)[:40]
            self.err(loc.line, f"«{key}: {raw}» er ikke en dato på formen ÅÅÅÅ-MM-DD",
                     f"Skriv for eksempel «{key}: 2021-12-01».")
            return None
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            self.err(loc.line, f"«{key}: {raw}» er en dato som ikke finnes",
                     "Måned 01–12 og en dag som finnes i måneden, f.eks. 2021-12-01.")
            return None
        if not_after is not None and value > not_after:
            self.err(loc.line, f"«{key}: {raw}» ligger i framtiden",
                     "Bruk datoen eksemplet ble publisert eller oppdatert, ikke en planlagt dato.")
            return None
        return value

    def choice(self, loc: Located | None, key: str, options: dict | Iterable[str],
               label: str = "") -> str | None:
        value = self.text(loc, key)
        if value is None:
            return None
        if value not in options:
            self.err(loc.line, f"«{key}: {value}» er ikke en gyldig verdi",
                     ("Gyldige verdier: " + ", ".join(options) + ". "
                      + suggest(value, options)).strip())
            return None
        return value

    def boolean(self, loc: Located | None, key: str, hint: str = "") -> bool | None:
        if is_null(loc):
            return None
        if not isinstance(loc.value, bool):
            self.err(loc.line, f"«{key}» må være true eller false", hint)
            return None
        return loc.value

    def sources(self, loc: Located | None, key: str = "kilder", *, empty_hint: str = ""
                ) -> tuple[Kilde, ...]:
        """A list of sources: each «- tittel: …» with an optional «url:» and «type:»
        (what kind of source: KILDE_TYPES); a bare text is a title."""
        how = empty_hint or ("Legg til minst én kilde:\n      kilder:\n        - tittel: Hvor "
                             "eksemplet er beskrevet\n          url: https://…")
        found = self.listing(loc, key)
        if loc is not None and isinstance(loc.value, list) and not found:
            self.err(loc.line, f"«{key}» er tom", how)
        if len(found) > MAX_SOURCES:
            self.err(loc.line, f"«{key}» har {len(found)} kilder; høyst {MAX_SOURCES} er tillatt",
                     "Oppgi de viktigste kildene.")
            return ()
        out = []
        for item in found:
            if isinstance(item.value, str):
                item = Located({"tittel": item.value}, item.line, item.node, item.offset)
                parts = {"tittel": item}
            elif isinstance(item.value, dict):
                parts = fields(item)
            else:
                self.err(item.line, "hver kilde skal ha «tittel:» og eventuelt «url:»", how)
                continue
            self.unknown_keys(parts, ("tittel", "url", "type"), "i en kilde",
                              "En kilde har tittel, url og type.")
            if is_null(parts.get("tittel")):
                self.err(item.line, "en kilde mangler «tittel»", how)
                continue
            before = self.errors
            tittel = self.text(parts["tittel"], "tittel", max_len=300, html=False)
            url = self.url(parts.get("url"), "url", hint=(
                "Lim inn hele adressen, som begynner med https://, eller slett url-linjen hvis "
                "kilden er et dokument uten nettadresse."))
            kind = self.choice(parts.get("type"), "type", KILDE_TYPES)
            if tittel is not None and self.errors == before:
                out.append(Kilde(tittel, url, kind))
        return tuple(out)
