"""Names of people recognised by the words around them, as Dutch callers and agents say them:
"met Jo Hermans uit Venlo", "spreek ik met mevrouw Van 't Hek", "op naam van M. van Gils-Dekkers",
"mijn zoon Gerard", "monteur Bram", "collega Fatima El Amrani", a double surname
("Kaya-de Bruijn"), initials with a surname ("J.P. de Groot"), and a turn that is only a name
answering the agent's question for it.

Titles (meneer, mevrouw, de heer, familie) stay outside the span; particles are inside. Words of
``redaction_rules/not_person_nl.txt`` (brands, housing corporations, greetings, weekdays …) end a
name. The word lists of this package are loaded here (:func:`load_word_list`).
"""

from __future__ import annotations

from pathlib import Path

import regex
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from pipeline.recognizers import lexicon, load_word_list

# Name building blocks, shared with the other recognizers of this package.
PARTICLES = (
    r"(?:[Vv]an(?:\s+(?:de|der|den|het|'t))?|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|[Tt]e|'t|[Hh]et"
    r"|[Ii]n\s+(?:'t|de|het)|[Oo]p\s+(?:de|den|het|'t)|[Uu]it\s+(?:de|den|het)"
    r"|[Ll]a|[Ll]e|[Dd]u|[Dd]a|[Dd]i|[Dd]os|[Ee]l|[Aa]l|[Bb]en|[Oo]ude)"
)
# A capitalised name word; camel case ("DigiD", "WhatsApp") is a brand, not a name.
CAPWORD = (
    r"(?:IJ|\p{Lu})\p{Ll}[\p{Ll}'’]*(?:-(?:(?:de|van|van der|van den|van de|ter|ten|el|al)\s+)?(?:IJ|\p{Lu})\p{Ll}[\p{Ll}'’]*)*"
    r"(?![\p{L}\d])"
)
INITIALS = r"(?:\p{Lu}\.\s?){1,4}"
NAME = rf"(?:{INITIALS}\s*)?(?:{PARTICLES}\s+)*{CAPWORD}(?:\s+(?:{PARTICLES}\s+)*{CAPWORD}){{0,3}}"
# A name that starts with a capital: after "monteur" or "mijn buurman" a lower-case "van" starts an
# organisation ("monteur van Remeha"), not a name.
CAPITAL_NAME = rf"(?=\p{{Lu}}){NAME}"

_TITLE = r"(?:meneer|mevrouw|mevr\.|dhr\.|de heer|familie|dokter|juffrouw|zuster|ene)"
_INTRO = (
    r"(?:mijn naam is|de naam is|ik ben|u spreekt met|je spreekt met|spreek ik met|ik heet|hier is|op naam van"
    r"|ten name van|t\.n\.v\.|gesproken met|contact met|vraag naar|vragen naar|doorverbinden met|verbinden met)"
)
_GREETING = (
    r"(?:ja|nee|hallo|hoi|hai|dag|daag|moi|goedemorgen|goeiemorgen|goedemiddag|goeiemiddag|goedenavond"
    r"|goeienavond|morgen|middag|avond|hé|hey|oké|zo)"
)
_RELATION = (
    r"(?:man|vrouw|zoon|dochter|buurman|buurvrouw|buren|moeder|vader|broer|zus|zuster|schoonmoeder|schoonvader"
    r"|schoonzoon|schoondochter|zwager|schoonzus|partner|vriend|vriendin|huisgenoot|huisbaas|verhuurder"
    r"|kleinzoon|kleindochter|neef|nicht|oom|tante|opa|oma|collega|monteur|huismeester|beheerder|conciërge"
    r"|installateur|technicus|contactpersoon|leidinggevende|baas|mantelzorger|begeleider|verzorger)"
)
_NAME_AFTER = regex.compile(
    rf"(?:(?<=(?:^|[.!?,;:…]\s*|\b(?i:{_GREETING})\s*,?\s+)(?i:met)\s+(?:(?i:{_TITLE})\s+)?)"
    rf"|(?<=\b(?i:{_INTRO})\s+(?:(?i:{_TITLE})\s+)?)"
    rf"|(?<=\b(?i:{_TITLE})\s+))"
    rf"(?P<name>{NAME}(?:(?:\.\.\.|…)\s*{NAME})?)"
    rf"(?:\s+(?i:uit)\s+(?P<place>(?:IJ|\p{{Lu}})[\p{{L}}'’-]+(?:\s+(?:(?:aan|op|bij)\s+(?:de|den|het)\s+|(?:aan|op|bij)\s+)?(?:IJ|\p{{Lu}})[\p{{L}}'’-]+){{0,3}}))?"
)
_NAME_AFTER_RELATION = regex.compile(
    rf"(?<=\b(?:(?i:mijn|onze|uw|je|jouw|jullie|haar|zijn|de|die|een|het)\s+)?(?i:{_RELATION}),?\s+)"
    rf"(?P<name>{CAPITAL_NAME})"
)
_INITIALS_SURNAME = regex.compile(rf"(?<![\p{{L}}\d.-])(?P<name>{INITIALS}\s*(?:{PARTICLES}\s+)*{CAPWORD})")
_DOUBLE_SURNAME = regex.compile(
    r"(?<![\p{L}-])(?P<name>(?:IJ|\p{Lu})\p{Ll}+-(?:(?P<particle>de|van|van der|van den|van de|ter|ten|el|al)\s+)?"
    r"(?:IJ|\p{Lu})\p{Ll}+)(?![\p{L}-])"
)
# "mijn vrouw, als ze opendoet, Ingrid, …": a name in apposition a few words after a relation.
_RELATION_APPOSITION = regex.compile(
    rf"(?<=\b(?i:mijn|onze|uw|je|jouw|haar|zijn)\s+(?i:{_RELATION})\b[^.?!,]{{0,30}},\s+)(?P<name>{CAPWORD})(?=\s*,)"
)
# A surname with a capitalised particle: "Van Dam aan elkaar", "daar woont Van Leeuwen". "De" only
# opening a sentence: inside one, "De Regenboog", "De Hoven" name schools and care homes.
_PARTICLE_SURNAME = regex.compile(
    rf"(?<![\p{{L}}'’])(?P<name>(?:Van(?:\s+(?:der|den|de|'t))?|Ter|Ten|In\s+'t|Op\s+de|Uit\s+de)\s+{CAPWORD})"
    rf"|(?<=(?:^|[.!?…:]\s*))(?P<name>(?:De|Den|Der)\s+{CAPWORD})"
)
_LEGAL_FORM = regex.compile(r"\s+(?i:vof|v\.o\.f\.|bv|b\.v\.|nv|n\.v\.|vve|holding|groep|en zonen|& zonen)\b")
_GESPROKEN = regex.compile(rf"(?<=\b(?i:met)\s+(?:een|ene|die|dat)\s+)(?P<name>{CAPWORD})(?=\s+(?:gesproken|gebeld))")
_ANSWER = regex.compile(rf"^\s*(?:(?i:met)\s+)?(?P<name>{NAME})(?=\s*(?:[.!?…]|$))")
_REGION_PARTS = frozenset({"noord", "zuid", "oost", "west", "sint", "nieuw", "oud", "groot", "klein", "hoog", "laag"})
_PARTICLE_WORDS = frozenset(
    {"van", "de", "der", "den", "ter", "ten", "te", "'t", "het", "in", "op", "uit", "la", "le", "du", "da", "di",
     "dos", "el", "al", "ben", "oude"}
)
_WORD = regex.compile(r"[\p{L}'’]+")
_NEXT_WORD = regex.compile(r"[ \t]+(\p{Lu}[\p{L}'’]*)")

# Scores: a name after an introduction or title; initials or a double surname; a turn that is
# only a name, which needs the agent's question ("Wat is uw naam?") as context to pass 0.35.
_SCORE_CONTEXT = 0.7
_SCORE_STRUCTURE = 0.6
_SCORE_PARTICLE_SURNAME = 0.5
_SCORE_DOUBLE_NAME = 0.45
_SCORE_ANSWER = 0.3


def stop_words(nlp_artifacts) -> frozenset[str]:
    """The spaCy pipeline's Dutch stop words ("dus", "het", "daar"), case-folded."""
    engine = getattr(nlp_artifacts, "nlp_engine", None)
    nlp = getattr(engine, "nlp", {}).get("nl") if engine is not None else None
    return _stops(nlp) if nlp is not None else frozenset()


_STOPS: dict[int, frozenset[str]] = {}


def _stops(nlp) -> frozenset[str]:
    key = id(nlp)
    if key not in _STOPS:
        _STOPS[key] = frozenset(w.casefold() for w in nlp.Defaults.stop_words)
    return _STOPS[key]


def common_words(nlp_artifacts) -> frozenset[str]:
    """Ordinary Dutch words: the forms and lemmas of the spaCy pipeline's lookup table plus its
    stop words (empty when the pipeline has no lookup lemmatizer)."""
    engine = getattr(nlp_artifacts, "nlp_engine", None)
    nlp = getattr(engine, "nlp", {}).get("nl") if engine is not None else None
    return lexicon(nlp) if nlp is not None else frozenset()


def trim_name(text: str, start: int, end: int, not_names: frozenset[str]) -> tuple[int, int] | None:
    """Cut a candidate name before its first word that is no name (a brand, a greeting, a weekday)
    and drop particles left dangling at its end; ``None`` when nothing is left."""
    previous = None
    for word in _WORD.finditer(text, start, end):
        if word.group().casefold().strip("'’") in not_names:
            if previous is not None and previous[0].isupper() and previous.casefold() not in _PARTICLE_WORDS:
                return None  # "Haag Wonen", "Parnas Vastgoed": an organisation's name
            end = word.start()
            break
        previous = word.group()
    while True:
        segment = text[start:end].rstrip(" ,-")
        end = start + len(segment)
        words = segment.split()
        if words and words[-1].casefold() in _PARTICLE_WORDS:
            end = start + len(segment) - len(words[-1])
            continue
        break
    if end <= start or not any(ch.isupper() for ch in text[start:end]):
        return None
    return start, end


def result(recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float) -> RecognizerResult:
    """A result that names its recognizer, so Presidio's context enhancer can raise its score."""
    return RecognizerResult(
        entity, start, end, score,
        analysis_explanation=AnalysisExplanation(recognizer=recognizer.name, original_score=score),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


class DutchPersonContextRecognizer(EntityRecognizer):
    """PERSON after introductions, titles and relations; initials with a surname; double
    surnames; LOCATION in "met <naam> uit <plaats>"."""

    CONTEXT = ["naam", "heet", "heten", "wie", "spreek", "contactpersoon"]

    def __init__(self, rules_dir: Path):
        super().__init__(
            supported_entities=["PERSON", "LOCATION"], name="DutchPersonContextRecognizer",
            supported_language="nl", context=self.CONTEXT,
        )
        self._not_names = load_word_list(rules_dir / "not_person_nl.txt")
        self._countries = load_word_list(rules_dir / "countries_nl.txt")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        common = common_words(nlp_artifacts)
        stops = stop_words(nlp_artifacts)
        found: list[RecognizerResult] = []

        def add(start: int, end: int, score: float, *, check_common: bool = False, check_stop: bool = True) -> None:
            trimmed = trim_name(text, start, end, self._not_names)
            if trimmed is None or _LEGAL_FORM.match(text, trimmed[1]):
                return
            start, end = trimmed
            following = _NEXT_WORD.match(text, end)
            if following and following.group(1).casefold() in self._not_names:
                return  # "Van Haag Wonen": the name of an organisation
            words = [w.casefold() for w in _WORD.findall(text[start:end]) if w.casefold() not in _PARTICLE_WORDS
                     and len(w) > 1]
            if not words or (check_common and all(w in common for w in words)):
                return
            if check_stop and all(w in stops for w in words):
                return
            found.append(result(self, "PERSON", start, end, score))

        for match in _NAME_AFTER.finditer(text):
            add(*match.span("name"), _SCORE_CONTEXT)
            place = match.group("place")
            if place and place.casefold() not in self._countries and place.casefold() not in self._not_names:
                found.append(result(self, "LOCATION", *match.span("place"), _SCORE_CONTEXT))
        for match in _NAME_AFTER_RELATION.finditer(text):
            add(*match.span("name"), _SCORE_CONTEXT)
        for match in _RELATION_APPOSITION.finditer(text):
            add(*match.span("name"), _SCORE_STRUCTURE)
        for match in _INITIALS_SURNAME.finditer(text):
            add(*match.span("name"), _SCORE_STRUCTURE)
        for match in _GESPROKEN.finditer(text):
            add(*match.span("name"), _SCORE_CONTEXT)
        for match in _PARTICLE_SURNAME.finditer(text):
            add(*match.span("name"), _SCORE_PARTICLE_SURNAME)
        for match in _DOUBLE_SURNAME.finditer(text):
            parts = [p.casefold() for p in regex.split(r"[-\s]+", match.group("name"))]
            if match.group("particle") or not (parts[0] in _REGION_PARTS or any(p in common for p in parts)):
                add(*match.span("name"), _SCORE_STRUCTURE if match.group("particle") else _SCORE_DOUBLE_NAME)
        answer = _ANSWER.match(text)
        if answer and _SCORE_ANSWER and len(answer.group("name").split()) <= 4:
            add(*answer.span("name"), _SCORE_ANSWER, check_common=True)
        return found


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DutchPersonContextRecognizer(rules_dir)]
