"""Dutch recognizers for Presidio, built from declarative rule files in ``redaction_rules/``.

Each YAML file describes one recognizer. It is validated when loaded; an error names the file,
the field and the fix. Checksums that a regular expression cannot express (IBAN mod-97, the
BSN 11-test, Luhn) are small Python functions that a rule names under ``validator``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

import regex
import yaml
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import EmailRecognizer, IbanRecognizer, SpacyRecognizer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from tldextract import TLDExtract

from pipeline.errors import RulesError
from pipeline.types import DUTCH_TAGS

logger = logging.getLogger(__name__)

LANGUAGE = "nl"
# Presidio's names for the types its own recognizers emit.
PRESIDIO_ALIASES = {"IBAN_CODE": "IBAN"}


def iban_mod97(text: str) -> bool:
    """True when ``text`` (spaces allowed) is an IBAN with a valid ISO 7064 mod-97 check."""
    compact = "".join(ch for ch in text if ch.isalnum()).upper()
    if len(compact) < 15 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    digits = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def elf_proef(text: str) -> bool:
    """True when the nine digits of ``text`` pass the Dutch BSN 11-test."""
    digits = [int(ch) for ch in text if ch.isdigit()]
    if len(digits) != 9:
        return False
    total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0 and total != 0


def luhn(text: str) -> bool:
    """True when the digits of ``text`` pass the Luhn check."""
    digits = [int(ch) for ch in text if ch.isdigit()]
    if len(digits) < 12:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


VALIDATORS: dict[str, Callable[[str], bool]] = {"iban_mod97": iban_mod97, "elf_proef": elf_proef, "luhn": luhn}


class PatternRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    regex: str = Field(min_length=1)
    score: float = Field(ge=0.0, le=1.0)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            regex.compile(value)
        except regex.error as err:
            raise ValueError(f"regular expression does not compile: {err}") from err
        return value


class RuleFile(BaseModel):
    """The schema of one recognizer YAML file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    entity: Literal[tuple(DUTCH_TAGS)]  # type: ignore[valid-type]
    language: Literal["nl"] = LANGUAGE
    ignore_case: bool = False
    patterns: list[PatternRule] = Field(min_length=1)
    context: list[str] = Field(default_factory=list)
    validator: Literal[tuple(VALIDATORS)] | None = None  # type: ignore[valid-type]


class _ValidatedPatternRecognizer(PatternRecognizer):
    """A PatternRecognizer whose matches must also pass a named checksum."""

    def __init__(self, check: Callable[[str], bool], **kwargs):
        self._check = check
        super().__init__(**kwargs)

    def validate_result(self, pattern_text: str) -> bool:
        return self._check(pattern_text)


class FilteredSpacyRecognizer(SpacyRecognizer):
    """Presidio's spaCy NER recognizer with a judge: ``judge(text, start, end, type)`` gives the highest
    score a result may keep (``None`` keeps it as it is, ``0`` drops it). Dropped results go
    before Presidio removes duplicates, so a rule recognizer's result on the same characters
    survives; a capped score marks a weak find for review."""

    judge: Callable[[str, int, int, str], float | None] | None = None

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        results = super().analyze(text, entities, nlp_artifacts)
        if self.judge is None:
            return results
        kept = []
        for found in results:
            cap = self.judge(text, found.start, found.end, found.entity_type)
            if cap is None:
                kept.append(found)
            elif cap > 0:
                found.score = min(found.score, cap)
                kept.append(found)
        return kept


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validating top-level domains with tldextract's bundled
    public-suffix snapshot instead of downloading the list."""

    _extract = TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)

    def validate_result(self, pattern_text: str) -> bool:
        return self._extract(pattern_text).fqdn != ""


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


def load_rule_file(path: Path) -> RuleFile:
    """Read and validate one rule file.

    Raises:
        RulesError: naming the file, the field and the fix.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise RulesError(f"{path}: not valid YAML ({err}); fix the syntax") from err
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping with name, entity and patterns at the top level")
    try:
        return RuleFile.model_validate(data)
    except ValidationError as err:
        problems = []
        for error in err.errors():
            field = ".".join(str(part) for part in error["loc"]) or "(top level)"
            problems.append(f"field {field}: {error['msg']}")
        raise RulesError(
            f"{path}: invalid recognizer rule:\n  " + "\n  ".join(problems)
            + f"\n  valid entity types: {', '.join(DUTCH_TAGS)}; validators: {', '.join(VALIDATORS)}"
        ) from err


def rule_recognizer(rule: RuleFile) -> PatternRecognizer:
    """Build a Presidio recognizer from a validated rule."""
    flags = regex.DOTALL | regex.MULTILINE | (regex.IGNORECASE if rule.ignore_case else 0)
    kwargs = dict(
        supported_entity=rule.entity,
        name=rule.name,
        supported_language=rule.language,
        patterns=[Pattern(p.name, p.regex, p.score) for p in rule.patterns],
        context=rule.context or None,
        global_regex_flags=flags,
    )
    if rule.validator:
        return _ValidatedPatternRecognizer(VALIDATORS[rule.validator], **kwargs)
    return PatternRecognizer(**kwargs)


def load_recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    """All recognizers: the rule files of ``rules_dir`` plus Presidio's NER, e-mail and IBAN ones.

    Raises:
        RulesError: the folder is missing or a rule file is invalid.
    """
    if not rules_dir.is_dir():
        raise RulesError(
            f"redaction rules folder {rules_dir} does not exist: set CALLSCRIBE_RULES_DIR to the "
            "project's redaction_rules/ folder"
        )
    recognizers: list[EntityRecognizer] = [
        FilteredSpacyRecognizer(supported_language=LANGUAGE, supported_entities=["PERSON", "LOCATION"]),
        OfflineEmailRecognizer(supported_language=LANGUAGE, context=["e-mail", "mail", "mailadres", "emailadres"]),
        IbanRecognizer(supported_language=LANGUAGE, context=["iban", "rekeningnummer", "rekening", "bankrekening"]),
    ]
    from pipeline import nl

    recognizers += nl.recognizers(rules_dir)
    files = sorted(rules_dir.glob("*.yaml"))
    for path in files:
        recognizers.append(rule_recognizer(load_rule_file(path)))
    logger.debug("loaded %d rule file(s) from %s", len(files), rules_dir)
    return recognizers
