"""serve's rebuilds reuse what did not change (pipeline/incremental.py: EntryCache, PageMemo) —
and still show every change: the pages made after an edit are the pages a fresh build makes.
Synthetic banks written by the tests; the pages compared with a build without memo."""
from __future__ import annotations

import os
import sys

import pytest

from conftest import ROOT, TODAY
from test_related import entry

from generator import pages
from generator.base.settings import Settings
from generator.pipeline import load_bank
from generator.pipeline.incremental import EntryCache, PageMemo

sys.path.insert(0, str(ROOT))
from bench.make_corpus import png  # noqa: E402

PNG = png(4, 4, (200, 80, 40))


class Served:
    """A bank folder and serve's memo, rebuilt on demand like serve's rebuild does."""

    def __init__(self, tmp_path, texts: dict[str, str], per_page: int = 2):
        self.folder = tmp_path / "bank"
        self.folder.mkdir()
        for slug, text in texts.items():
            self.write(slug, text)
        self.settings = Settings(root=tmp_path, bank_dir=self.folder, docs_dir=ROOT / "content",
                                 today=TODAY, per_page=per_page)
        self.cache, self.memo = EntryCache(), PageMemo()

    def write(self, slug: str, text: str) -> None:
        (self.folder / f"{slug}.md").write_text(text, encoding="utf-8")

    def rebuild(self) -> dict[str, str]:
        bank = load_bank(self.settings, cache=self.cache)
        return {p.src_uri: p.markdown for p in pages.generate(bank, self.settings, memo=self.memo)}

    def fresh(self) -> dict[str, str]:
        bank = load_bank(self.settings)
        return {p.src_uri: p.markdown for p in pages.generate(bank, self.settings)}


def _many(n: int, kommune: str = "Tydal") -> dict[str, str]:
    return {f"e{i}": entry(f"Eksempel nummer {i}", kommune=kommune, day=i) for i in range(n)}


def test_an_entry_moved_to_another_region_leaves_one_and_joins_the_other(tmp_path):
    texts = _many(5)  # Tydal: Trøndelag
    texts["flytt"] = entry("Flyttet eksempel", kommune="Tydal", day=3)
    texts["annen"] = entry("Fast i Vestland", kommune="Bergen", day=2)
    served = Served(tmp_path, texts)
    before = served.rebuild()
    where = {uri for uri, md in before.items() if "Flyttet eksempel" in md}
    assert any(u.startswith("regioner/") for u in where)
    served.write("flytt", texts["flytt"].replace('["Tydal"]', '["Bergen"]'))
    after = served.rebuild()
    assert after == served.fresh()
    now = {uri for uri, md in after.items() if "Flyttet eksempel" in md}
    assert {u for u in where - now if u.startswith(("regioner/", "kommuner/"))}  # left Tydal's
    assert {u for u in now - where if u.startswith(("regioner/", "kommuner/"))}  # joined Bergen's


def test_an_edited_title_shows_on_every_listing_page_and_nothing_else_is_stale(tmp_path):
    served = Served(tmp_path, _many(9))
    before = served.rebuild()
    served.write("e4", entry("Helt ny tittel", day=4))
    after = served.rebuild()
    assert after == served.fresh()
    listed = [u for u, md in after.items() if "Helt ny tittel" in md]
    assert len(listed) > 3  # its page, all examples (both orders), kommune, region …
    assert not any("Eksempel nummer 4<" in md for md in after.values())
    # the continuation pages that do not show it are kept as they were (the memo)
    unchanged = [u for u in after if u in before and after[u] == before[u]]
    assert unchanged


def test_an_entry_added_or_deleted_moves_the_listing_pages(tmp_path):
    served = Served(tmp_path, _many(4))
    served.rebuild()
    served.write("ny", entry("Et nytt eksempel", day=50))
    assert served.rebuild() == served.fresh()
    os.remove(served.folder / "e0.md")
    after = served.rebuild()
    assert after == served.fresh()
    assert not any("Eksempel nummer 0<" in md for md in after.values())


def _age(folder, seconds: float = 10) -> None:
    """The folder as if last changed `seconds` ago (the scan trusts only a quiet folder)."""
    st = os.stat(folder)
    os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns - int(seconds * 1e9)))


def test_the_kept_folder_listing_sees_added_deleted_and_renamed_entries(tmp_path):
    served = Served(tmp_path, _many(3))
    _age(served.folder)
    served.rebuild()
    assert served.cache.scans  # kept: the folder was quiet
    served.write("ny", entry("Et nytt eksempel", day=50))  # the folder's mtime moves on
    assert "Et nytt eksempel" in str(served.rebuild())
    _age(served.folder)
    served.rebuild()
    os.rename(served.folder / "e1.md", served.folder / "omdopt.md")
    after = served.rebuild()
    assert after == served.fresh()
    assert "eksempler/omdopt.md" in after and "eksempler/e1.md" not in after


def test_a_folder_changed_just_before_the_scan_is_scanned_again(tmp_path):
    served = Served(tmp_path, _many(2))
    served.rebuild()  # the folder was written a moment ago
    assert not served.cache.scans
    # a change that would leave the same mtime on a coarse clock is still seen
    st = os.stat(served.folder)
    served.write("ny", entry("Samme sekund", day=9))
    os.utime(served.folder, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert "Samme sekund" in str(served.rebuild())


def test_an_entry_rewritten_with_the_same_size_and_mtime_is_still_read_again(tmp_path):
    served = Served(tmp_path, {"a": entry("Tittel AAAA", day=1)})
    path = served.folder / "a.md"
    st = os.stat(path)
    served.rebuild()
    path.write_text(entry("Tittel BBBB", day=1), encoding="utf-8")  # same length
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as `cp -p` or `touch -r` leave it
    assert os.stat(path).st_size == st.st_size
    after = served.rebuild()
    assert "Tittel BBBB" in after["eksempler/a.md"]


def test_a_kommune_page_is_kept_until_its_examples_or_the_settings_change(tmp_path):
    """serve remakes only the kommune pages that show an edited example (Components.remembered);
    the others are the last build's (the same objects). Settings (the pages' size) remake all."""
    import dataclasses

    texts = _many(3, kommune="Tydal")
    texts.update({f"b{i}": entry(f"Bergen nummer {i}", kommune="Bergen", day=10 + i)
                  for i in range(3)})
    served = Served(tmp_path, texts)
    before = served.rebuild()
    tydal = [u for u in before if u.startswith("kommuner/5033-tydal")]
    bergen = [u for u in before if u.startswith("kommuner/4601-bergen")]
    assert len(tydal) == 2 and len(bergen) == 2  # 3 examples, 2 a page: a second page each
    served.write("e1", entry("Ny tittel i Tydal", kommune="Tydal", day=1))
    after = served.rebuild()
    assert after == served.fresh()
    assert all(after[u] is before[u] for u in bergen)  # kept, not made again
    assert "Ny tittel i Tydal" in "".join(after[u] for u in tydal)
    assert not any(after[u] is before[u] for u in tydal if "Ny tittel" in after[u])

    served.settings = dataclasses.replace(served.settings, per_page=5)
    resized = served.rebuild()
    assert resized == served.fresh()
    assert [u for u in resized if u.startswith("kommuner/4601-bergen")] == [bergen[0]]
    assert resized[bergen[0]] != after[bergen[0]]


def test_a_changed_setting_or_template_override_remakes_every_page(tmp_path):
    """serve keeps an example page while its Example is unchanged — but the page also shows the
    settings (the repository's edit links, the listings' size …) and the theme's template
    overrides (fragments.py): when one changes, every page is made again (PageMemo.begin)."""
    import dataclasses
    import time

    served = Served(tmp_path, _many(5))
    served.rebuild()
    for change in ({"repo_url": "https://github.com/en-annen/bank"}, {"edit_branch": "utkast"},
                   {"per_page": 3}):
        served.settings = dataclasses.replace(served.settings, **change)
        assert served.rebuild() == served.fresh(), change

    overrides = tmp_path / "tema" / "fragments" / "erfaringsbank"
    overrides.mkdir(parents=True)
    served.settings = dataclasses.replace(served.settings, theme_dir=tmp_path / "tema")
    served.rebuild()
    template = (ROOT / "generator" / "pages" / "templates" / "eksempel.html").read_text("utf-8")
    (overrides / "eksempel.html").write_text("<!-- overstyrt 1 -->" + template, "utf-8")
    after = served.rebuild()
    assert after == served.fresh() and "overstyrt 1" in after["eksempler/e1.md"]
    time.sleep(0.01)  # a new mtime even on a coarse clock (the size changes too)
    (overrides / "eksempel.html").write_text("<!-- overstyrt to -->" + template, "utf-8")
    after = served.rebuild()
    assert after == served.fresh() and "overstyrt to" in after["eksempler/e1.md"]
    (overrides / "eksempel.html").unlink()
    after = served.rebuild()
    assert after == served.fresh() and "overstyrt" not in after["eksempler/e1.md"]


def test_an_example_page_links_to_the_prize_page_only_while_it_exists(tmp_path):
    import dataclasses
    import re
    import shutil

    from generator.model import urls

    texts = _many(2)
    texts["vinner"] = re.sub(r"(?m)^(publisert: .*)$", r"\1\npris: {ar: 2022, plassering: vinner}",
                             entry("Vinneren", day=7), count=1)
    served = Served(tmp_path, texts)
    docs = tmp_path / "kopi" / "innhold"  # (not the project's own: its status names real examples)
    shutil.copytree(ROOT / "content", docs)
    served.settings = dataclasses.replace(served.settings, docs_dir=docs)
    link = urls.PRIZE_PAGE.removesuffix(".md").split("/")[-1] + "/"
    assert link in served.rebuild()["eksempler/vinner.md"]
    (docs / urls.PRIZE_PAGE).unlink()
    after = served.rebuild()
    assert after == served.fresh() and link not in after["eksempler/vinner.md"]


def test_an_entry_is_checked_again_when_the_page_or_image_it_points_at_comes_or_goes(tmp_path):
    """serve reuses an unchanged entry's validation — but its links and images point at files
    that may be created, deleted or replaced while it runs (load/tree.link_targets_stamp)."""
    import dataclasses
    import shutil

    from generator.base.errors import BankError

    texts = _many(2)
    texts["lenke"] = entry("Med lenke", day=5) + "\nLes [mer](../kopi/innhold/ny-side.md).\n"
    docs = tmp_path / "kopi" / "innhold"
    shutil.copytree(ROOT / "content", docs)
    served = Served(tmp_path, texts)
    served.settings = dataclasses.replace(served.settings, docs_dir=docs)
    with pytest.raises(BankError, match="peker på en side som ikke finnes"):
        served.rebuild()
    (docs / "ny-side.md").write_text("# Ny side\n\nTekst.\n", encoding="utf-8")
    assert "ny-side/" in served.rebuild()["eksempler/lenke.md"]  # the error is gone
    kept = served.rebuild()["eksempler/e0.md"]
    (docs / "ny-side.md").write_text("# Ny side\n\nEndret tekst.\n", encoding="utf-8")
    assert served.rebuild()["eksempler/e0.md"] is kept  # an edited page: nothing checked again
    (docs / "ny-side.md").unlink()
    with pytest.raises(BankError, match="peker på en side som ikke finnes"):
        served.rebuild()
    (docs / "ny-side.md").write_text("# Ny side\n\nTekst.\n", encoding="utf-8")
    served.rebuild()

    # an image: shown while it is there, an error once it is gone or too large
    from generator.validate.entries import MAX_IMAGE_BYTES
    bilder = served.folder / "bilder"
    bilder.mkdir()
    served.write("bilde", entry("Med bilde", day=6) + "\n![Et bilde](bilder/b.png)\n")
    with pytest.raises(BankError, match="finnes ikke"):
        served.rebuild()
    (bilder / "b.png").write_bytes(PNG)
    assert "b.png" in served.rebuild()["eksempler/bilde.md"]
    (bilder / "b.png").write_bytes(PNG + b"\0" * MAX_IMAGE_BYTES)
    with pytest.raises(BankError, match="høyst"):
        served.rebuild()
