"""Numbers dictated on the phone as a speech recogniser writes them, and the base class of the
recognizers that classify them.

Whisper writes a dictated number in digits ("06 38 52 71 46"), in words ("nul zes,
negenendertig, vierenzeventig"), or mixed, in pieces separated by commas, pauses ("...") and
hesitations ("eh"). :func:`analyse` turns a text into tokens with character offsets and finds:

- *pieces*: maximal runs of number words and digit groups separated only by spaces, commas,
  hyphens, slashes and pauses. A piece is one span ("pieces joined only by commas or pauses are one
  span"); a sentence end (". " before a capital) ends a piece.
- *groups*: pieces separated only by hesitations and a few connecting words ("eh", "en dan",
  "wacht"): one number dictated with interruptions. Checksums and digit counts are tested on a
  group (or a run of its pieces); the spans stay per piece.

Token kinds never depend on capitals, so a lower-case text without punctuation ("nl77 rabo 0936",
"h n vier zes acht t") gives the same pieces as a cased one: a single letter is a spelled letter
in any case (except the words "u" and "o"), a short cluster without vowels ("rhf", "kl") is
spelled letters, a split compound is one number ("twee en dertig" → 32, "negentienhonderd
vierenzestig" → 1964), and number words or letters joined by hyphens stay separate
("drie-acht-twee"). The dictation reader (:mod:`callscribe.pipeline.redaction.nl.dictation`) reads the same tokens into
canonical strings for codes that mix letters and digits.

The recognizers of this package (``phone_spoken``, ``bsn``, ``credit_card``, ``customer_id``,
``iban_spoken``, ``postcode_spoken``, ``date_of_birth``) classify pieces and groups by digit
count, checksum and context words. Context comes from two places: words earlier in the same turn
(read here, any distance), and the previous turn's words that the redactor passes as Presidio
context (read in :meth:`NumberRecognizer.enhance_using_context`): a candidate that only context
can make personal data carries a ``boost`` that the previous turn's cue words add to its score.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from callscribe.pipeline.redaction.nl._numbers import _fold, month
from callscribe.pipeline.redaction.nl._numbers import digits as word_digits

LANGUAGE = "nl"
BOOST_KEY = "callscribe_context_boost"

# Token kinds.
DIGITS, NUMBER, LETTER, CAPS, CODE, FILLER, WORD, QUANTITY = (
    "digits", "number", "letter", "caps", "code", "filler", "word", "quantity")

_TOKEN = regex.compile(
    r"(?P<quantity>(?<![\w.,:])(?:\d{1,4}[.,:]\d{2}|\d{1,3}(?:\.\d{3})+)(?![.,:]?\d))"
    # a word with an apostrophe or hyphens between letters is one word: "m'n", "'t", "e-mail", "zo'n"
    r"|(?P<word>['\u2019][tsn](?![^\W_])|\p{L}+(?:['\u2019-]\p{L}+)+(?![\d])|[^\W_]+)"
)
FILLERS = frozenset({"eh", "ehm", "ehh", "uh", "uhm", "euh", "hm", "hmm", "ah", "oh", "o", "pff", "tja", "nou"})
# Single letters that are Dutch words ("heeft u", "o jee"), not a spelled letter.
_WORD_LETTERS = frozenset({"u", "o"})
# Short consonant clusters that are abbreviations of words, not spelled letters.
_ABBREVIATIONS = frozenset({"nr", "tv", "pc", "cv", "wc", "km", "kwh", "kw", "ps", "st", "mvg", "bv", "hr", "gr",
                            "ml", "cm", "mm", "kg", "pvd", "ww", "hbo", "mbo", "vwo", "btw"})
# Words that label a number ("IBAN NL91 ...", "BSN 1234..."), never letters of the code after them.
_LABEL_WORDS = frozenset({"iban", "bsn", "bic", "swift", "cvc", "cvv", "sofi", "postcode", "nummer", "kenteken"})
# Dutch letter names a speech recogniser writes as words: "vee tee", "bee en", "pee ha". Only names
# that are no common word; they are letters next to a dictated item or another letter name.
LETTER_NAMES = {
    "bee": "B", "cee": "C", "dee": "D", "ef": "F", "gee": "G", "ge": "G", "ha": "H", "jee": "J", "ka": "K", "kaa": "K", "el": "L",
    "em": "M", "pee": "P", "kuu": "Q", "ku": "Q", "tee": "T", "vee": "V", "wee": "W", "iks": "X", "ix": "X", "ex": "X",
    "ypsilon": "Y", "zet": "Z", "zed": "Z", "es": "S", "er": "R", "en": "N", "ie": "I", "ee": "E", "aa": "A",
    "oo": "O", "uu": "U", "ce": "C", "pe": "P", "be": "B", "ve": "V",
}  # "ij" is read with the single letters
_VOWELS = frozenset("aeiouyáéíóúäëïöüàèìòù")
_PREFIXES_OF_TENS = ("twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig")
# Words that may sit between the pieces of one dictated number ("0752 4418... en dan 63").
_CONNECTORS = frozenset({"en", "dan", "nog", "wacht", "momentje", "sorry", "even"})
_MAX_CONNECTING_WORDS = 3
_SEPARATOR = regex.compile(r"[\s,\-\u2013\u2014/.\u2026]*")
_SENTENCE_END = regex.compile(r"[.!?\u2026]\s")
# A number followed by one of these is an amount, a time, a duration or a count, not an identifier.
UNITS = frozenset({
    "euro", "euros", "cent", "procent", "uur", "uurtje", "minuten", "minuut", "seconden", "dag", "dagen",
    "week", "weken", "maand", "maanden", "jaar", "jaren", "keer", "graden", "meter", "meters", "kilo",
    "kilometer", "km", "liter", "kwartier", "bar", "watt", "kilowatt", "kwh", "stuks", "mensen",
    "personen", "kinderen", "verdiepingen", "woningen", "huizen", "cijfers", "letters", "werkdagen",
    "kuub", "m2", "m3", "vierkante", "kubieke", "ampère", "ampere", "volt", "kw", "liters", "kilowattuur", "gram",
    "centimeter", "millimeter", "cm", "mm", "kg", "appartementen", "panden", "adressen", "meldingen", "klanten",
    "radiatoren", "panelen", "zonnepanelen", "stuk", "pond", "mille", "duizend", "miljoen", "uren", "jaartjes",
})
# Words before a short number that make it a time or an amount ("om tien uur", "tussen acht en één").
QUANTITY_BEFORE = frozenset({"om", "tussen", "vanaf", "rond", "rondom", "uiterlijk", "sinds", "binnen",
                             "ongeveer", "zo'n", "circa", "kwart", "half", "€", "eur"})

# Words that label a numbered thing that is not personal data.
LABELS = frozenset({
    "zone", "zones", "melder", "melders", "detector", "verdieping", "etage", "lift", "blok", "plek", "parkeerplek",
    "kamer", "lokaal", "groep", "type", "model", "code", "storingscode", "foutcode", "versie", "fase", "hal",
    "portiek", "trap", "box", "unit", "lijn", "bus", "toets", "optie", "stand", "stap", "programma", "kanaal",
    "calenta", "topline", "xtreme", "ecotec", "pagina", "artikel", "huisnummer", "nummertje",
    "item",
})
YEAR_BEFORE = frozenset({"van", "tot", "in", "sinds", "uit", "voor", "na", "eind", "begin", "medio", "jaar",
                         "bouwjaar"})


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    kind: str
    digits: str = ""  # the digits a number word or digit group stands for

    @property
    def folded(self) -> str:
        """Lower case, without diacritics and hyphens: "BSN-nummer" → "bsnnummer"."""
        return folded(self.text)


@dataclass(frozen=True)
class Piece:
    """Number tokens joined only by separators: one span."""

    first: int  # token indices, inclusive
    last: int
    start: int  # character offsets
    end: int
    digits: str
    count: int  # number of tokens
    spoken: bool  # at least one number word


@dataclass(frozen=True)
class Analysis:
    text: str
    tokens: tuple[Token, ...]
    pieces: tuple[Piece, ...]
    groups: tuple[tuple[Piece, ...], ...]

    def words_before(self, token_index: int, limit: int = 1000) -> list[str]:
        """Lower-case words (no number tokens) before a token in this text, nearest last."""
        found = [t.folded for t in self.tokens[:token_index] if t.kind in (WORD, CAPS, CODE, LETTER)]
        return found[-limit:]

    def word_after(self, token_index: int) -> str:
        """The lower-case word right after a token, or "" when a number or the end follows."""
        if token_index + 1 < len(self.tokens):
            return self.tokens[token_index + 1].folded
        return ""

    def glued(self, piece: Piece) -> bool:
        """True for digits that end a code written without spaces: "F2023-048816", "NL87"."""
        if piece.first == 0:
            return False
        before = self.tokens[piece.first - 1]
        gap = self.text[before.end : piece.start]
        return before.kind in (CODE, CAPS, LETTER, WORD) and gap in ("", "-", "/", ".")

    def in_compound(self, piece: Piece) -> bool:
        """True for a number that opens a compound word: "0800-nummer", "06-nummer"."""
        return bool(regex.match(r"-\p{L}", self.text[piece.end : piece.end + 2]))

    def labelled(self, piece: Piece) -> bool:
        """True for a number right after a word that labels a thing, not a person: "zone drie
        vier", "melder 12", "Calenta 25", "storingscode 119", "april 2023"."""
        previous = self.words_before(piece.first, 1)
        return bool(previous) and (previous[0] in LABELS or month(previous[0]) is not None)

    def is_year(self, piece: Piece) -> bool:
        """A year after a date or a preposition: "1 januari 2023", "sinds 2019", "van 2012"."""
        if piece.count > 2 or not (len(piece.digits) == 4 and piece.digits[:2] in ("19", "20")):
            return False
        previous = self.words_before(piece.first, 1)
        return bool(previous) and (previous[0] in YEAR_BEFORE or month(previous[0]) is not None)

    def is_quantity(self, piece: Piece) -> bool:
        """An amount, a time, a duration or a count: a short number with a unit after it or a
        time word or currency sign before it ("vijftig euro", "om half tien", "€ 89")."""
        if piece.count > 2:
            return False
        if self.word_after(piece.last) in UNITS:  # "vijftienduizend euro", "12000 kilometer"
            return True
        if len(piece.digits) > 4:
            return False
        before = self.text[max(0, piece.start - 2) : piece.start]
        if "€" in before:
            return True
        previous = self.words_before(piece.first, 1)
        return bool(previous) and previous[0] in QUANTITY_BEFORE


@lru_cache(maxsize=256)
def analyse(text: str) -> Analysis:
    """Tokens, pieces and groups of one text (cached: every recognizer reads the same turn)."""
    tokens = tuple(_tokens(text))
    pieces = tuple(_pieces(text, tokens))
    return Analysis(text, tokens, pieces, tuple(_groups(text, tokens, pieces)))


def _kind(word: str) -> tuple[str, str]:
    """The kind of one token and the digits it stands for. Nothing here reads capitals: a single
    letter is a spelled letter in any case ("k", "K"; not the words "u" and "o"), a short cluster
    without vowels is spelled letters ("rhf", "KL"), and capitals only add four-letter codes
    ("RABO") that a lower-case text gives as words."""
    if word.isascii() and word.isdigit():
        return DIGITS, word
    if (spoken := word_digits(word)) is not None:
        return NUMBER, spoken
    folded = word.casefold()
    if folded in FILLERS:
        return FILLER, ""
    if len(word) == 1 and word.isascii() and word.isalpha():
        return (WORD if folded in _WORD_LETTERS and word.islower() else LETTER), ""
    if folded in _LABEL_WORDS:
        return WORD, ""
    if word.isascii() and word.isalpha() and len(word) <= 5 and (
            word.isupper() or len(word) <= 4 and not _VOWELS.intersection(folded) and folded not in _ABBREVIATIONS):
        return CAPS, ""
    if word.isascii() and any(ch.isdigit() for ch in word) and any(ch.isalpha() for ch in word):
        return CODE, ""
    return WORD, ""


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        start, end = match.span()
        if match.group("quantity"):
            tokens.append(Token(start, end, word, QUANTITY))
            continue
        if "-" in word and all(len(part) == 1 or word_digits(part) is not None or part.casefold() in LETTER_NAMES
                               for part in word.split("-")):
            # "drie-acht-twee", "nul-zes", "k-l", "twee-ha-pee": dictated items joined by hyphens, one token each
            for part in regex.finditer(r"[^-]+", word):
                kind, spoken = _kind(part.group())
                tokens.append(Token(start + part.start(), start + part.end(), part.group(), kind, spoken))
            continue
        kind, spoken = _kind(word)
        tokens.append(Token(start, end, word, kind, spoken))
    return _join_split_compounds(text, tokens)


def _join_split_compounds(text: str, tokens: list[Token]) -> list[Token]:
    """One number for a compound a speech recogniser wrote apart: "twee en dertig" → 32,
    "negentienhonderd vierenzestig" → 1964, "tweeduizend vijfhonderd" → 2500."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (token.kind == NUMBER and i + 1 < len(tokens) and tokens[i + 1].kind == NUMBER
                and token.folded.endswith(("honderd", "duizend")) and text[token.end : tokens[i + 1].start] == " "):
            head, tail = int(token.digits), int(tokens[i + 1].digits)
            magnitude = 1000 if token.folded.endswith("duizend") else 100
            if 0 < tail < magnitude and not tokens[i + 1].folded.endswith(("honderd", "duizend")) or (
                    magnitude == 1000 and 0 < tail < 1000):
                last = tokens[i + 1]
                # merged in place, so "duizend tweehonderd vierendertig" merges again
                tokens[i + 1] = Token(token.start, last.end, text[token.start : last.end], NUMBER, str(head + tail))
                i += 1
                continue
        if (token.kind == NUMBER and len(token.digits) == 1 and token.digits != "0" and i + 2 < len(tokens)
                and tokens[i + 1].folded == "en" and tokens[i + 2].kind == NUMBER
                and tokens[i + 2].folded in _PREFIXES_OF_TENS
                and text[token.end : tokens[i + 1].start] == " " and text[tokens[i + 1].end : tokens[i + 2].start] == " "):
            last = tokens[i + 2]
            out.append(Token(token.start, last.end, text[token.start : last.end], NUMBER,
                             str(int(last.digits) + int(token.digits))))
            i += 3
            continue
        out.append(token)
        i += 1
    return out


def joined(text: str, left: Token, right: Token) -> bool:
    """True when only separators (spaces, commas, hyphens, slashes, pauses) lie between two tokens
    and no sentence ends there."""
    gap = text[left.end : right.start]
    if not _SEPARATOR.fullmatch(gap):
        return False
    return not (_SENTENCE_END.search(gap) and right.text[:1].isupper())


def _pieces(text: str, tokens: Sequence[Token]) -> Iterable[Piece]:
    i = 0
    while i < len(tokens):
        if tokens[i].kind not in (DIGITS, NUMBER):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].kind in (DIGITS, NUMBER) and joined(text, tokens[j], tokens[j + 1]):
            j += 1
        first = i
        # "een" before digits is the article: "een 06-nummer".
        if first < j and tokens[first].folded == "een" and tokens[first + 1].kind == DIGITS:
            first += 1
        run = tokens[first : j + 1]
        yield Piece(first, j, run[0].start, run[-1].end, "".join(t.digits for t in run), len(run),
                    any(t.kind == NUMBER for t in run))
        i = j + 1


def _groups(text: str, tokens: Sequence[Token], pieces: Sequence[Piece]) -> Iterable[tuple[Piece, ...]]:
    group: list[Piece] = []
    for piece in pieces:
        if group and _connected(text, tokens, group[-1], piece):
            group.append(piece)
            continue
        if group:
            yield tuple(group)
        group = [piece]
    if group:
        yield tuple(group)


def _connected(text: str, tokens: Sequence[Token], left: Piece, right: Piece) -> bool:
    between = tokens[left.last + 1 : right.first]
    if not between:  # not joined, yet nothing between: a sentence end, a colon, a question mark
        return False
    words = [t for t in between if t.kind != FILLER]
    if len(words) > _MAX_CONNECTING_WORDS or any(t.folded not in _CONNECTORS for t in words):
        return False
    if "?" in text[left.end : right.start]:
        return False
    return True


def runs(group: Sequence[Piece]) -> Iterable[tuple[int, int, str]]:
    """Every run of consecutive pieces of a group, longest first: ``(first, last, digits)``."""
    n = len(group)
    for length in range(n, 0, -1):
        for a in range(0, n - length + 1):
            b = a + length - 1
            yield a, b, "".join(p.digits for p in group[a : b + 1])


def cue_before(analysis: Analysis, token_index: int, cues: regex.Pattern, limit: int = 1000) -> bool:
    """True when a word matching ``cues`` occurs before a token in the same text."""
    return any(cues.search(word) for word in analysis.words_before(token_index, limit))


def folded(word: str) -> str:
    """A word as cue patterns read it: lower case, without diacritics and hyphens."""
    return _fold(word).replace("-", "")


def cue_in(words: Iterable[str], cues: regex.Pattern) -> bool:
    return any(cues.search(_fold(word)) for word in words)


def cues(*words: str) -> regex.Pattern:
    """A pattern matching a whole lower-case word among ``words`` (each may be a regular expression)."""
    return regex.compile(r"^(?:" + "|".join(words) + r")$")


# Context words shared by several recognizers (each matched against a whole lower-case word).
# A street name ends in one of these: "Kerkstraat", "Hollywoodlaan" (lower-case words, for :func:`cues`).
STREET_WORDS = (r"\w+(?:straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof|pad|steeg|park|plantsoen"
                r"|markt|ring|baan|wal|burg|veld|kanaal|haven|straatweg)",)
PHONE_WORDS = (r"telefoon\w*", r"mobiel\w*", "nummer", "nummertje", r"06\w*", "bel", "bellen", "belt", "belde",
               r"terugbel\w*", "opbellen", r"bereik\w*", "gsm", "whatsapp", "sms", "vast", "vaste", "doorkiesnummer")
BSN_WORDS = ("bsn", r"burgerservice\w*", r"sofi\w*", "bsnnummer")
IBAN_WORDS = ("iban", r"\w*rekening\w*", "bank", "rekeningnr", "tenaamstelling")
CARD_WORDS = (r"creditcard\w*", "credit", "card", r"kaart\w*", "visa", "mastercard", "maestro", "amex",
              "betaalpas", "bankpas", "pinpas")
ENDING_WORDS = ("eindigt", "eindigend", "eindigen", "eindigde", "laatste", "eindcijfers")
ID_WORDS = (
    r"(?:klant|contract|meld|dossier|ticket|order|factuur|referentie|werkorder|werkbon|verzoek|object|tag|serie|"
    r"installatie|klacht|pas|meter|incident|debiteur|polis|abonnement|bestel|zaak|opdracht|aanvraag|lid|"
    r"lidmaatschaps|project|storings|aansluit|apparaat|toestel|sleutel|badge|relatie|vestigings|avg|"
    r"registratie|boekings|reserverings|betalings|transactie|kenmerk|client)(?:nummer|nr)s?",
    "werkbon", "werkorder", "dossier", "factuur", "referentie", "kenmerk", "sticker", "toegangspas", "pasje",
    "badge", "tag", "avg", "contract", r"servicecontract\w*", "melding",
)
BIRTH_WORDS = ("geboren", r"geboorte\w*", "geb", "jarig", "verjaardag")
PHONE_CUES = cues(*PHONE_WORDS)
BSN_CUES = cues(*BSN_WORDS)
IBAN_CUES = cues(*IBAN_WORDS)
CARD_CUES = cues(*CARD_WORDS)
ENDING_CUES = cues(*ENDING_WORDS)
ID_CUES = cues(*ID_WORDS)
BIRTH_CUES = cues(*BIRTH_WORDS)


class NumberRecognizer(EntityRecognizer):
    """Base of the spoken-number recognizers: one entity type, candidates from :meth:`find`,
    scores raised by cue words of the previous turn (the Presidio context the redactor passes).

    Subclasses set ``ENTITY``, ``NAME``, ``PREVIOUS_TURN_CUES`` and implement :meth:`find`.
    """

    ENTITY = ""
    NAME = ""
    PREVIOUS_TURN_CUES: regex.Pattern = cues("(?!)")

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=self.NAME, supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load: the rules are code."""

    def find(self, analysis: Analysis) -> Iterable[tuple[int, int, float, float]]:
        """``(start, end, score, boost)`` per candidate span; ``boost`` is added to ``score``
        when the previous turn holds one of ``PREVIOUS_TURN_CUES``."""
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if self.ENTITY not in entities:
            return []
        results = []
        for start, end, score, boost in self.find(analyse(text)):
            explanation = AnalysisExplanation(recognizer=self.name, original_score=score,
                                              textual_explanation=f"{self.NAME}: digit count, checksum and context")
            results.append(RecognizerResult(self.ENTITY, start, end, score, analysis_explanation=explanation,
                                            recognition_metadata={BOOST_KEY: boost,
                                                                  RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results

    def cued_by(self, context: list[str]) -> bool:
        """Whether the previous turn's words (``context``) ask for this recognizer's data."""
        return cue_in(context, self.PREVIOUS_TURN_CUES)

    def enhance_using_context(self, text, raw_recognizer_results, other_raw_recognizer_results, nlp_artifacts,
                              context=None) -> list[RecognizerResult]:
        cued = bool(context) and self.cued_by(context)
        for result in raw_recognizer_results:
            metadata = result.recognition_metadata or {}
            boost = metadata.get(BOOST_KEY, 0.0)
            if cued and boost:
                result.score = min(1.0, result.score + boost)
                result.analysis_explanation.set_improved_score(result.score)
            metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
        return raw_recognizer_results


def spans(pieces: Iterable[Piece], score: float, boost: float = 0.0) -> list[tuple[int, int, float, float]]:
    return [(p.start, p.end, score, boost) for p in pieces]


def month_name(word: str) -> int | None:
    """The month of a Dutch month name or abbreviation, or ``None``."""
    return month(word) if word else None
