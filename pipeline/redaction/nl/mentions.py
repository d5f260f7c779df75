"""What one turn tells about another: a value said again, a street or place named again, a value
dictated over several turns, an e-mail address whose parts are said in different turns.

The recognizers read one turn at a time; these functions read the whole transcript after them.
Each takes the turns and the entities found per turn and returns, per turn, extra spans
``(start, end, type, score)`` that the redactor merges with what it found:

- :func:`value_mentions`: a dictated value found in one turn and said again in another, in any
  form (the agent's read-back "814." of "Acht één vier.", half a card number read back);
- :func:`street_mentions`: a street found in an address, named again with its house number;
- :func:`place_mentions`: a place found once, at every mention;
- :func:`continued_dictation`: the pieces of a value dictated over turns with the other speaker's
  "ja" between them;
- :func:`local_parts`: the local part of an e-mail address whose domain was said on its own;
- :func:`local_part_fragments`: a local part begun and broken off ("a punt ramdin, nee wacht")
  near an e-mail address;
- :func:`repaired_values`: the wrong value before a repair ("achtentachtig… nee, tweeëntachtig
  vierenzestig") when the corrected one was found;
- :func:`postcode_letters`: a postcode's two letters said on their own near it ("Ee, bee.",
  "CK is de goede").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex
from spacy.lang.nl.stop_words import STOP_WORDS

from callscribe.pipeline.redaction.nl import dictation
from callscribe.pipeline.redaction.nl.postcode_spoken import COMMON_PAIRS
from callscribe.pipeline.redaction.nl.spoken_email import NUMBER_WORD
from callscribe.pipeline.types import Entity

Found = tuple[int, int, str, float]  # start, end, entity type, score

_AT_OPENING = regex.compile(r"(?i)[ \t]*(?:(?:eh|en dan|dan)[ \t,]+)?(?:apenstaartje|apestaartje|apenstaart|at|@)")
_LOCAL_PART_TURNS = 3  # turns back in which the local part of a domain said alone is looked for
INTERJECTION_WORDS = 3
_LOCAL_PART_SCORE = 0.45
_WORD_OR_DIGITS = regex.compile(r"[\p{L}\d][\p{L}\d_'’-]*")
_ADDRESS_WORDS = frozenset({"punt", "underscore", "streepje", "een"})
_LOCAL_STOP = frozenset({"mail", "e-mail", "email", "mailadres", "e-mailadres", "adres", "stuur", "naar", "is", "ja",
                         "nee", "oké", "sorry", "wacht", "zeg", "eh"})

# Dictated values that are looked for again in every turn when said once (read-backs, corrections).
VALUE_TYPES = frozenset({"PHONE_NUMBER", "POSTCODE", "IBAN", "BSN", "CREDIT_CARD", "CUSTOMER_ID", "LICENSE_PLATE",
                          "DATE_OF_BIRTH", "NUMBER"})
_VALUE_NEAR = 3  # turns around a short value (a security code, four digits) in which it is looked for
_MENTION_SCORE = 0.6  # a further mention of a place or street found elsewhere in the transcript
_WEAK_MENTION_SCORE = 0.45  # a piece of a value dictated over turns: flagged for review
_PROPAGATE_MIN_SCORE = 0.5  # only places found with at least this score are searched for again
_WORD = regex.compile(r"[\p{L}'’]+")


def value_mentions(texts: Sequence[str], found: Sequence[Sequence[Entity]]) -> list[list[Found]]:
    """Per text, the spans that say a dictated value found in another turn again, with that
    value's type and score: the agent's read-back of a security code, a phone number repeated in
    a correction, a card number read back in halves (:func:`callscribe.pipeline.redaction.nl.dictation.mentions`)."""
    origins: dict[str, list[tuple[int, str, float]]] = {}
    for turn, (text, entities) in enumerate(zip(texts, found)):
        for entity in entities:
            if entity.type in VALUE_TYPES or entity.type == "ADDRESS":  # a house number read back: "ik noteer 317"
                for value in dictation.values(text, entity.start, entity.end):
                    origins.setdefault(value, []).append((turn, entity.type, entity.score))
    spans: list[list[Found]] = [[] for _ in texts]
    if not origins:
        return spans
    for turn, text in enumerate(texts):
        nearest = {value: min(found_in, key=lambda o: abs(o[0] - turn)) for value, found_in in origins.items()}
        for start, end, value in dictation.mentions(text, {v: o[0] for v, o in nearest.items()}, turn, _VALUE_NEAR):
            origin = nearest.get(value) or next(o for v, o in nearest.items() if value in v)
            spans[turn].append((start, end, origin[1], origin[2]))
    return spans


def continued_dictation(segments: Sequence[tuple[str, str]], found: Sequence[Sequence[Entity]]) -> list[list[Found]]:
    """Per segment, the pieces of a value dictated over several turns of one speaker with only the
    other's "ja" between them ("een twee drie" … "vier vijf zes" … "zeven acht twee"): when a
    piece of the chain was found as a value, the dictated stretch closing each turn of the chain
    takes its type, flagged for review."""
    spans: list[list[Found]] = [[] for _ in segments]
    chains: list[list[int]] = []
    for index, (speaker, text) in enumerate(segments):
        current = chains[-1] if chains else None
        if current and segments[current[-1]][0] == speaker and index - current[-1] <= 2:
            current.append(index)
        elif current and segments[current[-1]][0] != speaker and _interjection(text):
            continue  # the other speaker's "ja" inside a chain
        else:
            chains.append([index])
    for chain in chains:
        if len(chain) < 2:
            continue
        kinds = [e.type for i in chain for e in found[i] if e.type in VALUE_TYPES and e.type != "NUMBER"]
        kinds = kinds or [e.type for i in chain for e in found[i] if e.type == "NUMBER"]
        if not kinds:
            continue
        kind = max(set(kinds), key=kinds.count)
        for i in chain:
            text = segments[i][1]
            readings = dictation.read(text)
            if readings and not text[readings[-1].end :].strip(" \t.,…?!") and \
                    sum(ch.isalnum() for ch in readings[-1].canonical) >= 2:
                spans[i] += [(a, b, kind, _WEAK_MENTION_SCORE) for a, b in
                             readings[-1].spans(0, len(readings[-1].items) - 1)]
    return spans


def _interjection(text: str) -> bool:
    """A short turn without a dictated value: "ja", "ja, ga door", "oké"."""
    return len(text.split()) <= INTERJECTION_WORDS and not dictation.read(text)


def street_mentions(texts: Sequence[str], found: Sequence[Sequence[Entity]]) -> list[list[Found]]:
    """Per text, the spans that name a street found in an address elsewhere in the transcript,
    with the house number after it: "Ringbaan-Oost 88, 2 hoog ... Ringbaan-Oost 88-2"."""
    streets: dict[str, float] = {}
    for text, entities in zip(texts, found):
        for entity in entities:
            if entity.type == "ADDRESS" and (street := _street_of(text[entity.start : entity.end])):
                streets[street.casefold()] = max(streets.get(street.casefold(), 0.0), entity.score)
    spans: list[list[Found]] = [[] for _ in texts]
    if not streets:
        return spans
    pattern = regex.compile(r"(?<![\p{L}\d-])(?i:" + "|".join(
        re.escape(street).replace(r"\ ", r"[ \t]+") for street in sorted(streets, key=len, reverse=True)) + r")(?![\p{L}\d])")
    for index, text in enumerate(texts):
        for match in pattern.finditer(text):
            number = _HOUSE_NUMBER_AFTER.match(text, match.end())
            counted = number and not _ADDITION.search(number.group()) and _COUNTED_AFTER.match(text, number.end())
            end = number.end() if number and not counted else match.end()
            spans[index].append((match.start(), end, "ADDRESS", streets[regex.sub(r"[ \t]+", " ", match.group().casefold())]))
    return spans


_HOUSE_NUMBER_AFTER = regex.compile(r"[ \t]+(?i:nummer[ \t]+)?\d{1,5}(?:[ \t]?-[ \t]?\w{1,4}|[ \t]?[a-z](?![\p{L}\d]))?")
# A word after a number that makes it a count, not a house number ("de kerkstraat 3 kinderen hebben we").
_COUNTED_AFTER = regex.compile(r"(?i)[ \t]+(?:\p{L}{2,}en|jaar|keer|uur|euro|kilo|meter|procent|stuks?)(?![\p{L}])")
_ADDITION = regex.compile(r"\d[ \t]?(?:-|\p{L})")  # "12 b", "88-2": a house number for sure
_STREET_WORDS = regex.compile(r"[\p{L}\d][\p{L}\d'’.]*(?:-[\p{L}\d][\p{L}\d'’]*)*")


def _street_of(address: str) -> str | None:
    """The street name of an address span: its words before the house number, without an article
    ("de Lange Nieuwstraat nummer 4" → "Lange Nieuwstraat"); None when that is shorter than five letters."""
    words = []
    for match in _STREET_WORDS.finditer(address):
        folded = match.group().casefold()
        if match.group()[0].isdigit() or folded in ("nummer", "postbus") or (
                (reading := dictation.read(match.group())) and reading[0].canonical.isdigit()):
            break  # the house number, or "nummer" before it
        if not words and folded in ("de", "het", "'t"):
            continue
        words.append(match.group())
    street = " ".join(words)
    return street if sum(ch.isalpha() for ch in street) >= 5 and len(words) <= 5 else None



def place_mentions(texts: Sequence[str], found: Sequence[Sequence[Entity]], common_words: frozenset[str]) -> list[list[Found]]:
    """Per text, further mentions of a place found in the transcript ("in Leiden ...
    Leiden-Noord"); a place that is also an ordinary word only with its capital."""
    places: dict[str, float] = {}
    for text, entities in zip(texts, found):
        for entity in entities:
            value = text[entity.start : entity.end]
            if entity.type == "LOCATION" and entity.score >= _PROPAGATE_MIN_SCORE and len(value) >= 4 \
                    and "\n" not in value:
                places[value] = max(places.get(value, 0.0), entity.score)
    spans: list[list[Found]] = [[] for _ in texts]
    if not places:
        return spans
    alternatives = []
    for place in sorted(places, key=len, reverse=True):
        escaped = re.escape(place).replace(r"\ ", r"[ \t]+")
        common = all(w.casefold() in common_words for w in _WORD.findall(place))
        alternatives.append(f"(?-i:{re.escape(place[0].upper() + place[1:])})" if common else escaped)
    pattern = regex.compile(r"(?<![\p{L}\d])(?i:" + "|".join(alternatives) + r")(?![\p{L}\d])")
    for index, text in enumerate(texts):
        spans[index] += [(m.start(), m.end(), "LOCATION", _MENTION_SCORE) for m in pattern.finditer(text)]
    return spans

def local_parts(segments: Sequence[tuple[str, str]], found: Sequence[Sequence[Entity]], stop_words: frozenset[str]) -> list[list[Found]]:
    """Per segment, the local part of an e-mail address whose domain the same speaker said on
    its own a turn or two later ("gert punt" … "huisman zevenenveertig" … "at quicknet punt
    nl"): the words at the end of the earlier turns that can be part of an address, flagged
    for review."""
    spans: list[list[Found]] = [[] for _ in segments]
    for index, ((speaker, text), entities) in enumerate(zip(segments, found)):
        if not any(e.type == "EMAIL_ADDRESS" and _AT_OPENING.match(text[e.start : e.end]) and not text[: e.start].strip(
                " \t.,…") for e in entities):
            continue
        same = 0
        for back in range(index - 1, -1, -1):
            other_speaker, other = segments[back]
            if other_speaker != speaker:
                if len(other.split()) <= INTERJECTION_WORDS:
                    continue  # the agent's "ja" between the pieces
                break
            same += 1
            if same > _LOCAL_PART_TURNS:
                break
            start = _local_tail(other, stop_words)
            if start is not None:
                spans[back].append((start, len(other.rstrip(" \t.,…")), "EMAIL_ADDRESS", _LOCAL_PART_SCORE))
            if start is None or other[:start].strip():
                break  # the turn held more than the address: the address began there
    return spans

def _local_tail(text: str, stop_words: frozenset[str]) -> int | None:
    """Start of the words at the end of ``text`` that can be an address's local part: names,
    letters, digits and number words, joined by "punt", "underscore", "streepje"."""
    start = None
    for word in reversed(list(_WORD_OR_DIGITS.finditer(text))):
        folded = word.group().casefold()
        if folded in stop_words and folded not in _ADDRESS_WORDS or folded in _LOCAL_STOP:
            break
        start = word.start()
    return start


_FRAGMENT_SCORE = 0.45
_FRAGMENT_NEAR = 2  # turns around an e-mail address (or a turn that asks for one) in which fragments count
_MAIL_CUE = regex.compile(r"(?i)(?<![\p{L}])(?:e-?)?mail(?:adres|tje)?(?![\p{L}])")
_JOIN_WORDS = ("punt", "puntje", "underscore", "streepje")
_PARTICLE_WORDS = frozenset({"el", "al", "van", "de", "der", "den"})
_FRAGMENT = regex.compile(
    r"(?i)(?<![\p{L}\d@.])(?P<first>[\p{L}][\p{L}'’-]*)(?:(?:[ \t]*[,.\u2026]*[ \t]+(?:(?:laag|liggend)[ \t]+)?(?:"
    + "|".join(_JOIN_WORDS) + r")[ \t]*[,.\u2026]*[ \t]+)(?P<next>(?:(?:el|al|van|de|der|den)[ \t]+)?[\p{L}][\p{L}'’-]*))+"
    rf"(?:[ \t]+(?:\d+|{NUMBER_WORD}))?(?![\p{{L}}\d@])")  # "h underscore bakker zestig"


def local_part_fragments(texts: Sequence[str], found: Sequence[Sequence[Entity]]) -> list[list[Found]]:
    """Per text, a local part said with "punt" or "underscore" and broken off or said apart from
    its domain ("ha, punt, dijkstra, eh, nee, ik begin opnieuw", "en t punt kowalski, zelfde
    domein") in a turn near an e-mail address or a question for one: flagged for review. A
    word of the fragment that is a stop word ("op dit punt") rules it out."""
    near = set()
    for index, (text, entities) in enumerate(zip(texts, found)):
        if any(e.type == "EMAIL_ADDRESS" for e in entities) or _MAIL_CUE.search(text):
            near.update(range(index - _FRAGMENT_NEAR, index + _FRAGMENT_NEAR + 1))
    spans: list[list[Found]] = [[] for _ in texts]
    for index in sorted(i for i in near if 0 <= i < len(texts)):
        for match in _FRAGMENT.finditer(texts[index]):  # also an address said again in parts: "Warmte streepje west."
            words = [w.casefold() for w in _WORD.findall(match.group()[: match.end("next") - match.start()])
                     if w.casefold() not in _JOIN_WORDS and w.casefold() not in ("laag", "liggend")]
            if any(len(w) > 1 and (w in STOP_WORDS or w == "elkaar") and not (w in _PARTICLE_WORDS and k < len(words) - 1)
                   for k, w in enumerate(words)):
                continue
            spans[index].append((match.start(), match.end(), "EMAIL_ADDRESS", _FRAGMENT_SCORE))
    return spans


_REPAIR_SLACK = 2  # the wrong value may be this many characters longer than the corrected one


def repaired_values(texts: Sequence[str], found: Sequence[Sequence[Entity]]) -> list[list[Found]]:
    """Per text, the wrong value said before a repair whose corrected value was found: the part of
    the dictated stretch before "nee", "sorry", "ik bedoel" ... takes the corrected value's type
    and score. A repair redacts both values: the wrong one is usually a digit off."""
    spans: list[list[Found]] = [[] for _ in texts]
    for index, (text, entities) in enumerate(zip(texts, found)):
        for entity in entities:
            if entity.type not in VALUE_TYPES:
                continue
            for reading in dictation.read(text):
                first = next((k for k, item in enumerate(reading.items) if entity.start <= item.start < entity.end), None)
                if not first or reading.items[first].link != dictation.REPAIRED:
                    continue
                part = next((a, b) for a, b in reading.parts() if b == first - 1)
                wrong = "".join(item.chars for item in reading.items[part[0] : part[1] + 1])
                if len(wrong) <= len(dictation.alnum_between(reading, entity.start, entity.end)) + _REPAIR_SLACK:
                    spans[index] += [(a, b, entity.type, entity.score) for a, b in reading.spans(*part)]
    return spans


_POSTCODE_NEAR = 2  # turns around a postcode (or the word "postcode") in which its letters alone count
_POSTCODE_CUE = regex.compile(r"(?i)(?<![\p{L}])postcode")


def postcode_letters(texts: Sequence[str], found: Sequence[Sequence[Entity]]) -> list[list[Found]]:
    """Per text, two letters said on their own near a postcode or a question about one, flagged
    for review: a postcode's letters corrected, confirmed or asked about ("Nee, het is echt HK",
    "bedoelt u y z", "CK is de goede"). Pairs that are words or abbreviations ("ok", "cv", "tv")
    stay visible."""
    near: set[int] = set()
    for index, (text, entities) in enumerate(zip(texts, found)):
        if any(e.type == "POSTCODE" for e in entities) or _POSTCODE_CUE.search(text):
            near.update(range(index - _POSTCODE_NEAR, index + _POSTCODE_NEAR + 1))
    spans: list[list[Found]] = [[] for _ in texts]
    for index in sorted(i for i in near if 0 <= i < len(texts)):
        for reading in dictation.read(texts[index]):
            items = reading.items
            if not reading.canonical.isalpha():
                continue
            if len(items) == 3 and items[0].chars == "U" and len(reading.canonical) == 3:
                items = items[1:]  # "bedoelt u y z": "u" is the pronoun
            letters = "".join(item.chars for item in items)
            if len(letters) == 4 and letters[:2] == letters[2:] or len(letters) == 2:  # "HK, H van Hendrik, K van Karel"
                if letters[:2].casefold() not in COMMON_PAIRS:
                    spans[index].append((items[0].start, items[-1].end, "POSTCODE", _WEAK_MENTION_SCORE))
    return spans
