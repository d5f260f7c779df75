"""CreditCardRecognizer (:mod:`callscribe.pipeline.redaction.nl.credit_card`): card numbers passing
the Luhn check, written or spoken; partial numbers after a card cue; expiry dates; security codes.
Every card number here is invented; the whole ones pass the Luhn check."""

import pytest

from callscribe.pipeline.redaction.nl import credit_card
from tests.nl.assertions import assert_spans, with_previous_turn

ENTITY = "CREDIT_CARD"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = credit_card.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # whole numbers passing the Luhn check, with or without a cue
        ("Mijn creditcardnummer is 4432 3194 8757 4919.", ("4432 3194 8757 4919",)),
        ("Het kaartnummer? 5597971147104970.", ("5597971147104970",)),
        ("Het American Express nummer is 3465 632122 33076.", ("3465 632122 33076",)),
        ("vijf vier zes vijf, nul zeven vijf twee, negen een zeven nul, drie vier twee acht",
         ("vijf vier zes vijf, nul zeven vijf twee, negen een zeven nul, drie vier twee acht",)),
        ("de visa is vier een acht zes twee vijf twee zeven zes nul een acht negen vijf vijf nul",
         ("vier een acht zes twee vijf twee zeven zes nul een acht negen vijf vijf nul",)),
        # partial numbers after a card cue
        ("mijn mastercard begint met vijf vijf negen zeven, negen zeven een een",
         ("vijf vijf negen zeven, negen zeven een een",)),
        ("Het nummer van de creditcard is 4186 2527 60...", ("4186 2527 60",)),
        ("Mijn Visa eindigt op 4919.", ("4919",)),
        ("de laatste vier van mijn creditcard zijn vier negen een negen", ("vier negen een negen",)),
        # expiry dates
        ("De kaart is geldig tot 11/28.", ("11/28",)),
        ("vervaldatum nul negen achtentwintig", ("nul negen achtentwintig",)),
        ("de kaart verloopt in juni 2029", ("juni 2029",)),
        ("geldig tot december negenentwintig", ("december negenentwintig",)),
        # security codes
        ("De CVC-code is 583.", ("583",)),
        ("de cvc is vijf acht drie", ("vijf acht drie",)),
        ("Mijn beveiligingscode is 0417.", ("0417",)),
        ("de drie cijfers op de achterkant zijn twee zes een", ("twee zes een",)),
    ],
)
def test_when_card_data_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # sixteen digits failing the Luhn check, no card cue
        "Ik heb 4432 3194 8757 4918 genoteerd.",
        # prices, amounts, counts, times
        "De ketel kost 1299 euro.",
        "het kost driehonderdvijftig euro per maand",
        "Het pakket weegt 12,5 kilo.",
        "we hebben 250 meldingen gehad",
        "De monteur komt om 14:30.",
        "ik bel om tien over half drie terug",
        # dates without an expiry cue, a deadline with one
        "we gaan in maart 2028 verhuizen",
        "de offerte is geldig tot 1 mei",
        "de garantie is twee jaar geldig",
        # error codes and model numbers
        "Het display geeft storingscode 318.",
        "het artikelnummer is 7716010231",
        # ordinary words
        "Ik betaal liever niet met mijn creditcard.",
    ],
)
def test_when_look_alike_then_no_card_data(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())


@pytest.mark.parametrize(
    "text, previous_turn, expected",
    [
        ("Dat is 472.", "En de CVC-code?", ("472",)),
        ("Dat is 472.", "Hoe laat komt de monteur?", ()),
        ("vier zeven twee", "Wilt u de drie cijfers achterop noemen?", ("vier zeven twee",)),
        ("achterop staat 816", "Welke kaart gebruikt u?", ("816",)),
        ("Ik heb 4432 3194 8757 4918 genoteerd.", "Wat is uw creditcardnummer?", ("4432 3194 8757 4918",)),
    ],
)
def test_when_previous_turn_asks_for_card_then_candidate_raised(recognizer, text, previous_turn, expected):
    results = with_previous_turn(recognizer, text, previous_turn)
    assert_spans(results, text, ENTITY, expected)
