"""The limits on one input file, in one place.

Entries and content pages arrive by pull request from many hands, so every file is measured
before anything parses it, in time linear in its size: an oversized file, too much front matter,
YAML nested too deep or a body that would make the HTML sanitiser slow is a content error with
the file, the line and how to fix it — never a hang, a crash or a segmentation fault. Each limit
is far above anything a real example needs (an example is 2–20 kB, its front matter under 2 kB,
nested two or three levels deep) and far below what would cost seconds.

| limit | value | checked in | why |
|---|---|---|---|
| file size (entry, content page, status file) | `MAX_FILE_BYTES` = 1 MiB | `load/files.py` `read_text` (from the lstat, before reading) | every later stage is linear in it |
| front matter (entries, content pages) | `MAX_FRONT_MATTER_BYTES` = 64 KiB | `load/files.py` `parse_document` | bounds the YAML parser's work |
| YAML nesting (lists and mappings, block or `[ {`) | `MAX_YAML_DEPTH` = 20 | `load/yamlsafe.py` `yaml_too_deep`, first thing in `load_mapping`; content pages' front matter in `load/files.py` `check_page` | libyaml's composer recurses in C: ~25 000 nested `[` crash the process (segfault) |
| Markdown nesting (block quotes `>` and lists, per line) | `MAX_MARKDOWN_DEPTH` = 20 | `markdown_too_deep` below, from `validate/entries.py` (before rendering) and `load/files.py` `check_page` | the sanitiser's time grows with elements × depth (200 kB of `> ` took 214 s) |
| HTML start tags in a rendered body | `MAX_HTML_TAGS` = 10 000 | `render/markdown.py` `render_markdown(max_tags=…)`, before sanitising | the same, for raw HTML and many elements (`<div>` × 40 000: 3 s; × 200 000: minutes) |
| sources per entry | 50 (`validate/fields.py` `MAX_SOURCES`) | the field readers | |
| image size | 1 MiB (`validate/entries.py` `MAX_IMAGE_BYTES`) | the validator | |
| title / summary / contact | 120 / 300 / 200 characters (`validate/entries.py`) | the field readers | |

Formatting tags in raw HTML (`<b title=…>`, `<em class=…>` …) lose their attributes before the
sanitiser (render/markdown.py): the HTML parser re-opens every distinct unclosed one at each new
paragraph, so a 17 kB body became 10 MB of HTML. The sanitiser drops those attributes anyway.
File and folder names, symbolic links and misnamed files: load/files.py.
"""
from __future__ import annotations

import re

MAX_FILE_BYTES = 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_YAML_DEPTH = 20
MAX_MARKDOWN_DEPTH = 20
MAX_HTML_TAGS = 10_000


def size(n: int) -> str:
    """«1 MB», «1,2 MB», «64 kB»: a byte count as the messages show it, rounded up (so a file
    just over a limit never reads as equal to it)."""
    if n >= 1024 * 1024:
        tenths = -(-n * 10 // (1024 * 1024))
        return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10} MB"
    return f"{-(-n // 1024)} kB"


_FENCE = ("```", "~~~")
# A line can nest deeper than 20 only if it starts with at least 11 characters of these (a tab is
# two levels, anything else at most one): one search that almost every body passes at C speed.
_DEEP_LINE = re.compile(r"\n[ \t>*+\-0-9.)]{11}")   # «\n» first: a fast literal search
_DEEP_FIRST = re.compile(r"[ \t>*+\-0-9.)]{11}")


def markdown_too_deep(text: str, limit: int = MAX_MARKDOWN_DEPTH) -> tuple[int, int] | None:
    """(0-based line, depth) of the first line whose block quotes and lists nest deeper than
    `limit`, or None. A line's depth is counted from its start: each «>» and each list marker
    («-», «*», «+», «1.», «1)» followed by a space) is a level, and every two columns of
    indentation before or between them may continue one more (a nested list's items are indented
    under their parent). An upper bound — never less than the depth cmark-gfm builds — read in
    one pass, stopping at the first level too many; fenced code blocks are skipped."""
    if limit >= 20 and not (_DEEP_FIRST.match(text) or _DEEP_LINE.search(text)):
        return None
    fence = ""
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        if not stripped.strip():
            continue  # blank
        if fence:
            if stripped.startswith(fence) and len(line) - len(stripped) < 4:
                fence = ""
            continue
        if len(line) - len(stripped) < 4 and stripped.startswith(_FENCE):
            fence = stripped[:3]
            continue
        if not stripped or stripped[0] not in " \t>-*+0123456789":
            if len(line) - len(stripped) < 2 * (limit + 1):
                continue  # no marker and too little indentation to matter
        depth = _line_depth(line, limit)
        if depth > limit:
            return number, depth
    return None


def _line_depth(line: str, limit: int) -> int:
    markers = columns = 0
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c == " ":
            columns += 1
        elif c == "\t":
            columns += 4
        elif c == ">":
            markers += 1
            i += i + 1 < n and line[i + 1] == " "  # the space after a marker is the marker's
        elif c in "-*+" and (i + 1 == n or line[i + 1] in " \t"):
            markers += 1
            i += i + 1 < n and line[i + 1] == " "
        elif "0" <= c <= "9":
            j = i
            while j < n and j - i < 9 and "0" <= line[j] <= "9":
                j += 1
            if j < n and line[j] in ".)" and (j + 1 == n or line[j + 1] in " \t"):
                markers += 1
                i = j + (j + 1 < n and line[j + 1] == " ")
            else:
                break
        else:
            break
        i += 1
        if markers + columns // 2 > limit:
            break
    return markers + columns // 2


def markdown_depth_problem(body: str, body_line: int) -> tuple[int, str, str] | None:
    """(file line, message, hint) when `body` (starting at file line `body_line`) nests block
    quotes and lists deeper than MAX_MARKDOWN_DEPTH; None when it does not."""
    deep = markdown_too_deep(body)
    if deep is None:
        return None
    line, depth = deep
    return (body_line + line, f"teksten er nestet minst {depth} nivåer dypt (sitater «>» og "
            f"lister inni hverandre, eller dypt innrykk); høyst {MAX_MARKDOWN_DEPTH} er tillatt",
            "Skriv sitatet eller lista med færre nivåer; de fleste tekster trenger to eller tre.")
