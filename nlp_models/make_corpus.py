"""Build the NER training corpus for the ``nl_callscribe`` spaCy pipeline.

Two sources are combined into ``train.spacy`` and ``dev.spacy``:

* the Dutch part of the Europeana Newspapers NER corpus (CC0, historic OCR text), read in
  place from ``../shared/data/ner-europeana-nl/enp_NL.kb.bio`` and split into sentences here;
* synthetic call-centre turns generated from templates filled with Faker ``nl_NL`` names,
  cities and streets, with many distractors that must stay unlabelled.

Labelling conventions of the synthetic turns (see README.md):

* PER: first names, surnames, full names, initials with surname, spelled surnames; name
  particles are inside the span ("van den Berg"), titles (meneer, mevrouw, de heer) outside.
* LOC: cities, towns, villages and neighbourhoods.
* ORG: companies, brands and housing corporations.
* Streets and house numbers are left O: addresses are the job of a rule-based recognizer, and
  the model must not read a street named after a person ("Mirthesteeg") as PER.
* Weekdays, months, times, amounts, error codes, model names and professions that are also
  surnames in lower case ("de bakker") are O.

Everything is driven by fixed seeds, so the same command gives byte-identical files.

Usage:
    python nlp_models/make_corpus.py [--out nlp_models/training/corpus] [--synthetic-train 14000]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import names
import spacy
from faker import Faker
from spacy.tokens import Doc, DocBin

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from benchmarks.asr_style import asr_text, remap  # noqa: E402  (the benchmark's own ASR form)

DEFAULT_EUROPEANA = HERE.parent.parent / "shared" / "data" / "ner-europeana-nl" / "enp_NL.kb.bio"
DEFAULT_OUT = HERE / "training" / "corpus"
SEED = 20240611
EUROPEANA_DEV_FRACTION = 0.1
SYNTHETIC_TRAIN = 15000
SYNTHETIC_DEV = 1500
# Share of synthetic turns whose cased copy is replaced by a lower-case, still punctuated one;
# every synthetic turn also gets a speech-recogniser copy (lower case, no sentence punctuation).
LOWER_PUNCTUATED_SHARE = 0.15
# Share of Europeana sentences that also appear in the speech-recogniser form.
EUROPEANA_ASR_SHARE = 0.5
MAX_SENTENCE_TOKENS = 60
SENTENCE_END = (".", "!", "?")
EDGE_PUNCT = ".,;:!?\"'()[]«»„“”‘’"

# --------------------------------------------------------------------------------------------
# Europeana Newspapers
# --------------------------------------------------------------------------------------------


def read_europeana(path: Path) -> list[list[tuple[str, str]]]:
    """Read the BIO file and split it into sentences of (token, tag) pairs.

    The file has no sentence breaks. A sentence ends after a token that ends in ".", "!" or
    "?" (longer than two characters, to spare abbreviations such as "Mr.") when the next token
    starts with a capital. Sentences longer than ``MAX_SENTENCE_TOKENS`` are cut at an O tag.
    """
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            rows.append((parts[0], parts[1]))
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for index, (token, tag) in enumerate(rows):
        current.append((token, tag))
        next_token = rows[index + 1][0] if index + 1 < len(rows) else ""
        next_tag = rows[index + 1][1] if index + 1 < len(rows) else "O"
        ends = (
            token in SENTENCE_END
            or (token.endswith(SENTENCE_END) and len(token) > 2 and next_token[:1].isupper())
        )
        too_long = len(current) >= MAX_SENTENCE_TOKENS and not next_tag.startswith("I-")
        if ends or too_long or not next_token:
            sentences.append(current)
            current = []
    return [sentence for sentence in sentences if len(sentence) >= 3]


def europeana_example(sentence: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """Join an OCR sentence into text and character entity spans.

    The corpus glues punctuation to words ("Amsterdam,"); each entity's character range is
    trimmed of such punctuation. Countries tagged LOC are dropped (left O): the annotation
    guideline of the redaction sets does not redact countries.
    """
    text_parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    offset = 0
    open_span: list = []
    for token, tag in sentence:
        start = offset
        text_parts.append(token)
        offset += len(token) + 1
        if tag.startswith("B-") or (tag.startswith("I-") and not open_span):
            if open_span:
                spans.append(tuple(open_span))
            open_span = [start, start + len(token), tag[2:]]
        elif tag.startswith("I-") and open_span[2] == tag[2:]:
            open_span[1] = start + len(token)
        else:
            if open_span:
                spans.append(tuple(open_span))
            open_span = []
    if open_span:
        spans.append(tuple(open_span))
    text = " ".join(text_parts)
    trimmed = []
    for start, end, label in spans:
        while start < end and text[start] in EDGE_PUNCT:
            start += 1
        while end > start and text[end - 1] in EDGE_PUNCT:
            end -= 1
        if end <= start:
            continue
        if label == "LOC" and text[start:end].lower() in names.COUNTRY_WORDS:
            continue
        trimmed.append((start, end, label))
    return text, trimmed


def labelled_doc(
    nlp: spacy.language.Language, text: str, spans: list[tuple[int, int, str]], strict: bool
) -> Doc | None:
    """Tokenize ``text`` and set its entities; ``None`` when ``strict`` and a span is off-token.

    Non-strict mode contracts a span to the tokens it covers fully (the OCR sentences).
    """
    doc = nlp.make_doc(text)
    entities = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label,
                             alignment_mode="strict" if strict else "contract")
        if span is None or not len(span):
            if strict:
                return None
            continue
        entities.append(span)
    doc.ents = spacy.util.filter_spans(entities)
    return doc


def asr_variant(
    text: str, spans: list[tuple[int, int, str]]
) -> tuple[str, list[tuple[int, int, str]]]:
    """The speech-recogniser form (benchmarks/asr_style.py): lower case, no sentence punctuation."""
    new_text, mapping = asr_text(text)
    new_spans = []
    for start, end, label in spans:
        new = remap(start, end, mapping)
        if new is not None:
            new_spans.append((new[0], new[1], label))
    return new_text, new_spans


def lower_variant(
    text: str, spans: list[tuple[int, int, str]]
) -> tuple[str, list[tuple[int, int, str]]]:
    """Lower case with punctuation kept (offsets unchanged; the text as is if lengths change)."""
    lowered = text.lower()
    return (lowered, spans) if len(lowered) == len(text) else (text, spans)


def europeana_docs(
    nlp: spacy.language.Language, sentences: list[list[tuple[str, str]]], seed: int
) -> list[Doc]:
    """Docs for the OCR sentences, plus a speech-recogniser copy of ``EUROPEANA_ASR_SHARE``."""
    r = random.Random(seed)
    docs = []
    for sentence in sentences:
        text, spans = europeana_example(sentence)
        doc = labelled_doc(nlp, text, spans, strict=False)
        if doc is not None:
            docs.append(doc)
        if r.random() < EUROPEANA_ASR_SHARE:
            doc = labelled_doc(nlp, *asr_variant(text, spans), strict=False)
            if doc is not None and len(doc):
                docs.append(doc)
    return docs


# --------------------------------------------------------------------------------------------
# Synthetic call-centre turns
# --------------------------------------------------------------------------------------------

COMPANIES = [
    "TBI Direct", "Telecontrol", "Croonwolter&dros", "Remeha", "Nefit", "Vaillant", "Intergas",
    "Eneco", "Vattenfall", "Essent", "Greenchoice", "Budget Energie", "Mitros", "Portaal",
    "Ymere", "Eigen Haard", "Vestia", "Woonbron", "Havensteder", "De Alliantie", "Rochdale",
    "Stadgenoot", "Bo-Ex", "Woonstad Rotterdam", "Zehnder", "Itho Daalderop", "Brink",
    "Bosch", "Daikin", "Atag", "Otis", "Kone", "Schindler", "Ziggo", "KPN", "Stedin",
    "Liander", "Enexis", "Vitens", "Installatiebedrijf Verbeek", "Loodgietersbedrijf Jansen",
    "Bouwbedrijf Van Wijk", "Homey", "Ajax brandbeveiliging", "Nederlandse Brandwacht",
    "Verisure", "Allianz", "Centraal Beheer", "ING", "Rabobank", "ABN AMRO", "Coolblue",
    "Gamma", "Praxis", "Zonnepanelen Nederland", "Vandebron", "Feenstra", "Kemkens",
]
NEIGHBOURHOODS = [
    "Overvecht", "Lombok", "Leidsche Rijn", "Hoograven", "Zuilen", "Tuindorp", "Oog in Al",
    "Osdorp", "Slotervaart", "De Pijp", "Jordaan", "Nieuw-West", "Geuzenveld", "Gaasperdam",
    "Watergraafsmeer", "Charlois", "Feijenoord", "Crooswijk", "Ommoord", "Hillegersberg",
    "Kralingen", "Delfshaven", "Schilderswijk", "Transvaal", "Moerwijk", "Mariahoeve",
    "Vathorst", "Kattenbroek", "Stadshagen", "Holtenbroek", "Assendorp", "Presikhaaf",
    "Malburgen", "Dukenburg", "Lindenholt", "Woensel", "Strijp", "Tongelre", "Selwerd",
    "Vinkhuizen", "Paddepoel", "Beijum", "Haagse Beemden", "Heuvel", "Rijnhuizen",
    "Brandevoort", "Meerhoven", "De Muntel", "Zuidoost", "Noord", "Oost", "West",
]
BIG_CITIES = [
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg",
    "Almere", "Breda", "Nijmegen", "Apeldoorn", "Arnhem", "Haarlem", "Enschede", "Amersfoort",
    "Zaandam", "Zwolle", "Leiden", "Zoetermeer", "Maastricht", "Dordrecht", "Ede", "Delft",
    "Alkmaar", "Venlo", "Deventer", "Leeuwarden", "Hilversum", "Nieuwegein", "Houten",
    "Zeist", "Gouda", "Purmerend", "Schiedam", "Vlaardingen", "Hoorn", "Helmond", "Oss",
    "'s-Hertogenbosch", "Den Bosch", "Lelystad", "Veenendaal", "Woerden", "IJsselstein",
]
PROFESSIONS = [
    "bakker", "visser", "smid", "koster", "schilder", "timmerman", "monteur", "molenaar",
    "metselaar", "loodgieter", "slager", "kok", "boer", "huismeester", "conciërge",
    "installateur", "elektricien", "portier", "schoonmaker", "beheerder", "brouwer",
]
PROFESSION_SURNAMES = [
    "Bakker", "Visser", "Smit", "Smid", "Koster", "Schilder", "Timmerman", "Molenaar",
    "Kok", "Mulder", "Brouwer", "Boer", "de Boer", "Metselaar", "Slager", "Visscher",
]
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
]
TIMES = [
    "acht uur", "half negen", "negen uur", "kwart over tien", "twaalf uur", "half twee",
    "drie uur", "kwart voor vijf", "08:00", "10.30 uur", "13:15", "tussen acht en twaalf",
    "tussen één en vijf", "vanochtend", "vanmiddag", "vanavond", "morgenochtend",
]
AMOUNTS = [
    "85 euro", "€ 120", "zestig euro", "42,50 euro", "honderd euro", "€ 1.250", "twintig euro",
    "drie tientjes", "veertig euro voorrijkosten", "7,95 per maand",
]
ERROR_CODES = [
    "E119", "F4", "F28", "E04", "A01", "H03", "E133", "F75", "D5", "E10", "L2", "Err 4",
    "E9", "F22", "EA", "S07",
]
MODELS = [
    "Remeha Calenta 25", "Nefit EcomLine HR", "Vaillant ecoTEC plus", "Intergas Kombi Kompakt",
    "HR-ketel", "Itho CVE", "Zehnder ComfoAir", "Atag iC", "Brink Renovent", "Nefit Topline",
]
SPELLING_ALPHABET = {
    "A": "Anton", "B": "Bernard", "C": "Cornelis", "D": "Dirk", "E": "Eduard", "F": "Ferdinand",
    "G": "Gerard", "H": "Hendrik", "I": "Izaak", "J": "Jan", "K": "Karel", "L": "Lodewijk",
    "M": "Maria", "N": "Nico", "O": "Otto", "P": "Pieter", "Q": "Quirinus", "R": "Rudolf",
    "S": "Simon", "T": "Teunis", "U": "Utrecht", "V": "Victor", "W": "Willem", "X": "Xantippe",
    "Y": "Ypsilon", "Z": "Zaandam",
}
FILLERS = ["eh", "ehm", "eh,", "ja,", "nou,", "uh", "hè", "zeg maar,", "even kijken,"]
OPENERS = [
    "", "", "", "Ja, ", "Ja ", "Eh, ", "Ehm, ", "Nou, ", "Oké, ", "Ja nee, ", "Ja, eh, ",
    "Goedemorgen, ", "Goedemiddag, ", "Hallo, ", "Oké, eh, ", "Ja precies, ", "Kijk, ",
]
CLOSERS = ["", "", "", "", " Ja.", " Oké.", " Dank u wel.", " Klopt dat?", " Toch?"]

# Templates: {slot} is filled by SLOT_FILLERS; slots whose label is not None become entities.
# Slots: first, last (particle lower case), Last (particle capitalised, after a title),
# full, initials, spelled, spelled_alpha, city, hood, org, street, num, day, month, time,
# date, amount, code, model, prof, eh (optional filler), letter, compass, pcode, phone, cnum (O).
PERSON_TEMPLATES = [
    "Mijn naam is {full}.",
    "Mijn naam is {first}, {eh} {first} {last}.",
    "U spreekt met {full}.",
    "Goedemorgen, u spreekt met {full} uit {city}.",
    "Met {full}, goedemiddag.",
    "Met mevrouw {Last}.",
    "Met meneer {Last}, ik bel over de ketel.",
    "Ja, met {first}.",
    "Goedemorgen, {org}, u spreekt met {first}, waarmee kan ik u helpen?",
    "{org}, goedemiddag, met {first}.",
    "{org}, met {first}, goedenavond.",
    "Goedemiddag, u spreekt met {first} van {org}, wat kan ik voor u doen?",
    "Dag meneer {Last}, u spreekt met {first} van de servicedesk.",
    "Dag mevrouw {Last}, {eh} wat kan ik voor u doen?",
    "Ja, dank u wel meneer {Last}.",
    "Oké mevrouw {Last}, ik zie het staan.",
    "Mag ik uw naam?",
    "En uw achternaam?",
    "{Last}, met een {letter}.",
    "{Last}. {Last}, ja.",
    "{last}.",
    "{Last}, {spelled}.",
    "Dat is {spelled}.",
    "Ik spel het even: {spelled_alpha}.",
    "Het is {Last}, {spelled_alpha}.",
    "Met een {letter}, dus {spelled}.",
    "De monteur, {first}, komt {day} {time}.",
    "Monteur {first} komt {day} tussen acht en twaalf.",
    "Monteur {first} {last} is {day} bij u geweest.",
    "Er komt een monteur, {first}, die belt u een half uur van tevoren.",
    "Ik heb eerder gesproken met {first} van de planning.",
    "Uw collega {first} zou me terugbellen, maar dat is niet gebeurd.",
    "Ik had vorige week {first} aan de lijn, die zei dat het {day} zou gebeuren.",
    "Dat was met uw collega {first}, geloof ik.",
    "Kunt u {first} even doorverbinden?",
    "Kunt u mij doorverbinden met meneer {Last}?",
    "De huismeester, meneer {Last}, heeft de sleutel.",
    "Mijn buurman, {first} {last}, heeft ook geen warm water.",
    "Mijn buurvrouw mevrouw {Last} heeft hetzelfde probleem.",
    "De woning staat op naam van mijn man, {full}.",
    "Het contract staat op naam van {initials}.",
    "Op naam van {initials}, ja.",
    "Mijn dochter {first} is thuis, die kan de monteur binnenlaten.",
    "Mijn zoon {first} belt u terug.",
    "U kunt vragen naar {first}, die is er de hele dag.",
    "Ik ben {first}, de vriendin van {first}.",
    "Ik bel namens mijn moeder, mevrouw {Last}.",
    "Ik bel namens {org}, ik ben {first} {last}, de huismeester.",
    "{first} {last} hier, ik ben de beheerder van het complex.",
    "Ik ben de contactpersoon, {full}.",
    "Ja, {first} hier.",
    "{Last}, {first} {last}.",
    "{first}? Ja, {first} {last}.",
    "Is dit meneer {Last}?",
    "Spreek ik met mevrouw {Last}?",
    "Spreek ik met {full}?",
    "Ja, dat ben ik, {first}.",
    "Dan noteer ik {full}.",
    "Ik noteer even: {Last}.",
    "Dus dat is {first} {last}, klopt dat?",
    "Meneer {Last} van de VvE heeft gebeld.",
    "Ik word gebeld door {first} van {org}.",
    "Monteur {Last} zegt dat het een onderdeel is.",
    "De heer {Last} was hier {day} ook al.",
    "Collega {first} neemt het over.",
    "Ik zet het door naar {first} {last} van de planning.",
    "{first} van de klantenservice zei dat ik moest bellen.",
    "Ik heb {first} gesproken en {first} zei dat het goed kwam.",
    "Familie {Last}, {street} {num}.",
    "Ik heb {eh} met {full} gesproken, {eh} {day}.",
    "Bent u {first}? Nee, ik ben {first}.",
    "Mevrouw {Last} wil graag teruggebeld worden.",
    "Mijn naam is {Last}, {first} {Last}.",
    "Meneer {prof_surname} belde vanochtend.",
    "{prof_surname}, net als de {prof}.",
    "Dag {first}, met {first}.",
    "Hoi {first}, {eh} ik ben het weer.",
    "Ik ben {first} en ik woon in {city}.",
    "Mijn naam is {full} en ik woon in {hood}, in {city}.",
    "Met {first} uit {city}.",
    "Ik bel voor mijn vader, {first} {last}, hij woont in {city}.",
    "Meneer {Last}, ik heb u gevonden in het systeem.",
    "Mevrouw {Last}, u woont op de {street} {num}?",
    "{full}, {street} {num}.",
    "{first}, {eh} met wie spreek ik?",
    "Ik ben {first}, {eh} ik werk bij {org}.",
    "Ik heb een afspraak met monteur {first} op {day}.",
    "Zegt u het maar, meneer {Last}.",
    "Momentje mevrouw {Last}, ik kijk het even na.",
    "{Last} is de naam, {initials}.",
    "Dat heb ik met {first} {eh} van de planning afgesproken.",
]
LOCATION_TEMPLATES = [
    "Ik woon in {city}.",
    "Ik woon in {hood}.",
    "Ik woon in {hood} in {city}.",
    "Wij wonen in {city}, in {hood}.",
    "In {city}, ja.",
    "{city}.",
    "Dat is in {city}.",
    "Het adres is {street} {num} in {city}.",
    "{street} {num}, {city}.",
    "Ik woon aan de {street} {num} in {city}.",
    "Aan de {street} in {hood}.",
    "De {street} nummer {num}, in {city}.",
    "Ik zit in {city} en de monteur komt uit {city}.",
    "Heeft u ook een monteur in de buurt van {city}?",
    "Wij zitten in {hood}, dat is in {city}-{compass}.",
    "Het complex in {hood} heeft een centrale ketel.",
    "Alle woningen in {hood} hebben {org} ketels.",
    "Ik ben verhuisd van {city} naar {city}.",
    "Onze vestiging in {city} is gesloten.",
    "Het is een flat in {hood}, vierde verdieping.",
    "Ik sta bij het gebouw in {city} maar er is niemand.",
    "Postcode {pcode} in {city}.",
    "{pcode}, {city}.",
    "Het pand staat in {city}, aan de {street}.",
    "Ja, in {hood}.",
    "Wij zitten in het centrum van {city}.",
    "Mijn moeder woont in {city}, ik woon zelf in {city}.",
]
NEGATIVE_TEMPLATES = [
    "De ketel geeft storingscode {code}.",
    "Ik heb een {model} en die staat op {code}.",
    "Op het display staat {code}, {eh} of {code}.",
    "Kan de monteur {day} komen?",
    "De monteur komt {day} {time}.",
    "Kan het ook {day} in de middag?",
    "Is {day} de {date} {month} goed?",
    "Dat wordt dan {day} {date} {month}, {time}.",
    "De afspraak staat voor {day} {time}.",
    "De voorrijkosten zijn {amount}.",
    "Dat kost {amount}, exclusief btw.",
    "Ik heb een factuur van {amount} gekregen.",
    "Die {amount} heb ik al in {month} betaald.",
    "Ik heb geen warm water sinds {day}.",
    "De {prof} komt {day}.",
    "De {prof} heeft de sleutel.",
    "Ik heb de {prof} al gebeld.",
    "Mijn man is {prof}, die heeft er al naar gekeken.",
    "Is de {prof} al geweest?",
    "De {prof} zei dat het een lek is.",
    "Ik ben zelf {prof}, dus ik weet wel een beetje hoe het werkt.",
    "Moet ik de {prof} of de {prof} bellen?",
    "De {prof} en de {prof} komen allebei.",
    "De ketel is van {org} en het contract loopt via {org}.",
    "Ik ben klant bij {org}.",
    "Wij huren van {org}.",
    "{org} heeft ons naar u doorverwezen.",
    "Ik bel van {org}, de woningcorporatie.",
    "Het is een ketel van {org}, een {model}.",
    "Het zijn zonnepanelen van {org}.",
    "Goedemorgen, {org}, waarmee kan ik u helpen?",
    "Welkom bij {org}, u spreekt met de servicedesk.",
    "Meneer, ik kijk even in het systeem.",
    "Mevrouw, heeft u het klantnummer bij de hand?",
    "Ja meneer, dat begrijp ik.",
    "Nee mevrouw, dat klopt niet.",
    "Oké meneer, dan plan ik het in.",
    "Dank u wel mevrouw, fijne dag nog.",
    "Ja, dag meneer.",
    "Eh, ja, nou, de radiatoren worden niet warm.",
    "Nou, ja, oké, dan wacht ik wel.",
    "Ja, de druk is {eh} anderhalve bar.",
    "De lift staat stil op de derde verdieping.",
    "Het brandalarm gaat steeds af, ook 's nachts.",
    "De laadpaal geeft een rood lampje.",
    "De ventilatie maakt een raar geluid sinds {month}.",
    "Ik heb al drie keer gebeld en niemand komt.",
    "Kunt u mij een transcript van het gesprek sturen?",
    "Ik wil een klacht indienen over de service.",
    "Mijn telefoonnummer is {phone}.",
    "U kunt mij bereiken op {phone}.",
    "Het klantnummer is {cnum}.",
    "Mijn meldnummer is {cnum}, {eh} {cnum}.",
    "Heeft u een referentienummer? Ja, {cnum}.",
    "Tussen {time} en {time} ben ik thuis.",
    "Ik ben {day} en {day} niet thuis.",
    "Vanaf {date} {month} ben ik op vakantie.",
    "Eh, even kijken, {eh} het was in {month} of {month}.",
    "Heeft u de {model} al gereset?",
    "Zet de ketel uit en na {num} seconden weer aan.",
    "Oké, dan zet ik een nieuwe melding klaar.",
    "Ja precies, {eh} dat is het.",
    "Nee, de monteur is niet geweest.",
    "Wanneer komt de monteur dan?",
    "Ik hoor het even na bij de planning.",
    "Een ogenblikje, ik zet u even in de wacht.",
    "Ja, ik ben er weer, sorry voor het wachten.",
    "Het gaat om de {street}, niet om de {street}.",
    "Het is de {street}, nummer {num}.",
    "Dat is op de {street} {num}.",
    "Storing {code}, zei u?",
    "Nee, {code}, met een {letter}.",
]
# More person turns: every position an agent or caller says a name in, titles with a full
# stop, relations, lists of people, names repeated, nicknames and names that are words.
PERSON_TEMPLATES += [
    "Mijn naam is {first} {wlast}.",
    "Mijn naam is {wlast}, {wlast} met een {letter}.",
    "Mijn naam is {wfirst} {last}.",
    "Ik heet {first}.",
    "Ik heet {wfirst}, {eh} {wfirst} {last}.",
    "Ik ben {nick}, de buurman van mevrouw {Last}.",
    "U spreekt met {first} {wlast}, goedemorgen.",
    "U spreekt met {wlast}.",
    "Met {wlast}.",
    "Met {nick}.",
    "Met {first} {wlast} van de {street} {num}.",
    "Met {title} {Last}.",
    "Spreek ik met meneer {WLast}?",
    "Spreek ik met mevrouw {WLast}?",
    "Spreek ik met {first}?",
    "Spreek ik met de heer {Last}?",
    "Is dit het nummer van {full}?",
    "Ik zoek {title} {Last}, die zou hier werken.",
    "{title} {Last} heeft mij doorverwezen.",
    "Ik heb een brief van {title} {WLast} gekregen.",
    "De brief is gericht aan {title} {initials}.",
    "Het staat op naam van {title} {full}.",
    "Op naam van {first} {wlast}.",
    "Op naam van {wlast}.",
    "Op naam van mijn vrouw, {full}.",
    "Het contract staat op naam van {full} en {full}.",
    "Collega {first} belt u terug.",
    "Collega {wlast} heeft de melding aangemaakt.",
    "Mijn collega {first} {wlast} heeft dat genoteerd.",
    "Ik verbind u door met mijn collega {first}.",
    "Ik vraag het even aan {first}, {eh} mijn collega.",
    "Buurman {first} heeft een sleutel.",
    "Buurvrouw {nick} doet open als ik er niet ben.",
    "{rel} {first} is er morgen.",
    "{rel} {nick} kan de monteur binnenlaten.",
    "{rel}, {full}, belt u nog.",
    "{rel} heet {first}.",
    "Dat is {rel}, {first} {wlast}.",
    "Mijn zoon {first} woont in {city}.",
    "Mijn dochter {wfirst} is er vanmiddag.",
    "Mijn man {first} en mijn zoon {first} zijn dan thuis.",
    "De monteur {first} komt {day}.",
    "De monteur, {first} {wlast}, komt {day} {time}.",
    "Monteur {wlast} komt {day} langs.",
    "{first} en {pfirst} en {pfirst} wonen hier.",
    "We zijn met zijn drieën, ik, {first} en {pfirst}.",
    "{first}, {pfirst} en {pfirst} hebben allemaal geen warm water.",
    "Ik heb met {first} en met {pfirst} gesproken.",
    "Zowel meneer {Last} als mevrouw {WLast} hebben geklaagd.",
    "{full}? {eh} {full}, ja, ik noteer het.",
    "Dus {first} {wlast}. {wlast}, ja.",
    "{wlast}? {wlast}, met een {letter}?",
    "Meneer {WLast}, ik heb het genoteerd.",
    "Mevrouw {WLast}, ik zie uw melding.",
    "Dank u wel, meneer {WLast}.",
    "Fijne dag nog, mevrouw {WLast}.",
    "Oké {first}, dan spreken we {day} af.",
    "Goed {nick}, tot {day}.",
    "Hoi {nick}, met {first}.",
    "Dag {wfirst}, met {first} van {org}.",
    "Ik ben {first}, eh, {nick} zeggen ze.",
    "Ze noemen me {nick}.",
    "Zeg maar {nick}.",
    "{nick} van {org} zei dat het morgen kon.",
    "{first} van {org} heeft het ingepland.",
    "{first} van de receptie zei dat ik u moest bellen.",
    "Ik heb {first} gisteren gesproken.",
    "Volgens {first} was het al gerepareerd.",
    "{first} zei dat het een kwartier zou duren.",
    "Ik heb het met {first} {last} afgestemd.",
    "Meneer {Last} en zijn vrouw zijn niet thuis.",
    "Familie {WLast} woont op nummer {num}.",
    "De familie {Last} uit {city}.",
    "{Last}, {initials}.",
    "{initials}, {city}.",
    "{full}, {street} {num}, {city}.",
    "De naam is {wlast}, {spelled}.",
    "{wlast}, {spelled_alpha}.",
    "Achternaam {Last}, voornaam {first}.",
    "Voornaam {first}, achternaam {wlast}.",
    "Mijn voornaam is {first} en mijn achternaam {Last}.",
    "Mijn achternaam is {wlast}.",
    "Ik heb de melding gedaan voor {full}.",
    "Het gaat om mijn moeder, mevrouw {WLast}, zij is negentig.",
    "Ik bel voor {full}, zij kan zelf niet bellen.",
    "Ik ben de begeleider van {full}.",
    "Mijn cliënt, meneer {Last}, heeft geen verwarming.",
    "De huurder is {full}.",
    "De bewoner, {first} {wlast}, is niet thuis.",
    "De contactpersoon is {wlast}, {first} {wlast}.",
    "{greet}, {full} hier.",
    "{greet}, met {first}.",
    "{greet} {first}.",
    "{greet} meneer {WLast}.",
    "{greet} mevrouw {Last}, u spreekt met {first}.",
    "Ja, dat is {first}, mijn kleinzoon.",
    "{first} is mijn kleindochter, zij belt namens mij.",
    "Vraagt u maar naar {first} of naar {pfirst}.",
    "Mijn naam is {first} {last}, ik woon in {city}.",
    "Mijn naam is {first} {last} ik woon op de {street} {num}.",
    "Ik ben {first} {wlast} uit {city}.",
    "Met {full} uit {fcity}, ik bel over het huis van mijn moeder.",
    "Ik ben {first} en ik zit nu in {fcity}.",
]
LOCATION_TEMPLATES += [
    "Ik woon in {city}, {eh} vlak bij het station.",
    "Wij wonen in {village}.",
    "Het is in {village}, bij {city}.",
    "In {village}, dat valt onder {city}.",
    "Ik kom uit {city}.",
    "Ik kom uit {fcity}, maar ik woon nu in {city}.",
    "Ik zit nu in {fcity}, op vakantie.",
    "Ik ben op vakantie in {country}, in {fcity}.",
    "Mijn zoon woont in {fcity}.",
    "De monteur moest uit {city} komen.",
    "Kan er iemand uit {city} of {city} komen?",
    "Het gaat om de flat in {hood}.",
    "De woning in {hood}, {city}.",
    "Wij wonen in {city}-{compass}.",
    "In {bcity}, in België.",
    "Ik woon in {bcity}.",
    "Het is de {street} {num} in {village}.",
    "{street} {num} {pcode} {city}.",
    "{city} of {city}, dat weet ik niet precies.",
    "Ik woon tussen {city} en {city} in.",
    "De vestiging in {city} is dicht.",
    "Het pakket staat in {city}.",
]
NEGATIVE_TEMPLATES += [
    "{wsent}",
    "{wsent}",
    "{wsent}",
    "{wsent}",
    "{wsent} {wsent}",
    "{greet}, waarmee kan ik u helpen?",
    "{greet}.",
    "{greet}, ik heb een vraag over de factuur.",
    "Ik ben op vakantie in {country}.",
    "We gaan in {month} naar {country}.",
    "Ik bel vanuit {country}.",
    "Het onderdeel komt uit {country}.",
    "Ik heb een storing, {code}, al sinds {day}.",
    "Het is een {model}, die is van {snum} jaar geleden.",
    "Dat is {snum} euro voorrijkosten.",
    "Het duurt ongeveer {snum} minuten.",
    "De druk staat op {snum}.",
    "Ik heb {snum} radiatoren.",
    "Het is {snum} graden binnen.",
    "Nummer {snum}, de {snum} huizen aan deze kant.",
    "Kan de {prof} {day} of {day} komen?",
    "Stuurt u maar een {prof}.",
    "Er komt een {prof} van {org}.",
    "De monteur van {org} is geweest.",
    "{org}, {org} en {org} hebben allemaal al gekeken.",
    "Mijn installateur is {org}.",
    "Ik heb gebeld met {org} en met {org}.",
    "Meneer, mag ik uw postcode?",
    "Mevrouw, mag ik uw geboortedatum?",
    "Meneer of mevrouw, dat weet ik niet.",
    "Ja mevrouw.",
    "Nee meneer.",
    "Dank u wel meneer, fijne dag.",
    "Dank u wel mevrouw, tot ziens.",
    "Ik ben de buurman.",
    "Ik ben de buurvrouw van nummer {num}.",
    "Mijn zoon belt u terug.",
    "Mijn dochter is er {day}.",
    "Mijn man is er niet.",
    "Uw collega zou terugbellen.",
    "Een collega van u is geweest.",
    "De monteur komt {day} {time}.",
    "De huismeester heeft de sleutel.",
    "Het is een {model} met storing {code}.",
    "Storingscode {code}, en daarna {code}.",
    "In {month} is hij nog nagekeken, op {day} de {date}e.",
    "Op {day} {date} {month} om {time}.",
    "Tussen {time} en {time}, op {day}.",
    "Dat kost {amount}.",
    "Het factuurbedrag is {amount}.",
    "A van Anton, B van Bernard, dat is de postcode.",
    "Met een d van Dirk, aan het eind.",
    "Is dat met een p van Pieter?",
    "Nee, met een t van Teunis.",
]
SLOT_LABELS = {
    "first": "PER", "last": "PER", "Last": "PER", "full": "PER", "initials": "PER",
    "spelled": "PER", "spelled_alpha": "PER", "prof_surname": "PER", "nick": "PER",
    "wfirst": "PER", "wlast": "PER", "WLast": "PER", "pfirst": "PER",
    "city": "LOC", "hood": "LOC", "village": "LOC", "bcity": "LOC", "fcity": "LOC",
    "org": "ORG",
}
ALL_COMPANIES = COMPANIES + [c for c in names.COMPANIES_MORE if c not in COMPANIES]
ALL_NEIGHBOURHOODS = NEIGHBOURHOODS + names.NEIGHBOURHOODS_MORE


@dataclass(frozen=True)
class Names:
    """One invented person, reused within a turn so repeated slots can refer to them."""

    first: str
    last: str


class TurnGenerator:
    """Fill the templates with Faker values; one instance per split, seeded."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.faker = Faker("nl_NL")
        self.faker.seed_instance(seed)
        self.belgian = Faker("nl_BE")
        self.belgian.seed_instance(seed + 1)
        self.locales = list(names.NAME_LOCALES)
        self.locale_weights = list(names.NAME_LOCALES.values())
        self.fakers = {}
        for index, locale in enumerate(self.locales):
            self.fakers[locale] = Faker(locale)
            self.fakers[locale].seed_instance(seed + 10 + index)

    def person(self) -> Names:
        """A person of a random origin; some have a nickname or a name that is a Dutch word."""
        r = self.random
        draw = r.random()
        if draw < 0.08:
            last = r.choice(names.MAGHREB_PREFIX) + r.choice(names.MAGHREB_STEM)
            if last.startswith("Bou") and len(last) > 3 and last[3].isupper():
                last = "Bou" + last[3:].lower()
            if last.startswith("Ou") and len(last) > 2 and last[2].isupper():
                last = "Ou" + last[2:].lower()
            first = r.choice(names.MAGHREB_FIRST)
        elif draw < 0.11:
            first, last = r.choice(names.SURINAME_FIRST), r.choice(names.SURINAME_LAST)
        elif draw < 0.12:
            first = self.fakers["nl_NL"].first_name()
            last = r.choice(names.CHINESE_STYLE_LAST)
        else:
            faker = self.fakers[r.choices(self.locales, weights=self.locale_weights)[0]]
            first, last = faker.first_name(), faker.last_name()
        if r.random() < 0.12:
            last = r.choice(names.WORD_SURNAMES)
        roll = r.random()
        if roll < 0.07:
            first = r.choice(names.NICKNAMES)
        elif roll < 0.10:
            first = r.choice(names.WORD_FIRST)
        return Names(first=first, last=last)

    def capitalised(self, surname: str) -> str:
        """Surname as written after a title: "meneer De Vries", "mevrouw Van den Berg"."""
        return surname[:1].upper() + surname[1:]

    def spelled(self, surname: str) -> str:
        letters = [c.upper() for c in surname.replace(" ", "") if c.isalpha()]
        return self.random.choice(["-", ", ", " "]).join(letters)

    def spelled_alpha(self, surname: str) -> str:
        letters = [c.upper() for c in surname.replace(" ", "") if c.isalpha()][:6]
        return ", ".join(f"{c} van {SPELLING_ALPHABET.get(c, 'Anton')}" for c in letters)

    def initials(self, person: Names) -> str:
        count = self.random.choice([1, 1, 2, 3])
        letters = [self.random.choice("ABCDEFGHIJKLMNOPRSTWY") for _ in range(count)]
        joined = "".join(f"{letter}." for letter in letters)
        return f"{joined} {person.last}" if self.random.random() < 0.5 else (
            f"{joined} {self.capitalised(person.last)}"
        )

    def street(self) -> str:
        """A street name, a third of them named after an invented person ("Pieter Calandlaan")."""
        if self.random.random() < 0.66:
            return self.faker.street_name()
        person = self.person()
        suffix = self.random.choice(["straat", "laan", "weg", "plein", "kade", "singel", "hof"])
        if self.random.random() < 0.5:
            return f"{self.capitalised(person.last).replace(' ', '')}{suffix}"
        return f"{person.first} {self.capitalised(person.last)}{suffix}"

    def city(self) -> str:
        """A Dutch city, town or village; now and then a Belgian or a foreign one."""
        r = self.random
        draw = r.random()
        if draw < 0.35:
            return r.choice(BIG_CITIES)
        if draw < 0.65:
            return self.faker.city()
        if draw < 0.85:
            return r.choice(names.DUTCH_VILLAGES)
        if draw < 0.95:
            return self.belgian_city()
        return r.choice(names.FOREIGN_CITIES)

    def belgian_city(self) -> str:
        r = self.random
        return r.choice(names.BELGIAN_BIG) if r.random() < 0.4 else self.belgian.city()

    def value(self, slot: str, person: Names) -> str:
        """Return the text for one slot; PER slots read the current ``person``."""
        r = self.random
        if slot == "first":
            return person.first
        if slot == "last":
            return person.last
        if slot == "Last":
            return self.capitalised(person.last)
        if slot == "full":
            return f"{person.first} {person.last}"
        if slot == "initials":
            return self.initials(person)
        if slot == "spelled":
            return self.spelled(person.last)
        if slot == "spelled_alpha":
            return self.spelled_alpha(person.last)
        if slot == "nick":
            return r.choice(names.NICKNAMES)
        if slot == "wfirst":
            return r.choice(names.WORD_FIRST)
        if slot == "wlast":
            return r.choice(names.WORD_SURNAMES)
        if slot == "WLast":
            return self.capitalised(r.choice(names.WORD_SURNAMES))
        if slot == "pfirst":
            return self.person().first
        if slot == "title":
            return r.choice(names.TITLES_ABBR)
        if slot == "rel":
            return r.choice(names.RELATIONS)
        if slot == "village":
            return r.choice(names.DUTCH_VILLAGES) if r.random() < 0.6 else self.faker.city()
        if slot == "bcity":
            return self.belgian_city()
        if slot == "fcity":
            return r.choice(names.FOREIGN_CITIES)
        if slot == "country":
            return r.choice(names.COUNTRIES)
        if slot == "greet":
            return r.choice(names.GREETINGS)
        if slot == "wsent":
            return r.choice(names.WORD_SENTENCES)
        if slot == "snum":
            return r.choice(names.SPOKEN_NUMBERS)
        if slot == "prof_surname":
            return r.choice(PROFESSION_SURNAMES).replace("de ", "De ", 1)
        if slot == "city":
            return self.city()
        if slot == "hood":
            return r.choice(ALL_NEIGHBOURHOODS)
        if slot == "org":
            return r.choice(ALL_COMPANIES)
        if slot == "street":
            return self.street()
        if slot == "num":
            return r.choice([str(r.randint(1, 250)), f"{r.randint(1, 99)}{r.choice('abc')}",
                             f"{r.randint(1, 40)} {r.choice(['a', 'bis', 'zwart'])}"])
        if slot == "day":
            return r.choice(WEEKDAYS + ["morgen", "overmorgen", "vandaag", "volgende week"])
        if slot == "date":
            return str(r.randint(1, 31))
        if slot == "month":
            return r.choice(MONTHS)
        if slot == "time":
            return r.choice(TIMES)
        if slot == "amount":
            return r.choice(AMOUNTS)
        if slot == "code":
            return r.choice(ERROR_CODES)
        if slot == "model":
            return r.choice(MODELS)
        if slot == "prof":
            return r.choice(PROFESSIONS)
        if slot == "letter":
            return r.choice(["s", "d", "t", "ij", "y", "c", "k", "dubbel e", "z"])
        if slot == "compass":
            return r.choice(["Noord", "Zuid", "Oost", "West", "Centrum"])
        if slot == "eh":
            return r.choice(FILLERS) if r.random() < 0.35 else ""
        if slot == "pcode":
            digits = r.randint(1000, 9999)
            return f"{digits} {r.choice('ABCDEGHJKLMNPRST')}{r.choice('ABCDEGHJKLMNPRSTVWXZ')}"
        if slot == "phone":
            return r.choice([
                "06 " + " ".join(str(r.randint(10, 99)) for _ in range(4)),
                f"0{r.randint(10, 79)}-{r.randint(1000000, 9999999)}",
            ])
        if slot == "cnum":
            return r.choice([str(r.randint(100000, 9999999)), f"M{r.randint(100000, 999999)}"])
        raise ValueError(f"unknown template slot {slot!r}; add it to TurnGenerator.value")

    def fill(self, template: str) -> tuple[str, list[tuple[int, int, str]]]:
        """Fill one template; return the text and its (start, end, label) entity spans.

        A new person is drawn before a name slot with probability 0.3, so a turn can name
        several people; adjacent PER slots ("{first} {last}") become one span.
        """
        r = self.random
        person = self.person()
        pieces = re.split(r"\{(\w+)\}", template)
        text = ""
        spans: list[tuple[int, int, str]] = []
        skip_space = False
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                if skip_space and piece.startswith(" "):
                    piece = piece[1:]
                text += piece
                skip_space = False
                continue
            if r.random() < 0.3 and piece in ("first", "last", "Last", "full"):
                person = self.person()
            value = self.value(piece, person)
            label = SLOT_LABELS.get(piece)
            if not value:
                skip_space = True
                continue
            if label == "PER" and r.random() < 0.1 and value not in PROFESSION_SURNAMES:
                value = value.lower()
            elif label == "LOC" and r.random() < 0.08:
                value = value.lower()
            if not text and value[:1].islower() and label is None:
                value = value[:1].upper() + value[1:]
            if label is not None:
                previous = spans[-1] if spans else None
                joins_previous = (
                    previous is not None
                    and previous[2] == label == "PER"
                    and previous[1] + 1 == len(text)
                    and text.endswith(" ")
                )
                if joins_previous:
                    spans[-1] = (previous[0], len(text) + len(value), label)
                else:
                    spans.append((len(text), len(text) + len(value), label))
            text += value
        return self.dress(text, spans, starts_with_slot=not pieces[0])

    def dress(
        self, text: str, spans: list[tuple[int, int, str]], starts_with_slot: bool
    ) -> tuple[str, list[tuple[int, int, str]]]:
        """Add spoken-style openers and closers, sometimes lower-case or drop the final stop."""
        r = self.random
        opener = r.choice(OPENERS)
        if opener and not starts_with_slot:
            text = text[:1].lower() + text[1:]
        spans = [(start + len(opener), end + len(opener), label) for start, end, label in spans]
        text = opener + text + r.choice(CLOSERS)
        if r.random() < 0.05 and len(text.lower()) == len(text):
            text = text.lower()
        if r.random() < 0.1 and text.endswith("."):
            text = text[:-1]
        return text, spans

    def turn(self) -> tuple[str, list[tuple[int, int, str]]]:
        """One turn: a person, location or negative template, sometimes two joined."""
        r = self.random
        group = r.choices(
            [PERSON_TEMPLATES, LOCATION_TEMPLATES, NEGATIVE_TEMPLATES], weights=[0.5, 0.2, 0.3]
        )[0]
        text, spans = self.fill(r.choice(group))
        if r.random() < 0.3:
            second, second_spans = self.fill(r.choice(NEGATIVE_TEMPLATES + PERSON_TEMPLATES))
            offset = len(text) + 1
            text = f"{text} {second}"
            spans += [(start + offset, end + offset, label) for start, end, label in second_spans]
        return text, spans


def synthetic_docs(nlp: spacy.language.Language, count: int, seed: int) -> list[Doc]:
    """Generate ``count`` labelled synthetic turns, each as two Docs in a row.

    The first is the turn as written (or, for ``LOWER_PUNCTUATED_SHARE`` of turns, lower case
    with its punctuation), the second its speech-recogniser form. A turn whose spans do not
    fall on token boundaries in either form is dropped.
    """
    generator = TurnGenerator(seed)
    docs: list[Doc] = []
    while len(docs) < 2 * count:
        text, spans = generator.turn()
        if generator.random.random() < LOWER_PUNCTUATED_SHARE:
            text, spans = lower_variant(text, spans)
        first = labelled_doc(nlp, text, spans, strict=True)
        second = labelled_doc(nlp, *asr_variant(text, spans), strict=True)
        if first is None or second is None:
            continue
        docs += [first, second]
    return docs


def build(europeana: Path, out: Path, synthetic_train: int, synthetic_dev: int) -> dict[str, int]:
    """Write train.spacy and dev.spacy; return document counts per part."""
    nlp = spacy.blank("nl")
    sentences = read_europeana(europeana)
    random.Random(SEED).shuffle(sentences)
    dev_size = int(len(sentences) * EUROPEANA_DEV_FRACTION)
    europeana_dev = europeana_docs(nlp, sentences[:dev_size], SEED + 2)
    europeana_train = europeana_docs(nlp, sentences[dev_size:], SEED + 3)
    synthetic_train_docs = synthetic_docs(nlp, synthetic_train, SEED)
    synthetic_dev_docs = synthetic_docs(nlp, synthetic_dev, SEED + 1)
    synthetic_dev_asr = synthetic_dev_docs[1::2]
    train = europeana_train + synthetic_train_docs
    dev = europeana_dev + synthetic_dev_docs
    random.Random(SEED).shuffle(train)
    out.mkdir(parents=True, exist_ok=True)
    DocBin(docs=train, store_user_data=False).to_disk(out / "train.spacy")
    DocBin(docs=dev, store_user_data=False).to_disk(out / "dev.spacy")
    DocBin(docs=synthetic_dev_docs, store_user_data=False).to_disk(out / "dev_synthetic.spacy")
    DocBin(docs=synthetic_dev_asr, store_user_data=False).to_disk(
        out / "dev_synthetic_asr.spacy"
    )
    DocBin(docs=europeana_dev, store_user_data=False).to_disk(out / "dev_europeana.spacy")
    return {
        "europeana_train": len(europeana_train),
        "europeana_dev": len(europeana_dev),
        "synthetic_train": len(synthetic_train_docs),
        "synthetic_dev": len(synthetic_dev_docs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--europeana", type=Path, default=DEFAULT_EUROPEANA,
                        help="path to enp_NL.kb.bio (read in place, never copied)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder for .spacy files")
    parser.add_argument("--synthetic-train", type=int, default=SYNTHETIC_TRAIN,
                        help="synthetic training turns")
    parser.add_argument("--synthetic-dev", type=int, default=SYNTHETIC_DEV,
                        help="synthetic dev turns")
    args = parser.parse_args()
    counts = build(args.europeana, args.out, args.synthetic_train, args.synthetic_dev)
    for part, count in counts.items():
        print(f"{part}: {count} docs")


if __name__ == "__main__":
    main()
