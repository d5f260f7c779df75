"""Dutch licence plates said aloud or spelled, as Whisper writes them: "Zeven, T N X, zes twee",
"G X negen nul drie P", "twee vier, H, B, vijf een". Written plates (all sidecodes, with dashes,
spaces or nothing between the groups) are ``redaction_rules/license_plate_nl.yaml``.

A spoken plate is a run of letters, digits and number words that gives exactly six characters in
the shape of a Dutch sidecode (RDW sidecodes 1–14). The shape 99-99-XX is also the shape of a
postcode ("vier vier zes een, B R") and only counts near the word kenteken (context).
"""

from __future__ import annotations

from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from pipeline.nl._numbers import digits
from pipeline.nl.person_context import result

# Letter/digit group lengths of the sidecodes, "L" letters, "D" digits.
SIDECODES = frozenset({
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD",
    "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "D-LL-DDD", "DDD-LL-D", "L-DD-LLL",
})
_POSTCODE_SHAPE = "DDDDLL"
_SHAPES = {code.replace("-", "") for code in SIDECODES}

_TOKEN = regex.compile(r"[\p{L}]+|\d+")
_GAP = regex.compile(r"[ \t]*[,.\-]?[ \t]*")
_SCORE = 0.9  # above the NER's 0.85: a merged span of a dictated plate is a plate
_SCORE_POSTCODE_SHAPE = 0.2  # also lower-case letters ("z l vijf …"): needs a context word


def _piece(token: str) -> str | None:
    """Plate characters one token stands for: a letter, digits, or a number word."""
    if token.isdigit():
        return token if len(token) <= 3 else None
    if len(token) == 1 and token.isalpha():
        return token.upper()
    if token in ("IJ", "ij"):
        return None
    number = digits(token)
    if number is not None and len(number) <= 2:
        return number
    return None


def _shape(chars: str) -> str:
    return "".join("D" if ch.isdigit() else "L" for ch in chars)


class DutchSpokenPlateRecognizer(EntityRecognizer):
    """LICENSE_PLATE for plates dictated as letters and (number) words."""

    CONTEXT = ["kenteken", "nummerbord", "auto", "wagen", "bus", "bestelbus", "voertuig", "kentekenherkenning"]

    def __init__(self):
        super().__init__(
            supported_entities=["LICENSE_PLATE"], name="DutchSpokenPlateRecognizer", supported_language="nl",
            context=self.CONTEXT,
        )

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        found = []
        run: list[tuple[int, int, str]] = []
        for token in _TOKEN.finditer(text):
            piece = _piece(token.group())
            joined = run and token.start() > run[-1][1] and _GAP.fullmatch(text, run[-1][1], token.start())
            if piece is None or (run and not joined):
                found += self._plate(text, run)
                run = []
            if piece is not None:
                run.append((token.start(), token.end(), piece))
        found += self._plate(text, run)
        return found

    def _plate(self, text: str, run: list[tuple[int, int, str]]) -> list[RecognizerResult]:
        if not run:
            return []
        chars = "".join(piece for _, _, piece in run)
        letters = sum(ch.isalpha() for ch in chars)
        if len(chars) != 6 or not 1 <= letters <= 4 or _shape(chars) not in _SHAPES:
            return []
        # Spoken plates have at least one spoken letter and one spoken number part.
        if len(run) < 3:
            return []
        lower_case = any(len(piece) == 1 and piece.isalpha() and text[start:end].islower() for start, end, piece in run)
        score = _SCORE_POSTCODE_SHAPE if _shape(chars) == _POSTCODE_SHAPE or lower_case else _SCORE
        return [result(self, "LICENSE_PLATE", run[0][0], run[-1][1], score)]


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DutchSpokenPlateRecognizer()]
