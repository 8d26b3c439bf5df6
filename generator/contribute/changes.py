"""Which entry files changed against a base ref (for `erfaringsbank check --changed`).

Changed = differs between the merge base of BASE and HEAD and the working tree, plus files
git does not track yet. Deleted files are left out (nothing to check). Only git is used.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from generator.base.errors import ConfigError, Issue
from generator.load.files import entry_files
from generator.base.settings import Settings


def default_base(environ=None) -> str:
    """In a GitHub pull request the base branch is in GITHUB_BASE_REF; otherwise origin/main."""
    env = os.environ if environ is None else environ
    return f"origin/{env['GITHUB_BASE_REF']}" if env.get("GITHUB_BASE_REF") else "origin/main"


def _git(root: Path, *args: str) -> str:
    try:
        r = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ConfigError([Issue("git", 0, "programmet git er ikke installert",
                                 "Installer git, eller kjør «erfaringsbank check» uten --changed.")])
    if r.returncode != 0:
        raise ConfigError([Issue("git", 0, f"«git {' '.join(args)}» feilet: "
                                 f"{r.stderr.strip() or r.returncode}",
                                 "Oppgi en gren eller commit som finnes med --base (f.eks. "
                                 "--base main), eller kjør «erfaringsbank check» uten --changed. "
                                 "I GitHub Actions trengs «fetch-depth: 0» ved utsjekking.")])
    return r.stdout


def changed_entries(settings: Settings, base: str) -> set[Path]:
    """Resolved paths of entry files under the bank folder that changed against `base`."""
    root = settings.root
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    merge_base = _git(root, "merge-base", base, "HEAD").strip()
    names = _git(top, "diff", "--name-only", "-z", "--no-renames", merge_base, "--").split("\0")
    names += _git(top, "ls-files", "-z", "--others", "--exclude-standard").split("\0")
    candidates = {(top / n).resolve() for n in names if n}
    return {p.resolve() for p in entry_files(settings)} & candidates
