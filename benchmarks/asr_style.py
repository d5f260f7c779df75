"""The speech-recogniser variant of an annotated gold file: every turn lower case, without
sentence punctuation, with the personal-data offsets remapped.

Many speech recognisers (and Whisper on telephone audio) write "ja mijn naam is jan de vries ik
woon op de kerkstraat 12" instead of "Ja, mijn naam is Jan de Vries. Ik woon op de Kerkstraat 12.".
The redactor has to find the same data in both; this script makes the second form of any gold
file in the format of ``../shared/eval/*/dialogues.jsonl`` so the benchmark can score it.

What is removed: ``. , ? ! ; :`` and pauses (``…``, ``...``) that end a word (followed by a space or
the end of the turn), and quotation marks. What stays: punctuation inside a token (``jan.devries@
ziggo.nl``, ``12:30``, ``GV-123-X``, ``B-E-N-A-L-I``), because a recogniser writes those too.

Usage: python benchmarks/asr_style.py GOLD.jsonl OUT.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

# Sentence punctuation at the end of a word, and quotation marks anywhere.
_DROP = re.compile(r"[.,?!;:…]+(?=\s|$)|[\"“”„«»]")
_SPACES = re.compile(r"\s{2,}")


def asr_text(text: str) -> tuple[str, list[int]]:
    """The lower-case, unpunctuated form of ``text`` and, for each character of ``text``, its
    offset in the result (-1 for a removed character)."""
    keep = [True] * len(text)
    for match in _DROP.finditer(text):
        for i in range(*match.span()):
            keep[i] = False
    kept = "".join(ch for ch, k in zip(text, keep) if k)
    # Collapse the double spaces a removed dash or pause leaves, and trim.
    kept_index = [i for i, k in enumerate(keep) if k]
    out_chars: list[str] = []
    new_of_kept: list[int] = []
    for ch in kept:
        if ch.isspace() and (not out_chars or out_chars[-1] == " "):
            new_of_kept.append(-1)
            continue
        new_of_kept.append(len(out_chars))
        out_chars.append(" " if ch.isspace() else ch)
    while out_chars and out_chars[-1] == " ":
        dropped = len(out_chars) - 1
        out_chars.pop()
        new_of_kept = [-1 if n == dropped else n for n in new_of_kept]
    mapping = [-1] * len(text)
    for k, original in enumerate(kept_index):
        mapping[original] = new_of_kept[k]
    lowered = "".join(out_chars).lower()
    if len(lowered) != len(out_chars):  # a character whose lower case is longer ("İ"): keep it as it was
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in out_chars)
    return lowered, mapping


def remap(start: int, end: int, mapping: list[int]) -> tuple[int, int] | None:
    """The new ``(start, end)`` of a span, or ``None`` when nothing of it is left."""
    inside = [mapping[i] for i in range(start, end) if mapping[i] >= 0]
    if not inside:
        return None
    return inside[0], inside[-1] + 1


def asr_dialogue(dialogue: dict) -> dict:
    """One gold dialogue in speech-recogniser style; spans keep type and turn, text is remapped."""
    turns, mappings = [], []
    for turn in dialogue["turns"]:
        text, mapping = asr_text(turn["text"])
        turns.append({**turn, "text": text})
        mappings.append(mapping)
    pii = []
    for span in dialogue["pii"]:
        new = remap(span["start"], span["end"], mappings[span["turn"]])
        if new is None:
            continue
        text = turns[span["turn"]]["text"]
        pii.append({**span, "start": new[0], "end": new[1], "text": text[new[0] : new[1]]})
    return {**dialogue, "turns": turns, "pii": pii}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    try:
        lines = args.gold.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
    except (OSError, json.JSONDecodeError) as err:
        print(f"error: cannot read {args.gold} ({err}); give a gold file in the dialogues.jsonl format", file=sys.stderr)
        return 1
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(asr_dialogue(row), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
