"""DictatedNumberRecognizer (:mod:`callscribe.pipeline.redaction.nl.dictated_number`): the safety
net for dictated numbers and codes no specific recognizer claims, redacted as NUMBER and flagged for
review (a score between the score threshold and the review threshold). Times, prices, amounts,
durations, percentages, counts, error codes, norms, model numbers, years, dates and house numbers
after a street stay visible. The numbers are invented."""

import pytest

from callscribe.pipeline.redaction.nl import dictated_number
from tests.nl.assertions import REVIEW_THRESHOLD, THRESHOLD, assert_spans

ENTITY = "NUMBER"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = dictated_number.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # five digits or more, written or spoken
        ("Het nummer op de sticker is 48 21 937.", ("48 21 937",)),
        ("het is vier zeven drie negen acht", ("vier zeven drie negen acht",)),
        ("Het nummer is 12345.", ("12345",)),
        ("lift 07261 staat stil", ("07261",)),
        # four digits in two dictated pieces
        ("eenentwintig, nul zeven", ("eenentwintig, nul zeven",)),
        # a spelled letter prefix with four digits or more, letters after the digits
        ("m t zeven twee negen vier", ("m t zeven twee negen vier",)),
        ("P R 8 1 5 0", ("P R 8 1 5 0",)),
        ("de code is x y 4417 b", ("x y 4417 b",)),
        ("p r vijf zes zeven acht", ("p r vijf zes zeven acht",)),  # a spelled prefix: a code, not counting
        ("k l drie vier vijf zes", ("k l drie vier vijf zes",)),
        # a lower-case prefix word that is no Dutch word
        ("de code op de sticker is ams 512 3387", ("ams 512 3387",)),
        ("het dossier is v b h 868 9236", ("v b h 868 9236",)),
        # the last digits of a number, and a group said again after a correction
        ("hij zei 58 aan het eind", ("58",)),
        ("het eind is vier zeven", ("vier zeven",)),
        ("vier vijf twee drie negen acht. Of was het... nee, drie acht negen",
         ("vier vijf twee drie negen acht", "drie acht negen")),
    ],
)
def test_when_dictated_number_in_text_then_found_for_review(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)
    assert all(THRESHOLD <= r.score < REVIEW_THRESHOLD for r in results)


@pytest.mark.parametrize(
    "text",
    [
        # prices and amounts
        "Het kost 12500 euro.",
        "Het is € 12500.",
        "het kost 12000",
        "vijftienduizend",
        # times, durations, percentages, counts
        "De monteur komt om 14:30.",
        "tussen 10 en 12 uur",
        "het duurde 45 minuten",
        "het duurt 10 tot 15 werkdagen",
        "Ik heb nog 65 procent accu.",
        "een twee drie vier vijf",
        # error codes, norms, model numbers, refrigerants
        "de storingscode is 119",
        "Het display geeft foutcode E119.",
        "de rookmelder heeft keurmerk EN 14604",
        "het artikelnummer is 7716010231",
        "de meterstand is 48213",
        "de Calenta 28 C doet het niet",
        "de warmtepomp gebruikt R410A",
        # years and dates
        "sinds 2019 werkt hij niet",
        "1964",
        "ze zijn in negentien vierenzestig gebouwd",
        "in 2021 en 2022",
        "op 14-03-2024 was het kapot",
        "het is 14 maart gebeurd",
        # a house number after its street
        "ik woon op de kastanjelaan 12 14",
        # ordinary words
        "Ik heb het nummer niet bij de hand.",
    ],
)
def test_when_look_alike_then_no_number(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())
