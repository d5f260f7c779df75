"""DutchSpokenEmailRecognizer (:mod:`callscribe.pipeline.redaction.nl.spoken_email`): e-mail
addresses said aloud ("punt", "apenstaartje", "at", "streepje", "underscore"), spelled local parts,
a domain said on its own, written addresses a speech recogniser broke. Without a top-level domain
"at" stays an ordinary word. The addresses are invented."""

import pytest

from callscribe.pipeline.redaction.nl import spoken_email
from tests.nl.assertions import REVIEW_THRESHOLD, THRESHOLD, assert_spans, scores

ENTITY = "EMAIL_ADDRESS"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = spoken_email.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # local part, at-sign word, domain and top-level domain; the words introducing it stay out
        ("mijn mailadres is marieke punt verhoef apenstaartje gmail punt com",
         ("marieke punt verhoef apenstaartje gmail punt com",)),
        ("Het is j.bosman at ziggo punt nl.", ("j.bosman at ziggo punt nl",)),
        ("sanne at planet punt nl", ("sanne at planet punt nl",)),
        ("jan jansen at ziggo punt nl", ("jan jansen at ziggo punt nl",)),
        ("m streepje de wit underscore 9 at outlook punt com", ("m streepje de wit underscore 9 at outlook punt com",)),
        ("femke streepje van dam at hotmail punt com", ("femke streepje van dam at hotmail punt com",)),
        ("mijn mail is h punt de graaf at kpn mail punt nl", ("h punt de graaf at kpn mail punt nl",)),
        ("pieter h apenstaartje kpn mail punt nl", ("pieter h apenstaartje kpn mail punt nl",)),
        ("a jones at btinternet dot co dot uk", ("a jones at btinternet dot co dot uk",)),
        # a local part in the spelling alphabet
        ("R van Rudolf, O van Otto, B van Bernard, apenstaartje, ziggo punt nl",
         ("R van Rudolf, O van Otto, B van Bernard, apenstaartje, ziggo punt nl",)),
        # a mail provider named without its top-level domain
        ("sem at hotmail", ("sem at hotmail",)),
        # a company domain in words after "apenstaartje", or after "at" with a top-level domain
        ("info apenstaartje loodgieterij de boer punt nl", ("info apenstaartje loodgieterij de boer punt nl",)),
        ("mijn mail is info at de vries bouw punt nl", ("info at de vries bouw punt nl",)),
        # the domain on its own, "bij" for "at"
        ("Apenstaartje solcon punt nl.", ("Apenstaartje solcon punt nl",)),
        ("noor punt bakker, bij, kpn planet punt nl", ("noor punt bakker, bij, kpn planet punt nl",)),
        # written addresses broken by the speech recogniser
        ("mijn mail is e.vos@gmail. com", ("e.vos@gmail. com",)),
        ("stuur maar naar r.dekker(at)hotmail.com", ("r.dekker(at)hotmail.com",)),
    ],
)
def test_when_spoken_email_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


def test_address_without_top_level_domain_is_flagged_for_review(recognizer):
    text = "j punt kramer apenstaartje vestia"
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert [THRESHOLD <= score < REVIEW_THRESHOLD for score in scores(results, text, ENTITY, text)] == [True]


@pytest.mark.parametrize(
    "text",
    [
        # "at" and "punt" as ordinary words, a top-level domain that is a Dutch word
        "ik werk at home punt de buren zijn weg",
        "we zitten at the moment vol punt de planning is lastig",
        "de meeting is at ten",
        "ik werk at home",
        "de monteur staat op het punt om te vertrekken",
        "het apenstaartje staat boven de 2",
        # a web address, numbers with "punt"
        "kijk maar op nu punt nl",
        "het kost 12 punt 5 euro",
        "het is drie punt vijf bar",
        # times and ordinary words
        "Ik ben om vijf uur thuis.",
        "ik heb het op de website gezet",
        "Mijn e-mailadres weet ik niet uit mijn hoofd.",
    ],
)
def test_when_look_alike_then_no_email(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())
