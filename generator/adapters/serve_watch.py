"""`serve`'s file watcher: told by the operating system, not found by polling.

mkdocs' LiveReloadServer watches with watchdog's PollingObserver (mkdocs/livereload/__init__.py:
`self.observer`, every 0.5 s): each poll lists and stats every watched file — the bank's 5 000
entries take most of a core (py-spy, 2026-11) — and an edit waits up to 0.5 s before it is even
seen. watchdog's native observer (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
Windows) is told at once and costs nothing between edits. Only events that change something
count: inotify also reports files being opened and read, and the build reads every watched file,
so without the filter each build would set off the next one. Where no native observer works (no
inotify, its limits used up), the polling one stays.
"""
from __future__ import annotations

import logging
import tempfile

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirModifiedEvent, DirMovedEvent,
                             FileClosedEvent, FileCreatedEvent, FileDeletedEvent,
                             FileModifiedEvent, FileMovedEvent)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.commands.serve")

# What changes a file: written (modified, closed after writing), created, deleted, renamed (an
# editor's safe save writes a temporary file and renames it over the entry). The folder events
# keep watches on new subfolders and tell a deleted folder (Server.rearm).
CHANGES = [FileModifiedEvent, FileClosedEvent, FileCreatedEvent, FileDeletedEvent,
           FileMovedEvent, DirCreatedEvent, DirDeletedEvent, DirModifiedEvent, DirMovedEvent]


class _Native(Observer):  # type: ignore[misc, valid-type]  # (an alias of the platform's class)
    def schedule(self, event_handler, path, *, recursive=False, event_filter=None,
                 **kwargs):
        return super().schedule(event_handler, path, recursive=recursive,
                                event_filter=event_filter or CHANGES, **kwargs)


def observer(polling_interval: float = 0.5) -> BaseObserver:
    """The native observer if it works here (tried on a temporary folder: a watch it cannot
    add raises when the observer starts, and the server would then hear of no change)."""
    if Observer is PollingObserver:
        return PollingObserver(timeout=polling_interval)
    probe = _Native()
    try:
        with tempfile.TemporaryDirectory(prefix="erfaringsbank-watch-") as folder:
            probe.schedule(_Nothing(), folder)
            probe.start()
            probe.stop()
            probe.join(5)
        return _Native()
    except (OSError, RuntimeError) as exc:
        log.debug(f"native file watcher unavailable: {exc}")
    log.info("Fant ikke operativsystemets filovervåking; ser etter endringer hvert halve sekund.")
    return PollingObserver(timeout=polling_interval)


class _Nothing:
    def dispatch(self, event) -> None:
        pass
