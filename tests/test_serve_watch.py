"""serve's file watcher (adapters/serve_watch.py): a change is reported at once, and reading a
watched file is not a change (the build reads every entry; otherwise each build would start
the next)."""
from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from watchdog.observers.polling import PollingObserver

from generator.adapters import serve_watch


class _Seen:
    def __init__(self) -> None:
        self.events: list = []
        self.got = threading.Event()

    def dispatch(self, event) -> None:
        if not event.is_directory:
            self.events.append(event)
            self.got.set()


def _watching(folder):
    seen = _Seen()
    observer = serve_watch.observer()
    observer.schedule(seen, str(folder), recursive=True)
    observer.start()
    return observer, seen


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify: Linux")
def test_the_native_watcher_is_used_where_there_is_one():
    assert not isinstance(serve_watch.observer(), PollingObserver)


def test_reading_is_not_a_change_but_writing_and_replacing_are(tmp_path):
    entry = tmp_path / "a.md"
    entry.write_text("en\n", encoding="utf-8")
    observer, seen = _watching(tmp_path)
    try:
        time.sleep(0.3)
        seen.events.clear()
        for _ in range(3):
            assert entry.read_text(encoding="utf-8") == "en\n"
        time.sleep(1.2)  # longer than a polling interval: a polling fallback would also see it
        assert seen.events == []
        seen.got.clear()
        entry.write_text("to\n", encoding="utf-8")
        assert seen.got.wait(10)  # (no time bound here: a loaded machine wakes threads late)
        seen.got.clear()
        seen.events.clear()
        spare = tmp_path / ".a.md.tmp"  # an editor's safe save: write aside, rename over
        spare.write_text("tre\n", encoding="utf-8")
        os.replace(spare, entry)
        deadline = time.monotonic() + 10  # the spare's own events may come first
        while not any(getattr(e, "dest_path", "") == str(entry) for e in seen.events):
            assert time.monotonic() < deadline, seen.events
            time.sleep(0.02)
    finally:
        observer.stop()
        observer.join(5)
