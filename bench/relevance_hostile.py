"""Hostile page text through the search preparation (`generator.search.relevance.body`): is the
time linear in the length for every class?

    .venv/bin/python bench/relevance_hostile.py                 # n = 20 000 … 160 000, ≈ 1 minute
    .venv/bin/python bench/relevance_hostile.py --sizes 10000 20000

Each class is one page built to make a text scanner slow (unclosed tags, long runs without a
space, thousands of nested tags, one word repeated). For each size the table has the fastest of
--runs times in milliseconds (on a shared machine the least disturbed run is the closest to the
cost) and, from the second column on, the ratio to the column before: a linear class about
doubles when the size doubles. Nothing here is a unit test: tests/test_search_relevance.py runs
the same pages at one moderate size and asserts on the result, not on the time.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLASSES = ("unclosed <script", "< then ø run", "ø< pairs", "one long word", "unclosed attribute",
           "nested tags + repeated word", "nested and closed tags")


def hostile_pages(n: int) -> tuple[str, ...]:
    """The pages of CLASSES, each about 6·n characters long."""
    return ("<script" * n + "ø", "<" + "ø" * (6 * n), "ø<" * (3 * n), "a" * (6 * n) + " Bodø",
            "<p id=\"" * n + "ø", "<b>" * n + "</i>" * n + " og" * n, "<b>" * n + "</b>" * n)


def main() -> None:
    from generator.search import relevance
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 40_000, 80_000, 160_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| class | " + " | ".join(f"n = {n:,}".replace(",", " ") for n in args.sizes) + " |")
    print("|---" * (len(args.sizes) + 1) + "|")
    times = {name: [] for name in CLASSES}
    for n in args.sizes:
        for name, page in zip(CLASSES, hostile_pages(n)):
            best = float("inf")
            for _ in range(args.runs):
                start = time.perf_counter()
                relevance.body("/eksempler/x/", page)
                best = min(best, time.perf_counter() - start)
            times[name].append(best * 1000)
    for name, row in times.items():
        cells = [f"{row[0]:.1f} ms"] + [f"{t:.1f} ms (×{t / max(p, 1e-9):.1f})"
                                          for p, t in zip(row, row[1:])]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
