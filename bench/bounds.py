"""How low can a build of this corpus go? The parts every build like ours must pay, ÷ the floor.

    .venv/bin/python bench/bounds.py --size 5000 --runs 3      (about 5 minutes at 5 000)

Issue 18 asks for a full build in ≤ 0.5× the time of the bare mkdocs-material floor
(bench/floor.py), also while another build runs. On a busy machine a build gets about one core,
so its wall time is about its CPU time: the target then needs a build that uses ≤ half the
floor's CPU. This measures, on the same synthetic project as bench/run.py (bench/out/nN/) and
interleaved with the floor as there, what parts of any such build cost by themselves — each in a
child process, CPU = user + sys of it and the processes it waited for (bench/run.py: run_child):

* **floor**: `mkdocs build -q` of the floor project (bench/floor.py), as in bench/run.py;
* **mkdocs' page loop**: mkdocs with the same N + 1 page addresses, each page one heading and one
  word, and a theme of one line of template — what mkdocs itself costs per page (read, convert,
  render, write), with nothing of material's and almost no Markdown;
* **Pagefind**: the Pagefind binary we ship, as its command line, over the floor's built site
  with `--root-selector article` (the page's heading, summary and text, no menus): the plain
  indexing of the same words, with no copy without æ/ø/å and no word cap (search/relevance.py);
* **Python-Markdown**: the floor's pages converted with Python-Markdown and mkdocs' default
  extensions, in one process — the part of the floor's own time our build does not pay, as it
  renders entries with cmark-gfm (render/markdown.py);
* **cmark-gfm + nh3**: the entries' bodies through render/markdown.py's `render_markdown` —
  the least our build spends turning bodies into safe HTML (less the same child's start, Python
  and its imports, timed with no entries).

The last line adds the second and third: a lower bound for any build that publishes the pages
through mkdocs and indexes them with Pagefind, before it validates, renders a page shell, makes
taxonomy pages, exports or anything else. Figures in docs/performance.md («Round ten»).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.floor import make_floor  # noqa: E402
from bench.make_corpus import make_project  # noqa: E402
from bench.run import MKDOCS, machine, run_child  # noqa: E402
from generator.search.pagefind import pagefind_binary, pagefind_env  # noqa: E402

TINY_YML = """\
# Written by bench/bounds.py: mkdocs' own cost per page. Do not edit.
site_name: Erfaringsbank – mkdocs alene
docs_dir: docs
theme:
  name: null
  custom_dir: tema
plugins: []
nav:
  - Forside: index.md
not_in_nav: "*"
"""
TINY_TEMPLATE = ("<!doctype html><html lang=\"nb\"><head><title>{{ page.title }}</title></head>"
                 "<body><main>{{ page.content }}</main></body></html>\n")

# Run in a child process: Python-Markdown as mkdocs configures it by default, over every page.
_MARKDOWN_CHILD = """\
import sys, pathlib, markdown
md = markdown.Markdown(extensions=["toc", "tables", "fenced_code"])
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    md.reset()
    md.convert(path.read_text("utf-8"))
"""
# … and the bodies through our renderer (cmark-gfm + nh3), front matter cut off (not parsed).
_CMARK_CHILD = r"""
import sys, pathlib
sys.path.insert(0, sys.argv[2])
from generator.render.markdown import render_markdown
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.md")):
    text = path.read_text("utf-8")  # the body: after the front matter's closing line
    render_markdown(text[text.index("\n---\n", 4) + 5:] if text.startswith("---\n") else text)
"""


def make_tiny(floor: Path) -> Path:
    """The floor's pages, each one heading and one word, under a one-template theme, beside it."""
    tiny = floor.parent.parent / "bounds" / "mkdocs-alene"
    shutil.rmtree(tiny, ignore_errors=True)
    (tiny / "tema").mkdir(parents=True)
    (tiny / "tema" / "main.html").write_text(TINY_TEMPLATE, "utf-8")
    (tiny / "mkdocs.yml").write_text(TINY_YML, "utf-8")
    docs = floor.parent / "docs"
    for page in docs.rglob("*.md"):
        target = tiny / "docs" / page.relative_to(docs)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {page.stem}\n\nTekst.\n", "utf-8")
    return tiny / "mkdocs.yml"


def measure(n: int, runs: int) -> dict[str, list[tuple]]:
    config = make_project(n)
    floor = make_floor(config)
    floor_site = floor.parent / "site"
    tiny = make_tiny(floor)
    python = [sys.executable, "-c"]
    parts = ("floor", "mkdocs", "pagefind", "markdown", "cmark", "start")
    results: dict[str, list[tuple]] = {k: [] for k in parts}
    for _ in range(runs):
        shutil.rmtree(floor_site, ignore_errors=True)
        results["floor"].append(run_child(MKDOCS + ["build", "-q", "-f", str(floor),
                                                    "-d", str(floor_site)]))
        shutil.rmtree(tiny.parent / "site", ignore_errors=True)
        results["mkdocs"].append(run_child(MKDOCS + ["build", "-q", "-f", str(tiny)]))
        with tempfile.TemporaryDirectory(prefix="bounds-pagefind-") as out:
            env_before = dict(os.environ)
            os.environ.update(pagefind_env())  # run_child passes os.environ on
            try:
                results["pagefind"].append(run_child(
                    [str(pagefind_binary()), "--site", str(floor_site), "--output-path", out,
                     "--root-selector", "article", "--quiet"]))
            finally:
                os.environ.clear()
                os.environ.update(env_before)
        results["markdown"].append(run_child(python + [_MARKDOWN_CHILD,
                                                       str(floor.parent / "docs")]))
        results["cmark"].append(run_child(python + [_CMARK_CHILD,
                                                    str(config.parent / "examples_bank"),
                                                    str(ROOT)]))
        # the child's start (Python, the imports) is not the renderer's: timed alone, taken off
        with tempfile.TemporaryDirectory(prefix="bounds-empty-") as empty:
            results["start"].append(run_child(python + [_CMARK_CHILD, empty, str(ROOT)]))
    return results


LABELS = {
    "floor": "floor (bare mkdocs-material)",
    "mkdocs": "mkdocs' page loop alone (one-line pages, one-line theme)",
    "pagefind": "Pagefind's command line over the floor's pages (article only)",
    "markdown": "Python-Markdown over the floor's pages (part of the floor)",
    "cmark": "cmark-gfm + nh3 over the entries' bodies (what we use instead), "
             "less the child's start",
}


def table(n: int, results: dict[str, list[tuple]]) -> str:
    cpu = {k: statistics.median(r[3] for r in v) for k, v in results.items()}
    wall = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
    cpu["cmark"] -= cpu["start"]
    wall["cmark"] -= wall["start"]
    rows = [f"| N = {n} | wall, median | CPU, median | CPU ÷ floor's |",
            "|---|---|---|---|"]
    for key, label in LABELS.items():
        rows.append(f"| {label} | {wall[key]:.1f} s | {cpu[key]:.1f} s | "
                    f"{cpu[key] / cpu['floor']:.2f}× |")
    bound = cpu["mkdocs"] + cpu["pagefind"] + cpu["cmark"]
    rows.append(f"| **mkdocs' loop + Pagefind + cmark-gfm/nh3: a lower bound** | | "
                f"**{bound:.1f} s** | **{bound / cpu['floor']:.2f}×** |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    start = dt.datetime.now(dt.timezone.utc)
    load_start = os.getloadavg()[0]
    results = measure(args.size, args.runs)
    end = dt.datetime.now(dt.timezone.utc)
    print(f"bench/bounds.py --size {args.size} --runs {args.runs}: {machine()}; "
          f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} UTC, load average {load_start:.1f} → "
          f"{os.getloadavg()[0]:.1f}\n")
    print(table(args.size, results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
