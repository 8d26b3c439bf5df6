"""Stage 1: read entry files from `examples_bank/` into raw entries (no interpretation yet).

Problems of the file itself — encoding, front matter, YAML syntax — are reported here with
file and line; the meaning of the keys is the validator's job.
"""
from __future__ import annotations

import os

from dataclasses import dataclass
from pathlib import Path

from generator.base.errors import Collector, ConfigError, Issue
from generator.base.text import BAD_CHARS, describe_char
from generator.load.frontmatter import FrontMatterProblem, split
from generator.base.settings import Settings
from generator.load.yamlsafe import Located, load_mapping

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".svg", ".gif"}
IGNORED_NAMES = {"README.md", ".gitkeep"}


@dataclass
class RawEntry:
    path: Path
    shown: str                      # path relative to the project root, for messages
    slug: str
    fields: dict[str, Located]
    body: str
    body_line: int                  # 1-based line where the body starts
    flagged: frozenset[str] = frozenset()   # keys already reported by the loader (YAML 1.1 trap)


def entry_files(settings: Settings) -> list[Path]:
    if not settings.bank_dir.is_dir():
        raise ConfigError([Issue(settings.rel(settings.bank_dir), 0, "mappen med eksempler finnes "
                                 "ikke", "Kjør kommandoen fra prosjektmappen, eller rett "
                                 "«bank:» under «- erfaringsbank:» i site_config.yml.")])
    found: list[Path] = []
    folders = [settings.bank_dir]
    while folders:  # os.scandir: one system call per folder, not a stat per file (5 000 entries)
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue  # hidden files and folders (.git, .github …) are not entries
                if entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
                elif (entry.name.endswith(".md") and entry.name not in IGNORED_NAMES
                      and entry.is_file()):
                    found.append(Path(entry.path))
    # the order of Path objects (by their parts), without Path.__lt__ for each comparison
    return sorted(found, key=lambda p: p.parts)


def load_entries(settings: Settings, issues: Collector,
                 only: set[Path] | None = None, cache=None) -> list[RawEntry]:
    """`cache` (incremental.EntryCache, in `serve`) skips files unchanged since the last load."""
    entries = []
    for path in entry_files(settings):
        if only is not None and path.resolve() not in only:
            continue
        if cache is not None:
            entry = cache.load(path, settings.rel, issues, load_entry)
        else:
            entry = load_entry(path, settings.rel(path), issues)
        if entry is not None:
            entries.append(entry)
    return entries


def decode(data: bytes, shown: str, issues: Collector) -> str | None:
    """UTF-8 with or without BOM, LF or CRLF. Anything else is refused with the line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.error(shown, line, f"filen er ikke UTF-8 (byte 0x{data[exc.start]:02x} kan ikke "
                     "leses)", "Lagre filen som UTF-8 (i de fleste redigeringsprogrammer: "
                     "«Lagre som» → koding UTF-8). Æ, ø og å må da skrives på nytt.")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (m := BAD_CHARS.search(text)) is not None:
        line = text.count("\n", 0, m.start()) + 1
        issues.error(shown, line, f"filen inneholder {describe_char(m.group(0))}",
                     "Slett tegnet (det er usynlig i de fleste redigeringsprogrammer: slett og "
                     "skriv linjen på nytt). Lagre filen som vanlig UTF-8-tekst.")
        return None
    return text


def parse_document(text: str, shown: str, issues: Collector):
    """Front matter + body of a decoded Markdown file: (parts, mapping, keys with problems),
    or None after reporting why. Shared by entries and the reference content pages."""
    try:
        parts = split(text)
    except FrontMatterProblem as p:
        issues.error(shown, p.line, p.message, p.hint)
        return None
    mapping, problems = load_mapping(parts.front_matter, parts.fm_start_line - 1)
    for p in problems:
        issues.error(shown, p.line, p.message, p.hint)
    if mapping is None:
        return None
    return parts, mapping, frozenset(p.key for p in problems if p.key)


def read_text(path: Path, shown: str, issues: Collector, missing: tuple[str, str] | None = None
              ) -> str | None:
    """Read and decode one file; report an unreadable file (or `missing`: message, hint)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        message, hint = missing if missing and isinstance(exc, FileNotFoundError) else (
            f"kan ikke lese filen ({exc.strerror})", "Sjekk filrettighetene.")
        issues.error(shown, 0, message, hint)
        return None
    return decode(data, shown, issues)


@dataclass
class Document:
    """A Markdown file with front matter: its fields (with lines) and its body."""

    fields: dict[str, Located]
    body: str
    body_line: int                  # 1-based line where the body starts
    flagged: frozenset[str]         # keys whose values the YAML reader already reported


def load_document(path: Path, shown: str, issues: Collector,
                  missing: tuple[str, str] | None = None) -> Document | None:
    """Read, decode and split one Markdown file with front matter; None after reporting why."""
    text = read_text(path, shown, issues, missing)
    parsed = parse_document(text, shown, issues) if text is not None else None
    if parsed is None:
        return None
    parts, mapping, problem_keys = parsed
    return Document(mapping, parts.body, parts.body_start_line, problem_keys)


def load_entry(path: Path, shown: str, issues: Collector) -> RawEntry | None:
    doc = load_document(path, shown, issues)
    if doc is None:
        return None
    return RawEntry(path, shown, path.stem, doc.fields, doc.body, doc.body_line, doc.flagged)
