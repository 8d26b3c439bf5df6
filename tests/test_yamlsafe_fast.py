"""The libyaml fast path of generator/yamlsafe.py (set lookups for the implicit resolvers, a plain
conversion of nodes to values) gives exactly what the pure-Python TextLoader gives: the same keys,
values, value types, lines and problems — for tricky hand-written documents, for every real and
fixture entry in the repository, and for generated documents."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from generator.load.yamlsafe import TextLoader, _load_mapping, load_mapping

ROOT = Path(__file__).resolve().parent.parent

TRICKY = [
    "tittel: Kafe Posten\nsprak: nb\n",
    "sprak: no\nstatus: on\nsyntetisk: true\nandre: False\n",
    "kommuner: [0301, 5001]\npublisert: 2021-13-01\ntall: 1e3\noktal: 0o17\n",
    "a: ~\nb: null\nc:\nd: NULL\ne: ''\nf: \"null\"\n",
    "kilder:\n  - tittel: Statusnotat\n    url: https://example.org\n  - tittel: x\n",
    "basis: &b {x: 1, y: [a, b]}\nkopi: *b\n",
    "basis: &b {x: 1}\nflett:\n  <<: *b\n  y: 2\n",
    "eksplisitt: !!bool yes\nogsa: !!bool true\ntekst: !!str 12\ningen: !!null x\n",
    "tall: !!int 5\nflyt: !!float 1.5\n",
    "nestet:\n  a: 1\n  a: 2\n",
    "sitat: 'no'\ndobbel: \"off\"\nblokk: |\n  linje\n  to\n",
    "liste:\n  - - a\n    - b\n  - {k: v}\n",
    "? [a, b]\n: verdi\n",
    "tom:\n",
    "rekursiv: &r [1, *r]\n",
    "tittel: y\nn: n\n",
]


def both(text: str):
    """load_mapping (libyaml first; the pure-Python loader again only if there is a problem, so
    messages are always PyYAML's) against the pure-Python loader alone."""
    fast = load_mapping(text, 3)
    slow = _load_mapping(text, 3, TextLoader)
    return fast, slow


def same(fast, slow) -> None:
    (fmap, fprob), (smap, sprob) = fast, slow
    assert [(p.line, p.message, p.key) for p in fprob] == [(p.line, p.message, p.key) for p in sprob]
    if smap is None:
        assert fmap is None
        return
    assert list(fmap) == list(smap)
    for key in smap:
        assert fmap[key].line == smap[key].line
        assert repr(fmap[key].value) == repr(smap[key].value), key  # repr: types too


@pytest.mark.parametrize("text", TRICKY)
def test_fast_loader_equals_text_loader_on_tricky_documents(text):
    if "rekursiv" in text:  # self-reference: both must end without hanging
        fast, slow = both(text)
        assert (fast[0] is None) == (slow[0] is None)
        return
    same(*both(text))


def test_fast_loader_equals_text_loader_on_every_entry_in_the_repository():
    files = [p for p in ROOT.glob("examples_bank/*.md")]
    files += list((ROOT / "tests").rglob("*.md"))
    checked = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("---\n") or "\n---" not in text[3:]:
            continue
        front = text[4:text.index("\n---", 3) + 1]
        fast, slow = both(front)
        if any("nestet mer enn" in p.message for p in fast[1]):
            continue  # over the nesting limit: refused before either loader composes it
        same(fast, slow)
        checked += 1
    assert checked > 40


scalars = st.one_of(st.text(max_size=12), st.sampled_from(
    ["no", "yes", "on", "off", "y", "n", "true", "False", "null", "~", "", "0301", "2021-01-01",
     "1.5", "<<", "nb", "nn"]), st.integers(), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=10), values, min_size=1, max_size=6),
       st.booleans())
def test_fast_loader_equals_text_loader_on_generated_documents(data, flow):
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    same(*both(text))
