"""The dictation reader: a dictated stretch of a turn as one canonical string with a map back to
character offsets.

Callers dictate codes in digits, number words, single letters and the Dutch spelling alphabet,
with hesitations, remarks and repairs in between; a speech recogniser writes them in any case and
with or without punctuation. :func:`read` turns every dictated stretch of a turn into a
:class:`Reading`:

- digits and number words give digits ("nul zes" → "06", "drieëntachtig" → "83",
  "negentienhonderdvierenzestig" → "1964", "twee en dertig" → "32");
- single letters, short clusters without vowels and the spelling alphabet give capitals
  ("k" → "K", "rhf" → "RHF", "A van Anton" → "A", "IJ van IJmuiden" → "IJ"); codes written with
  letters and digits keep both ("nl17" → "NL17");
- a bank name right after "NL" and two check digits gives its bank code ("rabo" → "RABO",
  "abn amro" → "ABNA");
- spoken symbols between two items give the symbol: "streepje" "-", "punt" ".", "apenstaartje" and
  "at" "@", "underscore" "_";
- separators (spaces, commas, hyphens, slashes, pauses), hesitations ("eh", "uh") and spelling
  remarks ("aan elkaar", "met een z", "hoofdletter") are skipped;
- connecting words ("en dan", "nog") and repairs ("nee wacht", "sorry", "ik bedoel") split the
  stretch into *parts*: a repair's wrong and corrected values are both parts of one reading, so
  a recognizer that classifies the parts redacts both.

Nothing here reads capitals. The token kinds come from :mod:`callscribe.pipeline.redaction.nl.spoken_numbers`, the one
tokenizer of this package.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex
from spacy.lang.nl.stop_words import STOP_WORDS

from callscribe.pipeline.redaction.nl import spoken_numbers as sn

# How the items of a reading are joined: only separators, skipped words (hesitations, remarks),
# a connecting word, or a repair.
JOINED, SKIPPED, CONNECTED, REPAIRED = "joined", "skipped", "connected", "repaired"

_ALPHABET_LINKS = frozenset({"van", "voor", "als", "as", "like"})  # "E like Echo", "A as in Alpha"
# Bank names said as words, and the bank code they stand for in an IBAN.
BANK_WORDS = {
    "rabo": "RABO", "rabobank": "RABO", "ing": "INGB", "abn": "ABNA", "amro": "ABNA", "asn": "ASNB", "sns": "SNSB",
    "triodos": "TRIO", "knab": "KNAB", "bunq": "BUNQ", "regiobank": "RBRB", "regio": "RBRB", "revolut": "REVO",
}
_FILLER_WORDS = frozenset({"eh", "ehm", "uh", "uhm", "euh", "ehh", "hm", "hmm", "even", "kijken", "momentje"})
_REMARKS = (
    ("aan", "elkaar"), ("alles", "aan", "elkaar"), ("zonder", "spatie"), ("spatie",), ("hoofdletter",),
    ("kleine", "letter"), ("alles", "klein"), ("klein",), ("groot",), ("alleen", "de", "letter"), ("de", "letters"),
    ("de", "cijfers"), ("de", "letter"), ("het", "cijfer"), ("het", "getal"), ("letters",), ("cijfers",), ("letter",),
    ("cijfer",), ("de", "bank"), ("bank",),
)
_CONNECTORS = (("en", "dan"), ("en",), ("dan",), ("nog",), ("daarna",))
_REPAIRS = (("nee", "wacht"), ("nee", "sorry"), ("of", "nee"), ("nee", "niet"), ("niet",), ("ik", "bedoel"), ("sorry",), ("nee",), ("wacht",),
            ("correctie",), ("excuus",), ("pardon",), ("of",))  # "a z of a x": unsure, both values
_WORD_LETTERS = frozenset({"u", "o"})
LETTER_NAMES = sn.LETTER_NAMES
# Letter names that are also common words ("en", "er", "es", "ie"): letters only between two
# other letters or letter names ("ka en tee", "b en m").
_WEAK_LETTER_NAMES = frozenset({"en", "er", "es", "ie", "ee", "ex", "ku", "ha"})
_LETTER_ONLY_WEAK_NAMES = frozenset({"ee", "ex", "ku", "ha"})  # weak ones that are no word after a number
_WORD_AFTER = regex.compile(r" \p{L}*[aeiouy]\p{L}*(?!\p{L})")
# Spoken symbols between two items: "k streepje 2024", "j a n at h o m e punt n l".
_SYMBOL_WORDS = {
    "streepje": "-", "koppelteken": "-", "tussenstreepje": "-", "min": "-", "punt": ".", "puntje": ".", "dot": ".",
    "apenstaartje": "@", "apestaartje": "@", "at": "@", "underscore": "_", "onderstreepje": "_", "slash": "/",
    "dash": "-",
}
_MAX_SKIPPED_WORDS = 4


@dataclass(frozen=True)
class Item:
    """One dictated unit: its canonical characters and where it stands in the turn."""

    start: int
    end: int
    chars: str
    first: int  # token indices, inclusive
    last: int
    spoken: bool  # a number word, a spelled letter or a spelling-alphabet word
    lower: bool  # letters written in lower case
    link: str = JOINED  # how it is joined to the item before it


@dataclass(frozen=True)
class Reading:
    """One dictated stretch of a turn."""

    text: str
    items: tuple[Item, ...]

    @property
    def canonical(self) -> str:
        return "".join(item.chars for item in self.items)

    @property
    def offsets(self) -> tuple[tuple[int, int], ...]:
        """For each character of :attr:`canonical`, the offsets of the words it was read from."""
        return tuple((item.start, item.end) for item in self.items for _ in item.chars)

    @property
    def start(self) -> int:
        return self.items[0].start

    @property
    def end(self) -> int:
        return self.items[-1].end

    def parts(self) -> list[tuple[int, int]]:
        """Item index ranges (inclusive) split at connecting words, repairs and skipped words
        (hesitations, remarks): "k z, eh, k z l 91" has the parts "KZ" and "KZL91"."""
        found, first = [], 0
        for index, item in enumerate(self.items[1:], start=1):
            if item.link in (CONNECTED, REPAIRED, SKIPPED):
                found.append((first, index - 1))
                first = index
        found.append((first, len(self.items) - 1))
        return found

    def runs(self) -> Iterable[tuple[int, int, str]]:
        """Every run of consecutive parts, longest first: ``(first item, last item, canonical)``."""
        parts = self.parts()
        for length in range(len(parts), 0, -1):
            for a in range(len(parts) - length + 1):
                first, last = parts[a][0], parts[a + length - 1][1]
                yield first, last, "".join(item.chars for item in self.items[first : last + 1])

    def windows(self, size: int, ignore: str = "") -> Iterable[tuple[int, int, str]]:
        """Every run of whole items that reads as exactly ``size`` characters (not counting those
        in ``ignore``): ``(first item, last item, canonical)``. For a value said inside a longer
        stretch ("9714 c c" in "9714 c c twee keer c")."""
        for first in range(len(self.items)):
            chars = ""
            for last in range(first, len(self.items)):
                chars += "".join(ch for ch in self.items[last].chars if ch not in ignore)
                if len(chars) >= size:
                    if len(chars) == size:
                        yield first, last, chars
                    break

    def spans(self, first: int, last: int) -> list[tuple[int, int]]:
        """Character spans of items ``first..last``, one per stretch not interrupted by words."""
        found: list[list[int]] = []
        for item in self.items[first : last + 1]:
            if found and item.link == JOINED:
                found[-1][1] = item.end
            else:
                found.append([item.start, item.end])
        return [(a, b) for a, b in found]

    def char_items(self, a: int, b: int) -> tuple[int, int] | None:
        """Item indices of canonical characters ``a..b`` (exclusive end), or None when the range
        does not start and end on item boundaries."""
        position, first = 0, None
        for index, item in enumerate(self.items):
            if position == a:
                first = index
            position += len(item.chars)
            if position == b and first is not None:
                return first, index
            if position > b:
                return None
        return None


@lru_cache(maxsize=256)
def read(text: str) -> tuple[Reading, ...]:
    """Every dictated stretch of ``text`` (cached: several recognizers read the same turn)."""
    analysis = sn.analyse(text)
    return tuple(_readings(analysis))


def _phrase_at(tokens: Sequence[sn.Token], index: int, phrases: Sequence[tuple[str, ...]]) -> int:
    """Length in tokens of the first of ``phrases`` that starts at ``index``, or 0."""
    for phrase in phrases:
        if tuple(t.folded for t in tokens[index : index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _remark_at(tokens: Sequence[sn.Token], index: int) -> int:
    """Length of a spelling remark at ``index``: "aan elkaar", "met een z", "met twee l-en"."""
    found = _phrase_at(tokens, index, _REMARKS)
    if found:
        return found
    if tokens[index].folded == "met" and index + 2 < len(tokens) and tokens[index + 1].folded in _REMARK_COUNTS:
        letter = tokens[index + 2]
        if letter.kind in (sn.LETTER, sn.CAPS) or _LETTER_PLURAL.fullmatch(letter.folded):
            return 3
    if tokens[index].folded == "met" and index + 1 < len(tokens):
        # "dijkstra, met i-j, at ...", "met ij", "met y": which letter, not a letter of the value
        length = 3 if [t.folded for t in tokens[index + 1 : index + 3]] == ["i", "j"] else 2
        said = tokens[index + 1 : index + length]
        after = tokens[index + length] if index + length < len(tokens) else None
        if (length == 3 or said[0].folded == "ij" or said[0].kind == sn.LETTER) and (
                after is None or after.kind not in (sn.LETTER, sn.CAPS, sn.DIGITS, sn.NUMBER)):
            return length
    return 0


_REMARK_COUNTS = frozenset({"een", "twee", "dubbel", "dubbele", "drie"})
_LETTER_PLURAL = regex.compile(r"(?:\p{L}|ij)(?:-en|'en|'s|-s|en)?")


def _item(analysis: sn.Analysis, index: int, before: str, after_letter: bool = False) -> tuple[Item | None, int]:
    """The item that starts at token ``index`` and the index after it, or ``(None, index)``.

    ``before`` is the canonical text just before it; ``after_letter`` tells that a spelled letter
    came right before, which makes the words "u" and "o" letters too ("b u n q", "r a b o")."""
    tokens = analysis.tokens
    token = tokens[index]
    kind = token.kind
    if token.folded in _WORD_LETTERS and len(token.text) == 1:
        following = tokens[index + 1].folded if index + 1 < len(tokens) else ""
        spelled_on = index + 2 < len(tokens) and tokens[index + 1].kind == sn.LETTER and (tokens[index + 2].kind in (
            sn.LETTER, sn.DIGITS, sn.NUMBER) or tokens[index + 2].folded in _SYMBOL_WORDS)  # "o h drie vijf", "O, C, streepje"
        if after_letter or following in _ALPHABET_LINKS or spelled_on:
            kind = sn.LETTER
    if kind in (sn.DIGITS, sn.NUMBER):
        return Item(token.start, token.end, token.digits, index, index, kind == sn.NUMBER, False), index + 1
    if kind == sn.WORD and token.folded in LETTER_NAMES and _letter_name(analysis, index, before):
        return Item(token.start, token.end, LETTER_NAMES[token.folded], index, index, True, True), index + 1
    if kind in (sn.WORD, sn.CAPS) and _ends_with_check_digits(before):  # the bank after "NL" and check digits
        folded = token.folded
        if folded == "abn" and index + 1 < len(tokens) and tokens[index + 1].folded == "amro":
            return Item(token.start, tokens[index + 1].end, "ABNA", index, index + 1, True, True), index + 2
        if folded in BANK_WORDS:
            return Item(token.start, token.end, BANK_WORDS[folded], index, index, True, True), index + 1
        if len(folded) == 4 and folded.isascii() and folded.upper() in bank_codes():
            return Item(token.start, token.end, folded.upper(), index, index, False, token.text.islower()), index + 1
    if kind == sn.WORD and _CODE_LETTERS.fullmatch(token.text) and (
            _HYPHEN_DIGIT.match(analysis.text, token.end) or _DIGIT_HYPHEN.search(analysis.text[max(0, token.start - 2) : token.start])
            or token.folded not in STOP_WORDS and _SPACE_DIGIT.match(analysis.text, token.end)
            and _DIGIT_SPACE.search(analysis.text[max(0, token.start - 2) : token.start])):
        # letters written into a code, in any case: "ab-123-c", "rv-4417", "12 ab 34"
        return Item(token.start, token.end, token.text.upper(), index, index, False, token.text.islower()), index + 1
    if token.folded in ("dubbel", "dubbele") and index + 1 < len(tokens) and (
            tokens[index + 1].kind == sn.LETTER or tokens[index + 1].folded in LETTER_NAMES) and before:
        letter = tokens[index + 1]  # "vijfenzestig elf, dubbel H": two of the letter
        chars = LETTER_NAMES.get(letter.folded, letter.text.upper())
        return Item(token.start, letter.end, chars * 2, index, index + 1, True, letter.text.islower()), index + 2
    letters = token.text.upper()
    is_ij = token.folded == "ij"
    if kind == sn.LETTER or is_ij or kind == sn.CAPS:
        # the spelling alphabet: "A van Anton", "IJ van IJmuiden", "s als in Simon"
        link = index + 1
        if (kind == sn.LETTER or is_ij) and link < len(tokens) and tokens[link].folded in _ALPHABET_LINKS:
            word = link + 1 + (tokens[link].folded in ("als", "as") and link + 1 < len(tokens) and tokens[link + 1].folded == "in")
            if word < len(tokens) and tokens[word].kind in (sn.WORD, sn.CAPS) and tokens[word].folded.startswith(
                    token.folded) and len(tokens[word].text) > 2:
                return Item(token.start, tokens[word].end, "IJ" if is_ij else letters, index, word, True,
                            token.text.islower()), word + 1
        return Item(token.start, token.end, letters, index, index, kind == sn.LETTER or is_ij,
                    token.text.islower()), index + 1
    if kind == sn.CODE:
        return Item(token.start, token.end, letters, index, index, False, token.text.islower()), index + 1
    return None, index


def _letter_name(analysis: sn.Analysis, index: int, before: str) -> bool:
    """A letter name is a letter after a dictated item ("vijf zeven twee vier, vee tee") or before
    a letter or another letter name ("vee tee"); a weak one ("en", "er") only with a letter on
    both sides ("b en m")."""
    tokens = analysis.tokens
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    letter_next = following is not None and sn.joined(analysis.text, tokens[index], following) and (
        following.kind == sn.LETTER or following.kind == sn.WORD and following.folded in LETTER_NAMES
        and (following.folded not in _WEAK_LETTER_NAMES or _run_goes_on(analysis, index + 1)))
    letter_before = before[-1:].isalpha() and _after_item(analysis, index, after_letter=True)
    if tokens[index].folded == "en" and following is not None and following.folded == "dan":
        return False  # "NL03, en dan de bank": the connector "en dan"
    if tokens[index].folded in _WEAK_LETTER_NAMES:  # "b en m", "pee ha." closing the stretch
        letter_only = tokens[index].folded in _LETTER_ONLY_WEAK_NAMES
        # after digits: "elf, ha e"; any weak name once the stretch is a code of letters and digits
        # ("gee zet vijfhonderdtwaalf er"); "8 en V" alone stays "and"
        closing = following is None or not (following.kind in _ITEM_KINDS or following.folded in LETTER_NAMES)
        after_digits = before[-1:].isdigit() and (letter_only or sum(ch.isalpha() for ch in before) >= 1 and closing) \
            and _after_item(analysis, index)
        # "ha ge vee", "ha er zeshonderdnegen tee": a run of letter names going on to an item
        spelled_on = letter_only and following is not None and (following.kind == sn.LETTER or following.folded in LETTER_NAMES) \
            and sn.joined(analysis.text, tokens[index], following) and _run_goes_on(analysis, index + 1)
        weak_run = following is not None and following.folded in _WEAK_LETTER_NAMES and _run_goes_on(analysis, index + 1)
        digits_next = following is not None and following.kind in (sn.DIGITS, sn.NUMBER) and (
            letter_only or sum(ch.isalpha() for ch in before) >= 1)
        return after_digits or spelled_on or letter_before and (letter_next or digits_next or weak_run or following is None
                                                                or bool(_CLAUSE_END.match(analysis.text, tokens[index].end)))
    return bool(before) and _after_item(analysis, index, after_letter=before[-1:].isalpha()) or letter_next


def _run_goes_on(analysis: sn.Analysis, index: int) -> bool:
    """True when the letter names from ``index`` on lead, joined, to a letter or a number: weak
    ones ("en", "er") count inside such a run ("zes tee en er tweeënveertig")."""
    tokens = analysis.tokens
    while index < len(tokens) and tokens[index].folded in _WEAK_LETTER_NAMES:
        if index + 1 < len(tokens) and not sn.joined(analysis.text, tokens[index], tokens[index + 1]):
            return False
        index += 1
    return index < len(tokens) and (_is_letter(tokens[index]) or tokens[index].kind in (sn.DIGITS, sn.NUMBER))


def _is_letter(token: sn.Token) -> bool:
    return token.kind == sn.LETTER or token.folded in LETTER_NAMES and token.folded not in _WEAK_LETTER_NAMES


def _after_item(analysis: sn.Analysis, index: int, after_letter: bool = False) -> bool:
    """True when only hesitations lie between a dictated item and token ``index`` ("twee, eh...
    ka"), not a connecting word or a sentence end ("93. En zet er ..."). ``after_letter``: the
    item before is a letter, which may have been a weak letter name ("ha er ...")."""
    tokens = analysis.tokens
    previous = index - 1
    while previous >= 0 and (tokens[previous].kind == sn.FILLER or tokens[previous].folded in _FILLER_WORDS
                             or tokens[previous].folded in _LEAD_IN_WORDS and index - previous <= 4):
        previous -= 1
    folded = tokens[previous].folded if previous >= 0 else ""
    if previous < 0 or not (tokens[previous].kind in _ITEM_KINDS or folded == "ij"
                            or folded in LETTER_NAMES and (after_letter or folded not in _WEAK_LETTER_NAMES)):
        return False
    gap = analysis.text[tokens[previous].end : tokens[index].start]
    return not (_SENTENCE_GAP.search(gap) and tokens[index].text[:1].isupper())


_ITEM_KINDS = frozenset({sn.DIGITS, sn.NUMBER, sn.LETTER, sn.CAPS, sn.CODE})
_STUTTER_GAP = regex.compile(r"[ \t,]*(?:\.\.\.|\u2026)[ \t,]*")  # "E... E": trailing off, then the letter again
# Words that lead from dictated digits to the letters: "vier, en dan de letters ka el".
_LEAD_IN_WORDS = frozenset({"en", "dan", "de", "letters", "letter"})
_SENTENCE_GAP = regex.compile(r"[.!?]")


_CLAUSE_END = regex.compile(r"\s*[.,;:!?\u2026]")
_CHECK_DIGITS = regex.compile(r"NL\d\d?$")
_CODE_LETTERS = regex.compile(r"[A-Za-z]{1,3}")
_HYPHEN_DIGIT = regex.compile(r"-\d")
_DIGIT_HYPHEN = regex.compile(r"\d-$")
_SPACE_DIGIT = regex.compile(r" \d")
_DIGIT_SPACE = regex.compile(r"\d $")


def _ends_with_check_digits(canonical: str) -> bool:
    return bool(_CHECK_DIGITS.search(canonical))


@lru_cache(maxsize=1)
def bank_codes() -> frozenset[str]:
    """The bank codes of Dutch IBANs (schwifty's bank registry)."""
    from schwifty import registry

    return frozenset(bank.bank_code for bank in registry.get_banks_by_country("NL")) | frozenset(BANK_WORDS.values())


def _readings(analysis: sn.Analysis) -> Iterable[Reading]:
    tokens, text = analysis.tokens, analysis.text
    items: list[Item] = []
    index = 0
    link = JOINED
    skipped = 0
    while index < len(tokens):
        after_letter = bool(items) and link == JOINED and items[-1].spoken and len(items[-1].chars) == 1 \
            and items[-1].chars.isalpha()
        item, after = _item(analysis, index, "".join(i.chars for i in items[-4:])[-4:], after_letter)
        if item is not None:
            stutter = bool(items) and item.chars == items[-1].chars and (item.chars.isalpha() or len(item.chars) >= 2) and bool(
                _STUTTER_GAP.fullmatch(text, items[-1].end, item.start))
            if items and not stutter and not (link != JOINED or sn.joined(text, tokens[items[-1].last], tokens[index])):
                yield from _finish(text, items)
                items, link = [], JOINED
            if stutter:
                # "E... E N": a letter said again after trailing off is one letter
                previous = items[-1]
                items[-1] = Item(previous.start, item.end, item.chars, previous.first, item.last, item.spoken,
                                 item.lower, previous.link)
            else:
                items.append(Item(item.start, item.end, item.chars, item.first, item.last, item.spoken, item.lower,
                                  link if items else JOINED))
            index, link, skipped = after, JOINED, 0
            continue
        token = tokens[index]
        if items and token.folded == "schuine" and index + 2 < len(tokens) and tokens[index + 1].folded == "streep":
            following, _ = _item(analysis, index + 2, "")
            if following is not None:  # "twintig vierentwintig, schuine streep, elf zevenentachtig"
                items.append(Item(token.start, tokens[index + 1].end, "/", index, index + 1, True, True, link))
                index, link = index + 2, JOINED
                continue
        if items and token.folded in _SYMBOL_WORDS and index + 1 < len(tokens):
            following, _ = _item(analysis, index + 1, "")
            if following is not None:
                items.append(Item(token.start, token.end, _SYMBOL_WORDS[token.folded], index, index, True, True, link))
                index, link = index + 1, JOINED
                continue
        if items and skipped < _MAX_SKIPPED_WORDS and "?" not in text[tokens[items[-1].last].end : token.start]:
            if token.kind == sn.FILLER or token.folded in _FILLER_WORDS:
                index, skipped = index + 1, skipped + 1
                link = link if link != JOINED else SKIPPED
                continue
            length = _remark_at(tokens, index)
            if length:
                index, skipped = index + length, skipped + length
                link = link if link != JOINED else SKIPPED
                continue
            length = _phrase_at(tokens, index, _REPAIRS)
            if length:
                index, skipped, link = index + length, skipped + length, REPAIRED
                continue
            length = _phrase_at(tokens, index, _CONNECTORS)
            if length:
                index, skipped = index + length, skipped + length
                link = link if link == REPAIRED else CONNECTED
                continue
        if items:
            yield from _finish(text, items)
        items, link, skipped = [], JOINED, 0
        index += 1
    if items:
        yield from _finish(text, items)


def _finish(text: str, items: list[Item]) -> Iterable[Reading]:
    """A reading of the collected items, without an article "een" before a letter or digits."""
    if len(items) > 1 and items[0].chars == "1" and text[items[0].start : items[0].end].casefold() in ("een", "één") \
            and not items[1].spoken:
        items = items[1:]
        items[0] = Item(items[0].start, items[0].end, items[0].chars, items[0].first, items[0].last, items[0].spoken,
                        items[0].lower, JOINED)
    # "een" closing a stretch before a word is the article: "12 03 een afspraak".
    if len(items) > 1 and items[-1].chars == "1" and text[items[-1].start : items[-1].end].casefold() == "een" \
            and (after := _WORD_AFTER.match(text, items[-1].end)) and len(after.group().strip()) >= 3:
        items = items[:-1]
    # an amount after a written code: "INV774102, driehonderd euro"
    if len(items) > 1 and items[-1].spoken != items[-2].spoken and (unit := _WORD_AFTER.match(text, items[-1].end)) \
            and unit.group().strip().casefold() in sn.UNITS:
        items = items[:-1]
    if items:
        yield Reading(text, tuple(items))


def across_full_stops(readings: Iterable[Reading]) -> list[Reading]:
    """Readings joined where only punctuation separates them: a code dictated as "NL91. ABNA. 0417.
    1643. 00." or "1234. A. B." is one, although a full stop before a capital ends a reading
    (and a number) elsewhere. For recognizers of codes whose shape is checked after reading."""
    joined: list[Reading] = []
    for reading in readings:
        if joined and _PUNCTUATION.fullmatch(reading.text, joined[-1].end, reading.start):
            first = reading.items[0]
            glued = Item(first.start, first.end, first.chars, first.first, first.last, first.spoken, first.lower,
                         CONNECTED)  # a part of its own: runs of parts may take it or leave it
            joined[-1] = Reading(reading.text, joined[-1].items + (glued,) + reading.items[1:])
        else:
            joined.append(reading)
    return joined


_PUNCTUATION = regex.compile(r"[\s.,;:!\u2026-]+")


# Read-backs: a value dictated in one turn and said again (by the agent, or in a correction) in
# another, in any form: "Acht één vier." → "814. Op naam van?".
_MIN_VALUE = 3  # a security code has three digits
_SHORT_VALUE = 4  # values this short are looked for only in the turns near the one they came from


def values(text: str, start: int, end: int) -> set[str]:
    """The canonical values dictated inside ``text[start:end]``: each part of a reading there and
    the whole of it, letters and digits only ("nul zes, twaalf" → "0612")."""
    found: set[str] = set()
    for reading in read(text):
        inside = [i for i, item in enumerate(reading.items) if start <= item.start and item.end <= end]
        if not inside:
            continue
        for first, last in [(inside[0], inside[-1]), *reading.parts()]:
            if first in inside and last in inside:
                value = _alnum(reading.items, first, last)
                if len(value) >= _MIN_VALUE and any(ch.isdigit() for ch in value):
                    found.add(value)
    return found


def mentions(text: str, known: dict[str, int], turn: int, near: int) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, value)`` in ``text`` (turn number ``turn``) of stretches that
    say one of the ``known`` values again, each mapped to the turn it was found in: a whole value,
    or a stretch of six or more characters inside a longer one (a card number read back in two
    halves). Values of four characters or fewer count only within ``near`` turns."""
    spans = []
    analysis = sn.analyse(text)
    for reading in read(text):
        items = reading.items
        if _amount(analysis, items[0].first, items[-1].last):
            continue
        for first in range(len(items)):
            for last in range(len(items) - 1, first - 1, -1):
                value = _alnum(items, first, last)
                if len(value) < _MIN_VALUE:
                    break
                origin = known.get(value)
                if origin is None and len(value) >= 6:
                    origin = next((t for v, t in known.items() if len(v) > len(value) and value in v), None)
                if origin is not None and (len(value) > _SHORT_VALUE or abs(turn - origin) <= near):
                    spans += [(a, b, value) for a, b in reading.spans(first, last)]
                    break
                if last == len(items) - 1 and len(value) >= 4 and (tail := _letters_as_words(text, items[last].end, value, known)):
                    end, full = tail  # "3512 he": the letters of a postcode read back as a word
                    if abs(turn - known[full]) <= near:
                        spans += [(a, b, full) for a, b in reading.spans(first, last)] + [(items[last].end, end, full)]
                        break
    return spans


_WORD_AFTER_VALUE = regex.compile(r"[ \t]+(\p{L}{1,3})(?![\p{L}\d])")


def _letters_as_words(text: str, end: int, value: str, known: dict[str, int]) -> tuple[int, str] | None:
    """When a known value is ``value`` and two or three letters, and a short word after ``end``
    spells them in any case ("3512" + " he"), that word's end and the known value."""
    match = _WORD_AFTER_VALUE.match(text, end)
    if not match:
        return None
    full = value + match.group(1).upper()
    return (match.end(), full) if full in known and len(full) - len(value) >= 2 else None


def _amount(analysis: sn.Analysis, first: int, last: int) -> bool:
    """An amount or a quantity: a unit after it ("269 euro") or a currency sign before it."""
    after = analysis.tokens[last + 1].folded if last + 1 < len(analysis.tokens) else ""
    return after in sn.UNITS or "€" in analysis.text[max(0, analysis.tokens[first].start - 2) : analysis.tokens[first].start]


def alnum_between(reading: Reading, start: int, end: int) -> str:
    """The letters and digits of the items of ``reading`` that lie inside ``start..end``."""
    return "".join(ch for item in reading.items if start <= item.start and item.end <= end for ch in item.chars if ch.isalnum())


def _alnum(items: Sequence[Item], first: int, last: int) -> str:
    return "".join(ch for item in items[first : last + 1] for ch in item.chars if ch.isalnum())
