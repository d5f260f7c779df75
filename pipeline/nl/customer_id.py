"""Customer, contract, ticket, invoice, work-order and serial numbers dictated in digits or words
("10 55 382", "7 3 0 2 9 1 8", "vier vier zeven één nul twee") or spelled with a letter prefix
("M zeven zeven drie één nul", "L P vijf vijf nul negen een"). Written codes with a letter prefix
("CT-400918", "F2024-021577") are rules in ``redaction_rules/customer_id_nl.yaml``.

A number is an identifier after a cue word ("klantnummer", "meldnummer", "factuur", "werkbon" …)
earlier in the turn or in the previous turn; a spelled letter prefix with four or more digits,
or seven or more digits that are no phone number, date or amount, are identifiers on their own.
"""

from __future__ import annotations

from pathlib import Path

from collections.abc import Iterable

from presidio_analyzer import EntityRecognizer

from pipeline.nl import spoken_numbers as sn
from pipeline.nl.phone_spoken import is_phone, starts_like_phone
from pipeline.recognizers import elf_proef

_CUED_SCORE = 0.6
_SPELLED_SCORE = 0.5
_LONG_SCORE = 0.4
_BOOST = 0.45
_NEAR = 8  # words before a number in which a cue counts
_MIN_DIGITS_CUED = 4
_MIN_DIGITS_PREVIOUS_TURN = 5
_MIN_DIGITS_ALONE = 7


def _prefix(analysis: sn.Analysis, piece: sn.Piece) -> tuple[int | None, bool]:
    """Start offset of the letters directly before a piece ("L P vijf ...", "WB 883214"), or None,
    and whether they are spelled one by one."""
    index = piece.first - 1
    start = None
    letters = 0
    spelled = True
    while index >= 0 and letters < 4:
        token = analysis.tokens[index]
        if token.kind not in (sn.LETTER, sn.CAPS) or not sn.joined(analysis.text, token, analysis.tokens[index + 1]):
            break
        if token.text == "NL" or token.kind == sn.CAPS and len(token.text) > 3:
            break
        letters += len(token.text)
        spelled = spelled and token.kind == sn.LETTER
        start = token.start
        index -= 1
    return start, spelled


def _other_shape(digits: str) -> bool:
    return is_phone(digits) or len(digits) == 9 and elf_proef(digits)


class CustomerIdRecognizer(sn.NumberRecognizer):
    ENTITY = "CUSTOMER_ID"
    NAME = "Customer, contract or ticket number (spoken or in digits)"
    PREVIOUS_TURN_CUES = sn.ID_CUES

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        for group in analysis.groups:
            digits = "".join(p.digits for p in group)
            first = group[0]
            start, spelled = _prefix(analysis, first)
            if start is not None and len(first.digits) >= _MIN_DIGITS_CUED:
                if sn.cue_before(analysis, first.first, sn.ID_CUES, _NEAR):
                    score, boost = _CUED_SCORE, 0.0
                else:  # single spelled letters are an identifier's; "EN 14604" needs a cue
                    score, boost = (_SPELLED_SCORE, 0.1) if spelled else (0.1, _BOOST)
                found.append((start, first.end, score, boost))
                found += sn.spans(group[1:], score, boost)
                continue
            if _other_shape(digits) or len(group) == 1 and (
                    analysis.is_quantity(first) or analysis.is_year(first) or analysis.labelled(first)
                    or analysis.in_compound(first)):
                continue
            if len(digits) >= _MIN_DIGITS_CUED and sn.cue_before(analysis, first.first, sn.ID_CUES, _NEAR):
                found += sn.spans(group, _CUED_SCORE)
            elif starts_like_phone(first.digits) and first.count >= 2:
                continue  # the start of a phone number
            elif len(digits) >= _MIN_DIGITS_ALONE:
                found += sn.spans(group, _LONG_SCORE, _BOOST)
            elif len(digits) >= _MIN_DIGITS_PREVIOUS_TURN:
                found += sn.spans(group, 0.1, _BOOST)
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [CustomerIdRecognizer()]
