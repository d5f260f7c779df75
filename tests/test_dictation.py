"""The dictation reader: dictated stretches → canonical strings with a map back to character
offsets (a table, in cased and lower-case form), and properties that hold for any text: offsets
inside the text, the map monotonic, parts covering the items."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from text_to_num import alpha2digit

from callscribe.pipeline.redaction.nl._numbers import value
from callscribe.pipeline.redaction.nl.dictation import REPAIRED, across_full_stops, mentions, read, values

# text → canonical string of each dictated stretch, in order.
TABLE = [
    ("nul zes, twaalf", ["0612"]),
    ("Drieëntachtig.", ["83"]),
    ("vierhonderdtwaalf", ["412"]),
    ("negentienhonderdvierenzestig", ["1964"]),
    ("negentienhonderd vierenzestig", ["1964"]),
    ("plus twee en dertig, vier", ["324"]),
    ("A van Anton, B van Bernard", ["AB"]),
    ("IJ van IJmuiden", ["IJ"]),
    ("s als in Simon", ["S"]),
    ("drie vijf twee een, A van Anton, B van Bernard", ["3521AB"]),
    ("J D vier zes acht T", ["JD468T"]),
    ("rhf 58 z", ["RHF58Z"]),
    ("NL77 RABO 0936 1528 47", ["NL77RABO0936152847"]),
    ("n l vierenvijftig r a b o nul een", ["NL54RABO01"]),
    ("NL eenennegentig abn amro nul vier", ["NL91ABNA04"]),
    ("b u n q", ["BUNQ"]),
    ("k streepje twee nul twee vier", ["K-2024"]),
    ("j a n at h o m e punt n l", ["JAN@HOME.NL"]),
    ("p underscore acht vijf", ["P_85"]),
    ("nul zes, eh, twaalf", ["0612"]),
    ("j a n, aan elkaar, met een z", ["JAN"]),
    ("We hebben 12 03 een afspraak", ["1203"]),
    ("Het kost 89 euro om 14:30", ["89"]),
    ("vijf zeven twee vier, eh... vee tee", ["5724VT"]),
    ("zes twee een vier pee ha", ["6214PH"]),
    ("drie acht een twee, bee en.", ["3812BN"]),
    ("drie acht een twee en dan", ["3812"]),
    ("06 38 52 71 46. En schrijf er ook bij", ["0638527146"]),
    ("IBAN NL91 ABNA 0417 1643 00", ["NL91ABNA0417164300"]),
    ("postcode 6213 L S", ["6213LS"]),
    ("ik heb u gebeld", []),
    ("Ik woon in de Kerkstraat, zei ik toch.", []),
]


@pytest.mark.parametrize("text, canonicals", TABLE, ids=[text[:30] for text, _ in TABLE])
@pytest.mark.parametrize("form", ["written", "lower"])
def test_canonical_strings(text, canonicals, form):
    text = text.lower() if form == "lower" else text
    assert [reading.canonical for reading in read(text)] == canonicals


def test_offsets_point_at_the_words_read():
    text = "Het is A van Anton, twee eh vier."
    (reading,) = read(text)
    assert reading.canonical == "A24"
    assert [text[a:b] for a, b in reading.offsets] == ["A van Anton", "twee", "vier"]
    assert [text[a:b] for a, b in reading.spans(0, 2)] == ["A van Anton, twee", "vier"], "a hesitation splits the span"


def test_a_repair_keeps_both_values_as_parts():
    text = "het kenteken is g-438-rt nee wacht g-483-rt sorry"
    (reading,) = read(text)
    assert reading.canonical == "G438RTG483RT"
    parts = reading.parts()
    assert len(parts) == 2 and reading.items[parts[1][0]].link == REPAIRED
    assert [text[reading.items[a].start : reading.items[b].end] for a, b in parts] == ["g-438-rt", "g-483-rt"]


@pytest.mark.parametrize("word", ["achttien", "zes", "twaalf", "drieëntachtig", "vierhonderdtwaalf", "negentienhonderdvierenzestig",
                                  "tweeduizend", "honderdachttien", "zevenenveertig", "duizend"])
def test_number_words_agree_with_text2num(word):
    """text2num reads these words too; the cached reader of this package (which also reads
    "negentienachtenvijftig", "één" and a lone "nul", which text2num leaves as words) gives the same value."""
    assert value(word) == int(alpha2digit(word, "nl"))


_WORDS = ["nul", "zes", "twaalf", "drieëntachtig", "en", "dan", "eh", "nee", "wacht", "sorry", "a", "van", "Anton", "IJ",
          "k", "rhf", "NL77", "rabo", "abn", "amro", "streepje", "punt", "aan", "elkaar", "met", "een", "z", "de",
          "Kerkstraat", "u", "o", "12", "0612", "14:30", "€", "ik", "woon", "twee", "dertig", "honderd"]
_GAPS = [" ", ", ", "... ", " - ", ". ", "? ", "-", " / "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GAPS)), max_size=25))
def test_offsets_inside_the_text_and_monotonic(pieces):
    text = "".join(word + gap for word, gap in pieces)
    previous_end = 0
    for reading in read(text):
        assert reading.canonical, "a reading is never empty"
        offsets = reading.offsets
        assert len(offsets) == len(reading.canonical)
        starts = [a for a, _ in offsets]
        assert starts == sorted(starts), "the map back to the text is monotonic"
        assert all(0 <= a < b <= len(text) for a, b in offsets)
        assert reading.start >= previous_end, "readings do not overlap"
        previous_end = reading.end
        covered = [index for a, b in reading.parts() for index in range(a, b + 1)]
        assert covered == list(range(len(reading.items))), "parts cover every item once, in order"
        for a, b in reading.spans(0, len(reading.items) - 1):
            assert 0 <= a < b <= len(text) and text[a:b] == text[a:b].strip()


def test_codes_dictated_with_full_stops_read_as_one():
    text = "Postcode 1234. A. B. Dank u."
    assert [r.canonical for r in read(text)] == ["1234", "A", "B"], "a full stop before a capital ends a reading"
    assert [r.canonical for r in across_full_stops(read(text))] == ["1234AB"]


def test_values_of_a_span_are_its_parts_and_the_whole():
    text = "Dat is zes drie, nee wacht, zes vier twee."
    start, end = text.index("zes"), text.index(".", 10)
    assert values(text, start, end) == {"63642", "642"}  # "63" alone is too short to look for


@pytest.mark.parametrize("text, known, turn, expected", [
    ("814. Op naam van?", {"814": 3}, 4, ["814"]),  # the agent reads the security code back
    ("Dus acht één vier, klopt dat?", {"814": 3}, 4, ["acht één vier"]),
    ("814. Op naam van?", {"814": 3}, 9, []),  # a short value far from where it was said
    ("Dus tot nu toe 4929 3308.", {"4929330871120082": 2}, 8, ["4929 3308"]),  # half a card number
    ("Dat kost 308 euro.", {"4929330871120082": 2}, 3, []),  # three digits inside a card: no read-back
    ("Het is nul zes twaalf.", {"814": 3}, 4, []),
])
def test_mentions_find_values_said_again(text, known, turn, expected):
    assert [text[a:b] for a, b, _ in mentions(text, known, turn, near=3)] == expected
