"""Page shells (generator/adapters/shells.py): a page made from a shell is the page a full render
makes, for any values — and a template that does something per page the shell cannot know
turns the shell off instead of writing a wrong page. (tests/test_scale.py compares whole sites
built with and without shells.)"""
from __future__ import annotations

import random

import pytest
from jinja2 import Environment

from generator.adapters.shells import SLOTS, Shells

# Like Material's base.html: some values raw (mkdocs' Jinja does not autoescape), some escaped,
# one tested, the title added when the content has no <h1>
TEMPLATE = """<html><head><title>{{ p.title }} - Site</title>
{% if p.description %}<meta name="description" content="{{ p.description }}">{% endif %}
<link rel="canonical" href="{{ p.canonical | e }}"></head><body>
<header>{{ p.title }}</header>
{% if p.edit %}<a href="{{ p.edit | e }}">Rediger</a>{% endif %}
{% if "<h1" not in p.content %}<h1>{{ p.title }}</h1>{% endif %}
<div data-pagefind-body>{{ p.content }}</div>{{ extra }}</body></html>"""

HOSTILE = ['<script>alert(1)</script>', 'Tom & Jerry', '"quoted" \'single\'', 'æøå «»',
           '{{ x }}', '\ue000eb-title\ue001', '</div>', '']


def renderer(env_template, page: dict, extra=lambda page: ""):
    def render(probes):
        values = dict(page)
        values.update(probes or {})
        return env_template.render(p=values, extra=extra(page))
    return render


def random_page(rng: random.Random, n: int) -> dict:
    def text():
        return "".join(rng.choice(HOSTILE + [f"ord{n}"]) for _ in range(rng.randint(1, 3)))
    page = {"title": text(), "description": text() if n % 3 else "",
            "canonical": f"https://x.no/eksempler/{n}/?a=1&b={text()}",
            "edit": f"https://github.com/o/r/edit/main/{n}.md" if n % 4 else "",
            "content": (f"<h1>{text()}</h1>" if n % 2 else "") + f"<p>{text()}</p>"}
    return page


def test_filled_shells_are_the_full_render_for_hostile_values():
    template = Environment(autoescape=False).from_string(TEMPLATE)
    shells = Shells()
    rng = random.Random(18)
    for n in range(300):
        page = random_page(rng, n)
        render = renderer(template, page)
        assert shells.page(("eksempler",), page, render) == render(None), page
    assert shells.filled > 250  # the shells were used, not every page rendered in full
    assert not shells.refused


def test_a_template_printing_something_per_page_turns_the_shell_off():
    """The page's address is not a slot: a template that prints it cannot have a shell. The
    pages are still right (rendered in full)."""
    template = Environment(autoescape=False).from_string(TEMPLATE)
    shells = Shells()
    rng = random.Random(1)
    for n in range(20):
        page = random_page(rng, n) | {"description": "d", "edit": "e", "content": "<p>x</p>"}
        render = renderer(template, page, extra=lambda page, n=n: f"<!-- side {n} -->")
        assert shells.page(("eksempler",), page, render) == render(None)
    assert shells.filled == 0 and shells.refused


def test_a_filter_that_changes_a_slot_turns_the_shell_off():
    template = Environment(autoescape=False).from_string(
        "<title>{{ p.title | upper }}</title>{{ p.content }}")
    shells = Shells()
    for n in range(10):
        page = {"title": f"side {n}", "content": "<p>x</p>"}
        render = renderer(template, page)
        assert shells.page(("k",), page, render) == render(None)
    assert shells.filled == 0 and shells.refused


@pytest.mark.parametrize("slot", SLOTS)
def test_an_empty_slot_is_its_own_kind(slot):
    """A template may test whether a value is there: a page without it is another kind."""
    template = Environment(autoescape=False).from_string(TEMPLATE)
    shells = Shells()
    full = {"title": "T", "description": "D", "canonical": "C", "edit": "E",
            "content": "<p>x</p>"}
    for n in range(8):
        page = dict(full) if n % 2 else dict(full, **{slot: ""})
        render = renderer(template, page)
        assert shells.page(("k",), page, render) == render(None)
