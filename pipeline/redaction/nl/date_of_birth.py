"""Dates of birth: "geboren op 12 maart 1985", "vier juli negentienachtendertig", "twaalf
drie vijfentachtig", "12-03-1985", "de tweede van de vijfde, vierenzestig", a year after "geboren
in", a year or two-digit year said alone in answer to the agent's question. A date is a date of birth only with
a birth cue (geboren, geboortedatum, geboortejaar, jarig …) earlier in the turn or in the agent's
question before it; appointment dates ("donderdag 14 maart", "volgende week dinsdag") stay visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer

from callscribe.pipeline.redaction.nl import spoken_numbers as sn
from callscribe.pipeline.redaction.nl._numbers import month, ordinal

_CUED_SCORE = 0.65
_BASE_SCORE = 0.25
_BIRTH_YEAR_SCORE = 0.45  # above the threshold, flagged for review
_BOOST = 0.4
_NO_YEAR_SCORE = 0.1
_NEAR = 15  # words before a date in which a birth cue counts
_NEAR_YEAR = 6  # words before a year alone in which a birth cue counts
_NEAR_SHORT_YEAR = 3  # the same for a two-digit year ("geboortejaar 64"; "ik ben 87" is an age)
_APOSTROPHE_GAP = regex.compile(r",?\s*['\u2019]")
# Words that make a date an appointment, a period or a deadline even after a birth question.
_APPOINTMENT_CUES = sn.cues(
    "afspraak", "monteur", "komt", "komen", "langs", "gepland", "planning",
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "morgen", "vandaag", "gisteren",
    "loopt", "tot", "vanaf", "sinds", "factuur", "betaald", "betalen", "incasso", "geleden", "verhuisd", "contract",
    "onderhoud", "storing", "uiterlijk",
)


def _number(token: sn.Token) -> int | None:
    if token.kind == sn.DIGITS:
        return int(token.text)
    if token.kind == sn.NUMBER:
        return int(token.digits)
    return None


def _day_value(token: sn.Token) -> int | None:
    number = _number(token)
    if number is None and token.kind in (sn.WORD, sn.CODE):
        number = ordinal(token.text)
    return number


def _restarted_day(analysis: sn.Analysis, first: int) -> int:
    """The first token of a date whose day was said twice: "de zevende... zeven juli", "zeventien,
    de zeventiende mei"."""
    tokens = analysis.tokens
    day_token = first + 1 if tokens[first].folded == "de" else first
    day = _day_value(tokens[day_token])
    index = first - 1
    if index >= 0 and tokens[index].folded == "de" and day_token == first:
        index -= 1
    if index >= 0 and _day_value(tokens[index]) == day and day is not None:
        start = index - 1 if index > 0 and tokens[index - 1].folded == "de" else index
        return _restarted_day(analysis, start)  # "tweeëntwintig, tweeëntwintig... tweeëntwintig februari"
    return first


def _day(token: sn.Token) -> bool:
    number = _day_value(token)
    return number is not None and 1 <= number <= 31


def _year_end(analysis: sn.Analysis, index: int) -> int | None:
    """Token index of the last token of a year starting at ``index`` ("1985", "'85",
    "negentienachtenvijftig", "negentien achtenvijftig", "vijfentachtig"), or None."""
    tokens = analysis.tokens
    if index >= len(tokens) or not (sn.joined(analysis.text, tokens[index - 1], tokens[index]) or _APOSTROPHE_GAP.fullmatch(
            analysis.text, tokens[index - 1].end, tokens[index].start)):
        return None
    number = _number(tokens[index])
    if number is None:
        return None
    if 1900 <= number <= 2099 or number <= 99 and tokens[index].kind == sn.NUMBER or (
            tokens[index].kind == sn.DIGITS and len(tokens[index].text) == 2):
        if number in (19, 20) and index + 1 < len(tokens) and sn.joined(
                analysis.text, tokens[index], tokens[index + 1]):
            following = _number(tokens[index + 1])
            if following is not None and following <= 99:
                return index + 1
        return index
    return None


def _dates(analysis: sn.Analysis) -> Iterable[tuple[int, int, bool]]:
    """``(first token, last token, has a year)`` per date in the text."""
    tokens = analysis.tokens
    for i, token in enumerate(tokens):
        if token.kind != sn.WORD or month(token.text) is None:
            continue
        day = i - 1
        while day > 0 and tokens[day].kind == sn.FILLER:  # "eenentwintig, eh, mei"
            day -= 1
        first = day if day >= 0 and day < i - 1 and _day(tokens[day]) or (
            i > 0 and _day(tokens[i - 1]) and sn.joined(analysis.text, tokens[i - 1], token)) else None
        if first is not None and first < i - 1 and not _day(tokens[first]):
            first = None
        last = i
        if first is None:  # the month first: "augustus, de twaalfde, 1957"
            day = i + 1 + (i + 1 < len(tokens) and tokens[i + 1].folded == "de")
            if day < len(tokens) and tokens[day].kind in (sn.WORD, sn.CODE) and _day(tokens[day]) \
                    and all(sn.joined(analysis.text, a, b) for a, b in zip(tokens[i:day], tokens[i + 1 : day + 1])):
                first, last = i, day
        end = _year_end(analysis, last + 1)
        if first is None and end is None:
            continue
        if first is not None and first == i - 1 and first > 0 and tokens[first - 1].folded == "de" \
                and ordinal(tokens[first].text) is not None:
            first -= 1  # "de eenentwintigste maart": the article is part of the date
        if first is not None and first in (i - 1, i - 2):
            first = _restarted_day(analysis, first)
        yield (i if first is None else first), (last if end is None else end), end is not None
    for i, token in enumerate(tokens):  # "de tweede van de vijfde (negentien vierenzestig)"
        day = ordinal(token.text) if token.kind in (sn.WORD, sn.CODE) else None
        if day is None or not 1 <= day <= 31 or i + 2 >= len(tokens) or tokens[i + 1].folded != "van":
            continue
        m = i + 2 + (tokens[i + 2].folded == "de")
        if m >= len(tokens):
            continue
        month_number = month(tokens[m].text) or (ordinal(tokens[m].text) if tokens[m].kind in (sn.WORD, sn.CODE) else None)
        if month_number is None or not 1 <= month_number <= 12:
            continue
        end = _year_end(analysis, m + 1)
        first = i - 1 if i > 0 and tokens[i - 1].folded == "de" else i  # the article is part of the date
        yield first, (m if end is None else end), end is not None
    for piece in analysis.pieces:
        numbers = [_number(t) for t in tokens[piece.first : piece.last + 1]]
        if None in numbers:
            continue
        if len(numbers) not in (3, 4):
            if _digit_date(piece.digits):  # "03111958", "nul drie, elf, negentien achtenvijftig"
                yield piece.first, piece.last, True
            continue
        day, month_number, *year = numbers
        if not (1 <= day <= 31 and 1 <= month_number <= 12):
            continue
        if len(year) == 2 and year[0] in (19, 20) and year[1] <= 99 or len(year) == 1 and (
                year[0] <= 99 or 1900 <= year[0] <= 2099):
            yield piece.first, piece.last, True


def _birth_year(token: sn.Token) -> bool:
    """A year people calling now were born in: 1920–2010, or two digits 20–99 or 00–10 ("05"; a
    lone "een" is no year)."""
    digits = token.digits if token.kind in (sn.DIGITS, sn.NUMBER) else ""
    if len(digits) == 4:
        return 1920 <= int(digits) <= 2010
    return len(digits) == 2 and (int(digits) >= 20 or int(digits) <= 10)


def _digit_date(digits: str) -> bool:
    """Day, month and year as six or eight digits: "031158", "03111958"."""
    if len(digits) not in (6, 8):
        return False
    day, month_number, year = int(digits[:2]), int(digits[2:4]), digits[4:]
    return 1 <= day <= 31 and 1 <= month_number <= 12 and (len(year) == 2 or year[:2] in ("19", "20"))


def _cued(analysis: sn.Analysis, first: int, last: int, near: int) -> bool:
    """A birth cue before the date, "ik ben van" right before it, or "geboren" just after it
    ("12 maart 1985 ben ik geboren")."""
    if sn.cue_before(analysis, first, sn.BIRTH_CUES, near):
        return True
    token = analysis.tokens[first]
    year_form = len(token.digits) == 4 or analysis.text[max(0, token.start - 1) : token.start] in ("'", "’")
    a_range = analysis.word_after(last) == "tot"  # "ik ben van 12 tot 14 thuis": hours, no birth year
    if not a_range and analysis.words_before(first, 2) in (["ben", "van"], ["bent", "van"]) or year_form and analysis.words_before(
            first, 3) in (["hij", "is", "van"], ["zij", "is", "van"], ["ze", "is", "van"]):
        # "ze is van 1961", "hij is van '49"; not "de ketel is van 2015" or "hij is van 12 tot 14"
        return True
    after = [t.folded for t in analysis.tokens[last + 1 : last + 1 + _AFTER]]
    return any(sn.BIRTH_CUES.search(word) for word in after)


def _repaired(analysis: sn.Analysis, first: int) -> int | None:
    """Token index of a wrong value corrected by the date at ``first``: "tweeëntwintig, nee,
    drieëntwintig juni" (a repair redacts both)."""
    index = first - 1
    words = 0
    while index >= 0 and analysis.tokens[index].folded in _REPAIR_WORDS and words < 3:
        index, words = index - 1, words + 1
    if words and index >= 0 and _day(analysis.tokens[index]):
        return index
    return None


def _years_around(analysis: sn.Analysis, first: int, last: int) -> Iterable[sn.Piece]:
    """Years said with a date of birth at tokens ``first..last``: the year after a date said
    without one ("elf februari. Zevenentachtig."), a corrected year after a repair
    ("negentienhonderdeenenzestig, eh, nee, ik bedoel, tweeënzestig"), and a two-digit year
    repeated next to the full year ("Achtenvijftig. Negentienhonderdachtenvijftig.")."""
    tokens = analysis.tokens
    year_digits = tokens[last].digits if tokens[last].kind in (sn.DIGITS, sn.NUMBER) else ""
    after = last  # the date's last token, or the last year found after it
    for piece in _year_pieces(analysis):
        if not _year_digits(piece.digits) or analysis.is_quantity(piece) or first <= piece.first <= last:
            continue
        if piece.first <= after < piece.last or piece.first <= after and piece.first > last:
            continue  # inside a year already found
        if piece.first > last:
            between = tokens[after + 1 : piece.first]
            repaired = any(t.folded in _YEAR_REPAIRS for t in between)
            hesitated = bool(between) and all(t.kind == sn.FILLER for t in between)  # "september eh tachtig"
            repeated = after > last and not between and piece.digits[-2:] == tokens[after].digits[-2:]
            # "negentienhonderd... wat was het... zeventig": the century, then the rest of the year
            century = _century_before(analysis, piece.first)
            completing = len(piece.digits) == 2 and century is not None and century > last
            if completing:
                between = tokens[century + 1 : piece.first]
            if len(between) <= _YEAR_GAP and all(t.kind == sn.FILLER or t.folded in _YEAR_GAP_WORDS for t in between) \
                    and (repaired or hesitated or repeated or completing or not between and _sentence_gap(analysis, after, piece)
                         or len(between) == 1 and between[0].folded in _YEAR_PREPOSITIONS) \
                    and (repaired or not year_digits or piece.digits[-2:] == year_digits[-2:]):
                after = piece.last
                yield piece  # "tachtig negentien tachtig": the year said again in full
            elif not year_digits and len(between) <= 2 * _YEAR_GAP and between and between[-1].folded in ("in", "uit") \
                    and piece.count <= 2 and (len(piece.digits) == 2 or piece.digits[:2] in ("19", "20")):
                after = piece.last
                yield piece  # "de eenendertigste december, vlak voor oud en nieuw, in tweeënnegentig"
        elif piece.last < first and first - piece.last - 1 <= 1 and year_digits and len(piece.digits) == 2 \
                and piece.digits == year_digits[-2:] and all(t.kind == sn.FILLER for t in tokens[piece.last + 1 : first]):
            yield piece  # "Achtenvijftig. Negentienhonderdachtenvijftig."
        elif piece.last == first - 1 and not year_digits and len(piece.digits) == 4 and sn.joined(
                analysis.text, tokens[piece.last], tokens[first]):
            yield piece  # "negentien tweeëntachtig, elf oktober": the year first


_ALTERNATIVE_WORDS = frozenset({"of", "nee", "zegt", "staat", "bedoel", "eigenlijk", "maar"})
_ALTERNATIVE_SCORE = 0.45  # flagged for review


def _alternatives(analysis: sn.Analysis, found, anchor_score: float) -> list[tuple[int, int, float, float]]:
    """Other days or years said in a turn with a date of birth, after "of", "nee", "zegt",
    "staat": "mijn paspoort zegt 28, mijn moeder zegt 27", "negentienhonderdnegentig, of
    eenennegentig", "op mijn papieren staat 20" (flagged for review)."""
    if anchor_score < _CUED_SCORE:
        return []
    spans = []
    for piece in analysis.pieces:
        if piece.count > 2 or any(a <= piece.start < b for a, b, _, _ in found) or analysis.is_quantity(piece):
            continue
        value = int(piece.digits) if piece.digits.isdigit() else -1
        if not (1 <= value <= 31 or len(piece.digits) == 2 or len(piece.digits) == 4 and piece.digits[:2] in ("19", "20")):
            continue
        if any(word in _ALTERNATIVE_WORDS for word in analysis.words_before(piece.first, 2)):
            spans.append((piece.start, piece.end, _ALTERNATIVE_SCORE, 0.0))
    return spans


def _century_before(analysis: sn.Analysis, index: int) -> int | None:
    """Index of "negentienhonderd" or "tweeduizend" said alone a few hesitating words before
    token ``index``, or None."""
    tokens = analysis.tokens
    k = index - 1
    while k >= 0 and index - k <= _YEAR_GAP and (tokens[k].kind == sn.FILLER or tokens[k].folded in _YEAR_GAP_WORDS):
        k -= 1
    if k >= 0 and tokens[k].kind in (sn.NUMBER, sn.DIGITS) and tokens[k].digits in ("1900", "2000"):
        return k
    return None


def _year_pieces(analysis: sn.Analysis) -> list[sn.Piece]:
    """Pieces of at most two tokens, and inside longer pieces each token and each "negentien xx"
    pair: "tachtig negentien tachtig" holds the years "tachtig" and "negentien tachtig"."""
    tokens = analysis.tokens
    found = []
    for piece in analysis.pieces:
        if piece.count <= 2:
            found.append(piece)
            continue
        for i in range(piece.first, piece.last + 1):
            pair = i + 1 <= piece.last and tokens[i].digits in ("19", "20") and len(tokens[i + 1].digits) == 2
            j = i + 1 if pair else i
            found.append(sn.Piece(i, j, tokens[i].start, tokens[j].end, tokens[i].digits + (tokens[j].digits if pair else ""),
                                  j - i + 1, tokens[i].kind == sn.NUMBER))
    return found


def _first_token(analysis: sn.Analysis, piece: sn.Piece) -> sn.Piece:
    token = analysis.tokens[piece.first]
    return sn.Piece(piece.first, piece.first, token.start, token.end, token.digits, 1, token.kind == sn.NUMBER)


_SENTENCE_AFTER = regex.compile(r"\s*(?:[.!?\u2026]|$|\s+(?:ik|ja|nee|dat|en)\b)")


def _year_digits(digits: str) -> bool:
    return len(digits) == 2 or len(digits) == 4 and digits[:2] in ("19", "20")


def _sentence_gap(analysis: sn.Analysis, last: int, piece: sn.Piece) -> bool:
    """Only punctuation between a date and a number: a year said as its own sentence."""
    return bool(_PUNCTUATION_GAP.fullmatch(analysis.text, analysis.tokens[last].end, piece.start))


_PUNCTUATION_GAP = regex.compile(r"[\s.,;:\u2026-]*")
_YEAR_GAP = 7
_YEAR_PREPOSITIONS = frozenset({"in", "van", "uit"})
_YEAR_REPAIRS = frozenset({"nee", "sorry", "pardon", "excuus", "bedoel", "correctie", "wacht"})
_YEAR_GAP_WORDS = _YEAR_REPAIRS | _YEAR_PREPOSITIONS | frozenset({"eh", "uh", "ik", "wat", "zeg", "nou", "of", "dus", "ja", "toch", "niet",
                                                                 "was", "het"})


_REPAIR_WORDS = frozenset({"nee", "sorry", "wacht", "of", "ik", "bedoel", "pardon", "eh", "uh", "excuus"})
_AFTER = 4  # words after a date in which "geboren" counts


class DateOfBirthRecognizer(sn.NumberRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    NAME = "Date of birth (with a birth cue)"
    PREVIOUS_TURN_CUES = sn.BIRTH_CUES

    def find(self, analysis: sn.Analysis) -> Iterable[tuple[int, int, float, float]]:
        found = []
        anchors = []  # (first token, last token, score, boost) of each date or year found
        tokens = analysis.tokens
        for first, last, year in _dates(analysis):
            start, end = tokens[first].start, tokens[last].end
            if _cued(analysis, first, last, _NEAR):
                score, boost = _CUED_SCORE, 0.0
            elif not sn.cue_before(analysis, first, _APPOINTMENT_CUES, _NEAR):
                # a whole date in a year people are born in, without a cue: the agent reading it back
                score = (_BIRTH_YEAR_SCORE if _birth_year(tokens[last]) else _BASE_SCORE) if year else _NO_YEAR_SCORE
                boost = _BOOST
            elif year:  # an appointment word near: only the agent's birth question makes it one
                score, boost = _NO_YEAR_SCORE, _BOOST
            else:
                continue
            found.append((start, end, score, boost))
            anchors.append((first, last, score, boost))
            wrong = _repaired(analysis, first)
            if wrong is not None:
                found.append((tokens[wrong].start, tokens[wrong].end, score, boost))
        only_numbers = {t.kind for t in tokens} <= {sn.DIGITS, sn.NUMBER, sn.FILLER}
        opening = next((i for i, t in enumerate(tokens) if t.kind != sn.FILLER), -1)
        for piece in analysis.pieces:  # a birth year: "geboren in negentienachtenvijftig", "geboortejaar 1958"
            number = _number(tokens[piece.first])
            if number is None or piece.count > 2:
                continue
            if any(a <= piece.start < b for a, b, _, _ in found):
                continue
            if piece.count == 2 and any(a <= tokens[piece.last].start < b for a, b, _, _ in found):
                piece = _first_token(analysis, piece)  # "eh 1958 drie juni": the year before a date's day
            if piece.first == opening and piece.count == 1 and len(piece.digits) == 2 and not only_numbers \
                    and not analysis.is_quantity(piece) and _SENTENCE_AFTER.match(analysis.text, piece.end):
                found.append((piece.start, piece.end, _NO_YEAR_SCORE, _BOOST))  # "Achtenvijftig. Ik ben ..."
                anchors.append((piece.first, piece.last, _NO_YEAR_SCORE, _BOOST))
                continue
            year = len(piece.digits) == 4 and piece.digits[:2] in ("19", "20")
            short_year = len(piece.digits) == 2 and piece.count == 1
            age = analysis.words_before(piece.first, 1) in (["ben"], ["bent"], ["word"], ["wordt"], ["wel"])
            if (year or short_year and not age and not analysis.is_quantity(piece)) and _cued(analysis, piece.first, piece.last,
                                                          _NEAR_YEAR if year else _NEAR_SHORT_YEAR):
                found.append((piece.start, piece.end, _CUED_SCORE, 0.0))
                anchors.append((piece.first, piece.last, _CUED_SCORE, 0.0))
            elif year and not analysis.is_quantity(piece) or only_numbers and short_year:
                found.append((piece.start, piece.end, _NO_YEAR_SCORE, _BOOST))  # the answer to "uw geboortejaar?"
                anchors.append((piece.first, piece.last, _NO_YEAR_SCORE, _BOOST))
        taken = {(a, b) for a, b, _, _ in found}
        for first, last, score, boost in anchors:
            for piece in _years_around(analysis, first, last):
                if (piece.start, piece.end) not in taken:
                    taken.add((piece.start, piece.end))
                    found.append((piece.start, piece.end, score, boost))
        if anchors:
            found += _alternatives(analysis, found, min(score + boost for _, _, score, boost in anchors))
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DateOfBirthRecognizer()]
