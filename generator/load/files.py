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
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from generator.base.errors import Collector, ConfigError, Issue
from generator.base.text import BAD_CHARS, describe_char
from generator.load.frontmatter import FrontMatterProblem, split
from generator.load.limits import (MAX_FILE_BYTES, MAX_FRONT_MATTER_BYTES,
                                   markdown_depth_problem, size)
from generator.base.settings import Settings
from generator.load.yamlsafe import Located, load_mapping, yaml_too_deep

# Images an entry may show. SVG is left out on purpose: an SVG file served from the site's own
# origin can run script (an <svg onload=…> or <script> inside it runs when its URL is opened), and
# on GitHub Pages that origin is shared by every project site of the organisation. Sanitising SVG
# is a moving target; a PNG or WebP says the same without any of it (validate/entries.py refuses an
# SVG with that hint).
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
IGNORED_NAMES = {"README.md", ".gitkeep"}
# What a contributor may have meant as an entry: reported when it is misnamed, never ignored.
_ENTRY_LIKE = {".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".txt", ".text"}
# Slugs an entry file may not have: «index» would take the place of the folder page eksempler/,
# and Windows cannot check out a file named after a device (con.md, nul.md …).
RESERVED_STEMS = frozenset({"index", "con", "prn", "aux", "nul",
                            *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))})
_SYMLINK_HINT = ("Legg inn selve filen (eller mappen) i stedet for lenken. Prosjektet består av "
                 "vanlige filer og trenger ingen lenker.")


@dataclass
class RawEntry:
    path: Path
    shown: str                      # path relative to the project root, for messages
    slug: str
    fields: dict[str, Located]
    body: str
    body_line: int                  # 1-based line where the body starts
    flagged: frozenset[str] = frozenset()   # keys already reported by the loader (YAML 1.1 trap)


class Refused(type(Path())):
    """A file `check` refuses — a symbolic link, a misnamed or misplaced file in the bank, a
    content page over a limit — with its issues. `entry_files` returns these among the entries,
    so every caller that loads entries (the serial loader, the parallel one, `check --changed`)
    reports them instead of silently leaving the file out."""

    issues: tuple[Issue, ...] = ()

    def __reduce__(self):  # kept when sent to a worker process
        return (_refused, (str(self), self.issues))


def _refused(path: str | Path, issues) -> Refused:
    out = Refused(path)
    out.issues = tuple(issues)
    return out


def symlinks_in(folder: Path) -> list[Path]:
    """Every symbolic link below `folder` (to a file or a folder, inside or outside the project,
    dangling or not), found without following any; sorted. The folder itself may be a link."""
    found: list[Path] = []
    if not folder.is_dir():
        return found
    folders = [folder]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        found.append(Path(entry.path))
                    elif entry.is_dir(follow_symlinks=False):
                        folders.append(Path(entry.path))
        except OSError:
            continue  # an unreadable folder: nothing below it can be published either
    return sorted(found, key=lambda p: p.parts)


def symlinked_uris(folder: Path, uris) -> set[str]:
    """Those of `uris` (paths below `folder` with forward slashes, such as mkdocs' `src_uri`)
    that are a symbolic link or lie below one: an engine must not read or publish them."""
    links = [p.relative_to(folder).as_posix() for p in symlinks_in(folder)]
    if not links:
        return set()
    return {u for u in uris if any(u == link or u.startswith(link + "/") for link in links)}


def _shown(settings: Settings, path: Path) -> str:
    """A path as messages show it, without following a link in its last part (and with «?» for
    a control character in a name: a report line must not be able to move the cursor or start a
    line of its own)."""
    parent = settings.rel(path.parent)
    shown = f"{parent}/{path.name}" if parent not in ("", ".") else path.name
    return _BAD_NAME.sub("?", shown)


# Control characters (newline and tab too), the bidirectional overrides and lone surrogates (a
# name that is not UTF-8 reaches Python with them): no file or folder name may hold one.
_BAD_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def bad_name_issue(shown: str) -> Issue:
    return Issue(shown, 0, "navnet inneholder et kontrolltegn eller er ikke gyldig UTF-8",
                 "Gi filen (eller mappen) et navn med bare små bokstaver a–z, tall og "
                 "bindestrek, f.eks. «tydal-kafe-posten.md».")


def symlink_issue(shown: str) -> Issue:
    return Issue(shown, 0, "symbolsk lenke (symlink): lenker følges ikke, så det den peker på "
                 "blir verken lest eller publisert", _SYMLINK_HINT)


def _bank_file_problem(name: str, hidden: bool) -> tuple[str, str] | None | bool:
    """What is wrong with a file of this name in the bank: (message, hint); None: an entry;
    False: not an entry and nothing wrong (an image, README.md, .gitkeep, .DS_Store …)."""
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    stem = stem if dot else name
    if name in IGNORED_NAMES:
        return False
    if hidden or name.startswith("."):
        if suffix not in _ENTRY_LIKE:
            return False  # .DS_Store, .gitattributes …: nothing anyone meant as an example
        visible = name.lstrip(".") or name
        if hidden:
            return ("filen ligger i en skjult mappe (navnet begynner med punktum) og blir ikke "
                    "med på nettstedet", "Flytt filen til examples_bank/.")
        return ("skjult fil (navnet begynner med punktum); den blir ikke med på nettstedet",
                f"Gi filen et navn uten punktum først, f.eks. «{visible}».")
    if name.endswith(".md"):
        if stem.lower() in RESERVED_STEMS:
            why = ("det er navnet på mappens egen side" if stem.lower() == "index" else
                   "Windows kan ikke ha en fil med dette navnet")
            return (f"filnavnet «{name}» er reservert ({why})",
                    "Gi eksemplet et beskrivende navn: <kommune>-<kort-navn>.md, f.eks. "
                    "«tydal-kafe-posten.md».")
        return None
    if suffix == ".md":
        return (f"filendelsen må skrives med små bokstaver: «{stem}.md», ikke «{name}»",
                f"Gi filen nytt navn: {stem}.md.")
    if suffix in _ENTRY_LIKE:
        return (f"eksempler må ha filendelsen .md, ikke {suffix}",
                f"Gi filen nytt navn: {stem}.md.")
    if suffix in IMAGE_SUFFIXES:
        return False
    if suffix == ".svg":
        return ("SVG-bilder er ikke tillatt (en SVG-fil kan inneholde skript)",
                "Lagre bildet som PNG eller WebP og lenk til det i stedet.")
    return (f"filen «{name}» hører ikke hjemme i examples_bank/",
            "Mappen skal bare ha eksempler (.md) og bildene deres (jpg, png, webp, gif). "
            "Flytt eller slett filen.")


def _scan_bank(settings: Settings) -> list[Path]:
    found: list[Path] = []
    folders = [(settings.bank_dir, False)]
    while folders:  # os.scandir: one system call per folder, not a stat per file (5 000 entries)
        folder, hidden = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if _BAD_NAME.search(entry.name):
                    found.append(_refused(entry.path, [bad_name_issue(
                        _shown(settings, Path(entry.path)))]))
                elif entry.is_symlink():
                    found.append(_refused(entry.path, [symlink_issue(
                        _shown(settings, Path(entry.path)))]))
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name != ".git":
                        folders.append((Path(entry.path), hidden or entry.name.startswith(".")))
                elif (problem := _bank_file_problem(entry.name, hidden)) is None:
                    found.append(Path(entry.path))
                elif problem:
                    path = Path(entry.path)
                    found.append(_refused(path, [Issue(_shown(settings, path), 0, *problem)]))
    return found


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


def entry_files(settings: Settings) -> list[Path]:
    """The bank's entry files, sorted — and, as `Refused` paths among them, every file that
    `check` refuses in the bank or in content/ (a symbolic link, a misnamed or misplaced file, a
    content page over a limit), so that whoever loads the entries reports them too."""
    if not settings.bank_dir.is_dir():
        raise ConfigError([Issue(settings.rel(settings.bank_dir), 0, "mappen med eksempler finnes "
                                 "ikke", "Kjør kommandoen fra prosjektmappen, eller rett "
                                 "«bank:» under «- erfaringsbank:» i site_config.yml.")])
    found = _scan_bank(settings) + _scan_content(settings)
    # the order of Path objects (by their parts), without Path.__lt__ for each comparison
    return sorted(found, key=lambda p: p.parts)


def load_entries(settings: Settings, issues: Collector,
                 only: set[Path] | None = None, cache=None) -> list[RawEntry]:
    """`cache` (incremental.EntryCache, in `serve`) skips files unchanged since the last load.
    Refused files are reported once (the reference pages may have reported the same already)."""
    entries = []
    reported = None
    for path in entry_files(settings):
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
