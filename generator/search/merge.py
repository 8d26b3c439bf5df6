"""One Pagefind bundle from several: the build indexes its pages in parts, one Pagefind service
after another (search/stream.py), and merges their bundles here into the bundle one service
would have written for all the pages.

Why: Pagefind holds every page it was given until it writes, and writing needs about three
times that (the 5 000-entry bench: 260 MB held, 790 MB while writing). Parts of 500 pages
need at most ≈ 125 MB, so the whole build stays under 600 MB (docs/performance.md). The browser
still loads one index (Pagefind's own `mergeIndex` would download each part's index chunk for
a word: 4 parts, ≈ 4 × 40 KB more for a first query) and ranks over all pages at once.

The bundle format is Pagefind 1.6.0's, read from its files (its source is not at hand). Whether
it still holds — after a Pagefind upgrade too — is what tests/test_search_stream.py checks: a
bundle merged from parts, decoded, is the bundle of one service for the same pages; and
tests/test_search_relevance.py: the same hits, scores and counts. Every index file is gzip of
`pagefind_dcd` + CBOR:

* `pagefind.<hash>.pf_meta`: [version, pages: [[fragment hash, word count, group]], index chunks:
  [[from, to, hash]], filters: [[name, hash]], sorts: [[name, [page numbers]]], metadata keys].
  A page's number is its place in `pages`; a part's pages follow the pages of the parts before it.
* `index/<hash>.pf_index`: [[word, pages, variants]] in word order; pages: [[page number as the
  difference from the previous page of the word, locations, metadata locations]]; variants:
  [[accented spelling, pages]]. Only the first page of each part's list changes when merging (its
  difference is from the previous part's last page); everything else is copied as bytes — except
  metadata locations in a part that lists other metadata keys than the whole (a key is written as
  −1 − its place in the list, and a part lists only the keys its pages have). Chunks
  are cut as Pagefind cuts them: after the word that brings a chunk to `CHUNK_UNITS`
  (one per page, plus its locations and metadata locations).
* `filter/<hash>.pf_filter`: [name, [[value, [page numbers]]]], values in order.
* `fragment/<hash>.pf_fragment`: one page each, moved as they are.

Sort orders (data-pagefind-sort) need the values, which the bundle does not hold: the caller
passes each part's values (`Part.sorts`), and a part's order pairs them with its pages.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.search.bundle import (BundleFormatError, decode, encode, head, read,
                                     read_head, write)

CHUNK_UNITS = 19_999  # Pagefind 1.6.0 cuts a chunk once it holds this much (module docstring)
ENTRY = "pagefind-entry.json"


@dataclass
class Part:
    """One Pagefind bundle folder, and the sort values of its pages: {sort key: [values]}
    (every value of that key the part's pages have, in any order)."""
    folder: Path
    sorts: dict[str, list[str]] = field(default_factory=dict)


# One page of a word, as bytes: [difference, locations, metadata locations]. The arrays hold only
# integers, and what follows a page (the next page, the variants, the next word) never starts with
# an integer, so the greedy repetition ends exactly at the end of each array.
_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38][\s\S]|[\x19\x39][\s\S]{2}|[\x1a\x3a][\s\S]{4}|[\x1b\x3b][\s\S]{8})"
_ARRAY = rb"([\x80-\x97]|\x98[\s\S]|\x99[\s\S]{2}|\x9a[\s\S]{4})" + _INT + rb"*"
_PAGE = re.compile(rb"\x83(" + _INT + rb")" + _ARRAY + _ARRAY)
_PAGES = re.compile(rb"(?:\x83" + _INT + _ARRAY.replace(b"(", b"(?:", 1) * 2 + rb")*")


@dataclass
class _Pages:
    """One part's pages of a word (or of a variant): bytes of the pages after the first, and
    what the merge needs to know of them."""
    first: int       # page number (in the merged bundle) of the first page
    last: int        # page number of the last
    count: int
    units: int       # Pagefind's chunk measure
    first_rest: bytes  # the first page's locations and metadata locations
    rest: bytes      # the pages after the first, as they are


class _Ints(dict):
    """CBOR head (an unsigned integer, or an array's head) → its value, remembered: a bundle
    has a few thousand different ones and a million pages."""

    def __missing__(self, raw: bytes) -> int:
        value = raw[0] & 31 if len(raw) == 1 else int.from_bytes(raw[1:], "big")
        self[raw] = value
        return value


_VALUES = _Ints()


def _renumber_keys(b: bytes, i: int, end: int, keys: dict[int, int]) -> bytes:
    """The pages in b[i:end] with their metadata locations' keys renumbered (a metadata key is
    written as -1 - its place in the bundle's list of keys, which differs between parts)."""
    out, copied = bytearray(), i
    for found in _PAGE.finditer(b, i, end):
        if found.group(3) != b"\x80":  # not empty
            values, stop = decode(b, found.start(3))
            out += b[copied:found.start(3)]
            out += encode([-1 - keys[-1 - v] if v < 0 else v for v in values])
            copied = stop
    out += b[copied:end]
    return bytes(out)


def _scan_pages(b: bytes, i: int, offset: int,
                keys: dict[int, int] | None) -> tuple[_Pages | None, int]:
    """The array of pages at b[i:] (a part's page numbers shifted by `offset`; its metadata
    keys renumbered by `keys`, where they differ)."""
    _, count, i = read_head(b, i)
    if count == 0:
        return None, i
    end = _PAGES.match(b, i).end()
    if keys is not None:
        pages, _ = _scan_pages(head(4, count) + _renumber_keys(b, i, end, keys), 0, offset, None)
        return pages, end
    pages = _PAGE.findall(b, i, end)  # C speed: [(difference, locations' head, metadata's)]
    if len(pages) != count:
        raise BundleFormatError("Pagefind-indeksen har et ukjent format (sider i et ord)")
    deltas, heads, metas = zip(*pages)
    value = _VALUES.__getitem__
    first = value(deltas[0])
    second = _PAGE.match(b, i).end()
    return _Pages(first + offset, sum(map(value, deltas)) + offset, count,
                  sum(map(value, heads)) + sum(map(value, metas)) + count,
                  b[i + 1 + len(deltas[0]):second], b[second:end]), end


@dataclass
class _Word:
    pages: _Pages | None
    variants: list[tuple[str, _Pages]]

    def units(self) -> int:
        return ((self.pages.units if self.pages else 0)
                + sum(p.units for _, p in self.variants))


def _words(folder: Path, chunks: list, offset: int, keys: dict[int, int] | None):
    """(word, _Word) of a part's index, in word order, one chunk in memory at a time."""
    for _, _, name in chunks:
        b = read(folder / "index" / f"{name}.pf_index")
        major, count, i = read_head(b, 0)
        if major != 4 or count != 1:
            raise BundleFormatError("Pagefind-indeksen har et ukjent format (ordliste)")
        _, words, i = read_head(b, i)
        for _ in range(words):
            major, size, i = read_head(b, i)
            if major != 4 or size != 3:
                raise BundleFormatError("Pagefind-indeksen har et ukjent format (ord)")
            word, i = decode(b, i)
            pages, i = _scan_pages(b, i, offset, keys)
            _, count, i = read_head(b, i)
            variants = []
            for _ in range(count):
                _, size, i = read_head(b, i)
                variant, i = decode(b, i)
                found, i = _scan_pages(b, i, offset, keys)
                if found is not None:
                    variants.append((variant, found))
            yield word, _Word(pages, variants)
        if i != len(b):
            raise BundleFormatError("Pagefind-indeksen har et ukjent format (slutt)")


def _join(lists: list[_Pages]) -> bytes:
    """The pages of one word from several parts, as one CBOR array."""
    out = bytearray(head(4, sum(p.count for p in lists)))
    previous = 0  # the first page's number is its difference from 0
    for pages in lists:
        out += b"\x83" + head(0, pages.first - previous)
        out += pages.first_rest
        out += pages.rest
        previous = pages.last
    return bytes(out)


def _merge_word(word: str, found: list[_Word]) -> tuple[bytes, int]:
    pages = [w.pages for w in found if w.pages is not None]
    variants: dict[str, list[_Pages]] = {}
    for w in found:
        for variant, p in w.variants:
            variants.setdefault(variant, []).append(p)
    body = bytearray(b"\x83" + encode(word) + _join(pages))
    body += head(4, len(variants))
    for variant, lists in variants.items():
        body += b"\x82" + encode(variant) + _join(lists)
    return bytes(body), sum(w.units() for w in found)


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Chunk boundaries between the last word `a` of a chunk and the first `b` of the next:
    each cut one character after their common prefix (as Pagefind does)."""
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return a[:common + 1], b[:common + 1]


class _Names:
    """File names as Pagefind makes them: `<language>_<hash>`, lengthened on a collision."""

    def __init__(self, language: str, length: int) -> None:
        self.language, self.length, self.used = language, length, set()

    def name(self, body: bytes) -> str:
        full = hashlib.sha256(body).hexdigest()
        size = self.length
        while f"{self.language}_{full[:size]}" in self.used:
            size += 1
        name = f"{self.language}_{full[:size]}"
        self.used.add(name)
        return name


def _sort_type_numeric(values: list[str]) -> bool:
    """Pagefind sorts a key by number when every value is one, else as text."""
    def number(v: str) -> bool:
        try:
            float(v)
        except ValueError:
            return False
        return bool(re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", v))
    return all(number(v) for v in values)


def merge(parts: list[Part], out: Path) -> None:
    """Write the bundle of all `parts` (in this order) into `out` (created; it must not exist).
    The parts' folders are emptied of what is moved (fragments, the runtime files)."""
    metas, entries = [], []
    for part in parts:
        entry = json.loads((part.folder / ENTRY).read_text(encoding="utf-8"))
        languages = entry.get("languages") or {}
        if len(languages) != 1:
            raise BundleFormatError("en del av søkeindeksen har ikke nøyaktig ett språk")
        (code, info), = languages.items()
        meta, _ = decode(read(part.folder / f"pagefind.{info['hash']}.pf_meta"))
        if not (isinstance(meta, list) and len(meta) == 6):
            raise BundleFormatError("Pagefind-indeksen har et ukjent format (pf_meta)")
        metas.append(meta)
        entries.append((entry, code, info))
    entry, code, info = entries[0]
    if any(e[1] != code or e[0].get("version") != entry.get("version") for e in entries):
        raise BundleFormatError("delene av søkeindeksen har ulikt språk eller versjon")
    language = info["hash"].split("_", 1)[0]
    out = Path(out)
    out.mkdir(parents=True)
    (out / "index").mkdir()
    (out / "filter").mkdir()
    (out / "fragment").mkdir()

    offsets, total = [], 0
    for meta in metas:
        offsets.append(total)
        total += len(meta[1])

    # pages and their fragments (moved; a name two parts use for different pages is renamed)
    pages: list = []
    fragments = _Names(language, 7)
    for part, meta in zip(parts, metas):
        for name, words, group in meta[1]:
            source = part.folder / "fragment" / f"{name}.pf_fragment"
            target = out / "fragment" / f"{name}.pf_fragment"
            if name in fragments.used:
                # the same page twice (Pagefind gives identical pages one fragment): already moved
                if not source.exists() or target.read_bytes() == source.read_bytes():
                    pages.append([name, words, group])
                    continue
                name = fragments.name(source.read_bytes())
                target = out / "fragment" / f"{name}.pf_fragment"
            fragments.used.add(name)
            _move(source, target)
            pages.append([name, words, group])

    # the word index, merged word by word across the parts, cut into chunks as Pagefind does
    chunk_names = _Names(language, 7)
    keys_meta = sorted({k for meta in metas for k in meta[5]})
    renumber = [None if meta[5] == keys_meta else
                {n: keys_meta.index(key) for n, key in enumerate(meta[5])} for meta in metas]
    streams = [((word, k, w) for word, w in _words(part.folder, meta[2], offset, renumber[k]))
               for k, (part, meta, offset) in enumerate(zip(parts, metas, offsets))]
    chunks: list[list] = []
    body, units, first, last = bytearray(), 0, None, None
    words_in_chunk = 0

    def flush() -> None:
        nonlocal body, units, words_in_chunk, first
        data = b"\x81" + head(4, words_in_chunk) + bytes(body)
        name = chunk_names.name(data)
        write(out / "index" / f"{name}.pf_index", data)
        chunks.append([first, last, name])
        body, units, words_in_chunk, first = bytearray(), 0, 0, None

    current, found = None, []
    for word, _, w in heapq.merge(*streams, key=lambda t: (t[0], t[1])):
        if word != current and found:
            data, size = _merge_word(current, found)
            body += data
            units += size
            words_in_chunk += 1
            first = current if first is None else first
            last = current
            if units >= CHUNK_UNITS:
                flush()
            found = []
        current = word
        found.append(w)
    if found:
        data, size = _merge_word(current, found)
        body += data
        words_in_chunk += 1
        first = current if first is None else first
        last = current
    if words_in_chunk:
        flush()
    for a, b in zip(chunks, chunks[1:]):
        to, b[0] = _prefixes(a[1], b[0])
        if to >= a[0]:  # Pagefind keeps the whole last word where the cut one would sort
            a[1] = to   # before the chunk's first boundary

    # filters: each value's pages from every part, page numbers shifted
    filter_names = _Names(language, 7)
    values: dict[str, dict[str, list[int]]] = {}
    for part, meta, offset in zip(parts, metas, offsets):
        for name, hashed in meta[3]:
            data, _ = decode(read(part.folder / "filter" / f"{hashed}.pf_filter"))
            merged = values.setdefault(data[0], {})
            for value, numbers in data[1]:
                merged.setdefault(value, []).extend(n + offset for n in numbers)
    filters = []
    for name in sorted(values):
        data = encode([name, [[v, values[name][v]] for v in sorted(values[name])]])
        hashed = filter_names.name(data)
        write(out / "filter" / f"{hashed}.pf_filter", data)
        filters.append([name, hashed])

    # sort orders: each part's order paired with its values, merged by value
    sorts = []
    keys = sorted({key for meta in metas for key, _ in meta[4]})
    for key in keys:
        every = [v for part in parts for v in part.sorts.get(key, [])]
        numeric = _sort_type_numeric(every)
        order = (lambda v: float(v)) if numeric else (lambda v: v.encode("utf-8"))
        runs = []
        for k, (part, meta, offset) in enumerate(zip(parts, metas, offsets)):
            numbers = next((p for s, p in meta[4] if s == key), [])
            mine = sorted(part.sorts.get(key, []), key=order)
            if len(mine) != len(numbers) or (mine and _sort_type_numeric(mine) != numeric):
                raise BundleFormatError(f"sorteringen «{key}» kan ikke slås sammen")
            runs.append([(order(v), k, i, n + offset) for i, (v, n) in enumerate(zip(mine, numbers))])
        sorts.append([key, [t[3] for t in heapq.merge(*runs)]])

    meta_body = encode([metas[0][0], pages, chunks, filters, sorts, keys_meta])
    meta_name = _Names(language, 10).name(meta_body)
    write(out / f"pagefind.{meta_name}.pf_meta", meta_body)

    # the runtime (pagefind.js, the WebAssembly, the UIs): the same in every part
    for path in parts[0].folder.iterdir():
        if path.is_file() and path.name != ENTRY and not path.name.endswith(".pf_meta"):
            _move(path, out / path.name)
    info = {**info, "hash": meta_name, "page_count": len(pages)}
    entry = {**entry, "languages": {code: info}}
    (out / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                             encoding="utf-8")


def _move(source: Path, target: Path) -> None:
    """A rename where the parts and the site share a file system (a copy where not)."""
    try:
        os.replace(source, target)
    except OSError:
        shutil.copyfile(source, target)
        source.unlink()
