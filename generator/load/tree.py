"""The files of the bank and of content/ as files: which are entries, and which are refused
before anything reads them — a symbolic link (never followed: it could point at /etc/passwd or at
/proc/self/environ, the build's secrets), a name with a control character, and in the bank a
misnamed, hidden, reserved or misplaced file (reported with the fix, never silently left out).
`load/files.py` reads what is left and returns these as `Refused` paths among the entries.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

from generator.base.errors import Issue
from generator.base.settings import Settings

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


def scan_bank_kept(settings: Settings, memo: dict) -> list[Path]:
    """serve: the last scan of the bank again if none of its folders changed since. A folder's
    mtime changes when a file in it is added, deleted or renamed — not when one is edited, which
    the entry cache sees by the file's own stat. A folder changed in the 2 s before the scan is
    not trusted (on a coarse clock a later change could leave the same mtime): it is scanned
    again until it has been quiet that long."""
    key = ("bank", settings.bank_dir, settings.root)
    hit = memo.get(key)
    if hit is not None and all(_mtime(folder) == ns for folder, ns in hit[0]):
        return list(hit[1])
    start = time.time_ns()
    seen: list[Path] = []
    found = _scan_bank(settings, seen)
    stamps = [(folder, _mtime(folder)) for folder in seen]
    if all(ns is not None and ns < start - 2_000_000_000 for _, ns in stamps):
        memo[key] = (stamps, tuple(found))
    else:
        memo.pop(key, None)
    return found


def _mtime(folder: Path) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


def _scan_bank(settings: Settings, seen: list[Path] | None = None) -> list[Path]:
    found: list[Path] = []
    folders = [(settings.bank_dir, False)]
    while folders:  # os.scandir: one system call per folder, not a stat per file (5 000 entries)
        folder, hidden = folders.pop()
        if seen is not None:
            seen.append(folder)
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


def link_targets_stamp(settings: Settings) -> tuple:
    """What an entry's links and images may point at besides other entries, sorted: the paths of
    the files in content/ (a link needs only the page to be there: editing a page must not make
    serve validate all 5 000 entries again) and the images in the bank with their size and mtime
    (one replaced may now be too large). serve validates an unchanged entry again when this
    changes (pipeline/incremental.EntryCache). One scandir per folder, a stat only for the few
    bank files that are not entries; links are not followed."""
    out: list[tuple] = []
    for root, in_bank in ((settings.docs_dir, False), (settings.bank_dir, True)):
        folders = [Path(root)]
        while folders:
            folder = folders.pop()
            try:
                with os.scandir(folder) as found:
                    for entry in found:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(Path(entry.path))
                        elif not in_bank:
                            out.append((entry.path,))
                        elif not entry.name.endswith(".md"):
                            st = entry.stat(follow_symlinks=False)
                            out.append((entry.path, st.st_size, st.st_mtime_ns))
            except OSError:  # gone or unreadable: the validator reports what it cannot find
                continue
    return tuple(sorted(out))
