"""E-mail addresses said aloud, as Whisper writes them: "lukasz punt dabrowski apenstaartje gmail
punt com", "geertje h apenstaartje ziggo punt nl", "jan at planet punt nl", "k streepje de vries
underscore 2 at outlook punt com", a local part spelled letter by letter or with the spelling
alphabet ("E van Eduard, V van Victor, apenstaartje, protonmail punt com"). Written addresses are
Presidio's e-mail recognizer's.

The address is the local part, the at-sign word and a domain that ends in "punt" and a top-level
domain (or a written ".nl"): without that ending "at" stays an ordinary word.
"""

from __future__ import annotations

from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer

from callscribe.pipeline.redaction.nl.person_context import result

_TLDS = (
    r"(?:nl|com|net|org|be|de|eu|info|biz|io|co|uk|fr|es|it|pl|tr|ma|online|nu|frl|email|mail|me|tv|app|dev"
    r"|amsterdam|nrw|ch|at|se|dk|no|fi|cz|ro|hu|pt|gr|us|ca|edu|gov"
    # spelled or misheard: "punt n l", "punt en el", "punt c o m", "punt kom"
    r"|n[ \t.,-]+l|en[ \t,]+el|c[ \t.,-]+o[ \t.,-]+m|kom|b[ \t.,-]+e|p[ \t.,-]+l|d[ \t.,-]+e)"
)
# Mail providers a speech recogniser writes in two words: "g mail", "kpn mail", "hot mail".
_PROVIDER = r"(?:g|kpn|k[ \t]p[ \t]n|hot|proton|upc|ya|x[ \t]?s[ \t]?4|x[ \t]?s[ \t]?for)[ \t]+(?:mail|all|hoo)"
# Commas, full stops and pauses ("...") may stand around each spoken symbol.
_SEP = r"(?:[ \t]*[,.\u2026]*[ \t]+(?:punt|puntje|dot|point|streepje|streep|liggend streepje|liggende streep|laag streepje|lage streep|tussenstreepje|koppelteken|min(?:teken|netje)?|underscore|onderstreepje|onderstrepingsteken|underscoretje)[ \t]*[,.\u2026]*[ \t]+)"
_AT = (r"(?:[ \t]*[,.\u2026]*[ \t]+(?:(?:en[ \t]+)?dan[ \t]+)?(?:apenstaartje|apestaartje|apenstaart|apestaart|aapje|at-teken|arobase|at|et|ad|@)[ \t]*[,.\u2026]*[ \t]+"
       r"|[ \t]*@[ \t]*|[ \t]*[(\[](?:at|apenstaartje)[)\]][ \t]*)")  # "k. visser (at) planet punt nl"
_SPOKEN_AT = r"(?:[ \t]*[,.\u2026]*[ \t]+(?:(?:en[ \t]+)?dan[ \t]+)?(?:apenstaartje|apestaartje|apenstaart|apestaart|aapje|at-teken|arobase|at|et|ad)[,.\u2026]*[ \t])"
_LETTER = r"(?:IJ|ij|\p{L})"
# One letter in the spelling alphabet ("P van Pieter") or said alone ("p"); a spelled stretch mixes them.
_SPELL_ITEM = rf"(?:{_LETTER}[ \t]+(?:van|voor|als in)[ \t]+\p{{L}}[\p{{L}}'’-]*|{_LETTER}(?![\p{{L}}\d]))"
_ALPHABET = (
    rf"(?:{_LETTER}[ \t]+(?:van|voor|als in)[ \t]+\p{{L}}[\p{{L}}'’-]*"
    rf"(?:(?:-|[,.]?[ \t]+|[,.]){_SPELL_ITEM})*)"
)
# Dutch letter names, as a spelled stretch may use them: "aa, es, tee, ee".
_LETTER_NAME = r"(?:aa|bee|cee|dee|ee|ef|gee|ha|ie|jee|ka|kaa|el|em|en|oo|pee|kuu|er|es|tee|uu|vee|wee|iks|ypsilon|zet)"
_SPELLED = (rf"(?:{_LETTER}(?:(?:-|[,.][ \t]*|[ \t]+){_LETTER}(?![\p{{L}}\d])){{2,}}"
            rf"|(?:{_LETTER_NAME}|{_LETTER})(?:(?:[,.]?[ \t]+){_LETTER_NAME}(?![\p{{L}}\d])){{2,}})")
_UNIT = r"(?:[\p{L}\p{M}\d]+(?:[._-][\p{L}\p{M}\d]+)*)"
_PARTICLE = (r"(?:van der|van den|van de|van 't|van het|op den|op de|op 't|op het|in 't|in den|in de|uit den|uit de"
             r"|aan de|aan den|bij de|von der|von|van|de|der|den|ter|ten|te|el|al|la|le|du|da|di|dos|das|del)")
# Remarks a caller makes while spelling, inside the address: "aan elkaar", "met een z", "met twee
# l-en", "zonder spatie", hesitations.
_REMARK = (
    # in brackets too: "jansen (aan elkaar) at ..."; "met een hoofdletter j"
    r"(?:[ \t]*[,.\u2026]*[ \t]+\(?(?:(?:alles[ \t]+)?aan[ \t]+elkaar|zonder[ \t]+spaties?|alles[ \t]+klein|kleine[ \t]+letters?"
    r"|met[ \t]+(?:een|twee|dubbel|dubbele)[ \t]+(?:ij|\p{L})(?:-en|'en|'s|-s)?"
    r"|met[ \t]+een[ \t]+(?:punt|puntje|streepje|underscore|liggend[ \t]+streepje)(?:[ \t]+ertussen)?"
    r"|met[ \t]+(?:i-j|i[ \t]+j|ij|y)(?=[ \t]*,)|met[ \t]+(?:i-j|ij)"  # "dijkstra, met i-j, at ..."
    r"|(?:met[ \t]+(?:een[ \t]+)?)?hoofdletters?(?:[ \t]+(?:ij|\p{L})(?![\p{L}\d]))?"
    r"|eh|ehm|uh|uhm"
    r"|\p{L}(?:-\p{L}){2,})(?![\p{L}\d])\)?[ \t]*,?)"  # a word spelled after it: "bosch, b-o-s-c-h, at ..."
)
NUMBER_WORD = (
    r"(?:nul|een|twee|drie|vier|vijf|zes|zeven|acht|negen|(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)(?:twintig|dertig|veertig|vijftig|zestig|zeventig"
    r"|tachtig|negentig)|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|tien|elf|twaalf"
    r"|(?:der|veer|vijf|zes|zeven|acht|negen)tien)(?![\p{L}\d])"
)
_LOCAL_UNIT = rf"(?:{_ALPHABET}|{_SPELLED}|(?:{_PARTICLE}[ \t]+)?{_UNIT})"
# A local part: units joined by a separator word; a single letter or a number may follow a
# unit with only a space ("geertje h", "jan 85"), and so may a surname with its particle
# ("lotte streepje de boer").
# Initials said before a surname: "k, m, jansen at ...", "k.m. jansen at ...".
_INITIALS = rf"(?:{_LETTER}(?:[.,]?[ \t]+|\.)){{1,3}}(?=\p{{L}}{{2}})"
_LOCAL = (
    rf"(?:{_INITIALS})?"
    # a first name before the surname: "jan jansen at ...", "piet bakker 1980 at ..."
    rf"(?:\p{{L}}+[.,]?[ \t]+(?=\p{{L}}+(?:[ \t]+(?:\d+|{NUMBER_WORD}))?{_SPOKEN_AT}))?"
    rf"{_LOCAL_UNIT}(?:{_REMARK}*{_SEP}{_LOCAL_UNIT}|[ \t]+(?:\p{{L}}|\d+|{NUMBER_WORD})(?![\p{{L}}\d])"
    rf"|[ \t]+{_PARTICLE}[ \t]+{_UNIT})*"
    rf"(?:[ \t]+\p{{L}}+(?={_SPOKEN_AT}))?"  # the last word of a double name: "jansen-de vries at ..."
)
_DOMAIN = rf"(?:{_SPELLED}|{_PROVIDER}|{_UNIT})(?:{_REMARK}*{_SEP}{_UNIT})*?(?:{_REMARK}*{_SEP}{_TLDS}|\.{_TLDS})(?![\p{{L}}\d])"
# A mail provider named without its top-level domain: "jan at gmail", "apenstaartje hotmail".
_PROVIDER_NAME = (
    r"(?:gmail|g[ \t]mail|hotmail|outlook|live|ziggo|kpnmail|kpn[ \t]mail|planet|xs4all|icloud|yahoo|telenet|skynet"
    r"|protonmail|proton[ \t]mail|upcmail|casema|chello|hetnet|zonnet|msn)(?![\p{L}\d])"
)
# A top-level domain after a provider with only a pause: "gmail. com", "hotmail com".
_BARE_TLD = r"(?:[ \t]*[.,\u2026]?[ \t]+(?:com|nl|net|be)(?![\p{L}\d]))"
# After "apenstaartje" or "@" (never an ordinary word) a company domain may be said in words:
# "info apenstaartje bakkerij jansen punt nl".
_WORDS_DOMAIN = rf"{_UNIT}(?:[.,]?[ \t]+{_UNIT}){{1,2}}{_SEP}{_TLDS}(?![\p{{L}}\d])"
# After a spoken "at" only with a top-level domain that is no word: "info at schilders de groot punt nl".
_STRONG_WORDS_DOMAIN = rf"{_UNIT}(?:[.,]?[ \t]+{_UNIT}){{1,2}}{_SEP}(?:nl|com|net|org|be|eu|info)(?![\p{{L}}\d])"
_SIGN_AT = r"(?:[ \t]*[,.\u2026]*[ \t]+(?:apenstaartje|apestaartje|apenstaart|apestaart|at-teken)[ \t]*[,.\u2026]*[ \t]+|[ \t]*@[ \t]*)"
_SPOKEN_EMAIL = regex.compile(
    rf"(?<![\p{{L}}\d@.])(?P<local>{_LOCAL}){_REMARK}*(?:{_AT}(?P<domain>{_DOMAIN}|{_PROVIDER_NAME}{_BARE_TLD}?)"
    rf"|{_SIGN_AT}(?P<domain_words>{_WORDS_DOMAIN})|{_SPOKEN_AT}[ \t]*(?P<spoken_words>{_STRONG_WORDS_DOMAIN}))",
    regex.IGNORECASE)
# A written address the speech recogniser broke at a dot or wrote "(at)": "s.yilmaz@outlook. com",
# "mvanleeuwen(at)hotmail.com".
_WRITTEN_BROKEN = regex.compile(
    rf"(?<![\p{{L}}\d@._%+-])[\p{{L}}\d._%+-]+(?:@|[ \t]?[(\[]at[)\]][ \t]?)[\p{{L}}\d-]+(?:[ \t]?\.[ \t]?[\p{{L}}\d-]+)*?"
    rf"[ \t]?\.[ \t]?{_TLDS}(?![\p{{L}}\d])", regex.IGNORECASE)
# The domain said on its own, the local part said before it (often in the turn before):
# "Apenstaartje caiway punt net.", "at quicknet punt nl".
_DOMAIN_ONLY = regex.compile(
    rf"(?:^|(?<=[.!?\u2026][ \t]*))[ \t]*(?:(?:eh|en dan|dan)[ \t,]+)?(?:apenstaartje|apestaartje|apenstaart|at|@)[ \t,]+"
    rf"(?:{_DOMAIN}|{_PROVIDER_NAME}{_BARE_TLD}?)", regex.IGNORECASE)
# "bij" for "at", only between a local part said with "punt" or digits and a domain with its
# top-level domain: "ravi punt sewdayal, bij, kpn planet punt nl".
_BIJ_EMAIL = regex.compile(
    rf"(?<![\p{{L}}\d@.])(?P<local>{_UNIT}(?:{_SEP}{_UNIT})+(?:[ \t]+(?:\d+|{NUMBER_WORD}))?|{_UNIT}[ \t]+(?:\d+|{NUMBER_WORD}))"
    rf"[ \t]*,?[ \t]+bij[ \t]*,?[ \t]+(?P<domain>(?:{_UNIT}[ \t]+)?{_UNIT}(?:{_SEP}{_UNIT})*?{_SEP}{_TLDS})(?![\p{{L}}\d])",
    regex.IGNORECASE)
# More top-level domains after the first: "btinternet dot co dot uk".
_MORE_TLD = regex.compile(rf"{_SEP}{_TLDS}(?![\p{{L}}\d])", regex.IGNORECASE)
_WORD = regex.compile(r"\S+")
# Words that introduce an address and are not part of it.
_LEAD_WORDS = frozenset(
    {"is", "was", "mijn", "het", "de", "dat", "e-mail", "email", "mail", "mailadres", "e-mailadres", "emailadres",
     "adres", "naar", "op", "aan", "via", "per", "en", "of", "ja", "nee", "nou", "eh", "dus", "hier", "die", "u",
     "je", "ik", "wordt", "graag", "staat", "dan", "oké", ":", "met"}
)
_SCORE = 0.9
_NO_TLD_SCORE = 0.45  # flagged for review
# A dictated local part and a domain without its top-level domain after a word that is always the
# at-sign: "m punt vermeulen apestaartje woonbron".
_NO_TLD = regex.compile(
    rf"(?<![\p{{L}}\d@.])(?:{_UNIT}(?:{_SEP}{_UNIT})+(?:[ \t]+(?:\d+|{NUMBER_WORD}))?)"
    rf"[ \t]*[,.\u2026]*[ \t]+(?:apenstaartje|apestaartje|apenstaart|apestaart|at-teken)[ \t]*[,.\u2026]*[ \t]+{_UNIT}(?![\p{{L}}\d])",
    regex.IGNORECASE)
_NAME_PARTICLES = frozenset({"de", "van", "der", "den", "ter", "ten", "te"})


class DutchSpokenEmailRecognizer(EntityRecognizer):
    """EMAIL_ADDRESS for addresses dictated with "punt", "apenstaartje", "at", "streepje" …"""

    def __init__(self):
        super().__init__(
            supported_entities=["EMAIL_ADDRESS"], name="DutchSpokenEmailRecognizer", supported_language="nl",
            context=["mail", "e-mail", "mailadres", "emailadres"],
        )

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        found = []
        for match in _SPOKEN_EMAIL.finditer(text):
            if _ordinary_words(text, match):
                continue
            start = match.start()
            # Leading words that introduce the address ("mijn mail is …") are not part of it.
            words = list(_WORD.finditer(text, start, match.end("local")))
            for index, word in enumerate(words):
                folded = word.group().casefold().strip(",.:")
                following = words[index + 1].group().casefold().strip(",.:") if index + 1 < len(words) else ""
                # a particle before a surname belongs to it: "de vries at ..."
                particle = folded in _NAME_PARTICLES and following and following not in _LEAD_WORDS
                if folded not in _LEAD_WORDS or particle or word.end() >= match.end("local"):
                    start = word.start()
                    break
            end = match.end()
            while more := _MORE_TLD.match(text, end):
                end = more.end()
            found.append(result(self, "EMAIL_ADDRESS", start, end, _SCORE))
        for match in _NO_TLD.finditer(text):
            found.append(result(self, "EMAIL_ADDRESS", match.start(), match.end(), _NO_TLD_SCORE))
        for match in _BIJ_EMAIL.finditer(text):
            found.append(result(self, "EMAIL_ADDRESS", match.start(), match.end(), _SCORE))
        for match in _DOMAIN_ONLY.finditer(text):
            found.append(result(self, "EMAIL_ADDRESS", match.start() + len(match.group()) - len(match.group().lstrip()),
                                match.end(), _SCORE))
        for match in _WRITTEN_BROKEN.finditer(text):
            found.append(result(self, "EMAIL_ADDRESS", match.start(), match.end(), _SCORE))
        return found


# Top-level domains that are also Dutch words, and the English "at": "ik zit at home punt de
# monteur komt" is no address; "jan at planet punt nl" and "info apenstaartje bedrijf punt de" are.
_WORD_TLDS = frozenset({"de", "nu", "me", "at", "no"})
_PLAIN_AT = regex.compile(r"[ \t,]*(?:at|et|ad)[ \t,]", regex.IGNORECASE)
_WORD_NEXT = regex.compile(r"[ \t]+\p{L}")
_PROVIDER_START = regex.compile(rf"(?:{_PROVIDER_NAME}|(?:proton|pm|gmx|kpn|telfort|tele2|tiscali|caiway|solcon|web|t-online|wp|onet|interia|o2)"
                                rf"(?![\p{{L}}\d]))", regex.IGNORECASE)


def _ordinary_words(text: str, match: regex.Match) -> bool:
    """True for an "address" read from ordinary words: the at-word "at", a top-level domain that
    is also a Dutch word, and more words after it in the same sentence. A mail provider's domain
    ("proton punt me") is always an address."""
    domain = match.group("domain") or ""
    tld = regex.search(r"[\p{L}]+$", domain)
    dictated = regex.search(_SEP, match.group("local")) or regex.search(r"\d", match.group("local"))
    return bool(tld and not _PROVIDER_START.match(domain) and tld.group().casefold() in _WORD_TLDS
                and not dictated  # "marek punt zielinski at web punt de ...": a local part said with "punt"
                and _PLAIN_AT.match(text, match.end("local")) and _WORD_NEXT.match(text, match.end()))


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DutchSpokenEmailRecognizer()]
