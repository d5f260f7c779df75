"""Word lists and the name gazetteer: what the recognizers know about Dutch words and names.

Word lists are files of the rules folder (``redaction_rules/*.txt``), one entry a line; the
gazetteer weighs Faker's first names and surnames against the ordinary words of the spaCy
lexicon, so a name that is also a word ("Roos", "Visser") counts only where a name is expected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache
from pathlib import Path

import regex

from callscribe.pipeline.errors import RulesError

# One entry of a word list: words of letters, digits and ' ’ . & -, separated by single spaces.
_ENTRY = regex.compile(r"[\p{L}\d][\p{L}\d'’.&-]*(?: [\p{L}\d'’.&-]+)*")


def load_word_list(path: Path) -> frozenset[str]:
    """The entries of a word list (a file of the rules folder), case-folded.

    One entry a line (words of letters, digits, ``'.&-``, single spaces); blank lines and lines
    starting with ``#`` are skipped.

    Raises:
        RulesError: the file is missing or a line is not a valid entry, naming file and line.
    """
    return _load_word_list(path)


@lru_cache(maxsize=16)
def _load_word_list(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise RulesError(f"{path}: cannot read the word list ({err}); restore the file from the repository") from err
    entries = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not _ENTRY.fullmatch(line):
            raise RulesError(
                f"{path}: line {number} is not a word-list entry ({len(line)} characters): write one word or "
                "phrase a line (letters, digits, ' . & -, single spaces, no tabs or trailing spaces); "
                "comments start with #"
            )
        entries.add(line.casefold())
    if not entries:
        raise RulesError(f"{path}: the word list is empty; add one entry a line")
    return frozenset(entries)


_LEXICONS: dict[int, frozenset[str]] = {}


def lexicon(nlp) -> frozenset[str]:
    """Ordinary Dutch words of a spaCy pipeline: its stop words and the forms and lemmas of its
    lookup lemmatizer table, case-folded (only the stop words for a pipeline without one)."""
    key = id(nlp)
    if key not in _LEXICONS:
        words: set[str] = {w.casefold() for w in nlp.Defaults.stop_words}
        try:
            table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
            words |= {str(v).casefold() for v in table.values()}
            strings = nlp.vocab.strings
            for key_hash in table.keys():
                if key_hash in strings:
                    words.add(strings[key_hash].casefold())
        except (KeyError, ValueError, AttributeError):
            pass
        _LEXICONS[key] = frozenset(words)
    return _LEXICONS[key]


class NameKind(IntEnum):
    """What a word is, as far as names go (see :meth:`NameGazetteer.kind`)."""

    NEVER = 0  # a brand, greeting, weekday, month, country: never part of a person's name
    WORD = 1  # an ordinary word, not a known name
    UNKNOWN = 2  # no ordinary word and no known name: a name where a name is expected
    AMBIGUOUS = 3  # a known name that is also an ordinary word ("roos", "visser"): a name in a name position
    NAME = 4  # a known name and no ordinary word ("fatima", "öztürk"): a name wherever it stands


# Name particles, lower case; inside a name span.
NAME_PARTICLES = frozenset(
    {"van", "de", "der", "den", "ter", "ten", "te", "'t", "het", "in", "op", "uit", "la", "le", "du", "da", "di",
     "dos", "el", "al", "ben", "oude", "ait", "abu", "bin", "d'"}
)
# Endings that make an unknown word a street or a compound, not a name.
_NOT_NAME_ENDINGS = ("straat", "laan", "weg", "plein", "singel", "gracht", "steeg", "dreef", "plantsoen", "kade", "park",
                     "nummer", "code", "adres", "dienst", "woning", "ketel", "meter", "tijd", "huis")
_PART = regex.compile(r"[\p{L}'’]+")
_SHORT_VERBS = frozenset({"zit", "wil", "ben", "kan", "mag", "moet", "zal", "ga", "sta", "kom", "zeg", "doe", "heb"})
_HYPHEN_PARTICLE = regex.compile(r"-(?:de|van|van der|van den|van de|ter|ten|el|al)\s")
# "erbij", "waarmee", "daarna": pronominal adverbs; "zevenentachtig": a number in words.
_NOT_NAME_WORD = regex.compile(
    r"(?:er|daar|waar|hier)(?:aan|achter|af|bij|binnen|boven|buiten|door|heen|in|langs|mee|na|naar|naast|om|onder"
    r"|op|over|tegen|toe|tussen|uit|van|voor|zonder)"
    r"|(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien"
    r"|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd"
    r"|duizend|miljoen|en|ën)+(?:ste|de)?"
    # irregular verb forms the lemma table lacks
    r"|stond|stonden|ging|gingen|liep|liepen|zat|zaten|lag|lagen|kwam|kwamen|nam|namen|gaf|gaven|zag|zagen|deed"
    r"|deden|wist|wisten|kon|konden|moest|moesten|mocht|mochten|wou|wilde|bleef|bleven|reed|reden|sprak|spraken"
    r"|zei|zeiden|vond|vonden|hing|hingen|bracht|brachten|dacht|dachten|kocht|zocht|vroeg|vroegen|schreef|las"
    r"|dronk|sliep|viel|vielen|hield|liet|lieten|begon|begonnen|kreeg|kregen|trok|sloot|stuurde|heette|gebeurd"
    r"|gebeurde|gegaan|gekomen|gezien|gedaan|gezegd|gebracht|gedacht|gekregen|gestaan|gelegen|gezeten|geweest"
)


@dataclass(frozen=True)
class NameGazetteer:
    """First names and surnames (``first_names.txt``, ``surnames.txt``, generated from Faker by
    ``make_names.py``) against the ordinary words of the spaCy lexicon.

    A first name is a name unless ``ordinary_names_nl.txt`` or the stop words list it as an
    ordinary word too; a surname that is no first name is ambiguous when the lexicon knows it
    ("bakker", "visser", "jong"). Words of ``never`` (brands, greetings, weekdays, countries …)
    are no name at all.
    """

    first: frozenset[str]
    surnames: frozenset[str]
    names: frozenset[str]
    ambiguous: frozenset[str]
    ordinary: frozenset[str]
    never: frozenset[str]
    stop_words: frozenset[str] = frozenset()
    forms: Callable[[str], bool] = field(default=lambda word: False, compare=False, repr=False)
    _kinds: dict = field(default_factory=dict, compare=False, repr=False)

    def kind(self, word: str) -> NameKind:
        """The :class:`NameKind` of one word (a hyphenated double name counts as one word)."""
        folded = word.casefold()
        known = self._kinds.get(folded)
        if known is None:
            known = self._kinds[folded] = self._kind(folded)
        return known

    def _kind(self, folded: str) -> NameKind:
        if "-" in folded or " " in folded:
            return self._compound_kind(folded)
        folded = folded.strip("'’")
        if folded in self.never:
            return NameKind.NEVER
        if folded in self.names:
            # a name that is also a pronominal adverb or a verb form ("erna", "reed") needs a position
            return NameKind.AMBIGUOUS if _NOT_NAME_WORD.fullmatch(folded) or self.verb_like(folded) else NameKind.NAME
        if folded in self.ambiguous:
            return NameKind.AMBIGUOUS
        if folded in self.ordinary or len(folded) < 3 or not folded.isalpha() or self.forms(folded):
            return NameKind.WORD
        if (folded.endswith(_NOT_NAME_ENDINGS) or _NOT_NAME_WORD.fullmatch(folded) or self._inflected(folded)
                or self._compound(folded)):
            return NameKind.WORD
        return NameKind.UNKNOWN

    def verb_like(self, word: str) -> bool:
        """A stop word or a short verb form that is also a name ("zit", "wil", "ben")."""
        folded = word.casefold()
        return folded in self.stop_words or folded in _SHORT_VERBS

    def verb_form(self, word: str) -> bool:
        """A conjugated verb ("werkt", "stopt", "belde") or a stop word."""
        folded = word.casefold()
        return folded in self.stop_words or bool(_NOT_NAME_WORD.fullmatch(folded)) or (
            folded.endswith(("t", "de", "te", "den", "ten")) and self._inflected(folded)
        )

    def _known(self, word: str) -> bool:
        return word in self.ordinary or self.forms(word)

    def _inflected(self, word: str) -> bool:
        """A verb form or plural whose lemma the lexicon knows ("gaat", "gebeld", "belde", "zeg")."""
        stems = {word}
        if word.startswith("ge") and len(word) > 6:
            stems |= {word[2:-1], word[2:-2]} if word.endswith("en") else {word[2:-1]}
        for ending in ("t", "de", "te", "den", "ten", "en"):
            if word.endswith(ending) and len(word) - len(ending) >= 2:
                stems.add(word[: -len(ending)])
        for stem in stems:
            if len(stem) < 3:
                continue
            candidates = {stem, stem + "en", stem + stem[-1] + "en"} if stem == word else {
                stem, stem + "en", stem + "n", stem + stem[-1] + "en"}
            if len(stem) >= 3 and stem[-2] == stem[-3] and stem[-2] in "aeou":  # "loop" → "lopen"
                candidates.add(stem[:-2] + stem[-1] + "en")
            if stem.endswith(("f", "s")):  # "leef" → "leven", "lees" → "lezen"
                candidates.add(stem[:-1] + {"f": "v", "s": "z"}[stem[-1]] + "en")
            if any(c != word and self._known(c) for c in candidates):
                return True
        return False

    def _compound(self, folded: str) -> bool:
        """A Dutch compound of two ordinary words ("storingsmelding", "kentekenherkenning")."""
        if len(folded) < 8:
            return False
        for cut in range(3, len(folded) - 3):
            head, tail = folded[:cut], folded[cut:]
            if len(tail) >= 4 and self._known(tail) and (
                self._known(head) or (head.endswith("s") and self._known(head[:-1])) or self._inflected(head)
            ):
                return True
        return False

    def _compound_kind(self, folded: str) -> NameKind:
        parts = [p for p in _PART.findall(folded) if p not in NAME_PARTICLES]
        kinds = [self.kind(p) for p in parts]
        if not kinds or NameKind.NEVER in kinds:
            return NameKind.NEVER
        if "-" in folded and _HYPHEN_PARTICLE.search(folded) and kinds[0] != NameKind.WORD:
            return NameKind.NAME  # "visser-de wolf", "arslan-de graaf": a double surname
        if NameKind.WORD in kinds:
            # "verhoeven-de wit": a surname with particles after the hyphen still makes a name
            tail = folded.split("-", 1)[1]
            if tail in self.surnames and all(k != NameKind.WORD for k in kinds[:1]):
                return NameKind.NAME
            if ("-" in folded and len(parts) == 2 and all(len(p) >= 4 for p in parts)
                    and any(k in (NameKind.NAME, NameKind.UNKNOWN) for k in kinds)):
                return NameKind.AMBIGUOUS  # "hendriks-bakkers": a double surname with an ordinary word
            return NameKind.WORD
        if NameKind.NAME in kinds or NameKind.UNKNOWN in kinds:
            return NameKind.NAME
        return NameKind.AMBIGUOUS

    def is_first_name(self, word: str) -> bool:
        return word.casefold() in self.first

    def is_surname(self, words: str) -> bool:
        """True for a known surname with its particles ("de jong", "van dam")."""
        return " ".join(words.casefold().split()) in self.surnames


_GAZETTEERS: dict[tuple[Path, int], NameGazetteer] = {}


def name_gazetteer(rules_dir: Path, nlp=None) -> NameGazetteer:
    """The name gazetteer of ``rules_dir`` judged against the ordinary words of the spaCy pipeline
    ``nlp`` (:func:`lexicon`, its stop words and every inflected form of its lemma table); loaded
    once per folder and pipeline.

    Raises:
        RulesError: a word list is missing or malformed.
    """
    key = (rules_dir, id(nlp))
    if key not in _GAZETTEERS:
        ordinary = lexicon(nlp) if nlp is not None else frozenset()
        stop_words = frozenset(w.casefold() for w in nlp.Defaults.stop_words) if nlp is not None else frozenset()
        table = None
        if nlp is not None:
            try:
                table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
            except (KeyError, ValueError, AttributeError):
                table = None
        _GAZETTEERS[key] = _build_name_gazetteer(rules_dir, ordinary, stop_words, table)
    return _GAZETTEERS[key]


def _build_name_gazetteer(rules_dir: Path, ordinary: frozenset[str], stop_words: frozenset[str], table) -> NameGazetteer:
    first = load_word_list(rules_dir / "first_names.txt")
    surnames = load_word_list(rules_dir / "surnames.txt")
    listed_ordinary = load_word_list(rules_dir / "ordinary_names_nl.txt")
    ordinary = ordinary | load_word_list(rules_dir / "ordinary_words_nl.txt")
    never = (
        load_word_list(rules_dir / "not_person_nl.txt") | load_word_list(rules_dir / "ner_stoplist.txt")
        | load_word_list(rules_dir / "countries_nl.txt")
    )
    surname_words = {s.split()[-1] for s in surnames}
    words = (first | surname_words | listed_ordinary) - never - NAME_PARTICLES

    def inflected(word: str) -> bool:
        return table is not None and word in table

    ambiguous = {
        w for w in words
        if w in listed_ordinary or w in stop_words or len(w) < 3
        or (w not in first and (w in ordinary or inflected(w)))
    }
    return NameGazetteer(
        first=frozenset(first - never), surnames=frozenset(surnames), names=frozenset(words - ambiguous),
        ambiguous=frozenset(ambiguous), ordinary=ordinary | stop_words, never=never, stop_words=stop_words,
        forms=inflected,
    )
