"""Norwegian text helpers: slugs, dates and numbers written the Norwegian way."""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
          "september", "oktober", "november", "desember"]

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a",
                       "ŋ": "n", "đ": "d", "ŧ": "t"})
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """«Møre og Romsdal» → «more-og-romsdal»; «Kárášjohka» → «karasjohka»."""
    text = text.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def is_slug(text: str) -> bool:
    return bool(_SLUG_RE.match(text))


@functools.lru_cache(maxsize=32768)  # every title, every rebuild in serve (duplicate_titles)
def fold(text: str) -> str:
    """Case- and accent-insensitive key for matching names typed by hand."""
    return " ".join(slugify(text).split("-"))


def format_date(value: dt.date) -> str:
    """1. desember 2021"""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def format_int(value: int) -> str:
    """Norwegian thousands separator: a narrow no-break space (1 230, 20 000)."""
    return f"{value:,}".replace(",", "\u202f")


def plural(n: int, one: str, many: str) -> str:
    return f"{format_int(n)} {one if n == 1 else many}"


# Characters no text of ours may hold: control characters (C0 except tab and newline, DEL, C1),
# lone surrogates, and the bidirectional overrides U+202A–U+202E and U+2066–U+2069 (they make a
# text display differently from what it says). A decoded file (carriage returns already made
# newlines) and every text field are checked against it.
BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def describe_char(ch: str) -> str:
    """«et kontrolltegn (U+0001)» — what a refused character is, for an error message."""
    names = {"\x00": "NUL", "\x7f": "DEL", "\x0b": "vertikal tabulator", "\x0c": "sideskift"}
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        kind = "et usynlig retningstegn"
    elif "\ud800" <= ch <= "\udfff":
        kind = "en ugyldig tegnkode (halvt surrogatpar)"
    else:
        kind = "et kontrolltegn"
    return f"{kind} (U+{ord(ch):04X}{', ' + names[ch] if ch in names else ''})"


_COLLATE = str.maketrans({"æ": "{", "ø": "|", "å": "}", "Æ": "{", "Ø": "|", "Å": "}"})


def sort_key(name: str) -> str:
    """Norwegian alphabetical order: … x y z æ ø å (Unicode would put å before æ)."""
    return unicodedata.normalize("NFC", name).lower().translate(_COLLATE)
