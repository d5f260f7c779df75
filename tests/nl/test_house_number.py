"""HouseNumberRecognizer (:mod:`callscribe.pipeline.redaction.nl.house_number`): a house number
said apart from its street (ADDRESS), with an addition, or after "nummer", "op" or a repair with an
address word near it or in the agent's question. Times, amounts, years, floors and postcodes stay
visible."""

import pytest

from callscribe.pipeline.redaction.nl import house_number
from tests.nl.assertions import assert_spans, with_previous_turn

ENTITY = "ADDRESS"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = house_number.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # "nummer" or "op" with an address word near it; "nummer" is inside the span
        ("Ik woon op nummer 47.", ("nummer 47",)),
        ("ik woon op nummer zevenenveertig", ("nummer zevenenveertig",)),
        ("wij wonen ernaast op nummer drieëntwintig", ("nummer drieëntwintig",)),
        ("hij woont ernaast, op eenenvijftig", ("eenenvijftig",)),
        ("de buurman op 17 heeft ook last", ("17",)),
        ("Mijn adres is nummer 206.", ("nummer 206",)),
        # an addition: a letter, "huis", a colour, a floor
        ("Mevrouw Jansen woont op 118 twee hoog.", ("118 twee hoog",)),
        ("meneer de Groot op 95 vier hoog", ("95 vier hoog",)),
        ("ik woon op 14 huis", ("14 huis",)),
        ("mijn adres is op 35 zwart", ("35 zwart",)),
        ("hij woont op 8 rood", ("8 rood",)),
        # a repair after the street
        ("de lindelaan vierenzestig, eh nee, zesenveertig", ("zesenveertig",)),
    ],
)
def test_when_house_number_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # times, amounts, durations, years, dates
        "De monteur komt om 14 uur.",
        "het kost 45 euro",
        "ik woon hier al 12 jaar",
        "we wonen hier sinds 2015",
        "we spreken af op 12 maart",
        "ik woon hier vanaf 1 mei",
        # floors of a building
        "ik woon op 3 hoog",
        "ik woon op drie hoog",
        "ik woon op de derde verdieping",
        # labels, compounds, phone numbers
        "zone 12 van de flat",
        "het 0800-nummer is gratis",
        "bel me op 06 12",
        # ordinary words
        "Ik woon daar al heel lang.",
        # postcodes
        "ik woon in 7311 AB",
        pytest.param("Ik woon op 2491 BK in Den Haag.", marks=pytest.mark.xfail(
            strict=True, reason="postcode letters are only checked when an addition follows the digits; after "
            "'woon op' the four digits of a postcode give an ADDRESS span")),
    ],
)
def test_when_look_alike_then_no_house_number(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())


@pytest.mark.parametrize(
    "text, previous_turn, expected",
    [
        # the answer to the agent's question, and a number with an addition
        ("twaalf", "En wat is het huisnummer?", ("twaalf",)),
        ("ja dat is 140", "Op welk nummer woont u?", ("140",)),
        ("dat is negentien b", "En het huisnummer?", ("negentien b",)),
        ("Vijf bis, ja.", "Wat is uw adres?", ("Vijf bis",)),
        ("Het is 22 a.", "Waar woont u?", ("22 a",)),
        ("twaalf", "Hoeveel radiatoren heeft u?", ()),
        ("dat is negentien b", "Welke kamer is het?", ()),
        ("om tien uur", "En het huisnummer?", ()),
    ],
)
def test_when_previous_turn_asks_for_address_then_candidate_raised(recognizer, text, previous_turn, expected):
    results = with_previous_turn(recognizer, text, previous_turn)
    assert_spans(results, text, ENTITY, expected)
