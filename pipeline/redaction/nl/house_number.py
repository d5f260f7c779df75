"""A house number said apart from its street, in any case: "ik woon op nummer vierenvijftig", "hij
woont ernaast, op drieëndertig", "mevrouw Roos op 226 drie hoog", "dat is zeventien a", "Drie bis,
ja.", a corrected number ("statenweg drieënnegentig, eh nee, negenendertig") and the answer to the
agent's "En het huisnummer?".

A number is a house number when it carries an addition (a letter a–h, "bis", "huis", "hoog", a
colour, "boven"/"beneden"), or when "nummer", "op" or a repair stands right before it, with an
address word nearby in the turn (wonen, adres, a street, the neighbours) or in the agent's question
(the Presidio context). Times, amounts, years, floors of a building and postcodes stay visible.
A number right after its street is :mod:`callscribe.pipeline.redaction.nl.address`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer

from callscribe.pipeline.redaction.nl import spoken_numbers as sn

_SCORE = 0.6
_BOOST = 0.45
_NEAR = 12  # words before a number in which an address word counts
_MAX_VALUE = 9999
_AFTER = 4  # words after a number in which an address word counts ("301 A, de bovenwoning")
_ADDRESS_WORDS = sn.cues(r"woon\w*", r"woont", r"adres\w*", "huisnummer", "ernaast", "hiernaast", "buren", "buurman",
                         "buurvrouw", r"\w*woning", "portiek", "flat", r"\w+(?:straat|laan|weg|plein|gracht|kade|singel|dijk"
                         r"|dreef|hof|pad|steeg|park|plantsoen|markt|ring|baan|wal|veld|brink|str)")
_PREVIOUS_TURN = sn.cues("huisnummer", r"adres\w*", "nummer", r"woon\w*", "woont")
_BEFORE = frozenset({"nummer", "nr", "op", "huisnummer"})
_REPAIR = frozenset({"nee", "sorry", "bedoel"})
_ADDITION_WORDS = frozenset({"bis", "huis", "boven", "beneden", "zwart", "rood", "wit", "groen", "blauw",
                             "geel", "bovenwoning", "benedenwoning"})
_FLOOR_WORDS = frozenset({"hoog"})
_LETTERS = frozenset("abcdefgh")
_LETTER_GAP = regex.compile(r"[ \t-]*|[ \t]*(?:\.\.\.|…)[ \t]*")
_PAUSE = regex.compile(r"[.,;:!?…]")
_NUMBER_WORD_BEFORE = regex.compile(r"(?i)(?<![\p{L}])(?:huis)?(?:nummer|nr\.?)[ \t]+$")


class HouseNumberRecognizer(sn.NumberRecognizer):
    ENTITY = "ADDRESS"
    NAME = "House number said apart from its street"
    PREVIOUS_TURN_CUES = _PREVIOUS_TURN

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        tokens = analysis.tokens
        for piece in analysis.pieces:
            if piece.count > 3 or not piece.digits or int(piece.digits) > _MAX_VALUE or piece.digits[0] == "0":
                continue
            if analysis.is_quantity(piece) or analysis.is_year(piece) or analysis.labelled(piece) \
                    or analysis.in_compound(piece) or analysis.glued(piece):
                continue
            following = [t.folded for t in tokens[piece.last + 1 : piece.last + 1 + _AFTER]]
            if following and following[0] in _FLOOR_WORDS and piece.count >= 2:
                found.append((piece.start, tokens[piece.last + 1].end, _SCORE, 0.0))  # "226 drie hoog"
                continue
            if following and (sn.month_name(following[0]) is not None or following[0] in _FLOOR_WORDS):
                continue  # "op 12 maart", "op 3 hoog": a date, a floor
            end = _addition_end(analysis, piece)
            before = analysis.words_before(piece.first, 2)
            near = analysis.words_before(piece.first, _NEAR) + following
            address_word = any(_ADDRESS_WORDS.search(w) for w in near)
            led = bool(before) and (before[-1] in _BEFORE or before[-1] in _REPAIR)
            if end is not None and len(piece.digits) == 4 and _postcode_letters(analysis, piece):
                continue  # "2582 CD": a postcode
            if end is not None and (address_word or led):
                found.append((piece.start, end, _SCORE, 0.0))
            elif end is not None:
                found.append((piece.start, end, 0.1, _BOOST))
            elif led and address_word:
                found.append((piece.start, piece.end, _SCORE, 0.0))
            elif (piece.first == _opening(tokens)) and len(piece.digits) <= 3:
                found.append((piece.start, piece.end, 0.1, _BOOST - 0.05))  # the answer to "en het huisnummer?"
        return [(_with_number_word(analysis, start), end, score, boost) for start, end, score, boost in found]


def _with_number_word(analysis: sn.Analysis, start: int) -> int:
    """The span start moved over "nummer" right before it: "op nummer 317" is an address like "de
    Lange Nieuwstraat nummer 4"."""
    match = _NUMBER_WORD_BEFORE.search(analysis.text, max(0, start - 16), start)
    return match.start() if match else start


def _opening(tokens) -> int:
    """Index of the first token that is no hesitation or "ja"."""
    return next((i for i, t in enumerate(tokens) if t.kind != sn.FILLER and t.folded not in ("ja", "nou", "dat", "is")), -1)


def _addition_end(analysis: sn.Analysis, piece: sn.Piece) -> int | None:
    """End of a house-number addition right after ``piece`` ("a", "bis", "drie hoog", "zwart"), or None."""
    tokens = analysis.tokens
    index = piece.last + 1
    if index >= len(tokens):
        return None
    gap = analysis.text[piece.end : tokens[index].start]
    token = tokens[index]
    if token.kind == sn.LETTER and token.folded in _LETTERS and _LETTER_GAP.fullmatch(gap) and (
            index + 1 >= len(tokens) or tokens[index + 1].kind != sn.LETTER
            or _PAUSE.search(analysis.text, token.end, tokens[index + 1].start)):
        return token.end  # "veertien C", "veertien... B."
    if gap.strip(" -") != "":
        return None
    if token.folded in _ADDITION_WORDS:
        return token.end
    if token.kind in (sn.NUMBER, sn.DIGITS) and index + 1 < len(tokens) and tokens[index + 1].folded in _FLOOR_WORDS:
        return tokens[index + 1].end  # "226 drie hoog"
    return None


def _postcode_letters(analysis: sn.Analysis, piece: sn.Piece) -> bool:
    tokens = analysis.tokens
    following = tokens[piece.last + 1 : piece.last + 3]
    return len(following) == 2 and all(t.kind == sn.LETTER for t in following) or bool(
        following and following[0].kind == sn.CAPS and len(following[0].text) == 2)


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [HouseNumberRecognizer()]
