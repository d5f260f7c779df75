"""The safety net for dictated numbers and codes: a dictated run of digits and letters that no
specific recognizer claims (a phone number, postcode, IBAN, BSN, card, plate, customer id or date
of birth would score higher and win the merge) is still redacted, as NUMBER, and flagged for
review (its score lies between the score threshold and the review threshold).

A run is a dictated stretch of the dictation reader (:mod:`callscribe.pipeline.redaction.nl.dictation`) with at least
five digits, or four digits in two or more dictated pieces ("negentien, nul vier"), or a spelled
letter prefix with four or more digits ("k l drie vier vijf zes"). It stays visible when it is a time,
a price, an amount, a duration, a percentage or a count (a unit after it, "om", "€" before it), an
error code, a norm or a model number (a label before it: "storingscode", "Calenta", "keurmerk
EN 14604", "artikelnummer"), a year ("sinds 2019",
"1964" on its own), a date ("14-03-2024", "14 maart") or a house number after a street.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer

from callscribe.pipeline.redaction.nl import dictation
from callscribe.pipeline.redaction.nl import spoken_numbers as sn
from callscribe.pipeline.redaction.nl._numbers import month
from callscribe.pipeline.redaction.nl.customer_id import word_prefix
from callscribe.pipeline.redaction.nl.phone_spoken import is_phone

SCORE = 0.38  # above the score threshold (0.35), below the review threshold (0.5) and any specific type
_MIN_DIGITS = 5
_MIN_DIGITS_DICTATED = 4
_MIN_DIGITS_AFTER_LETTERS = 4  # one letter and three digits is an error code ("E119")
# Words after which a number belongs to an address, not to a code.
_ADDRESS_WORDS = sn.cues(*sn.STREET_WORDS, "nummer", "huisnummer", "postbus", "nr")
# Words before a number that make it a product, a norm or an error code, not a person's.
_PRODUCT_WORDS = sn.cues(r"(?:artikel|model|type|product|onderdeel|versie|kvk|btw|fout|error|storings|serie)"
                         r"(?:nummer|nr|code|melding)?s?", "display", "keurmerk", "norm", "meterstand", "stand")
_REFRIGERANT = regex.compile(r"R\d{2,3}[A-C]?")  # "R410A", "R32": refrigerants of heat pumps
_NORMS = frozenset({"EN", "NEN", "ISO", "DIN", "IEC", "NTA", "CE"})
_PERCENT = regex.compile(r"\s*(?:%|procent)")
_DATE = regex.compile(r"\d{1,2}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{2,4})?")


def _quantity(analysis: sn.Analysis, first: int, last: int, digits: str, code: bool = False) -> bool:
    """A number with a unit after it or a time or currency word before it; a short one after a
    label or a street ("zone 12", "lift 3", "nummer 88"), where five digits or more, or a ``code``
    starting with letters, are a code ("lift 09334", "nummer 3120877", "nummer f o b 0338")."""
    tokens = analysis.tokens
    after = tokens[last + 1].folded if last + 1 < len(tokens) else ""
    if after in sn.UNITS or month(after) is not None or _PERCENT.match(analysis.text, tokens[last].end):
        return True
    before = analysis.words_before(first, 1)
    if before and (before[0] in sn.QUANTITY_BEFORE or month(before[0]) is not None or before[0] in sn.YEAR_BEFORE):
        return True
    if before and len(digits) < _MIN_DIGITS and not code and (before[0] in sn.LABELS or _ADDRESS_WORDS.search(before[0])):
        return True
    return "€" in analysis.text[max(0, tokens[first].start - 3) : tokens[first].start]


def _year(digits: str, count: int) -> bool:
    return len(digits) == 4 and digits[:2] in ("19", "20") and count <= 2


def _written_date(reading: dictation.Reading) -> bool:
    """Day and month (and year) in digit groups: "12 03", "12 03 2024"."""
    items = reading.items
    if not 2 <= len(items) <= 3 or any(item.spoken or not item.chars.isdigit() for item in items):
        return False
    day, month_number = int(items[0].chars), int(items[1].chars)
    if len(items[0].chars) > 2 or len(items[1].chars) > 2 or not (1 <= day <= 31 and 1 <= month_number <= 12):
        return False
    return len(items) == 2 or len(items[2].chars) in (2, 4)


def _code_shape(items, head: str = "") -> bool:
    """Letters, digits and letters again (or the reverse): "ab-123-c", "ab123c", "12 k l 34"; a model
    name or an error code has one group of each ("HR 28", "Calenta 25 DS", "E119")."""
    kinds = list(head) + [("D" if ch.isdigit() else "L") for item in items for ch in item.chars if ch.isalnum()]
    changes = sum(a != b for a, b in zip(kinds, kinds[1:]))
    return len(kinds) >= 3 and changes >= 2


def _years_or_counting(items) -> bool:
    """Years in a row ("2019-2020", "2019 en 2020") or counting ("een, twee, drie, vier")."""
    numbers = [item.chars for item in items if item.chars.isdigit()]
    if len(numbers) >= 2 and all(len(n) == 4 and n[:2] in ("19", "20") for n in numbers):
        return True
    values = [int(n) for n in numbers]
    spelled = any(item.chars.isalpha() for item in items)  # "p r vijf zes zeven acht": a code, not counting
    return not spelled and len(values) >= 3 and all(b == a + 1 for a, b in zip(values, values[1:]))


_END_AFTER = regex.compile(r"(?i)[ \t,]*(?:aan|op)[ \t]+het[ \t]+eind(?:e)?(?![ \t]+van)")
_END_BEFORE = regex.compile(r"(?i)(?:het[ \t]+eind(?:e)?[ \t]+is|eindigt[ \t]+op|eindigend[ \t]+op)[ \t,]*$")


def _ending(analysis: sn.Analysis, first: int, last: int) -> bool:
    """Digits said as the end of a number: "36 aan het eind", "het eind is negen een"."""
    tokens = analysis.tokens
    return bool(_END_AFTER.match(analysis.text, tokens[last].end)
                or _END_BEFORE.search(analysis.text, max(0, tokens[first].start - 30), tokens[first].start))


_CORRECTION_WORDS = frozenset({"nee", "sorry", "of", "bedoel", "wacht", "pardon"})
_CORRECTION_NEAR = 10  # tokens between the number and the group said again


def _corrected_group(analysis: sn.Analysis, reading: dictation.Reading, readings) -> bool:
    """A short group after a correction word, said in place of the last group of a longer number
    just before it: "... drie negen acht. Of was het... nee, drie acht negen", "... twee twee nul
    of twee twee zes"."""
    if not any(w in _CORRECTION_WORDS for w in analysis.words_before(reading.items[0].first, 4)):
        return False
    size = sum(ch.isdigit() for ch in reading.canonical)
    for other in readings:
        if other.end > reading.start or reading.items[0].first - other.items[-1].last > _CORRECTION_NEAR:
            continue
        digits = sum(ch.isdigit() for ch in other.canonical)
        last_part = other.parts()[-1]
        group = "".join(i.chars for i in other.items[last_part[0] : last_part[1] + 1])
        if digits >= 6 and (len(group) == size or len(other.items[-1].chars) == size or other.items[-1].spoken):
            return True
    return False


def _said_again(analysis: sn.Analysis, reading: dictation.Reading) -> list[tuple[int, int, float, float]]:
    """The same digits said again later in the turn: "36 aan het eind. Drie zes."."""
    found = []
    said = {"".join(i.chars for i in reading.items[a : b + 1]) for a, b in reading.parts()} | {reading.canonical}
    for other in dictation.read(analysis.text):
        if other.start > reading.end and other.canonical in said:
            found += [(a, b, SCORE, 0.0) for a, b in other.spans(0, len(other.items) - 1)]
    return found


class DictatedNumberRecognizer(sn.NumberRecognizer):
    ENTITY = "NUMBER"
    NAME = "Dictated number or code (review)"

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        readings = dictation.read(analysis.text)
        for reading in readings:
            items = reading.items
            if len(items) >= 2 and items[-1].link == dictation.JOINED and items[0].chars[:1].isalpha() \
                    and _quantity(analysis, items[-1].first, items[-1].last, items[-1].chars) and not items[-2].spoken:
                # "INV960411, honderdnegenentachtig euro": a written code, then an amount
                items = items[:-1]
                reading = dictation.Reading(reading.text, items)
            digits = "".join(ch for item in items for ch in item.chars if ch.isdigit())
            letters = "".join(ch for item in items for ch in item.chars if ch.isalpha())
            if not digits:
                continue
            if 2 <= len(digits) <= 4 and _corrected_group(analysis, reading, readings):
                # "drie negen acht. Of was het... nee, drie acht negen": a group of a longer number said again
                found += [(a, b, SCORE, 0.0) for a, b in reading.spans(0, len(items) - 1)]
                continue
            if _ending(analysis, items[0].first, items[-1].last) and 2 <= len(digits) <= 4:
                # "36 aan het eind", "het eind is negen een": the last digits of a number, corrected
                found += [(a, b, SCORE, 0.0) for a, b in reading.spans(0, len(items) - 1)]
                found += _said_again(analysis, reading)
                continue
            # a prefix word in lower case before the code: "ab 123 c", "tbi 868 9236"
            prefix = word_prefix(analysis, items[0].first, items[0].start) if items[0].chars[0].isdigit() else None
            if prefix is not None and (items[0].start - prefix > 4 or is_phone(digits) or not (
                    _code_shape(items, "L") and len(digits) >= 3 or len(digits) >= _MIN_DIGITS_DICTATED)):
                prefix = None  # an acronym of two or three letters, not before a phone number ("park 0341 ...")
            enough = (prefix is not None or len(digits) >= _MIN_DIGITS
                      or len(digits) >= _MIN_DIGITS_DICTATED and len(items) >= 2 and not _year(digits, len(items))
                      or letters and 1 <= len(letters) <= 4 and len(digits) >= _MIN_DIGITS_AFTER_LETTERS
                      and len(items) >= 2
                      or _code_shape(items) and len(digits) >= 3)
            if (not enough or _quantity(analysis, items[0].first, items[-1].last, digits, items[0].chars[:1].isalpha()) or letters in _NORMS
                    or _REFRIGERANT.fullmatch(reading.canonical)):
                continue
            if prefix is not None and analysis.text[prefix : items[0].start].strip().upper() in _NORMS:
                continue
            if _DATE.fullmatch(analysis.text, reading.start, reading.end) or _written_date(reading):
                continue
            if sn.cue_before(analysis, items[0].first, _PRODUCT_WORDS, 3) or _years_or_counting(items):
                continue
            if len(items) == 1 and prefix is None and (items[0].spoken or items[0].chars.endswith("000")):
                continue  # an amount: "vijftienduizend", "12000"
            spans = reading.spans(0, len(items) - 1)
            if prefix is not None:
                spans[0] = (prefix, spans[0][1])
            found += [(a, b, SCORE, 0.0) for a, b in spans]
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DictatedNumberRecognizer()]
