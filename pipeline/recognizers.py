"""Dutch recognizers for Presidio, built from declarative rule files in ``redaction_rules/``.

Each YAML file describes one recognizer. It is validated when loaded; an error names the file,
the field and the fix. Checksums that a regular expression cannot express (IBAN mod-97, the
BSN 11-test, Luhn) are small Python functions that a rule names under ``validator``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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
    """Presidio's spaCy NER recognizer with a veto: results for which ``veto(text, start, end)``
    is true are dropped here, before Presidio removes duplicates, so a rule recognizer's result
    on the same characters survives."""

    veto: Callable[[str, int, int], bool] | None = None

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        results = super().analyze(text, entities, nlp_artifacts)
        if self.veto is None:
            return results
        return [r for r in results if not self.veto(text, r.start, r.end)]


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
