"""Fast rebuilds in `serve`: only what changed is read, validated, rendered and written again.

`EntryCache` keeps, per entry file, the raw entry (keyed by its stat: mtime, size, ctime, inode)
and its validated `Example` with the issues it produced. A rebuild after editing one entry reads
and validates that one file; every other entry is reused as is. Validation results are dropped
whenever the context they depend on changes: the set of entry slugs (links between entries), the
reference data, the date, a content page added or deleted, an image added, deleted or replaced
(an entry may link to it or show it; an edited content page changes nothing here).

`PageMemo` keeps each example page for as long as its `Example` object is reused (and the
settings and the theme's template overrides are the same: `begin`), and the pages of a place
that lists examples while they are the same objects (Components.remembered), and tells the
engine adapter which generated pages changed since the previous build, so mkdocs' dirty build
renders only those (plus the hand-written pages, which carry generated sections).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from generator.base.errors import Collector, Issue
from generator.load.files import RawEntry
from generator.model import Example, Reference


class EntryCache:
    def __init__(self) -> None:
        self._raw: dict[Path, tuple[tuple[int, ...], RawEntry | None, list[Issue]]] = {}
        self._valid: dict[Path, tuple[RawEntry, Example | None, list[Issue]]] = {}
        self._context: tuple | None = None
        self.scans: dict = {}  # the bank's folder listing while unchanged (load/tree.py)

    def load(self, path: Path, shown: Callable[[Path], str], issues: Collector,
             loader: Callable[[Path, str, Collector], RawEntry | None]) -> RawEntry | None:
        try:
            st = os.stat(path)
            # ctime and inode too: a file rewritten with the same size and its mtime set back
            # (cp -p, an archive, touch -r) still has a new ctime; one renamed over it a new inode
            key = (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)
        except OSError:
            key = (-1, -1, -1, -1)
        hit = self._raw.get(path)
        if hit is not None and hit[0] == key:
            issues.extend(hit[2])
            return hit[1]
        own = Collector()
        raw = loader(path, shown(path), own)
        issues.extend(own.issues)
        self._raw[path] = (key, raw, own.issues)
        return raw

    def begin(self, reference: Reference, slugs: frozenset[str], today, targets: tuple = ()
              ) -> None:
        """Forget validation results if what they depend on changed: the reference data, the
        entries there are (links between them), the date, and the other files an entry may link
        to or show (`targets`: load/tree.link_targets_stamp)."""
        context = (reference, slugs, today, targets)
        if context != self._context:
            self._valid.clear()
            self._context = context

    def validate(self, validator, entry: RawEntry) -> Example | None:
        hit = self._valid.get(entry.path)
        if hit is not None and hit[0] is entry:
            validator.issues.extend(hit[2])
            return hit[1]
        own = Collector()
        example = validator.validate(entry, own)
        validator.issues.extend(own.issues)
        self._valid[entry.path] = (entry, example, own.issues)
        return example


class Swept(dict):
    """A dict that drops, on `sweep()`, the keys nobody read or wrote since the last sweep."""

    def __init__(self) -> None:
        super().__init__()
        self._used: set = set()

    def get(self, key, default=None):
        self._used.add(key)
        return super().get(key, default)

    def __setitem__(self, key, value) -> None:
        self._used.add(key)
        super().__setitem__(key, value)

    def sweep(self) -> None:
        for key in self.keys() - self._used:
            del self[key]
        self._used = set()


class PageMemo:
    """Example pages by Example identity; page fingerprints to tell mkdocs what changed."""

    def __init__(self) -> None:
        self._pages: dict[int, tuple[Example, object]] = {}
        self._fingerprints: dict[str, int] = {}
        # Components' made cards, by (example, level): listing pages are made again on every
        # rebuild, but almost all of their cards are the same as last time
        self.cards: dict[tuple[str, int], tuple[Example, list[str]]] = {}
        # Components' made card lists, by (page, level, examples): (examples, html), and its
        # listing pages, by (page, …, examples): (examples, (section, page))
        self.card_lists: Swept = Swept()
        self._context: tuple | None = None  # see begin

    def begin(self, context: tuple) -> None:
        """Forget every page, card and list if `context` — the settings, the theme's template
        overrides, whether the prize page exists — differs from the last build's: an example
        page shows the repository's address, a link to the prize page … and is otherwise kept
        for as long as its Example is."""
        if context != self._context:
            self._pages.clear()
            self.cards.clear()
            self.card_lists.clear()
            self._context = context

    def example_page(self, example: Example, make: Callable[[], object],
                     current: dict[str, Example] | None = None):
        """The page of `example` from the last build if neither it nor an example the page
        shows (`page.shows`: «Lignende eksempler») changed; `current`: the bank's examples by
        slug. (Which examples are chosen is not recomputed for unchanged pages: a new or edited
        example may enter other pages' lists only when they are made again — the preview's
        shortcut; `build` always chooses afresh.)"""
        hit = self._pages.get(id(example))
        if hit is not None and hit[0] is example and (current is None or all(
                current.get(o.slug) is o for o in getattr(hit[1], "shows", ()))):
            return hit[1]
        page = make()
        self._pages[id(example)] = (example, page)
        return page

    def keep_only(self, examples: list[Example]) -> None:
        alive = {id(e) for e in examples}
        for key in [k for k in self._pages if k not in alive]:
            del self._pages[key]
        for key in [k for k, (e, _) in self.cards.items() if id(e) not in alive]:
            del self.cards[key]
        for key in [k for k, (shown, _) in self.card_lists.items()
                    if any(id(e) not in alive for e in shown)]:
            del self.card_lists[key]
        # a list or page the last build did not use (its examples moved on: one added at the
        # top shifts every page of «Alle eksempler») is not asked for again
        self.card_lists.sweep()

    def changed(self, src_uri: str, markdown: str) -> bool:
        """True if the page is new or its content differs from the previous build."""
        fingerprint = hash(markdown)
        old = self._fingerprints.get(src_uri)
        self._fingerprints[src_uri] = fingerprint
        return old != fingerprint
