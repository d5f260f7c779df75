"""DutchAddressRecognizer (:mod:`callscribe.pipeline.redaction.nl.address`): ADDRESS for a street
with its house number, a street where someone lives and a post-office box; LOCATION for the town or
neighbourhood that goes with it, in any case. Ordinary words (the spaCy lexicon, through the NLP
artifacts) are no street or place names. The addresses are invented (the towns are real: the
recognizer reads them from its gazetteer)."""

import pytest

from callscribe.pipeline.redaction.nl import address
from tests.nl.assertions import assert_spans, with_context_words


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = address.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, addresses, places",
    [
        # a street with its house number and the place after it; the article is inside the span
        ("Ik woon op de Populierenlaan 38 in Deventer.", ("de Populierenlaan 38",), ("Deventer",)),
        ("ik woon op de populierenlaan 38 in deventer", ("de populierenlaan 38",), ("deventer",)),
        ("ik woon op de beukenweg 19 in zwolle", ("de beukenweg 19",), ("zwolle",)),
        # the name words before the street word: titles, particles, given names
        ("het adres is Burgemeester de Withstraat 112 b", ("Burgemeester de Withstraat 112 b",), ()),
        ("ik woon aan de Johan Verhulststraat 23", ("de Johan Verhulststraat 23",), ()),
        ("hij woont op de lange nieuwstraat nummer 6", ("de lange nieuwstraat nummer 6",), ()),
        ("ik woon op de 2e Jan Steenstraat 9", ("2e Jan Steenstraat 9",), ()),
        # house numbers in words, with additions, ranges, said a few words later
        ("mijn adres is weidevogelweg zevenentwintig", ("weidevogelweg zevenentwintig",), ()),
        ("het is zeedijk 41a", ("zeedijk 41a",), ()),
        ("het adres is stationsplein 9 d", ("stationsplein 9 d",), ()),
        ("mijn adres is Lindengracht 41 drie hoog", ("Lindengracht 41 drie hoog",), ()),
        ("ik woon aan de weidelaan 8 huis", ("de weidelaan 8 huis",), ()),
        ("het is zandpad 3 tot en met 7", ("zandpad 3 tot en met 7",), ()),
        ("het adres is schoolpad noordzijde 5", ("schoolpad noordzijde 5",), ()),
        ("het adres is molenweg oost 9", ("molenweg oost 9",), ()),
        ("ik woon op de Schoolstraat, nummer 31", ("de Schoolstraat, nummer 31",), ()),
        ("het is de eikenstr. 17", ("de eikenstr. 17",), ()),
        ("mijn huisnummer is 63", ("63",), ()),
        # a street without a suffix, with a place after it or "woon" before it
        ("het is Ooievaarsnest 7 in Zwolle", ("Ooievaarsnest 7",), ("Zwolle",)),
        ("ik woon op Ooievaarsnest 7", ("Ooievaarsnest 7",), ()),
        ("lange voort 12 in Oegstgeest", ("lange voort 12",), ("Oegstgeest",)),
        # a street alone where someone lives
        ("ik woon op de kastanjestraat", ("de kastanjestraat",), ()),
        # post-office boxes
        ("Postbus 4417, 3500 GA Utrecht", ("Postbus 4417",), ("Utrecht",)),
        ("postbus vierenveertig zeventien", ("postbus vierenveertig zeventien",), ()),
        # places: the gazetteer, ambiguous ones after "in"/"uit" or with a capital, districts,
        # neighbourhoods, an unknown word after "woon in"
        ("ik kom uit leeuwarden", (), ("leeuwarden",)),
        ("ik woon in Zwolle en werk in Kampen", (), ("Zwolle", "Kampen")),
        ("zij woont in Best", (), ("Best",)),
        ("ik woon in Heel", (), ("Heel",)),
        ("ik kom uit putten", (), ("putten",)),
        ("ik woon in almere haven", (), ("almere haven",)),
        ("wij wonen in de Jordaan", (), ("Jordaan",)),
        ("ik woon in de jordaan", (), ("jordaan",)),
        ("ik woon in de componistenbuurt", (), ("componistenbuurt",)),
        ("ik woon in hekkelbrugge", (), ("hekkelbrugge",)),
    ],
)
def test_when_address_in_text_then_found(recognizer, nlp_artifacts, text, addresses, places):
    results = recognizer.analyze(text, entities=["ADDRESS", "LOCATION"], nlp_artifacts=nlp_artifacts(text))
    assert_spans(results, text, "ADDRESS", addresses)
    assert_spans(results, text, "LOCATION", places)


@pytest.mark.parametrize(
    "text",
    [
        # street words that are ordinary words
        "de monteur moest over de snelweg",
        "we staan op de straat",
        "het plein was vol",
        # numbers that count or label
        "het kost 12 euro",
        "de storing duurde 3 uur",
        "ik heb storing 3 keer gemeld",
        "het duurt 2 weken",
        "ik heb 3 kinderen",
        "de zone 4 is kapot",
        "de auto staat op de parkeerplaats 4",
        "storingscode 119 op de ketel",
        "ik woon op 12 hoog",
        "we wonen hier sinds 2015",
        "om 10 over half 3",
        # places that are ordinary words, surnames, organisations, countries
        "de beste oplossing",
        "de hoorn van de koe",
        "we moeten putten graven",
        "het is heel erg koud",
        "mevrouw Van Bemmel belde",
        "ik heb het bij Woonstad Rotterdam gemeld",
        "ik woon in Nederland",
        "ik woon in de buurt",
        "ik ben in de winkel",
    ],
)
def test_when_look_alike_then_no_address(recognizer, nlp_artifacts, text):
    results = recognizer.analyze(text, entities=["ADDRESS", "LOCATION"], nlp_artifacts=nlp_artifacts(text))
    assert_spans(results, text, "ADDRESS", ())
    assert_spans(results, text, "LOCATION", ())


@pytest.mark.parametrize(
    "text, previous_turn, addresses, places",
    [
        # an answer that is only a place or a street without a suffix: the agent's question lifts it
        ("Putten.", "Waar woont u?", (), ("Putten",)),
        ("Brakveen 75", "Wat is uw adres?", ("Brakveen 75",), ()),
        ("Putten.", "Hoe laat is het?", (), ()),
        ("Brakveen 75", "Hoe laat komt de monteur?", (), ()),
    ],
)
def test_when_previous_turn_asks_where_then_candidate_raised(recognizer, nlp_artifacts, text, previous_turn,
                                                             addresses, places):
    results = with_context_words(recognizer, text, previous_turn, nlp_artifacts(text))
    assert_spans(results, text, "ADDRESS", addresses)
    assert_spans(results, text, "LOCATION", places)
