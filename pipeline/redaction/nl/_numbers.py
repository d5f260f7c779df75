"""Dutch number words as a speech recogniser writes them: "nul", "zes", "drieëntachtig",
"negentienzesendertig", "honderdtwintig", "tweeduizendtwaalf". Shared by the spoken-form
recognizers of this package.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

UNITS = {
    "nul": 0, "een": 1, "één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5,
    "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
}
TEENS = {
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
}
TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90,
}
_UNIT_STEMS = {k: v for k, v in UNITS.items() if v > 0}


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """Lower case without diacritics: "drieën" → "drieen", "één" → "een"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SIMPLE = {_fold(name): number for table in (UNITS, TEENS, TENS) for name, number in table.items()}
_FOLDED_UNIT_STEMS = {_fold(name): number for name, number in _UNIT_STEMS.items()}

# Every number word is made of these parts; other words are rejected before parsing.
_MORPHEMES = re.compile(
    r"(?:nul|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien"
    r"|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd"
    r"|duizend|en)+"
)


@lru_cache(maxsize=4096)
def value(word: str) -> int | None:
    """The value of one Dutch number word, or ``None`` when it is not one.

    Covers 0–9999 written as one word, and years said as two pairs ("negentienzesendertig" =
    1936, "twintigtwaalf" = 2012); larger numbers ("tienduizend", "eenentwintigduizend") are read by
    text2num, which this parser matches or beats on the smaller ones (it leaves "nul", "één" and
    "negentienzesendertig" as words).
    """
    w = _fold(word.strip(".,;:!?…"))
    if not w or not w.isalpha() or not _MORPHEMES.fullmatch(w):
        return None
    number = _parse(w)
    if number is None and "duizend" in w:  # ten thousand and more: text2num reads those
        return _text2num(word.strip(".,;:!?…").casefold())
    return number


def _text2num(word: str) -> int | None:
    """text2num's reading of one Dutch number word ("tienduizend" → 10000), or ``None``."""
    from text_to_num import alpha2digit

    read = alpha2digit(word, "nl")
    return int(read) if read.isdigit() else None


@lru_cache(maxsize=8192)
def _parse(w: str) -> int | None:
    if not w:
        return None
    if w in _SIMPLE:
        return _SIMPLE[w]
    if "duizend" in w:
        head, _, tail = w.partition("duizend")
        thousands = 1 if head == "" else _parse(head)
        rest = 0 if tail == "" else _parse(tail)
        if thousands is None or rest is None or thousands > 9 or rest > 999:
            return None
        return thousands * 1000 + rest
    if "honderd" in w:
        head, _, tail = w.partition("honderd")
        hundreds = 1 if head == "" else _parse(head)
        rest = 0 if tail == "" else _parse(tail)
        if hundreds is None or rest is None or not 1 <= hundreds <= 99 or rest > 99:
            return None
        return hundreds * 100 + rest
    match = re.fullmatch(r"(\w+?)(?:en|ën)(twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)", w)
    if match:
        unit = _FOLDED_UNIT_STEMS.get(match.group(1))
        if unit is not None:
            return TENS[match.group(2)] + unit
    for split in range(3, len(w) - 2):  # years as two pairs: negentien|zesendertig
        first, second = _parse_pair(w[:split]), _parse_pair(w[split:])
        if first is not None and second is not None and 10 <= first <= 20:
            return first * 100 + second
    return None


@lru_cache(maxsize=8192)
def _parse_pair(w: str) -> int | None:
    if "honderd" in w or "duizend" in w:
        return None
    number = _parse(w)
    return number if number is not None and number < 100 else None


def digits(word: str) -> str | None:
    """Digits a number word stands for when dictating ("zes" → "6", "twaalf" → "12"), or ``None``."""
    number = value(word)
    return None if number is None else str(number)


MONTHS = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
_ORDINALS = {"eerste": 1, "derde": 3, "achtste": 8}


@lru_cache(maxsize=1024)
def ordinal(word: str) -> int | None:
    """The value of a Dutch ordinal ("eerste" → 1, "vijfentwintigste" → 25, "3e" → 3), or ``None``."""
    w = _fold(word.strip(".,;:!?…"))
    if w in _ORDINALS:
        return _ORDINALS[w]
    if re.fullmatch(r"\d{1,2}(?:e|ste|de)", w):
        return int(re.match(r"\d+", w).group())
    for suffix in ("ste", "de"):
        if w.endswith(suffix) and w.isalpha():
            number = value(w[: -len(suffix)])
            if number is not None and 1 <= number <= 31:
                return number
    return None


def month(word: str) -> int | None:
    """The month a Dutch month name or its abbreviation stands for ("maart" → 3, "sept" → 9), or ``None``."""
    w = _fold(word.strip(".,;:!?…"))
    return MONTHS.get(w, _MONTH_ABBREVIATIONS.get(w))


_MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "nov": 11, "dec": 12,
}
