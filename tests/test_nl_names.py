"""Dutch names, spoken e-mail addresses and licence plates: the golden cases of
``tests/golden/nl_{person,email_address,license_plate}.json`` run through the
whole redactor, as written and (names, e-mail addresses, plates) as a speech recogniser writes them
(lower case, no sentence punctuation: ``benchmarks/asr_style.py``); the name gazetteer and the word
lists of ``redaction_rules/`` fail loudly when malformed."""

import importlib
import importlib.util
import json

import pytest

from callscribe.pipeline.errors import RulesError
from callscribe.pipeline.redaction.lexicon import load_word_list
from callscribe.pipeline.redaction.nl.license_plate import SIDECODES
from tests import golden_cases
from tests.paths import REPO_ROOT

GOLDEN_DIR = golden_cases.GOLDEN_DIR
TYPES = ("person", "email_address", "license_plate")



@pytest.mark.parametrize("case, form", golden_cases.cases(TYPES))
def test_golden_cases(redactor, case, form):
    golden_cases.check(redactor, case, form)


def test_every_sidecode_has_a_golden_plate():
    cases = json.loads((GOLDEN_DIR / "nl_license_plate.json").read_text(encoding="utf-8"))["cases"]
    shapes = set()
    for case in cases:
        for value in case["hidden"]:
            if "-" in value:
                shapes.add("-".join("D" * len(g) if g.isdigit() else "L" * len(g) for g in value.split("-")))
    assert SIDECODES <= shapes, f"sidecodes without a golden case: {sorted(SIDECODES - shapes)}"


@pytest.mark.parametrize(
    "content, fragment",
    [("straat\n\tlaan\n", "line 2"), ("# only a comment\n\n", "empty"), ("weg\nkade \n", "line 2")],
    ids=["tab", "empty", "trailing-space"],
)
def test_malformed_word_list_names_file_and_line(tmp_path, content, fragment):
    path = tmp_path / "street_suffixes_nl.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_word_list(path)
    assert str(path) in str(info.value) and fragment in str(info.value)


def test_missing_word_list_names_the_file(tmp_path):
    with pytest.raises(RulesError, match="countries_nl.txt"):
        load_word_list(tmp_path / "countries_nl.txt")


def test_shipped_word_lists_load():
    for name in ("street_suffixes_nl.txt", "countries_nl.txt", "not_person_nl.txt", "first_names.txt", "surnames.txt",
                 "ordinary_names_nl.txt", "first_names_extra_nl.txt"):
        assert load_word_list(REPO_ROOT / "redaction_rules" / name)


@pytest.mark.parametrize(
    "word, kind",
    [("fatima", "NAME"), ("öztürk", "NAME"), ("yilmaz", "NAME"), ("roos", "AMBIGUOUS"), ("bakker", "AMBIGUOUS"),
     ("storm", "AMBIGUOUS"), ("jan", "AMBIGUOUS"), ("mark", "AMBIGUOUS"), ("remeha", "NEVER"), ("maandag", "NEVER"),
     ("gebeld", "WORD"), ("zevenentachtig", "WORD"), ("erbij", "WORD"), ("kerkstraat", "WORD"),
     ("storingsmelding", "WORD"), ("gert-jan", "NAME"), ("cv-ketel", "WORD")],
)
def test_name_gazetteer_kinds(redactor, word, kind):
    """Known names that are no ordinary word count anywhere; names that are also ordinary words need
    a name position; brands, weekdays, verb forms, numbers, streets and compounds are no names."""
    assert redactor._names.kind(word).name == kind


def test_gazetteer_is_generated_from_faker():
    """The committed gazetteer is what make_names.py writes (run it again after a Faker upgrade)."""
    spec = importlib.util.spec_from_file_location("make_names", REPO_ROOT / "redaction_rules" / "make_names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    providers = [importlib.import_module(f"faker.providers.person.{loc}").Provider for loc in module.LOCALES]
    first = load_word_list(REPO_ROOT / "redaction_rules" / "first_names.txt")
    assert module.first_names(providers) <= first
    extra = load_word_list(REPO_ROOT / "redaction_rules" / "surnames_extra_nl.txt")
    assert module.surnames(providers) | extra == load_word_list(REPO_ROOT / "redaction_rules" / "surnames.txt")
