"""Is a proposed example already in the bank? The same file name (slug), or the same kommune and
a title that is nearly the same or contains the other — then the contributor is pointed at the
existing example, to propose a change to it instead of a second copy.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from generator.base.errors import Collector
from generator.base.settings import Settings
from generator.base.text import fold
from generator.load.files import entry_files, parse_document, read_text
from generator.load.tree import Refused
from generator.model import Reference, urls
from generator.validate.kommuner import KommuneIndex

RATIO = 0.8          # difflib's ratio of the folded titles from which they count as the same
MIN_CONTAINED = 10   # a title within the other counts if it has at least this many characters


@dataclass(frozen=True)
class Existing:
    path: str        # examples_bank/x.md
    tittel: str      # "" if the file cannot be read
    page: str        # its page on the site (absolute when the site's address is known)


def similar(a: str, b: str) -> bool:
    fa, fb = fold(a[:300]), fold(b[:300])  # a title is at most 120; an issue's may be longer
    if not fa or not fb:
        return False
    short, long_ = sorted((fa, fb), key=len)
    if len(short) >= MIN_CONTAINED and f" {short} " in f" {long_} ":
        return True
    return difflib.SequenceMatcher(None, fa, fb, autojunk=False).ratio() >= RATIO


def _head(path: Path, shown: str) -> tuple[str, list[str]] | None:
    """(tittel, kommuner as written) of an entry file; None if it cannot be read."""
    quiet = Collector()
    text = read_text(path, shown, quiet)
    parsed = parse_document(text, shown, quiet) if text is not None else None
    if parsed is None:
        return None
    mapping = parsed[1]
    tittel = mapping.get("tittel")
    kommuner = mapping.get("kommuner")
    return (tittel.value if tittel is not None and isinstance(tittel.value, str) else "",
            [k for k in (kommuner.value if kommuner is not None
                         and isinstance(kommuner.value, list) else []) if isinstance(k, str)])


def find_existing(settings: Settings, reference: Reference, tittel: str, kommuner: list[str],
                  target: Path) -> Existing | None:
    """The existing example the proposal (`tittel` in `kommuner`, to be written at `target`)
    seems to be, or None."""
    index = KommuneIndex(reference)
    mine = {k.nummer: k for k in (index.resolve(x)[0] for x in kommuner) if k is not None}
    needles = {n.lower() for k in mine.values() for n in (k.navn, k.nummer, *k.andre_navn)}
    for path in entry_files(settings):
        if not path.name.endswith(".md") or not _inside(path, settings.bank_dir):
            continue
        same_slug = path.stem == target.stem
        if not same_slug:
            if isinstance(path, Refused) or not needles:
                continue
            try:  # cheap first look: the kommune is named somewhere in the file
                raw = path.read_bytes()[:65536].decode("utf-8", "replace").lower()
            except OSError:
                continue
            if not any(n in raw for n in needles):
                continue
        shown = settings.rel(path)
        head = None if isinstance(path, Refused) else _head(path, shown)
        if not same_slug:
            if head is None or not similar(head[0], tittel):
                continue
            theirs = {k.nummer for k in (index.resolve(x)[0] for x in head[1]) if k is not None}
            if not theirs & set(mine):
                continue
        return Existing(shown, head[0] if head else "",
                        urls.absolute(settings.site_url, urls.example_uri(path.stem)))
    return None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False
