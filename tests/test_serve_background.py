"""serve's background search index (search/pagefind.py: BackgroundIndexer) waits while a
rebuild runs: its page preparation shares serve's process (and its interpreter lock) with the
rebuild, which would take about half as long again."""
from __future__ import annotations

import logging
import threading
import time

from generator.search import pagefind


def _fake_index(monkeypatch, started: threading.Event, go: threading.Event, done: list):
    def index_site(site, background=False, pause=None):
        pause()
        started.set()
        go.wait(10)
        pause()  # the next page
        done.append(time.monotonic())
        return pagefind.IndexStats(0, 0)
    monkeypatch.setattr(pagefind, "index_site", index_site)


def test_an_index_under_way_waits_for_the_rebuild(monkeypatch, tmp_path):
    started, go, done = threading.Event(), threading.Event(), []
    _fake_index(monkeypatch, started, go, done)
    indexer = pagefind.BackgroundIndexer(logging.getLogger("test"))
    indexer.quiet = 0.05
    try:
        indexer.request(tmp_path)
        assert started.wait(5)
        indexer.hold()  # a rebuild begins (the plugin's on_config)
        go.set()
        time.sleep(0.5)
        assert done == []
        indexer.release()  # it failed (on_build_error); a good one calls request()
        deadline = time.monotonic() + 5
        while not done and time.monotonic() < deadline:
            time.sleep(0.02)
        assert done
    finally:
        indexer.stop()


def test_no_index_starts_during_a_rebuild(monkeypatch, tmp_path):
    started, go, done = threading.Event(), threading.Event(), []
    go.set()
    _fake_index(monkeypatch, started, go, done)
    indexer = pagefind.BackgroundIndexer(logging.getLogger("test"))
    indexer.quiet = 0.5  # (the hold below comes well within it)
    try:
        indexer.request(tmp_path)
        indexer.hold()
        assert not started.wait(1.2)  # past the quiet time: held
        indexer.request(tmp_path)  # the rebuild is done
        assert started.wait(5)
    finally:
        indexer.stop()
