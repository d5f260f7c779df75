"""DutchUrlRecognizer (:mod:`callscribe.pipeline.redaction.nl.url`): web addresses of a person,
written or dictated, in any case; a profile path on any site is personal; organisations' own sites
said without a path and domains after an e-mail at-sign stay visible. The sites are invented."""

import pytest

from callscribe.pipeline.redaction.nl import url
from tests.nl.assertions import assert_spans

ENTITY = "URL"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = url.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # written, with or without scheme and www; a full stop after it ends the sentence
        ("kijk maar op www.schildersbedrijf-kuipers.nl", ("www.schildersbedrijf-kuipers.nl",)),
        ("mijn webshop is www.breiwerk-ans.com", ("www.breiwerk-ans.com",)),
        ("ik heb een site: hondentrimsalon-anouk.nl", ("hondentrimsalon-anouk.nl",)),
        ("Mijn site is https://bakkerijvisser.nl/contact.", ("https://bakkerijvisser.nl/contact",)),
        # a profile path on a public site
        ("mijn profiel is https://instagram.com/lotte.kuipers", ("https://instagram.com/lotte.kuipers",)),
        ("kijk op facebook.com/bram.dewit", ("facebook.com/bram.dewit",)),
        # dictated
        ("w w w punt kuipers punt nl", ("w w w punt kuipers punt nl",)),
        ("www punt timmerwerken de jong punt nl", ("www punt timmerwerken de jong punt nl",)),
        ("mijn website is tuinontwerp van dam punt nl", ("tuinontwerp van dam punt nl",)),
        ("instagram punt com slash lottekuipers", ("instagram punt com slash lottekuipers",)),
        pytest.param("facebook punt com schuine streep bram punt de wit",
                     ("facebook punt com schuine streep bram punt de wit",), marks=pytest.mark.xfail(
                         strict=True, reason="a profile path said in words stops at 'punt <label>': the last "
                         "word of 'bram punt de wit' (the docstring's 'sanne punt de wit' form) stays outside "
                         "the span")),
    ],
)
def test_when_personal_url_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # organisations' own sites and public services, said without a path
        "de storing staat op tbi-direct.nl",
        "ga naar mijnoverheid punt nl voor uw post",
        "ga naar www.rijksoverheid.nl",
        "kijk op instagram.com",
        "mijn internet is van ziggo punt nl",
        # the domain of an e-mail address
        "stuur het naar bram apenstaartje kuipers punt nl",
        "jan jansen at ziggo punt nl",
        # prices, times, versions, typos
        "het kost 12.50 euro",
        "om 10.30 uur",
        "versie 2.4.1",
        "lees.de handleiding",
        # ordinary words
        "dat is punt twee van de agenda",
        "Ik kijk wel even op internet.",
    ],
)
def test_when_look_alike_then_no_url(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())
