"""Customer, contract, ticket, invoice, work-order and serial numbers dictated in digits or words
("20 71 946", "5 8 1 4 6 0 3", "vier vier zeven één nul twee") or spelled with a letter prefix
("T vier acht twee één zes", "r k drie acht nul zes twee", "K van Karel, vier vier ...") or
with a lower-case prefix word that is no Dutch word ("tbi 868 9236"). Written codes with a letter prefix
("CT-518204", "F2023-048816") are rules in ``redaction_rules/customer_id_nl.yaml``.

A number is an identifier after a cue word ("klantnummer", "meldnummer", "factuur", "werkbon" …)
earlier in the turn or in the previous turn; a spelled letter prefix with four or more digits,
or seven or more digits that are no phone number, date or amount, are identifiers on their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer
from spacy.lang.nl.stop_words import STOP_WORDS
from stdnum.nl import bsn as stdnum_bsn

from callscribe.pipeline.redaction.nl import dictation
from callscribe.pipeline.redaction.nl import spoken_numbers as sn
from callscribe.pipeline.redaction.nl.phone_spoken import is_phone, starts_like_phone

_CUED_SCORE = 0.6
_WORD_CUED_SCORE = 0.5
_ALPHABET_SCORE = 0.9  # a cued code in the spelling alphabet: above a spelled name
_SPELLED_SCORE = 0.5
_LONG_SCORE = 0.4
_BOOST = 0.45
_NEAR = 8  # words before a number in which a cue counts
_MIN_DIGITS_CUED = 4
_MIN_DIGITS_PREVIOUS_TURN = 5
_MIN_DIGITS_ALONE = 7
_WRITTEN_DATE = regex.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})")  # "12-05-2024": a date, no identifier


def _prefix(analysis: sn.Analysis, piece: sn.Piece) -> tuple[int | None, bool]:
    """Start offset of the letters directly before a piece ("L P vijf ...", "WB 417305"), or None,
    and whether they are spelled one by one."""
    index = piece.first - 1
    start = None
    letters = 0
    spelled = True
    while index >= 0 and letters < 4:
        token = analysis.tokens[index]
        if token.kind == sn.CODE and not letters and len(token.text) <= 4 and token.text[:1].isalpha() \
                and sn.joined(analysis.text, token, analysis.tokens[index + 1]):
            return token.start, False  # a code's head with a digit: "R4 31 0586 27"
        if token.kind not in (sn.LETTER, sn.CAPS) or not sn.joined(analysis.text, token, analysis.tokens[index + 1]):
            break
        if token.text == "NL" or token.kind == sn.CAPS and len(token.text) > 3:
            break
        letters += len(token.text)
        spelled = spelled and token.kind == sn.LETTER
        start = token.start
        index -= 1
    return start, spelled


def _word_prefix(analysis: sn.Analysis, piece: sn.Piece) -> int | None:
    """Start offset of a short word that is no Dutch word right before a piece ("tbi 868 9236",
    "inc 41826": a prefix written in lower case), or None."""
    return word_prefix(analysis, piece.first, piece.start)


def word_prefix(analysis: sn.Analysis, first: int, start: int) -> int | None:
    """Start offset of a short word that is no Dutch word right before the token ``first`` that
    starts at ``start`` ("tbi 868 9236", "inc 41826": a code's prefix in lower case), or None."""
    index = first - 1
    if index < 0:
        return None
    token = analysis.tokens[index]
    folded = token.folded
    if (token.kind != sn.WORD or not 2 <= len(folded) <= 4 or not folded.isascii() or not folded.isalpha()
            or folded in STOP_WORDS or folded in _NOT_PREFIXES or _ANY_CUE.search(folded) and folded not in _CODE_CUES
            or analysis.text[token.end : start] not in (" ", "-")):
        return None
    return token.start


_NOT_PREFIXES = frozenset({
    "top", "nee", "oké", "oke", "ok", "goed", "klopt", "yes", "nou", "tja", "hoor", "bon", "code", "pas", "tag", "nr",
    "no", "dag", "jaar", "uur", "keer", "week", "euro", "cent", "stap", "zone", "lift", "type", "plek", "huis", "hoog",
    "laag", "bus", "box", "blok", "trap", "hal", "fase", "bij", "tot", "via", "per", "dit", "dat", "wie", "wat",
    "welk", "hier", "daar", "ook", "nog", "dus", "maar", "want", "juist", "prima", "fijn", "mooi", "thuis", "mee",
    "weer", "eens", "even", "toch", "heel", "erg", "veel", "paar", "alle", "elke", "sinds", "rond", "bon", "straat",
})
# Cue words that are also the letters of the code after them: "avg 2023 2264" (an AVG request).
_CODE_CUES = frozenset({"avg"})
_ANY_CUE = sn.cues(*sn.ID_WORDS, *sn.PHONE_WORDS, *sn.BSN_WORDS, *sn.IBAN_WORDS, *sn.CARD_WORDS, *sn.BIRTH_WORDS,
                   "postcode", "huisnummer", "kenteken")
# Words near a code written with a prefix that make it one (the context words of customer_id_nl.yaml).
_CODE_WORDS = sn.cues(r"\w*(?:nummer|nr)", "klant", "contract", "dossier", "factuur", "referentie", "werkbon", "werkorder",
                      "melding", "ticket", "order", "klacht", "verzoek", "serie", "tag", "pasje", "sticker", "bon",
                      "object", "installatie", "incident", "kenmerk", "code")
_PRODUCT_CUES = sn.cues(r"(?:artikel|model|type|product|onderdeel|versie|kvk|btw)(?:nummer|nr|code)?s?",
                        "keurmerk", "meterstand")
_SPELLED_ID = regex.compile(r"(?P<letters>[A-Z]{0,4})-?(?P<digits>\d[\d-]{3,}\d)")


def _with_suffix(analysis: sn.Analysis, span: tuple[int, int, float, float]) -> tuple[int, int, float, float]:
    """The span grown over one or two letters that close the code: "ab 123456 c", "123456 ab"."""
    start, end, score, boost = span
    suffix = _SUFFIX.match(analysis.text, end)
    if suffix:
        token = next((t for t in analysis.tokens if t.start == suffix.start("letters")), None)
        if token is not None and (token.kind in (sn.LETTER, sn.CAPS) or token.kind == sn.WORD
                                  and token.folded not in STOP_WORDS and token.folded not in _NOT_PREFIXES):
            return start, suffix.end(), score, boost
    return span


_SUFFIX = regex.compile(r"[ \t-](?P<letters>[A-Za-z]{1,2})(?![\w-])")


def _other_shape(digits: str) -> bool:
    return is_phone(digits) or len(digits) == 9 and stdnum_bsn.is_valid(digits)


class CustomerIdRecognizer(sn.NumberRecognizer):
    ENTITY = "CUSTOMER_ID"
    NAME = "Customer, contract or ticket number (spoken or in digits)"
    PREVIOUS_TURN_CUES = sn.ID_CUES

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        for reading in dictation.read(analysis.text):  # "D van Dirk, R van Rudolf, vier vier ..."
            match = _SPELLED_ID.fullmatch(reading.canonical)
            if not match or match.group("letters") == "NL" or not (
                    any(item.spoken for item in reading.items if item.chars.isalpha())
                    or "-" in match.group("digits") and sn.cue_before(analysis, reading.items[0].first, sn.ID_CUES, _NEAR)
                    or match.group("letters") and len(match.group("digits")) >= _MIN_DIGITS_PREVIOUS_TURN
                    and sn.cue_before(analysis, reading.items[0].first, _CODE_WORDS, _NEAR)):
                continue  # "nummer VM-31-20877", "melding SCH 2024 0517": a written code after a cue
            if sn.cue_before(analysis, reading.items[0].first, sn.ID_CUES, _NEAR):
                alphabet = any(item.last > item.first for item in reading.items)
                score, boost = (_ALPHABET_SCORE if alphabet else _CUED_SCORE), 0.0
            else:
                score, boost = _SPELLED_SCORE, 0.1
            found += [(a, b, score, boost) for a, b in reading.spans(0, len(reading.items) - 1)]
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
            word_start = _word_prefix(analysis, first)
            cued = word_start is not None and sn.cue_before(analysis, first.first, sn.ID_CUES, _NEAR)
            if word_start is not None and len(digits) >= (_MIN_DIGITS_CUED if cued else _MIN_DIGITS_PREVIOUS_TURN) \
                    and not _other_shape(digits):
                if cued:
                    found.append((word_start, first.end, _CUED_SCORE, 0.0))
                elif sn.cue_before(analysis, first.first, _CODE_WORDS, _NEAR) and len(digits) >= _MIN_DIGITS_PREVIOUS_TURN:
                    found.append((word_start, first.end, _WORD_CUED_SCORE, 0.0))  # "het nummer is ord 551238"
                else:
                    found.append((word_start, first.end, _LONG_SCORE if len(digits) >= _MIN_DIGITS_ALONE else 0.1, _BOOST))
            if all(len(p.digits) == 4 and p.digits[:2] in ("19", "20") for p in group) or sn.cue_before(
                    analysis, first.first, _PRODUCT_CUES, 3):
                continue  # "in 2019 en 2020", "artikelnummer 7716010231"
            if _other_shape(digits) or _WRITTEN_DATE.fullmatch(analysis.text, first.start, group[-1].end) or len(group) == 1 and (
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
        return [_with_suffix(analysis, span) for span in found]


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [CustomerIdRecognizer()]
