"""BsnRecognizer (:mod:`callscribe.pipeline.redaction.nl.bsn`): nine digits passing the 11-test,
written or dictated in groups; nine digits failing it after a BSN cue; the end of one after
"eindigt op". Every number here is invented; the valid ones pass the 11-test."""

import pytest

from callscribe.pipeline.redaction.nl import bsn
from tests.nl.assertions import assert_spans, with_previous_turn

ENTITY = "BSN"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = bsn.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # valid 11-test, written
        ("Mijn burgerservicenummer is 908301662, dat staat ook op mijn paspoort.", ("908301662",)),
        ("Het BSN van mijn vader is 1318 60 914.", ("1318 60 914",)),
        ("Noteert u maar: 518190936.", ("518190936",)),
        ("Zijn sofinummer? 390996038, denk ik.", ("390996038",)),
        # valid 11-test, as a speech recogniser writes it
        ("ja dat is negen nul acht drie nul een zes zes twee", ("negen nul acht drie nul een zes zes twee",)),
        ("mijn bsn is drie negen nul, negen negen zes, nul drie acht",
         ("drie negen nul, negen negen zes, nul drie acht",)),
        ("het is zeven acht zes, 579, zeven vijf vier", ("zeven acht zes, 579, zeven vijf vier",)),
        # one number dictated with hesitations: one span per piece
        ("negen vier acht, eh, twee een negen... en dan negen drie twee",
         ("negen vier acht", "twee een negen", "negen drie twee")),
        # failing the 11-test (a misheard digit) after a BSN cue
        ("Mijn BSN is 908301663.", ("908301663",)),
        ("mijn burgerservicenummer is negen nul acht drie nul een zes zes drie",
         ("negen nul acht drie nul een zes zes drie",)),
        # the end of a BSN after "eindigt op"
        ("Uw BSN eindigt op 0936, toch?", ("0936",)),
        ("mijn bsn eindigt op negen drie zes", ("negen drie zes",)),
    ],
)
def test_when_bsn_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # nine digits failing the 11-test, no BSN cue
        "We hebben 908301663 als referentie genoteerd.",
        "nul zes twaalf vierendertig zesenvijftig acht",
        # times, prices, amounts, dates
        "De monteur komt om 14:30.",
        "de monteur komt om half tien",
        "De nieuwe ketel kost 1299 euro.",
        "het kost negenhonderdnegenentachtig euro",
        "We verbruiken 1.250 kuub gas per jaar.",
        "het contract eindigt op 31 december 2025",
        "de actie eindigt om vijf uur",
        # error codes and model numbers
        "Het display geeft foutcode E119.",
        "het typenummer is 7716010231",
        # ordinary words
        "Dank u wel, fijne dag verder.",
        "ik heb geen idee wat mijn nummer is",
    ],
)
def test_when_look_alike_then_no_bsn(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())


@pytest.mark.parametrize(
    "text, previous_turn, expected",
    [
        ("ja dat is negen nul acht drie nul een zes zes drie", "Wat is uw burgerservicenummer?",
         ("negen nul acht drie nul een zes zes drie",)),
        ("ja dat is negen nul acht drie nul een zes zes drie", "Wat is uw postcode?", ()),
        ("Het is 9083 01663.", "En uw BSN?", ("9083 01663",)),
        ("het eindigt op vier vijf zes", "Wat zijn de laatste cijfers van uw sofinummer?", ("vier vijf zes",)),
        ("het eindigt op vier vijf zes", "Hoe laat eindigt de afspraak?", ()),
    ],
)
def test_when_previous_turn_asks_for_bsn_then_candidate_raised(recognizer, text, previous_turn, expected):
    results = with_previous_turn(recognizer, text, previous_turn)
    assert_spans(results, text, ENTITY, expected)


def test_other_entity_requested_then_nothing(recognizer):
    assert recognizer.analyze("Mijn BSN is 908301662.", entities=["PHONE_NUMBER"], nlp_artifacts=None) == []
