"""Stage 2: one test per class of content error; each asserts file, line, message and hint."""
import pytest

from conftest import VALID, BankDir, entry


def only_error(bankdir: BankDir, name: str, text: str):
    for old in bankdir.bank.rglob("*.md"):
        old.unlink()
    bankdir.write(name, text)
    errors = [i for i in bankdir.issues() if i.is_error]
    assert len(errors) == 1, [i.format() for i in errors]
    assert errors[0].path == f"examples_bank/{name}"
    return errors[0]


def test_unknown_kommune_suggests_nearest(bankdir):
    e = only_error(bankdir, "syntetisk-a.md", entry(kommuner="[Tydall]"))
    assert (e.line, e.message) == (3, "ukjent kommune «Tydall»")
    assert e.hint == "Mente du «Tydal»?"


@pytest.mark.parametrize("name,numbers", [("Herøy", "1515 (Møre og Romsdal), 1818 (Nordland)"),
                                          ("Våler", "3018 (Viken), 3419 (Innlandet)")])
def test_ambiguous_kommune_asks_for_number(bankdir, name, numbers):
    e = only_error(bankdir, "syntetisk-a.md", entry(kommuner=f"[{name}]"))
    assert e.message == f"kommunenavnet «{name}» finnes i flere fylker"
    assert numbers in e.hint


def test_kommune_by_number_name_with_fylke_and_other_language(bankdir):
    bankdir.write("syntetisk-a.md", entry(kommuner='["1818", "Våler (Innlandet)", Kárášjohka]'))
    [ex] = bankdir.load().examples
    assert [k.nummer for k in ex.kommuner] == ["1818", "3419", "5437"]


def test_unknown_innsatsomrade_lists_valid(bankdir):
    e = only_error(bankdir, "syntetisk-a.md", entry(innsatsomrader="[aktivitet-og-felleskap]"))
    assert e.message == "ukjent innsatsområde «aktivitet-og-felleskap»"
    assert e.hint.startswith("Mente du «aktivitet-og-fellesskap»?")
    assert "sammenheng-i-tjenestene" in e.hint


def test_unknown_losning(bankdir):
    e = only_error(bankdir, "syntetisk-a.md", entry(losninger="[gode-oyeblik]"))
    assert e.line == 5 and "ukjent løsning «gode-oyeblik»" in e.message
    assert "Mente du «gode-oyeblikk»?" in e.hint


def test_losning_implies_its_innsatsomrade(bankdir):
    bankdir.write("syntetisk-a.md", entry(losninger="[hverdagsmestring]"))
    [ex] = bankdir.load().examples
    assert ex.innsatsomrader == ("aktivitet-og-fellesskap", "helsehjelp")


def test_missing_required_key(bankdir):
    e = only_error(bankdir, "syntetisk-a.md", entry(sammendrag=None))
    assert e.message == "nøkkelen «sammendrag» mangler" and "sammendrag:" in e.hint


def test_unknown_key_suggests(bankdir):
    text = VALID.replace("kommuner: [Tydal]", "kommune: [Tydal]")
    bankdir.write("syntetisk-a.md", text)
    issues = bankdir.issues()
    typo = [i for i in issues if "ukjent nøkkel" in i.message][0]
    assert typo.line == 3 and typo.hint == "Mente du «kommuner»?"
    # One mistake, one message: no extra «nøkkelen «kommuner» mangler» for the typo.
    assert [i.message for i in issues if i.is_error] == ["ukjent nøkkel «kommune»"]


def test_string_for_list_and_list_for_string(bankdir):
    e = only_error(bankdir, "syntetisk-a.md", entry(kommuner="Tydal"))
    assert "skal være en liste" in e.message and "[Tydal]" in e.hint
    e = only_error(bankdir, "syntetisk-b.md", entry(tittel="[a, b]"))
    assert e.message == "«tittel» skal være én tekst, ikke en liste"


@pytest.mark.parametrize("value,expected", [
    ("2021-13-01", "er en dato som ikke finnes"),
    ("2021-02-30", "er en dato som ikke finnes"),
    ("1.12.2021", "er ikke en dato på formen ÅÅÅÅ-MM-DD"),
    ("2030-01-01", "ligger i framtiden"),
])
def test_bad_dates(bankdir, value, expected):
    e = only_error(bankdir, "syntetisk-a.md", entry(publisert=value))
    assert e.line == 8 and expected in e.message


def test_lengths_and_empty(bankdir):
    e = only_error(bankdir, "syntetisk-a.md", entry(tittel="x" * 121))
    assert e.message == "«tittel» er 121 tegn; høyst 120 er tillatt"
    e = only_error(bankdir, "syntetisk-b.md", entry(sammendrag='""'))
    assert e.message == "«sammendrag» er tom"
    e = only_error(bankdir, "syntetisk-c.md", VALID.rsplit("---", 1)[0] + "---\n\n")
    assert e.message.startswith("brødteksten") and e.line == 15


def test_file_name_must_be_slug(bankdir):
    e = only_error(bankdir, "Tydal Kafé.md", VALID)
    assert e.line == 0 and "ikke en gyldig slug" in e.message


def test_source_url_must_be_http(bankdir):
    e = only_error(bankdir, "syntetisk-a.md",
                   VALID.replace("https://example.org/kilde", "ftp://example.org/kilde"))
    assert "ikke en http(s)-adresse" in e.message


def test_javascript_link_and_script_in_body(bankdir):
    bankdir.write("syntetisk-a.md", VALID + "\n[klikk](javascript:alert(1))\n\n<script>x</script>\n")
    found = {(i.line, i.message) for i in bankdir.issues()}
    assert (17, "lenker med «javascript:» er ikke tillatt") in found
    assert (19, "HTML-elementet <script> er ikke tillatt") in found


def test_html_in_title(bankdir):
    e = only_error(bankdir, "syntetisk-a.md", entry(tittel='"&lt;/title&gt;"'))
    assert "kan ikke inneholde HTML" in e.message


def test_duplicate_title_and_kommune(bankdir):
    bankdir.write("syntetisk-a.md", VALID)
    bankdir.write("syntetisk-b.md", VALID)
    [e] = [i for i in bankdir.issues() if i.is_error]
    assert e.path == "examples_bank/syntetisk-b.md" and "mulig duplikat" in e.message


def test_duplicate_slug_in_subfolders(bankdir):
    bankdir.write("syntetisk-a.md", VALID)
    bankdir.write("2021/syntetisk-a.md", entry(tittel="Annen tittel"))
    errors = [i for i in bankdir.issues() if i.is_error]
    assert len(errors) == 1 and "slugen «syntetisk-a» er brukt av" in errors[0].message


def test_personal_data_is_a_warning_that_fails_only_strict(bankdir):
    bankdir.write("syntetisk-a.md", entry(kontakt="Ola Nordmann, ola@example.org, 912 34 567"))
    bank = bankdir.load()
    [w] = bank.warnings
    assert not w.is_error and w.line == 14 and "personopplysning" in w.message
    assert bankdir.issues(strict=True) == [w]
    import pytest as _p
    from generator.base.errors import BankError
    with _p.raises(BankError):
        bankdir.load(strict=True)


def test_all_errors_are_reported_sorted(bankdir):
    bankdir.write("syntetisk-b.md", entry(kommuner="[Tydall]", status="ferdig"))
    bankdir.write("syntetisk-a.md", entry(publisert="2021-13-01"))
    issues = bankdir.issues()
    assert [(i.path[-14:], i.line) for i in issues] == [
        ("syntetisk-a.md", 8), ("syntetisk-b.md", 3), ("syntetisk-b.md", 7)]


@pytest.mark.parametrize("value,message", [
    ("{ar: 2018, plassering: vinner}", "må være et helt tall fra 2019 til 2023"),
    ("{ar: 2020, plassering: beste}", "«plassering: beste» er ikke en gyldig verdi"),
    ("{ar: 2020}", "«pris» mangler «ar» eller «plassering»"),
    ("vinner", "«pris» skal ha «ar» og «plassering»"),
    ("{ar: 2020, plassering: vinner, sted: Oslo}", "ukjent nøkkel «sted» i «pris»"),
])
def test_prize_field_is_checked(bankdir, value, message):
    text = entry(pris=value)
    line = text.split("\n").index(f"pris: {value}") + 1
    bankdir.write("syntetisk-a.md", text)
    issues = bankdir.issues()
    assert any(message in i.message and i.line == line for i in issues if i.is_error), \
        [i.format() for i in issues]


def test_prize_field_is_read(bankdir):
    bankdir.write("syntetisk-a.md", entry(pris="{ar: 2022, plassering: finalist}"))
    (example,) = bankdir.load().examples
    assert (example.pris.ar, example.pris.plassering, example.pris.term) == (
        2022, "finalist", "finalist-2022")


@pytest.mark.parametrize("line,warned", [
    ("Beboeren Kari har demens og trives med musikk.", True),
    ("Fru Hansen fikk hjerneslag i fjor.", True),
    ("En beboer med demens trives med musikk.", False),           # no name
    ("Knarvik sjukeheim har mange beboere med demens.", False),    # an institution
    ("Brukeren Ola går tur hver dag.", False),                     # no health detail
])
def test_named_person_with_a_health_detail_is_a_warning(bankdir, line, warned):
    bankdir.write("syntetisk-a.md", VALID + "\n" + line + "\n")
    issues = bankdir.issues()
    found = [i for i in issues if "helseopplysning" in i.message]
    assert bool(found) is warned, [i.format() for i in issues]
    assert all(not i.is_error for i in found)
    if warned:
        assert bankdir.issues(strict=True) and found[0].line == VALID.count("\n") + 2
