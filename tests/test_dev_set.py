"""Redaction quality on the annotated dev calls in ../shared/eval/redaction-dev, when present.

The floors are what the engine measured when this test was last raised; a change that drops
below them fails. The issue's targets (span recall ≥ 0.98 overall, per-type targets) are tracked
by ``benchmarks/redaction.py``; raise the floors here as the engine improves.
"""

import importlib.util
import json

import pytest

from pipeline.redaction import get_redactor
from pipeline.settings import REPO_ROOT

EVAL = REPO_ROOT.parent / "shared" / "eval"
GOLD = EVAL / "redaction-dev" / "dialogues.jsonl"
FLOOR_SPAN_RECALL = 0.61
FLOOR_CHAR_PRECISION = 0.92
FLOOR_BY_TYPE = {"PERSON": 0.85, "LOCATION": 0.94, "PHONE_NUMBER": 0.87, "EMAIL_ADDRESS": 0.77, "IBAN": 0.61,
                 "POSTCODE": 0.76}


@pytest.fixture(scope="module")
def scored():
    if not GOLD.is_file():
        pytest.skip(f"dev set not found at {GOLD}: the shared evaluation folder is not beside this checkout")
    spec = importlib.util.spec_from_file_location("score_redaction", EVAL / "score_redaction.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = scorer.load(GOLD)
    redactor = get_redactor(REPO_ROOT / "nlp_models" / "nl_callscribe", REPO_ROOT / "redaction_rules", 0.35)
    predictions = []
    for call in gold:
        out = redactor.redact([(t["speaker"], t["text"]) for t in call["turns"]])
        predictions.append({"id": call["id"], "segments": [
            {"text": s.text, "entities": [{"start": e.start, "end": e.end, "type": e.type} for e in s.entities]}
            for s in out.segments]})
    result, _ = scorer.score(gold, json.loads(json.dumps(predictions)))
    return result


def test_span_recall_and_precision_stay_above_the_floor(scored):
    assert scored["span_recall"] >= FLOOR_SPAN_RECALL
    assert scored["char_precision"] >= FLOOR_CHAR_PRECISION


@pytest.mark.parametrize("kind", sorted(FLOOR_BY_TYPE))
def test_per_type_recall_stays_above_the_floor(scored, kind):
    assert scored["by_type"][kind]["span_recall"] >= FLOOR_BY_TYPE[kind]
