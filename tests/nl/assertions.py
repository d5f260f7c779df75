"""Assertions of the recognizer unit tests, after Presidio's ``tests/assertions.py``.

A case names the spans it expects as substrings of its text, in text order (or as ``(start, end)``
when a substring would be ambiguous); a span is a result at or above the redactor's score threshold,
overlapping results of the same type merged, as the redactor merges them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

# The redactor's default score threshold (CALLSCRIBE_SCORE_THRESHOLD): candidates below it are
# dropped unless context raises them.
THRESHOLD = 0.35
# Redacted spans scoring below this are flagged for human review (CALLSCRIBE_REVIEW_THRESHOLD).
REVIEW_THRESHOLD = 0.5


def expected_spans(text: str, expected: Iterable[str | tuple[int, int]]) -> list[tuple[int, int, str]]:
    """``(start, end, substring)`` of each expected span, each substring looked for after the one
    before it."""
    spans = []
    position = 0
    for item in expected:
        if isinstance(item, tuple):
            start, end = item
        else:
            start = text.find(item, position)
            if start < 0:
                raise ValueError(f"the case is wrong: {item!r} is not in {text[position:]!r}")
            end = start + len(item)
        spans.append((start, end, text[start:end]))
        position = end
    return spans


def found_spans(results: Sequence[RecognizerResult], text: str, entity: str,
                threshold: float = THRESHOLD) -> list[tuple[int, int, str]]:
    """``(start, end, substring)`` of the results of type ``entity`` scoring at least ``threshold``,
    overlapping ones merged, in text order."""
    merged: list[list[int]] = []
    for result in sorted((r for r in results if r.entity_type == entity and r.score >= threshold),
                         key=lambda r: (r.start, r.end)):
        if merged and result.start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], result.end)
        else:
            merged.append([result.start, result.end])
    return [(start, end, text[start:end]) for start, end in merged]


def assert_spans(results: Sequence[RecognizerResult], text: str, entity: str,
                 expected: Iterable[str | tuple[int, int]], threshold: float = THRESHOLD) -> None:
    """The results of type ``entity`` at or above ``threshold`` cover exactly the expected spans."""
    assert found_spans(results, text, entity, threshold) == expected_spans(text, expected)


def scores(results: Sequence[RecognizerResult], text: str, entity: str, span: str) -> list[float]:
    """The scores of the results of type ``entity`` whose text is exactly ``span``."""
    return [r.score for r in results if r.entity_type == entity and text[r.start : r.end] == span]


def with_previous_turn(recognizer: EntityRecognizer, text: str, previous_turn: str,
                       nlp_artifacts=None) -> list[RecognizerResult]:
    """The recognizer's results for ``text`` after its own context step, with the words of the
    previous turn as the Presidio context (as the redactor passes them)."""
    results = recognizer.analyze(text, entities=recognizer.supported_entities, nlp_artifacts=nlp_artifacts)
    return recognizer.enhance_using_context(text, results, [], nlp_artifacts, context=context_words(previous_turn))


def with_context_words(recognizer: EntityRecognizer, text: str, previous_turn: str,
                       nlp_artifacts) -> list[RecognizerResult]:
    """The recognizer's results for ``text`` raised by Presidio's lemma context enhancer when the
    previous turn holds one of the recognizer's context words (``recognizer.context``)."""
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

    results = recognizer.analyze(text, entities=recognizer.supported_entities, nlp_artifacts=nlp_artifacts)
    return LemmaContextAwareEnhancer().enhance_using_context(
        text, results, nlp_artifacts, [recognizer], context=context_words(previous_turn))


def context_words(previous_turn: str) -> list[str]:
    """The words of a previous turn as the redactor passes them as context: its last twelve words,
    without punctuation or digits."""
    return _WORD.findall(previous_turn)[-12:]


_WORD = regex.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
