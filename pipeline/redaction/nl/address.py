"""Where someone lives, as Dutch callers say it, in any case and with or without punctuation: a
street with its house number ("Tasmanlaan 174", "dijkweg 63b", "de lange nieuwstraat nummer
4", "Hendrik Werkmanstraat 23", "weidevogelweg achtentwintig", "raadhuisplein 14 c", "kerkstr. 5"),
a street alone where someone lives ("ik woon op de kerkstraat"), a post-office box ("Postbus 1234",
"postbus twaalf vierendertig"), and the town or neighbourhood that goes with it ("veenweg 7 in
gouda", "in de bijlmer", "uit leeuwarden", "almere poort").

Streets are found by structure, not by capitals. A street word ends in a street suffix of
``redaction_rules/street_suffixes_nl.txt`` ("straat", "laan", "weg", abbreviated "str.", "ln");
the words before it that belong to the name are taken along: a title or adjective ("burgemeester",
"lange", "sint"), particles ("van der"), a capitalised word or a word that is no ordinary Dutch
word ("claude", "willem"), or a first name of ``street_given_names_nl.txt``. A house number
(digits or number words) may carry additions: letters ("12 b"), "-2", "huis", "bis", colour words
("12 rood"), floors ("drie hoog", "2e etage"), "bus 3", a range ("12 tot en met 48"), or come a
few words later ("de kerkstraat, nummer 88"). A street name without a suffix ("Rokin 75", "hoge
woerd 52") counts with a house number and a place or postcode after it, or "woon"/"adres"
before it. Ordinary compounds with a street suffix ("snelweg", "fietspad": ``not_street_nl.txt``)
and the bare words ("de straat", "het plein") are not streets. An article directly before the
street is inside the span; street names made of a person's name are ADDRESS, scored above the
NER's PERSON so the merged span is an address.

Places (LOCATION) come from the gazetteer ``places_nl.txt`` (Dutch and Belgian towns, villages,
neighbourhoods; made by ``data/make_places_nl.py``): a place that is no ordinary word is found
anywhere, one that is (``places_ambiguous_nl.txt``: "best", "hoorn", "putten") after "in", "uit",
"te" or an address, or with a capital inside a sentence; ``places_capital_only_nl.txt`` ("een",
"heel") only with a capital. A lower-case word the gazetteer does not know is a place after "in",
"uit" or "te" when it has a place-name ending ("-dorp", "-wijk", "-ingen") or follows "woon in",
"kom uit", and is no ordinary word (the spaCy lookup table, ``not_place_nl.txt``,
``ordinary_words_nl.txt``). Countries and provinces (``countries_nl.txt``) and the words of
``not_person_nl.txt`` (brands, housing corporations, weekdays, months) are not places; a place
after a name particle ("Van Dongen") or an organisation word ("Woonstad Rotterdam") is not either.
"""

from __future__ import annotations

from pathlib import Path

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult

from callscribe.pipeline.redaction.lexicon import load_word_list
from callscribe.pipeline.redaction.nl._numbers import value
from callscribe.pipeline.redaction.nl.person_context import common_words, result, stop_words

# A word as streets and places are made of ("Van", "'s-Gravenweg", "Sint-Jacobsstraat", "kerkstr.").
_WORD = regex.compile(r"(?<![\p{L}\d'’])(?:['’][st][ -])?[\p{L}][\p{L}'’]*(?:-[\p{L}][\p{L}'’]*)*")
_TOKEN = regex.compile(r"[\p{L}\d]+")
_GAP = regex.compile(r"[ \t]+")
_ARTICLE = regex.compile(r"(?i)(?:(?:de|het|'t)[ \t]+)?")
_NEXT_WORD = regex.compile(r"[ \t]+([\p{L}%'’]+)")
_SPACE_DIGITS = regex.compile(r"(?i)[ \t]+\d{1,5}(?:[ \t]?[a-z](?![\p{L}\d'’]|(?<=t)/m(?![\p{L}])))?(?![\d]|[.,:]\d)")
_SPACE_NUMBER_WORD = regex.compile(
    r"(?i)[ \t]+(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien"
    r"|zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd"
    r"|[\p{L}]+(?:en|ën)(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)|[\p{L}]*honderd[\p{L}]*)"
    r"(?![\p{L}\d])"
)
# Additions that only a house number has ("23 boven", "4 huis", "drie hoog", "vierde etage", "bus 3").
_HOUSE_ADDITION = regex.compile(
    r"(?i)(?<![\p{L}])(?:huis|bis|boven|beneden|bg|hoog|hg|[\p{L}]+hoog|etage|verdieping|woonlaag|bus|begane"
    r"|rood|zwart|tot[ \t]+en[ \t]+met|t/m)(?![\p{L}])"
)
_LETTER_AFTER = regex.compile(r"(?i)[ \t]?[a-h](?![\p{L}\d'’])")
_LETTERS = regex.compile(r"\p{L}+")
_SAID_IN = regex.compile(r"(?i)(?:in|te)[ \t]+(?:(?:de|het)[ \t]+)?$")
_PLACE_WORD = regex.compile(r"[\p{L}'’]+")
_WORD_BEFORE = regex.compile(r"([\p{L}]+)[ \t]+$")
_DOT_GAP = regex.compile(r"\.?[ \t]*")
_ORDINAL_BEFORE = regex.compile(r"(?i)(?<![\p{L}\d])\d{1,2}(?:e|ste|de)[ \t]+$")
# Abbreviated titles written with a full stop inside a street name ("Prof. Dr. Dorgelolaan", "St. Jacobsstraat").
_TITLE_ABBREVIATIONS = frozenset({"st", "prof", "dr", "mr", "burg", "ir", "ing", "mgr", "ds", "jhr", "gen", "kon", "pr",
                                  "drs", "mgr", "past", "kard", "ass"})
_SEPARATOR = regex.compile(r"[ \t]*(?:['’-][ \t]*)?|[ \t]+")

# The house number and its additions, read after the street (case does not matter).
_NUMBER_INTRO = regex.compile(
    r"(?i)(?:[ \t]*,?[ \t]+(?:(?:eh+m?|ehm|uhm?|dus|en|dan|op|dat|het|is|de|met|op)[ \t]*,?[ \t]+){0,3}(?:huisnummers?|nummers?|nr\.?|no\.?)"
    r"|[ \t]*,?[ \t]*(?:huisnummers?|nummers?)|[ \t]+(?:eh+m?|ehm|uhm?)[ \t]*,?(?=[ \t]+\d)|,(?=[ \t]*\d))?[ \t]*"
)
_DIGITS = regex.compile(r"(?i)\d{1,5}(?:[ \t]?[a-z](?![\p{L}\d'’]|(?<=t)/m(?![\p{L}])))?(?![\d]|[.,:]\d)")
_NUMBER_WORD = regex.compile(r"(?i)[\p{L}]+(?![\p{L}\d'’])")
_FLOOR = (r"(?:\d{1,2}(?:e|ste|de)?|een|één|eerste|twee|tweede|drie|derde|vier|vierde|vijf|vijfde|zes|zesde|zeven"
          r"|zevende|acht|achtste|negen|negende|tien|tiende)")
_NUMBER_WORDS = r"(?:\d{1,5}[a-z]?|[\p{L}]{3,})"
_ADDITION = regex.compile(
    rf"""(?ix)
    (?:,?[ \t]*-[ \t]*|,?[ \t]+)?(?:huis|hs|bis|ter(?![ \t]+att)|boven|beneden|bg|bov|ben|zw|rd|rood|zwart|wit|groen|blauw|geel|oranje
        |grijs|bruin|paars|links|rechts|begane[ \t]+grond)(?![\p{{L}}\d])
    | [ \t]*[-/][ \t]?(?:\d{{1,4}}|[a-z]|i{{1,3}}|iv)(?![\p{{L}}\d])
    | [ \t]+(?-i:I{{1,3}}|IV|ii|iii|iv)(?![\p{{L}}\d])
    | ,[ \t]*(?-i:[A-Z])(?![\p{{L}}\d'’])
    | [ \t]+(?![uo](?![\p{{L}}\d]))[a-z](?:[ \t]+van[ \t]+\p{{L}}+)?(?![\p{{L}}\d'’]|(?<=t)/m(?![\p{{L}}]))
    | ,?[ \t]*-?[ \t]*(?:{_FLOOR}[ \t]*-?[ \t]*)?(?:hoog|hg)(?:[ \t]+(?:achter|voor|links|rechts)(?![ \t]+(?:de|het|een|die|dat|mijn|ons|onze)(?![\p{{L}}])))?(?![\p{{L}}\d])
    | ,?[ \t]+(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien)hoog(?![\p{{L}}\d])
    | ,?[ \t]+(?:op[ \t]+)?(?:de[ \t]+)?{_FLOOR}[ \t]+(?:etage|verdieping|woonlaag)(?![\p{{L}}\d])
    | ,?[ \t]+(?:bus|chalet|unit|woning|appartement|app\.?|kamer|flat|box|huisnummer|nummer|nr\.?)[ \t]+{_NUMBER_WORDS}(?![\p{{L}}\d])
    | [ \t]+achter(?![\p{{L}}\d]|[ \t]+(?:de|het|een|die|dat|mijn|ons|onze|'t|m'n|zijn|haar)(?![\p{{L}}]))
    | [ \t]+(?:tot[ \t]+en[ \t]+met|t/m|tm|t\.m\.)[ \t]+{_NUMBER_WORDS}(?![\p{{L}}\d])
    | [ \t]+(?:tot|en|of)[ \t]+\d{{1,4}}[a-z]?(?![\p{{L}}\d]|[ \t]+(?:uur|euro|keer|jaar|dagen|minuten|procent))
    """
)
# Words after a number that make it a count, a time or an amount, not a house number.
_COUNTED = frozenset(
    {"uur", "keer", "dag", "dagen", "week", "weken", "maand", "maanden", "jaar", "jaren", "minuut", "minuten",
     "seconden", "kwartier", "euro", "cent", "procent", "graden", "meter", "kilometer", "km", "kilo", "personen",
     "mensen", "woningen", "huizen", "stuks", "bewoners", "appartementen", "kamers", "verdiepingen", "etages",
     "storingen", "meldingen", "x", "%", "auto's", "jaartje", "uurtje", "nachten", "liter", "kwh", "kw", "bar",
     "kinderen", "kids", "katten", "honden", "huisdieren", "panelen", "zonnepanelen", "radiatoren", "weken"}
)
_ABBREVIATIONS = ("str", "ln", "wg", "pln", "pl", "sngl", "gr", "kd", "dk")
# Suffixes that only streets have; a word ending in another ("-veld", "-berg", "-meer") is a street
# only with a house number or where someone lives.
_STRONG_SUFFIXES = ("straat", "laan", "weg", "plein", "singel", "gracht", "kade", "dijk", "steeg", "dreef",
                    "plantsoen", "boulevard", "markt", "vest", "allee", "straatje", "laantje", "pleintje", "hof")
# Bare suffix words that name a street on their own with a house number ("Singel 112", "de brink 3").
_BARE_STREETS = frozenset({"singel", "dreef", "brink", "markt", "kade", "vest", "wal", "boulevard", "promenade",
                           "laan", "gracht", "dam", "plein", "esplanade"})
_LIVES = regex.compile(
    r"(?i:\b(?:woon|woont|wonen|woonde|gewoond|wonend|woonachtig|verhuisd|verhuizen|verhuis|adres|adres is"
    r"|gevestigd|sturen|stuur|gestuurd|opsturen|pand|complex|woning|huis|afleveradres|postadres|factuuradres"
    r"|bezoekadres|locatie|staat|zit|zitten)\b[^.?!]{0,25}?\b(?:op|aan|naar|in|is|:)[ \t]*(?:eh[ \t]+)?)$"
)
# A house number said a few words after the street ("de Kerkstraat, ik zit op nummer 12").
_LATER_NUMBER = regex.compile(
    r"(?i)[ \t]*,?[ \t]*(?:[\p{L}]+[ \t]+){0,5}?(?:huisnummer|nummer|nr\.?)(?:[ \t]+(?:is|was))?[ \t]+(?=\d|\p{L})"
)
# What stands before an address said on its own ("het is Achterom 14 in Kampen", "ik zie het …").
_ADDRESS_CUE = regex.compile(
    r"(?i:(?:^|[.?!…:,][ \t]*|(?<![\p{L}])(?:is|op|aan|naar|zie|het|dat|ja|nee|nou|klopt|woon|woont|wonen|woonde))[ \t]*)$")
# "op"/"aan" before a street with its article: "op de Dorpsstraat", "aan de Molenweg".
_STREET_OPENING = regex.compile(
    r"(?i)(?:(?:de|het)[ \t]+)?(?:laan|plein|weg|kade|singel|dreef|straat|park|hof|pad|gracht|markt|wal|dijk|steeg)"
    r"[ \t]+(?:van|op|naar|ter|ten|der|in)[ \t]"
)
_INITIAL_AFTER = regex.compile(
    r"(?i)(?<![\p{L}])(?:st|prof|dr|mr|burg|ir|ing|mgr|ds|jhr|gen|drs|\p{L})\.?[ \t]*$"
)
_NUMBER_BEFORE = regex.compile(
    r"(?i)(?<![\p{L}])(?:huis)?nummer[ \t]+(?:\d{1,5}[a-z]?|\p{L}+)[ \t]+(?:van|aan|op|in)[ \t]+$"
)
# The start of a turn: nothing, fillers, or "het is" / "dat is".
_TURN_OPENING = regex.compile(
    r"(?i)[ \t]*(?:(?:ja|nee|eh+m?|ehm|uhm?|nou|oké|ok|dus|dat|het|is|klopt|precies|zeker|hoor)[ \t]*[,.:]?[ \t]+)*"
)
_NEIGHBOURHOOD_ENDINGS = ("wijk", "buurt", "kwartier", "polder", "dorp", "eiland", "veld", "hof")
_IN_BEFORE = regex.compile(r"(?i:(?<![\p{L}])(?:in|uit|te|vanuit)[ \t]+)$")
_ON_STREET = regex.compile(r"(?i:(?<![\p{L}])(?:op|aan)[ \t]+)$")
_PLACE_WORDS = regex.compile(
    r"(?i)(?<![\p{L}\d])(?:in|uit|te|vanuit|richting|nabij|vlakbij|dichtbij|omgeving|regio|buurt|wijk|dorp|stad|stadsdeel"
    r"|woonplaats|plaats|woonachtig|wonend|(?:verhuisd|verhuizen|verhuis|verhuist|vertrokken|getrokken)[ \t]+naar)"
    r"(?:[ \t]+(?:in|te|van))?[ \t]+(?P<article>(?:de|het)[ \t]+)?"
)
# Words after which a town that is also a surname ("veenendaal", "haarlem") is a town: "naar", "bij".
_TOWN_WORDS = regex.compile(r"(?i)(?<![\p{L}\d])(?:naar|bij|richting|rond|vanaf|via|tussen|buiten)[ \t]+")
# Where someone lives, strongly enough for a word the gazetteer does not know ("ik woon in kattendijke").
_LIVES_IN_WORDS = regex.compile(
    r"(?i)(?<![\p{L}])(?:(?:woon|woont|wonen|woonde|gewoond|wonend|woonachtig|verhuisd|kom|komt|komen|kwam|zit|zitten|zat"
    r"|ben|zijn|is|was|sta|staat|stond|hier|daar|thuis|ons|werk|werkt|gevestigd|geboren|opgegroeid|vakantie|logeer|logeren"
    r"|logeert|verblijf|verblijft)"
    r"(?:[ \t]+(?:nu|al|ook|eh|sinds|kort|daar|hier|zelf|oorspronkelijk)){0,3}[ \t]+(?:in|te|uit)|vanuit|wijk|dorp"
    r"|stadsdeel|woonplaats(?:[ \t]+is)?)[ \t]+"
)
# "ik woon in de …": a neighbourhood's name follows.
_LIVES_IN_ARTICLE = regex.compile(
    r"(?i)(?<![\p{L}])(?:woon|woont|wonen|woonde|gewoond|wonend|woonachtig)(?:[ \t]+(?:nu|al|ook|eh|sinds[ \t]+kort|zelf)){0,3}"
    r"[ \t]+in[ \t]+(?:de|het)[ \t]+"
)
# Endings of Dutch and Flemish place names ("-dorp", "-wijk", "-hoven", "-ingen", "-um", "-gem").
_PLACE_ENDING = regex.compile(
    r"(?:dam|dorp|drecht|hoven|huizen|wijk|veen|horst|broek|zijl|um|ingen|daal|kerk|gem|ijk|stein|burg|berg|heim"
    r"|loo|lo|sel|rode|rade|oord|hout|land|meer|haven|sluis|voorde|veld|dijk|mond|zand|waard|beek|eind|recht|vecht"
    r"|kade|poort|hage|donk|sum|werd|weerd|wolde|wold|ga|hem|zele|kamp|bos|bosch|zeel|lede|tere|egem|ghem)$"
)
# Endings of Dutch abstract nouns and adjectives ("paniek", "behandeling", "situatie"): no place names.
_NOUN_ENDING = regex.compile(
    r"(?:heid|ing|tie|sie|isme|iek|teit|schap|ment|nis|uur|ief|ieve|eel|ele|aal|ale|isch|ische|lijk|lijke|baar"
    r"|bare|loos|loze|ig|ige|tje|tjes|pje|pjes|ers|en|es|ie|ies|ant|ent|ist|ter|der)$"
)
# A name particle before a place makes it a surname ("Van Dongen", "mevrouw ter Apel").
_SURNAME_BEFORE = regex.compile(r"(?i:(?<![\p{L}])(?:van|ter|ten|van[ \t]+de[rn]?|in[ \t]+'t|op[ \t]+de)[ \t]+)$")
_POSTCODE_BEFORE = regex.compile(r"(?i:(?<![\p{L}\d])\d{4}[ \t]?[a-z]{2}[ \t]*,?[ \t]*(?:(?:in|te)[ \t]+)?)$")
_ARTICLE_END = regex.compile(r"(?i)(?<![\p{L}])(?:de|het)[ \t]+$")
_ARTICLE_ONLY = regex.compile(r"(?i)(?:de|het|'t|’t)[ \t]+")
_PREPOSITION_BEFORE = regex.compile(
    r"(?i)(?<![\p{L}])(achter|over|onder|tegenover|buiten|binnen|langs|naast|boven|aan|op|in|bij|voor|naar)[ \t]+$")
_NAME_BEFORE = regex.compile(r"(?<![\p{L}])\p{Lu}[\p{L}'’-]*[ \t]+$")
_TURN_END = regex.compile(r"[ \t]*[.?!…]*[ \t]*")
_PLACE_AFTER = regex.compile(r"(?i)[ \t]*,?[ \t]*(?:(?:in|te)[ \t]+)?(?:(?:de|het)[ \t]+)?")
_POSTCODE_AFTER = regex.compile(r"(?i)[ \t]*,?[ \t]*(?:postcode[ \t]+)?\d{4}[ \t]?[a-z]{2}(?![\p{L}\d])")
_DISTRICT = regex.compile(
    r"(?i)(?:[ \t]+|-)(?:noord|zuid|oost|west|centrum|zuidoost|noordoost|zuidwest|noordwest|nieuw-west|buiten|haven"
    r"|stad|poort|hout|binnenstad)(?![\p{L}\d])"
)
_POSTBUS = regex.compile(
    r"(?i)(?<![\p{L}\d])(?:postbus|antwoordnummer)[ \t]+(?P<number>\d[\d \t]{0,8}\d|\d"
    r"|\p{L}+(?:[ \t]+\p{L}+){0,3})"
)
_SENTENCE_END = frozenset(".!?…:")
_STREET_SIDE = regex.compile(r"(?i)[ \t]+(?:noord|oost|zuid|west)(?:zijde|kant)(?![\p{L}\d])")
_HOUSE_NUMBER_CUE = regex.compile(r"(?i)(?<![\p{L}])huisnummer[ \t]+(?:is[ \t]+)?(?=[\p{L}\d])")
_STREET_ADJECTIVES = frozenset(
    {"nieuwe", "oude", "lange", "korte", "grote", "kleine", "hoge", "lage", "brede", "smalle", "eerste", "tweede",
     "derde", "vierde", "oost", "west", "noord", "zuid", "oostelijke", "westelijke", "noordelijke", "zuidelijke",
     "sint", "st.", "st", "prins", "prinses", "koning", "koningin", "burgemeester", "burg.", "dokter", "dr.",
     "generaal", "graaf", "gravin", "hertog", "hertogin", "binnen", "buiten", "achter",
     "kromme", "rechte", "droge", "natte", "zwarte", "witte", "rode", "groene", "gouden", "heilige", "bisschop",
     "pastoor", "kardinaal", "professor", "prof.", "pater", "dominee", "ds.", "meester", "mr.", "mgr.",
     "monseigneur", "president", "kapitein", "admiraal", "luitenant", "kolonel", "jonkheer", "baron", "ridder",
     "keizer", "paus", "abt", "deken", "kanunnik", "onze", "lieve",
     "vrouwe", "stille", "verlengde", "hoofd", "klein", "groot", "nieuw", "oud", "laan", "ir.", "ing."}
)
_NAME_PARTICLES = frozenset({"van", "de", "der", "den", "het", "'t", "'s", "ter", "ten", "te", "la", "le", "du", "da",
                             "a", "à", "v", "vd", "v.d"})
# Words that start an answer and are not part of a street ("Klopt, Kerkstraat 5").
_INTERJECTIONS = frozenset(
    {"klopt", "juist", "precies", "genoteerd", "goed", "prima", "correct", "inderdaad", "adres", "straat",
     "huisnummer", "sorry", "nou", "oké", "okay", "ok", "eh", "ehm", "uh", "uhm", "hè", "ah", "oh", "o", "ja", "nee",
     "jawel", "jazeker", "top", "mooi", "fijn", "dank", "bedankt", "hoor", "zeg", "dus", "en", "of", "maar", "want",
     "hallo", "hoi", "dag", "postcode", "woonplaats", "nummer", "complex", "pand", "woning", "appartement", "flat",
     "gebouw", "locatie", "kantoor", "mevrouw", "meneer", "familie", "heer", "woon", "woont", "wonen", "woonde",
     "verhuisd", "zit", "zitten", "sta", "staat", "staan", "kom", "komt", "komen", "ga", "gaat", "gaan", "moet", "moeten",
     "rijd", "rijdt", "ben", "heb", "hebt", "heeft", "hier", "daar", "nu", "al", "ook", "nog", "dan", "toen", "wel",
     "niet", "graag", "even", "gewoon", "eigenlijk", "echt", "zeg", "zegt", "zei", "naar", "bij", "via", "richting",
     "bellen", "gebeld", "stuur", "sturen", "adresgegevens", "huisadres", "postadres", "factuuradres", "correct"}
)
# Nouns that a number counts or labels ("lift 2", "zone 4"): no street name before a number.
_COUNT_NOUNS = frozenset(
    {"lift", "kamer", "appartement", "zone", "bus", "verdieping", "etage", "lijn", "spoor", "blok", "unit",
     "parkeerplaats", "box", "hal", "ingang", "deur", "woning", "nummer", "huisnummer", "code", "storingscode",
     "foutcode", "type", "model", "versie", "fase", "groep", "melder", "detector", "kanaal", "poort", "paal",
     "laadpaal", "ketel", "pagina", "artikel", "factuur", "contract", "week", "dag", "uur", "jaar", "keer", "postcode",
     "postbus", "bladzijde", "optie", "stap", "punt", "lokaal", "plek", "kast", "unitnummer", "sectie", "vak",
     "stand", "niveau", "graden", "kanaal", "toestel", "meter", "tarief", "bouwjaar", "jaartal"}
)

_SCORE_STREET_NUMBER = 0.9
_SCORE_STREET = 0.75
_SCORE_NAME_NUMBER = 0.88
_SCORE_NAME_NUMBER_ALONE = 0.3  # below the threshold unless the previous words ask for an address
_SCORE_POSTBUS = 0.85
_SCORE_PLACE = 0.6
_SCORE_PLACE_GAZETTEER = 0.55
_SCORE_PLACE_ALONE = 0.3  # below the threshold unless the agent asked for a place


class DutchAddressRecognizer(EntityRecognizer):
    """ADDRESS for streets with house numbers, streets where someone lives and post-office boxes;
    LOCATION for the town or neighbourhood where someone lives or is."""

    def __init__(self, rules_dir: Path):
        super().__init__(
            supported_entities=["ADDRESS", "LOCATION"], name="DutchAddressRecognizer", supported_language="nl",
            context=["adres", "woon", "woont", "straat", "huisnummer", "postcode", "woonplaats", "plaats", "vandaan"],
        )
        self._suffixes = tuple(sorted(load_word_list(rules_dir / "street_suffixes_nl.txt"), key=len, reverse=True))
        self._not_streets = load_word_list(rules_dir / "not_street_nl.txt")
        self._given_names = load_word_list(rules_dir / "street_given_names_nl.txt")
        self._not_places = load_word_list(rules_dir / "not_person_nl.txt") | load_word_list(rules_dir / "countries_nl.txt")
        self._ordinary = load_word_list(rules_dir / "not_place_nl.txt") | load_word_list(rules_dir / "ordinary_words_nl.txt")
        self._places = _Gazetteer(
            load_word_list(rules_dir / "places_nl.txt"),
            load_word_list(rules_dir / "places_ambiguous_nl.txt"),
            load_word_list(rules_dir / "places_capital_only_nl.txt"),
        )

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        common = common_words(nlp_artifacts)
        stops = stop_words(nlp_artifacts)
        found: list[RecognizerResult] = []
        words = list(_WORD.finditer(text))
        for index, word in enumerate(words):
            found += self._street(text, words, index, common, stops)
        for match in _HOUSE_NUMBER_CUE.finditer(text):  # "mijn huisnummer is 14": the number said apart
            end = self._house_number(text, match.end() - 1, stops)
            if end:
                found.append(result(self, "ADDRESS", match.end(), end, _SCORE_STREET))
        for match in _POSTBUS.finditer(text):
            end = self._postbus_end(text, match)
            if end:
                found.append(result(self, "ADDRESS", match.start(), end, _SCORE_POSTBUS))
        taken = [(r.start, r.end) for r in found]
        for start, end, score in self._place_spans(text, common, stops):
            if not any(s <= start < e or s < end <= e for s, e in taken):
                found.append(result(self, "LOCATION", start, end, score))
                taken.append((start, end))
        return found

    # Streets ------------------------------------------------------------------------------------

    def _suffix(self, folded: str) -> str | None:
        """The street suffix ``folded`` ends in, or ``None``."""
        if not folded.endswith(self._suffixes):
            return None
        for suffix in self._suffixes:
            if folded.endswith(suffix) and (len(folded) > len(suffix) + 1 or folded == suffix):
                return suffix
        return None

    def _street(self, text: str, words: list, index: int, common: frozenset[str], stops: frozenset[str]):
        """ADDRESS (and the place after it) for the street named by ``words[index]``: a word with a
        street suffix or an abbreviated type, with a house number or where someone lives; other
        words go to :meth:`_named_number`."""
        word = words[index]
        raw = word.group()
        folded = raw.casefold()
        end = word.end()
        abbreviated = False
        suffix = self._suffix(folded)
        if suffix is None:
            stem = next((a for a in _ABBREVIATIONS if len(folded) >= len(a) + 3 and folded.endswith(a)), None) \
                if folded.endswith(_ABBREVIATIONS) else None
            if stem is None or folded in common:
                return self._named_number(text, words, index, common, stops)
            abbreviated = True
            if text.startswith(".", end):
                end += 1
        if folded in self._not_places and not (index > 1 and _STREET_OPENING.fullmatch(
                text, words[index - 2].start(), word.start())):
            return []  # "Holland", but "Hof van Holland 12"
        capital = raw[0].isupper() and not _opens_sentence(text, word.start())
        if side := _STREET_SIDE.match(text, end):
            end = side.end()  # "kerkpad zuidzijde 11", "ringweg oost 4": the side is part of the name
        number_end = self._house_number(text, end, stops)
        if abbreviated and number_end is None:
            return []
        if (folded in self._not_streets or folded in _COUNT_NOUNS) and not (capital and number_end) and not (
                number_end and (_HOUSE_ADDITION.search(text, end, number_end) or _POSTCODE_AFTER.match(text, number_end)
                                or self._place_at(text, number_end, common, stops))):
            return []  # "het kerkhof", "de snelweg" … but "op de kerkhof 12 huis in Lunteren"
        if number_end is None and self._places.match(text, word.start()):
            return []  # "woon in Schiedam": a town, not a street
        start = self._street_start(text, words, index, common, stops)
        if folded == suffix and start == word.start() and number_end and index > 0 and _GAP.fullmatch(
                text, words[index - 1].end(), word.start()):
            before = words[index - 1].group().casefold()  # "kerk straat 12": a compound written apart
            if not (before in stops or before in _INTERJECTIONS or before in _COUNT_NOUNS or value(before) is not None
                    or before in self._not_places or before in ("de", "het", "'t")):
                start = words[index - 1].start()
        named = _ARTICLE.match(text, start, word.start()).end() < word.start()
        if folded == suffix:
            if not (number_end and (named or folded in _BARE_STREETS)) and not (capital and folded in _BARE_STREETS) \
                    and not (number_end and (capital or start < word.start()) and (
                        _LIVES.search(text, max(0, start - 60), start) or _POSTCODE_AFTER.match(text, number_end)
                        or self._place_at(text, number_end, common, stops))):
                return []  # "de straat", "het plein", "op de weg" … but "aan de Vaart 3 in Dokkum"
            start = _preposition_start(text, start, word.start())
        # "de oude haven": an ordinary word with a name before it is a street name
        ordinary = (folded in common or folded in stops) and not named
        strong = suffix in _STRONG_SUFFIXES if suffix else True
        found: list[RecognizerResult] = []
        if number_end is not None:
            if ordinary and not strong and not capital and not (
                    _LIVES.search(text, max(0, start - 60), start) or _ON_STREET.search(text, max(0, start - 8), start)
                    or _POSTCODE_AFTER.match(text, number_end)
                    or _ADDRESS_CUE.search(text, max(0, start - 20), start) and (
                        _HOUSE_ADDITION.search(text, end, number_end) or self._place_at(text, number_end, common, stops))):
                return []  # "storing 3", "de hooiberg 12 keer" … but "het adres is hooiberg 12", "hooiberg 12 in Ede"
            found.append(result(self, "ADDRESS", start, number_end, _SCORE_STREET_NUMBER))
        else:
            if not strong and _IN_BEFORE.search(text, max(0, start - 8), start):
                return []  # "in Papendorp", "in de Schildersbuurt": a neighbourhood, not a street
            lives = _LIVES.search(text, max(0, start - 60), start) is not None
            alone = text[:start].strip() == "" and text[end:].strip(" \t.?!…,") == ""
            if ordinary and not capital and not (strong and (lives or _ON_STREET.search(text, max(0, start - 8), start))):
                return []
            on_street = _ON_STREET.search(text, max(0, start - 8), start) is not None or text[start:word.start()].strip() != ""
            if not (lives or (strong and (not ordinary or capital or on_street)) or alone):
                return []
            later = _LATER_NUMBER.match(text, end)
            later_end = self._house_number(text, later.end() - 1, stops) if later else None
            if later_end:  # "de Kerkstraat, ik zit op nummer 12", "de Molenlaan, huisnummer is 7"
                found.append(result(self, "ADDRESS", start, later_end, _SCORE_STREET_NUMBER))
            else:
                found.append(result(self, "ADDRESS", start, end, _SCORE_STREET))
        said = _NUMBER_BEFORE.search(text, max(0, start - 30), start)
        if said:  # "nummer 12 van de Kerkstraat"
            found[-1] = result(self, "ADDRESS", said.start(), found[-1].end, _SCORE_STREET_NUMBER)
        found += self._place_after(text, found[-1].end, common, stops)
        return found

    def _street_start(self, text: str, words: list, index: int, common: frozenset[str], stops: frozenset[str]) -> int:
        """Where the street named by ``words[index]`` begins: the name words before it and an
        article directly before those."""
        first = index
        names = 0
        i = index - 1
        while i >= 0 and names < 4 and (
                _GAP.fullmatch(text, words[i].end(), words[first].start())
                or (words[i].group().casefold() in _TITLE_ABBREVIATIONS or len(words[i].group()) == 1)
                and _DOT_GAP.fullmatch(text, words[i].end(), words[first].start())):  # "Mr. P.J. Troelstraweg"
            raw = words[i].group()
            folded = raw.casefold()
            if folded in _NAME_PARTICLES:
                first = i
            elif self._name_word(text, words[i], raw, folded, common, stops):
                first = i
                names += 1
            else:
                break
            i -= 1
        # Particles left at the front: an article belongs to the address ("de Kerkstraat"); a "van"
        # before an article is the preposition ("het adres van de Kerkstraat").
        while first < index:
            folded = words[first].group().casefold()
            following = words[first + 1].group().casefold()
            if folded == "van" and following in ("de", "het") and not words[first].group()[0].isupper():
                first += 1
            elif folded in ("de", "het", "'t") and following in _NAME_PARTICLES and following not in ("der", "den"):
                first += 1
            elif folded in ("te", "ten", "ter", "la", "le", "du", "da", "a", "à") and first == index - 1:
                first += 1
            else:
                break
        ordinal = _ORDINAL_BEFORE.search(text, max(0, words[first].start() - 8), words[first].start())
        return ordinal.start() if ordinal else words[first].start()  # "2e Hugo de Grootstraat"

    def _name_word(self, text: str, word, raw: str, folded: str, common: frozenset[str], stops: frozenset[str]) -> bool:
        """True for a word that can be part of a street's name before the street word."""
        if folded in _STREET_ADJECTIVES or folded in _TITLE_ABBREVIATIONS:
            return True
        if len(raw) == 1:  # an initial: "P.J. Troelstraweg", "dr h colijnstraat"
            return text.startswith(".", word.end()) or _INITIAL_AFTER.search(text, max(0, word.start() - 8),
                                                                              word.start()) is not None
        if folded in _INTERJECTIONS or folded in self._not_places or value(folded) is not None:
            return False
        if folded in stops:
            return False
        if folded in self._given_names:
            return True
        if raw[0].isupper():
            return True
        if folded in _COUNT_NOUNS or len(folded) <= 2:
            return False
        return folded not in common or _opens_sentence(text, word.start())

    def _house_number(self, text: str, position: int, stops: frozenset[str]) -> int | None:
        """End of a house number with its additions starting at ``position``, or ``None``."""
        intro = _NUMBER_INTRO.match(text, position)
        at = intro.end()
        if at == position:
            return None
        said_number = "nummer" in intro.group().casefold()
        digits = _DIGITS.match(text, at)
        if digits:
            end = digits.end()
        else:
            word = _NUMBER_WORD.match(text, at)
            if not word:
                return None
            folded = word.group().casefold()
            number = value(folded)
            if number is None and len(folded) > 5 and folded[-1] in "abcdefgh":
                number = value(folded[:-1])  # "tweehonderddrieënveertiga": the letter written on
            digit_by_digit = _NUMBER_WORD.match(text, word.end() + 1) if text[word.end():word.end() + 1] == " " else None
            if digit_by_digit and value(digit_by_digit.group().casefold()) is None:
                digit_by_digit = None
            if number in (None, 0) or (folded == "een" and not said_number and not digit_by_digit
                                       and not _LETTER_AFTER.match(text, word.end())):
                return None
            end = word.end()
            while (more := _NUMBER_WORD.match(text, end + 1)) and text[end] in " \t" and value(
                    more.group().casefold()) not in (None, 0) and more.group().casefold() not in ("een", "één"):
                end = more.end()  # "honderd twaalf"
        after = _NEXT_WORD.match(text, end, end + 20)
        if after and after.group(1).casefold() in _COUNTED:
            return None
        while True:
            addition = _ADDITION.match(text, end)
            if not addition or addition.end() == end:
                break
            end = addition.end()
        return end

    def _named_number(self, text: str, words: list, index: int, common: frozenset[str], stops: frozenset[str]):
        """A street without a street suffix ("Rokin 75", "hoge woerd 52") followed by a house
        number, with a place or postcode after it or "woon"/"adres" before it."""
        word = words[index]
        folded = word.group().casefold()
        if folded in self._not_places and index > 1 and _STREET_OPENING.fullmatch(
                text, words[index - 2].start(), word.start()):
            pass  # "Hof van Holland 12", "Laan van België 3": a street word opens the name
        elif (folded in stops or folded in _INTERJECTIONS or folded in _COUNT_NOUNS or folded in self._not_places
                or value(folded) is not None or folded.endswith(("nummer", "code")) or len(folded) < 3):
            return []
        digits = _SPACE_DIGITS.match(text, word.end())
        if not digits and not _SPACE_NUMBER_WORD.match(text, word.end()):
            return []
        number_end = self._house_number(text, word.end(), stops)
        if number_end is None:
            return []
        start = self._street_start(text, words, index, common, stops)
        lives = _LIVES.search(text, max(0, start - 60), start) is not None
        place = self._place_at(text, number_end, common, stops)
        postcode = _POSTCODE_AFTER.match(text, number_end) is not None
        # "23 boven", "312, vierde etage", "9 huis": additions only a house number has
        addition = _HOUSE_ADDITION.search(text, word.end(), number_end) is not None
        ordinary = folded in common
        cue = _ADDRESS_CUE.search(text, max(0, start - 20), start) is not None
        if not digits and not (lives or place or postcode or addition):
            return []  # "Karveel vierhonderdzeventien, derde etage": a number in words needs more
        if ordinary and not (lives or ((place or postcode or addition) and (cue or word.group()[0].isupper()))):
            return []
        # "Laan van Meerdervoort 55", "Plein 1944": a street word opens the name
        opened = _STREET_OPENING.match(text, start, word.start()) is not None
        on_street = _ON_STREET.search(text, max(0, start - 8), start) is not None and not ordinary
        if not (lives or place or postcode or opened or on_street or (addition and cue)):
            if ordinary or not _TURN_OPENING.fullmatch(text, 0, start):
                return []
            # "Rokin 75" as a whole answer: an address only when the agent asked for it (the
            # context enhancer raises the score when "adres", "woont" … were said just before).
            return [result(self, "ADDRESS", start, number_end, _SCORE_NAME_NUMBER_ALONE)]
        if start == words[index - 1].start() if index else False:
            start = _preposition_start(text, start, word.start())  # "Achter de Kerk 12"
        found = [result(self, "ADDRESS", start, number_end, _SCORE_NAME_NUMBER)]
        if place:
            found.append(result(self, "LOCATION", place[0], place[1], _SCORE_PLACE))
        return found

    def _postbus_end(self, text: str, match) -> int | None:
        """End of "Postbus 1234" / "postbus twaalf vierendertig", or ``None`` without a number."""
        number = match.group("number")
        if number[0].isdigit():
            return match.start("number") + len(number.rstrip())
        kept = None
        for word in _LETTERS.finditer(number):
            if value(word.group().casefold()) in (None, 0) and word.group().casefold() != "nul":
                break
            kept = match.start("number") + word.end()
        return kept

    # Places -------------------------------------------------------------------------------------

    def _place_after(self, text: str, end: int, common: frozenset[str], stops: frozenset[str]) -> list[RecognizerResult]:
        place = self._place_at(text, end, common, stops)
        return [result(self, "LOCATION", place[0], place[1], _SCORE_PLACE)] if place else []

    def _place_at(self, text: str, position: int, common, stops) -> tuple[int, int] | None:
        """A place starting after ``position`` (", in Gouda", " zeist", " in de bijlmer")."""
        gap = _PLACE_AFTER.match(text, position)
        start = gap.end()
        if start == position and start < len(text):
            return None
        said_in = _SAID_IN.search(gap.group()) is not None
        article = _ARTICLE_END.search(gap.group())
        if article:  # "in De Meern", "in de kwakel": a place whose name holds the article
            found = self._places.match(text, position + article.start())
            if found and (found[1] == "plain" or said_in or text[position + article.start()].isupper()):
                return position + article.start(), _district_end(text, found[0])
        found = self._places.match(text, start)
        if found:
            end, kind = found
            if kind == "plain" or text[start].isupper() or (kind == "ambiguous" and (
                    said_in or text[start:end].casefold() not in self._ordinary and text[start:end].casefold() not in stops)):
                return start, _district_end(text, end)  # also "hoofdstraat 12 veenendaal": a surname, not a word
            if kind == "ambiguous" and _TURN_END.fullmatch(text, end):
                return start, end  # "kerkstraat 12 hoorn" closing the answer
        word = _WORD.match(text, start)
        if not word:
            return None
        folded = word.group().casefold()
        if (said_in or word.group()[0].isupper()) and self._unknown_place_word(folded, common, stops):
            lead = position + article.start() if article and text[position + article.start()].isupper() else start
            return lead, _district_end(text, word.end())
        return None

    def _unknown_place_word(self, folded: str, common: frozenset[str], stops: frozenset[str]) -> bool:
        return (len(folded) > 2 and folded not in common and folded not in stops and folded not in self._not_places
                and folded not in _INTERJECTIONS and folded not in _COUNT_NOUNS and value(folded) is None
                and self._suffix(folded) not in _STRONG_SUFFIXES)

    def _place_spans(self, text: str, common: frozenset[str], stops: frozenset[str]):
        """LOCATION spans: gazetteer places by kind and context, and unknown words after "in"/"uit"/"te"."""
        spans: list[tuple[int, int, float]] = []
        covered = 0
        after_place_word: set[int] = set()  # "in Zwolle", "uit Best"
        after_place_article: dict[int, int] = {}  # "in de Bijlmer", "in het Oude Westen": where the article is
        after_te: set[int] = set()  # "te Zetten", but "los te halen": a verb after "te"
        for trigger in _PLACE_WORDS.finditer(text, overlapped=True):
            if trigger.group("article"):
                after_place_article[trigger.end()] = trigger.start("article")
            else:
                after_place_word.add(trigger.end())
                if trigger.end() - trigger.start() == 3 and text[trigger.start():trigger.start() + 2].casefold() == "te":
                    after_te.add(trigger.end())
        after_lives_in = {m.end() for m in _LIVES_IN_WORDS.finditer(text)}  # "ik woon in", "uit"
        after_town_word = {m.end() for m in _TOWN_WORDS.finditer(text)}
        # "ik woon in de kraaiendonk": a word no dictionary knows after living words and an article
        after_lives_article = {m.end() for m in _LIVES_IN_ARTICLE.finditer(text)}
        for token in _TOKEN.finditer(text):
            start = token.start()
            if start < covered:
                continue
            context = start in after_place_word
            found = self._places.match(text, start) if self._places.knows(token.group()) else None
            if found:
                end, kind = found
                if (kind == "ambiguous" and not context and start in after_town_word
                        and text[start:end].casefold() not in self._ordinary and text[start:end].casefold() not in common
                        and text[start:end].casefold() not in stops and not _SPACE_DIGITS.match(text, end)):
                    context = True  # "naar veenendaal", "bij haarlem": a surname-like town, no ordinary word
                lead = start - 1 if start > 0 and text[start - 1] in "'’" else start
                first_word = text[start:end]
                capital = first_word[0].isupper() and not _opens_sentence(text, lead)
                if self._org_before(text, lead) or _SURNAME_BEFORE.search(text, max(0, lead - 12), lead):
                    covered = end
                    continue
                after_postcode = _POSTCODE_BEFORE.search(text, max(0, start - 20), start) is not None
                if kind == "ambiguous" and context and start in after_te and start not in after_lives_in and not capital:
                    context = False  # "om hem los te halen", "aan te zetten": an infinitive
                if kind != "plain" and capital and not (context or after_postcode) and _NAME_BEFORE.search(
                        text, max(0, lead - 30), lead) and not _opens_sentence(text, _NAME_BEFORE.search(
                            text, max(0, lead - 30), lead).start()):
                    capital = False  # "Installatietechniek West", "Jan Hoorn": part of a company's or person's name
                accept = (
                    (kind == "plain")
                    or (kind == "ambiguous" and (capital or context or after_postcode))
                    or (kind == "capital_only" and capital)
                )
                if accept:
                    end = _district_end(text, end)
                    spans.append((lead, end, _SCORE_PLACE if (context or capital) else _SCORE_PLACE_GAZETTEER))
                    covered = end
                    continue
                if kind == "ambiguous" and _TURN_OPENING.fullmatch(text, 0, lead):
                    # "Putten." opening the answer: a place only when the agent asked where
                    spans.append((lead, end, _SCORE_PLACE_ALONE))
                    covered = end
                    continue
            if context:
                word = _WORD.match(text, start)
                folded = word.group().casefold() if word else ""
                if (word and word.group()[0].islower() and not _NOUN_ENDING.search(folded) and folded not in self._ordinary
                        and (_PLACE_ENDING.search(folded) or start in after_lives_in)
                        and self._unknown_place_word(folded, common, stops)):
                    spans.append((start, word.end(), _SCORE_PLACE))
                    covered = word.end()
                    continue
            if context or start in after_place_article:
                word = _WORD.match(text, start)
                if word and word.group()[0].isupper():
                    span = self._capital_place(text, start, common, stops)
                    if span:
                        article = after_place_article.get(start)
                        # "in De Kempen": a capitalised article inside a sentence is part of the name
                        lead = article if article is not None and text[article].isupper() and not _opens_sentence(
                            text, article) else span[0]
                        spans.append((lead, span[1], _SCORE_PLACE))
                        covered = span[1]
                elif word and start in after_place_article and self._neighbourhood_word(word.group().casefold(), common, stops):
                    spans.append((start, word.end(), _SCORE_PLACE))  # "in de componistenbuurt"
                    covered = word.end()
                elif word and start in after_lives_article and self._unknown_neighbourhood(word.group().casefold(), common,
                                                                                            stops):
                    spans.append((after_place_article[start], word.end(), _SCORE_PLACE))  # "ik woon in de kraaiendonk"
                    covered = word.end()
        return spans

    def _unknown_neighbourhood(self, folded: str, common: frozenset[str], stops: frozenset[str]) -> bool:
        """A word after "ik woon in de" that no word list knows: the name of a neighbourhood."""
        return (len(folded) > 3 and folded not in self._ordinary and folded not in self._not_streets
                and not _NOUN_ENDING.search(folded) and self._unknown_place_word(folded, common, stops))

    def _neighbourhood_word(self, folded: str, common: frozenset[str], stops: frozenset[str]) -> bool:
        """A compound naming a neighbourhood ("componistenbuurt", "bloemenwijk"), not a generic one
        ("woonwijk", "nieuwbouwwijk")."""
        return (folded.endswith(_NEIGHBOURHOOD_ENDINGS) and len(folded) > 7 and folded not in self._not_streets
                and folded not in self._ordinary and self._unknown_place_word(folded, common, stops))

    def _capital_place(self, text: str, start: int, common, stops) -> tuple[int, int] | None:
        """Capitalised place words after a place word ("in Almere Buiten", "uit Alphen aan den Rijn")."""
        place = _CAPITAL_PLACE.match(text, start)
        if not place:
            return None
        kept_end = start
        for word in _PLACE_WORD.finditer(text[start:place.end()]):
            folded = word.group().casefold()
            if folded in ("aan", "op", "bij", "ter", "in", "den", "de", "het", "zee", "'s", "s"):
                continue
            if folded in self._not_places or (folded in common and word.start() > 0) or (
                    word.start() > 0 and self._suffix(folded)):
                break
            kept_end = start + word.end()
        if kept_end == start:
            return None
        first = text[start:kept_end].split()[0].casefold()
        if first in common and len(first) < 4 or first in stops:
            return None
        return start, kept_end

    def _org_before(self, text: str, start: int) -> bool:
        """True when an organisation word stands directly before (``Woonstad Rotterdam``, ``provincie``)."""
        before = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if not before:
            return False
        folded = before.group(1).casefold()
        return folded in self._not_places or folded in ("provincie", "gemeente", "regio", "universiteit", "hogeschool")


_CAPITAL_PLACE = regex.compile(
    r"(?:IJ|\p{Lu})\p{Ll}[\p{L}'’]*(?:-(?:IJ|\p{Lu})?[\p{L}'’]+)*"
    r"(?:[ \t]+(?:(?:aan|op|bij|ter|in)[ \t]+(?:den|de|het|zee)?[ \t]*)?(?:IJ|\p{Lu})\p{Ll}[\p{L}'’]*){0,3}"
)


class _Gazetteer:
    """Places by their words: ``match`` finds the longest place starting at a position."""

    def __init__(self, places: frozenset[str], ambiguous: frozenset[str], capital_only: frozenset[str]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for place in places:
            tokens = tuple(_TOKEN.findall(place))
            if not tokens:
                continue
            kind = "capital_only" if place in capital_only else "ambiguous" if place in ambiguous else "plain"
            self._by_first.setdefault(tokens[0], []).append((tokens, kind))
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def knows(self, word: str) -> bool:
        """True when some place starts with ``word``."""
        return word.casefold() in self._by_first

    def match(self, text: str, start: int) -> tuple[int, str] | None:
        """``(end, kind)`` of the longest place at ``start``, or ``None``."""
        first = _TOKEN.match(text, start)
        if not first or (start > 0 and (text[start - 1].isalnum())):
            return None
        entries = self._by_first.get(first.group().casefold())
        if not entries:
            return None
        for tokens, kind in entries:
            end = first.end()
            ok = True
            for token in tokens[1:]:
                gap = _SEPARATOR.match(text, end)
                nxt = _TOKEN.match(text, gap.end()) if gap else None
                if not nxt or nxt.group().casefold() != token:
                    ok = False
                    break
                end = nxt.end()
            if ok and not (end < len(text) and (text[end].isalnum() or text[end] in "-'’" and end + 1 < len(text)
                                                and text[end + 1].isalnum())):
                return end, kind
        return None


def _preposition_start(text: str, start: int, word_start: int) -> int:
    """``start`` moved before a preposition that is part of a one-word street's name: "Achter de
    Kerk 12", "over de brug 3", and written with a capital "Aan de Vaart 3"; a plain "aan"/"op"
    ("ik woon aan de Vaart 3") stays outside."""
    if not _ARTICLE_ONLY.fullmatch(text, start, word_start):
        return start
    before = _PREPOSITION_BEFORE.search(text, max(0, start - 14), start)
    if not before:
        return start
    capital = text[before.start()].isupper() and not _opens_sentence(text, before.start())
    return before.start() if capital or before.group(1).casefold() not in ("aan", "op", "in", "naar", "bij", "voor") \
        else start


def _district_end(text: str, end: int) -> int:
    district = _DISTRICT.match(text, end)
    return district.end() if district else end


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _SENTENCE_END


def recognizers(rules_dir: Path) -> list[EntityRecognizer]:
    return [DutchAddressRecognizer(rules_dir)]
