"""Stage 3: the model — derived regions and indexes computed once."""
import pytest

from conftest import ROOT, TODAY, fixture_bank
from generator.pipeline import load_bank
from generator.base.settings import Settings


@pytest.fixture
def bank(tmp_path):
    return load_bank(Settings(root=tmp_path, bank_dir=fixture_bank(tmp_path),
                              docs_dir=ROOT / "content", today=TODAY))


def test_indexes_and_derived_region(bank):
    assert len(bank.examples) == 5
    # newest first
    assert [e.publisert.isoformat() for e in bank.examples] == sorted(
        (e.publisert.isoformat() for e in bank.examples), reverse=True)
    tydal = bank.by_slug["tydal-kafe-posten"]
    assert [r.slug for r in bank.embeter_of(tydal)] == ["trondelag"]
    assert tydal in bank.tagged("region", "trondelag") and tydal in bank.tagged("kommune", "5033-tydal")
    nn = bank.by_slug["syntetisk-vestland-nynorsk"]
    assert [k.navn for k in nn.kommuner] == ["Høyanger", "Sogndal"] and nn.fylker == ("46",)
    assert len(bank.tagged("region", "vestland")) == 1  # two kommuner, one example
    heroy = bank.by_slug["syntetisk-heroy-dagsenter"]
    assert bank.embeter_of(heroy)[0].slug == "nordland"
    assert set(bank.terms_in_use("innsatsomrade")) >= {"helsehjelp"}  # implied by hverdagsmestring
    assert bank.tagged("losning", "gode-oyeblikk") == [heroy]
    assert sum(len(v) for v in bank.terms_in_use("kommune").values()) == 6


def test_body_is_rendered_once_and_sanitised(bank):
    heroy = bank.by_slug["syntetisk-heroy-dagsenter"]
    assert "<strong>syntetisk</strong>" in heroy.body_html
    assert 'rel="noopener noreferrer"' in heroy.body_html
