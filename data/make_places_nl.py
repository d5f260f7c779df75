"""Write the place gazetteer of ``redaction_rules/``: Dutch and Belgian towns and villages (Faker's
nl_NL and nl_BE city lists), a few common short forms ("Den Haag", "Den Bosch") and the larger
neighbourhoods and districts of Dutch and Flemish cities (``NEIGHBOURHOODS`` below) and foreign cities where
callers are (``FOREIGN_PLACES``). Place names are
public geography, not personal data.

Four files, one entry a line, lower case:

- ``places_nl.txt``: every place (provinces and regions of ``countries_nl.txt`` left out).
- ``places_ambiguous_nl.txt``: places that are also ordinary Dutch words (the spaCy lookup table,
  ``ordinary_words_nl.txt``) or people's names ("best",
  "hoorn", "putten", "heino", "ede"): found in lower-case text only after a place word ("in",
  "uit", "te", "woon in"), or with a capital inside a sentence.
- ``places_capital_only_nl.txt``: places that are function words or very frequent words ("een",
  "heel", "meer", "la"): found only with a capital inside a sentence.

- ``street_given_names_nl.txt``: first names (Faker nl_NL) that streets are named after, read as
  part of a street name before a street word in lower-case text.

A name with a leading "'s"/"'t" is written without the apostrophe ("s-hertogenbosch", "t harde");
the recognizer reads words the same way.

Usage: .venv/bin/python data/make_places_nl.py   (needs faker, spaCy and nlp_models/nl_callscribe)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import spacy
from faker.providers.address.nl_BE import Provider as BelgianAddresses
from faker.providers.address.nl_NL import Provider as DutchAddresses
from faker.providers.person.nl_NL import Provider as DutchNames

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from callscribe.pipeline.redaction.lexicon import lexicon, load_word_list  # noqa: E402

RULES = REPO / "redaction_rules"

# Names people use instead of the official one.
EXTRA_PLACES = (
    "Den Haag", "Den Bosch", "Haarlemmermeer", "Zaanstad", "Súdwest-Fryslân", "Westland", "Voorne aan Zee",
    "Brussel", "Bruxelles", "Antwerpen", "Gent", "Brugge", "Leuven", "Mechelen", "Hasselt", "Kortrijk", "Oostende",
    "Sint-Niklaas", "Aalst", "Genk", "Roeselare", "Willemstad", "Kralendijk", "Oranjestad", "Philipsburg",
    "Paramaribo",
)
# Larger neighbourhoods and districts of Dutch and Flemish cities (public geography).
NEIGHBOURHOODS = (
    # Amsterdam
    "Jordaan", "Grachtengordel", "De Pijp", "Oud-West", "Oud-Zuid", "Nieuw-West", "Zuidoost", "Bijlmer",
    "Bijlmermeer", "Osdorp", "Slotervaart", "Slotermeer", "Geuzenveld", "Bos en Lommer", "De Baarsjes",
    "Westerpark", "Spaarndammerbuurt", "Indische Buurt", "Dapperbuurt", "Oosterparkbuurt", "Transvaalbuurt",
    "Watergraafsmeer", "IJburg", "Zeeburg", "Buitenveldert", "Rivierenbuurt", "Zuidas", "Overtoomse Veld",
    "Nieuwendam", "Buiksloot", "Tuindorp Oostzaan", "Banne Buiksloot", "Kadoelen", "Holendrecht", "Gaasperdam",
    "Reigersbos", "Venserpolder", "Ganzenhoef", "Kraaiennest", "Driemond", "Sloten", "Betondorp", "Frankendael",
    "Middenmeer", "Staatsliedenbuurt", "Kinkerbuurt", "Vondelbuurt", "Concertgebouwbuurt", "Apollobuurt",
    "Stadionbuurt", "Scheldebuurt", "Oostelijke Eilanden", "Kattenburg", "Wittenburg",
    # Rotterdam
    "Kralingen", "Crooswijk", "Delfshaven", "Spangen", "Tussendijken", "Bospolder", "Oud-Mathenesse", "Blijdorp",
    "Bergpolder", "Liskwartier", "Hillegersberg", "Schiebroek", "Ommoord", "Zevenkamp", "Prins Alexander",
    "Nesselande", "Het Lage Land", "Oosterflank", "Feijenoord", "Afrikaanderwijk", "Bloemhof", "Hillesluis",
    "Katendrecht", "Kop van Zuid", "Tarwewijk", "Carnisse", "Charlois", "Pendrecht", "Zuidwijk", "Lombardijen",
    "IJsselmonde", "Groot-IJsselmonde", "Beverwaard", "Hoogvliet", "Pernis", "Overschie", "Oude Westen",
    "Stadsdriehoek", "Noordereiland", "Agniesebuurt", "Provenierswijk", "Oude Noorden", "Vreewijk", "Heijplaat",
    "Rozenburg", "Middelland", "Nieuwe Westen",
    # Den Haag
    "Schilderswijk", "Transvaal", "Moerwijk", "Laakkwartier", "Escamp", "Bouwlust", "Vrederust", "Morgenstond",
    "Leyenburg", "Oostbroek", "Ypenburg", "Leidschenveen", "Wateringse Veld", "Loosduinen", "Kijkduin",
    "Scheveningen", "Duindorp", "Statenkwartier", "Duinoord", "Zeeheldenkwartier", "Archipelbuurt",
    "Bezuidenhout", "Mariahoeve", "Benoordenhout", "Regentessekwartier", "Valkenboskwartier", "Bomenbuurt",
    "Bloemenbuurt", "Vogelwijk", "Segbroek", "Waldeck", "Houtwijk", "Spoorwijk",
    # Utrecht
    "Kanaleneiland", "Overvecht", "Lombok", "Zuilen", "Ondiep", "Oog in Al", "Leidsche Rijn", "Vleuten",
    "De Meern", "Terwijde", "Vleuterweide", "Hoograven", "Lunetten", "Tuindorp", "Wittevrouwen", "Tuinwijk",
    "Votulast", "Rivierenwijk", "Dichterswijk", "Transwijk", "Oudwijk", "Voordorp", "Hoge Weide", "Rijnsweerd",
    "Oosterspoorbuurt", "Pijlsweerd", "Vogelenbuurt", "Zeeheldenbuurt", "Halve Maan", "Queeckhoven",
    # Eindhoven, Tilburg, Breda, Den Bosch, Helmond
    "Woensel", "Strijp", "Stratum", "Gestel", "Tongelre", "Meerhoven", "Achtse Barrier", "Vaartbroek",
    "Doornakkers", "Woenselse Heide", "Reeshof", "Berkel-Enschot", "Groenewoud", "Stokhasselt", "Quirijnstok",
    "Haagse Beemden", "Hoge Vucht", "Princenhage", "Ginneken", "Heuvelkwartier", "Tuinzigt", "Brabantpark",
    "Belcrum", "Teteringen", "Kruiskamp", "Rosmalen", "Empel", "Graafsewijk", "Hintham", "Maaspoort",
    "Boschveld", "Paleiskwartier", "Brandevoort", "Brouwhuis", "Rijpelberg", "Stiphout", "Mierlo-Hout",
    # Groningen, Leeuwarden, Zwolle, Enschede, Deventer, Emmen
    "Lewenborg", "Beijum", "Selwerd", "Paddepoel", "Vinkhuizen", "Hoogkerk", "Oosterparkwijk", "Korrewegwijk",
    "Corpus den Hoorn", "Helpman", "Hoornse Meer", "Meerstad", "Oosterpoort", "Herewegbuurt", "Bilgaard",
    "Heechterp", "Schieringen", "Vrijheidswijk", "Camminghaburen", "Zuiderburen", "Huizum", "Stadshagen",
    "Holtenbroek", "Aa-landen", "Assendorp", "Diezerpoort", "Berkum", "Westenholte", "Kamperpoort", "Wipstrik",
    "Ittersum", "Marslanden", "Velve-Lindenhof", "Wesselerbrink", "Stroinkslanden", "Helmerhoek", "Deppenbroek",
    "Pathmos", "Twekkelerveld", "Roombeek", "Mekkelholt", "Glanerbrug", "Keizerslanden", "Colmschate",
    "Angelslo", "Emmerhout", "Bargeres",
    # Arnhem, Nijmegen, Apeldoorn, Amersfoort
    "Presikhaaf", "Malburgen", "Klarendal", "Geitenkamp", "Spijkerkwartier", "Rijkerswoerd", "Elderveld",
    "Schuytgraaf", "Kronenburg", "Schaarsbergen", "Burgemeesterswijk", "Dukenburg", "Lindenholt", "Hatert",
    "Bottendaal", "Brakkenstein", "Heyendaal", "Wolfskuil", "Neerbosch-Oost", "Grootstal", "Meijhorst", "Tolhuis",
    "Osseveld", "Woudhuis", "Zuidbroek", "Kerschoten", "Sprenkelaar", "Vathorst", "Kattenbroek", "Nieuwland",
    "Schothorst", "Soesterkwartier", "Zielhorst", "Liendert", "Schuilenburg", "Hooglanderveen", "Randenbroek",
    "Leusderkwartier", "Bergkwartier",
    # Haarlem, Leiden, Delft, Zoetermeer, Dordrecht, Alkmaar, Zaanstad, Almere, Lelystad, Amstelveen
    "Schalkwijk", "Delftwijk", "Boerhaavewijk", "Meerwijk", "Europawijk", "Garenkokerskwartier", "Kleverpark",
    "Rozenprieel", "Merenwijk", "Stevenshof", "Roomburg", "Tanthof", "Voorhof", "Buitenhof", "Wippolder",
    "Meerzicht", "Seghwaert", "Rokkeveen", "Oosterheem", "Buytenwegh", "Crabbehof", "Wielwijk", "Sterrenburg",
    "Dubbeldam", "Krispijn", "Oudorp", "Overdie", "Huiswaarde", "Daalmeer", "Poelenburg", "Kogerveld",
    "Peldersveld", "Almere Haven", "Almere Stad", "Almere Buiten", "Almere Poort", "Almere Hout", "Almere Pampus",
    "Muziekwijk", "Filmwijk", "Stedenwijk", "Literatuurwijk", "Danswijk", "Kruidenwijk", "Noorderplassen",
    "Regenboogbuurt", "Verzetswijk", "Staatsliedenwijk", "Atolwijk", "Boswijk", "Zuiderzeewijk", "Middenhoven",
    "Bankras", "Elsrijk", "Keizer Karelpark", "Schollevaar", "Oostgaarde", "Groenoord", "Weidevenne",
    "Kerkelanden", "Blerick", "Heerlerheide", "Hoensbroek", "Meezenbroek",
    # Maastricht
    "Wyck", "Jekerkwartier", "Amby", "Malberg", "Caberg", "Pottenberg", "Daalhof", "Wittevrouwenveld", "Nazareth",
    "Wolder", "Scharn", "Randwyck", "Heugem", "Mariaberg", "Boschpoort", "Brusselsepoort",
    # Antwerpen, Gent, Brussel
    "Borgerhout", "Deurne", "Merksem", "Hoboken", "Wilrijk", "Berchem", "Ekeren", "Berendrecht", "Zandvliet",
    "Linkeroever", "Zurenborg", "Ledeberg", "Gentbrugge", "Sint-Amandsberg", "Oostakker", "Wondelgem",
    "Mariakerke", "Drongen", "Zwijnaarde", "Brugse Poort", "Rabot", "Dampoort", "Anderlecht", "Molenbeek",
    "Sint-Jans-Molenbeek", "Schaarbeek", "Schaerbeek", "Elsene", "Etterbeek", "Jette", "Laken", "Ukkel", "Vorst",
    "Oudergem", "Sint-Gillis", "Sint-Joost-ten-Node", "Koekelberg", "Ganshoren", "Evere", "Watermaal-Bosvoorde",
    "Sint-Lambrechts-Woluwe", "Sint-Pieters-Woluwe", "Neder-Over-Heembeek",
)
# Foreign cities and islands where callers are or come from, as Dutch speakers name them (a city
# where a caller is counts as a place; a country does not).
FOREIGN_PLACES = (
    "Parijs", "Londen", "Berlijn", "Keulen", "Düsseldorf", "Aken", "Hamburg", "München", "Frankfurt", "Kleef", "Emmerik",
    "Gronau", "Istanbul", "Ankara", "Izmir", "Antalya", "Alanya", "Bodrum", "Kayseri", "Konya", "Bursa", "Marrakech",
    "Marrakesh", "Casablanca", "Rabat", "Tanger", "Nador", "Al Hoceima", "Agadir", "Fez", "Oujda", "Tetouan",
    "Paramaribo", "Nickerie", "Willemstad", "Oranjestad", "Kralendijk", "Madrid", "Barcelona", "Benidorm", "Malaga",
    "Málaga", "Marbella", "Alicante", "Valencia", "Torrevieja", "Lissabon", "Porto", "Albufeira", "Rome", "Milaan",
    "Napels", "Venetië", "Florence", "Athene", "Thessaloniki", "Kreta", "Rhodos", "Corfu", "Kos", "Ibiza", "Mallorca",
    "Tenerife", "Gran Canaria", "Lanzarote", "Fuerteventura", "Wenen", "Praag", "Boedapest", "Warschau", "Krakau",
    "Wroclaw", "Gdansk", "Boekarest", "Sofia", "Kopenhagen", "Stockholm", "Oslo", "Helsinki", "Dublin", "Edinburgh",
    "Manchester", "Liverpool", "New York", "Dubai", "Bali", "Jakarta", "Bandung", "Surabaya", "Bangkok", "Kaapstad",
    "Johannesburg", "Lagos", "Accra", "Nairobi", "Addis Abeba", "Mogadishu", "Asmara", "Kabul", "Teheran", "Bagdad",
    "Damascus", "Aleppo", "Beiroet", "Caïro", "Tunis", "Algiers", "Mumbai", "Delhi", "Peking", "Shanghai", "Hongkong",
    "Tokio", "Sydney", "Toronto", "Curaçao", "Aruba", "Bonaire", "Sint Maarten", "Sint Eustatius", "Saba", "Luik",
    "Namen", "Charleroi", "Bergen", "Doornik", "Aarlen", "Lille", "Rijsel", "Duinkerke", "Calais", "Luxemburg-Stad",
)
# Districts said alone ("ook in Noord"): places only after a place word.
DISTRICTS = ("Noord", "Zuid", "Oost", "West", "Centrum", "Nieuw-West", "Oud-Zuid")
# Frequent Dutch words that are also places but that the spaCy lookup table does not hold.
FREQUENT_WORDS = (
    "best", "heel", "echt", "alle", "meer", "een", "mark", "boom", "berg", "hoek", "hall", "doel", "leek", "laar",
    "lot", "mol", "peer", "lier", "geel", "lens", "lies", "well", "wier", "on", "la", "lo", "my", "as", "ham",
    "amen", "gees", "mill", "mont", "boer", "bras", "dave", "dion", "roy", "niel", "elim", "heer", "neer", "veen",
    "made", "stad", "zee", "oost", "west", "noord", "zuid", "centrum", "spa", "mons", "marche", "ville",
    "haven", "sluis", "dorp", "kamp", "baarn", "born", "bant", "goes", "echt", "wijk", "waal", "uden", "ede",
    "hoorn", "lemmer", "drempt", "naast", "appels", "basse", "bears", "cordes", "dorst", "forest", "forges", "fosse",
    "heide", "latour", "lille", "linden", "ligne", "manage", "membre", "mussel", "outer", "salles", "silly", "zurich",
    "velden", "helden", "herten", "weelde", "vorst", "wakken", "poppel", "zegge", "weert", "stein", "horst",
    "kessel", "essen", "loenen", "putte", "laren", "grave", "delft", "soest", "holten", "vries", "wijer", "stave",
    "ingen", "ommen", "wanne", "rumst", "heule", "lauwe", "peest", "schore", "voorde", "herne", "vinkel", "waver",
    "halle", "malle", "lotte", "mark", "lamain", "lamine", "maffe", "humain", "tellin", "termes", "tertre",
    "porto", "sofia", "florence", "saba", "kos", "bali", "namen", "bergen", "luik", "kreta", "fez", "rome",
    "blokker", "batenburg", "gamma", "hema", "jumbo", "houten", "petten", "rekken", "proven", "champion", "clavier",
    "tailles", "saintes", "rivière", "presles", "langeweg", "halfweg", "uitwijk", "schoten", "kapellen", "kapelle",
    "waarder", "zandberg", "westhoek", "oosteind", "heikant", "hoogland", "lageland", "koedijk", "america",
    "tolkamer", "breezand", "opeinde", "zuidveld", "moorveld", "westende", "schelle", "lavoir", "staden",
)
# Entries that become capital-only although they are not stop words: too frequent in speech.
CAPITAL_ONLY_WORDS = ("heel", "echt", "alle", "meer", "een", "on", "la", "lo", "my", "as", "doel", "leek",
                      "mark", "lot", "well", "amen", "mont", "heer", "neer", "ville", "hall", "lens", "lies")
_APOSTROPHE = re.compile(r"^['’]([st])[\s-]")


def entry(name: str) -> str:
    """The word-list form of a place name: lower case, "'s-Gravenhage" → "s-gravenhage"."""
    name = re.sub(r"\s*\(.*?\)", "", name)  # "Bergen (NH)" → "Bergen"
    name = _APOSTROPHE.sub(lambda m: m.group(1) + ("-" if name[2] == "-" else " "), name.strip())
    return re.sub(r"\s+", " ", name).casefold()


def main() -> None:
    nlp = spacy.load(REPO / "nlp_models" / "nl_callscribe")
    common = lexicon(nlp) | load_word_list(RULES / "ordinary_words_nl.txt")
    stops = {w.casefold() for w in nlp.Defaults.stop_words}
    people = {n.casefold() for n in (*DutchNames.first_names, *DutchNames.last_names)}
    people |= {n.split()[-1] for n in people}  # "de vries" → "vries"
    places = {entry(n) for n in (*DutchAddresses.cities, *BelgianAddresses.cities, *EXTRA_PLACES, *NEIGHBOURHOODS,
                                 *FOREIGN_PLACES, *DISTRICTS)}
    places -= load_word_list(RULES / "countries_nl.txt")  # provinces and regions are not places
    capital_only = {p for p in places if p in stops or p in CAPITAL_ONLY_WORDS or article_phrase(p, common)}
    ambiguous = {
        p for p in places
        if p not in capital_only and p not in ("den haag", "den bosch") and (p in people or p in FREQUENT_WORDS or p in {d.casefold() for d in DISTRICTS}
                                      or " " not in p and (len(p) <= 4 or p in common))
    }
    header = ("# Generated by data/make_places_nl.py from Faker's nl_NL and nl_BE city lists and its own list of\n"
              "# neighbourhoods; do not edit by hand, run the script. One place a line, lower case.\n")
    write(RULES / "places_nl.txt", header + "# Every place (town, village, neighbourhood) of the gazetteer.\n", places)
    write(RULES / "places_ambiguous_nl.txt",
          header + "# Places that are also ordinary words or names: in lower case only after a place word.\n",
          ambiguous)
    write(RULES / "places_capital_only_nl.txt",
          header + "# Places that are function words or very frequent words: only with a capital.\n",
          capital_only)
    given = {n.casefold() for n in DutchNames.first_names if n.isalpha() and n.casefold() not in stops}
    write(RULES / "street_given_names_nl.txt",
          "# Generated by data/make_places_nl.py from Faker's nl_NL first names; do not edit by hand.\n"
          "# First names that streets are named after (\"jan van galenstraat\", \"willem dreeslaan\"): in lower-case\n"
          "# text they are read as part of the street name before a street word. One name a line.\n",
          given)
    print(f"{len(places)} places, {len(ambiguous)} ambiguous, {len(capital_only)} capital only")


def article_phrase(place: str, common: frozenset[str]) -> bool:
    """An article and one ordinary word ("De Wijk", "De Punt", "'t Veld"): a place only with capitals."""
    words = place.split(" ")
    return len(words) == 2 and words[0] in ("de", "het", "t", "s") and words[1] in common


def write(path: Path, header: str, entries: set[str]) -> None:
    path.write_text(header + "".join(f"{e}\n" for e in sorted(entries)), encoding="utf-8")


if __name__ == "__main__":
    main()
