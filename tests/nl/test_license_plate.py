"""DutchSpokenPlateRecognizer (:mod:`callscribe.pipeline.redaction.nl.license_plate`): Dutch licence
plates said aloud or spelled, in any case: six characters in the shape of an RDW sidecode; letters
outside those of plates need capitals; the postcode shape 9999-XX and a plate read in part need the
word kenteken (in the turn, or in the agent's question through the recognizer's context words)."""

import pytest

from callscribe.pipeline.redaction.nl import license_plate
from tests.nl.assertions import assert_spans, with_context_words

ENTITY = "LICENSE_PLATE"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = license_plate.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # spoken, spelled and mixed, in any case
        ("Het kenteken is vijf, K L T, zeven twee.", ("vijf, K L T, zeven twee",)),
        ("mijn auto is G H vier zes negen T", ("G H vier zes negen T",)),
        ("g h vier zes negen t", ("g h vier zes negen t",)),
        ("twee drie, F, B, zeven acht", ("twee drie, F, B, zeven acht",)),
        ("G Z vier een zes drie", ("G Z vier een zes drie",)),
        ("g z 41 63", ("g z 41 63",)),
        ("zxb 47 n", ("zxb 47 n",)),
        ("Mijn bus heeft 52-RKD-3.", ("52-RKD-3",)),
        # the article "een" before it, a confirmation after it
        ("het is een negen, ge, er, ef, twee, vier", ("negen, ge, er, ef, twee, vier",)),
        ("t j k vier een z, t van theo", ("t j k vier een z",)),
        # a repair: the wrong and the corrected plate
        ("h-318-kn nee wacht h-381-kn", ("h-318-kn", "h-381-kn")),
        # letters outside plate letters, in capitals
        ("K A 12 34", ("K A 12 34",)),
        # a plate read in part after the word kenteken
        ("het kenteken is r t d nul acht", ("r t d nul acht",)),
    ],
)
def test_when_plate_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # postcodes (the shape 9999-XX) without the word kenteken
        "Mijn postcode is 4102 KT.",
        "het is drie vier zes nul, B F",
        # model numbers and error codes
        "de ketel is een HR 107",
        "de Calenta 25 DS",
        "Het display geeft E119.",
        # a written code whose groups are no sidecode's
        "GZ 4163",
        # vowels in lower case
        "k a 12 34",
        # times, prices, counts, spelled words
        "om 14:30 uur",
        "het kost 25 euro",
        "ik heb 3 kinderen en 2 auto's",
        "ik heb A B C D E F gespeld",
        # ordinary words
        "Mijn auto staat voor de deur.",
    ],
)
def test_when_look_alike_then_no_plate(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())


@pytest.mark.parametrize(
    "text, previous_turn, expected",
    [
        ("r t d nul acht", "Wat is het kenteken?", ("r t d nul acht",)),
        ("drie vier zes nul, B F", "En het kenteken van de auto?", ("drie vier zes nul, B F",)),
        ("r t d nul acht", "Wat is uw postcode?", ()),
        ("drie vier zes nul, B F", "Wat is uw postcode?", ()),
    ],
)
def test_when_previous_turn_names_the_car_then_candidate_raised(recognizer, nlp_artifacts, text, previous_turn,
                                                                 expected):
    results = with_context_words(recognizer, text, previous_turn, nlp_artifacts(text))
    assert_spans(results, text, ENTITY, expected)
