"""Repairs of mkdocs-material 9.8's own markup that the W3C Nu Html Checker rejects, made on each
page's finished HTML (the stock templates write it outside any block a theme can override):

* `tabindex=""` on the label of a navigation section (partials/nav-item.html gives the section
  labels of `navigation.sections` an empty tab index): the attribute is dropped — an empty
  value means nothing to browsers, so nothing changes for keyboard users;
* `autocomplete="off"` on the drawer and search checkboxes (base.html): the attribute is only
  allowed on text-like inputs, so it is dropped. (Material sets it so that Firefox does not
  restore a ticked box on «back»; theme/assets/tilgjengelighet.js unticks both on load.)

Each repair is an exact string of Material's output. tests/test_html_valid.py runs the checker
over every page, and tests/test_theme_fixes.py checks that each string still occurs in what
Material writes, so an update of the theme that changes them is noticed. Listed in docs/motor.md.
"""
from __future__ import annotations

import re

FIXES = (
    ('_label" tabindex="">', '_label">'),
    ('type="checkbox" id="__drawer" autocomplete="off">', 'type="checkbox" id="__drawer">'),
    ('type="checkbox" id="__search" autocomplete="off">', 'type="checkbox" id="__search">'),
)


# The theme's templates indent their output generously (≈ 1.5 KB of an example page): a line
# break and the blanks after it are one space to a browser, except inside these elements.
_KEPT_OPEN = re.compile(r"<(pre|textarea|script)\b", re.I)
_BLANKS = re.compile(r"\n[ \t\n]+")


def repaired(html: str) -> str:
    for old, new in FIXES:
        if old in html:
            html = html.replace(old, new)
    return compact(html)


def compact(html: str) -> str:
    """Runs of blank lines and indentation → one line break, outside <pre>, <textarea> and
    <script> (whose text is kept byte for byte: the CSP hashes name the inline scripts). One
    pass: each kept element is found by its opening and the next closing tag of its name."""
    out, at = [], 0
    lower = None
    while (m := _KEPT_OPEN.search(html, at)) is not None:
        out.append(_BLANKS.sub("\n", html[at:m.start()]))
        if lower is None:
            lower = html.lower()
        end = lower.find(f"</{m.group(1).lower()}", m.end())
        if end < 0:                       # not closed: the rest as it is
            out.append(html[m.start():])
            return "".join(out)
        at = end
        out.append(html[m.start():at])
    out.append(_BLANKS.sub("\n", html[at:]))
    return "".join(out)
