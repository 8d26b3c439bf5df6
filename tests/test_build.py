"""One real build of the fixture bank through mkdocs; the HTML is parsed and asserted."""
from sitecheck import broken_links, page, parse, text


def test_pages_exist(fixture_site):
    for url in ["", "eksempler/tydal-kafe-posten/", "alle-eksempler/", "alle-eksempler/eldste/",
                "regioner/", "regioner/trondelag/", "regioner/vestland/", "kommuner/",
                "kommuner/5033-tydal/", "kommuner/1818-heroy/", "kommuner/0301-oslo/",
                "innsatsomrader/aktivitet-og-fellesskap/",
                "innsatsomrader/aktivitet-og-fellesskap/gode-oyeblikk/", "reformen/"]:
        assert page(fixture_site, url).exists(), url


def test_no_broken_links(fixture_site):
    assert broken_links(fixture_site) == []


def test_example_page_links_to_its_tags_and_back(fixture_site):
    html = parse(page(fixture_site, "eksempler/tydal-kafe-posten/"))
    for link in ["../../kommuner/5033-tydal/", "../../regioner/trondelag/",
                 "../../innsatsomrader/aktivitet-og-fellesskap/",
                 "../../innsatsomrader/et-aldersvennlig-norge/"]:
        assert link in html.links
    assert "../../eksempler/tydal-kafe-posten/" in parse(
        page(fixture_site, "kommuner/5033-tydal/")).links
    assert "../../eksempler/tydal-kafe-posten/" in parse(
        page(fixture_site, "regioner/trondelag/")).links
    t = text(fixture_site, "eksempler/tydal-kafe-posten/")
    assert "Kommune Tydal kommune Fylke Trøndelag Region Trøndelag" in t
    assert "Publisert 1. desember 2021" in t


def test_last_updated_shown_only_when_it_differs(fixture_site):
    heroy = text(fixture_site, "eksempler/syntetisk-heroy-dagsenter/")   # oppdatert: a later day
    assert "Publisert 15. mars 2022 Sist oppdatert 1. april 2022" in heroy
    tydal = text(fixture_site, "eksempler/tydal-kafe-posten/")     # no `oppdatert`
    assert "Publisert 1. desember 2021" in tydal and "Sist oppdatert" not in tydal


def test_counts_are_right(fixture_site):
    home = text(fixture_site, "")
    assert "5 eksempler fra 6 kommuner i 5 regioner." in home
    io = text(fixture_site, "innsatsomrader/aktivitet-og-fellesskap/")
    assert "2 eksempler" in io and "Gode øyeblikk – 1 eksempel" in io
    vestland = text(fixture_site, "regioner/vestland/")
    assert "43 kommuner, 1 eksempel i banken" in vestland
    assert "Høyanger (1)" in vestland


def test_nynorsk_example_is_marked(fixture_site):
    raw = page(fixture_site, "eksempler/syntetisk-vestland-nynorsk/").read_text()
    assert '<article class="eb-eksempel" lang="nn">' in raw
    assert "Syntetisk testeksempel." in raw  # synthetic entries say so on the page


def test_examples_are_not_in_the_navigation(fixture_site):
    raw = page(fixture_site, "regioner/").read_text()
    assert "tydal-kafe-posten" not in raw


def test_unverified_losning_shows_what_its_name_is_based_on():
    """A løsning whose name is not confirmed shows its `grunnlag` sentence, nothing else; a
    confirmed one shows no such note."""
    from dataclasses import replace

    from conftest import bank_of
    from generator.pages import augment
    bank, settings = bank_of()
    lo = next(iter(bank.reference.losninger.values()))
    for verified, grunnlag in ((False, "Navnet bygger på Helsedirektoratets plan."), (True, None)):
        ref = replace(bank.reference, losninger={
            **bank.reference.losninger, lo.slug: replace(lo, verified=verified, grunnlag=grunnlag)})
        shown = augment(replace(bank, reference=ref), settings, lo.src_uri, {"losning": lo.slug},
                        "Teksten.")
        assert ("Navnet bygger på Helsedirektoratets plan." in shown) is (not verified)
        assert "eb-merknad" in shown if not verified else "eb-merknad" not in shown


def test_nynorsk_quote_in_bokmal_entry_keeps_its_language(fixture_site):
    raw = page(fixture_site, "eksempler/ulstein-levekarsplan-og-300-metersbyen/").read_text()
    assert '<blockquote lang="nn">\n<p>Omsorgstilbodet i Ulstein' in raw


def test_mkdocs_build_and_erfaringsbank_build_give_the_same_site(tmp_path):
    """`mkdocs build -f site_config.yml` is the same engine run as `erfaringsbank build` (on a
    project of its own with the test bank: the bundled one is three times the work)."""
    import hashlib
    import shutil
    import subprocess
    import sys

    from conftest import ROOT, copy_project, fixture_files

    project = copy_project(tmp_path / "p")
    for f in fixture_files():
        shutil.copy(f, project / "examples_bank" / f.name)
    (project / "node_modules").symlink_to(ROOT / "node_modules")  # the pinned Pagefind binary

    def run(*cmd, site):
        subprocess.run([*cmd], cwd=project, check=True, capture_output=True)
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*")) if p.is_file() and p.suffix != ".gz"}

    ours = run(sys.executable, "-m", "generator", "build", "--site-dir", "a", site=project / "a")
    theirs = run(sys.executable, "-m", "mkdocs", "build", "-f", "site_config.yml", "-d", "b",
                 site=project / "b")
    # Pagefind names its filter/meta shards by hash and does not order them deterministically,
    # so its folder is compared by presence; every other file must be byte-identical.
    index = {k for k in ours if k.startswith("pagefind/")}
    assert "pagefind/pagefind-entry.json" in index
    assert {k for k in theirs if k.startswith("pagefind/")} and index
    strip = lambda files: {k: v for k, v in files.items() if not k.startswith("pagefind/")}
    assert strip(ours) == strip(theirs)
    bank = sorted(p.stem for p in (project / "examples_bank").glob("*.md"))
    assert bank and all(f"eksempler/{slug}/index.html" in ours for slug in bank)


def test_prize_distinction_on_page_card_and_filter(fixture_site):
    raw = page(fixture_site, "eksempler/syntetisk-heroy-dagsenter/").read_text()
    assert "Leve hele livet-prisen 2020:</strong> nominert." in raw
    from test_search_stream import fragments
    record = fragments(fixture_site)["/eksempler/syntetisk-heroy-dagsenter/"]
    assert record["filters"]["pris"] == ["nominert-2020"]
    listing = page(fixture_site, "alle-eksempler/").read_text()
    assert '<p class="eb-kort__pris">Leve hele livet-prisen: nominert 2020</p>' in listing
    other = page(fixture_site, "eksempler/syntetisk-oslo/").read_text()
    article = other[other.index('<article class="eb-eksempel"'):other.index("</article>")]
    assert "pris:" not in article and "Leve hele livet-prisen" not in article
