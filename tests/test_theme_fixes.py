"""The repairs of the stock theme's markup (generator/adapters/theme_fixes.py) still match what
mkdocs-material writes: if an update changes the strings, this fails before vnu does."""
from __future__ import annotations

from pathlib import Path

import material

from generator.adapters.theme_fixes import FIXES, repaired

TEMPLATES = Path(material.__file__).parent / "templates"


def test_each_repair_matches_the_installed_theme():
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    nav = (TEMPLATES / "partials" / "nav-item.html").read_text(encoding="utf-8")
    assert FIXES[1][0] in base and FIXES[2][0] in base
    assert '_label" tabindex="{{ tabindex }}">' in nav   # rendered: _label" tabindex="">


def test_repairs_drop_only_the_invalid_attributes():
    html = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
            'autocomplete="off"><label class="md-nav__link" for="n" id="n_label" tabindex="">'
            '<label for="m" id="m_label" tabindex="0"><input type="search" autocomplete="off">')
    out = repaired(html)
    assert 'id="__drawer">' in out and 'id="n_label">' in out
    assert 'tabindex="0"' in out and 'type="search" autocomplete="off"' in out
    assert repaired(out) == out


def test_blank_runs_shrink_outside_pre_textarea_and_script():
    from generator.adapters.theme_fixes import compact
    html = ("<div>\n    <p>a</p>\n\n      <p>b</p>\n</div>\n<pre>x\n    y</pre>\n  "
            "<script>var a=1;\n    var b=2;</script>\n  <textarea>\n  t</textarea>")
    assert compact(html) == ("<div>\n<p>a</p>\n<p>b</p>\n</div>\n<pre>x\n    y</pre>\n"
                             "<script>var a=1;\n    var b=2;</script>\n<textarea>\n  t</textarea>")
    assert compact("x" * 10 + "<pre" * 1000) == "x" * 10 + "<pre" * 1000   # unclosed: as is


def test_empty_containers_are_dropped_and_only_when_empty():
    from generator.adapters.theme_fixes import EMPTY
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    for marker in ('<div data-md-component="skip">', '<div data-md-component="announce">',
                   '<div class="md-dialog" data-md-component="dialog">'):
        assert marker in base                      # Material still writes them
    page = "<body>\n" + "".join(EMPTY) + "<main>x</main>"
    assert repaired(page) == "<body>\n<main>x</main>"
    full = '<div data-md-component="skip">\n<a href="#h" class="md-skip">Gå til innhold</a>\n</div>\n'
    assert repaired(full) == full                  # a skip link that is there stays
