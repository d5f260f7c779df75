"""Dutch names, spoken e-mail addresses and licence plates: the golden cases of
``tests/golden/nl_{person,email_address,license_plate}.json`` run through the
whole redactor, as written and (names, e-mail addresses, plates) as a speech recogniser writes them
(lower case, no sentence punctuation: ``benchmarks/asr_style.py``); the name gazetteer and the word
lists of ``redaction_rules/`` fail loudly when malformed."""

import importlib.util
import json
from pathlib import Path

import pytest

from pipeline.errors import RulesError
from pipeline.nl.license_plate import SIDECODES
from pipeline.recognizers import load_word_list
from pipeline.redaction import Redactor, get_redactor
from pipeline.settings import REPO_ROOT

GOLDEN_DIR = Path(__file__).parent / "golden"
TYPES = ("person", "email_address", "license_plate")
CASES = [
    pytest.param(case, id=f"{kind}:{case['text'][:40]}")
    for kind in TYPES
    for case in json.loads((GOLDEN_DIR / f"nl_{kind}.json").read_text(encoding="utf-8"))["cases"]
]


ASR_TYPES = ("person", "email_address", "license_plate")
ASR_CASES = [
    pytest.param(case, id=f"asr-{kind}:{case['text'][:40]}")
    for kind in ASR_TYPES
    for case in json.loads((GOLDEN_DIR / f"nl_{kind}.json").read_text(encoding="utf-8"))["cases"]
]


def _asr_text():
    spec = importlib.util.spec_from_file_location("asr_style", REPO_ROOT / "benchmarks" / "asr_style.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.asr_text


asr_text = _asr_text()


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return get_redactor(REPO_ROOT / "nlp_models" / "nl_callscribe", REPO_ROOT / "redaction_rules", 0.35)


@pytest.mark.parametrize("case", CASES)
def test_golden_cases(redactor, case):
    segments = [("medewerker", case["before"])] if "before" in case else []
    segments.append(("klant", case["text"]))
    out = redactor.redact(segments).segments[-1]
    for value in case["hidden"]:
        assert value not in out.text, f"{value!r} left visible: {out.text!r}"
    for value in case["visible"]:
        assert value in out.text, f"{value!r} redacted but is not personal data: {out.text!r}"
    assert set(case["types"]) <= {e.type for e in out.entities}


@pytest.mark.parametrize("case", ASR_CASES)
def test_golden_cases_in_speech_recogniser_style(redactor, case):
    """The same case lower case and without sentence punctuation: the same data is found."""
    segments = [("medewerker", asr_text(case["before"])[0])] if "before" in case else []
    text = asr_text(case["text"])[0]
    segments.append(("klant", text))
    out = redactor.redact(segments).segments[-1]
    for value in case["hidden"]:
        hidden = asr_text(value)[0]
        assert hidden not in out.text, f"{hidden!r} left visible: {out.text!r}"
    for value in case["visible"]:
        visible = asr_text(value)[0]
        assert visible in out.text, f"{visible!r} redacted but is not personal data: {out.text!r}"


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
    assert module.surnames(providers) == load_word_list(REPO_ROOT / "redaction_rules" / "surnames.txt")
