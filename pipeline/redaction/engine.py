"""Redaction of Dutch transcripts: Presidio's AnalyzerEngine with a Dutch spaCy pipeline, the
rule files of ``redaction_rules/`` and the Python recognizers of ``callscribe.pipeline.redaction.nl``.

Per transcript: each turn is analysed with the previous turn's words as context (the agent's
"Wat is uw postcode?" raises the score of the answer's postcode), a name found anywhere is
redacted at every mention, and each span is replaced by the operator configured for its type:
a numbered Dutch tag that stays the same for the same value (``[PERSOON-1]``), a mask, or a keyed
hash that stays the same across transcripts of one deployment.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from callscribe.pipeline.errors import ConfigurationError, ModelUnavailableError
from callscribe.pipeline.redaction.lexicon import NAME_PARTICLES, NameKind, lexicon, load_word_list, name_gazetteer
from callscribe.pipeline.redaction.nl import dictation, mentions
from callscribe.pipeline.redaction.nl.mentions import VALUE_TYPES
from callscribe.pipeline.redaction.nl.person_context import extend_name, in_name_position, name_tokens
from callscribe.pipeline.redaction.rules import LANGUAGE, PRESIDIO_ALIASES, FilteredSpacyRecognizer, load_recognizers
from callscribe.pipeline.types import DUTCH_TAGS, Entity, RedactedSegment, RedactedTranscript, RedactionOptions

logger = logging.getLogger(__name__)

# spaCy NER labels → callscribe entity types. Organisations (TBI Direct, Remeha, Mitros …) are
# not personal data and stay visible.
_NER_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "LOCATION", "GPE": "LOCATION", "ORG": "ORGANIZATION"}
_MAX_ROUNDS = 3
_CONTEXT_TYPES = frozenset({"PERSON", "LOCATION", "ADDRESS"})
_TAG = re.compile(r"\[[A-Z]+-[0-9a-f]+\]")
_MENTION_SCORE = 0.6  # a further mention of a name found elsewhere in the transcript
_WEAK_NER_SCORE = 0.4
_WEAK_MENTION_SCORE = 0.45  # a lower-case ordinary word that is the name found elsewhere ("bakker kan donderdag")
_DETERMINERS = r"(?i:de|het|een|die|deze|dat|dit|mijn|onze|uw|je|jouw|jullie|hun|zijn|haar|geen|elke|ieder|als|was|ben|is|werd|word|wordt|vroeger)"  # an NER name in lower case made of ordinary words that are also names: flagged for review
_PROPAGATE_MIN_SCORE = 0.5  # only names found with at least this score are searched for again
_CONTEXT_WORDS = 12  # words of the previous turn passed to Presidio as context
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_SURNAME_PARTICLE_BEFORE = re.compile(r"(?:^|[.!?…:,]\s*|\s)(?:Van(?: de[rn]?| 't| het)?|Ter|Ten|Op de|In 't)\s+$")
_NAME_WITH_PARTICLES = re.compile(r"\b[^\W\d_]+ (?:van der|van den|van 't|in 't|ter|ten) [^\W\d_]")
_LAST_WORD = re.compile(r"[^\W\d_]+$")
_FIRST_WORD = re.compile(r"[^\W\d_]+(?=[ \t])")
_PARTICLE_BEFORE = re.compile(r"(?i:(?:^|\s)(?:van|de|der|den|ter|ten|te|['’]t|het|in|op|la|le|du|el|al|oude))\s+$")
_INITIAL_BEFORE = re.compile(r"(?<![^\W\d_])[^\W\d_]\.?\s+$")  # "g kwast": an initial and a surname that is a word
_ARTICLE_BEFORE = re.compile(r"(?i:\b(?:de|het|een|die|deze|dat|dit))$")
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
        from presidio_analyzer import RecognizerRegistry
        from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
        from presidio_analyzer.nlp_engine import NerModelConfiguration

        if not (spacy_model / "meta.json").is_file():
            raise ModelUnavailableError(
                f"Dutch spaCy pipeline not found at {spacy_model}: set CALLSCRIBE_SPACY_MODEL to the "
                "folder of a spaCy pipeline (the project's nlp_models/nl_callscribe, or an installed "
                "nl_core_news_lg's folder)"
            )
        started = time.perf_counter()
        engine_class, analyzer_class = _presidio_classes()
        nlp_engine = engine_class(
            models=[{"lang_code": LANGUAGE, "model_name": str(spacy_model)}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=_NER_LABELS, labels_to_ignore=list(_NER_IGNORED)
            ),
        )
        nlp_engine.load()
        self._nlp_engine = nlp_engine
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for recognizer in load_recognizers(rules_dir):
            registry.add_recognizer(recognizer)
        self._analyzer = analyzer_class(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[LANGUAGE],
            default_score_threshold=score_threshold,
            context_aware_enhancer=_enhancer_class(LemmaContextAwareEnhancer)(context_prefix_count=8, context_suffix_count=3),
        )
        self._common_words = lexicon(nlp_engine.nlp[LANGUAGE])
        self._names = name_gazetteer(rules_dir, nlp_engine.nlp[LANGUAGE])
        self._stop_words = frozenset(w.casefold() for w in nlp_engine.nlp[LANGUAGE].Defaults.stop_words) - _PARTICLES
        self._stoplist = load_word_list(rules_dir / "ner_stoplist.txt")
        self._not_names = load_word_list(rules_dir / "not_person_nl.txt") | self._stoplist
        for recognizer in registry.recognizers:
            if isinstance(recognizer, FilteredSpacyRecognizer):
                recognizer.judge = self._judge_ner
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

    def find(self, texts: Sequence[str], contexts: Sequence[Sequence[str]] | None = None) -> list[list[Entity]]:
        """Personal-data spans of each text, overlaps merged, in text order (no tags yet).

        Found spans are taken out and the rest is analysed again (``_MAX_ROUNDS`` looks in all,
        fewer when nothing new turns up): the statistical NER reads context, and a name next to a number
        it did not recognise may be recognised once the number is gone. Each span taken out, and
        each tag of an earlier redaction, becomes one space, so a second redaction of the output
        analyses exactly the same text: redacting a redacted text changes nothing. The spaCy
        pipeline runs over all texts of a round in one batch.

        Args:
            texts: the turns of one transcript (or any texts).
            contexts: per text, words that raise the score of recognizers listing them as
                context (the previous turn's words).
        """
        contexts = contexts or [()] * len(texts)
        removed = [[m.span() for m in _TAG.finditer(text)] for text in texts]
        spans: list[list[_Span]] = [[] for _ in texts]
        active = [i for i, text in enumerate(texts) if text.strip()]
        entities = self._entities
        for _ in range(_MAX_ROUNDS):
            if not active:
                break
            compacted = {i: _take_out(texts[i], removed[i]) for i in active}
            analysed = self._nlp_engine.process_batch([compacted[i][0] for i in active], LANGUAGE, batch_size=64)
            still_finding = []
            for i, (compact, artifacts) in zip(active, analysed):
                origin = compacted[i][1]
                found = []
                for result in self._analyzer.analyze(
                    text=compact, language=LANGUAGE, entities=entities, context=list(contexts[i]),
                    nlp_artifacts=artifacts,
                ):
                    kind = PRESIDIO_ALIASES.get(result.entity_type, result.entity_type)
                    if kind in DUTCH_TAGS:
                        found += _pieces(texts[i], origin, result.start, result.end, kind, result.score)
                if found:
                    spans[i] += found
                    removed[i] += [(span.start, span.end) for span in found]
                    still_finding.append(i)
            active = still_finding
            # Only names, places and addresses read the words around them; numbers, codes and
            # e-mail addresses were all found in the first look.
            entities = [kind for kind in self._entities if kind in _CONTEXT_TYPES]
        return [
            [Entity(s.start, s.end, s.type, round(s.score, 4)) for s in self._names_then_rest(found, text)]
            for found, text in zip(spans, texts)
        ]

    def _names_then_rest(self, found: list[_Span], text: str) -> list[_Span]:
        """Names grown and trimmed on their own, then merged with the other spans: a trimmed name
        never takes along the number it overlapped ("V, T, streepje" inside a plate)."""
        names = [s for s in found if s.type == "PERSON"]
        rest = [s for s in found if s.type != "PERSON"]
        grown = self._grow_names(_extend_names(_merge(names, text), text, self._not_names), text)
        return _merge(grown + rest, text) if rest else grown

    def _judge_ner(self, text: str, start: int, end: int, entity_type: str = "PERSON") -> float | None:
        """The highest score an NER name or place may keep: ``0`` (dropped) when it is made only of
        ordinary words, greetings or countries in lower case or opening a sentence ("Luister",
        "Sorry", "paniek"); :data:`_WEAK_NER_SCORE` (kept, flagged) when those ordinary words are
        also names ("roos", "bas"), in a name position or two of them together, not after an article;
        ``None`` (kept as found) otherwise. A
        capitalised ordinary word inside a sentence ("mevrouw Bakker") is kept."""
        words = [w.casefold() for w in _WORD.findall(text[start:end])]
        words = [w for w in words if w not in _PARTICLES]
        if not words or all(w in self._stoplist for w in words):
            return 0.0
        kinds = [self._names.kind(w) for w in words]
        if all(k == NameKind.NEVER for k in kinds):
            return 0.0  # brands, weekdays, greetings: never a person
        if entity_type == "LOCATION" and (
            _SURNAME_PARTICLE_BEFORE.search(text, 0, start) or _NAME_WITH_PARTICLES.search(text, start, end)
        ):
            return _WEAK_NER_SCORE  # "Van Dongen", "Tiny van der Linden": a person more than a place
        before = text[:start].rstrip()
        opening = not before or before[-1] in ".!?…:"
        if not (opening or text[start].islower()):
            return None
        if any(k == NameKind.NAME for k in kinds):
            return None
        if any(k == NameKind.UNKNOWN for k in kinds):
            if text[start].islower() and not any(ch.isupper() for ch in text) or len(words) > 1:
                return None  # speech-recogniser style: an unknown lower-case word may be a name
            # written text: a lower-case unknown word ("samen") is rarely a name
            return None if in_name_position(text, start) else (0.0 if text[start].islower() else None)
        if any(k == NameKind.AMBIGUOUS for k in kinds) and not _ARTICLE_BEFORE.search(before) and (
            len(words) > 1 or in_name_position(text, start)
        ):
            return _WEAK_NER_SCORE
        return 0.0

    def _grow_names(self, spans: list[_Span], text: str) -> list[_Span]:
        """Grow PERSON spans over name words in any case around them ("samira" → "samira azzouzi",
        "van dijk" → "h van dijk-molenaar"), with :func:`callscribe.pipeline.redaction.nl.person_context.extend_name`."""
        grown = []
        changed = False
        tokens = None
        for span in spans:
            if span.type == "PERSON":
                start, end = span.start, span.end
                while (last := _LAST_WORD.search(text, start, end)) and last.start() > start and (
                    text[last.start() - 1] in " \t"
                ) and (
                    # a letter closing a spelling ("c van cornelis u") stays; "u" before words taken off goes
                    (last.group().casefold() in self._stop_words and (len(last.group()) > 1 or end < span.end)) or (
                        last.group().islower() and len(last.group()) >= 4
                        and (last.group() in self._common_words or self._names.verb_form(last.group()))
                        and self._names.kind(last.group()) in (NameKind.WORD, NameKind.NEVER)
                        and not _PARTICLE_BEFORE.search(text, start, last.start())
                        and not _INITIAL_BEFORE.search(text, start, last.start())
                        and not self._after_first_name(text, start, last.start()))
                ):  # "Latumahina die", "mark spreken": the NER took a following word along
                    end = len(text[: last.start()].rstrip(" \t,"))
                while (first := _FIRST_WORD.match(text, start, end)) and first.end() < end and (
                    self._ordinary_lower(first.group()) and not _TITLE_BEFORE.search(text, 0, start)
                ):  # "gevraagd truus", "eigenlijk pieter hoekstra": the NER took a word before along;
                    # after a title the word is the name ("meneer kwast"), whatever else it means
                    start = first.end() + len(text[first.end() : end]) - len(text[first.end() : end].lstrip(" \t,"))
                tokens = name_tokens(text, self._names) if tokens is None else tokens
                start, end = extend_name(text, start, end, self._names, tokens)
                organisation = _ORGANISATION_AFTER_NAME.search(text, start, end)
                if organisation and not self._names.is_surname(organisation.group("after")):
                    end = organisation.start()  # "Erik-Jan Hoekstra van Laadpunt Noord": the name, not the firm
                if (start, end) != (span.start, span.end):
                    span = _Span(start, end, span.type, span.score)
                    changed = True
            grown.append(span)
        return _merge(grown, text) if changed else spans

    def _after_first_name(self, text: str, start: int, word_start: int) -> bool:
        """True when the word at ``word_start`` directly follows a known first name that opens the
        span: "naomi pinas" is a full name although "pinas" is also a word."""
        before = _WORD.findall(text[start:word_start])
        word = _WORD.match(text, word_start)
        return (len(before) == 1 and self._names.is_first_name(before[0]) and not self._names.verb_like(before[0])
                and word is not None and not word.group().casefold().endswith(("en", "t", "de", "te")))  # "mark spreken"

    def _ordinary_lower(self, word: str) -> bool:
        folded = word.casefold()
        return (word.islower() and len(word) >= 4 and folded not in NAME_PARTICLES
                and (folded in self._common_words or self._names.verb_form(folded))
                and self._names.kind(word) in (NameKind.WORD, NameKind.NEVER))

    def redact(
        self,
        segments: Sequence[tuple[str, str]],
        times: Sequence[tuple[float, float]] | None = None,
        options: RedactionOptions | None = None,
    ) -> RedactedTranscript:
        """Redact the segments of one transcript.

        Args:
            segments: ``(speaker, text)`` per segment, in dialogue order.
            times: optional ``(start, end)`` seconds per segment, copied to the result.
            options: operators per type, hash secret, review threshold and names to keep visible;
                default numbered tags, nothing kept.

        Returns:
            One redacted segment per input segment; entity offsets point into the original text,
            entities below the review threshold are flagged for human review.
        """
        options = options or RedactionOptions()
        texts = [compatible(text) for _, text in segments]  # same offsets; the output keeps the original text
        contexts = [()] + [_WORD.findall(text)[-_CONTEXT_WORDS:] for text in texts[:-1]]
        found = self.find(texts, contexts)
        kept: list[list[tuple[int, int]]] | None = None
        if options.keep_names:
            found, kept = _drop_kept_names(texts, found, options.keep_names)
        sure, weak = self._name_mentions(texts, found)
        values: list[list[_Span]] = [[] for _ in texts]
        for per_turn in (mentions.value_mentions(texts, found), mentions.street_mentions(texts, found),
                         mentions.local_parts(segments, found, self._stop_words),
                         mentions.local_part_fragments(texts, found),
                         mentions.repaired_values(texts, found), mentions.postcode_letters(texts, found),
                         mentions.place_mentions(texts, found, self._common_words),
                         mentions.continued_dictation(segments, found)):
            for index, spans in enumerate(per_turn):
                values[index] += [_Span(*span) for span in spans]
        replacer = _Replacer(options)
        out = []
        for index, ((speaker, text), entities) in enumerate(zip(segments, found)):
            extra = [_Span(m.start(), m.end(), "PERSON", _MENTION_SCORE) for m in sure.finditer(text)] if sure else []
            extra += values[index]
            if weak:
                extra += [_Span(m.start(), m.end(), "PERSON", _WEAK_MENTION_SCORE) for m in weak.finditer(text)]
            if kept and kept[index]:
                extra = [s for s in extra if not any(a <= s.start and s.end <= b for a, b in kept[index])]
            spans = _over_hesitations(_merge([_Span(e.start, e.end, e.type, e.score) for e in entities] + extra, text), text)
            redacted = tuple(
                Entity(s.start, s.end, s.type, round(s.score, 4), replacer.replace(s.type, text[s.start : s.end]),
                       review=s.score < options.review_threshold)
                for s in spans
            )
            start, end = times[index] if times is not None else (None, None)
            out.append(RedactedSegment(speaker, _apply(text, redacted), redacted, start, end))
        return RedactedTranscript(segments=tuple(out), engine=dict(self.engine_info))

    def _name_mentions(self, texts: Sequence[str], found: Sequence[Sequence[Entity]]) -> tuple[regex.Pattern | None, regex.Pattern | None]:
        """Patterns for every mention of the names found anywhere in the transcript: sure ones and
        ones to flag for review.

        A full name, and each of its words that is not a particle, matches on its own ("Geertje
        Hoekema" → "Geertje", "Hoekema"), also when found in lower case; case-insensitively, unless
        the word is also an ordinary Dutch word ("Bakker", "De Groot", "roos"), which then matches
        with a capital and not after an article, so "de bakker" the profession stays visible; in
        lower case such a word matches only not after an article or possessive, for review.
        """
        words: dict[str, tuple[bool, bool]] = {}  # word or full name → (ordinary word, found for sure)
        for text, entities in zip(texts, found):
            for entity in entities:
                if entity.type != "PERSON" or entity.score < _WEAK_MENTION_SCORE:
                    continue
                sure_find = entity.score >= _PROPAGATE_MIN_SCORE
                parts = _WORD.findall(text[entity.start : entity.end])
                core = [w for w in parts if w.casefold() not in NAME_PARTICLES]
                candidates = [(w, self._common(w)) for w in core if len(w) >= 3]
                if len(parts) > 1 and core:
                    phrase = " ".join(parts)
                    candidates.append((phrase, all(self._common(w) for w in core) and not phrase[0].isupper()))
                for word, common in candidates:
                    before = words.get(word, (common, False))
                    words[word] = (common, before[1] or sure_find)
        if not words:
            return None, None
        sure, weak = [], []
        for word, (common, sure_find) in sorted(words.items(), key=lambda item: -len(item[0])):
            escaped = re.escape(word).replace(r"\ ", r"\s+")
            if not common:
                (sure if sure_find else weak).append(escaped)
                continue
            capital = word[0].upper() + word[1:]
            if sure_find:
                sure.append(rf"(?<!\b(?:[Dd]e|[Hh]et|[Ee]en)\s)(?-i:{re.escape(capital)})")
            weak.append(rf"(?<!\b{_DETERMINERS}\s)(?-i:{re.escape(word.casefold())})")

        def compiled(alternatives: list[str]) -> regex.Pattern | None:
            return regex.compile(r"(?<![\w-])(?i:" + "|".join(alternatives) + r")(?![\w-])") if alternatives else None

        return compiled(sure), compiled(weak)

    def _common(self, word: str) -> bool:
        kind = self._names.kind(word)
        return kind == NameKind.AMBIGUOUS or (kind == NameKind.WORD and word.casefold() in self._common_words)


def _presidio_classes():
    """Presidio's spaCy engine and analyzer with two shortcuts that change no result.

    The engine answers its stop-word and punctuation questions from a set and spaCy's own
    character test instead of ``vocab[word]``, which adds a lexeme to the vocabulary for every new
    word (slower, and a vocabulary that grows for as long as the process runs), and reads a
    document's tokens and entities once instead of twice. The analyzer skips
    context enhancement when no recognizer found anything.
    """
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
    from spacy.lang.lex_attrs import is_punct

    class SpacyEngine(SpacyNlpEngine):
        def is_stopword(self, word: str, language: str) -> bool:
            return word.casefold() in self.nlp[language].Defaults.stop_words

        def is_punct(self, word: str, language: str) -> bool:
            return is_punct(word)

        def _doc_to_nlp_artifact(self, doc, language: str):
            # Presidio's own walks the document twice and builds ``doc.ents`` twice
            lemmas, indices = [], []
            for token in doc:
                lemmas.append(token.lemma_)
                indices.append(token.idx)
            entities = doc.ents
            entities, scores = self._get_updated_entities(
                entities, [self.ner_model_configuration.default_score] * len(entities))
            return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=indices, lemmas=lemmas,
                                nlp_engine=self, language=language, scores=scores)

    class Analyzer(AnalyzerEngine):
        def _enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
            if not raw_results:
                return raw_results
            return super()._enhance_using_context(text, raw_results, nlp_artifacts, recognizers, context)

    return SpacyEngine, Analyzer


def _enhancer_class(base):
    """Presidio's lemma context enhancer without its two costs that change no result: it raises
    the scores of the results in place instead of deep-copying them first (the analyzer made them
    for this call only), and it finds a result's token by bisection over the token offsets instead
    of walking the spaCy document token by token."""
    import bisect

    class Enhancer(base):
        def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
            if nlp_artifacts is None or not raw_results:
                return raw_results
            with_context = {r.id: r for r in recognizers if r.context}
            if not with_context:
                return raw_results
            context = [word.lower() for word in context] if context else []
            for found in raw_results:
                metadata = found.recognition_metadata or {}
                recognizer = with_context.get(metadata.get(found.RECOGNIZER_IDENTIFIER_KEY))
                if recognizer is None or metadata.get(found.IS_SCORE_ENHANCED_BY_CONTEXT_KEY):
                    continue
                words = self._extract_surrounding_words(nlp_artifacts, text[found.start : found.end], found.start)
                words.extend(context)
                supportive = self._find_supportive_word_in_context(words, recognizer.context, self.context_matching_mode)
                if supportive:
                    found.score = min(max(found.score + self.context_similarity_factor,
                                          self.min_score_with_context_similarity), self.MAX_SCORE)
                    if found.analysis_explanation is not None:
                        found.analysis_explanation.set_supportive_context_word(supportive)
                        found.analysis_explanation.set_improved_score(found.score)
            return raw_results

        @staticmethod
        def _find_index_of_match_token(word, start, tokens, tokens_indices):
            # the first token that starts at ``start`` or ends after it, as Presidio's own walk finds
            i = bisect.bisect_right(tokens_indices, start) - 1
            if i < 0:
                i = 0
            elif tokens_indices[i] != start and start >= tokens_indices[i] + len(tokens[i]):
                i += 1
            if i >= len(tokens_indices):
                raise ValueError("a result's start lies after the last token")
            return i

    return Enhancer


_LOADING = threading.Lock()


def get_redactor(spacy_model: Path, rules_dir: Path, score_threshold: float) -> Redactor:
    """The process-wide redactor for these settings, loaded once: a caller that comes while another
    thread loads it (the flow warms it up beside the first transcription) waits for that load."""
    with _LOADING:
        return _loaded_redactor(spacy_model, rules_dir, score_threshold)


@lru_cache(maxsize=2)
def _loaded_redactor(spacy_model: Path, rules_dir: Path, score_threshold: float) -> Redactor:
    return Redactor(spacy_model, rules_dir, score_threshold)


class _Replacer:
    """Applies the operator configured for each type.

    ``tag`` numbers values per type in order of first appearance (same value, same tag; a
    surname alone is the person named before); ``mask`` hides every character; ``hash`` writes a
    keyed HMAC-SHA256 of type and value, the same in every transcript of a deployment.
    """

    def __init__(self, options: RedactionOptions):
        self._options = options
        self._tags: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}
        self._people: dict[tuple[str, str], frozenset[str]] = {}

    def replace(self, entity_type: str, value: str) -> str:
        operator = self._options.operator_for(entity_type)
        if operator == "mask":
            return "*" * len(value)
        if operator == "hash":
            secret = self._options.hash_secret
            if not secret:
                raise ConfigurationError(
                    "the hash operator needs a secret: set CALLSCRIBE_HASH_SECRET to a long random string"
                )
            digest = hmac.new(secret.encode(), f"{entity_type}|{_normalise(value)}".encode(), hashlib.sha256)
            return f"[{DUTCH_TAGS[entity_type]}-{digest.hexdigest()[:12]}]"
        return self._tag(entity_type, value)

    def _tag(self, entity_type: str, value: str) -> str:
        key = (entity_type, _value_key(value) if entity_type in VALUE_TYPES else _normalise(value))
        if key not in self._tags and entity_type == "PERSON":
            key = self._same_person(key, value)
        if key not in self._tags:
            self._counts[entity_type] = self._counts.get(entity_type, 0) + 1
            self._tags[key] = f"[{DUTCH_TAGS[entity_type]}-{self._counts[entity_type]}]"
            if entity_type == "PERSON":
                self._people[key] = _name_words(value)
        return self._tags[key]

    def _same_person(self, key: tuple[str, str], value: str) -> tuple[str, str]:
        """A first name or surname alone, or a fuller form, of a person named before is that person."""
        words = _name_words(value)
        if words:
            for known, known_words in self._people.items():
                if known_words and (words <= known_words or known_words <= words):
                    return known
        return key


def _drop_kept_names(
    texts: Sequence[str], found: Sequence[Sequence[Entity]], keep_names: Sequence[str]
) -> tuple[list[list[Entity]], list[list[tuple[int, int]]]]:
    """Leave out PERSON spans whose name words all belong to one kept name ("Sanne", "Sanne de
    Vries" for the kept "Sanne de Vries"); a span mixing a kept name with anything else stays
    redacted. Returns the remaining entities and, per text, the regions left visible."""
    kept_words = [words for words in (_name_words(name) for name in keep_names) if words]
    remaining: list[list[Entity]] = []
    regions: list[list[tuple[int, int]]] = []
    for text, entities in zip(texts, found):
        keep, visible = [], []
        for entity in entities:
            words = _name_words(text[entity.start : entity.end]) if entity.type == "PERSON" else frozenset()
            if words and any(words <= kept for kept in kept_words):
                visible.append((entity.start, entity.end))
            else:
                keep.append(entity)
        remaining.append(keep)
        regions.append(visible)
    return remaining, regions


def _name_words(value: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(value) if w.casefold() not in _PARTICLES and len(w) > 1)


def _normalise(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.casefold())


def _value_key(value: str) -> str:
    """A dictated value as the dictation reader reads it, so "twee zes negen" and "269" share a tag."""
    canonical = "".join(reading.canonical for reading in dictation.read(value))
    return _normalise(canonical) or _normalise(value)


# The common Dutch and French particles, a subset of NAME_PARTICLES (what this module has always
# treated as particles of a tag value, a mention or a taken-out piece).
_PARTICLES = frozenset({"de", "der", "den", "van", "ter", "ten", "te", "het", "'t", "in", "op", "la", "le", "du"})


def compatible(text: str) -> str:
    """``text`` with each character in its Unicode compatibility form where that is one character
    (NFKC) and every decimal digit as an ASCII digit: full-width letters and digits and other
    scripts' digits read like ASCII ones ("０６１２" and "٠٦١٢" are "0612"), offsets unchanged.
    Characters whose compatibility form is longer stay as they are."""
    return "".join(_compatible_char(ch) for ch in text) if not text.isascii() else text


@lru_cache(maxsize=4096)
def _compatible_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        return ch
    if unicodedata.category(folded) == "Nd":  # Arabic-Indic, Devanagari … digits: their decimal value
        return str(unicodedata.decimal(folded))
    return folded


def _take_out(text: str, removed: list[tuple[int, int]]) -> tuple[str, list[int | None]]:
    """``text`` with each removed region replaced by one space, and for each character of the
    result its offset in ``text`` (``None`` for the spaces that stand for a region)."""
    regions: list[list[int]] = []
    for start, end in sorted(removed):  # overlapping regions, or with only spaces between, are one (as _merge)
        if regions and start <= regions[-1][1] or regions and not text[regions[-1][1] : start].strip():
            regions[-1][1] = max(regions[-1][1], end)
        else:
            regions.append([start, end])
    parts: list[str] = []
    origin: list[int | None] = []
    position = 0
    for start, end in regions:
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


# A capitalised word, with any name particles before it, directly after a name ("Annelies" →
# "Annelies El Khatib", "Jan" → "Jan van der Meulen"); weekdays and months are not names.
_NAME_TAIL = regex.compile(
    r"(?:[ \t]+(?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|[Tt]e|'t|[Ll]a|[Ll]e|[Ee]l|[Aa]l|[Bb]en|[Oo]ude)[ \t]+)*"
    r"(?!(?:Maandag|Dinsdag|Woensdag|Donderdag|Vrijdag|Zaterdag|Zondag|Januari|Februari|Maart|April|Mei|Juni|Juli|"
    r"Augustus|September|Oktober|November|December)\b)\p{Lu}[\p{Ll}'\u2019-]+)+"
)


# A first name and a surname, then "van" and more words: the organisation the person is from.
_ORGANISATION_AFTER_NAME = regex.compile(
    r"(?<=[\p{L}'’-]{2,}[ \t]+[\p{L}'’-]{3,})[ \t]+(?=(?P<after>van[ \t]+(?!de[nr]?[ \t]|het[ \t]|'t[ \t])\p{L}{3,})[ \t]+\p{L})")
_TITLE_BEFORE = regex.compile(r"(?i)(?<![\p{L}])(?:meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|de[ \t]+heer|familie)[ \t]+$")
_HYPHEN_REST = regex.compile(r"-?\p{L}[\p{L}'’]*(?:-\p{L}[\p{L}'’]*)*")


def _extend_names(spans: list[_Span], text: str, not_names: frozenset[str]) -> list[_Span]:
    """Grow each PERSON span over the capitalised name words that directly follow it, stopping
    before a word that is not a name ("Wendy van Telecontrol" stays "Wendy")."""
    grown = []
    for span in spans:
        if span.type == "PERSON" and (tail := _NAME_TAIL.match(text, span.end)):
            end = span.end
            for word in regex.finditer(r"\S+", text[span.end : tail.end()]):
                if word.group()[0].isupper():
                    if word.group().casefold() in not_names:
                        break
                    end = span.end + word.end()
            span = _Span(span.start, end, span.type, span.score)
        if span.type == "PERSON" and (rest := _HYPHEN_REST.match(text, span.end)) and (
                text[span.end - 1] == "-" or rest.group().startswith("-")):
            span = _Span(span.start, rest.end(), span.type, span.score)  # "Tjon-" + "A-Fong": a name cut at a hyphen
        grown.append(span)
    return _merge(grown, text) if grown != spans else spans


def _merge(spans: list[_Span], text: str) -> list[_Span]:
    """Union of overlapping or touching spans; the merged span takes the type of the span containing
    the other, else of its best score.

    Presidio's anonymizer drops the weaker of two conflicting results; for privacy the union is
    safer: a character found by any recognizer stays hidden.
    """
    merged: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start <= merged[-1].end and not text[merged[-1].end : span.start].strip():
            last = merged[-1]
            best = last if last.score >= span.score else span
            if last.start <= span.start and span.end <= last.end and (last.start, last.end) != (span.start, span.end):
                best = last  # a span inside another takes its type: a name inside an address or a plate
            elif span.start <= last.start and last.end <= span.end and (last.start, last.end) != (span.start, span.end):
                best = span
            merged[-1] = _Span(last.start, max(last.end, span.end), best.type, max(last.score, span.score))
        else:
            merged.append(span)
    return merged


def _over_hesitations(spans: list[_Span], text: str) -> list[_Span]:
    """Pieces of one dictated value with only a hesitation between them become one span: "06 ...
    eh ... 21 ... 37" is one phone number, and the "eh" inside it is no longer a gap in the tag."""
    joined: list[_Span] = []
    for span in spans:
        last = joined[-1] if joined else None
        if last and _HESITATION_GAP.fullmatch(text, last.end, span.start) and (
                span.type == last.type and span.type in VALUE_TYPES
                or last.type in VALUE_TYPES and _LETTER_ONLY.fullmatch(text, span.start, span.end)):
            joined[-1] = _Span(last.start, span.end, last.type, max(last.score, span.score))  # "6828 B, eh, C"
        else:
            joined.append(span)
    return joined


_LETTER_ONLY = regex.compile(r"\p{L}(?:[\s.,]*\p{L}){0,3}\.?")  # a few spelled letters


_HESITATION_GAP = regex.compile(r"[\s.,…-]*(?:(?i:eh|ehm|uh|uhm|ehh)[\s.,…-]+)+")


def _apply(text: str, entities: Sequence[Entity]) -> str:
    parts = []
    cursor = 0
    for entity in entities:
        parts.append(text[cursor : entity.start])
        parts.append(entity.tag)
        cursor = entity.end
    parts.append(text[cursor:])
    return "".join(parts)
