"""Dutch postcodes dictated or spelled, in any case: "twee zeven acht nul, D V", "zes twee een drie
l s", "tweeënzestig dertien LS", "5 9 7 7 g l", "zeventig, elf, J van Jan, M van Maria",
"twaalf nul acht, R T"; four digits alone right after "postcode". Postcodes written as "6213 LS" or
"6213ls" are also rules in ``redaction_rules/postcode_nl.yaml``.

A part of a dictated stretch (:mod:`callscribe.pipeline.redaction.nl.dictation`) that reads as four digits (the first
not 0) and two letters is a postcode; so are four digits followed by a two-letter word that is
no common Dutch word ("6824 ep").
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer
from spacy.lang.nl.stop_words import STOP_WORDS

from callscribe.pipeline.redaction.lexicon import load_word_list
from callscribe.pipeline.redaction.nl import dictation
from callscribe.pipeline.redaction.nl import spoken_numbers as sn

_SCORE = 0.65
_SPELLED_SCORE = 0.9  # letters in the spelling alphabet: above a spelled name
_LOWER_SCORE = 0.3
_CUED_SCORE = 0.55
_BOOST = 0.35
_CUES = sn.cues("postcode", "postcodes", "adres", "woonadres", "postbus", "antwoordnummer")
_STREET = sn.cues(*sn.STREET_WORDS)
_STREET_NEAR = 3  # "Hollywoodlaan 109 1323 EN": the street and its house number right before the digits
_LIVING = sn.cues("woon", "woont", "wonen", "verhuisd", "woonplaats")  # weaker: only for letters after the digits
_NEAR = 10  # words before the digits in which a cue counts
_POSTCODE = regex.compile(r"[1-9]\d{3}[A-Z]{2}")
# Two letters after the digits: "B R", "B, R", "BR", "b r".
_LETTERS = regex.compile(r"[\s,.\-]*(?P<a>[A-Za-z])(?:[\s,.\-]+|(?=[A-Za-z]))(?P<b>[A-Za-z])(?![\w])")
# Two-letter words and units that follow a number without being a postcode's letters.
COMMON_PAIRS = frozenset({
    "al", "af", "da", "de", "do", "en", "er", "ex", "ga", "ha", "he", "ik", "in", "is", "ja", "je", "jo", "ka", "la",
    "ma", "me", "mi", "na", "nu", "oh", "ok", "om", "op", "pa", "te", "to", "uw", "we", "ze", "zo", "eh", "uh",
    "hm", "ah", "oe", "au", "ei", "of", "kg", "km", "ml", "cl", "cc", "kw", "mm", "cm", "gr", "mb", "gb", "pk", "ct",
    "st", "pm", "am", "tv", "pc", "cv", "wc", "nr", "nl", "bv", "vs", "sv", "mr", "dr", "ir", "hr", "id",
})


# Words that join a sentence after a number far more often than they are a postcode's letters.
_GLUE = frozenset({"en", "of", "is"})
_FULL_STOP = regex.compile(r"[.!?]")
_NEXT_WORD = regex.compile(r"[ \t,]+(\p{L}[\p{L}'-]{2,})")
_SAME_WORD_AGAIN = regex.compile(r"[ \t,]+\p{L}{2}(?!\p{L})")


def _letters_only(reading: dictation.Reading) -> bool:
    """Spelled letters only, one to three items per part, and a repair between parts."""
    parts = reading.parts()
    return (len(parts) >= 2 and any(item.link == dictation.REPAIRED for item in reading.items)
            and all(item.chars.isalpha() and len(item.chars) <= 2 for item in reading.items)
            and all(1 <= b - a + 1 <= 3 for a, b in parts))


def _corrected_letters(reading: dictation.Reading, last: int) -> int:
    """The last item of a postcode with the corrections of its letters after it: "5137 K D, nee,
    niet D. K, P van Pieter", "1234 AB sorry AC"."""
    parts = reading.parts()
    following = [p for p in parts if p[0] > last]
    if not following or reading.items[following[0][0]].link != dictation.REPAIRED:
        return last
    for a, b in following[:2]:
        chars = "".join(item.chars for item in reading.items[a : b + 1])
        if not (chars.isalpha() and len(chars) <= 3):  # "niet k d l": the wrong letter said again
            break
        last = b
    return last


_NEVER_LETTERS = frozenset({"eh", "uh", "hm", "ah", "oh", "ja", "jo", "ok", "nu", "zo", "au"})  # when letters follow
_OPENERS = frozenset({"nee", "ja", "nou", "oké", "ok", "klopt", "dat"})
_LATER = 10  # tokens after a postcode's digits in which its letters may follow


def _inside(reading: dictation.Reading) -> list[tuple[int, int, str]]:
    """Four digits and two letters inside a longer reading, on item boundaries, not cutting a
    longer number or a spelled word: "9714 c c" in "9714 c c twee keer c"."""
    items = reading.items
    return [(first, last, chars) for first, last, chars in reading.windows(6)
            if not (first and items[first - 1].chars[-1:].isdigit())
            and not (last + 1 < len(items) and items[last + 1].chars[:1].isalpha())]


def _without_and(reading: dictation.Reading) -> list[tuple[int, int, str]]:
    """The reading with "en" between two letters taken as "and", not as the letter N: "5911, G en
    L" is 5911 GL (the span still covers the "en")."""
    items = reading.items
    found = []
    for index in range(1, len(items) - 1):
        if reading.text[items[index].start : items[index].end].casefold() == "en" and items[index - 1].chars.isalpha() \
                and items[index + 1].chars.isalpha():
            chars = "".join(i.chars for k, i in enumerate(items) if k != index)
            if _POSTCODE.fullmatch(chars.replace("-", "")):
                found.append((0, len(items) - 1, chars))
    return found


def _letter_pair(reading: dictation.Reading) -> bool:
    """Two letters and nothing else: "B C", "ge er"."""
    return len(reading.canonical) == 2 and reading.canonical.isalpha() and len(reading.parts()) == 1


def _later_letters(analysis: sn.Analysis, piece: sn.Piece, skip: int = 0) -> list[tuple[int, int, float, float]]:
    """The letters of a postcode said a few words after its digits: "5571, eh... ze zegt A T",
    "1234, en dan d b, nee, d p". ``skip``: tokens right after the digits that are not looked at
    (the "eh" after them)."""
    for reading in dictation.read(analysis.text):
        first = reading.items[0].first
        if first <= piece.last + skip:
            continue
        if first - piece.last > _LATER:
            break
        if reading.canonical.isalpha() and len(reading.canonical) <= 6 and all(
                b - a <= 1 and sum(len(i.chars) for i in reading.items[a : b + 1]) <= 2 for a, b in reading.parts()):
            return [(a, b, _CUED_SCORE, 0.0) for a, b in reading.spans(0, len(reading.items) - 1)]
        break
    return []


def _pieces(analysis: sn.Analysis) -> Iterable[sn.Piece]:
    """The number pieces of a turn, and the last four digits of a longer piece when letters
    follow them: "postbus 310 3900 ah" reads as one piece "310 3900"."""
    for piece in analysis.pieces:
        yield piece
        token = analysis.tokens[piece.last]
        if piece.count > 1 and token.kind == sn.DIGITS and len(token.digits) == 4 and _LETTERS.match(analysis.text, token.end):
            yield sn.Piece(piece.last, piece.last, token.start, token.end, token.digits, 1, False)


class SpokenPostcodeRecognizer(sn.NumberRecognizer):
    ENTITY = "POSTCODE"
    NAME = "Dutch postcode (spoken or spelled)"
    PREVIOUS_TURN_CUES = _CUES

    def __init__(self, places: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self._places = places  # "7323 ah Apeldoorn": a place after the letters makes them a postcode's

    def _place_after(self, text: str, end: int) -> bool:
        word = _NEXT_WORD.match(text, end)
        return bool(word) and word.group(1).casefold() in self._places

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        covered: set[int] = set()  # token indices
        said_letters: set[str] = set()  # the letters of the postcodes read in this turn
        for reading in dictation.across_full_stops(dictation.read(analysis.text)):
            claimed: set[int] = set()
            for first, last, chars in [*reading.runs(), *_inside(reading), *_without_and(reading)]:
                chars = chars.replace("-", "").replace("IJ", "Y")  # "ij zet": the letters Y Z
                if claimed.intersection(range(first, last + 1)) or not _POSTCODE.fullmatch(chars):
                    continue
                said_letters.add(chars[4:])
                corrected = _corrected_letters(reading, last)
                said_letters.update("".join(i.chars for i in reading.items[a : b + 1])
                                    for a, b in reading.parts() if last < a <= corrected)
                last = corrected
                claimed.update(range(first, last + 1))
                covered.update(range(reading.items[first].first, reading.items[last].last + 1))
                spelled = any(item.last > item.first for item in reading.items[first : last + 1])
                score = _SPELLED_SCORE if spelled else _SCORE
                found += [(a, b, score, 0.0) for a, b in reading.spans(first, last)]
        for reading in dictation.read(analysis.text):  # "... en dan B... B L? Ja, B L.": the letters said again
            for a, b in reading.parts():  # "is het BE of BF?"
                if "".join(i.chars for i in reading.items[a : b + 1]) in said_letters and reading.items[a].first not in covered:
                    found += [(x, y, _CUED_SCORE, 0.0) for x, y in reading.spans(a, b)]
        opening = next((i for i, t in enumerate(analysis.tokens) if t.kind != sn.FILLER and t.folded not in _OPENERS), -1)
        for reading in dictation.read(analysis.text):
            if reading.items[0].first == opening and (_letters_only(reading) or _letter_pair(reading)):
                # "Z T, nee, Z G", "B C, ja, klopt": the letters (corrected) in the answer to the agent's read-back
                found += [(a, b, 0.1, _BOOST) for a, b in reading.spans(0, len(reading.items) - 1)]
                for later in dictation.read(analysis.text):  # "E G. E like Echo, G like Golf."
                    if later.start > reading.end and later.canonical == reading.canonical:
                        found += [(a, b, 0.1, _BOOST) for a, b in later.spans(0, len(later.items) - 1)]
        for piece in _pieces(analysis):
            if len(piece.digits) != 4 or piece.digits[0] == "0" or piece.first in covered:
                continue
            cued = sn.cue_before(analysis, piece.first, _CUES, _NEAR) or sn.cue_before(
                analysis, piece.first, _STREET, _STREET_NEAR) and not (analysis.is_year(piece) or analysis.is_quantity(piece))
            letters = _LETTERS.match(analysis.text, piece.end)
            if letters:
                pair = letters.group("a") + letters.group("b")
                cued = cued or pair.casefold() not in _GLUE and self._place_after(analysis.text, letters.end()) or sn.cue_before(
                    analysis, piece.first, _LIVING, _NEAR) and not (analysis.is_year(piece) or analysis.is_quantity(piece))
                adjacent = letters.end("a") == letters.start("b")
                if not pair.isupper() and _FULL_STOP.search(analysis.text, piece.end, letters.start("a")):
                    letters = None  # "7311. De letters ...": a new sentence, not the letters
                elif adjacent and pair.casefold() in _NEVER_LETTERS and (
                        "," in analysis.text[piece.end : letters.start("a")] or _later_letters(analysis, piece, skip=1)):
                    letters = None  # "5571, eh... ze zegt A T", "6041, ja, C X": a hesitation or an answer
            if letters:
                doubled = adjacent and _SAME_WORD_AGAIN.match(analysis.text, letters.end()) and \
                    analysis.text[letters.end():].lstrip(" \t,").casefold().startswith(pair.casefold())
                if pair.isupper() or adjacent and (pair.casefold() not in COMMON_PAIRS or cued and doubled):
                    # "1323 en en uw mail": the letters, then the glue word
                    found.append((piece.start, letters.end(), _SCORE, 0.0))
                elif adjacent and cued and pair.casefold() in _GLUE:  # "postcode 1234 en ...": the digits only
                    found += sn.spans([piece], _CUED_SCORE)
                else:
                    score = _LOWER_SCORE + (_BOOST if cued else 0.0)
                    found.append((piece.start, letters.end(), score, 0.0 if cued else _BOOST))
            elif piece.count <= 2 and self._place_after(analysis.text, piece.end) and not (
                    analysis.is_year(piece) or analysis.is_quantity(piece)):
                found += sn.spans([piece], _CUED_SCORE)  # "1050 Elsene", "2000 Antwerpen"
            elif cued and piece.count <= 4:
                found += sn.spans([piece], _CUED_SCORE)  # "postcode 1234", the letters said later
                found += _later_letters(analysis, piece)
            elif piece.count <= 4 and not analysis.is_quantity(piece) and not analysis.labelled(piece):
                found += sn.spans([piece], 0.1, _BOOST + 0.1)  # the answer to "en uw postcode?"
                found += [(a, b, 0.1, _BOOST + 0.1) for a, b, _, _ in _later_letters(analysis, piece)]
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    # places that are no ordinary word ("apeldoorn", not "best" or "meer")
    places = load_word_list(rules_dir / "places_nl.txt") - load_word_list(rules_dir / "places_ambiguous_nl.txt")
    return [SpokenPostcodeRecognizer(frozenset(places - STOP_WORDS))]
