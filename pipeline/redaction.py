"""Redaction of Dutch transcripts: Presidio's AnalyzerEngine with a Dutch spaCy pipeline and the
rule files of ``redaction_rules/``, replacing each personal-data span by a numbered Dutch tag that
stays the same for the same value throughout one transcript (``[PERSOON-1]``, ``[TELEFOONNUMMER-2]``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.errors import ModelUnavailableError
from pipeline.recognizers import DUTCH_TAGS, LANGUAGE, PRESIDIO_ALIASES, load_recognizers
from pipeline.types import Entity, RedactedSegment, RedactedTranscript

logger = logging.getLogger(__name__)

# spaCy NER labels → callscribe entity types. Organisations (TBI Direct, Remeha, Mitros …) are
# not personal data and stay visible.
_NER_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "LOCATION", "GPE": "LOCATION", "ORG": "ORGANIZATION"}
_MAX_ROUNDS = 3
_TAG = re.compile(r"\[[A-Z]+-\d+\]")
_NER_IGNORED = ("ORGANIZATION", "ORG", "MISC", "CARDINAL", "DATE", "TIME", "MONEY", "NORP")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    type: str
    score: float


class Redactor:
    """Finds and replaces personal data in the segments of one transcript at a time.

    Build it once per process with :func:`get_redactor`; it is safe to share between threads.
    """

    def __init__(self, spacy_model: Path, rules_dir: Path, score_threshold: float):
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

        if not (spacy_model / "meta.json").is_file():
            raise ModelUnavailableError(
                f"Dutch spaCy pipeline not found at {spacy_model}: set CALLSCRIBE_SPACY_MODEL to the "
                "folder of a spaCy pipeline (the project's nlp_models/nl_callscribe, or an installed "
                "nl_core_news_lg's folder)"
            )
        started = time.perf_counter()
        nlp_engine = SpacyNlpEngine(
            models=[{"lang_code": LANGUAGE, "model_name": str(spacy_model)}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=_NER_LABELS, labels_to_ignore=list(_NER_IGNORED)
            ),
        )
        nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for recognizer in load_recognizers(rules_dir):
            registry.add_recognizer(recognizer)
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[LANGUAGE],
            default_score_threshold=score_threshold,
        )
        supported = set(self._analyzer.get_supported_entities(LANGUAGE))
        self._entities = sorted(supported & (set(DUTCH_TAGS) | set(PRESIDIO_ALIASES)))
        meta = nlp_engine.nlp[LANGUAGE].meta
        self.engine_info = {
            "engine": "presidio",
            "spacy_model": f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}",
            "rules": sorted(p.name for p in rules_dir.glob("*.yaml")),
            "score_threshold": score_threshold,
        }
        logger.info("redactor ready in %.1f s", time.perf_counter() - started)

    def find(self, text: str) -> list[Entity]:
        """Personal-data spans of one text, overlaps merged, in text order (no tags yet).

        Found spans are taken out and the rest is analysed again until nothing new turns up (at
        most ``_MAX_ROUNDS`` times): the statistical NER reads context, and a name next to a number
        it did not recognise may be recognised once the number is gone. Each span taken out, and
        each tag of an earlier redaction, becomes one space, so a second redaction of the output
        analyses exactly the same text: redacting a redacted text changes nothing.
        """
        if not text.strip():
            return []
        removed = [m.span() for m in _TAG.finditer(text)]
        spans: list[_Span] = []
        for _ in range(_MAX_ROUNDS):
            compact, origin = _take_out(text, removed)
            found = []
            for result in self._analyzer.analyze(text=compact, language=LANGUAGE, entities=self._entities):
                kind = PRESIDIO_ALIASES.get(result.entity_type, result.entity_type)
                if kind in DUTCH_TAGS:
                    found += _pieces(text, origin, result.start, result.end, kind, result.score)
            if not found:
                break
            spans += found
            removed += [(span.start, span.end) for span in found]
        return [Entity(s.start, s.end, s.type, round(s.score, 4)) for s in _merge(spans, text)]

    def redact(self, segments: Sequence[tuple[str, str]], times: Sequence[tuple[float, float]] | None = None) -> RedactedTranscript:
        """Redact the segments of one transcript with tags numbered consistently across segments.

        Args:
            segments: ``(speaker, text)`` per segment, in dialogue order.
            times: optional ``(start, end)`` seconds per segment, copied to the result.

        Returns:
            One redacted segment per input segment; entity offsets point into the original text.
        """
        tagger = _Tagger()
        out = []
        for index, (speaker, text) in enumerate(segments):
            entities = tuple(
                Entity(e.start, e.end, e.type, e.score, tagger.tag(e.type, text[e.start : e.end]))
                for e in self.find(text)
            )
            start, end = times[index] if times is not None else (None, None)
            out.append(RedactedSegment(speaker, _apply(text, entities), entities, start, end))
        return RedactedTranscript(segments=tuple(out), engine=dict(self.engine_info))


@lru_cache(maxsize=2)
def get_redactor(spacy_model: Path, rules_dir: Path, score_threshold: float) -> Redactor:
    """The process-wide redactor for these settings (loaded once)."""
    return Redactor(spacy_model, rules_dir, score_threshold)


class _Tagger:
    """Numbers values per type in order of first appearance: same value, same tag."""

    def __init__(self):
        self._tags: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def tag(self, entity_type: str, value: str) -> str:
        key = (entity_type, _normalise(value))
        if key not in self._tags and entity_type == "PERSON":
            key = self._same_person(key)
        if key not in self._tags:
            self._counts[entity_type] = self._counts.get(entity_type, 0) + 1
            self._tags[key] = f"[{DUTCH_TAGS[entity_type]}-{self._counts[entity_type]}]"
        return self._tags[key]


    def _same_person(self, key: tuple[str, str]) -> tuple[str, str]:
        """A surname alone or a full name whose surname was seen before is the same person."""
        name = key[1]
        for known in self._tags:
            if known[0] == "PERSON" and min(len(name), len(known[1])) >= 3:
                if known[1].endswith(name) or name.endswith(known[1]):
                    return known
        return key


def _normalise(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.casefold())


_PARTICLES = frozenset({"de", "der", "den", "van", "ter", "ten", "te", "het", "'t", "in", "op", "la", "le", "du"})


def _take_out(text: str, removed: list[tuple[int, int]]) -> tuple[str, list[int | None]]:
    """``text`` with each removed region replaced by one space, and for each character of the
    result its offset in ``text`` (``None`` for the spaces that stand for a region)."""
    parts: list[str] = []
    origin: list[int | None] = []
    position = 0
    for start, end in sorted(removed):
        start = max(start, position)
        if end <= position:
            continue
        parts.append(text[position:start])
        origin.extend(range(position, start))
        parts.append(" ")
        origin.append(None)
        position = end
    parts.append(text[position:])
    origin.extend(range(position, len(text)))
    return "".join(parts), origin


def _pieces(text: str, origin: list[int | None], start: int, end: int, kind: str, score: float) -> list[_Span]:
    """Map a span of the compacted text back to ``text``, split where it crossed a removed
    region, trimmed of spaces; pieces without letters or digits, or a name that is only particles
    ("de", "van"), are dropped."""
    pieces: list[_Span] = []
    run: list[int] = []
    for position in [*origin[start:end], None]:
        if position is not None:
            run.append(position)
            continue
        if run:
            a, b = run[0], run[-1] + 1
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            value = text[a:b]
            if any(ch.isalnum() for ch in value) and not (
                kind == "PERSON" and all(word in _PARTICLES for word in value.casefold().split())
            ):
                pieces.append(_Span(a, b, kind, score))
        run = []
    return pieces


def _merge(spans: list[_Span], text: str) -> list[_Span]:
    """Union of overlapping or touching spans; the merged span takes the type of its best score.

    Presidio's anonymizer drops the weaker of two conflicting results; for privacy the union is
    safer: a character found by any recognizer stays hidden.
    """
    merged: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start <= merged[-1].end and not text[merged[-1].end : span.start].strip():
            last = merged[-1]
            best = last if last.score >= span.score else span
            merged[-1] = _Span(last.start, max(last.end, span.end), best.type, max(last.score, span.score))
        else:
            merged.append(span)
    return merged


def _apply(text: str, entities: Sequence[Entity]) -> str:
    parts = []
    cursor = 0
    for entity in entities:
        parts.append(text[cursor : entity.start])
        parts.append(entity.tag)
        cursor = entity.end
    parts.append(text[cursor:])
    return "".join(parts)
