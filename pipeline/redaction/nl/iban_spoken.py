"""Dutch IBANs dictated in words or in pieces: "NL vierenvijftig RABO nul een vijf drie, acht twee
vier zes, negen nul", "NL87 BUNQ ... eh ... 2041 6377 18" (each piece is a span), and the end of
an account number after "eindigt op" ("die eindigt op 71 36"). Whole IBANs written in one go are
Presidio's IbanRecognizer.

"NL", two check digits and a four-letter bank code are an IBAN's opening wherever they stand, in
any case and however dictated (:mod:`callscribe.pipeline.redaction.nl.dictation`: "nl17 rabo", "n l achttien r a b o",
"NL zevenendertig abn amro"); the ten account digits are collected over the items that follow,
across hesitations and "en dan". A bank code spelled on its own ("K N A B") is part of an IBAN too.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer
from stdnum import iban as stdnum_iban

from callscribe.pipeline.redaction.nl import dictation
from callscribe.pipeline.redaction.nl import spoken_numbers as sn
from callscribe.pipeline.redaction.nl.bsn import ending

_VALID_SCORE = 0.9
_OPENING_SCORE = 0.8  # above a phone number read from the account digits
_ENDING_SCORE = 0.45
_BANK_SCORE = 0.9  # above a spelled name: letters spelled after "bankcode" are a bank's
_BOOST = 0.3
_ACCOUNT_DIGITS = 10
_OPENING = regex.compile(r"NL(\d\d?)([A-Z]{4})")
_COUNTRY_AND_CHECK = regex.compile(r"NL\d\d(?:[A-Z]{4}\d{0,9})?")
_BANK_CUES = sn.cues(*sn.IBAN_WORDS, r"bank\w*")
_OTHER_ENDING_CUES = sn.cues(*sn.BSN_WORDS, *sn.CARD_WORDS, *sn.PHONE_WORDS, "postcode")


def _iban(reading: dictation.Reading) -> Iterable[tuple[int, int, bool]]:
    """``(first item, last item, valid)`` per IBAN in a reading: "NL", the check digits, a bank code
    and up to ten account digits, the opening starting on an item."""
    starts, position = {}, 0
    for index, item in enumerate(reading.items):
        starts[position] = index
        position += len(item.chars)
    canonical = reading.canonical
    for match in _OPENING.finditer(canonical):
        if match.start() not in starts:
            continue
        first = starts[match.start()]
        position, index = match.start(), first
        while index < len(reading.items) and position < match.end():
            position += len(reading.items[index].chars)
            index += 1
        account = canonical[match.end() : position]
        last = index - 1
        part = ""  # the account digits since the last connecting word or repair
        while index < len(reading.items) and len(account) < _ACCOUNT_DIGITS:
            item = reading.items[index]
            if item.link == dictation.REPAIRED:  # "0417 nee wacht 0418": the correction replaces the part
                account, part = account[: len(account) - len(part)], ""
            elif item.link == dictation.CONNECTED:
                part = ""
            if not item.chars.isdigit() or len(account) + len(item.chars) > _ACCOUNT_DIGITS:
                break
            account += item.chars
            part += item.chars
            last, index = index, index + 1
        whole = "NL" + match.group(1).zfill(2) + match.group(2) + account  # "N L acht" is NL08
        yield first, last, len(account) == _ACCOUNT_DIGITS and stdnum_iban.is_valid(whole)


def _spelled_bank(reading: dictation.Reading) -> bool:
    """A bank code spelled on its own: "K N A B", "R van Rudolf, A, B, O"."""
    return (len(reading.items) == 4 and all(item.spoken and item.chars.isalpha() for item in reading.items)
            and reading.canonical in dictation.bank_codes())


class SpokenIbanRecognizer(sn.NumberRecognizer):
    ENTITY = "IBAN"
    NAME = "Dutch IBAN (spoken or in pieces)"
    PREVIOUS_TURN_CUES = sn.IBAN_CUES

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        used: set[int] = set()  # token indices
        for reading in dictation.across_full_stops(dictation.read(analysis.text)):
            for first, last, valid in _iban(reading):
                score = _VALID_SCORE if valid else _OPENING_SCORE
                found += [(a, b, score, 0.0) for a, b in reading.spans(first, last)]
                used.update(range(reading.items[first].first, reading.items[last].last + 1))
            for first, last, chars in reading.runs():
                if not any(i in used for i in range(reading.items[first].first, reading.items[last].last + 1)) \
                        and _COUNTRY_AND_CHECK.fullmatch(chars):
                    # "NL vijfenveertig" (and the bank): an IBAN begun and broken off, the rest in another turn
                    found += [(a, b, _OPENING_SCORE, 0.0) for a, b in reading.spans(first, last)]
                    used.update(range(reading.items[first].first, reading.items[last].last + 1))
            if _spelled_bank(reading):
                cued = sn.cue_before(analysis, reading.items[0].first, _BANK_CUES)
                found.append((reading.start, reading.end, _BANK_SCORE if cued else 0.3, _BOOST))
        for piece in analysis.pieces:
            if piece.first in used or not ending(analysis, piece):
                continue
            if sn.cue_before(analysis, piece.first, sn.IBAN_CUES):
                found += sn.spans([piece], _ENDING_SCORE + _BOOST)
            elif not sn.cue_before(analysis, piece.first, _OTHER_ENDING_CUES):
                found += sn.spans([piece], _ENDING_SCORE, _BOOST)
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [SpokenIbanRecognizer()]
