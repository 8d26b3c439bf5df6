"""Hostile entries: the sanitiser and the page templates never let active content through.

Two layers: the validator refuses obvious script/on*/javascript: in a body (tests/bad_banks/
active-content-in-body), and the renderer sanitises with an allowlist (nh3) whatever gets past.
Here the validator's body check is switched off, so every payload reaches the sanitiser and the
real mkdocs build; the front-matter fields go through the normal validator.
"""
from __future__ import annotations

import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from activecontent import active_content, bad_url
from conftest import build_site, entry
from generator.render.markdown import render_markdown
from generator.validate import entries

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from payloads import FIELDS, KILDER, KILDER_URL, PAYLOADS  # noqa: E402


@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"p{i + 1}" for i in range(len(PAYLOADS))])
def test_sanitiser_blocks_payload(payload):
    html = render_markdown(payload).html
    assert active_content(html) == [], html
    assert "alert(" not in "".join(v for v in _attr_values(html)), html


def test_external_links_get_noopener():
    html = render_markdown('[Helsedirektoratet](https://www.helsedirektoratet.no) og '
                           '<a href="https://example.org" target="_blank">x</a>').html
    assert html.count('rel="noopener noreferrer"') == 2 and "target" not in html


def test_bad_url_detection_is_not_fooled():
    for url in ["javascript:x", " JaVa\tScript:x", "&#106;avascript:x", "jav&#x09;ascript:x",
                "data:text/html,x", "\x01vbscript:x"]:
        assert bad_url(url), url
    assert not bad_url("https://example.org/javascript:x")


def _attr_values(html: str) -> list[str]:
    values = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "meta" and dict(attrs).get("name") == "description":
                return
            values.extend(v or "" for k, v in attrs if k not in ("title", "alt"))
    P().feed(html)
    return values


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.title, self.description, self._in_title, self.h1, self._in_h1 = "", None, False, "", 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._in_title = tag == "title"
        if tag == "h1":
            self._in_h1 += 1
        if tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")

    def handle_endtag(self, tag):
        self._in_title = False
        if tag == "h1":
            self._in_h1 -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_h1:
            self.h1 += data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setattr(entries, "body_safety", lambda *args: None)
    try:
        bank = tmp_path_factory.mktemp("hostile-bank")
        text = entry(**FIELDS).replace(
            "kilder:\n  - tittel: Testdata\n    url: https://example.org/kilde\n", KILDER)
        text += "\n" + "\n\n".join(PAYLOADS) + "\n"
        (bank / "syntetisk-fiendtlig.md").write_text(text, encoding="utf-8")
        (bank / "syntetisk-normal.md").write_text(entry(tittel="Vanlig eksempel"),
                                                   encoding="utf-8")
        yield build_site(tmp_path_factory.mktemp("hostile-site"), bank)
    finally:
        mp.undo()


def test_hostile_entry_builds_without_active_content(hostile_site):
    hostile = (hostile_site / "eksempler/syntetisk-fiendtlig/index.html").read_text()
    normal = (hostile_site / "eksempler/syntetisk-normal/index.html").read_text()
    # The theme's own scripts, styles and icons are on both pages; the entry adds nothing.
    extra = Counter(active_content(hostile)) - Counter(active_content(normal))
    assert extra == Counter(), extra
    # No payload survives in an attribute other than inert text (title, alt, meta content).
    assert not [v for v in _attr_values(hostile)
                if ("xss-" in v or "alert(" in v) and v != KILDER_URL]
    href = str(escape(KILDER_URL))  # the apostrophe as the templates escape it (&#39;)
    assert f'<a href="{href}" rel="noopener noreferrer">' in hostile


def test_hostile_fields_stay_text_in_title_and_meta(hostile_site):
    """mkdocs-material puts page.meta.title and page.meta.description into <title> and
    <meta content="…"> without escaping: the quotes must not break out of the attribute."""
    p = _Head()
    p.feed((hostile_site / "eksempler/syntetisk-fiendtlig/index.html").read_text())
    tittel = """Kafe "Posten" ' onmouseover=alert(1) x='"""
    assert p.title == f"{tittel} - Leve hele livet – erfaringsbank"
    assert p.description == """Slutt" onmouseover="alert(2)" x=" og ' onfocus='alert(3)"""
    assert tittel in p.h1
