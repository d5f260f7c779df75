"""Phone numbers dictated in words or digit groups, whole or in pieces: "nul zes,
negenendertig, vierenzeventig ... elf, nul acht", "plus eenendertig zes ...", foreign numbers
("plus twee en dertig, vier ...", "+599 9 ...": a possible number of that country by phonenumbers'
rules); the word "plus" is part of the span.

Ten digits starting with 0 (or 31 after "plus", 0031) are a phone number wherever they stand.
Pieces that start like one ("nul zes, achtenvijftig ..."), pieces later in a turn that already
dictated part of a number, and pieces after a phone cue ("nummer", "bellen", "mobiel", or the
agent's question in the previous turn) are the pieces of one. A turn that is nothing but a
dictated fragment ("nul zeven.") is one too.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import phonenumbers
import regex
from presidio_analyzer import EntityRecognizer

from callscribe.pipeline.redaction.nl import spoken_numbers as sn

_FULL_SCORE = 0.75
_PARTIAL_SCORE = 0.55
_CUED_SCORE = 0.5
_FRAGMENT_SCORE = 0.4
_BOOST = 0.4
# Cues of other types: a number right after "klantnummer" is not a phone number.
_OTHER_CUES = sn.cues(*sn.ID_WORDS, *sn.BSN_WORDS, *sn.IBAN_WORDS, *sn.CARD_WORDS, *sn.BIRTH_WORDS, "postcode",
                      "huisnummer", "meterstand", "stand", r"(?:artikel|model|type|product)(?:nummer|nr)?")


def national(digits: str, plus: bool) -> str:
    """The digits as dialled in the Netherlands: "+31 6 ..." and "0031 6 ..." become "06 ..."."""
    if plus and digits.startswith("31"):
        return "0" + digits[2:]
    if digits.startswith("0031"):
        return "0" + digits[4:]
    return digits


def is_phone(digits: str) -> bool:
    """Ten digits with a Dutch trunk prefix, or an 0800/0900 information number."""
    if digits[:4] in ("0800", "0900", "0906", "0909"):
        return len(digits) in (8, 11)
    return len(digits) == 10 and digits[0] == "0" and digits[1] != "0"


def starts_like_phone(digits: str) -> bool:
    return len(digits) >= 3 and digits[0] == "0" and digits[1] != "0"


def _plus_before(analysis: sn.Analysis, piece: sn.Piece) -> bool:
    before = analysis.text[max(0, piece.start - 3) : piece.start]
    return "+" in before or analysis.words_before(piece.first, 1) == ["plus"]


def _with_plus(analysis: sn.Analysis, spans: list[tuple[int, int, float, float]]) -> list[tuple[int, int, float, float]]:
    """The first span grown over the word "plus" before it: "plus twee en dertig, ..." is all number."""
    if not spans:
        return spans
    start, end, score, boost = spans[0]
    head = _PLUS_WORD.search(analysis.text, max(0, start - 8), start)
    if head:
        spans = [(head.start(), end, score, boost), *spans[1:]]
    return spans


_PLUS_WORD = regex.compile(r"(?i:\bplus)[\s,]*$")


def foreign(digits: str) -> bool:
    """Digits after "plus" or "00" that make a possible number of another country ("+32 4 ...",
    "+599 9 ...", "+212 6 ..."; phonenumbers' length rules per country)."""
    if len(digits) < 8 or digits.startswith("31"):
        return False
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse("+" + digits, None))
    except phonenumbers.NumberParseException:
        return False


def _date_like(analysis: sn.Analysis, piece: sn.Piece) -> bool:
    """Two one- or two-digit groups with a hyphen or slash: "05-03", "08/27"."""
    tokens = analysis.tokens[piece.first : piece.last + 1]
    return (piece.count == 2 and all(t.kind == sn.DIGITS and len(t.text) <= 2 for t in tokens)
            and analysis.text[tokens[0].end : tokens[1].start].strip() in ("-", "/"))


def _other_cue_nearer(analysis: sn.Analysis, piece: sn.Piece) -> bool:
    """True when the nearest cue word before the piece names another type."""
    for word in reversed(analysis.words_before(piece.first, 8)):
        if _OTHER_CUES.search(word):
            return True
        if sn.PHONE_CUES.search(word):
            return False
    return False


def only_numbers(analysis: sn.Analysis) -> bool:
    """True for a turn that holds nothing but number words or digit groups (and hesitations)."""
    kinds = {t.kind for t in analysis.tokens}
    return bool(analysis.tokens) and kinds <= {sn.DIGITS, sn.NUMBER, sn.FILLER}


class SpokenPhoneRecognizer(sn.NumberRecognizer):
    ENTITY = "PHONE_NUMBER"
    NAME = "Dutch phone number (spoken or in pieces)"
    PREVIOUS_TURN_CUES = sn.PHONE_CUES

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        claimed: set[sn.Piece] = set()
        found = []
        for group in analysis.groups:
            plus = _plus_before(analysis, group[0])
            for a, b, digits in sn.runs(group):
                pieces = group[a : b + 1]
                if claimed.intersection(pieces):
                    continue
                if is_phone(national(digits, plus and a == 0)) or plus and a == 0 and foreign(digits):
                    claimed.update(pieces)
                    found += _with_plus(analysis, sn.spans(pieces, _FULL_SCORE)) if a == 0 else sn.spans(pieces, _FULL_SCORE)
        seen_phone = False
        fragment = only_numbers(analysis)
        for group in analysis.groups:
            for piece in group:
                if piece in claimed:
                    seen_phone = True
                    continue
                if (analysis.is_quantity(piece) or _date_like(analysis, piece) or analysis.glued(piece)
                        or analysis.in_compound(piece)):
                    continue
                several = piece.count >= 2 or len(piece.digits) >= 4
                if (starts_like_phone(piece.digits) and several and not _other_cue_nearer(analysis, piece)
                        or _plus_before(analysis, piece) and several):
                    found += _with_plus(analysis, sn.spans([piece], _PARTIAL_SCORE))
                    seen_phone = True
                elif not several or len(piece.digits) > 12 or analysis.labelled(piece):
                    continue
                elif seen_phone and piece.count >= 2:
                    found += sn.spans([piece], _CUED_SCORE)
                elif _other_cue_nearer(analysis, piece):
                    continue
                elif len(piece.digits) >= 4 and sn.cue_before(analysis, piece.first, sn.PHONE_CUES, 12):
                    found += sn.spans([piece], _CUED_SCORE)
                    seen_phone = True
                elif fragment:
                    found += sn.spans([piece], _FRAGMENT_SCORE, _BOOST)
                elif len(piece.digits) >= 3:
                    found += sn.spans([piece], 0.1, _BOOST)
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [SpokenPhoneRecognizer()]
