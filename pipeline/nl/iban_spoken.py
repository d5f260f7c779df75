"""Dutch IBANs dictated in words or in pieces: "NL achttien RABO nul een zeven twee, nul twee
twee nul, vijf drie", "NL52 BUNQ ... eh ... 2978 4485 37" (each piece is a span), and the end of
an account number after "eindigt op" ("die eindigt op 44 58"). Whole IBANs written in one go are
Presidio's IbanRecognizer.

"NL", two check digits and a four-letter bank code are an IBAN's opening wherever they stand; the
ten account digits are collected over the pieces that follow, across hesitations.
"""

from __future__ import annotations

from pathlib import Path

from collections.abc import Iterable

import regex
from presidio_analyzer import EntityRecognizer

from pipeline.nl import spoken_numbers as sn
from pipeline.nl.bsn import ending
from pipeline.recognizers import iban_mod97

_VALID_SCORE = 0.9
_OPENING_SCORE = 0.7
_ENDING_SCORE = 0.45
_BOOST = 0.3
_ACCOUNT_DIGITS = 10
_NL_CODE = regex.compile(r"NL(\d\d)?")
# Bank codes written in capitals or as a word ("Rabo"); any four capitals count as one.
_BANKS = frozenset({"ABNA", "RABO", "INGB", "SNSB", "ASNB", "TRIO", "BUNQ", "KNAB", "RBRB", "FVLB", "REVO",
                    "NTSB", "HAND", "BITS", "ISBK", "ADYB", "DEUT", "FRBK", "NNBA", "ZWLB", "LPLN", "INSI"})
_OTHER_ENDING_CUES = sn.cues(*sn.BSN_WORDS, *sn.CARD_WORDS, *sn.PHONE_WORDS, "postcode")


def _bank(token: sn.Token) -> bool:
    return len(token.text) == 4 and token.text.isalpha() and (token.kind == sn.CAPS or token.text.upper() in _BANKS)


def _openings(analysis: sn.Analysis) -> Iterable[tuple[int, int, str]]:
    """``(token index of NL, token index of the bank code, check digits)`` per IBAN opening."""
    tokens = analysis.tokens
    for i, token in enumerate(tokens):
        match = _NL_CODE.fullmatch(token.text)
        if not match:
            continue
        j, check = i + 1, match.group(1) or ""
        while len(check) < 2 and j < len(tokens) and tokens[j].kind in (sn.DIGITS, sn.NUMBER):
            check += tokens[j].digits
            j += 1
        while j < len(tokens) and tokens[j].kind == sn.FILLER:
            j += 1
        if len(check) == 2 and j < len(tokens) and _bank(tokens[j]):
            yield i, j, check


class SpokenIbanRecognizer(sn.NumberRecognizer):
    ENTITY = "IBAN"
    NAME = "Dutch IBAN (spoken or in pieces)"
    PREVIOUS_TURN_CUES = sn.IBAN_CUES

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        used: set[sn.Piece] = set()
        by_first = {piece.first: piece for piece in analysis.pieces}
        tokens = analysis.tokens
        for nl, bank, check in _openings(analysis):
            stretches = [[tokens[nl].start, tokens[bank].end]]
            account, index, words = "", bank + 1, 0
            previous = tokens[bank]
            while index < len(tokens) and len(account) < _ACCOUNT_DIGITS:
                token = tokens[index]
                piece = by_first.get(index)
                if piece is not None:
                    if sn.joined(analysis.text, previous, token):
                        stretches[-1][1] = piece.end
                    else:
                        stretches.append([piece.start, piece.end])
                    account += piece.digits
                    used.add(piece)
                    previous, index, words = tokens[piece.last], piece.last + 1, 0
                elif token.kind == sn.FILLER or token.folded in ("en", "dan", "nog", "wacht") and words < 3:
                    words += token.kind != sn.FILLER
                    index += 1
                else:
                    break
            whole = f"NL{check}{tokens[bank].text.upper()}{account}"
            score = _VALID_SCORE if len(account) == _ACCOUNT_DIGITS and iban_mod97(whole) else _OPENING_SCORE
            found += [(start, end, score, 0.0) for start, end in stretches]
        for piece in analysis.pieces:
            if piece in used or not ending(analysis, piece):
                continue
            if sn.cue_before(analysis, piece.first, sn.IBAN_CUES):
                found += sn.spans([piece], _ENDING_SCORE + _BOOST)
            elif not sn.cue_before(analysis, piece.first, _OTHER_ENDING_CUES):
                found += sn.spans([piece], _ENDING_SCORE, _BOOST)
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [SpokenIbanRecognizer()]
