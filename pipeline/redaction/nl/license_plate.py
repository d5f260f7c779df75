"""Dutch licence plates said aloud or spelled, as a speech recogniser writes them, in any case:
"Vier, H R Z, drie acht", "J D vier zes acht T", "h n vier zes acht t", "twee vier, H, B, vijf een",
"rhf 58 z", "g-438-rt nee wacht g-483-rt" (both the wrong and the corrected plate). Written plates
(all sidecodes, with dashes, spaces or nothing between the groups) are also
``redaction_rules/license_plate_nl.yaml``.

A plate is a part of a dictated stretch (:mod:`callscribe.pipeline.redaction.nl.dictation`) that reads as exactly six
characters in the shape of a Dutch sidecode (RDW sidecodes 1–14). Plates issued since 1978 use only
the consonants of :data:`PLATE_LETTERS`; letters outside them (vowels, C, Q, W) need capitals or a
context word. The shape 9999-XX is also the shape of a postcode ("twee zeven acht nul, D V") and only
counts near the word kenteken (context).
"""

from __future__ import annotations

from pathlib import Path

from presidio_analyzer import EntityRecognizer

from callscribe.pipeline.redaction.nl import dictation
from callscribe.pipeline.redaction.nl import spoken_numbers as sn
from callscribe.pipeline.redaction.nl.person_context import result

# Letter/digit group lengths of the sidecodes, "L" letters, "D" digits.
SIDECODES = frozenset({
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D", "D-LLL-DD",
    "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "D-LL-DDD", "DDD-LL-D", "L-DD-LLL",
})
# The letters of plates issued since 1978 (no vowels, no C, Q, W; M and Y not at all).
PLATE_LETTERS = frozenset("BDFGHJKLNPRSTVXZ")
_POSTCODE_SHAPE = "DDDDLL"
_SHAPES = {code.replace("-", ""): code for code in SIDECODES}
_SCORE = 0.9  # above the NER's 0.85: a merged span of a dictated plate is a plate
_OTHER_LETTERS_SCORE = 0.6  # older plates with vowels, in capitals
_WEAK_SCORE = 0.2  # the postcode shape, or vowels in lower case: needs a context word


def _shape(chars: str) -> str:
    return "".join("D" if ch.isdigit() else "L" for ch in chars)


def _fits(items, sidecode: str) -> bool:
    """True when no written item crosses a group of the sidecode: "DS 5827" is no plate, "DS 58 27"
    and "D S vijf acht twee zeven" are."""
    cuts, position = set(), 0
    for group in sidecode.split("-"):
        position += len(group)
        cuts.add(position)
    position = 0
    for item in items:
        chars = item.chars.replace("-", "")
        crossed = any(position < cut < position + len(chars) for cut in cuts)
        if crossed and not item.spoken:
            return False
        position += len(chars)
    return True


class DutchSpokenPlateRecognizer(EntityRecognizer):
    """LICENSE_PLATE for plates dictated as letters and (number) words."""

    CONTEXT = ["kenteken", "nummerbord", "auto", "wagen", "bus", "bestelbus", "voertuig", "kentekenherkenning"]

    def __init__(self):
        super().__init__(
            supported_entities=["LICENSE_PLATE"], name="DutchSpokenPlateRecognizer", supported_language="nl",
            context=self.CONTEXT,
        )

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        found = []
        for reading in dictation.across_full_stops(dictation.read(text)):
            if len(reading.items) < 2:
                continue
            claimed: set[int] = set()
            for first, last, chars in [*reading.runs(), *_windows(reading)]:
                chars = chars.replace("-", "")
                if len(chars) != 6 or claimed.intersection(range(first, last + 1)) or last == first:
                    continue
                shape = _shape(chars)
                if shape not in _SHAPES:
                    continue
                letters = {ch for ch in chars if ch.isalpha()}
                items = reading.items[first : last + 1]
                if not _fits(items, _SHAPES[shape]):
                    continue
                if shape == _POSTCODE_SHAPE:
                    score = _WEAK_SCORE
                elif letters <= PLATE_LETTERS:
                    score = _SCORE
                elif not any(item.lower for item in items if item.chars.isalpha()):
                    score = _OTHER_LETTERS_SCORE
                else:
                    score = _WEAK_SCORE
                claimed.update(range(first, last + 1))
                found += [result(self, "LICENSE_PLATE", a, b, score) for a, b in reading.spans(first, last)]
            if not claimed and _partial_plate(reading):
                # "het kenteken is h n x nul zes eh ...": a plate read in part after the word kenteken;
                # without it in the turn, the agent's "kenteken?" before it (Presidio context) lifts it
                score = _PARTIAL_SCORE if _cued(text, reading) else _UNCUED_PARTIAL_SCORE
                found += [result(self, "LICENSE_PLATE", a, b, score) for a, b in reading.spans(0, len(reading.items) - 1)]
        return found


_MAX_AROUND = 2  # characters a reading may have beyond a plate found inside it


def _windows(reading: dictation.Reading) -> list[tuple[int, int, str]]:
    """Six characters on item boundaries inside a reading at most two characters longer: a plate
    with a confirmation after it ("v b g negen drie h, v van victor") or the article "een" before
    it ("het is een zeven, ka, el, ex, nul, negen")."""
    items = reading.items
    if len(reading.canonical.replace("-", "")) > 6 + _MAX_AROUND:
        return []
    return [(first, last, chars) for first, last, chars in reading.windows(6, ignore="-")
            if all(reading.text[i.start : i.end].casefold() == "een" for i in items[:first])
            and all(i.chars.isalpha() for i in items[last + 1 :])]


_PARTIAL_SCORE = 0.6
_UNCUED_PARTIAL_SCORE = 0.2  # below the threshold unless a context word lifts it
_CUE_WORDS = frozenset({"kenteken", "kentekennummer", "nummerbord", "kentekenplaat"})
_NEAR = 6  # words before a reading in which the word kenteken counts


def _partial_plate(reading: dictation.Reading) -> bool:
    """Four to seven plate characters, letters and digits both, the letters those of plates."""
    chars = reading.canonical.replace("-", "")
    letters = {ch for ch in chars if ch.isalpha()}
    return 4 <= len(chars) <= 7 and chars.isalnum() and letters and letters <= PLATE_LETTERS and any(
        ch.isdigit() for ch in chars)


def _cued(text: str, reading: dictation.Reading) -> bool:
    analysis = sn.analyse(text)
    return any(word in _CUE_WORDS for word in analysis.words_before(reading.items[0].first, _NEAR))


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DutchSpokenPlateRecognizer()]
