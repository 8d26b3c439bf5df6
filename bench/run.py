"""The benchmark: one command, one table.

    .venv/bin/python bench/run.py                 # N = 500, 5,000, 20,000 (about 10 minutes)
    .venv/bin/python bench/run.py --sizes 500 --runs 1

For each N it writes a synthetic project (bench/make_corpus.py) under bench/out/ and measures,
always through the real command line a user runs (`erfaringsbank …`) in a child process:

* full build: wall time, median of --runs; peak RSS of the largest process (os.wait4 →
  ru_maxrss: the child or the Pagefind binary it runs) and of all its processes together
  (sampled from /proc every 0.1 s);
* `check`: wall time, median of --runs;
* output: total bytes of site/, and bytes per example page (median and max over all pages);
* search: bytes of the Pagefind index, and the bytes a first query downloads (bench/search_bytes.py:
  from the home page's header search — the target figure —, the search page opened cold, and a
  facet ticked without a word);
* serve: start `erfaringsbank serve`, wait for the site, edit one entry's title, and time until
  the served page shows the new title (polled every 50 ms, at most 120 s); --runs edits one
  after another, median and slowest.

20,000 runs once (it is there to show the growth is linear); the last column is 20,000 / 5,000.
"""
from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.make_corpus import OUT, make_project  # noqa: E402

CLI = [str(Path(sys.executable).with_name("erfaringsbank"))]


def run_child(args: list[str], timeout: float = 3600) -> tuple[float, int, int | None]:
    """Run a child; return (wall seconds, peak RSS of its largest process in bytes, peak RSS of
    all its processes together — sampled every 0.1 s, None where /proc is missing). Fails
    loudly on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    together: list[int] = [0]
    sampler = threading.Thread(target=_sample_tree, args=(proc, together), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    sampler.join()
    err = proc.stderr.read().decode(errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} feilet ({proc.returncode}):\n{err[-3000:]}")
    return wall, usage.ru_maxrss * 1024, together[0] or None


def _tree_rss(pid: int) -> int:
    """RSS in bytes of `pid` and all its descendants (Linux /proc; 0 when not readable)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def _sample_tree(proc: subprocess.Popen, peak: list[int]) -> None:
    # ends when the child has been reaped (its /proc entry is gone)
    while os.path.exists(f"/proc/{proc.pid}/task"):
        peak[0] = max(peak[0], _tree_rss(proc.pid))
        time.sleep(0.1)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def example_page_sizes(site: Path) -> list[int]:
    return sorted(p.stat().st_size for p in (site / "eksempler").glob("*/index.html"))


def search_sizes(site: Path) -> tuple[int | None, dict]:
    """(index bytes, bench/search_bytes.measure) if the site has a Pagefind index."""
    index = site / "pagefind"
    if not index.is_dir():
        return None, {}
    from bench.search_bytes import measure as first_query  # headless Chromium
    return dir_bytes(index), first_query(site)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def serve_mount_path(config: Path) -> str:
    import re
    from urllib.parse import urlsplit
    m = re.search(r"^site_url:\s*[\"']?([^\"'\s]*)", config.read_text("utf-8"), re.M)
    path = urlsplit(m.group(1)).path if m else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def serve_rebuild(config: Path, entry: Path, slug: str, edits: int = 3,
                  startup_timeout: float = 1200) -> list[float]:
    """Seconds from saving an edited entry until `serve` shows it, for `edits` edits one after
    another in one `serve` session (each bounded to 120 s; raises on timeout)."""
    port = free_port()
    mount = serve_mount_path(config)  # mkdocs serve serves the site under site_url's path
    url = f"http://127.0.0.1:{port}{mount}eksempler/{slug}/"
    proc = subprocess.Popen(CLI + ["-f", str(config), "serve", "-a", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    original = entry.read_text(encoding="utf-8")
    times = []
    try:
        deadline = time.monotonic() + startup_timeout
        while (page := fetch(url)) is None or "Syntetisk eksempel" not in page:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"serve startet ikke ({url})")
            time.sleep(0.2)
        for _ in range(edits):
            time.sleep(1.0)  # let the file watcher settle after the previous build
            marker = f"Endret {time.time_ns()}"
            start = time.perf_counter()
            entry.write_text(original.replace("tittel: \"Syntetisk eksempel",
                                              f"tittel: \"{marker} Syntetisk eksempel", 1),
                             encoding="utf-8")
            while True:
                page = fetch(url)
                if page and marker in page:
                    times.append(time.perf_counter() - start)
                    break
                if time.perf_counter() - start > 120:
                    raise SystemExit("serve viste ikke endringen innen 120 s")
                time.sleep(0.05)
        return times
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        entry.write_text(original, encoding="utf-8")


def _wait_for_cleanup(site: Path, limit: float = 120) -> None:
    """`build` leaves the deletion of the previous site to a detached process (generator/cli.py);
    wait for it, so that the next timing does not share the disk and CPU with it."""
    deadline = time.monotonic() + limit
    while any(site.parent.glob(f".{site.name}-old*")) and time.monotonic() < deadline:
        time.sleep(0.2)


def measure(n: int, runs: int, serve: bool) -> dict:
    config = make_project(n)
    project = config.parent
    site = project / "site"
    builds, rss, together = [], [], []
    for _ in range(runs):
        _wait_for_cleanup(site)
        wall, peak, all_peak = run_child(CLI + ["-f", str(config), "build", "-d", str(site)])
        builds.append(wall)
        rss.append(peak)
        together.append(all_peak or 0)
    _wait_for_cleanup(site)  # the last build's old site is still being deleted in the background
    checks = [run_child(CLI + ["-f", str(config), "check"])[0] for _ in range(runs)]
    sizes = example_page_sizes(site)
    index, first_query = search_sizes(site)
    entry = sorted((project / "examples_bank").glob("syntetisk-*.md"))[n // 2]
    row = {
        "build_s": statistics.median(builds), "rss": max(rss),
        "rss_all": max(together) or None,
        "check_s": statistics.median(checks), "total": dir_bytes(site),
        "pages": len(sizes), "page_median": statistics.median(sizes), "page_max": max(sizes),
        "index": index,
        "first_query_gzip": first_query.get("first_query", {}).get("gzip"),
        "first_query_pagefind": first_query.get("first_query", {}).get("pagefind_gzip"),
        "cold_gzip": first_query.get("cold", {}).get("gzip"),
        "facet_gzip": first_query.get("facet", {}).get("gzip"),
    }
    if serve:
        edits = serve_rebuild(config, entry, entry.stem, edits=max(runs, 1))
        row["serve_s"], row["serve_max"] = statistics.median(edits), max(edits)
    else:
        row["serve_s"] = row["serve_max"] = None
    row["per_example_ms"] = row["build_s"] / n * 1000
    return row


def fmt_bytes(b: float | None) -> str:
    if b is None:
        return "–"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if b >= size:
            return f"{b / size:.1f} {unit}"
    return f"{b:.0f} B"


def fmt_s(s: float | None) -> str:
    return "–" if s is None else f"{s:.2f} s"


ROWS = [
    ("full build (wall, median)", "build_s", fmt_s),
    ("build per example", "per_example_ms", lambda v: f"{v:.2f} ms"),
    ("full build peak RSS, largest process", "rss", fmt_bytes),
    ("full build peak RSS, all processes together", "rss_all", fmt_bytes),
    ("check (wall, median)", "check_s", fmt_s),
    ("output total", "total", fmt_bytes),
    ("example pages", "pages", lambda v: f"{v:,}".replace(",", " ")),
    ("example page HTML, median", "page_median", fmt_bytes),
    ("example page HTML, max", "page_max", fmt_bytes),
    ("search index (Pagefind)", "index", fmt_bytes),
    ("first query (header search from the home page), gzipped", "first_query_gzip", fmt_bytes),
    ("first query, of which pagefind/", "first_query_pagefind", fmt_bytes),
    ("search page opened cold + query, gzipped", "cold_gzip", fmt_bytes),
    ("facet ticked without a word, gzipped", "facet_gzip", fmt_bytes),
    ("serve: one edit visible after (median)", "serve_s", fmt_s),
    ("serve: one edit visible after (slowest)", "serve_max", fmt_s),
]


def table(results: dict[int, dict]) -> str:
    sizes = sorted(results)
    ratio = 20000 in results and 5000 in results
    head = ["N"] + [f"{n:,}".replace(",", " ") for n in sizes] + (["20 000 / 5 000"] if ratio else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, key, fmt in ROWS:
        cells = [fmt(results[n][key]) for n in sizes]
        if ratio:
            a, b = results[20000][key], results[5000][key]
            cells.append(f"{a / b:.2f}×" if a is not None and b else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    mem = next((int(l.split()[1]) * 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")),
               0)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), platform.machine())
    return (f"{os.cpu_count()} kjerner ({cpu}), {fmt_bytes(mem)} RAM, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Ytelsesmåling av erfaringsbanken.")
    p.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    p.add_argument("--runs", type=int, default=3, help="kjøringer per størrelse (20 000: alltid 1)")
    p.add_argument("--no-serve", action="store_true", help="hopp over serve-målingen")
    args = p.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    results = {}
    for n in args.sizes:
        print(f"… N = {n}", file=sys.stderr, flush=True)
        results[n] = measure(n, 1 if n >= 20000 else args.runs, serve=not args.no_serve)
    print(f"Maskin: {machine()}\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
