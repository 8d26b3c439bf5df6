"""Repairs of mkdocs-material 9.8's own markup that the W3C Nu Html Checker rejects, made on each
page's finished HTML (the stock templates write it outside any block a theme can override):

* `tabindex=""` on the label of a navigation section (partials/nav-item.html gives the section
  labels of `navigation.sections` an empty tab index): the attribute is dropped — an empty
  value means nothing to browsers, so nothing changes for keyboard users;
* `autocomplete="off"` on the drawer and search checkboxes (base.html): the attribute is only
  allowed on text-like inputs, so it is dropped. (Material sets it so that Firefox does not
  restore a ticked box on «back»; theme/assets/tilgjengelighet.js unticks both on load.)

Lean pages (issue 18): after the blanks are compacted, the containers base.html always writes
but that stay empty here are dropped — the skip-link holder (pages without a Markdown heading get
theme/main.html's own skip link), the announcement bar (none configured) and the dialog (it
shows only the code copy button's «copied», a feature the site does not use). Material's script
mounts what it finds, so nothing is missing for it. ≈ 200 bytes a page.

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

EMPTY = (
    '<div data-md-component="skip">\n</div>\n',
    '<div data-md-component="announce">\n</div>\n',
    '<div class="md-dialog" data-md-component="dialog">\n'
    '<div class="md-dialog__inner md-typeset"></div>\n</div>\n',
)


# The theme's templates indent their output generously (≈ 1.5 KB of an example page): a line
# break and the blanks after it are one space to a browser, except inside these elements.
_KEPT_OPEN = re.compile(r"<(pre|textarea|script)\b", re.I)
_BLANKS = re.compile(r"\n[ \t\n]+")


def repaired(html: str) -> str:
    for old, new in FIXES:
        if old in html:
            html = html.replace(old, new)
    html = compact(html)
    for empty in EMPTY:
        if empty in html:
            html = html.replace(empty, "")
    return html


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
