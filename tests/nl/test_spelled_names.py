"""DutchSpelledNameRecognizer (:mod:`callscribe.pipeline.redaction.nl.spelled_names`): names spelled
letter by letter or in the Dutch spelling alphabet (one PERSON span), and the word of the turn the
spelling spells or begins. A single letter or two is a remark; letters between numbers are a code;
an ordinary word (the spaCy lexicon, through the NLP artifacts) is a name only when spelled in full.
The names are invented."""

import pytest

from callscribe.pipeline.redaction.nl import spelled_names
from tests.nl.assertions import assert_spans

ENTITY = "PERSON"


@pytest.fixture(scope="module")
def recognizer(rules_dir):
    (recognizer,) = spelled_names.recognizers(rules_dir)
    return recognizer


@pytest.mark.parametrize(
    "text, expected",
    [
        # letter by letter: hyphens, commas, spaces; capitals need three letters, lower case four
        ("Dat is Kowalczyk, K-O-W-A-L-C-Z-Y-K.", ("Kowalczyk", "K-O-W-A-L-C-Z-Y-K")),
        ("dat is h-o-e-k-s-t-r-a", ("h-o-e-k-s-t-r-a",)),
        ("B, IJ, L, S, M, A", ("B, IJ, L, S, M, A",)),
        ("het is M, O, dubbel T, E, N", ("M, O, dubbel T, E, N",)),
        ("Z, O met een trema, E, N", ("Z, O met een trema, E, N",)),
        ("B R O U W E R", ("B R O U W E R",)),
        ("ik heb het gespeld: T E R P", ("T E R P",)),
        ("b r o u w e r", ("b r o u w e r",)),
        ("de heer J.P.M.W. Bakker", ("J.P.M.W.",)),
        # three lower-case letters that spell a word of the turn, and that word
        ("tom, t o m", ("tom", "t o m")),
        # the spelling alphabet, in any case
        ("H van Hendrik, O van Otto, E van Eduard, K van Karel, S van Simon",
         ("H van Hendrik, O van Otto, E van Eduard, K van Karel, S van Simon",)),
        ("d van dirk o van otto k van karel", ("d van dirk o van otto k van karel",)),
        ("de naam is s als in simon, m als in marie, i als in izaak, t als in theo",
         ("s als in simon, m als in marie, i als in izaak, t als in theo",)),
        ("K van Karel, O, S van Simon", ("K van Karel, O, S van Simon",)),
        # the word a spelling begins (an interrupted spelling)
        ("Verbeek, V-E-R-B", ("Verbeek", "V-E-R-B")),
    ],
)
def test_when_spelled_name_in_text_then_found(recognizer, nlp_artifacts, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=nlp_artifacts(text))
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        # an ordinary word spelled in full is the name; begun only, the word stays visible
        ("vos, v van victor, o van otto, s van simon", ("vos", "v van victor, o van otto, s van simon")),
        ("bakker, b van bernard, a van anton, k van karel, k van karel",
         ("b van bernard, a van anton, k van karel, k van karel",)),
    ],
)
def test_ordinary_word_is_a_name_only_when_spelled_in_full(recognizer, nlp_artifacts, text, expected):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=nlp_artifacts(text))
    assert_spans(results, text, ENTITY, expected)


@pytest.mark.parametrize(
    "text",
    [
        # one or two letters: a spelling remark or an answer
        "Dat is met i-j, hoor.",
        "Nee, d.",
        "de g van goed",
        # vowels, options, abbreviations
        "u, e, a",
        "de letters a, b en c",
        "kies optie a, b of c",
        "T.V.",
        "e-mail",
        "w w w punt visser punt nl",
        "ik heb een cv-ketel van het type HR",
        # letters next to digits: codes, plates, postcodes
        "het was A-4",
        "de code is A B 12",
        "ik zeg K L 12 34",
        "ik woon op 2582 C D",
        "het kenteken is G H V, 12",
        # ordinary words
        "Ik spel het even voor u.",
    ],
)
def test_when_look_alike_then_no_spelled_name(recognizer, nlp_artifacts, text):
    results = recognizer.analyze(text, entities=[ENTITY], nlp_artifacts=nlp_artifacts(text))
    assert_spans(results, text, ENTITY, ())
