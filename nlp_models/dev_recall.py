"""Measure PER/LOC token recall of ``nl_callscribe`` on the held-out redaction dev turns.

Reads ``../shared/eval/redaction-dev/dialogues.jsonl`` (format in its ANNOTATION.md) only to
score; nothing from it is used for training. PERSON spans map to PER and LOCATION to LOC. A
gold token counts as found when a predicted entity of the mapped label covers it; the script
also reports how many predicted PER/LOC tokens fall outside every gold span of any PII type.
Both forms are scored: the turns as written (``written``) and their speech-recogniser form
(``asr``: lower case, no sentence punctuation, made by ``benchmarks/asr_style.py``).

Usage:
    python nlp_models/dev_recall.py [--dialogues PATH] [--model nlp_models/nl_callscribe]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import spacy

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from benchmarks.asr_style import asr_dialogue  # noqa: E402

DEFAULT_DIALOGUES = HERE.parent.parent / "shared" / "eval" / "redaction-dev" / "dialogues.jsonl"
GOLD_TO_LABEL = {"PERSON": "PER", "LOCATION": "LOC"}


def score(model: Path, dialogues: Path) -> dict[str, dict[str, dict[str, float]]]:
    """Scores of both forms: ``{"written": ..., "asr": ...}``."""
    nlp = spacy.load(model)
    rows = [json.loads(line) for line in dialogues.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return {
        "written": score_dialogues(nlp, rows),
        "asr": score_dialogues(nlp, [asr_dialogue(row) for row in rows]),
    }


def score_dialogues(nlp: spacy.language.Language, rows: list[dict]) -> dict[str, dict[str, float]]:
    """Token recall per label, plus predicted tokens outside any gold PII span."""
    found, total, outside, predicted = Counter(), Counter(), Counter(), Counter()
    for dialogue in rows:
        texts = [turn["text"] for turn in dialogue["turns"]]
        for index, doc in enumerate(nlp.pipe(texts)):
            gold = [span for span in dialogue["pii"] if span["turn"] == index]
            predicted_labels = {token.i: token.ent_type_ for token in doc if token.ent_type_}
            for span in gold:
                label = GOLD_TO_LABEL.get(span["type"])
                if label is None:
                    continue
                for token in doc.char_span(span["start"], span["end"], alignment_mode="expand"):
                    if token.is_punct:
                        continue
                    total[label] += 1
                    found[label] += predicted_labels.get(token.i) == label
            gold_chars = {c for span in gold for c in range(span["start"], span["end"])}
            for ent in doc.ents:
                for token in ent:
                    predicted[ent.label_] += 1
                    outside[ent.label_] += token.idx not in gold_chars
    return {
        label: {
            "gold_tokens": total[label],
            "token_recall": round(found[label] / total[label], 4) if total[label] else 0.0,
            "predicted_tokens": predicted[label],
            "predicted_outside_gold": outside[label],
        }
        for label in ("PER", "LOC")
    } | {"ORG": {"predicted_tokens": predicted["ORG"], "predicted_outside_gold": outside["ORG"]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dialogues", type=Path, default=DEFAULT_DIALOGUES, help="dialogues.jsonl")
    parser.add_argument("--model", type=Path, default=HERE / "nl_callscribe",
                        help="pipeline folder")
    args = parser.parse_args()
    print(json.dumps(score(args.model, args.dialogues), indent=2))


if __name__ == "__main__":
    main()
