from generator.base.errors import Collector
from generator.validate.reference import load_reference

from conftest import BankDir


def test_reference_data_is_complete(bankdir: BankDir):
    issues = Collector()
    ref = load_reference(bankdir.settings, issues)
    assert issues.issues == []
    assert len(ref.kommuner) == 356
    assert len(ref.fylker) == 11
    assert len(ref.embeter) == 10
    assert sum(len(ref.kommuner_in(e)) for e in ref.embeter.values()) == 356
    assert len(ref.kommuner_in(ref.embeter["vestfold-og-telemark"])) == 23
    assert len(ref.kommuner_in(ref.embeter["oslo-og-viken"])) == 52  # Oslo + Viken's 51
    assert list(ref.innsatsomrader) == ["et-aldersvennlig-norge", "aktivitet-og-fellesskap",
                                        "mat-og-maltider", "helsehjelp", "sammenheng-i-tjenestene"]
    assert len(ref.losninger) == 25
    assert all(len(io.losninger) == 5 for io in ref.innsatsomrader.values())
    # a name not confirmed against the white paper says, in one sentence, what it is based on
    assert all(lo.grunnlag for lo in ref.losninger.values() if not lo.verified)
    # Mat og måltider: the names and the order of the white paper's chapter 6
    assert ref.innsatsomrader["mat-og-maltider"].losninger == (
        "det-gode-maltidet", "maltidstider", "valgfrihet-og-variasjon",
        "systematisk-ernaeringsarbeid", "kjokken-og-kompetanse-lokalt")
    # The white paper's order, not the alphabet:
    assert ref.innsatsomrader["aktivitet-og-fellesskap"].losninger[0] == "gode-oyeblikk"


def test_tydal_and_ulstein_are_where_ssb_puts_them(bankdir: BankDir):
    ref = load_reference(bankdir.settings, Collector())
    assert ref.embete_of(ref.kommuner["5033"]).slug == "trondelag"
    assert ref.embete_of(ref.kommuner["1516"]).slug == "more-og-romsdal"
    assert ref.kommuner["0301"].navn == "Oslo"


def test_kommuner_are_listed_in_norwegian_alphabetical_order(bankdir: BankDir):
    ref = load_reference(bankdir.settings, Collector())
    names = [k.navn for k in ref.kommuner_in(ref.embeter["trondelag"])]
    assert names[-2:] == ["Ørland", "Åfjord"]  # Unicode order would put Åfjord before Ørland
