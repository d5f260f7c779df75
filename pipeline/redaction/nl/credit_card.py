"""Payment-card data, which PCI DSS forbids in transcripts: card numbers (13–19 digits passing
the Luhn check, written or spoken), partial numbers after a card cue (the last four digits, or a
number read out until the agent stops the caller), expiry dates ("geldig tot 08/27",
"vervaldatum nul acht zevenentwintig") and security codes ("de code op de achterkant is 123", "de cvc-code
is 318", "de drie cijfers achterop").
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from presidio_analyzer import EntityRecognizer
from stdnum import luhn

from callscribe.pipeline.redaction.nl import spoken_numbers as sn
from callscribe.pipeline.redaction.nl.bsn import ending

_VALID_SCORE = 0.75
_NEAR = 10  # words before a number in which an expiry or security-code cue counts
_CUED_SCORE = 0.55
_BOOST = 0.45
_EXPIRY_CUES = sn.cues("vervaldatum", "verloopdatum", "geldig", "geldigheid", "verloopt", "vervalt",
                       "houdbaar", "expiratiedatum", "expiry")
_CODE_CUES = sn.cues(r"cvc\S*", r"cvv\S*", "cid", r"beveiligingscode\w*", r"veiligheidscode\w*", r"verificatiecode\w*",
                     "kaartcode", "controlecode", "securitycode", "cv")
_BACK = sn.cues("achterkant", "achterop", "achterzijde", "achterin", "achter")
_CODE_WORDS = sn.cues("code", "cijfers", "getal", "nummer")
_PREVIOUS_TURN = sn.cues(*sn.CARD_WORDS, "vervaldatum", "verloopdatum", "geldig", r"cvc\S*", r"cvv\S*",
                         r"beveiligingscode\w*", r"veiligheidscode\w*", r"\w*kaart\w*")
_SHORT_TURN_WORDS = 4  # "Dat is 472." after "En de CVC-code?"


def _expiry(analysis: sn.Analysis, piece: sn.Piece) -> bool:
    """Month and year: "08/27", "nul acht zevenentwintig", "8 27", "08 2027"."""
    d = piece.digits
    if len(d) in (4, 6) and 1 <= int(d[:2]) <= 12:
        return True
    return len(d) == 3 and d[0] != "0" and piece.count >= 2


def _month_expiry(analysis: sn.Analysis, piece: sn.Piece) -> tuple[int, int] | None:
    """An expiry date with a month name, the year before or after it: "maart 2028", "oktober
    zevenentwintig", "2027, oktober"."""
    if len(piece.digits) not in (2, 4) or piece.count > 2:
        return None
    if piece.first > 0 and sn.month_name(analysis.tokens[piece.first - 1].folded) is not None:
        return analysis.tokens[piece.first - 1].start, piece.end
    if sn.month_name(analysis.word_after(piece.last)) is not None:
        return piece.start, analysis.tokens[piece.last + 1].end
    return None


def _security_code_cue(words: list[str]) -> bool:
    """"CVC", "beveiligingscode", or "achterkant" with "code"/"cijfers" ("de code op de achterkant")."""
    if any(_CODE_CUES.search(w) for w in words):
        return True
    return any(_BACK.search(w) for w in words) and any(_CODE_WORDS.search(w) for w in words)


class CreditCardRecognizer(sn.NumberRecognizer):
    ENTITY = "CREDIT_CARD"
    NAME = "Payment card number, expiry date and security code"
    PREVIOUS_TURN_CUES = _PREVIOUS_TURN

    def cued_by(self, context: list[str]) -> bool:
        """A card word in the agent's question, or "de (drie) cijfers achterop": the security code."""
        return super().cued_by(context) or _security_code_cue([sn.folded(w) for w in context])

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        fragment = {t.kind for t in analysis.tokens} <= {sn.DIGITS, sn.NUMBER, sn.FILLER}
        short = sum(t.kind in (sn.WORD, sn.CAPS, sn.CODE, sn.LETTER) for t in analysis.tokens) <= _SHORT_TURN_WORDS
        for group in analysis.groups:
            claimed: set[sn.Piece] = set()
            card_cue = sn.cue_before(analysis, group[0].first, sn.CARD_CUES)
            for a, b, digits in sn.runs(group):
                pieces = group[a : b + 1]
                if claimed.intersection(pieces) or len(digits) < 12:
                    continue
                if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
                    claimed.update(pieces)
                    found += sn.spans(pieces, _VALID_SCORE)
                elif len(digits) <= 19 and not digits.startswith("0"):
                    claimed.update(pieces)
                    found += sn.spans(pieces, _CUED_SCORE if card_cue else 0.1, _BOOST)
            for piece in group:
                if piece in claimed or analysis.is_quantity(piece):
                    continue
                near = analysis.words_before(piece.first, _NEAR)
                expiry_cue = any(_EXPIRY_CUES.search(w) for w in near)
                if month_span := _month_expiry(analysis, piece):
                    start, end = month_span
                    found.append((start, end, _CUED_SCORE, 0.0) if expiry_cue else (start, end, 0.1, _BOOST))
                elif expiry_cue and _expiry(analysis, piece):
                    found += sn.spans([piece], _CUED_SCORE)
                elif _security_code_cue(near) and len(piece.digits) in (3, 4):
                    found += sn.spans([piece], _CUED_SCORE)
                elif any(_BACK.search(w) for w in near) and len(piece.digits) == 3:  # "achterop staat 592"
                    found += sn.spans([piece], _CUED_SCORE if card_cue else 0.1, _BOOST)
                elif (piece.count >= 2 or len(piece.digits) >= 4) and len(piece.digits) >= 3:
                    if card_cue or ending(analysis, piece) and sn.cue_before(analysis, piece.first, sn.CARD_CUES):
                        found += sn.spans([piece], _CUED_SCORE)
                    elif len(piece.digits) in (3, 4) or _expiry(analysis, piece) or len(piece.digits) >= 8:
                        found += sn.spans([piece], 0.1, _BOOST)
                elif len(piece.digits) == 3 and (any(_CODE_WORDS.search(w) for w in near[-3:]) or fragment or short):
                    found += sn.spans([piece], 0.1, _BOOST)  # "de code is 482" after the agent asked for the CVC
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [CreditCardRecognizer()]
