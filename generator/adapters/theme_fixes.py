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

FIXES = (
    ('_label" tabindex="">', '_label">'),
    ('type="checkbox" id="__drawer" autocomplete="off">', 'type="checkbox" id="__drawer">'),
    ('type="checkbox" id="__search" autocomplete="off">', 'type="checkbox" id="__search">'),
)


def repaired(html: str) -> str:
    for old, new in FIXES:
        if old in html:
            html = html.replace(old, new)
    return html
