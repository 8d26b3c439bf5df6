"""«Lignende eksempler» on example pages (generator/pages/related.py): chosen from the taxonomy
index, deterministic, never the example itself, løsning before region before words, and with a
cost per page that does not grow with the bank. Synthetic banks written by the tests."""
from __future__ import annotations

import datetime as dt

from conftest import ROOT, TODAY, VALID

from generator import pages
from generator.base.settings import Settings
from generator.pages import related as rel
from generator.pipeline import load_bank


def entry(title: str, kommune: str = "Tydal", io: str = "aktivitet-og-fellesskap",
          losninger: str = "", day: int = 1, summary: str = "Syntetisk eksempel for testene.") -> str:
    return (VALID.replace("Syntetisk testeksempel", title)
            .replace("[Tydal]", f'["{kommune}"]')
            .replace("[aktivitet-og-fellesskap]", f"[{io}]")
            .replace("losninger: []", f"losninger: [{losninger}]")
            .replace("publisert: 2021-12-01", f"publisert: {dt.date(2021, 1, 1) + dt.timedelta(days=day)}")
            .replace("Syntetisk eksempel for testene.", summary))


def bank_with(tmp_path, entries: dict[str, str]):
    folder = tmp_path / "bank"
    folder.mkdir()
    for slug, text in entries.items():
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    settings = Settings(root=tmp_path, bank_dir=folder, docs_dir=ROOT / "content", today=TODAY)
    return load_bank(settings), settings


def test_losning_before_region_before_nothing_shared(tmp_path):
    bank, _ = bank_with(tmp_path, {
        "a": entry("Dagsenter med gode øyeblikk", "Tydal", losninger="gode-oyeblikk", day=1),
        # same løsning, another region and innsatsområde of its own (implied by the løsning)
        "b": entry("Gode øyeblikk i Bodø", "Bodø", io="helsehjelp", losninger="gode-oyeblikk", day=2),
        # same region (Trøndelag), same innsatsområde, no løsning
        "c": entry("Kafe i Røros", "Røros", day=3),
        # nothing in common but the words of the title
        "d": entry("Dagsenter med gode øyeblikk", "Bergen", io="helsehjelp", day=4),
    })
    a = bank.by_slug["a"]
    picked = [o.slug for o in rel.related(bank, a)]
    assert picked[:2] == ["b", "c"]
    assert "a" not in picked and "d" not in picked   # words alone never relate two examples
    assert [o.slug for o in rel.related(bank, a)] == picked   # deterministic


def test_ties_go_to_the_newer_example_then_the_slug(tmp_path):
    bank, _ = bank_with(tmp_path, {
        "x": entry("Ett", day=1), "y": entry("To", day=5), "z": entry("Tre", day=5),
        "w": entry("Fire", day=2)})
    assert [o.slug for o in rel.related(bank, bank.by_slug["x"])] == ["y", "z", "w"]


def test_cost_per_page_is_bounded_by_the_terms_not_the_bank(tmp_path, monkeypatch):
    """Only the newest PER_TERM examples of each term are looked at: with 300 examples in one
    kommune, the oldest is never a candidate, and no more than terms × PER_TERM are scored."""
    entries = {f"e{n:03}": entry(f"Eksempel nummer {n}", day=n) for n in range(300)}
    bank, _ = bank_with(tmp_path, entries)
    seen: list[str] = []
    real_words = rel.words
    monkeypatch.setattr(rel, "words", lambda e: seen.append(e.slug) or real_words(e))
    rel.related(bank, bank.by_slug["e299"])
    terms = sum(len(bank.terms_of(key, bank.by_slug["e299"])) for key in rel.WEIGHTS)
    assert len(seen) <= 1 + terms * (rel.PER_TERM + 1)
    assert "e000" not in seen


def test_every_example_page_lists_others_that_exist(tmp_path):
    bank, settings = bank_with(tmp_path, {
        "a": entry("Første", losninger="gode-oyeblikk"), "b": entry("Andre", day=2),
        "c": entry("Tredje", "Bergen", io="helsehjelp", day=3)})
    made = {p.src_uri: p.body for p in pages.generate(bank, settings)}
    page_a = made["eksempler/a.md"]
    assert "Lignende eksempler" in page_a and 'href="../b/"' in page_a
    assert 'href="../a/"' not in page_a
    assert "Lignende eksempler" not in made["eksempler/c.md"]  # nothing shared: no section



def test_serve_remakes_a_page_whose_list_shows_an_edited_example(tmp_path):
    """serve keeps unchanged example pages (incremental.PageMemo); a page whose «Lignende
    eksempler» shows an example that was edited is made again, so it shows the new title."""
    from generator.pipeline.incremental import EntryCache, PageMemo
    texts = {"x": entry("Ett", day=1), "y": entry("To", day=5)}
    folder = tmp_path / "bank"
    folder.mkdir()
    for slug, text in texts.items():
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")
    settings = Settings(root=tmp_path, bank_dir=folder, docs_dir=ROOT / "content", today=TODAY)
    cache, memo = EntryCache(), PageMemo()

    def x_page():
        bank = load_bank(settings, cache=cache)
        made = pages.generate(bank, settings, memo=memo)
        return next(p for p in made if p.src_uri == bank.by_slug["x"].src_uri)

    first = x_page()
    assert "To" in first.body and [o.slug for o in first.shows] == ["y"]
    assert x_page() is first  # nothing changed: the same page object
    (folder / "y.md").write_text(texts["y"].replace("tittel: To", "tittel: Endret to")
                                 if "tittel: To" in texts["y"] else
                                 texts["y"].replace("To", "Endret to", 1), encoding="utf-8")
    again = x_page()
    assert again is not first and "Endret to" in again.body


def _related_by_scoring_all(bank, e, shown):
    """The rule of the module's docstring, computed the plain way: every candidate scored in
    full, all of them sorted. `related` prunes (the floor, the `shown`-th best) and must choose
    the same examples."""
    scores, found = {}, {}
    for key, weight in rel.WEIGHTS.items():
        for term in bank.terms_of(key, e):
            for other in bank.tagged(key, term)[:rel.PER_TERM + 1]:
                if other.slug != e.slug:
                    scores[other.slug] = scores.get(other.slug, 0) + weight
                    found[other.slug] = other
    mine = rel.words(e)
    for slug in scores:
        theirs = rel.words(found[slug])
        if mine and theirs:
            scores[slug] += min(rel.WORDS_CAP, rel.WORDS_WEIGHT * len(mine & theirs) / len(mine | theirs))
    ranked = sorted(found.values(), key=lambda o: (-scores[o.slug], -o.publisert.toordinal(), o.slug))
    return ranked[:shown]


def test_the_pruned_choice_is_the_full_scoring_choice(tmp_path):
    """On a synthetic bank of 150 (bench/make_corpus.py: many ties, many shared words)."""
    import sys
    sys.path.insert(0, str(ROOT))
    from bench.make_corpus import make_project
    project = make_project(150, tmp_path / "p").parent
    settings = Settings(root=project, bank_dir=project / "examples_bank",
                        docs_dir=ROOT / "content", today=TODAY)
    bank = load_bank(settings)
    for shown in (1, rel.SHOWN, 12):
        for e in bank.examples:
            assert ([o.slug for o in rel.related(bank, e, shown)]
                    == [o.slug for o in _related_by_scoring_all(bank, e, shown)]), (e.slug, shown)
