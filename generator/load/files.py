"""Stage 1: read entry files from `examples_bank/` into raw entries (no interpretation yet).

Problems of the file itself — encoding, size, front matter, YAML syntax and nesting — are
reported here with file and line; the meaning of the keys is the validator's job. So are the
files that are not what they seem, in the bank and in content/ (`entry_files`): a symbolic link
is never followed, a misnamed, hidden or reserved file in the bank is reported with the fix, not
silently left out, and a content page over a limit (load/limits.py) is refused before mkdocs
reads it. Every file is read with `read_text`, which measures it before reading it.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from generator.base.errors import Collector, ConfigError, Issue
from generator.base.text import BAD_CHARS, describe_char
from generator.load.frontmatter import FrontMatterProblem, split
from generator.load.limits import (MAX_FILE_BYTES, MAX_FRONT_MATTER_BYTES,
                                   markdown_depth_problem, size)
from generator.base.settings import Settings
# the bank's and content/'s files as files (tree.py); IMAGE_SUFFIXES, Refused, symlinked_uris and
# symlinks_in are used from here by the validator, the engine adapter and the tests
from generator.load.tree import (IGNORED_NAMES, IMAGE_SUFFIXES, RESERVED_STEMS,  # noqa: F401
                                  Refused, _BAD_NAME, _refused, _scan_bank, _shown, scan_bank_kept,
                                  bad_name_issue, symlink_issue, symlinked_uris, symlinks_in)
from generator.load.yamlsafe import Located, load_mapping, yaml_too_deep

@dataclass
class RawEntry:
    path: Path
    shown: str                      # path relative to the project root, for messages
    slug: str
    fields: dict[str, Located]
    body: str
    body_line: int                  # 1-based line where the body starts
    flagged: frozenset[str] = frozenset()   # keys already reported by the loader (YAML 1.1 trap)


# What content/ may hold besides Markdown pages: images, PDF documents and data (read by the core).
CONTENT_SUFFIXES = (".md", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".pdf", ".yml", ".yaml")


def _scan_content(settings: Settings) -> list[Path]:
    """content/: every symbolic link, and every Markdown page whose size, front matter or
    nesting is over a limit (mkdocs reads these pages itself, and would crash on them)."""
    found: list[Path] = []
    if not settings.docs_dir.is_dir():
        return found
    folders = [settings.docs_dir]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                path = Path(entry.path)
                if _BAD_NAME.search(entry.name):
                    found.append(_refused(path, [bad_name_issue(_shown(settings, path))]))
                elif entry.is_symlink():
                    found.append(_refused(path, [symlink_issue(_shown(settings, path))]))
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                elif entry.name.endswith(".md"):
                    own = Collector()
                    check_page(path, settings.rel(path), own)
                    if own.issues:
                        found.append(_refused(path, own.issues))
                elif not entry.name.lower().endswith(CONTENT_SUFFIXES) \
                        and entry.name not in IGNORED_NAMES:
                    # mkdocs would publish any other file as it is: an .html, .svg or .js file
                    # would run on the site's origin
                    found.append(_refused(path, [Issue(
                        _shown(settings, path), 0, "filtypen kan ikke publiseres fra content/",
                        "Innholdssider skrives i Markdown (.md); bilder som .png, .jpg, .webp "
                        "eller .gif; data som .yml. HTML, SVG og skript er ikke tillatt.")]))
    return found


def check_page(path: Path, shown: str, issues: Collector) -> None:
    """A content page's limits (size, front matter, YAML and Markdown nesting), nothing else:
    its keys are the business of whoever reads them."""
    text = read_text(path, shown, issues)
    if text is None:
        return
    body, body_line = text, 1
    # front matter as mkdocs finds it: a first line «---» (spaces after it allowed) and a closing
    # «---» or «...»; without the closing line mkdocs reads the whole file as Markdown
    if text.split("\n", 1)[0].rstrip(" \t") == "---":
        try:
            split(text)
        except FrontMatterProblem:
            pass
        else:
            parsed = parse_document(text, shown, issues, limits_only=True)
            if parsed is None:
                return
            body, body_line = parsed[0].body, parsed[0].body_start_line
    markdown_limits(body, body_line, shown, issues)


def markdown_limits(body: str, body_line: int, shown: str, issues: Collector) -> bool:
    """Markdown nested deeper than MAX_MARKDOWN_DEPTH (block quotes and lists); False if so."""
    problem = markdown_depth_problem(body, body_line)
    if problem is not None:
        issues.error(shown, *problem)
    return problem is None


def entry_files(settings: Settings, memo: dict | None = None) -> list[Path]:
    """The bank's entry files, sorted — and, as `Refused` paths among them, every file that
    `check` refuses in the bank or in content/ (a symbolic link, a misnamed or misplaced file, a
    content page over a limit), so that whoever loads the entries reports them too."""
    if not settings.bank_dir.is_dir():
        raise ConfigError([Issue(settings.rel(settings.bank_dir), 0, "mappen med eksempler finnes "
                                 "ikke", "Kjør kommandoen fra prosjektmappen, eller rett "
                                 "«bank:» under «- erfaringsbank:» i site_config.yml.")])
    # `memo` (serve: the entry cache's): the bank's listing kept while its folders are unchanged
    found = (_scan_bank(settings) if memo is None else scan_bank_kept(settings, memo)) \
        + _scan_content(settings)
    # the order of Path objects (by their parts), without Path.__lt__ for each comparison
    return sorted(found, key=lambda p: p.parts)


def load_entries(settings: Settings, issues: Collector,
                 only: set[Path] | None = None, cache=None) -> list[RawEntry]:
    """`cache` (incremental.EntryCache, in `serve`) skips files unchanged since the last load.
    Refused files are reported once (the reference pages may have reported the same already)."""
    entries = []
    reported = None
    for path in entry_files(settings, getattr(cache, "scans", None)):
        if only is not None and path.resolve() not in only:
            continue
        if isinstance(path, Refused):
            reported = set(issues.issues) if reported is None else reported
            for issue in path.issues:
                if issue not in reported:
                    reported.add(issue)
                    issues.extend([issue])
            continue
        if cache is not None:
            entry = cache.load(path, settings.rel, issues, load_entry)
        else:
            entry = load_entry(path, settings.rel(path), issues)
        if entry is not None:
            entries.append(entry)
    return entries


def decode(data: bytes, shown: str, issues: Collector) -> str | None:
    """UTF-8 with or without BOM; line breaks LF, CRLF or a lone CR (old Mac files — editors
    show it as a line break, so line numbers count it). Anything else is refused with the line."""
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


def parse_document(text: str, shown: str, issues: Collector, limits_only: bool = False):
    """Front matter + body of a decoded Markdown file: (parts, mapping, keys with problems),
    or None after reporting why. Shared by entries and the reference content pages.
    `limits_only`: check the front matter's size and nesting without reading it (a content
    page mkdocs reads itself); returns (parts, None, frozenset()) then."""
    try:
        parts = split(text)
    except FrontMatterProblem as p:
        issues.error(shown, p.line, p.message, p.hint)
        return None
    fm = parts.front_matter
    if len(fm) > MAX_FRONT_MATTER_BYTES // 4 and len(fm.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        issues.error(shown, 1, f"front matter er {size(len(fm.encode('utf-8')))}; høyst "
                     f"{size(MAX_FRONT_MATTER_BYTES)} er tillatt",
                     "Front matter skal bare ha de korte feltene (tittel, kommuner, kilder …); "
                     "teksten hører hjemme under den avsluttende linjen med ---.")
        return None
    if limits_only:
        deep = yaml_too_deep(fm, parts.fm_start_line - 1)
        if deep is not None:
            issues.error(shown, deep.line, deep.message, deep.hint)
            return None
        return parts, None, frozenset()
    mapping, problems = load_mapping(fm, parts.fm_start_line - 1)
    for p in problems:
        issues.error(shown, p.line, p.message, p.hint)
    if mapping is None:
        return None
    return parts, mapping, frozenset(p.key for p in problems if p.key)


def read_text(path: Path, shown: str, issues: Collector, missing: tuple[str, str] | None = None
              ) -> str | None:
    """Read and decode one file; report an unreadable file (or `missing`: message, hint), a
    symbolic link (never followed), something that is not a file (a named pipe would never
    end) and a file over MAX_FILE_BYTES — the last three from its lstat, before reading."""
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            issues.extend([symlink_issue(shown)])
            return None
        if not stat.S_ISREG(st.st_mode):
            issues.error(shown, 0, "ikke en vanlig fil", "Legg inn en vanlig tekstfil her.")
            return None
        if st.st_size > MAX_FILE_BYTES:
            issues.error(shown, 0, f"filen er {size(st.st_size)}; høyst {size(MAX_FILE_BYTES)} er "
                         "tillatt", "Kort ned teksten; et eksempel er sjelden over 20 kB. Bilder "
                         "legges i egne filer, ikke i teksten.")
            return None
        data = path.read_bytes()
    except OSError as exc:
        message, hint = missing if missing and isinstance(exc, FileNotFoundError) else (
            f"kan ikke lese filen ({exc.strerror})", "Sjekk filrettighetene.")
        issues.error(shown, 0, message, hint)
        return None
    if len(data) > MAX_FILE_BYTES:  # it grew after the lstat
        issues.error(shown, 0, f"filen er {size(len(data))}; høyst {size(MAX_FILE_BYTES)} er "
                     "tillatt", "Kort ned teksten.")
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
    if isinstance(path, Refused):  # see entry_files
        issues.extend(path.issues)
        return None
    doc = load_document(path, shown, issues)
    if doc is None:
        return None
    return RawEntry(path, shown, path.stem, doc.fields, doc.body, doc.body_line, doc.flagged)
