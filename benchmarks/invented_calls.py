"""Invented annotated calls: a third measuring set, written from our own templates and Faker's
name and place lists, in every dictation style the redactor must read.

Neither dev set is read here; the sentences are ours. Each call is a handful of turns of a caller
and an agent with gold spans in the format of ``../shared/eval/*/dialogues.jsonl`` (the scorer and
``benchmarks/asr_style.py`` take it as they take the dev sets). Same seed, same calls.

Usage: python benchmarks/invented_calls.py OUT.jsonl [--calls 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from faker import Faker
from num2words import num2words

LOCALES = ("nl_NL", "nl_BE", "fr_BE", "de_DE", "tr_TR", "pl_PL", "en_GB", "es_ES", "it_IT", "id_ID")
# Romanised first names and surnames of Moroccan-Dutch and other callers (Faker's ar_* locales
# write Arabic script): common names, our own list.
OWN_FIRST = ["Mohammed", "Fatima", "Youssef", "Khadija", "Hamza", "Samira", "Bilal", "Naima", "Ayoub", "Soufiane",
             "Imane", "Rachid", "Nadia", "Karim", "Latifa", "Anouar", "Priya", "Ravi", "Mei", "Kwame", "Aziz"]
OWN_LAST = ["El Yousfi", "Ziani", "Ait Taleb", "El Khatib", "Benali", "Ouazzani", "Chakir", "Azzouzi",
            "Debipersad", "Sewdien", "Lie A Kwie", "Agyekum", "Nguyen"]
# Surnames and first names that are also ordinary Dutch words: names only in a name position.
WORD_NAMES = ["Storm", "Zomer", "Winter", "Roos", "Lindeboom", "Visser", "Bakker", "de Jong", "Vos", "de Wit",
              "Koster", "Smit", "Mulder", "Kok", "de Boer", "Bos", "Brouwer", "Groen", "de Haan", "Vink", "Mol",
              "Vogel", "Dekker", "Schilder", "Timmerman", "de Koning", "Hoek", "Kuiper", "Meijer", "Prins"]
NICKNAMES = ["Sjaak", "Joop", "Mies", "Truus", "Kees", "Henk", "Ria", "Bas", "Wim", "Ineke", "Bram", "Loes"]
STREET_TYPES = ["straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "dreef", "hof", "pad", "steeg"]
STREET_HEADS = ["Kastanje", "Merel", "Beuken", "Vlinder", "Molen", "Kerk", "School", "Zuider", "Lange Nieuw",
                "Korte Brug", "Willem Dreeslaan", "Van der Pek", "Burgemeester de Wit", "Eiken", "Zwaluw", "Haven"]
BANKS = ["ABNA", "RABO", "INGB", "TRIO", "SNSB", "ASNB", "KNAB", "BUNQ"]
SPELLING = {"A": "Anton", "B": "Bernard", "C": "Cornelis", "D": "Dirk", "E": "Eduard", "F": "Ferdinand", "G": "Gerard",
            "H": "Hendrik", "I": "Izaak", "J": "Jan", "K": "Karel", "L": "Lodewijk", "M": "Maria", "N": "Nico",
            "O": "Otto", "P": "Pieter", "Q": "Quirinus", "R": "Rudolf", "S": "Simon", "T": "Teunis", "U": "Utrecht",
            "V": "Victor", "W": "Willem", "X": "Xantippe", "Y": "Ypsilon", "Z": "Zaandam"}
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]
DOMAINS = ["gmail.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com", "live.nl", "planet.nl", "xs4all.nl"]
# Turns without personal data that look like it: times, prices, codes, models, brands, professions.
DISTRACTORS = [
    "De monteur komt donderdag tussen acht en twaalf.", "Dat kost negenentachtig euro vijftig.",
    "Er staat storingscode E119 op het display.", "Het is een Remeha Calenta 25, denk ik.",
    "Ik heb al twee keer gebeld, dat was om half tien.", "De bakker op de hoek heeft het ook gezien.",
    "De storm van vorige week heeft de kap beschadigd.", "In de zomer hebben we er geen last van.",
    "De ketel is uit 2014 en hij draait op 1,5 bar.", "Mijn contract bij TBI Direct loopt nog drie jaar.",
    "Ik heb er vijftien minuten op gewacht.", "Zet u de thermostaat maar op twintig graden.",
    "Het gaat om de lift op de derde verdieping.", "De Nefit geeft foutcode F4 en dan valt hij uit.",
]


class CallWriter:
    """Builds the turns of one call and records gold spans with their offsets."""

    def __init__(self, call_id: str):
        self.call = {"id": call_id, "scenario": "invented", "turns": [], "pii": []}

    def turn(self, speaker: str, *parts) -> None:
        """A turn from plain strings and ``(type, text)`` pairs (the pairs are gold spans)."""
        text = ""
        for part in parts:
            if isinstance(part, tuple):
                kind, value = part
                self.call["pii"].append({"turn": len(self.call["turns"]), "start": len(text),
                                         "end": len(text) + len(value), "type": kind, "text": value})
                text += value
            else:
                text += part
        self.call["turns"].append({"speaker": speaker, "text": text})


def words(number: int) -> str:
    return num2words(number, lang="nl")


def digit_words(digits: str) -> str:
    return " ".join(words(int(d)) for d in digits)


def pair_words(digits: str) -> str:
    """Digits said two by two ("34" → "vierendertig", "06" → "nul zes")."""
    out = []
    for i in range(0, len(digits), 2):
        pair = digits[i : i + 2]
        out.append(digit_words(pair) if pair[0] == "0" or len(pair) == 1 else words(int(pair)))
    return ", ".join(out)


class Inventor:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fakers = [Faker(locale) for locale in LOCALES]
        for i, faker in enumerate(self.fakers):
            faker.seed_instance(seed + i)
        self.towns = Faker("nl_NL")
        self.towns.seed_instance(seed)

    def first(self) -> str:
        if self.rng.random() < 0.2:
            return self.rng.choice(OWN_FIRST + NICKNAMES)
        return self.rng.choice(self.fakers).first_name()

    def last(self) -> str:
        r = self.rng.random()
        if r < 0.15:
            return self.rng.choice(WORD_NAMES)
        if r < 0.25:
            return self.rng.choice(OWN_LAST)
        return self.rng.choice(self.fakers).last_name()

    def phone(self) -> str:
        rng = self.rng
        style = rng.randrange(5)
        if style == 4:
            country = rng.choice([("32", "4" + "".join(str(rng.randrange(10)) for _ in range(8)), "twee en dertig"),
                                  ("599", "9" + "".join(str(rng.randrange(10)) for _ in range(6)), "vijf negen negen")])
            return f"plus {country[2]}, {digit_words(country[1])}" if rng.random() < 0.5 else f"+{country[0]} {country[1]}"
        number = "06" + "".join(str(rng.randrange(10)) for _ in range(8))
        if style == 0:
            return f"{number[:2]} {number[2:4]} {number[4:6]} {number[6:8]} {number[8:]}"
        if style == 1:
            return f"{number[:2]}-{number[2:]}"
        if style == 2:
            return pair_words(number)
        return digit_words(number)

    def postcode(self) -> str:
        rng = self.rng
        digits = str(rng.randrange(1000, 10000))
        letters = rng.choice("ABCEGHJKLMNPRSTVWXZ") + rng.choice("ABCEGHJKLMNPRSTVWXZ")
        style = rng.randrange(5)
        if style == 0:
            return f"{digits} {letters}"
        if style == 1:
            return f"{digits}{letters.lower()}"
        if style == 2:
            return f"{digit_words(digits)}, {letters[0]} {letters[1]}"
        if style == 3:
            return f"{pair_words(digits)}, {letters[0]} van {SPELLING[letters[0]]}, {letters[1]} van {SPELLING[letters[1]]}"
        return f"{' '.join(digits)} {letters}"

    def iban(self) -> str:
        rng = self.rng
        bank = rng.choice(BANKS)
        account = "".join(str(rng.randrange(10)) for _ in range(10))
        digits = "".join(str(int(ch, 36)) for ch in bank + account + "NL00")
        compact = f"NL{98 - int(digits) % 97:02d}{bank}{account}"
        style = rng.randrange(3)
        if style == 0:
            return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
        if style == 1:
            return f"N L {words(int(compact[2:4]))}, {' '.join(bank)}, {digit_words(account)}"
        return f"NL{compact[2:4]} {bank.lower()} {account[:4]} {account[4:8]} {account[8:]}"

    def bsn(self) -> str:
        while True:
            digits = [self.rng.randrange(10) for _ in range(8)]
            total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2)))
            last = total % 11
            if last < 10 and digits[0] != 0:
                number = "".join(map(str, digits)) + str(last)
                return number if self.rng.random() < 0.5 else digit_words(number)

    def birth(self) -> str:
        rng = self.rng
        day, month, year = rng.randrange(1, 29), rng.randrange(1, 13), rng.randrange(1935, 2005)
        style = rng.randrange(5)
        if style == 0:
            return f"{day} {MONTHS[month - 1]} {year}"
        if style == 1:
            return f"{words(day)} {MONTHS[month - 1]} {words(year)}"
        if style == 2:
            return f"de {num2words(day, lang='nl', to='ordinal')} van de {num2words(month, lang='nl', to='ordinal')}, {words(year % 100)}"
        if style == 3:
            return f"{day:02d}-{month:02d}-{year}"
        return f"{words(day)} {words(month)} {words(year % 100)}"

    def street(self) -> str:
        rng = self.rng
        head = rng.choice(STREET_HEADS)
        name = head if head.endswith("laan") else head + rng.choice(STREET_TYPES)
        number = rng.randrange(1, 300)
        addition = rng.choice(["", "", "a", " b", "-2", " huis", " drie hoog", " zwart", " bis", " bus 3"])
        said = str(number) if rng.random() < 0.7 else words(number)
        return f"{name} {said}{addition}"

    def plate(self) -> str:
        rng = self.rng
        letters = "".join(rng.choice("BDFGHJKLNPRSTVXZ") for _ in range(3))
        digits = f"{rng.randrange(10, 100)}"
        shape = rng.randrange(3)
        if shape == 0:
            return f"{digits}-{letters}-{rng.randrange(1, 10)}"
        three = f"{rng.randrange(100, 1000)}"
        if shape == 1:  # sidecode 8, XX-999-X, spelled
            return (f"{letters[0]} van {SPELLING[letters[0]]}, {letters[1]} van {SPELLING[letters[1]]}, "
                    f"{digit_words(three)}, {letters[2]}")
        return f"{letters[0].lower()} {three} {letters[1:].lower()}"  # sidecode 9, X-999-XX

    def customer_id(self) -> str:
        rng = self.rng
        number = "".join(str(rng.randrange(10)) for _ in range(rng.randrange(6, 9)))
        style = rng.randrange(3)
        if style == 0:
            return number
        if style == 1:
            return f"{rng.choice(['KL', 'CT', 'M', 'TBI'])} {number[:3]} {number[3:]}"
        return f"{rng.choice(['k', 'c', 'm'])} {digit_words(number)}"

    def email(self, first: str, last: str) -> str:
        rng = self.rng
        local = f"{first}.{last}".lower().replace(" ", "")
        domain = rng.choice(DOMAINS)
        style = rng.randrange(3)
        if style == 0:
            return f"{local}@{domain}"
        if style == 1:
            name, tld = domain.rsplit(".", 1)
            return f"{first.lower()} punt {last.lower()} apenstaartje {name} punt {tld}"
        name, tld = domain.rsplit(".", 1)
        return f"{' '.join(first.lower()[:4])}, aan elkaar, apenstaartje {name} punt {tld}"


def invent_call(inventor: Inventor, index: int) -> dict:
    rng = inventor.rng
    writer = CallWriter(f"inv-{index:03d}")
    agent, first, last = inventor.first(), inventor.first(), inventor.last()
    writer.turn("agent", "Goedemiddag, u spreekt met ", ("PERSON", agent), " van TBI Direct.")
    intro = rng.choice(["Ja, met ", "Goedemiddag, mijn naam is ", "Hallo, u spreekt met mevrouw ", "Met meneer "])
    full = f"{first} {last}" if "meneer" not in intro and "mevrouw" not in intro else last
    writer.turn("klant", intro, ("PERSON", full), ". " + rng.choice(DISTRACTORS))
    slots = rng.sample(["phone", "postcode", "iban", "bsn", "birth", "street", "plate", "customer", "email",
                        "passing", "town"], 5)
    for slot in slots:
        if slot == "phone":
            writer.turn("agent", "Op welk nummer kan de monteur u bereiken?")
            writer.turn("klant", "Eh, dat is ", ("PHONE_NUMBER", inventor.phone()), ".")
        elif slot == "postcode":
            writer.turn("agent", "En uw postcode?")
            writer.turn("klant", ("POSTCODE", inventor.postcode()), ".")
        elif slot == "iban":
            writer.turn("agent", "Op welk rekeningnummer wilt u het terug?")
            writer.turn("klant", "Dat is ", ("IBAN", inventor.iban()), ".")
        elif slot == "bsn":
            writer.turn("agent", "Ik heb ook uw burgerservicenummer nodig.")
            writer.turn("klant", "Dat is ", ("BSN", inventor.bsn()), ".")
        elif slot == "birth":
            writer.turn("agent", "Wat is uw geboortedatum?")
            writer.turn("klant", ("DATE_OF_BIRTH", inventor.birth()), ".")
        elif slot == "street":
            writer.turn("agent", "Op welk adres is de storing?")
            writer.turn("klant", "Op de ", ("ADDRESS", inventor.street()), ", in ", ("LOCATION", inventor.towns.city()), ".")
        elif slot == "plate":
            writer.turn("agent", "Wat is het kenteken van de auto die bij de laadpaal staat?")
            writer.turn("klant", "Het kenteken is ", ("LICENSE_PLATE", inventor.plate()), ".")
        elif slot == "customer":
            writer.turn("agent", "Heeft u uw klantnummer bij de hand?")
            writer.turn("klant", "Ja, het is ", ("CUSTOMER_ID", inventor.customer_id()), ".")
        elif slot == "email":
            writer.turn("agent", "Naar welk e-mailadres mogen we de bevestiging sturen?")
            writer.turn("klant", ("EMAIL_ADDRESS", inventor.email(inventor.first(), inventor.last())), ".")
        elif slot == "passing":
            who = rng.choice(["mijn buurman", "mijn collega", "mijn dochter", "de huismeester", "mijn zoon"])
            writer.turn("klant", f"Ik heb {who} ", ("PERSON", inventor.first()), " al gevraagd om te kijken.")
        elif slot == "town":
            writer.turn("klant", "Ik woon zelf in ", ("LOCATION", inventor.towns.city()), ", maar de woning is van mijn moeder.")
        if rng.random() < 0.4:
            writer.turn("agent", rng.choice(DISTRACTORS))
    writer.turn("agent", "Dank u wel, ", ("PERSON", last if rng.random() < 0.5 else first), ". Fijne dag nog.")
    return writer.call


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    inventor = Inventor(args.seed)
    with args.out.open("w", encoding="utf-8") as out:
        for i in range(args.calls):
            out.write(json.dumps(invent_call(inventor, i), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
