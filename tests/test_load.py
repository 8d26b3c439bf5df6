"""Stage 1: reading files — encoding, front matter and YAML, each problem with its line."""
from conftest import VALID, BankDir, entry


def messages(issues):
    return [(i.path, i.line, i.message) for i in issues]


def test_valid_entry_loads(bankdir: BankDir):
    bankdir.write("syntetisk-ok.md", VALID)
    bank = bankdir.load()
    assert [e.slug for e in bank.examples] == ["syntetisk-ok"]


def test_bom_and_crlf_are_accepted(bankdir: BankDir):
    bankdir.write("syntetisk-crlf.md", b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode())
    bank = bankdir.load()
    assert bank.examples[0].tittel == "Syntetisk testeksempel"


def test_not_utf8_is_refused_with_line(bankdir: BankDir):
    bankdir.write("syntetisk-latin1.md", VALID.replace("brødtekst", "brødtekst").encode("latin-1"))
    [issue] = bankdir.issues()
    assert issue.path == "examples_bank/syntetisk-latin1.md"
    assert issue.line == 15 and "ikke UTF-8" in issue.message and "UTF-8" in issue.hint


def test_missing_and_unclosed_front_matter(bankdir: BankDir):
    bankdir.write("syntetisk-uten.md", "Bare tekst, ingen front matter.\n")
    bankdir.write("syntetisk-aapen.md", "---\ntittel: x\n\nTekst uten avslutning\n")
    found = messages(bankdir.issues())
    assert ("examples_bank/syntetisk-aapen.md", 1,
            "front matter er ikke avsluttet (fant ingen avsluttende linje med ---)") in found
    assert any(p.endswith("syntetisk-uten.md") and "mangler front matter" in m
               for p, _, m in found)


def test_tabs_are_explained(bankdir: BankDir):
    bankdir.write("syntetisk-tab.md", VALID.replace("  - tittel: Testdata", "\t- tittel: Testdata"))
    [issue] = bankdir.issues()
    assert issue.line == 12 and "tabulator" in issue.message and "mellomrom" in issue.hint


def test_invalid_yaml_names_the_line(bankdir: BankDir):
    bankdir.write("syntetisk-yaml.md", VALID.replace("status: gjennomfort", "status: [gjennomfort"))
    [issue] = bankdir.issues()
    assert "ugyldig YAML" in issue.message and issue.line >= 7


def test_yaml11_trap_sprak_no(bankdir: BankDir):
    bankdir.write("syntetisk-no.md", entry(sprak="no"))
    issues = bankdir.issues()
    trap = [i for i in issues if "tvetydig" in i.message]
    assert len(trap) == 1
    assert trap[0].line == 9 and "usann (false)" in trap[0].message
    assert "nb (bokmål) eller nn (nynorsk)" in trap[0].hint


def test_yaml11_trap_status_yes_and_on(bankdir: BankDir):
    bankdir.write("syntetisk-yes.md", entry(status="yes", kontakt="on"))
    traps = [i for i in bankdir.issues() if "tvetydig" in i.message]
    assert {i.message.split("»")[0] for i in traps} == {"«status: yes", "«kontakt: on"}


def test_yaml11_trap_in_a_nested_mapping_names_its_own_key(bankdir: BankDir):
    """A trap under a list of mappings (kilder:) is named by the key it stands at, not by the
    top-level key; in a plain list it is named by the list's key."""
    bankdir.write("syntetisk-nested.md", VALID.replace(
        "    url: https://example.org/kilde", "    url: https://example.org/kilde\n    type: off")
        .replace("kommuner: [Tydal]", "kommuner: [Tydal, no]"))
    traps = {i.message.split("»")[0]: i.hint for i in bankdir.issues() if "tvetydig" in i.message}
    assert set(traps) == {"«type: off", "«kommuner: no"}, traps
    assert 'type: "off"' in traps["«type: off"]


def test_quoted_word_is_not_a_trap(bankdir: BankDir):
    bankdir.write("syntetisk-quoted.md", entry(kontakt='"on"'))
    assert bankdir.load().examples[0].kontakt == "on"


def test_duplicate_key(bankdir: BankDir):
    bankdir.write("syntetisk-dup.md", VALID.replace("status: gjennomfort",
                                                    "status: gjennomfort\nstatus: planlagt"))
    [issue] = bankdir.issues()
    assert issue.line == 8 and "to ganger" in issue.message


def test_yaml11_trap_in_title_is_reported_not_crashed(bankdir: BankDir):
    # Found by the fuzz test: `tittel: y` was reported by the loader, then the entry went on
    # with no title and crashed the duplicate check.
    bankdir.write("syntetisk-y.md", entry(tittel="y"))
    issues = bankdir.issues()
    assert [i.line for i in issues if "tvetydig" in i.message] == [2]
