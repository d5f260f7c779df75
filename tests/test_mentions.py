"""What one turn tells about another (pipeline/nl/mentions.py), on entities given by hand: no
model is loaded, so each mechanism is tested on its own."""

from callscribe.pipeline.redaction.nl import mentions
from callscribe.pipeline.types import Entity


def entity(text: str, value: str, kind: str, score: float = 0.9) -> Entity:
    start = text.index(value)
    return Entity(start, start + len(value), kind, score)


def covered(text: str, spans) -> list[str]:
    return [text[start:end] for start, end, _, _ in spans]


def test_a_security_code_read_back_by_the_agent():
    texts = ["Acht één vier.", "814. Op naam van?", "Dat kost 814 euro, over tien beurten."]
    found = [[entity(texts[0], "Acht één vier", "CREDIT_CARD")], [], []]
    spans = mentions.value_mentions(texts, found)
    assert covered(texts[1], spans[1]) == ["814"] and spans[1][0][2] == "CREDIT_CARD"
    assert spans[2] == [], "an amount is no read-back"


def test_a_street_named_again_takes_its_house_number_but_not_a_count():
    texts = ["Ik woon op de Lindelaan 12 b.", "Ja, Lindelaan 12 b klopt.", "Aan de Lindelaan 3 kinderen hebben we."]
    found = [[entity(texts[0], "de Lindelaan 12 b", "ADDRESS")], [], []]
    spans = mentions.street_mentions(texts, found)
    assert covered(texts[1], spans[1]) == ["Lindelaan 12 b"]
    assert covered(texts[2], spans[2]) == ["Lindelaan"]


def test_a_place_that_is_an_ordinary_word_is_found_again_only_with_its_capital():
    texts = ["Ik woon in Best.", "Best, ja.", "Dat is het beste, best wel."]
    found = [[entity(texts[0], "Best", "LOCATION", 0.8)], [], []]
    spans = mentions.place_mentions(texts, found, common_words=frozenset({"best", "wel"}))
    assert covered(texts[1], spans[1]) == ["Best"]
    assert spans[2] == []


def test_pieces_of_a_value_over_turns_with_ja_between():
    segments = [("klant", "Het begint met 4 4 0"), ("medewerker", "ja"), ("klant", "2 1 9"),
                ("medewerker", "Dank u. Wanneer komt de monteur?"), ("klant", "Om 10 uur.")]
    found = [[], [], [entity("2 1 9", "2 1 9", "CUSTOMER_ID", 0.6)], [], []]
    spans = mentions.continued_dictation(segments, found)
    assert covered(segments[0][1], spans[0]) == ["4 4 0"] and spans[0][0][2] == "CUSTOMER_ID"
    assert spans[4] == [], "an answer to another question is no piece"


def test_the_local_part_before_a_domain_said_on_its_own():
    segments = [("klant", "stuur het maar naar mij gert punt"), ("medewerker", "ja"),
                ("klant", "huisman zevenenveertig"), ("medewerker", "ja"), ("klant", "at quicknet punt nl")]
    found = [[], [], [], [], [entity(segments[4][1], "at quicknet punt nl", "EMAIL_ADDRESS")]]
    spans = mentions.local_parts(segments, found, stop_words=frozenset({"het", "maar", "naar", "mij"}))
    assert covered(segments[0][1], spans[0]) == ["gert punt"]
    assert covered(segments[2][1], spans[2]) == ["huisman zevenenveertig"]


def test_a_local_part_broken_off_near_an_address_but_not_an_ordinary_punt():
    texts = ["Wat is uw mailadres?", "Het is ha, punt, dijkstra, eh, nee, ik begin opnieuw.",
             "Op dit punt kan ik niets doen.", "Punt twee van de brief klopt niet."]
    spans = mentions.local_part_fragments(texts, [[], [], [], []])
    assert covered(texts[1], spans[1]) == ["ha, punt, dijkstra"] and spans[1][0][2] == "EMAIL_ADDRESS"
    assert spans[2] == [] and spans[3] == [], "'punt' between ordinary words is no address"
    assert mentions.local_part_fragments(["Het is ha punt dijkstra."], [[]]) == [[]], "no address near: nothing"


def test_the_wrong_value_before_a_repair_takes_the_corrected_values_type():
    text = "Het is achtentachtig… nee, tweeëntachtig vierenzestig. En dan de letters A, R."
    found = [[entity(text, "tweeëntachtig vierenzestig", "POSTCODE")]]
    spans = mentions.repaired_values([text], found)
    assert covered(text, spans[0]) == ["achtentachtig"] and spans[0][0][2] == "POSTCODE"
    far = "Nul zes twaalf vierendertig zesenvijftig, nee, drieëntwintig."
    assert mentions.repaired_values([far], [[entity(far, "drieëntwintig", "POSTCODE")]]) == [[]], \
        "a much longer stretch before 'nee' is another value, not the wrong one"


def test_a_postcodes_letters_said_alone_near_it_but_not_an_abbreviation():
    texts = ["Uw postcode is 3512 HL?", "Nee, het is echt HK, H van Hendrik, K van Karel.", "De cv en de TV doen het."]
    found = [[entity(texts[0], "3512 HL", "POSTCODE")], [], []]
    spans = mentions.postcode_letters(texts, found)
    assert covered(texts[1], spans[1]) == ["HK, H van Hendrik, K van Karel"]
    assert spans[2] == []
    assert mentions.postcode_letters(["Het is echt HK."], [[]]) == [[]], "no postcode near: nothing"
