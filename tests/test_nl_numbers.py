"""Dutch numbers dictated in calls: phone numbers, postcodes, BSN, IBAN, payment cards, dates of
birth and customer numbers, written or spoken, whole or in pieces (golden cases per entity type in
``tests/golden/nl_<type>.json``), and the number tokenizer they share."""

import importlib.util
import json
from pathlib import Path

import pytest

from pipeline.nl._numbers import digits, month, ordinal, value
from pipeline.nl.spoken_numbers import analyse
from pipeline.redaction import Redactor, get_redactor
from pipeline.settings import REPO_ROOT

GOLDEN_DIR = Path(__file__).parent / "golden"
KINDS = ("phone_number", "postcode", "bsn", "iban", "credit_card", "date_of_birth", "customer_id")
CASES = [
    (kind, case)
    for kind in KINDS
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


@pytest.mark.parametrize("kind, case", CASES, ids=[f"{kind}:{case['text'][:40]}" for kind, case in CASES])
def test_golden_numbers(redactor, kind, case):
    turns = ([("medewerker", case["before"])] if "before" in case else []) + [("klant", case["text"])]
    out = redactor.redact(turns).segments[-1]
    for value_ in case["hidden"]:
        assert value_ not in out.text, f"{value_!r} left visible in {out.text!r}"
    for value_ in case["visible"]:
        assert value_ in out.text, f"{value_!r} redacted but is not personal data: {out.text!r}"
    assert set(case["types"]) <= {e.type for e in out.entities}


@pytest.mark.parametrize("kind, case", CASES, ids=[f"asr-{kind}:{case['text'][:40]}" for kind, case in CASES])
def test_golden_numbers_in_speech_recogniser_style(redactor, kind, case):
    """The same case lower case and without sentence punctuation: the same data is found."""
    turns = ([("medewerker", asr_text(case["before"])[0])] if "before" in case else []) + [
        ("klant", asr_text(case["text"])[0])]
    out = redactor.redact(turns).segments[-1]
    for value_ in case["hidden"]:
        hidden = asr_text(value_)[0]
        assert hidden not in out.text, f"{hidden!r} left visible in {out.text!r}"
    for value_ in case["visible"]:
        visible = asr_text(value_)[0]
        assert visible in out.text, f"{visible!r} redacted but is not personal data: {out.text!r}"


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
