"""SpokenPostcodeRecognizer (:mod:`callscribe.pipeline.redaction.nl.postcode_spoken`): Dutch
postcodes dictated or spelled, in any case: four digits (the first not 0) and two letters; four
digits and a two-letter word that is no common Dutch word; four digits alone after "postcode"; the
letters said again or corrected in the answer to the agent's question."""

import pytest

from callscribe.pipeline.redaction.nl import postcode_spoken
from tests.nl.assertions import assert_spans, with_previous_turn

ENTITY = "POSTCODE"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = postcode_spoken.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # digits and letters, dictated or spelled, in any case
        ("mijn postcode is drie vijf een twee, H E", ("drie vijf een twee, H E",)),
        ("vier acht een een b r", ("vier acht een een b r",)),
        ("eenenzeventig elf AB", ("eenenzeventig elf AB",)),
        ("7 3 2 3 t x", ("7 3 2 3 t x",)),
        ("dertien nul zes, P T", ("dertien nul zes, P T",)),
        ("de postcode is vijf negen zeven zeven g l", ("vijf negen zeven zeven g l",)),
        ("het is negen zeven een vier c c", ("negen zeven een vier c c",)),
        ("vierentachtig negentien, P van Pieter, K van Karel", ("vierentachtig negentien, P van Pieter, K van Karel",)),
        ("6042, B en K", ("6042, B en K",)),
        # written forms
        ("Ik woon op 2582 CD.", ("2582 CD",)),
        ("mijn postcode is 6213ls", ("6213ls",)),
        ("Mijn adres is Kerkstraat 12, 4812 AB Breda.", ("4812 AB",)),
        # a two-letter word that is no common word, or a place after the letters
        ("ja dat is 1017 dn", ("1017 dn",)),
        ("5037 ep", ("5037 ep",)),
        ("7314 ah Apeldoorn", ("7314 ah",)),
        # four digits alone after "postcode" or before a place, the letters later
        ("postcode 3512", ("3512",)),
        ("1070 Anderlecht", ("1070",)),
        ("postcode 4812, en dan k r, nee, k t", ("4812", "k r", "k t")),
    ],
)
def test_when_postcode_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # prices, amounts, durations, times
        "het kost 1299 euro",
        "we hebben 1500 kilo",
        "het duurde 1500 uur",
        "De monteur komt om 14:30.",
        # years and error codes, model numbers
        "de storing was in 2019",
        "ik heb 2019 en 2020 gebeld",
        "de ketel is van 2017",
        "Het display geeft foutcode 3512.",
        "het typenummer is 7716",
        # four digits and a common word after them
        "ik heb 1234 en toen",
        "dat kost 1200 of meer",  # "meer" is a place and a word: no place after the digits
        # ordinary words
        "Ik bel u terug.",
    ],
)
def test_when_look_alike_then_no_postcode(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())


@pytest.mark.parametrize(
    "text, previous_turn, expected",
    [
        ("1234", "Wat is uw postcode?", ("1234",)),
        ("dat is zevenentwintig negenenvijftig", "En de postcode?", ("zevenentwintig negenenvijftig",)),
        ("2134 he", "En uw postcode?", ("2134 he",)),
        ("B S, nee, B X", "Klopt het dat uw postcode op BS eindigt?", ("B S", "B X")),
        ("1234", "Hoeveel kost het?", ()),
        ("B S, nee, B X", "Hoeveel kost het?", ()),
    ],
)
def test_when_previous_turn_asks_for_postcode_then_candidate_raised(recognizer, text, previous_turn, expected):
    results = with_previous_turn(recognizer, text, previous_turn)
    assert_spans(results, text, ENTITY, expected)
