"""The search index made while rendering (search/stream.py: generated pages from their body,
content pages from on_post_page) is the index `index_site` makes of the finished site (every
written page read back, serve's way): the same pages, with the same content, filters, sort keys
and meta data, in one Norwegian index — both hand Pagefind what search/relevance.py makes of a
page, so a difference means the two saw different HTML."""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.search import pagefind as search
from generator.search.pagefind import index_site, pagefind_binary, pagefind_env


def fragments(site: Path) -> dict[str, dict]:
    """Pagefind's per-page records (gzip, with a «pagefind_dcd» signature), by URL."""
    out = {}
    for f in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(f.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        out[record["url"]] = record
    return out


def test_streamed_index_equals_cli_index(fixture_site, marked_site, tmp_path):
    """A build writes pages without the indexer's markup (lean_pages); serve writes them as
    they are and indexes the written site: the same site built with `lean_pages: false` and
    indexed that way has the build's index."""
    copy = tmp_path / "site"
    shutil.copytree(marked_site, copy)
    assert "data-pagefind-filter" in (copy / "eksempler" / "syntetisk-oslo" / "index.html").read_text()
    shutil.rmtree(copy / "pagefind")
    index_site(copy)  # over the written site, as serve does
    streamed, cli = fragments(fixture_site), fragments(copy)
    assert len(streamed) > 20
    assert streamed.keys() == cli.keys()
    assert "/404.html" not in streamed  # no data-pagefind-body there: left out, as by the CLI
    for url, record in streamed.items():
        assert record == cli[url], url
    entry = json.loads((fixture_site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["no"]
    assert entry["languages"]["no"]["page_count"] == len(cli)
    examples = [r for u, r in streamed.items() if u.startswith("/eksempler/")]
    assert examples and all(r["filters"].get("type") == ["eksempel"] for r in examples)


def test_build_after_serve_in_same_process_has_its_index(fixture_site, tmp_path):
    """mkdocs keeps a plugin with on_startup for the whole process: a `build` after a `serve` in
    the same process must not inherit serve's state (no index in the background, no dirty
    build) — it writes its own search index. (The shared test site, read only, gives the
    configuration to start `serve` with and the index to compare with.)"""
    from mkdocs.config import load_config

    from conftest import build_site, fixture_bank
    first = fixture_site
    load_config(config_file=str(first.parent / "site_config.yml")).plugins.on_startup(
        command="serve", dirty=True)
    try:
        site = build_site(tmp_path / "b", fixture_bank(tmp_path / "b"))
        assert (site / "pagefind" / "pagefind-entry.json").is_file()
        assert fragments(site).keys() == fragments(first).keys()
    finally:
        load_config(config_file=str(first.parent / "site_config.yml")).plugins.on_shutdown()


def test_pagefind_gets_the_jemalloc_setting_and_reads_it(monkeypatch):
    """The setting that lowers Pagefind's peak RSS (search.pagefind_env) reaches the binary we
    ship; if a new Pagefind stopped reading `_RJEM_MALLOC_CONF`, the benchmark's RSS figure would
    silently go back to ≈ 1.1 GB, so this asks the binary itself (jemalloc prints its statistics
    at exit when told to)."""
    monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    ours = pagefind_env()["_RJEM_MALLOC_CONF"]
    # jemalloc accepts our setting and uses every value in it (a typo is reported as «Invalid
    # conf» and jemalloc's default used instead)
    stats = subprocess.run([str(pagefind_binary()), "--version"],
                           env={**pagefind_env(), "_RJEM_MALLOC_CONF": ours + ",stats_print:true"},
                           capture_output=True, text=True, timeout=60)
    printed = stats.stdout + stats.stderr
    assert ours and stats.returncode == 0 and "Invalid conf" not in printed, printed[:500]
    for key, value in (pair.split(":") for pair in ours.split(",")):
        assert f"opt.{key}: {value} " in printed, (key, value)
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "narenas:1")
    assert pagefind_env()["_RJEM_MALLOC_CONF"] == "narenas:1"  # the user's value wins
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "stats_print:true")
    run = subprocess.run([str(pagefind_binary()), "--version"], env=pagefind_env(),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    assert "jemalloc statistics" in run.stdout + run.stderr


def test_missing_pagefind_binary_says_to_run_setup(monkeypatch, tmp_path):
    """Pagefind comes only from npm (package.json; there is no PyPI fallback): with no
    node_modules/@pagefind binary in the searched folders, the CLI run, the streamed index of a
    build and the lookup itself stop with a Norwegian error that says what to run."""
    from generator.search.stream import StreamingIndex
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    empty = tmp_path / "tom"
    (empty / "node_modules" / "@pagefind").mkdir(parents=True)  # npm ran, but no binary
    monkeypatch.setattr(search, "_binary_roots", lambda: (empty, tmp_path))
    monkeypatch.chdir(tmp_path)
    message = r"Søkeindeksen \(Pagefind\) kunne ikke lages: .*kjør scripts/setup\.sh \(npm ci\)"
    with pytest.raises(search.SearchIndexError, match=message):
        search.pagefind_binary()
    with pytest.raises(search.SearchIndexError, match=message):
        index_site(tmp_path / "site")
    with pytest.raises(search.SearchIndexError, match=message):
        StreamingIndex()
    # the npm layout is what is looked for, in the listed folders, in order
    binary = tmp_path / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
    binary.parent.mkdir(parents=True)
    binary.write_text("")
    assert search.pagefind_binary() == binary
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/opt/pagefind")  # an explicit binary wins
    assert search.pagefind_binary() == Path("/opt/pagefind")


def test_serve_indexes_once_rebuilds_pause(monkeypatch, tmp_path):
    """serve's background index starts only after `quiet` seconds without a rebuild, and a burst
    of rebuilds gives one Pagefind run over the latest site."""
    import time

    from generator.search import pagefind as search
    runs = []
    monkeypatch.setattr(search, "index_site",
                        lambda site, background=False, pause=None: runs.append(
                            (time.monotonic(), site))
                        or search.IndexStats(0, 0))

    class Log:
        def info(self, message): pass
        def warning(self, message): raise AssertionError(message)

    indexer = search.BackgroundIndexer(Log())
    indexer.quiet = 0.4
    try:
        for n in range(4):  # a save every 0.2 s
            last = time.monotonic()
            indexer.request(tmp_path / f"site{n}")
            time.sleep(0.2)
        assert runs == []  # still saving: no index yet
        time.sleep(0.8)
        assert [site for _, site in runs] == [tmp_path / "site3"]
        assert runs[0][0] - last >= 0.4
    finally:
        indexer.stop()


def _dying_pagefind(tmp_path, monkeypatch) -> None:
    """A Pagefind (PAGEFIND_BINARY_PATH) that answers NewIndex as the service does (base64 JSON,
    comma-terminated), then exits: it stops taking pages."""
    import sys
    fake = tmp_path / "pagefind"
    fake.write_text(f"""#!{sys.executable}
import base64, json, sys
raw = b""
while b"," not in raw:
    chunk = sys.stdin.buffer.read1(1)
    if not chunk:
        sys.exit(0)
    raw += chunk
mid = json.loads(base64.b64decode(raw.split(b",")[0]))["message_id"]
sys.stdout.buffer.write(base64.b64encode(json.dumps(
    {{"message_id": mid, "payload": {{"type": "NewIndex", "index_id": 1}}}}).encode()) + b",")
sys.stdout.flush()
""", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))


def test_pagefind_dying_mid_build_is_a_clear_error_not_a_hang(monkeypatch, tmp_path):
    """The page queue to Pagefind is bounded (stream.QUEUED): if Pagefind stops reading, the
    build must neither wait forever nor fail mid-render with an internal error — it ends with
    «Søkeindeksen (Pagefind) kunne ikke lages» (exit 1) and publishes nothing."""
    from generator.adapters.cli import main
    from generator.search import stream
    from conftest import copy_project
    _dying_pagefind(tmp_path, monkeypatch)
    monkeypatch.setattr(stream, "QUEUED", 1)
    root = copy_project(tmp_path / "p")
    site = tmp_path / "site"
    code = main(["--config", str(root / "site_config.yml"), "build", "-d", str(site)])
    assert code == 1
    assert not site.exists()


def _bundle(folder: Path) -> dict:
    """A Pagefind bundle decoded, without its file names (hashes): page list, index chunks with
    their boundaries and words, filters, sort orders, metadata keys, fragments by page."""
    from generator.search import merge
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    (code, info), = entry["languages"].items()
    meta, _ = merge.decode(merge.read(folder / f"pagefind.{info['hash']}.pf_meta"))
    fragment = {h: (folder / "fragment" / f"{h}.pf_fragment").read_bytes() for h, _, _ in meta[1]}
    return {
        "entry": (entry["version"], code, info["page_count"], info["wasm"]),
        "pages": [(gzip.decompress(fragment[h]), words, group) for h, words, group in meta[1]],
        "chunks": [(a, b, merge.decode(merge.read(folder / "index" / f"{h}.pf_index"))[0])
                   for a, b, h in meta[2]],
        "filters": [merge.decode(merge.read(folder / "filter" / f"{h}.pf_filter"))[0]
                    for _, h in meta[3]],
        "sorts": meta[4], "keys": meta[5], "version": meta[0],
        "runtime": sorted(p.name for p in folder.iterdir()
                          if p.is_file() and not p.name.startswith("pagefind.")
                          and p.name != "pagefind-entry.json"),
    }


def _synthetic_pages(n: int, seed: int = 18) -> list[tuple[str, str]]:
    """`n` pages with enough words for several index chunks (Pagefind cuts a chunk at 20 000
    positions), words with æ/ø/å (Pagefind's accent variants), filters, two sort keys with
    ties (a date the first 20 pages lack, and a number), and metadata keys only some pages have
    (an image, an author)."""
    import random

    from generator.search import stream
    rng = random.Random(seed)
    words = ([f"ord{i}" for i in range(400)] + ["møteplass", "måltid", "ære", "kåfjord", "øya",
             "pårørende", "frivillig", "eldre"] + [str(i) for i in range(300)])
    pages = []
    for i in range(n):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(50, 900)))
        body = (f'<span data-pagefind-filter="region:r{i % 7}"></span>'
                f'<span data-pagefind-filter="fylke:{i % 3}"></span>'
                f'<h1>Side {i} om {rng.choice(words)}</h1>')
        if i >= 20:
            body += f'<time data-pagefind-sort="dato:2020-01-{i % 9 + 1:02}"></time>'
        body += f'<span data-pagefind-sort="nr:{i * 37 % 50}"></span>'
        body += f'<p data-pagefind-weight="5">{rng.choice(words)} {rng.choice(words)}</p>'
        # metadata keys only some parts have (each part's bundle numbers its own keys)
        if i > 60:
            body += f'<img src="/b{i}.png" alt="bilde {rng.choice(words)}">'
        if 20 <= i < 26:
            body += f'<span data-pagefind-meta="forfatter:{rng.choice(words)}"></span>'
        body += f'<p>{text}</p>'
        pages.append((f"/side-{i}/", stream.page_document(body)))
    return pages


def _own_tempdir(tmp_path: Path, monkeypatch) -> list[Path]:
    """The parts' temporary folders go into a folder of the test's own (other workers' builds
    make theirs in the shared one meanwhile: fresh-clone CI runs saw one appear between two
    looks); returns the list the folders made are noted in."""
    import tempfile
    own, made, mkdtemp = tmp_path / "tmp", [], tempfile.mkdtemp
    own.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own))
    monkeypatch.setattr(tempfile, "mkdtemp",
                        lambda *a, **k: made.append(Path(mkdtemp(*a, **k))) or str(made[-1]))
    return made


def test_index_in_parts_is_the_index_of_one_service(monkeypatch, tmp_path):
    """The build gives Pagefind its pages in parts (stream.PART_PAGES a service, for memory) and
    merges the parts' bundles (search/merge.py): the result is the bundle one service writes for
    all the pages — the same pages in the same order, index chunks cut at the same words with
    the same boundaries and the same words, positions and accent variants, the same filters and
    sort order, the same runtime files — and the parts' temporary folders are gone."""
    from generator.search import stream
    pages = _synthetic_pages(90)

    def index(folder: Path, part_pages: int) -> Path:
        monkeypatch.setattr(stream, "PART_PAGES", part_pages)
        built = stream.StreamingIndex()
        for url, html in pages:
            built.add(url, html)
        built.write(folder)
        return folder / "pagefind"

    made = _own_tempdir(tmp_path, monkeypatch)
    one = _bundle(index(tmp_path / "one", 10_000))
    parts = _bundle(index(tmp_path / "parts", 13))  # 7 parts, the last one shorter
    assert len(one["chunks"]) >= 3 and any(w[2] for c in one["chunks"] for w in c[2])
    assert len(one["pages"]) == 90 and len(one["sorts"]) == 2 and len(one["filters"]) == 3  # + type
    assert one["keys"] == ["forfatter", "image", "image_alt", "title"]
    assert parts == one
    assert made and all(p.parent == tmp_path / "tmp" and not p.exists() for p in made)
    # serve indexes the written site again: the merged bundle replaces the old one whole
    again = _bundle(index(tmp_path / "parts", 40))
    assert again == one
    assert sorted(p.name for p in (tmp_path / "parts").iterdir()) == ["pagefind"]


def test_a_part_failing_is_reported_at_the_end_not_mid_render(monkeypatch, tmp_path):
    """A Pagefind that dies while the pages go to it in parts: `add` goes on (the engine renders
    on), `write` says «Søkeindeksen (Pagefind) kunne ikke lages», nothing is left behind."""
    from generator.search import stream
    _dying_pagefind(tmp_path, monkeypatch)
    monkeypatch.setattr(stream, "PART_PAGES", 2)
    made = _own_tempdir(tmp_path, monkeypatch)
    index = stream.StreamingIndex()
    for url, html in _synthetic_pages(9):
        index.add(url, html)
    with pytest.raises(search.SearchIndexError, match=r"Søkeindeksen \(Pagefind\) kunne ikke lages"):
        index.write(tmp_path / "site")
    assert made and all(p.parent == tmp_path / "tmp" and not p.exists() for p in made)
    assert not (tmp_path / "site" / "pagefind").exists()


def test_the_services_cpu_time_counts_in_the_builds(tmp_path):
    """The helper that starts Pagefind (search/launch.py) waits for each service itself, so the
    service's CPU time goes into the build's `time`, getrusage and the benchmark's wait4. With
    the kernel reaping them (SIGCHLD ignored) it was lost: bench/run.py reported a build's CPU
    without Pagefind's. A stand-in service burns 0.5 s of CPU; the process that ran the
    launcher must have spent at least that."""
    import os
    import sys
    import textwrap

    service = tmp_path / "service"
    service.write_text(f"#!{sys.executable}\nimport time\nt = time.process_time()\n"
                       "while time.process_time() - t < 0.5:\n    pass\n")
    service.chmod(0o755)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
        from pathlib import Path
        from generator.search import launch
        launcher = launch.Launcher(Path({str(service)!r}), {{}}, background=False)
        child = launcher.start()
        child.stdin.close()
        child.wait(timeout=60)
        launcher.close()
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert usage.ru_utime + usage.ru_stime >= 0.5, (usage.ru_utime, usage.ru_stime)
