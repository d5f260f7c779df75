"""Dutch numbers dictated in calls: phone numbers, postcodes, BSN, IBAN, payment cards, dates of
birth and customer numbers, written or spoken, whole or in pieces (golden cases per entity type in
``tests/golden/nl_<type>.json``), and the number tokenizer they share."""

import pytest

from callscribe.pipeline.redaction.nl._numbers import digits, month, ordinal, value
from callscribe.pipeline.redaction.nl.spoken_numbers import analyse
from tests import golden_cases

KINDS = ("phone_number", "postcode", "bsn", "iban", "credit_card", "date_of_birth", "customer_id")



@pytest.mark.parametrize("case, form", golden_cases.cases(KINDS))
def test_golden_numbers(redactor, case, form):
    golden_cases.check(redactor, case, form)


def test_pieces_and_groups():
    text = "Nul zes, negenendertig, vierenzeventig... eh... elf, nul acht. Om 14:30 kost het € 89,50."
    found = analyse(text)
    pieces = [(text[p.start : p.end], p.digits) for p in found.pieces]
    assert pieces == [("Nul zes, negenendertig, vierenzeventig", "063974"), ("elf, nul acht", "1108")]
    assert len(found.groups) == 1, "a hesitation joins the pieces of one number"


def test_a_sentence_end_separates_numbers():
    found = analyse("Het is F2023-048816. Honderdachttien euro.")
    assert [p.digits for p in found.pieces] == ["048816", "118"]
    assert len(found.groups) == 2


def test_number_words():
    assert [value(w) for w in ("drieëntwintig", "één", "negentienachtenvijftig", "honderdachttien")] == [23, 1, 1958, 118]
    assert value("onderaanneming") is None and digits("tachtig") == "80"
    assert [ordinal(w) for w in ("eerste", "derde", "vijfentwintigste", "verschillende")] == [1, 3, 25, None]
    assert month("maart") == 3 and month("sept") == 9 and month("morgen") is None
