"""Names of people recognised by the words around them and by a name list, in any case and with or
without punctuation, as Dutch callers and agents say them: "met Bert Gielen uit Venlo", "spreek ik
met mevrouw Van 't Slot", "op naam van H. van Dijk-Molenaar", "mijn zoon Gerard", "monteur Bram",
"collega Fatima El Amrani", a double surname ("Arslan-de Graaf"), initials with a surname
("J.P. de Groot"), and a turn that is only a name answering the agent's question for it.

Two layers. The capitalised patterns (``_NAME_AFTER`` …) read written text. :func:`scan_names` reads
tokens in any case against the name gazetteer (:class:`callscribe.pipeline.redaction.rules.NameGazetteer`): a known
name that is no ordinary word is a name anywhere ("fatima", "öztürk"); a name that is also an
ordinary word ("roos", "storm", "bakker", "jan") or an unknown word is a name in a name position
(after a title, also with a full stop: "dr. visser", "mw. de boer"; an introduction; "met" opening a
turn; a relation: "de monteur, bram"; thanks: "dank u wel, de wit"; next to another name; in a list
of names; before a spelling remark: "lindeboom, in één woord"); the name words around it join the
span ("jan van der berg", "fatima el amrani", "arslan-de graaf"). Ordinary-word names found only so
score :data:`_SCORE_WEAK` (below the review threshold: redacted and flagged).

Titles (meneer, mevrouw, de heer, familie) stay outside the span; particles are inside. Words of
``redaction_rules/not_person_nl.txt`` (brands, housing corporations, greetings, weekdays …) end a
name. The word lists of this package are loaded here (:func:`load_word_list`).
"""

from __future__ import annotations

from pathlib import Path

import regex
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from callscribe.pipeline.redaction.lexicon import (
    NAME_PARTICLES,
    NameGazetteer,
    NameKind,
    lexicon,
    load_word_list,
    name_gazetteer,
)

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
    r"|installateur|technicus|contactpersoon|leidinggevende|baas|mantelzorger|begeleider|verzorger"
    r"|bewindvoerder|curator|mentor|aannemer|loodgieter|elektricien|stagiair|stagiaire|medewerker|medewerkster"
    r"|teamleider|manager|directeur|eigenaar|bewoner|bewoonster|huurder|onderbuurman|onderbuurvrouw|bovenbuurman"
    r"|bovenbuurvrouw|overbuurman|overbuurvrouw|stiefvader|stiefmoeder|pleegzoon|pleegdochter|vriendje|vriendinnetje"
    r"|chauffeur|bezorger|thuiszorg|wijkverpleegkundige|verpleegkundige|huisarts|advocaat|notaris|makelaar"
    r"|schoonzoon|kleinkind|peetoom|peettante|achterbuurman|achterbuurvrouw|planner|coördinator|receptionist|receptioniste"
    r"|secretaresse|secretaris|assistent|assistente|schoonmaker|schoonmaakster|werkster|oppas|zwagerin|ex"
    r"|vriendin|verloofde|echtgenoot|echtgenote|kind|kleinzoon|buurjongen|buurmeisje|hulp|voorzitter|penningmeester"
    r"|conducteur|portier|beveiliger|nachtwaker|huismeesteres|opzichter|uitvoerder|voorman)"
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
# The name particles that are also whole words of a context match ("ait", "abu", "bin", "d'" only
# join a name).
_PARTICLE_WORDS = NAME_PARTICLES - {"ait", "abu", "bin", "d'"}
_WORD = regex.compile(r"[\p{L}'’]+")
_NEXT_WORD = regex.compile(r"[ \t]+(\p{Lu}[\p{L}'’]*)")

# Scores: a name after an introduction or title; initials or a double surname; a turn that is
# only a name, which needs the agent's question ("Wat is uw naam?") as context to pass 0.35.
_SCORE_CONTEXT = 0.7
_SCORE_STRUCTURE = 0.6
_SCORE_PARTICLE_SURNAME = 0.5
_SCORE_DOUBLE_NAME = 0.45
_SCORE_ANSWER = 0.3


# --- Names in any case: the name gazetteer and name positions, token by token ------------------
# A word token; a hyphenated double name ("gert-jan", "verhoeven-de wit") is one token.
_TOKEN = regex.compile(
    r"['’][ts](?![\p{L}])|[\p{L}][\p{L}'’]*(?:-(?:(?:de|van|van der|van den|van de|ter|ten|el|al)[ \t]+)?[\p{L}][\p{L}'’]*)*"
)
# Words after which a name follows (case-insensitive; a title may end in a full stop).
_TITLE_WORDS = (
    r"meneer|mevrouw|mevr|mw|mvr|dhr|de\s+heer|familie|fam|dokter|dr|drs|ir|ing|mr|prof|juffrouw|juf|zuster|meester"
)
_INTRO_WORDS = (
    r"mijn\s+naam\s+is|de\s+naam\s+is|naam\s+is|achternaam\s+is|voornaam\s+is|ik\s+ben|u\s+spreekt\s+met"
    r"|je\s+spreekt\s+met|spreekt\s+u\s+met|spreek\s+ik\s+met|ik\s+heet|hij\s+heet|zij\s+heet|ze\s+heet|heet"
    r"|hier\s+is|op\s+naam\s+van|ten\s+name\s+van|t\.?\s?n\.?\s?v\.?|gesproken\s+met|contact\s+met|vraag\s+naar"
    r"|vragen\s+naar|doorverbinden\s+met|verbinden\s+met|namens|noemen\s+(?:hem|haar|me|mij|ze)|noemt\s+(?:hem|haar|me|mij)"
    r"|noem\s+(?:me|mij)|zeg\s+maar|iedereen\s+zegt|zeggen\s+ze|noemen\s+ze|groetjes\s+aan|de\s+groeten\s+aan|groeten\s+aan|genaamd|een\s+zekere|ene"
)
_TRIGGER = regex.compile(
    rf"(?<![\p{{L}}])(?i:(?P<title>(?:meneer|mevrouw|de\s+heer|familie|dokter|juffrouw|zuster|meester"
    rf"|(?:mevr|mw|mvr|dhr|fam|dr|drs|ir|ing|mr|prof|juf)\.?))"
    rf"|(?P<intro>{_INTRO_WORDS})"
    r"|(?P<thanks>dank\s+u\s+wel|dank\s+je\s+wel|dank\s+u|dank\s+je|bedankt|tot\s+ziens|dag|daag|doei)"
    rf"|(?P<met>met)"
    rf"|(?P<relation>{_RELATION}))"
    r"(?=[ \t,:]+[\p{L}])"
)
# "met" opening a turn, a sentence, or after a greeting or the desk's name: "met Bram", "TBI Direct, met Bram".
_OPENING_BEFORE = regex.compile(
    rf"(?:^|[.!?…:][ \t]*|\b(?i:{_GREETING}|direct|telecontrol|storingsdienst|klantenservice|servicedesk|meldkamer"
    rf"|afdeling\s+\w+)[ \t]*,?[ \t]+)$"
)
_SPACE = regex.compile(r"[ \t]+")
# One space (a comma or colon after a relation: "de monteur, bram"); two spaces stand for a span the
# redactor took out in an earlier round, so the words around it are not adjacent.
_TRIGGER_GAP = regex.compile(r"[ \t]")
_RELATION_GAP = regex.compile(r"[,:]?[ \t]")
_TITLE_TOKEN = regex.compile(rf"(?i:{_TITLE_WORDS}|heer)")
# Particle sequences of Dutch and other surnames ("van der", "in 't", "el"); "uit" or "in" alone is
# a preposition.
_PARTICLE_SEQUENCES = frozenset(
    {"van", "van de", "van der", "van den", "van het", "van 't", "de", "der", "den", "ter", "ten", "te", "in 't",
     "in de", "in het", "op de", "op den", "op het", "op 't", "uit de", "uit den", "uit het", "la", "le", "du", "da",
     "di", "dos", "el", "al", "ben", "oude", "ait", "abu", "bin", "d'", "van de la", "de la", "van la"}
)
_CONJUNCTION_GAP = regex.compile(r"[ \t]*,?[ \t]+(?:en|of)[ \t]+")
_LIST_GAP = regex.compile(r"[ \t]*,[ \t]*(?:en[ \t]+)?|[ \t]+(?:en|of|en\s+ook)[ \t]+")
_INITIAL = regex.compile(r"\p{L}")
_ORGANISATION = frozenset(
    {"installatiebedrijf", "bouwbedrijf", "aannemer", "aannemersbedrijf", "firma", "bedrijf", "stichting", "school",
     "basisschool", "vereniging", "woningcorporatie", "woonstichting", "vve", "makelaar", "makelaardij",
     "schoonmaakbedrijf", "loodgieter", "garage", "autobedrijf", "huisartsenpraktijk", "praktijk", "apotheek",
     "straat", "laan", "plein", "weg", "ziekenhuis", "zorgcentrum", "verpleeghuis", "winkel", "restaurant",
     "bakkerij", "slagerij", "kapsalon", "café", "hotel", "camping", "recreatiepark", "kantoor", "merk", "type"}
)
_RELATION_WORD = regex.compile(rf"(?i:{_RELATION})")
_SPELLING_REMARK = regex.compile(
    r"(?i:(?<=[\p{L}][ \t,]*[ \t])(?:in\s+één\s+woord|in\s+een\s+woord|aan\s+elkaar|zonder\s+spatie|met\s+een\s+koppelteken"
    r"|met\s+een\s+streepje|met\s+een\s+hoofdletter|met\s+een\s+(?:dubbele\s+)?(?:ij|\p{L})(?![\p{L}])"
    r"|met\s+(?:ij|y|[b-df-np-tv-z])(?![\p{L}])"
    r"|met\s+twee\s+\p{L}'?s?(?![\p{L}])))"
)
_NICKNAME_INTRO = regex.compile(r"(?i)noem|zeg|iedereen|heet")
_OPENING_CAPITAL = regex.compile(r"(?:^|[.!?…]\s*)$")
_MONTH_NAMES = frozenset({"mei", "april", "juni", "juli"})
_NOT_AFTER_INITIAL = frozenset({"u", "e", "o", "ik", "'t"})
_DETERMINER_WORDS = frozenset({"de", "het", "een", "die", "deze", "dat", "dit", "mijn", "onze", "uw", "je", "zijn", "haar"})
_VOWEL_INITIALS = frozenset({"e", "o"})  # initials before a name that is no ordinary word ("e ekinci")
# Particles that are also articles or prepositions: alone before a word they make no name.
_ARTICLE_PARTICLES = frozenset({"ben", "al", "de", "het", "'t", "in", "op", "uit", "te", "van", "den", "der", "la", "le", "da", "di"})

_SCORE_GAZETTEER = 0.6  # a known name that is no ordinary word, anywhere
_SCORE_POSITION = 0.7  # a name-like word in a name position
_SCORE_WEAK = 0.45  # an ordinary word that is a known name, in a name position or a list: flagged for review


class _Token:
    __slots__ = ("start", "end", "word", "kind")

    def __init__(self, start: int, end: int, word: str, kind: NameKind):
        self.start, self.end, self.word, self.kind = start, end, word, kind


def name_tokens(text: str, names: NameGazetteer) -> list[_Token]:
    """The word tokens of ``text`` with their :class:`NameKind`, for :func:`extend_name`."""
    return _tokens(text, names)


def _tokens(text: str, names: NameGazetteer) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group(), names.kind(m.group())) for m in _TOKEN.finditer(text)]


def _adjacent(text: str, left: _Token, right: _Token) -> bool:
    return right.start - left.end == 1 and text[left.end] in " \t"


def _is_particle(token: _Token) -> bool:
    return token.word.casefold().replace("’", "'") in NAME_PARTICLES


def grow_name(text: str, tokens: list[_Token], first: int, last: int, names: NameGazetteer) -> tuple[int, int]:
    """Token indices ``(first, last)`` of a name grown over the name words around it: particles and a
    surname after it ("fatima el amrani", "jan van der berg", "wim van asten"), a first name or
    initials before it ("jan de vries", "h van dijk-molenaar")."""
    # to the right: particles, then a name-like word (particles that end the span are looked at again)
    found_last = last
    while last > first and _is_particle(tokens[last]):
        last -= 1
    while last + 1 < len(tokens):
        j = last + 1
        while j < len(tokens) and _is_particle(tokens[j]) and _adjacent(text, tokens[j - 1], tokens[j]):
            j += 1
        if j >= len(tokens) or not _adjacent(text, tokens[j - 1], tokens[j]) or j - last > 4:
            break
        nxt = tokens[j]
        with_particles = j > last + 1
        if with_particles and not _particles_ok([t.word.casefold() for t in tokens[last + 1 : j]]):
            break
        particles_and_word = text[tokens[last + 1].start : nxt.end] if with_particles else ""
        if nxt.kind == NameKind.NAME:
            pass
        elif nxt.kind == NameKind.UNKNOWN and (
            with_particles or tokens[last].kind in (NameKind.NAME, NameKind.UNKNOWN) or names.is_first_name(tokens[last].word)
        ):
            pass
        elif nxt.kind == NameKind.AMBIGUOUS and not (names.verb_like(nxt.word) and not with_particles) and (
            (with_particles and (names.is_surname(particles_and_word) or _particle_text(tokens, last + 1, j)
                                 not in _PREPOSITIONAL_PARTICLES | _ARTICLE_PARTICLES))
            or (not with_particles and (names.is_first_name(tokens[last].word) or tokens[last].kind == NameKind.NAME)
                and nxt.word.casefold() not in names.first)
            or (not with_particles and "-" in nxt.word and tokens[last].kind in (NameKind.NAME, NameKind.UNKNOWN))
        ):
            pass
        elif with_particles and names.is_surname(particles_and_word):
            pass
        elif with_particles and _particle_text(tokens, last + 1, j) in _NAME_ONLY_PARTICLES and nxt.kind != NameKind.NEVER \
                and len(nxt.word) >= 3 and nxt.word.casefold() not in names.stop_words:
            pass  # "tjeerd van der meer": after "van der" any word is a surname
        else:
            break
        last = j
    # to the left: particles, initials, a first name
    while first > 0:
        i = first - 1
        while i >= 0 and _is_particle(tokens[i]) and _adjacent(text, tokens[i], tokens[i + 1]):
            i -= 1
        before = tokens[i] if i >= 0 else None
        if i + 1 < first:  # particles directly before the name
            particles = [t.word.casefold() for t in tokens[i + 1 : first]]
            leads = before is not None and (_is_initial(text, before, tokens[i + 1]) or (
                _adjacent(text, before, tokens[i + 1]) and before.kind in (NameKind.NAME, NameKind.AMBIGUOUS)
                and names.is_first_name(before.word)))
            if not _particles_ok(particles) or not (
                leads or names.is_surname(text[tokens[i + 1].start : tokens[first].end])
                or len(particles) > 1 or particles[0] not in _ARTICLE_PARTICLES
            ):
                break
            first = i if leads else i + 1
            if not leads:
                break
            continue
        if before is None:
            break
        if _is_initial(text, before, tokens[first]):
            first = i
            continue
        if (_adjacent(text, before, tokens[first]) and before.kind in (NameKind.NAME, NameKind.AMBIGUOUS)
                and names.is_first_name(before.word) and tokens[first].kind != NameKind.AMBIGUOUS
                and not names.verb_like(before.word)):  # "dan ahmed": "dan" is "then" here
            first = i
            continue
        if (_adjacent(text, before, tokens[first]) and before.kind == NameKind.UNKNOWN and len(before.word) >= 3
                and tokens[first].kind == NameKind.NAME and not names.is_first_name(tokens[first].word)
                and not _TITLE_TOKEN.fullmatch(before.word)):
            first = i  # "durk terpstra": an unknown word before a surname is its first name
            continue
        break
    return first, max(last, found_last)


def extend_name(text: str, start: int, end: int, names: NameGazetteer, tokens: list | None = None) -> tuple[int, int]:
    """``(start, end)`` of a PERSON span grown over the name words around it, in any case
    (:func:`grow_name`); unchanged when it does not begin and end on word boundaries. ``tokens``:
    the text's tokens when the caller has them (:func:`name_tokens`)."""
    tokens = _tokens(text, names) if tokens is None else tokens
    first = next((i for i, t in enumerate(tokens) if t.start == start), None)
    last = next((i for i, t in enumerate(tokens) if t.end == end), None)
    if first is None or last is None or last < first:
        return start, end
    first, last = grow_name(text, tokens, first, last, names)
    return tokens[first].start, tokens[last].end


_ANSWER_LEAD = frozenset({"ja", "jawel", "nee", "dat", "het", "is", "eh", "uh", "ehm", "nou", "oké"})


def _lower_case_answer(text: str, names: NameGazetteer, tokens: list[_Token]) -> tuple[int, int] | None:
    """A turn that is only a name ("terpstra", "samira azzouzi", "h van dijk"): one to four name-like
    words, particles and initials; it needs the agent's question as context to pass."""
    if not tokens or text[tokens[-1].end :].strip(" \t.!?…") or text[: tokens[0].start].strip():
        return None
    lead = 0
    while lead < min(3, len(tokens) - 1) and tokens[lead].word.casefold() in _ANSWER_LEAD:
        lead += 1  # "ja", "dat is", "het is": "ja dat is hoekema"
    tokens = tokens[lead:]
    if not 1 <= len(tokens) <= 5:
        return None
    core = [t for t in tokens if not _is_particle(t) and len(t.word) > 1]
    if not core or len(core) > 4:
        return None
    if all(t.kind in (NameKind.NAME, NameKind.UNKNOWN, NameKind.AMBIGUOUS) for t in core):
        return tokens[0].start, tokens[-1].end
    return None


# Ordinary words that follow a title and are no surname: "dank u meneer fijne dag", "mevrouw sorry".
_NOT_AFTER_TITLE = frozenset(
    {"fijne", "fijn", "prima", "goed", "goede", "goedemorgen", "goedemiddag", "goedenavond", "bedankt", "dank",
     "sorry", "excuus", "oké", "okay", "akkoord", "graag", "natuurlijk", "zeker", "jazeker", "helaas", "alstublieft",
     "nog", "even", "toch", "tot", "zien", "daag", "dag", "doei", "gaat", "heeft", "kan", "wil", "zal", "moet",
     "mag", "zegt", "belt", "komt", "woont", "klopt", "weet", "begrijp", "snap", "hoor", "zeg", "kijk", "luister",
     "wacht", "momentje", "rustig", "ook", "zelf", "hier", "daar", "nu", "dan", "straks", "morgen", "vandaag",
     "gisteren", "beste", "geachte", "lieve", "aardige", "vriendelijke", "sterkte", "gecondoleerd", "welterusten",
     "wel", "niet", "alles", "iets", "niks", "maar", "want", "omdat", "wanneer", "waar", "wat", "wie", "hoe"}
)
# Particle sequences that hardly occur outside names ("van der", "in 't"); "van de" is also prose.
_NAME_ONLY_PARTICLES = frozenset({"van der", "van den", "van 't", "in 't", "op 't", "op den", "uit den", "ter", "ten"})
# Words about spelling a name: the word before a spelling remark that is no name.
_NAME_TALK = frozenset(
    {"naam", "voornaam", "achternaam", "roepnaam", "meisjesnaam", "tussenvoegsel", "woord", "woorden", "letter",
     "letters", "hoofdletter", "hoofdletters", "kleine", "grote", "streepje", "koppelteken", "spatie", "puntje",
     "apostrof", "accent", "trema", "cijfer", "cijfers", "nummer", "adres", "mailadres", "emailadres", "straat"}
)
# Words after "met <naam>" that make the unknown word a person: "met gerben die …", "met hylke gesproken".
_PERSON_FOLLOWERS = frozenset({"die", "gesproken", "gebeld", "afgesproken", "overlegd", "geregeld", "samen"})
_SURNAME_PARTICLES = frozenset({"de", "van", "van de", "van der", "van den", "ter", "ten", "van 't", "in 't", "op de"})
_NAME_ONLY_AFTER_WORD = frozenset({"van der", "van den", "van 't", "in 't"})


def in_name_position(text: str, start: int) -> bool:
    """True when a title, an introduction, "met" or a relation ends right before ``start``."""
    for match in _TRIGGER.finditer(text, max(0, start - 60), start + 1):
        gap = (_RELATION_GAP if match.lastgroup == "relation" else _TRIGGER_GAP).match(text, match.end())
        if gap and gap.end() == start:
            return True
    return False


# Particle sequences that are also prepositional phrases ("in de zomer", "van de monteur").
_PREPOSITIONAL_PARTICLES = frozenset({"in de", "in het", "op de", "op het", "uit de", "uit het", "van de", "van het", "te"})


def _particle_text(tokens: list[_Token], first: int, end: int) -> str:
    return " ".join(t.word.casefold() for t in tokens[first:end]).replace("’", "'")


def _particles_ok(particles: list[str]) -> bool:
    return " ".join(particles).replace("’", "'") in _PARTICLE_SEQUENCES


def _is_initial(text: str, token: _Token, following: _Token) -> bool:
    """A single letter, not a Dutch one-letter word, directly (or with a full stop) before a name."""
    return (len(token.word) == 1 and (token.word.casefold() not in _NOT_AFTER_INITIAL or (
                following.kind == NameKind.NAME and token.word.casefold() in _VOWEL_INITIALS))
            and text[token.end : following.start].strip(" \t.") == "" and "\n" not in text[token.end : following.start])


def scan_names(text: str, names: NameGazetteer, tokens: list[_Token] | None = None) -> list[tuple[int, int, float]]:
    """PERSON spans ``(start, end, score)`` of ``text`` in any case: known names that are no ordinary
    word anywhere; name-like words after a title, an introduction, "met" or a relation; the name
    words around them; names in a list with them."""
    tokens = _tokens(text, names) if tokens is None else tokens
    if not tokens:
        return []
    starts = {t.start: i for i, t in enumerate(tokens)}
    seeds: dict[int, tuple[float, int]] = {}  # token index → (score, first token of the name)

    def seed(index: int, score: float, first: int | None = None) -> None:
        if score > seeds.get(index, (0.0, index))[0]:
            seeds[index] = (score, index if first is None else first)

    for i, token in enumerate(tokens):
        if token.kind == NameKind.NAME and len(token.word) >= 3:
            previous = tokens[i - 1].word.casefold() if i else ""
            following = tokens[i + 1].word.casefold() if i + 1 < len(tokens) else ""
            if previous in _ORGANISATION or following in names.never:
                continue
            seed(i, _SCORE_GAZETTEER)
    for i in range(1, len(tokens)):
        if _is_initial(text, tokens[i - 1], tokens[i]) and (
                tokens[i].kind == NameKind.UNKNOWN
                or tokens[i].kind == NameKind.AMBIGUOUS and not names.verb_like(tokens[i].word)):
            seed(i, _SCORE_WEAK, i - 1)  # "a benali", "r. koçak", "h storm"
        elif tokens[i].kind != NameKind.NEVER and _is_initial(text, tokens[i - 1], tokens[i]) and _is_particle(tokens[i]):
            j = i
            while j < len(tokens) and _is_particle(tokens[j]) and (j == i or _adjacent(text, tokens[j - 1], tokens[j])):
                j += 1
            if (j < len(tokens) and _adjacent(text, tokens[j - 1], tokens[j]) and _particles_ok(
                    [t.word.casefold() for t in tokens[i:j]]) and tokens[j].kind != NameKind.NEVER
                    and tokens[j].word.casefold() not in names.stop_words and len(tokens[j].word) >= 3
                    and not names.verb_form(tokens[j].word)):
                seed(j, _SCORE_WEAK, i - 1)  # "t. van dijk", "m el idrissi": an initial, particles, a surname
    for i in range(len(tokens) - 3):
        # "wieke van der staal": a name-like word, a particle sequence of two or more words, a word
        first_word = tokens[i]
        if first_word.kind != NameKind.NEVER and first_word.word.casefold() not in names.stop_words:
            j = i + 1
            while j < len(tokens) and _is_particle(tokens[j]) and _adjacent(text, tokens[j - 1], tokens[j]):
                j += 1
            particles = " ".join(t.word.casefold() for t in tokens[i + 1 : j]).replace("’", "'")
            if not (j < len(tokens) and _adjacent(text, tokens[j - 1], tokens[j]) and tokens[j].kind != NameKind.NEVER
                    and tokens[j].word.casefold() not in names.stop_words and len(first_word.word) <= 12):
                continue
            capitals = first_word.word[0].isupper() and tokens[j].word[0].isupper() and particles[:1].islower()
            if capitals and _particles_ok(particles.split()) and particles not in ("uit de", "uit het", "in de", "in het"):
                seed(j, _SCORE_GAZETTEER, i)  # "Tiny van der Linden", "Bert van Asten"
            elif (particles in _SURNAME_PARTICLES and tokens[j].kind != NameKind.WORD and len(first_word.word) >= 3
                  and (first_word.kind in (NameKind.UNKNOWN, NameKind.NAME) or (
                      names.is_first_name(first_word.word) and not names.verb_like(first_word.word)))
                  and names.is_surname(text[tokens[i + 1].start : tokens[j].end])):
                seed(j, _SCORE_WEAK, i)  # "gerbrich de boer": a first name and a known surname with particles
            elif particles in _NAME_ONLY_PARTICLES and (
                first_word.kind in (NameKind.UNKNOWN, NameKind.NAME)
                or (particles in _NAME_ONLY_AFTER_WORD and not names.verb_form(first_word.word))
            ):
                seed(j, _SCORE_WEAK, i)  # "tiny van der linden"
    for i, token in enumerate(tokens[:-1]):
        folded = token.word.casefold()
        following = tokens[i + 1]
        if (token.kind == NameKind.UNKNOWN and len(folded) >= 3 and following.kind == NameKind.AMBIGUOUS
                and _adjacent(text, token, following) and names.is_surname(following.word)
                and not names.is_first_name(following.word) and not names.verb_like(following.word)
                and not _TITLE_TOKEN.fullmatch(token.word) and not (i and tokens[i - 1].word.casefold() in _DETERMINER_WORDS)):
            seed(i + 1, _SCORE_WEAK, i)  # "wieke lindeboom": an unknown word before a surname that is also a word
        if folded in _NAME_ONLY_PARTICLES and (i == 0 or not _is_particle(tokens[i - 1])):
            # "ten hove", "van der hoeven" without a first name: a particle sequence of names only
            j = i + 1
            while j < len(tokens) and _is_particle(tokens[j]) and _adjacent(text, tokens[j - 1], tokens[j]):
                j += 1
            particles = _particle_text(tokens, i, j)
            if (j < len(tokens) and j - i <= 3 and _adjacent(text, tokens[j - 1], tokens[j])
                    and particles in _NAME_ONLY_PARTICLES and (
                        tokens[j].kind == NameKind.UNKNOWN or names.is_surname(text[token.start : tokens[j].end]))):
                seed(j, _SCORE_WEAK, i)
        elif folded == "en" and 0 < i and tokens[i + 1].word.casefold() == "ik" and _adjacent(text, tokens[i - 1], token):
            # "wieke en ik": the one named before "en ik" is a person
            other = tokens[i - 1]
            if other.kind == NameKind.UNKNOWN or (
                    other.kind == NameKind.AMBIGUOUS and names.is_first_name(other.word)
                    and not names.verb_like(other.word) and not (i > 1 and tokens[i - 2].word.casefold() in _DETERMINER_WORDS)):
                seed(i - 1, _SCORE_WEAK)
        elif folded == "ik" and tokens[i + 1].word.casefold() == "en" and i + 2 < len(tokens) and (
                _adjacent(text, token, tokens[i + 1]) and _adjacent(text, tokens[i + 1], tokens[i + 2])):
            other = tokens[i + 2]  # "ik en wieke"
            if other.kind == NameKind.UNKNOWN or (
                    other.kind == NameKind.AMBIGUOUS and names.is_first_name(other.word) and not names.verb_like(other.word)):
                seed(i + 2, _SCORE_WEAK)
    for i, token in enumerate(tokens[:-1]):
        # "ja, bas hier": a first name introducing the speaker at the opening of a turn or sentence
        if (tokens[i + 1].word.casefold() == "hier" and _adjacent(text, token, tokens[i + 1])
                and (token.kind in (NameKind.NAME, NameKind.UNKNOWN) or names.is_first_name(token.word))
                and not names.verb_like(token.word) and _OPENING_BEFORE.search(text, 0, token.start)):
            seed(i, _SCORE_WEAK)
    for match in _TRIGGER.finditer(text):
        gap = (_RELATION_GAP if match.lastgroup in ("relation", "thanks") else _TRIGGER_GAP).match(text, match.end())
        i = starts.get(gap.end()) if gap else None
        if i is None:
            continue
        kind = match.lastgroup
        if kind == "met" and _OPENING_BEFORE.search(text, 0, match.start()):
            kind = "open"
        # skip a title after an introduction ("mijn naam is mevrouw …"), then initials and particles
        while i + 1 < len(tokens) and _TITLE_TOKEN.fullmatch(tokens[i].word) and kind != "relation":
            if tokens[i + 1].start - tokens[i].end > 2:  # "dhr.  " + a span taken out in an earlier round
                i = len(tokens)
                break
            i += 1
        j = i
        while j < len(tokens) and j - i < 4 and (
            (_is_particle(tokens[j]) and kind != "relation")  # "de vrouw van …": a preposition
            or (j + 1 < len(tokens) and _is_initial(text, tokens[j], tokens[j + 1]))
        ):
            j += 1
        if j >= len(tokens):
            continue
        target = tokens[j]
        if (j == i and len(target.word) == 2 and target.word.isalpha() and (
                kind in ("open", "intro", "title", "relation")
                or kind == "met" and target.word[0].isupper() and not _OPENING_CAPITAL.search(text, 0, target.start))
                and target.word.casefold() not in names.ordinary and not _is_particle(target)):
            seed(j, _SCORE_WEAK)  # "hallo, met ko", "collega mo": a two-letter first name
            continue
        if target.kind == NameKind.NEVER and kind == "intro" and j == i and target.word.casefold() in _MONTH_NAMES:
            seed(j, _SCORE_WEAK)  # "u spreekt met Mei": a month that is a first name
            continue
        particles = [t.word.casefold() for t in tokens[i:j] if len(t.word) > 1]
        initials = j > i and not particles
        if particles and not _particles_ok(particles):
            continue
        if (particles and len(particles) == 1 and particles[0] in _ARTICLE_PARTICLES and target.kind != NameKind.NAME
                and kind != "title" and not names.is_surname(text[tokens[i].start : target.end])):
            continue  # "ik ben de bakker", "de monteur van remeha"
        first = i
        if target.kind == NameKind.AMBIGUOUS:
            if (kind == "met" and j > i) or names.verb_like(target.word) or _RELATION_WORD.fullmatch(target.word):
                continue  # "mijn schoonzoon wil …", "dank u wel", "bedankt man"
            seed(j, _SCORE_WEAK, first)
        elif target.kind in (NameKind.NAME, NameKind.UNKNOWN) and (kind != "met" or initials):
            seed(j, _SCORE_POSITION, first)
        elif kind == "met" and j == i and target.kind == NameKind.UNKNOWN and len(target.word) >= 3 and (
            j + 1 < len(tokens) and _adjacent(text, target, tokens[j + 1])
            and tokens[j + 1].word.casefold() in _PERSON_FOLLOWERS
        ):
            seed(j, _SCORE_WEAK)  # "samen met gerben die …", "met hylke gesproken"
        elif kind == "met" and j == i and target.kind == NameKind.UNKNOWN and target.word[0].isupper() and (
            not _OPENING_CAPITAL.search(text, 0, target.start)
        ):
            seed(j, _SCORE_WEAK)  # "ik heb gisteren met Yfke gebeld": a capitalised unknown word after "met"
        elif particles and kind in ("title", "intro", "open", "thanks") and (
            names.is_surname(text[tokens[i].start : target.end])
            or (kind != "thanks" and target.kind == NameKind.WORD and target.word.casefold() not in names.stop_words and (
                len(particles) > 1 or particles[0] not in _ARTICLE_PARTICLES or kind == "title"))
        ):
            seed(j, _SCORE_WEAK, first)  # "mevrouw van 't slot", "meneer de visser"
        elif kind == "intro" and j == i and target.kind == NameKind.WORD and _NICKNAME_INTRO.search(match.group()) and (
                len(target.word) >= 3 and target.word.casefold() not in names.stop_words and not names.verb_form(target.word)):
            seed(j, _SCORE_WEAK)  # "iedereen noemt me junior", "zeg maar riek": what follows is a name
        elif kind == "title" and target.kind == NameKind.WORD and not names.verb_form(target.word) and (
            target.word.casefold() not in _NOT_AFTER_TITLE
        ):
            seed(j, _SCORE_WEAK, first)  # "meneer kwast", "mevrouw j kooistra": an ordinary word as surname
    for match in _SPELLING_REMARK.finditer(text):
        # "lindeboom, in één woord", "van dam aan elkaar": the word before a spelling remark
        i = next((k for k in range(len(tokens) - 1, -1, -1) if tokens[k].end <= match.start()), None)
        if i is None or text[tokens[i].end : match.start()].strip(" \t,"):
            continue
        target = tokens[i]
        if target.word.casefold() in _NAME_TALK:
            continue  # "mijn achternaam, met een y", "kleine letters, aan elkaar"
        if target.kind in (NameKind.NAME, NameKind.UNKNOWN, NameKind.AMBIGUOUS) or (
            target.kind == NameKind.WORD and target.word.casefold() not in names.stop_words and len(target.word) >= 3
            and not names.verb_form(target.word)
        ):
            seed(i, _SCORE_WEAK)
    spans: list[list] = []
    for index in sorted(seeds):
        score, start = seeds[index]
        first, last = grow_name(text, tokens, start, index, names)
        if spans and first <= spans[-1][1]:
            spans[-1][0] = min(spans[-1][0], first)
            spans[-1][1] = max(spans[-1][1], last)
            spans[-1][2] = max(spans[-1][2], score)
        else:
            spans.append([first, last, score])
    # lists of people: "bas, roos en jan": an ambiguous or unknown word next to a name by a comma or "en"
    found = {i for first, last, _ in spans for i in range(first, last + 1)}
    for _ in range(2):
        added = False
        for first, last, score in list(spans):
            for j, other, step in ((last + 1, last, 1), (first - 1, first, -1)):
                if 0 <= j < len(tokens) and tokens[j].word.casefold() in ("en", "of"):
                    j += step
                if not 0 <= j < len(tokens) or j in found:
                    continue
                a, b = (tokens[other], tokens[j]) if j > other else (tokens[j], tokens[other])
                listed = tokens[j].kind == NameKind.AMBIGUOUS and not names.verb_like(tokens[j].word) or (
                    tokens[j].kind == NameKind.UNKNOWN and score >= _SCORE_GAZETTEER and len(tokens[j].word) >= 3
                    and _CONJUNCTION_GAP.fullmatch(text, a.end, b.start))  # "anouk of annemiek", not "jan, facility"
                if not listed and _CONJUNCTION_GAP.fullmatch(text, a.end, b.start) and _is_initial(
                        text, tokens[first], tokens[first + 1]) if first + 1 < len(tokens) else False:
                    # "g kwast en r doelwijt": initials and a word, listed with initials and a name
                    pair = (j - 1, j) if step < 0 else (j, j + 1)
                    if (pair[0] >= 0 and pair[1] < len(tokens) and pair[1] not in found
                            and _is_initial(text, tokens[pair[0]], tokens[pair[1]])
                            and tokens[pair[1]].kind != NameKind.NEVER and len(tokens[pair[1]].word) >= 3
                            and tokens[pair[1]].word.casefold() not in names.stop_words):
                        spans.append([pair[0], pair[1], _SCORE_WEAK])
                        found |= set(pair)
                        added = True
                    continue
                if listed and _LIST_GAP.fullmatch(text, a.end, b.start):
                    f, l = grow_name(text, tokens, j, j, names)
                    spans.append([f, l, _SCORE_WEAK])
                    found |= set(range(f, l + 1))
                    added = True
        if not added:
            break
    return [(tokens[f].start, tokens[l].end, score) for f, l, score in spans]


def _pipeline(nlp_artifacts):
    engine = getattr(nlp_artifacts, "nlp_engine", None)
    return getattr(engine, "nlp", {}).get("nl") if engine is not None else None


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
        self._rules_dir = rules_dir
        self._not_names = load_word_list(rules_dir / "not_person_nl.txt")
        self._countries = load_word_list(rules_dir / "countries_nl.txt")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        common = common_words(nlp_artifacts)
        stops = stop_words(nlp_artifacts)
        names = name_gazetteer(self._rules_dir, _pipeline(nlp_artifacts))
        found: list[RecognizerResult] = []
        tokens = _tokens(text, names)
        for start, end, score in scan_names(text, names, tokens):
            if not _LEGAL_FORM.match(text, end):
                found.append(result(self, "PERSON", start, end, score))
        answer = _lower_case_answer(text, names, tokens)
        if answer is not None:
            found.append(result(self, "PERSON", *answer, _SCORE_ANSWER))

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
        # Street and park names made from people's names ("Jan van Schaffelaarstraat") are
        # addresses, never persons.
        return [r for r in found if r.entity_type != "PERSON" or not _PLACE_WORD.search(text, r.start, r.end)]


# A word that names a street or a park: not part of a person's name.
_PLACE_WORD = regex.compile(
    r"\p{L}{2,}(?:straat|laan|plein|singel|gracht|steeg|dreef|plantsoen|kade|park)(?!\p{L})", regex.IGNORECASE
)


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DutchPersonContextRecognizer(rules_dir)]
