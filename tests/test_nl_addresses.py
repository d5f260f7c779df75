"""Addresses, places and web addresses: the golden cases of
``tests/golden/nl_{address,location,url}.json`` run through the whole redactor, each as written and
as a speech recogniser writes it (lower case, no sentence punctuation), and the gazetteer word lists
of ``redaction_rules/`` load and agree with each other."""


import pytest

from callscribe.pipeline.redaction.lexicon import load_word_list
from callscribe.pipeline.redaction.nl.address import DutchAddressRecognizer
from callscribe.pipeline.redaction.nl.url import DutchUrlRecognizer
from tests import golden_cases
from tests.paths import REPO_ROOT

RULES = REPO_ROOT / "redaction_rules"
TYPES = ("address", "location", "url")



@pytest.mark.parametrize("case, form", golden_cases.cases(TYPES))
def test_golden_cases(redactor, case, form):
    golden_cases.check(redactor, case, form)


def test_gazetteer_lists_agree():
    places = load_word_list(RULES / "places_nl.txt")
    assert {"amsterdam", "den haag", "kanaleneiland", "s-hertogenbosch"} <= places
    assert load_word_list(RULES / "places_ambiguous_nl.txt") <= places
    assert load_word_list(RULES / "places_capital_only_nl.txt") <= places
    assert not places & load_word_list(RULES / "countries_nl.txt"), "provinces and countries are no places"


def test_recognizers_load_their_word_lists():
    assert DutchAddressRecognizer(RULES).supported_entities == ["ADDRESS", "LOCATION"]
    assert DutchUrlRecognizer(RULES).supported_entities == ["URL"]
    for name in ("not_street_nl.txt", "street_given_names_nl.txt", "public_domains_nl.txt"):
        assert load_word_list(RULES / name)


@pytest.mark.parametrize(
    "text",
    ["Kijk op www.tbi-direct.nl voor de storingen.", "dat staat op mijn.telecontrol.nl", "zie mijnoverheid punt nl",
     "de website is tbi direct punt nl",
     "mail naar jan punt de vries apenstaartje gmail punt com", "jan@klusbedrijf-hoekstra.nl", "kijk op instagram.com",
     "dat is een goed punt de monteur komt", "versie 2.0 om 12.30 uur"],
)
def test_organisation_sites_and_look_alikes_are_no_url(text):
    assert DutchUrlRecognizer(RULES).analyze(text, ["URL"]) == []


@pytest.mark.parametrize(
    "text, url",
    [("mijn site is www.klusbedrijf-hoekstra.nl.", "www.klusbedrijf-hoekstra.nl"),
     ("volg me op instagram.com/sannedewit93", "instagram.com/sannedewit93"),
     ("w w w punt bakkerijvanloon punt nl", "w w w punt bakkerijvanloon punt nl"),
     ("tiktok punt com slash apenstaartje pietklust", "tiktok punt com slash apenstaartje pietklust"),
     ("mijn website is bakkerij de boer punt nl", "bakkerij de boer punt nl")],
)
def test_personal_urls(text, url):
    found = DutchUrlRecognizer(RULES).analyze(text, ["URL"])
    assert [text[r.start:r.end] for r in found] == [url]
