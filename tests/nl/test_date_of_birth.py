"""DateOfBirthRecognizer (:mod:`callscribe.pipeline.redaction.nl.date_of_birth`): dates and years
of birth, written or spoken, with a birth cue in the turn or in the agent's question before it;
appointment dates, deadlines, ages and times stay visible. The dates are invented."""

import pytest

from callscribe.pipeline.redaction.nl import date_of_birth
from tests.nl.assertions import REVIEW_THRESHOLD, THRESHOLD, assert_spans, scores, with_previous_turn

ENTITY = "DATE_OF_BIRTH"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = date_of_birth.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # day, month name and year, written and spoken
        ("Ik ben geboren op 17 november 1979.", ("17 november 1979",)),
        ("mijn geboortedatum is zeventien november negentien negenenzeventig",
         ("zeventien november negentien negenenzeventig",)),
        ("ik ben geboren op zesentwintig augustus negentienhonderd eenenzestig",
         ("zesentwintig augustus negentienhonderd eenenzestig",)),
        ("ik ben geboren op maart, de negende, 1963", ("maart, de negende, 1963",)),
        ("7 juni 1982 ben ik geboren", ("7 juni 1982",)),
        ("Mijn dochter is jarig op 4 februari 2011.", ("4 februari 2011",)),
        ("mijn geboortedatum is eh de twaalfde maart", ("de twaalfde maart",)),
        # day, month and year in digits or number words
        ("geboren op 03-08-1961", ("03-08-1961",)),
        ("mijn geboortedatum is drie acht eenenzestig", ("drie acht eenenzestig",)),
        ("mijn geboortedatum is nul drie nul acht eenenzestig", ("nul drie nul acht eenenzestig",)),
        ("ik ben geboren op de derde van de achtste, eenenzestig", ("de derde van de achtste, eenenzestig",)),
        # a year of birth
        ("ik ben geboren in negentienachtenzestig", ("negentienachtenzestig",)),
        ("Geboortejaar: 1968.", ("1968",)),
        ("mijn geboortejaar is achtenzestig", ("achtenzestig",)),
        ("ik ben van 1971", ("1971",)),
        ("Ze is van '64.", ("64",)),
        # the year said as its own sentence, and a repaired day: both values
        ("ik ben geboren op zeven juni. Tweeëntachtig.", ("zeven juni", "Tweeëntachtig")),
        ("geboren op drieëntwintig, nee, vierentwintig juni 1990", ("drieëntwintig", "vierentwintig juni 1990")),
    ],
)
def test_when_date_of_birth_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # appointments, deadlines and invoices
        "De monteur komt donderdag 14 maart.",
        "de afspraak is op 22 april 2025",
        "het contract loopt tot 1 januari 2026",
        "de factuur van 3 maart 2024 is betaald",
        "de storing begon op 12 mei",
        "de offerte is van 12 maart",
        # an age, a year of a thing, a place of birth
        "ik ben 54",
        "de ketel is van 2017",
        "ik ben geboren in Leiden",
        # times, prices, error codes
        "Ik bel om tien uur terug.",
        "het kost 1985 euro",
        "storingscode 1968",
        "hij is van 12 tot 14 thuis",
        "ik ben van 12 tot 14 thuis",  # a range of hours
        # ordinary words
        "Ik weet niet meer wanneer ik gebeld heb.",
    ],
)
def test_when_look_alike_then_no_date_of_birth(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())


@pytest.mark.parametrize(
    "text, previous_turn, expected",
    [
        ("zeventien november negentien negenenzeventig", "En wat is uw geboortedatum?",
         ("zeventien november negentien negenenzeventig",)),
        ("Zesenvijftig.", "Wat is uw geboortejaar?", ("Zesenvijftig",)),
        ("1956", "Uw geboortejaar?", ("1956",)),
        ("vijf februari", "Wanneer bent u jarig?", ("vijf februari",)),
        ("Zesenvijftig.", "Hoeveel kost het?", ()),
        ("1956", "Welk bouwjaar heeft de woning?", ()),
        ("dinsdag 9 april", "En wat is uw geboortedatum?", ()),
    ],
)
def test_when_previous_turn_asks_for_birth_date_then_candidate_raised(recognizer, text, previous_turn, expected):
    results = with_previous_turn(recognizer, text, previous_turn)
    assert_spans(results, text, ENTITY, expected)


def test_whole_date_in_birth_year_without_cue_is_flagged_for_review(recognizer):
    """A whole date in a year people are born in, read back without a cue: redacted and flagged."""
    text = "zeventien november negentien negenenzeventig"
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert [THRESHOLD <= score < REVIEW_THRESHOLD for score in scores(results, text, ENTITY, text)] == [True]
