"""Dutch recognizers for Presidio: the declarative rule files of ``redaction_rules/``, Presidio's
own NER, e-mail and IBAN recognizers, and the Python recognizers of :mod:`callscribe.pipeline.redaction.nl`.

Each YAML file describes one recognizer. It is validated when loaded; an error names the file,
the field and the fix. Checksums that a regular expression cannot express (IBAN mod-97, the
BSN 11-test, Luhn) are small Python functions that a rule names under ``validator``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import regex
import yaml
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import EmailRecognizer, IbanRecognizer, SpacyRecognizer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from tldextract import TLDExtract

from callscribe.pipeline.errors import RulesError
from callscribe.pipeline.redaction import nl
from callscribe.pipeline.types import DUTCH_TAGS

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
    recognizers += nl.recognizers(rules_dir)
    files = sorted(rules_dir.glob("*.yaml"))
    for path in files:
        recognizers.append(rule_recognizer(load_rule_file(path)))
    logger.debug("loaded %d rule file(s) from %s", len(files), rules_dir)
    return recognizers
