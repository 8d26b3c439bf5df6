"""The last stage: publish a finished build atomically, and never lose or half-publish anything.

* The site is built into a fresh temporary folder beside the target (`staging`); only when the
  engine finished and the guard (guard.py) finds everything the core makes, the target is
  replaced by two renames (`commit`). A failed or interrupted build leaves the previous site
  as it was.
* The target may not be, contain or lie inside the project's sources (the project root,
  content/, examples_bank/, theme/, .git): `erfaringsbank build -d content` would otherwise
  replace the content folder with the site (`check_target`, before anything is touched).
* One build at a time per target: a lock file (`flock`, released by the OS when a build is
  killed) makes a second build wait a moment and then stop with a clear message.
* Temporary folders that a killed build left behind are removed by the next build.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

from generator.base.errors import BankError, ConfigError, Issue
from generator.base.settings import Settings

LOCK_WAIT = 10.0  # seconds a second build waits for the first before it gives up
_STAGING = "-bygges-"  # a build of `site` stages in `.site-bygges-<8 random characters>`


class PublishError(BankError):
    """The site could not be published (exit 1): a busy target, a full disk, no permission."""


def check_target(settings: Settings, target: Path) -> None:
    """Refuse a site folder that is, contains or lies inside the project's own sources."""
    target = target.resolve()
    root = settings.root.resolve()
    protected = {
        root: "prosjektmappen",
        settings.docs_dir.resolve(): "innholdsmappen",
        settings.bank_dir.resolve(): "eksempelmappen",
        (root / ".git").resolve(): "git-mappen",
    }
    if settings.theme_dir is not None:
        protected[settings.theme_dir.resolve()] = "temamappen"
    for folder, name in protected.items():
        inside = target == folder or folder in target.parents
        contains = target in folder.parents
        if (inside and folder != root) or target == root or contains:
            raise ConfigError([Issue(
                "--site-dir", 0, f"nettstedsmappen {target} er {name} ({folder}) eller ligger "
                f"{'i' if inside else 'over'} den; byggingen ville erstattet den",
                "Bygg til en egen mappe, for eksempel «site» (standard) eller «-d /tmp/nettsted».")])


@contextlib.contextmanager
def staging(target: Path) -> Iterator[Path]:
    """A fresh folder to build into, beside `target`, under the target's lock."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        lock = open(parent / f".erfaringsbank-{target.name}.lock", "a+")  # noqa: SIM115
    except OSError as exc:
        raise _io_error(exc, parent) from None
    with lock:
        _acquire(lock, target)
        _remove_leftovers(parent, target.name)
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{_STAGING}", dir=parent))
        except OSError as exc:
            raise _io_error(exc, parent) from None
        try:
            yield tmp
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def commit(built: Path, target: Path) -> None:
    """Swap the finished site in, if the guard finds everything the core makes."""
    # imported here: `python -m generator.publish.guard` must not find it imported already
    from generator.publish.guard import missing_output
    problems = missing_output(built)
    if problems:
        raise PublishError([Issue(str(target), 0, "nettstedet ble bygget uten det "
                                  "erfaringsbank lager, og er ikke publisert: " + p,
                                  "Se docs/motor.md (erfaringsbank-utvidelsen må være slått på "
                                  "under «plugins:» i site_config.yml).") for p in problems])
    try:
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}-old-{os.getpid()}-{time.time_ns()}")
            target.rename(old)
        built.rename(target)
    except OSError as exc:
        if old is not None and not target.exists():
            old.rename(target)  # put the previous site back
        raise _io_error(exc, target) from None
    _delete_later(target.parent, target.name)


def _acquire(lock, target: Path) -> None:
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise PublishError([Issue(str(target), 0, "en annen bygging av det samme "
                                          "nettstedet pågår", "Vent til den er ferdig, og "
                                          "prøv igjen.")]) from None
            time.sleep(0.2)


def _remove_leftovers(parent: Path, name: str) -> None:
    """Temporary folders of killed builds of this site (we hold its lock: none is in use). Only
    this site's: a build of another site in the same folder (`-d out/a` and `-d out/b`) holds
    another lock, and its staging folder is in use. mkdtemp adds 8 characters [a-z0-9_], so
    `.x-bygges-…` of the site «x» never matches the staging folder of a site «x-bygges»."""
    mine = re.compile(re.escape(f".{name}{_STAGING}") + r"[a-z0-9_]{8}")
    for p in parent.iterdir():
        if mine.fullmatch(p.name) and p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)


def _delete_later(parent: Path, name: str) -> None:
    """Delete the previous site — and any left by an interrupted earlier run — in a detached
    process: at 5 000 entries that is ≈ 6 000 files and ≈ 5 s of disk I/O, which the finished
    build need not wait for."""
    old = sorted(str(p) for p in parent.glob(f".{name}-old*") if p.is_dir())
    if not old:
        return
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys\nfor p in sys.argv[1:]: "
                          "shutil.rmtree(p, ignore_errors=True)", *old],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        for p in old:
            shutil.rmtree(p, ignore_errors=True)


def _io_error(exc: OSError, where: Path) -> PublishError:
    """A full disk or a missing permission is the machine's problem, said plainly (exit 1)."""
    if exc.errno == errno.ENOSPC:
        what, hint = "disken er full", "Frigjør plass på disken, og bygg på nytt."
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what, hint = "mangler skrivetilgang", "Bygg til en mappe du kan skrive i (-d MAPPE)."
    else:
        what, hint = f"kan ikke skrive ({exc.strerror})", "Sjekk mappen og disken."
    return PublishError([Issue(str(where), 0, f"nettstedet kan ikke skrives: {what}; det "
                               "forrige nettstedet er ikke endret", hint)])


def io_error(exc: OSError, where: Path) -> PublishError:
    return _io_error(exc, where)
