"""Dutch postcodes dictated or spelled: "vier vier zes een, B R", "drie vijf twee zes E P",
"vijfendertig zesentwintig EP", "elf nul zes, H K"; four digits alone right after "postcode".
Postcodes written as "3526 EP" are rules in ``redaction_rules/postcode_nl.yaml``.
"""

from __future__ import annotations

from pathlib import Path

from collections.abc import Iterable

import regex
from presidio_analyzer import EntityRecognizer

from pipeline.nl import spoken_numbers as sn

_SCORE = 0.65
_LOWER_SCORE = 0.3
_CUED_SCORE = 0.55
_BOOST = 0.35
_CUES = sn.cues("postcode", "postcodes", "adres", "woonadres")
# Two letters after the digits: "B R", "B, R", "BR", "b r"; SA, SD and SS are never issued.
_LETTERS = regex.compile(r"[\s,.\-]*(?P<a>[A-Za-z])(?:[\s,.\-]+|(?=[A-Za-z]))(?P<b>[A-Za-z])(?![\w])")


class SpokenPostcodeRecognizer(sn.NumberRecognizer):
    ENTITY = "POSTCODE"
    NAME = "Dutch postcode (spoken or spelled)"
    PREVIOUS_TURN_CUES = _CUES

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        for piece in analysis.pieces:
            if len(piece.digits) != 4 or piece.digits[0] == "0":
                continue
            cued = sn.cue_before(analysis, piece.first, _CUES, 4)
            letters = _LETTERS.match(analysis.text, piece.end)
            if letters:
                pair = (letters.group("a") + letters.group("b")).upper()
                upper = letters.group("a").isupper() and letters.group("b").isupper()
                if pair in ("SA", "SD", "SS") or not piece.spoken and upper:
                    continue  # written "3526 EP" is the rule file's
                if upper:
                    found.append((piece.start, letters.end(), _SCORE, 0.0))
                else:
                    score = _LOWER_SCORE + (_BOOST if cued else 0.0)
                    found.append((piece.start, letters.end(), score, 0.0 if cued else _BOOST))
            elif cued and piece.spoken:
                found += sn.spans([piece], _CUED_SCORE)
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [SpokenPostcodeRecognizer()]
