"""The benchmark: one command, one table.

    .venv/bin/python bench/run.py                 # N = 500, 5,000, 20,000 (about 15 minutes)
    .venv/bin/python bench/run.py --sizes 500 --runs 1 --no-serve   # a quick look
    .venv/bin/python bench/run.py --sizes 5000 --runs 3 --no-serve --load   # issue 18's ratio
    .venv/bin/python bench/run.py --sizes 5000 --runs 7 --only serve   # serve's edit → page only

For each N it writes a synthetic project (bench/make_corpus.py) under bench/out/, and beside it
the «floor» (bench/floor.py: the same pages as a bare mkdocs-material site — no navigation tree,
no search, no taxonomy pages), and measures, always in child processes, through the real
command line a user runs (`erfaringsbank …`; the floor with `mkdocs build -q`):

* full build and floor build, **interleaved** — floor, ours, floor, ours … for --runs rounds, so
  that both see the same moments of a shared machine: wall time, median of each; the ratio
  build ÷ floor (median ÷ median, the worst single pair, and the same for CPU time — user + sys
  of the child and the processes it waited for, e.g. Pagefind, which a busy host changes less
  than wall time; and how much of it Pagefind's processes used, sampled from /proc, and that
  alone ÷ the floor's CPU time); peak RSS of the largest process (os.wait4 → ru_maxrss: the
  child or the Pagefind binary it runs) and of all its processes together (sampled from /proc
  every 0.1 s).
  Before each timing the previous output is gone: the floor's site folder is removed (untimed;
  mkdocs would otherwise delete it inside the timing) and our previous site's background
  deletion has finished;
* with --load, the interleaved pairs again while **another build is running**: a background
  `erfaringsbank build` of the same corpus into bench/out/nN/load/ (its own parent folder, as the
  publish stage clears every `.site-*` staging folder beside its target), restarted in a loop
  until the pairs are done, then killed (its whole process group, also on an error or Ctrl-C)
  and its folder removed. Off by default: it doubles the time of the build measurement;
* `check`: wall time, median of --runs;
* output: total bytes of site/, and bytes per example page (median and max over all pages; the
  floor's median too);
* search: bytes of the Pagefind index, and the bytes a first query downloads (bench/search_bytes.py:
  from the home page's header search — the target figure —, the search page opened cold, and a
  facet ticked without a word);
* serve: start `erfaringsbank serve`, wait for the site, edit one entry's title, and time until
  the served page shows the new title (polled every 50 ms, at most 120 s); --runs edits one
  after another, median and slowest.

20,000 runs once (it is there to show the growth is linear); the last column is 20,000 / 5,000.
The header says when the run started and ended and the host's load average then: the machine
may be shared, and wall times move with it.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.floor import make_floor  # noqa: E402
from bench.make_corpus import OUT, make_project  # noqa: E402

CLI = [str(Path(sys.executable).with_name("erfaringsbank"))]
MKDOCS = [str(Path(sys.executable).with_name("mkdocs"))]


def run_child(args: list[str], timeout: float = 3600) -> tuple[float, int, int | None, float, float]:
    """Run a child; return (wall seconds, peak RSS of its largest process in bytes, peak RSS of
    all its processes together — sampled every 0.1 s, None where /proc is missing —, CPU
    seconds: user + sys of the child and the descendants it waited for — our build's Pagefind
    services included, search/launch.py —, and the part of it Pagefind's processes used, as
    last sampled from /proc: up to 0.1 s of each service's end is missed). Fails loudly on a
    non-zero exit."""
    start = time.perf_counter()
    # stderr to a file, not a pipe: a chatty child could fill a pipe nobody reads until it ends
    with tempfile.TemporaryFile() as errfile:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errfile,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        together: list[int] = [0]
        pagefind: dict[int, float] = {}
        sampler = threading.Thread(target=_sample_tree, args=(proc, together, pagefind), daemon=True)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C or `kill` of the benchmark: no orphan left running
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - start
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errfile.seek(0)
            err = errfile.read().decode(errors="replace")
            raise SystemExit(f"{' '.join(args)} feilet ({proc.returncode}):\n{err[-3000:]}")
    return (wall, usage.ru_maxrss * 1024, together[0] or None, usage.ru_utime + usage.ru_stime,
            sum(pagefind.values()))


_TICK = os.sysconf("SC_CLK_TCK")


def _tree_rss(pid: int, pagefind: dict[int, float] | None = None) -> int:
    """RSS in bytes of `pid` and all its descendants (Linux /proc; 0 when not readable); the CPU
    seconds of each Pagefind process among them go into `pagefind` (pid → user + sys)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            if pagefind is not None:
                with open(f"/proc/{p}/stat") as f:
                    stat = f.read()
                if stat[stat.index("(") + 1:].startswith("pagefind"):
                    fields = stat[stat.rindex(")") + 2:].split()
                    pagefind[p] = (int(fields[11]) + int(fields[12])) / _TICK
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def _sample_tree(proc: subprocess.Popen, peak: list[int], pagefind: dict[int, float]) -> None:
    # ends when the child has been reaped (its /proc entry is gone)
    while os.path.exists(f"/proc/{proc.pid}/task"):
        peak[0] = max(peak[0], _tree_rss(proc.pid, pagefind))
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


def build_pairs(config: Path, floor: Path, site: Path, runs: int) -> dict[str, list]:
    """`runs` rounds of floor build, then our build (interleaved); each result as run_child's."""
    floor_site = floor.parent / "site"
    out: dict[str, list] = {"floor": [], "ours": []}
    for _ in range(runs):
        shutil.rmtree(floor_site, ignore_errors=True)
        _wait_for_cleanup(site)
        out["floor"].append(run_child(MKDOCS + ["build", "-q", "-f", str(floor),
                                                "-d", str(floor_site)]))
        _wait_for_cleanup(site)
        out["ours"].append(run_child(CLI + ["-f", str(config), "build", "-d", str(site)]))
    return out


def pair_figures(pairs: dict[str, list], suffix: str = "") -> dict:
    """Medians and ratios of build_pairs' results (keys end in `suffix`)."""
    ours_wall = [r[0] for r in pairs["ours"]]
    floor_wall = [r[0] for r in pairs["floor"]]
    ours_cpu = [r[3] for r in pairs["ours"]]
    floor_cpu = [r[3] for r in pairs["floor"]]
    pagefind_cpu = [r[4] for r in pairs["ours"]]
    return {
        "build_s" + suffix: statistics.median(ours_wall),
        "floor_s" + suffix: statistics.median(floor_wall),
        "ratio" + suffix: statistics.median(ours_wall) / statistics.median(floor_wall),
        "ratio_worst" + suffix: max(o / f for o, f in zip(ours_wall, floor_wall)),
        "ratio_cpu" + suffix: statistics.median(ours_cpu) / statistics.median(floor_cpu),
        "build_cpu" + suffix: statistics.median(ours_cpu),
        "pagefind_cpu" + suffix: statistics.median(pagefind_cpu),
        "pagefind_ratio" + suffix: statistics.median(pagefind_cpu) / statistics.median(floor_cpu),
        "floor_cpu" + suffix: statistics.median(floor_cpu),
    }


class _Background:
    """`erfaringsbank build` of a project into `folder`, restarted until stop() is called."""

    def __init__(self, config: Path, folder: Path):
        self.config, self.folder = config, folder
        self.finished, self.failure = 0, None
        self._proc: subprocess.Popen | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            errfile = tempfile.TemporaryFile()  # a file, not a pipe nobody reads
            try:
                with self._lock:
                    if self._stop.is_set():
                        return
                    # its own process group: stop() kills the build and the Pagefind it runs
                    self._proc = proc = subprocess.Popen(
                        CLI + ["-f", str(self.config), "build", "-d", str(self.folder / "site")],
                        stdout=subprocess.DEVNULL, stderr=errfile, start_new_session=True)
                code = proc.wait()
                if code == 0:
                    self.finished += 1
                elif not self._stop.is_set():
                    errfile.seek(0)
                    tail = errfile.read().decode(errors="replace")[-2000:]
                    self.failure = f"bakgrunnsbyggingen feilet ({code}):\n{tail}"
                    self._stop.set()
            finally:
                errfile.close()

    def stop(self) -> None:
        with self._lock:
            self._stop.set()
            proc = self._proc
        if proc is not None:
            for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 20)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, sig)
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            with contextlib.suppress(ProcessLookupError):  # e.g. a Pagefind that outlived it
                os.killpg(proc.pid, signal.SIGKILL)
        self._thread.join(timeout=60)
        _wait_for_cleanup(self.folder / "site")  # its detached deletion of an older site
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def another_build(config: Path, folder: Path):
    """Keep a build of the same project running in the background while the block runs."""
    bg = _Background(config, folder)
    try:
        bg.start()
        time.sleep(3)  # past its start-up: the measured pair starts against a working build
        yield bg
    finally:
        bg.stop()
    if bg.failure:
        raise SystemExit(bg.failure)


def measure_serve(n: int, runs: int, project: Path | None = None) -> dict:
    """Only the serve figures (--only serve): the project is written afresh unless `project`
    (a folder from bench/make_corpus.py --out) is given."""
    config = project / "site_config.yml" if project else make_project(n)
    entry = sorted((config.parent / "examples_bank").glob("syntetisk-*.md"))[n // 2]
    edits = serve_rebuild(config, entry, entry.stem, edits=max(runs, 1))
    print("serve: " + ", ".join(f"{t:.2f}" for t in edits) + " s", file=sys.stderr)
    return {"serve_s": statistics.median(edits), "serve_max": max(edits)}


def measure(n: int, runs: int, serve: bool, load: bool = False) -> dict:
    config = make_project(n)
    floor = make_floor(config)
    project = config.parent
    site = project / "site"
    pairs = build_pairs(config, floor, site, runs)
    row = pair_figures(pairs)
    row["rss"] = max(r[1] for r in pairs["ours"])
    row["rss_all"] = max(r[2] or 0 for r in pairs["ours"]) or None
    row["floor_rss_all"] = max(r[2] or 0 for r in pairs["floor"]) or None
    row["floor_page_median"] = statistics.median(
        example_page_sizes(floor.parent / "site") or [0]) or None
    if load:
        with another_build(config, project / "load") as bg:
            loaded = build_pairs(config, floor, site, runs)
        row.update(pair_figures(loaded, "_load"))
        row["load_finished"] = bg.finished
    else:
        row.update(dict.fromkeys(("build_s_load", "floor_s_load", "ratio_load",
                                  "ratio_worst_load", "ratio_cpu_load", "build_cpu_load",
                                  "floor_cpu_load", "pagefind_cpu_load", "pagefind_ratio_load",
                                  "load_finished")))
    _wait_for_cleanup(site)  # the last build's old site is still being deleted in the background
    checks = [run_child(CLI + ["-f", str(config), "check"])[0] for _ in range(runs)]
    sizes = example_page_sizes(site)
    index, first_query = search_sizes(site)
    entry = sorted((project / "examples_bank").glob("syntetisk-*.md"))[n // 2]
    row.update({
        "check_s": statistics.median(checks), "total": dir_bytes(site),
        "pages": len(sizes), "page_median": statistics.median(sizes), "page_max": max(sizes),
        "index": index,
        "first_query_gzip": first_query.get("first_query", {}).get("gzip"),
        "first_query_pagefind": first_query.get("first_query", {}).get("pagefind_gzip"),
        "cold_gzip": first_query.get("cold", {}).get("gzip"),
        "facet_gzip": first_query.get("facet", {}).get("gzip"),
    })
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


def fmt_ratio(r: float | None) -> str:
    return "–" if r is None else f"{r:.2f}×"


def fmt_count(v: int | None) -> str:
    return "–" if v is None else f"{v:,}".replace(",", " ")


ROWS = [
    ("full build (wall, median)", "build_s", fmt_s),
    ("floor build (bare mkdocs-material, wall, median)", "floor_s", fmt_s),
    ("build ÷ floor (median ÷ median)", "ratio", fmt_ratio),
    ("build ÷ floor, worst pair", "ratio_worst", fmt_ratio),
    ("full build CPU time (user + sys, all its processes, median)", "build_cpu", fmt_s),
    ("  of which Pagefind (sampled, median)", "pagefind_cpu", fmt_s),
    ("floor build CPU time (user + sys, median)", "floor_cpu", fmt_s),
    ("build ÷ floor, CPU time", "ratio_cpu", fmt_ratio),
    ("Pagefind alone ÷ floor, CPU time", "pagefind_ratio", fmt_ratio),
    ("full build, while another build runs (wall, median)", "build_s_load", fmt_s),
    ("floor build, while another build runs (wall, median)", "floor_s_load", fmt_s),
    ("build ÷ floor, while another build runs", "ratio_load", fmt_ratio),
    ("build ÷ floor, while another build runs, worst pair", "ratio_worst_load", fmt_ratio),
    ("build ÷ floor, while another build runs, CPU time", "ratio_cpu_load", fmt_ratio),
    ("background builds finished meanwhile", "load_finished", fmt_count),
    ("build per example", "per_example_ms", lambda v: f"{v:.2f} ms"),
    ("full build peak RSS, largest process", "rss", fmt_bytes),
    ("full build peak RSS, all processes together", "rss_all", fmt_bytes),
    ("floor peak RSS, all processes together", "floor_rss_all", fmt_bytes),
    ("check (wall, median)", "check_s", fmt_s),
    ("output total", "total", fmt_bytes),
    ("example pages", "pages", fmt_count),
    ("example page HTML, median", "page_median", fmt_bytes),
    ("example page HTML, max", "page_max", fmt_bytes),
    ("floor example page HTML, median", "floor_page_median", fmt_bytes),
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
        if "load" in key and all(results[n][key] is None for n in sizes):
            continue  # run without --load
        cells = [fmt(results[n][key]) for n in sizes]
        if ratio:
            a, b = results[20000][key], results[5000][key]
            cells.append(f"{a / b:.2f}×" if a is not None and b else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


LEGEND = """\
Floor: the same pages as a bare mkdocs-material site (bench/floor.py: `theme: material`,
`plugins: []` — no search —, a one-page nav, no taxonomy pages), built with `mkdocs build -q`.
Floor and full build run interleaved (floor, ours, floor, ours …, --runs rounds); «build ÷ floor»
is the median full build divided by the median floor build; «worst pair» the largest ratio of a
floor build and the full build right after it; «CPU time» the same ratio of user + sys seconds
(the build's processes, Pagefind included). «While another build runs» (--load): the same pairs
while a background `erfaringsbank build` of the same corpus runs in a loop (those rows are left
out without --load). «–»: not measured."""


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
    p.add_argument("--load", action="store_true",
                   help="mål bygging og gulv en gang til mens en annen bygging går i bakgrunnen")
    p.add_argument("--only", choices=["serve"], help="mål bare dette (serve: --runs endringer)")
    p.add_argument("--project", type=Path, help="med --only serve: et ferdig prosjekt (mappen "
                   "fra make_corpus.py --out) i stedet for et nytt under bench/out/")
    args = p.parse_args(argv)
    if args.only == "serve":
        for n in args.sizes:
            row = measure_serve(n, args.runs, args.project)
            print(f"N = {n}: serve median {row['serve_s']:.2f} s, tregeste {row['serve_max']:.2f} s "
                  f"(--runs {args.runs}, load average {os.getloadavg()[0]:.2f})")
        return 0
    # `kill` ends the run through the finally blocks: the background build is stopped too
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    OUT.mkdir(parents=True, exist_ok=True)
    started, load_at_start = _now(), os.getloadavg()[0]
    results = {}
    for n in args.sizes:
        print(f"… N = {n}", file=sys.stderr, flush=True)
        results[n] = measure(n, 1 if n >= 20000 else args.runs, serve=not args.no_serve,
                             load=args.load)
    print(f"Maskin: {machine()}")
    print(f"Kjøring: {started}–{_now()}, load average (1 min) {load_at_start:.2f} ved start, "
          f"{os.getloadavg()[0]:.2f} ved slutt; --runs {args.runs}"
          f"{', --load' if args.load else ''}\n")
    print(table(results))
    print("\n" + LEGEND)
    return 0


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


if __name__ == "__main__":
    sys.exit(main())
