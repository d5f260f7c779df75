"""SpokenPhoneRecognizer (:mod:`callscribe.pipeline.redaction.nl.phone_spoken`): phone numbers
dictated in words or digit groups, whole or in pieces, Dutch or foreign after "plus" (the word is
part of the span); pieces that start like one, pieces after a phone cue, and a turn that is only a
dictated fragment. The numbers are invented."""

import pytest

from callscribe.pipeline.redaction.nl import phone_spoken
from tests.nl.assertions import assert_spans, with_previous_turn

ENTITY = "PHONE_NUMBER"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = phone_spoken.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # ten digits starting with 0, written or spoken
        ("U kunt me bellen op 06 41 97 23 58.", ("06 41 97 23 58",)),
        ("Mijn vaste nummer is 020 456 7890.", ("020 456 7890",)),
        ("nul zes, achtendertig, tweeënvijftig, eenenzeventig, zesenveertig",
         ("nul zes, achtendertig, tweeënvijftig, eenenzeventig, zesenveertig",)),
        ("nul zes achtendertig vijfentwintig eenenzeventig zesenveertig",
         ("nul zes achtendertig vijfentwintig eenenzeventig zesenveertig",)),
        ("mijn nummer is nul twee nul, vier vijf zes, zeven acht negen nul",
         ("nul twee nul, vier vijf zes, zeven acht negen nul",)),
        # the country code: 0031, or "plus" (inside the span), Dutch and foreign
        ("0031 6 38 52 71 46", ("0031 6 38 52 71 46",)),
        ("plus eenendertig zes, achtendertig, vijfentwintig, eenenzeventig, zesenveertig",
         ("plus eenendertig zes, achtendertig, vijfentwintig, eenenzeventig, zesenveertig",)),
        ("plus drie en dertig, zes, twaalf, vierendertig, zesenvijftig, achtenzeventig",
         ("plus drie en dertig, zes, twaalf, vierendertig, zesenvijftig, achtenzeventig",)),
        ("plus vijf negen negen, negen, vier zes zeven, acht nul twee een",
         ("plus vijf negen negen, negen, vier zes zeven, acht nul twee een",)),
        # one number in pieces: hesitations, a sentence end, a repair
        ("nul zes, achtendertig ... eh ... vijfentwintig, eenenzeventig, zesenveertig",
         ("nul zes, achtendertig", "vijfentwintig, eenenzeventig, zesenveertig")),
        ("nul zes, achtendertig. En dan vijfentwintig, eenenzeventig, zesenveertig.",
         ("nul zes, achtendertig", "vijfentwintig, eenenzeventig, zesenveertig")),
        ("het is nul zes drie acht vijf twee, nee sorry, vijf drie", ("nul zes drie acht vijf twee", "vijf drie")),
        # pieces that start like one, or after a phone cue
        ("bel me op nul zes... acht drie", ("nul zes... acht drie",)),
        ("Mijn mobiel is 3852 7146.", ("3852 7146",)),
        # a turn that is only a dictated fragment
        ("nul drie.", ("nul drie",)),
        # an information number
        ("Bel gerust 0800 1234.", ("0800 1234",)),
    ],
)
def test_when_phone_number_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # prices, amounts, counts, times
        "het kost 12,50 euro",
        "het kost 1.250 euro",
        "het bedrag was 245",
        "ik heb 3 kinderen",
        "De monteur komt om 14:30.",
        "ik bel om half vier terug",
        # dates and years
        "op 05-03 was de storing",
        "op 12-03-2024 is het gebeurd",
        "het huis is in 1985 gebouwd",
        # numbers after the cue of another type, labels, compounds
        "mijn klantnummer is 0612 3456",
        "postcode 1234 AB",
        "de meterstand is 0456 123",
        "zone drie vier",
        "melder 12 gaat steeds af",
        "de storingscode is 119",
        "de Calenta 25 DS",
        "het 0800-nummer is altijd bereikbaar",
        # ordinary words
        "Ik bel u morgen terug.",
    ],
)
def test_when_look_alike_then_no_phone_number(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())


@pytest.mark.parametrize(
    "text, previous_turn, expected",
    [
        ("het is drie acht vijf twee", "Op welk nummer kan ik u bereiken?", ("drie acht vijf twee",)),
        ("het is drie acht vijf twee", "Mag ik uw telefoonnummer?", ("drie acht vijf twee",)),
        ("het is drie acht vijf twee", "Wat is uw klantnummer?", ()),
        ("het bedrag was 245", "Op welk nummer kan ik u bereiken?", ()),
    ],
)
def test_when_previous_turn_asks_for_phone_then_candidate_raised(recognizer, text, previous_turn, expected):
    results = with_previous_turn(recognizer, text, previous_turn)
    assert_spans(results, text, ENTITY, expected)
