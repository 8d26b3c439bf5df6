"""Page shells (issue 18): the theme's page around a generated page outside the navigation is
rendered once per kind of page, and each page of that kind gets it with its own parts filled in.

A full render of Material's base.html costs ≈ 16 Jinja contexts and 19 template lookups per
page — most of a build's rendering time at 5 000 entries — to write the same header, sidebars,
scripts and footer around every example. Which parts of a page are its own is not guessed from
the templates: the first page of a kind is rendered once more with a *probe* in each slot (a
marker holding `<&"'>`), and wherever a probe comes out — as it is, or HTML-escaped — is that
slot, with that treatment; all the rest is the shell. A slot whose probe comes out any other way
(a filter that changes it) leaves the kind without a shell.

Checked, not trusted: the first two pages of each kind are rendered in full as well and compared
with the filled shell, byte for byte; a difference (a template that writes the page's address,
or tests a slot's value) turns the shell off for that kind, and its pages are rendered in full.
tests/test_scale.py builds a site with and without shells and compares every file.

Engine-free: it gets a key, the page's slot values and a function that renders the page in full
(with probe values, or with its own).
"""
from __future__ import annotations

import re
from typing import Callable

from markupsafe import escape

SLOTS = ("title", "description", "canonical", "edit", "content")
_PROBE = "\ue000eb-{}\ue001<&\"'>"  # private-use marks: no page or template has them
_CHECKED = 2  # pages of a kind rendered both ways before its shell is trusted
# A kind is a folder and a set of page options: a few dozen in a site. More means the key
# sees something that differs per page — stop making shells (each costs two extra renders).
_MAX_KINDS = 64

Render = Callable[[dict | None], str]  # None: the page's own values; a dict: these instead


def _escaped(text: str) -> str:
    return str(escape(text))


class Shells:
    """The shells of one build (make a new one per build: the theme may have changed)."""

    def __init__(self) -> None:
        self._shells: dict[tuple, list | None] = {}
        self._checked: dict[tuple, int] = {}
        self.filled = 0  # pages written from a shell (the test checks shells were used)
        self.refused: dict[tuple, str] = {}  # kind → why it has no shell (for a debug log)

    def page(self, key: tuple, values: dict[str, str], render: Render) -> str:
        """The page's HTML: from the shell of `key`, or rendered in full."""
        # which slots are empty belongs to the kind: a template may test them
        present = tuple(s for s in SLOTS if values.get(s))
        heading = "<h1" in values.get("content", "")
        key = key + present + (heading,)
        if key not in self._shells:
            if len(self._shells) >= _MAX_KINDS:
                return render(None)
            self._shells[key] = self._make(render, present, heading)
            self._checked[key] = 0
            if self._shells[key] is None:
                self.refused[key] = "a slot's probe came out changed"
        shell = self._shells[key]
        if shell is None:
            return render(None)
        if self._checked[key] < _CHECKED:
            self._checked[key] += 1
            full = render(None)
            filled = _fill(shell, values)
            if filled != full:
                self._shells[key] = None
                at = next((i for i, (a, b) in enumerate(zip(filled, full)) if a != b),
                          min(len(filled), len(full)))
                self.refused[key] = f"differs at {at}: {full[max(0, at - 80):at + 80]!r}"
            return full
        self.filled += 1
        return _fill(shell, values)

    @staticmethod
    def _make(render: Render, present: tuple[str, ...], heading: bool) -> list | None:
        probes = {slot: _PROBE.format(slot) for slot in present}  # an empty slot stays empty
        if heading and "content" in probes:
            # Material's content.html adds the title as <h1> unless the content has one: the
            # probe has what the page has (the probe is matched whole, so it stays a slot)
            probes["content"] = "<h1" + probes["content"]
        html = render(probes)
        found = {}
        for slot, probe in probes.items():
            found[probe] = (slot, False)
            found[_escaped(probe)] = (slot, True)
        pattern = re.compile("|".join(re.escape(p) for p in sorted(found, key=len, reverse=True)))
        parts: list = []
        at = 0
        for m in pattern.finditer(html):
            parts.append(html[at:m.start()])
            parts.append(found[m.group()])
            at = m.end()
        parts.append(html[at:])
        rest = "".join(p for p in parts if isinstance(p, str))
        if "\ue000eb-" in rest:  # a probe changed on its way (a filter): no shell
            return None
        return parts


def _fill(shell: list, values: dict[str, str]) -> str:
    out = []
    for part in shell:
        if isinstance(part, str):
            out.append(part)
        else:
            slot, escaped = part
            value = values.get(slot) or ""
            out.append(_escaped(value) if escaped else value)
    return "".join(out)
