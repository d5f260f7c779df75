"""CustomerIdRecognizer (:mod:`callscribe.pipeline.redaction.nl.customer_id`): customer, contract,
ticket, invoice and work-order numbers dictated in digits or words, with a spelled letter prefix
or a lower-case prefix word; an identifier after a cue word, a spelled prefix with four or more
digits, or seven or more digits that are no phone number, date or amount. Numbers are invented."""

import pytest

from callscribe.pipeline.redaction.nl import customer_id
from tests.nl.assertions import assert_spans, with_previous_turn

ENTITY = "CUSTOMER_ID"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = customer_id.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # after a cue word, in digit groups or words
        ("Mijn klantnummer is 31 84 207.", ("31 84 207",)),
        ("mijn klantnummer is drie vier zeven een nul twee", ("drie vier zeven een nul twee",)),
        ("het meldnummer is 6 2 9 1 4 0 8", ("6 2 9 1 4 0 8",)),
        ("Ik bel over factuur 8830215.", ("8830215",)),
        ("het dossiernummer is negen een vier, vijf zes zeven, twee", ("negen een vier, vijf zes zeven, twee",)),
        ("ik bel over werkbon 3318 07", ("3318 07",)),
        # a spelled letter prefix with four or more digits
        ("T vier acht twee een negen", ("T vier acht twee een negen",)),
        ("v d vijf nul zeven drie een", ("v d vijf nul zeven drie een",)),
        ("M van Marie, zeven zeven drie, vier een", ("M van Marie, zeven zeven drie, vier een",)),
        ("mijn klantnummer is K van Karel, vier vier negen, drie twee", ("K van Karel, vier vier negen, drie twee",)),
        # a lower-case prefix word that is no Dutch word, a letter after the digits
        ("het dossier is vbh 427 5519", ("vbh 427 5519",)),
        ("het nummer is ord 730914", ("ord 730914",)),
        ("het contractnummer is ab 403916 c", ("ab 403916 c",)),
        # seven digits or more on their own
        ("Ik heb hier 5528173 staan.", ("5528173",)),
        ("ja ik heb hier vijf vijf twee acht een zeven drie", ("vijf vijf twee acht een zeven drie",)),
    ],
)
def test_when_customer_id_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # prices, amounts, counts, times
        "Ik betaal 1299 euro per jaar.",
        "de factuur van 89,50 euro klopt niet",
        "Het kost 1.250 euro.",
        "we hebben 25000 kilometer gereden",
        "het contract loopt 12 maanden",
        "mijn klantnummer heb ik niet, maar de monteur komt om 14:30",
        # dates and years
        "ik bel over de storing van 14 maart 2024",
        "in 2019 en 2020 was het ook al kapot",
        # error codes, norms and model numbers
        "storingscode 1190",
        "de melding ging over foutcode 1190",
        "het modelnummer is 7716010231",
        "de rookmelder heeft keurmerk EN 14604",
        # other numbers: a phone number, a BSN
        "bel me op 0612345678",
        "mijn bsn is 908301662",
        "dat is nul zes, achtendertig, vijfentwintig",
        # ordinary words
        "Ik weet mijn klantnummer niet meer.",
        "ik heb het op 12-05-2024 gemeld",  # a written date is no identifier
        "de melding is van 12-05-2024",
    ],
)
def test_when_look_alike_then_no_customer_id(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())


@pytest.mark.parametrize(
    "text, previous_turn, expected",
    [
        ("ja dat is 48213", "Wat is uw klantnummer?", ("48213",)),
        ("ja dat is 48213", "Hoe laat komt de monteur?", ()),
        ("het is EN 50291", "En het contractnummer?", ("EN 50291",)),
        ("het is EN 50291", "Welk keurmerk staat erop?", ()),
    ],
)
def test_when_previous_turn_asks_for_number_then_candidate_raised(recognizer, text, previous_turn, expected):
    results = with_previous_turn(recognizer, text, previous_turn)
    assert_spans(results, text, ENTITY, expected)
