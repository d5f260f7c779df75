"""Burgerservicenummers (BSN): nine digits that pass the 11-test, written ("123456782",
"1234 56 782") or dictated in groups ("twee vier een, acht drie zes, vijf nul vijf"); nine digits
that fail it after a BSN cue (a misheard digit); and the end of one after "eindigt op".
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from presidio_analyzer import EntityRecognizer
from stdnum.nl import bsn as stdnum_bsn

from callscribe.pipeline.redaction.nl import spoken_numbers as sn

_VALID_SCORE = 0.7
_CUED_SCORE = 0.55
_BOOST = 0.45


def ending(analysis: sn.Analysis, piece: sn.Piece) -> bool:
    """True for a piece right after "eindigt op", "de laatste vier zijn" and the like, which is
    not a date or an amount ("eindigt op 1 mei", "eindigt om vijf uur")."""
    if not sn.cue_before(analysis, piece.first, sn.ENDING_CUES, 4) or analysis.is_quantity(piece):
        return False
    after = analysis.word_after(piece.last)
    return sn.month_name(after) is None and (piece.count >= 2 or len(piece.digits) >= 2)


class BsnRecognizer(sn.NumberRecognizer):
    ENTITY = "BSN"
    NAME = "Dutch BSN (11-test, written or spoken)"
    PREVIOUS_TURN_CUES = sn.BSN_CUES

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        for group in analysis.groups:
            claimed: set[sn.Piece] = set()
            for a, b, digits in sn.runs(group):
                pieces = group[a : b + 1]
                if len(digits) != 9 or claimed.intersection(pieces):
                    continue
                if stdnum_bsn.is_valid(digits):  # the 11-test
                    claimed.update(pieces)
                    found += sn.spans(pieces, _VALID_SCORE)
                elif sn.cue_before(analysis, pieces[0].first, sn.BSN_CUES, 12):
                    claimed.update(pieces)
                    found += sn.spans(pieces, _CUED_SCORE)
                else:
                    found += sn.spans(pieces, 0.1, _BOOST)
            for piece in group:
                if piece not in claimed and ending(analysis, piece):
                    if sn.cue_before(analysis, piece.first, sn.BSN_CUES):
                        found += sn.spans([piece], _CUED_SCORE)
                    else:
                        found += sn.spans([piece], 0.1, _BOOST)
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [BsnRecognizer()]
