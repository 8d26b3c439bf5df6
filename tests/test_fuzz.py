"""Property tests (hypothesis): arbitrary front matter and bodies either pass or end in our
BankError with file and line — never another exception — and what passes renders to HTML
without active content. Bounded for CI: a fixed number of examples, no deadline flakiness.
"""
from __future__ import annotations


import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from activecontent import active_content
from conftest import ROOT, TODAY
from generator import pages
from generator.base.errors import BankError, Collector
from generator.load.files import load_entry
from generator.model import Bank
from generator.validate.reference import load_reference
from generator.base.settings import Settings
from generator.validate.entries import KNOWN, validate_bank

MAX_EXAMPLES = 250

WORDS = ["no", "yes", "on", "off", "y", "N", "true", "null", "~", "2021-12-01", "2021-13-01",
         "2099-01-01", "0301", "1818", "Tydal", "Herøy", "Våler (Innlandet)", "Kárášjohka", "nb",
         "nn", "gjennomfort", "planlagt", "aktivitet-og-fellesskap", "gode-oyeblikk",
         "hverdagsmestring", "https://example.org/x", "javascript:alert(1)", "data:text/html,x",
         "<script>alert(1)</script>", "\" onmouseover=\"alert(1)", "&#106;avascript:", "---",
         "ola@example.org", "912 34 567", "\t", "", " ", "æøå ÆØÅ «»", "\u202e", "\x00"]
BODY_BITS = WORDS + [
    "[lenke](javascript:alert(1))", "[lenke](annen.md)", "[lenke](../content/reformen/faser.md)",
    "![bilde](bilder/x.png)", "![](x.png)", "<img src=x onerror=alert(1)>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "<svg onload=alert(1)>", "<iframe src=x>",
    "<p style=\"x\">", "<div class=\"md-header\" id=\"__config\">", "# Overskrift", "\n\n",
    "| a | b |\n|---|---|\n| 1 | 2 |", "[^1]\n\n[^1]: fotnote", "*[HTML]: x", "<!-- x -->",
    "    kode", "```\n<script>\n```", "<", ">", "&", "&amp;", "]]>", "</div></article>",
    "Kommunen startet et prosjekt sammen med frivillige og de eldre selv.",
]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True), st.text(max_size=40), st.sampled_from(WORDS))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(["tittel", "url", "x"]) | st.text(max_size=6),
                                        inner, max_size=3), max_leaves=10)
keys = st.sampled_from(KNOWN + ("kommune", "tittle", "losning", "sprak ")) | st.text(max_size=10)

BASE = {"tittel": "Syntetisk fuzz", "kommuner": ["Tydal"], "innsatsomrader":
        ["aktivitet-og-fellesskap"], "sammendrag": "Syntetisk.", "status": "gjennomfort",
        "publisert": "2021-12-01", "sprak": "nb", "syntetisk": True,
        "kilder": [{"tittel": "Test", "url": "https://example.org"}]}


def _dump(mapping) -> str:
    return yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)


# Three kinds of front matter: a valid one with some values replaced (often accepted), an
# arbitrary mapping, and arbitrary YAML-ish text (mostly syntax errors, tabs, traps).
mutated = st.dictionaries(keys, values, max_size=4).map(lambda d: _dump({**BASE, **d}))
# Small changes to optional or free-text fields: these are often accepted and must render safely.
gentle = st.dictionaries(st.sampled_from(["kontakt", "tittel", "sammendrag", "oppdatert",
                                          "losninger", "kommuner"]),
                         st.sampled_from(WORDS) | st.text(max_size=60)
                         | st.lists(st.sampled_from(WORDS), max_size=3),
                         max_size=2).map(lambda d: _dump({**BASE, **d}))
arbitrary = st.dictionaries(keys, values, max_size=12).map(_dump)
yamlish = st.lists(st.sampled_from(list(":-[]{}\"'#&*!|>%@`\t ,?\n\r\ufeff") +
                                    ["a", "0", "ø", "no", "on", "tittel: ", "kilder:\n  - "]),
                   max_size=60).map("".join)
front_matter = st.one_of(gentle, gentle, mutated, arbitrary, yamlish)
bodies = st.lists(st.sampled_from(BODY_BITS) | st.text(max_size=30), min_size=1,
                  max_size=12).map(" ".join).map(lambda b: "Kommunen gjorde dette sammen. " + b)
encodings = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "crlf", "latin-1", "raw"])


def encode(text: str, how: str) -> bytes:
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    if how == "raw":
        return text.encode("utf-8", "surrogatepass") + b"\xff\xfe"
    return text.encode(how, "surrogatepass")


def test_loader_and_validator_accept_or_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    bank_dir = root / "examples_bank"
    bank_dir.mkdir()
    s = Settings(root=root, bank_dir=bank_dir, docs_dir=ROOT / "content", today=TODAY)
    reference = load_reference(s, Collector())
    seen = {"examples": 0, "accepted": 0, "reported": 0}

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(front=front_matter, body=bodies, how=encodings, name=st.sampled_from(
        ["syntetisk-fuzz", "syntetisk-fuzz", "Fuzz Fil", "fuzz_fil"]))
    def run(front, body, how, name):
        seen["examples"] += 1
        path = bank_dir / f"{name}.md"
        text = f"---\n{front}---\n{body}\n"
        path.write_bytes(encode(text, how))
        issues = Collector()
        try:
            raw = load_entry(path, s.rel(path), issues)
            examples = validate_bank(s, reference, [raw] if raw else [], issues)
            issues.raise_if_errors()
        except BankError as exc:
            seen["reported"] += 1
            # lines as an editor shows them: the decoder takes CRLF and a lone CR (old Mac
            # files) as line breaks too (load/files.py: decode)
            n_lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 2
            for issue in exc.issues:
                assert issue.path == f"examples_bank/{name}.md" and issue.message
                assert 0 <= issue.line <= n_lines, issue.format()
            return
        finally:
            path.unlink()
        seen["accepted"] += 1
        [example] = examples
        assert active_content(example.body_html) == [], example.body_html
        bank = Bank(reference, examples)
        page = pages.example_page(pages.Components(bank, s), example)
        assert active_content(page.markdown) == [], page.markdown

    run()
    print(f"\nfuzz: {seen['examples']} examples, {seen['accepted']} accepted, "
          f"{seen['reported']} reported as BankError")
    assert seen["examples"] >= MAX_EXAMPLES * 0.9
    assert seen["accepted"] > 0 and seen["reported"] > 0  # both outcomes are exercised
