"""SpokenIbanRecognizer (:mod:`callscribe.pipeline.redaction.nl.iban_spoken`): Dutch IBANs dictated
in words or pieces ("NL", check digits, a bank code or bank name, ten account digits), an IBAN begun
and broken off, a bank code spelled on its own, and the end of an account number after "eindigt
op". Every IBAN here is invented and passes the mod-97 check."""

import pytest

from callscribe.pipeline.redaction.nl import iban_spoken
from tests.nl.assertions import assert_spans, with_previous_turn

ENTITY = "IBAN"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = iban_spoken.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # whole IBANs, in any case and however dictated (NL14RABO9244026859, NL54ABNA6617603137 …)
        ("NL veertien RABO negen twee vier vier, nul twee zes, acht vijf negen",
         ("NL veertien RABO negen twee vier vier, nul twee zes, acht vijf negen",)),
        ("nl14 rabo 9244 0268 59", ("nl14 rabo 9244 0268 59",)),
        ("n l veertien r a b o negen twee vier vier nul twee zes acht vijf negen",
         ("n l veertien r a b o negen twee vier vier nul twee zes acht vijf negen",)),
        ("NL vierenvijftig abn amro zes zes een zeven, zes nul drie, een drie zeven",
         ("NL vierenvijftig abn amro zes zes een zeven, zes nul drie, een drie zeven",)),
        ("Het is NL38 BUNQ 2159 0109 28.", ("NL38 BUNQ 2159 0109 28",)),
        ("nl zesenvijftig trio een vijf negen nul, een drie negen, zes twee vier",
         ("nl zesenvijftig trio een vijf negen nul, een drie negen, zes twee vier",)),
        # pieces across hesitations, "en dan" and full stops: one span per piece
        ("Mijn IBAN is NL25 INGB ... eh ... 9528 9078 66.", ("NL25 INGB", "9528 9078 66")),
        ("NL zeven SNSB vijf negen vijf zeven en dan een een zeven zeven zeven zeven",
         ("NL zeven SNSB vijf negen vijf zeven", "een een zeven zeven zeven zeven")),
        ("NL56. TRIO. 1590. 1396. 24.", ("NL56", "TRIO. 1590. 1396. 24")),
        # a repair: the wrong and the corrected part
        ("NL14 RABO 9244 0268 nee wacht 9244 0269", ("NL14 RABO 9244 0268", "9244 0269")),
        # an IBAN begun and broken off
        ("het is nl eenendertig en dan de bank", ("nl eenendertig",)),
        ("NL zevenendertig, abn amro", ("NL zevenendertig, abn amro",)),
        # a bank code spelled after a bank cue
        ("mijn bank is de K N A B", ("K N A B",)),
        # the end of an account number
        ("mijn rekening eindigt op 68 59", ("68 59",)),
        ("het rekeningnummer eindigt op vier zes twee", ("vier zes twee",)),
        ("die eindigt op 40 82", ("40 82",)),
    ],
)
def test_when_iban_in_text_then_found(recognizer, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # prices, amounts, times
        "het bedrag is 1299 euro",
        "De factuur was 89,50.",
        "De monteur komt om 14:30.",
        # the end of another number, other codes
        "mijn telefoonnummer eindigt op 71 36",
        "mijn postcode is 1234 AB",
        "de BIC is RABONL2U",
        "het kenmerk is NL12 3456",
        # bank names and ordinary words
        "Ik heb een rekening bij de ING.",
        "ik ben klant bij de rabo",
        "nl",
    ],
)
def test_when_look_alike_then_no_iban(recognizer, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=None)
    assert_spans(results, text, ENTITY, ())


@pytest.mark.parametrize(
    "text, previous_turn, expected",
    [
        ("K N A B", "Bij welke bank zit u?", ("K N A B",)),
        ("K N A B", "Hoe spelt u dat?", ()),
    ],
)
def test_when_previous_turn_asks_for_bank_then_candidate_raised(recognizer, text, previous_turn, expected):
    results = with_previous_turn(recognizer, text, previous_turn)
    assert_spans(results, text, ENTITY, expected)
