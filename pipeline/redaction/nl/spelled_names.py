"""Names spelled out on the phone, as Whisper writes them: letter by letter ("D-A-B-R-O-W-S-K-I",
"g-e-e-r-t-j-e", "J, A, N, S, E, N", "B E N A L I", "W, IJ, N, A, N, D, S") or with the Dutch
spelling alphabet ("D van Dirk, E van Eduard, … Z van Zaandam"). The whole spelled part is one
PERSON span. A word of the same turn that the spelling spells (or begins: "Wijnands, W-IJ-N…")
is the name too.

A single letter ("met i-j", "Ja, b.") or two are a spelling remark, not a name: a spelling needs
at least three letters, four when written as lower-case letters with spaces only (three when they
spell a word of the turn: "kim, k i m"), and a spelling-alphabet spelling needs two letters whose
words begin with that letter. A spelled word that is also an ordinary word ("wolf, w van willem …")
is the name when the spelling spells it in full. The spelling alphabet is read structurally (letter,
"van"/"voor"/"als in", a word beginning with that letter), not from a fixed list.
"""

from __future__ import annotations

from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from callscribe.pipeline.redaction.nl._numbers import digits
from callscribe.pipeline.redaction.nl.person_context import common_words, load_word_list, result

_LETTER = r"(?:IJ|Ij|ij|\p{L})"
_END = r"(?![\p{L}\d])"
# Letter sequences, by separator. Upper-case letters with spaces need three, lower-case four
# (Dutch has one-letter words: "u", "a", "e").
# One unit of a comma-separated spelling: a letter, a doubled letter ("dubbel T"), a letter with its
# accent ("O met een streepje"), or a sign between letters ("streepje", "spatie").
_UNIT = (rf"(?:(?:dubbele?|twee[ \t]+keer)[ \t]+)?{_LETTER}{_END}"
         r"(?:[ \t]+met[ \t]+een[ \t]+(?:streepje|puntje|accent|trema|dakje|staartje|rondje|schuine[ \t]+streep))?")
_SIGN = r"(?:streepje|koppelteken|spatie|apostrof)"
_SPELLED = regex.compile(
    rf"(?<![\p{{L}}\d-]){_LETTER}(?:-{_LETTER}){{2,}}{_END}(?:\.\.\.|…)?"
    rf"|(?<![\p{{L}}\d,]){_UNIT}(?:,[ \t]*(?:{_UNIT}|{_SIGN}{_END})){{2,}}{_END}"
    rf"|(?<![\p{{L}}\d])(?:IJ|\p{{Lu}}){_END}(?:[ \t]+(?:(?=\p{{Lu}}|dubbel|twee|met){_UNIT}|{_SIGN}{_END})){{2,}}{_END}"
    rf"|(?<![\p{{L}}\d])\p{{Ll}}{_END}(?:[ \t]+met[ \t]+een[ \t]+(?:streepje|puntje|accent|trema|dakje|staartje))?"
    rf"(?:[ \t]+(?:(?!(?i:ij){_END})(?=\p{{Ll}}){_UNIT}|ij{_END}|{_SIGN}{_END})){{3,}}{_END}"
    rf"|(?<![\p{{L}}\d.])\p{{Lu}}\.(?:[ \t]*\p{{Lu}}\.){{3,}}"
)
# One spelling-alphabet item: "A van Anton", "IJ van IJmuiden", "s als in Simon".
_ITEM = rf"(?P<letter>{_LETTER})[ \t]+(?:van|voor|als in|zoals)[ \t]+(?P<word>\p{{L}}[\p{{L}}'’-]*)"
_ITEM_RE = regex.compile(_ITEM)
# Between and after the items of one spelling: a letter said alone ("D van Dirk, O, S van Simon",
# "ij van ijmuiden p e l a a r") and remarks on signs ("streepje", "koppelteken", "spatie").
_SEPARATOR = r"(?:,[ \t]*|[ \t]+|,?[ \t]+en[ \t]+)"
_BARE = rf"(?:{_LETTER}|streepje|koppelteken|liggend[ \t]+streepje|spatie|apostrof|punt){_END}(?![ \t]+(?:van|voor|als in|zoals)[ \t])"
_ALPHABET_RUN = regex.compile(
    rf"(?<![\p{{L}}\d]){_ITEM}(?:{_SEPARATOR}(?:{_BARE}{_SEPARATOR})*{_ITEM})*(?P<tail>(?:{_SEPARATOR}{_LETTER}{_END})*)"
)
_BARE_LETTER = regex.compile(rf"(?<![\p{{L}}]){_LETTER}{_END}")
# Three lower-case letters with spaces ("k i m"): a spelling only when they spell a word of the turn.
_SHORT_SPELLED = regex.compile(rf"(?<![\p{{L}}\d])\p{{Ll}}(?:[ \t]+\p{{Ll}}{_END}){{2}}{_END}")
_WORD = regex.compile(r"[\p{L}'’]+")
_LAST_WORD = regex.compile(r"([\p{L}\d]+)[ \t]*[,-]?[ \t]*$")
_FIRST_WORD = regex.compile(r"[ \t]*[,-]?[ \t]*([\p{L}\d]+)")

_VOWELS = frozenset("aeiouy")
_SCORE_SPELLED = 0.7
_SCORE_ALPHABET = 0.85
_SCORE_SPELLED_WORD = 0.6


def _letters(spelled: str) -> str:
    """The letters a spelling spells, without its signs and remarks ("dubbel T" → "tt")."""
    spelled = _REMARKS.sub("", spelled.casefold())
    spelled = _DOUBLE.sub(lambda m: m.group(1) * 2, spelled)
    return "".join(ch for ch in spelled if ch.isalpha())


_REMARKS = regex.compile(r"met[ \t]+een[ \t]+\p{L}+|streepje|koppelteken|spatie|apostrof")
_DOUBLE = regex.compile(r"(?:dubbele?|twee[ \t]+keer)[ \t]+(ij|\p{L})")


class DutchSpelledNameRecognizer(EntityRecognizer):
    """PERSON for letter-by-letter and spelling-alphabet spellings, and the word they spell."""

    def __init__(self, rules_dir: Path):
        super().__init__(
            supported_entities=["PERSON"], name="DutchSpelledNameRecognizer", supported_language="nl",
            context=["naam", "spel", "spellen", "letter", "schrijf", "schrijft"],
        )
        self._not_names = load_word_list(rules_dir / "not_person_nl.txt")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        found: list[RecognizerResult] = []
        spelled: list[tuple[int, int, str]] = []
        for match in _ALPHABET_RUN.finditer(text):
            end = self._run_end(text, match)
            items = list(_ITEM_RE.finditer(text, match.start(), end))
            bare = len(_BARE_LETTER.findall(text, match.start(), end)) - len(items)
            if (len(items) >= 2 or bare >= 2) and all(
                    _letters(item.group("word")).startswith(_letters(item.group("letter"))) for item in items):
                found.append(result(self, "PERSON", match.start(), end, _SCORE_ALPHABET))
                spelled.append((match.start(), end, "".join(_letters(i.group("letter")) for i in items)))
        for match in _SPELLED.finditer(text):
            if any(s <= match.start() < e for s, e, _ in spelled) or self._next_to_number(text, match):
                continue
            letters = _letters(match.group())
            if len(letters) < 4 and set(letters) <= _VOWELS:
                continue  # "u, e, a": vowels, no spelled name
            found.append(result(self, "PERSON", match.start(), match.end(), _SCORE_SPELLED))
            spelled.append((match.start(), match.end(), _letters(match.group())))
        words = {w.group().casefold() for w in _WORD.finditer(text) if len(w.group()) == 3}
        for match in _SHORT_SPELLED.finditer(text):
            letters = _letters(match.group())
            if letters in words and not any(s <= match.start() < e for s, e, _ in spelled):
                found.append(result(self, "PERSON", match.start(), match.end(), _SCORE_SPELLED))
                spelled.append((match.start(), match.end(), letters))
        if spelled:
            found += self._spelled_words(text, spelled, common_words(nlp_artifacts))
        return found

    @staticmethod
    def _run_end(text: str, match) -> int:
        """End of a spelling-alphabet run: its letters said alone after the last item belong to it
        when the turn or sentence ends after them, or when there are two or more of them; a single
        lower-case "u", "e", "a" or "o" before more words is a pronoun or an article."""
        if not match.group("tail"):
            return match.end()
        letters = _BARE_LETTER.findall(match.group("tail"))
        ends = not text[match.end():].strip() or text[match.end()] in ".,;:!?…"
        if ends or len(letters) >= 2 or letters[0].casefold() not in ("u", "e", "a", "o", "'t"):
            return match.end()
        return match.start("tail")

    @staticmethod
    def _next_to_number(text: str, match) -> bool:
        """Letters dictated between digits or number words are a licence plate, postcode or code."""
        before = _LAST_WORD.search(text, 0, match.start())
        after = _FIRST_WORD.match(text, match.end())
        words = [w.group(1) for w in (before, after) if w is not None and w.group(1).casefold() not in ("een", "één")]
        return any(w.isdigit() or digits(w) is not None for w in words)

    def _spelled_words(self, text: str, spelled: list[tuple[int, int, str]], common: frozenset[str]):
        """Words of the turn that the spellings spell, or begin with (an interrupted spelling)."""
        results = []
        for word in _WORD.finditer(text):
            if any(s <= word.start() < e for s, e, _ in spelled):
                continue
            folded = word.group().casefold()
            if len(folded) < 3 or folded in self._not_names:
                continue
            ordinary = folded in common  # "wolf, w van willem, o van otto …": an ordinary word spelled in full
            for _, _, letters in spelled:
                if len(letters) >= 3 and (folded == letters or (
                        not ordinary and len(letters) >= 4 and folded.startswith(letters))):
                    results.append(result(self, "PERSON", word.start(), word.end(), _SCORE_SPELLED_WORD))
                    break
        return results


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DutchSpelledNameRecognizer(rules_dir)]
