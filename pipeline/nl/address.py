"""Where someone lives, as Dutch callers say it: a street with its house number ("Columbuslaan 212",
"Boezemweg 41b", "de Lange Nieuwstraat nummer 4", "Tjerk Hiddesstraat 31", "Brinkgreverweg
achtentwintig", "Stadsplein 88 C"), a street alone where someone lives ("ik woon op de
Kerkstraat"), and the town or neighbourhood that goes with it ("Kleiweg 9 in Gouda", "in de
Bijlmer", "uit Leeuwarden", "Almere Poort").

A street is one or more capitalised words (name particles allowed: "Aart van der Leeuwlaan") whose
last word ends in a street suffix of ``redaction_rules/street_suffixes_nl.txt``. A street name
without such a suffix ("Weena 505", "Grote Noord 61") counts only with a house number and a sign
that it is an address: a place or postcode after it, or "woon"/"adres" before it. An article
directly before the street is inside the span; street names made of a person's name are ADDRESS,
scored above the NER's PERSON so the merged span is an address.

Places (LOCATION) follow "in", "uit", "te", "vanuit" or an address; countries
(``redaction_rules/countries_nl.txt``) and the words of ``not_person_nl.txt`` (brands, weekdays,
months) are not places.
"""

from __future__ import annotations

from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from pipeline.nl._numbers import value
from pipeline.nl.person_context import common_words, load_word_list, result, stop_words

_CAP = r"(?:IJ|\p{Lu})[\p{Ll}\p{Lu}'’.]*\p{Ll}[\p{L}'’]*(?:-(?:IJ|\p{Lu})?[\p{L}'’]+)*"
_PARTICLE = r"(?:van|de|der|den|het|ter|ten|te|'t|'s|op|aan|in|bij|la|le)"
_STREET = regex.compile(
    rf"(?<![\p{{L}}\d'’-])(?P<article>(?:[Dd]e|[Hh]et)\s+)?"
    rf"(?P<street>(?:(?:{_CAP}|[Vv]an|St\.|'s|'t)\s+(?:{_PARTICLE}\s+){{0,3}}){{0,4}}{_CAP})"
    rf"(?P<number>\s+(?:(?:nummer|nr\.?|huisnummer)\s+)?"
    rf"(?:\d{{1,5}}(?:[ ]?[A-Za-z](?![\p{{L}}\d])|-\d{{1,3}}(?!\d)|-?[A-Za-z](?![\p{{L}}\d]))?(?![\d.,]\d)|\p{{Ll}}{{3,}})"
    rf"(?:\s+(?:bis|hs|huis|I{{1,3}})(?![\p{{L}}]))?"
    rf"(?:,?\s+(?:chalet|unit|woning|appartement|app\.?|kamer|bus|huisnummer)\s+(?:\d{{1,4}}[A-Za-z]?|\p{{Ll}}{{3,}}))?)?"
)
# Suffixes that only streets have; without a house number a word with another suffix ("-dam",
# "-berg", "-meer") is as likely a town.
_STREET_ONLY_SUFFIXES = ("straat", "laan", "weg", "plein", "singel", "gracht", "kade", "dijk", "steeg", "dreef",
                         "plantsoen", "boulevard", "pad", "hof", "markt", "vest", "allee", "straatje", "laantje")
_LIVES = regex.compile(
    r"(?i:\b(?:woon|woont|wonen|woonde|gewoond|wonend|verhuisd|verhuizen|adres|adres is|gevestigd|staat|sturen"
    r"|stuur|gestuurd|pand|complex|woning|huis)\b[^.?!]{0,25}?\b(?:op|aan|naar|in|is|:)\s*)$"
)
_PLACE_AFTER = regex.compile(r"(?:\s*,)?\s+(?:(?:in|te)\s+(?:de\s+|het\s+)?)?(?P<place>(?:IJ|\p{Lu})\p{Ll}|'s|'t|\d{4}\s?[A-Z]{2}\b)")
_COUNT_NOUNS = frozenset(
    {"lift", "kamer", "appartement", "zone", "bus", "verdieping", "etage", "lijn", "spoor", "blok", "unit",
     "parkeerplaats", "box", "hal", "ingang", "deur", "woning", "nummer", "huisnummer", "code", "storingscode",
     "foutcode", "type", "model", "versie", "fase", "groep", "melder", "detector", "kanaal", "poort", "paal",
     "laadpaal", "ketel", "pagina", "artikel", "factuur", "contract", "week", "dag", "uur", "jaar", "keer"}
)
_PLACE_TRIGGER = regex.compile(
    r"(?<=(?<![\p{L}])(?:[Ii]n|[Uu]it|[Tt]e|[Vv]anuit|[Rr]ichting|wijk|buurt|dorp|stad|stadsdeel|woonplaats)\s+"
    r"(?:(?:de|het)\s+)?)"
    r"(?P<place>(?:'s-|'s\s)?(?:IJ|\p{Lu})\p{Ll}[\p{L}'’]*(?:-(?:IJ|\p{Lu})?[\p{L}'’]+)*"
    r"(?:\s+(?:(?:aan|op|bij|ter|in)\s+(?:den|de|het|zee)?\s*)?(?:IJ|\p{Lu})\p{Ll}[\p{L}'’]*){0,3})"
)
_PLACE = regex.compile(
    r"(?P<place>(?:'s-|'s\s)?(?:IJ|\p{Lu})\p{Ll}[\p{L}'’]*(?:-(?:IJ|\p{Lu})?[\p{L}'’]+)*"
    r"(?:\s+(?:(?:aan|op|bij|ter|in)\s+(?:den|de|het|zee)?\s*)?(?:IJ|\p{Lu})\p{Ll}[\p{L}'’]*){0,3})"
)
_WORD = regex.compile(r"[\p{L}'’]+")
_STREET_ADJECTIVES = frozenset(
    {"nieuwe", "oude", "lange", "korte", "grote", "kleine", "hoge", "lage", "brede", "smalle", "eerste", "tweede",
     "derde", "vierde", "oost", "west", "noord", "zuid", "oostelijke", "westelijke", "noordelijke", "zuidelijke",
     "sint", "st.", "prins", "prinses", "koning", "koningin", "burgemeester", "dokter", "generaal", "graaf",
     "hertog", "van", "de", "der", "den", "'s", "'t", "binnen", "buiten", "achter", "voor", "boven", "beneden",
     "hof", "kromme", "rechte", "droge", "natte", "zwarte", "witte", "rode", "groene", "gouden", "heilige"}
)

# Words that start an answer and are not part of a street ("Klopt, Kerkstraat 5").
_INTERJECTIONS = frozenset({"klopt", "juist", "precies", "genoteerd", "goed", "prima", "correct", "inderdaad", "adres",
                            "straat", "huisnummer", "sorry", "nou", "oké", "okay", "eh", "ehm", "hè", "ah", "oh", "o"})

_SCORE_STREET_NUMBER = 0.9
_SCORE_STREET = 0.6
_SCORE_NAME_NUMBER = 0.7
_SCORE_PLACE = 0.6


class DutchAddressRecognizer(EntityRecognizer):
    """ADDRESS for streets with house numbers and streets where someone lives; LOCATION for the
    town or neighbourhood where someone lives or is."""

    def __init__(self, rules_dir: Path):
        super().__init__(
            supported_entities=["ADDRESS", "LOCATION"], name="DutchAddressRecognizer", supported_language="nl",
            context=["adres", "woon", "woont", "straat", "huisnummer", "postcode"],
        )
        self._suffixes = tuple(sorted(load_word_list(rules_dir / "street_suffixes_nl.txt"), key=len, reverse=True))
        self._not_places = load_word_list(rules_dir / "not_person_nl.txt") | load_word_list(rules_dir / "countries_nl.txt")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        common = common_words(nlp_artifacts)
        stops = stop_words(nlp_artifacts) | _INTERJECTIONS
        found: list[RecognizerResult] = []
        for match in _STREET.finditer(text):
            found += self._address(text, match, common, stops)
        taken = [(r.start, r.end) for r in found]
        for match in _PLACE_TRIGGER.finditer(text):
            span = self._place(text, match.start("place"), match.end("place"), common)
            if span and not any(s <= span[0] < e for s, e in taken):
                found.append(result(self, "LOCATION", *span, _SCORE_PLACE))
        return found

    def _is_street_word(self, word: str) -> str | None:
        """The suffix that makes ``word`` a street name, or ``None``."""
        folded = word.casefold()
        for suffix in self._suffixes:
            if folded.endswith(suffix) and (len(folded) > len(suffix) + 1 or folded == suffix):
                return suffix
        return None

    def _address(self, text: str, match, common: frozenset[str], stops: frozenset[str]) -> list[RecognizerResult]:
        words = list(_WORD.finditer(match.group("street")))
        offset = match.start("street")
        # Leading words that are ordinary words ("Dus", "Het", "Nou") are not part of the street.
        first = 0
        while first < len(words) - 1:
            folded = words[first].group().casefold()
            if folded in self._not_places or (folded in stops and folded not in _STREET_ADJECTIVES):
                first += 1
                continue
            break
        while first < len(words) - 1 and words[first].group().casefold() in ("de", "der", "den", "het", "'t", "op", "aan", "in", "bij"):
            first += 1
        street_start = offset + words[first].start()
        last = words[-1].group()
        if last.casefold() in self._not_places:
            return []
        suffix = self._is_street_word(last)
        number = self._house_number(match)
        article = match.group("article") if first == 0 else None
        start = match.start("article") if article else street_start
        if not article and street_start > 0:
            before = regex.search(r"(?<![\p{L}])(?:[Dd]e|[Hh]et)\s+$", text[max(0, street_start - 5):street_start])
            if before:
                start = street_start - len(before.group())
        street_words = [w.group().casefold() for w in words[first:]]
        found: list[RecognizerResult] = []
        if suffix and number:
            found.append(result(self, "ADDRESS", start, number, _SCORE_STREET_NUMBER))
        elif suffix:
            lives = _LIVES.search(text[max(0, start - 60):start])
            before = text[:start].rstrip()
            mid_sentence = bool(before) and before[-1] not in ".!?…"
            strong = suffix in _STREET_ONLY_SUFFIXES and not all(w in common for w in street_words)
            alone = regex.match(r"\s*(?:[.?!…]|$)", text[match.end("street"):]) is not None and not mid_sentence
            if lives or (strong and (mid_sentence or alone)):
                found.append(result(self, "ADDRESS", start, match.end("street"), _SCORE_STREET))
        elif number:
            if all(w in common or w in _COUNT_NOUNS for w in street_words) and street_words[-1] in _COUNT_NOUNS:
                return []
            if any(w in _COUNT_NOUNS for w in street_words):
                return []
            lives = _LIVES.search(text[max(0, start - 60):start])
            after = _PLACE_AFTER.match(text, number)
            if lives or after:
                found.append(result(self, "ADDRESS", start, number, _SCORE_NAME_NUMBER))
        if found:
            end = found[-1].end
            after = _PLACE_AFTER.match(text, end)
            if after and not after.group("place")[0].isdigit():
                span = self._place(text, after.start("place"), None, common)
                if span:
                    found.append(result(self, "LOCATION", *span, _SCORE_PLACE))
        return found

    def _house_number(self, match) -> int | None:
        """End of the house number part of a street match, or ``None`` without a valid one."""
        part = match.group("number")
        if not part:
            return None
        core = regex.match(r"\s+(?:(?:nummer|nr\.?|huisnummer)\s+)?(?P<n>\d[^\s,]*|\p{Ll}+)(?:\s+(?:bis|hs|huis|I{1,3})(?!\p{L}))?", part)
        word = core.group("n")
        if not word[0].isdigit() and (value(word) in (None, 0) or word in ("een", "één")):
            return None  # "op de Kerkstraat een storing": the street without a number
        extra = regex.match(r",?\s+\p{Ll}+\.?\s+(?P<n>\d+[A-Za-z]?|\p{Ll}{3,})$", part[core.end():])
        if extra and not extra.group("n")[0].isdigit() and value(extra.group("n")) is None:
            return match.start("number") + core.end()
        return match.end("number")

    def _place(self, text: str, start: int, end: int | None, common: frozenset[str]) -> tuple[int, int] | None:
        place = _PLACE.match(text, start)
        if not place:
            return None
        kept_end = start
        for word in _WORD.finditer(text, start, place.end()):
            folded = word.group().casefold()
            if folded in ("aan", "op", "bij", "ter", "in", "den", "de", "het", "zee", "'s", "s"):
                continue
            if folded in self._not_places or (folded in common and word.start() > start) or self._is_street_word(word.group()) and word.start() > start:
                break
            kept_end = word.end()
        if kept_end == start:
            return None
        first = text[start:kept_end].split()[0].casefold()
        if first in common and len(first) < 4:
            return None
        return start, kept_end


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DutchAddressRecognizer(rules_dir)]
