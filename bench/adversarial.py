"""Hostile input of growing size through `erfaringsbank check`: is every class linear?

    .venv/bin/python bench/adversarial.py                      # 120 kB … 1 MB, about 3 minutes
    .venv/bin/python bench/adversarial.py --sizes 120 250 --only lt quotes
    .venv/bin/python bench/adversarial.py --code /tmp/old      # the same against another checkout

For each class of adversarial entry (below) and each size, one entry file of that size is added
to a small project (bench/out/adversarial/: the project's content/, site_config.yml and the test
bank) and `check` runs on it through the real command line, in a child process, with a timeout.
The table has the seconds of each check, the fastest of --runs (on a shared machine the least
disturbed run is the closest to what the check costs; the clean project's `check`, mostly start-up,
is the first row, so the entry's own cost is the difference) and the exit code when it is not 1
(0: the entry passed, perhaps with warnings; -11: a segmentation fault; «tid»: the timeout).
Linear classes at most double from column to column; the last column is 1 MB / 500 kB.

`--code DIR` runs the `generator` package of another checkout (e.g. `git archive b234f45 | tar -x
-C /tmp/old`) on the same inputs, to show what a class cost before. Nothing here is a unit test:
the tests (tests/test_limits.py) use moderate sizes and assert on the result, not on the time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "adversarial"

FRONT = """---
tittel: Syntetisk angrep
kommuner: [Tydal]
innsatsomrader: [aktivitet-og-fellesskap]
sammendrag: Syntetisk eksempel for ytelsesmålingen.
status: gjennomfort
publisert: 2021-12-01
sprak: nb
syntetisk: true
kilder:
  - tittel: Testdata
    url: https://example.org/kilde
"""
PROSE = ("Kommunen startet et lavterskeltilbud der eldre møtes til middag, trim og samtale. "
         "Frivillige og ansatte samarbeider, og tilbudet er evaluert to ganger.\n\n")


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _fill(head: str, unit: str, tail: str, n: int) -> str:
    return head + _repeat(unit, max(0, n - len(head) - len(tail))) + tail


# (name, what it attacks, body of n bytes) — or (name, …, None, front matter of n bytes)
CLASSES: list[tuple[str, str, object]] = [
    ("prose", "valid text: the normal cost of a long body", lambda n: _repeat(PROSE, n)),
    ("lt", "«< < <»: validator patterns once quadratic", lambda n: _repeat("< ", n)),
    ("quotes", "nested «> »: 214 s in the sanitiser at 200 kB", lambda n: _repeat("> ", n)),
    ("quote-lines", "«> » × 15 on every line: deep but allowed",
     lambda n: _repeat("> " * 15 + "sitat\n", n)),
    ("digits", "one line of digits: phone / fødselsnummer patterns",
     lambda n: _repeat("1", n)),
    ("digit-groups", "«12345678901 » repeated: fødselsnummer candidates",
     lambda n: _repeat("15058910064 ", n)),
    ("img", "«<img » repeated: the alt-text pattern", lambda n: _repeat("<img ", n)),
    ("div", "«<div>» nested: the sanitiser's elements × depth", lambda n: _repeat("<div>", n)),
    ("formatting", "«<b title=…><p>»: re-opened formatting elements",
     lambda n: "".join(f"<b title=x{i}><p>" for i in range(n // 20))),
    ("scheme-spaces", "«](», spaces, «x:»: the link-scheme pattern (\\s*<?\\s*)",
     lambda n: _fill("](", " ", "x:", n)),
    ("at-tokens", "«(at) » repeated: obfuscated e-mail", lambda n: _repeat("(at) ", n)),
    ("dot-words", "«kari at tydal dot no » repeated", lambda n: _repeat("kari at tydal dot no ", n)),
    ("long-word-at", "a long word, then «@»: the e-mail pattern", lambda n: _fill("", "a", "@", n)),
    ("headings", "unclosed «<h1>»: the heading-id pattern", lambda n: _repeat("<h1>", n)),
    ("links", "«[x](a1.md)» … : one line search per link before",
     lambda n: "".join(f"[x](a{i}.md) " for i in range(n // 14))),
    ("yaml-brackets", "«[» × n in front matter: libyaml's composer segfaulted",
     None, lambda n: "ekstra: " + "[" * (n // 2) + "]" * (n // 2) + "\n"),
    ("yaml-dashes", "«- - - x» in front matter", None,
     lambda n: "ekstra:\n" + "- " * (n // 2) + "x\n"),
    ("kommune-commas", "«a,a,a,…(»: the kommune resolver's pattern", None,
     lambda n: 'kommuner: ["' + "a," * (n // 2) + '("]\n'),
]


def make_project(code: Path) -> Path:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    shutil.copytree(code / "content", OUT / "content")
    shutil.copy(code / "site_config.yml", OUT / "site_config.yml")
    (OUT / "theme").symlink_to(code / "theme", target_is_directory=True)
    bank = OUT / "examples_bank"
    bank.mkdir()
    fixtures = code / "tests" / "fixtures" / "bank"
    for f in sorted(fixtures.glob("*.md")) if fixtures.is_dir() else []:
        if f.name != "README.md":
            shutil.copy(f, bank / f.name)
    return OUT


def entry_text(cls, n: int) -> str:
    if cls[2] is not None:
        return FRONT + "---\n" + cls[2](n) + "\n"
    front = cls[3](n)
    head = FRONT.replace("kommuner: [Tydal]\n", "") if front.startswith("kommuner:") else FRONT
    return head + front + "---\nSyntetisk brødtekst som er lang nok til å bli godtatt.\n"


def best_check(project: Path, code: Path, timeout: float, runs: int) -> tuple[float, str]:
    """The fastest of `runs` checks: on a shared machine the least disturbed one is the closest
    to what the check itself costs."""
    results = []
    for _ in range(runs):
        results.append(check(project, code, timeout))
        if results[-1][1] == "tid":
            return timeout, "tid"
    return min(results)


def check(project: Path, code: Path, timeout: float) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(code))
    start = time.perf_counter()
    try:
        r = subprocess.run([sys.executable, "-m", "generator", "--config",
                            str(project / "site_config.yml"), "check"], cwd=project, env=env,
                           capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, "tid"
    seconds = time.perf_counter() - start
    if r.returncode == 3 or b"Traceback" in r.stderr:
        return seconds, "3"
    return seconds, "" if r.returncode == 1 else str(r.returncode)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[120, 250, 500, 1000],
                   help="entry sizes in kB (default: 120 250 500 1000)")
    p.add_argument("--only", nargs="+", help="only these classes")
    p.add_argument("--timeout", type=float, default=120, help="seconds per check (default 120)")
    p.add_argument("--code", type=Path, default=ROOT, help="the checkout whose generator runs")
    p.add_argument("--runs", type=int, default=1, help="fastest of this many checks (default 1)")
    args = p.parse_args()
    code = args.code.resolve()
    project = make_project(code)
    classes = [c for c in CLASSES if not args.only or c[0] in args.only]
    target = project / "examples_bank" / "syntetisk-angrep.md"
    base, _ = best_check(project, code, args.timeout, max(3, args.runs))
    sizes = [s * 1000 for s in args.sizes]
    head = ["class"] + [f"{s // 1000} kB" if s < 10**6 else f"{s / 10**6:g} MB" for s in sizes]
    rows = [["(clean project)"] + [f"{base:.2f}"] * len(sizes)]
    print(f"generator from {code}; check of the clean project: {base:.2f} s", flush=True)
    for cls in classes:
        row = [cls[0]]
        for n in sizes:
            target.write_text(entry_text(cls, n), encoding="utf-8")
            seconds, status = best_check(project, code, args.timeout, args.runs)
            row.append(f"{seconds:.2f}" + (f" ({status})" if status else "")
                       if status != "tid" else f"> {args.timeout:g} (tid)")
            print(f"  {cls[0]:<16} {n // 1000:>5} kB  {row[-1]}", flush=True)
            if status == "tid":
                row += ["–"] * (len(sizes) - len(row) + 1)
                break
        rows.append(row)
        target.unlink(missing_ok=True)
    if len(sizes) >= 2:
        head.append(f"{head[-1]} / {head[-2]}")
        for row in rows:
            try:
                a, b = (float(x.split()[0]) - base for x in row[-2:])
                row.append(f"{b / a:.1f}×" if a > 0.2 and b > 0.2 else "–")
            except (ValueError, IndexError):
                row.append("–")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\nSeconds of `erfaringsbank check` (child process, wall time, the fastest of "
          f"{args.runs}); «(0)» the entry passed, "
          "«(3)» an internal error, «(-11)» a segmentation fault, «(tid)» the timeout; no mark: "
          "exit 1, the entry refused with file:line. The last column is the entry's own cost "
          "(minus the clean project's check) at the largest size over the one before, where "
          "both are over 0.2 s («–»: too small to tell from the start-up).")
    for cls in classes:
        print(f"  {cls[0]}: {cls[1]}")


if __name__ == "__main__":
    main()
