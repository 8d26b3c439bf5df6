"""Pagefind's index files (search/merge.py): gzip of `pagefind_dcd` + CBOR, as Pagefind 1.6.0
writes them (minicbor: definite lengths, shortest integers). Only what a bundle holds: unsigned
and negative integers, text and arrays."""
from __future__ import annotations

import gzip
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class BundleFormatError(RuntimeError):
    """A bundle not in the format read here (another Pagefind version?)."""


def head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes((major << 5 | value,))
    if value < 0x100:
        return bytes((major << 5 | 24, value))
    if value < 0x10000:
        return bytes((major << 5 | 25,)) + value.to_bytes(2, "big")
    if value < 0x100000000:
        return bytes((major << 5 | 26,)) + value.to_bytes(4, "big")
    return bytes((major << 5 | 27,)) + value.to_bytes(8, "big")


def _encode(value, out: bytearray) -> None:
    if isinstance(value, bool) or value is None:
        raise BundleFormatError(f"uventet verdi i Pagefind-indeksen: {value!r}")
    if isinstance(value, int):
        out += head(0, value) if value >= 0 else head(1, -1 - value)
    elif isinstance(value, str):
        data = value.encode("utf-8")
        out += head(3, len(data))
        out += data
    elif isinstance(value, bytes):
        out += value  # already encoded
    else:
        out += head(4, len(value))
        for item in value:
            _encode(item, out)


def encode(value) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def read_head(b: bytes, i: int) -> tuple[int, int, int]:
    """(major type, value, index after the head)."""
    first = b[i]
    major, info = first >> 5, first & 31
    if info < 24:
        return major, info, i + 1
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info)
    if size is None:
        raise BundleFormatError("Pagefind-indeksen har et ukjent CBOR-format")
    return major, int.from_bytes(b[i + 1:i + 1 + size], "big"), i + 1 + size


def decode(b: bytes, i: int = 0):
    """(value, index after it): integers, text and arrays (all a bundle holds)."""
    major, value, i = read_head(b, i)
    if major == 0:
        return value, i
    if major == 1:
        return -1 - value, i
    if major == 3:
        return b[i:i + value].decode("utf-8"), i + value
    if major == 4:
        items = []
        for _ in range(value):
            item, i = decode(b, i)
            items.append(item)
        return items, i
    raise BundleFormatError("Pagefind-indeksen har et ukjent CBOR-format")


def read(path: Path) -> bytes:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise BundleFormatError(f"{path.name} er ikke en Pagefind-fil")
    return raw[len(SIGNATURE):]


def write(path: Path, body: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + body, 6, mtime=0))
