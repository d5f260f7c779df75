"""Dutch names, spoken e-mail addresses, licence plates, addresses and places: the golden cases of
``tests/golden/nl_{person,email_address,license_plate,address,location}.json`` run through the
whole redactor, and the word lists of ``redaction_rules/`` fail loudly when malformed."""

import json
from pathlib import Path

import pytest

from pipeline.errors import RulesError
from pipeline.nl.license_plate import SIDECODES
from pipeline.recognizers import load_word_list
from pipeline.redaction import Redactor, get_redactor
from pipeline.settings import REPO_ROOT

GOLDEN_DIR = Path(__file__).parent / "golden"
TYPES = ("person", "email_address", "license_plate", "address", "location")
CASES = [
    pytest.param(case, id=f"{kind}:{case['text'][:40]}")
    for kind in TYPES
    for case in json.loads((GOLDEN_DIR / f"nl_{kind}.json").read_text(encoding="utf-8"))["cases"]
]


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
    for name in ("street_suffixes_nl.txt", "countries_nl.txt", "not_person_nl.txt"):
        assert load_word_list(REPO_ROOT / "redaction_rules" / name)
