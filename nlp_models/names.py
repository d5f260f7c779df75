"""Word lists for the synthetic call-centre turns of ``make_corpus.py``.

Everything here is invented or generic (common first names, surname stems, place names,
brands); nothing is taken from the redaction evaluation sets. Faker supplies most names and
Dutch and Belgian towns; these lists add what Faker lacks: Moroccan-Dutch and Surinamese-Dutch
style names, nicknames, surnames that are also ordinary Dutch words (with sentences that use
the same words as ordinary words, labelled O), foreign cities, countries (O) and distractors.
"""

from __future__ import annotations

# Faker locales for names of many origins, with their weights (romanised output only).
NAME_LOCALES = {
    "nl_NL": 0.42, "nl_BE": 0.10, "fr_BE": 0.03, "de_DE": 0.05, "tr_TR": 0.06, "pl_PL": 0.05,
    "en_GB": 0.04, "es_ES": 0.03, "pt_PT": 0.03, "it_IT": 0.03, "id_ID": 0.02, "en_IN": 0.03,
}
# Own invented combinations (weights in make_corpus.TurnGenerator.person).
MAGHREB_FIRST = [
    "Mohamed", "Mohammed", "Ahmed", "Youssef", "Karim", "Said", "Mustafa", "Hassan", "Rachid",
    "Khalid", "Abdel", "Samir", "Nordin", "Redouan", "Bilal", "Soufiane", "Ilias", "Anouar",
    "Hamza", "Ayoub", "Mehdi", "Omar", "Yassine", "Adil", "Driss", "Jamal", "Tarik", "Zakaria",
    "Fatima", "Khadija", "Samira", "Naima", "Latifa", "Malika", "Nadia", "Yasmina", "Soumaya",
    "Hanane", "Imane", "Loubna", "Siham", "Zineb", "Houda", "Ikram", "Salma", "Nora", "Amina",
    "Meryem", "Safae", "Wafae", "Hafsa", "Rim", "Asmae", "Oumaima",
]
MAGHREB_PREFIX = ["El ", "Ben ", "Bou", "Ait ", "Al ", "Ou", "", "", "", "El-", "Ben-"]
MAGHREB_STEM = [
    "Amrani", "Idrissi", "Haddouchi", "Khattabi", "Ouali", "Hamdaoui", "Azzouzi", "Bakkali",
    "Ghazali", "Mansouri", "Tahiri", "Ziani", "Moussaoui", "Jaouhari", "Ayadi", "Charif",
    "Kaddouri", "Messaoudi", "Rahmouni", "Yousfi", "Hammouti", "Boukhari", "Marzouki",
    "Lamrini", "Ouahabi", "Fassi", "Slimani", "Touzani", "Hajji", "Chaouch", "Kasmi", "Ghanem",
    "Hakimi", "Nasri", "Benali", "Aziz", "Haddou", "Mimouni", "Karroumi", "Achahbar",
    "Talbi", "Zerouali", "Laghmich", "Bennani", "Ouchen", "Maati", "Raiss",
]
SURINAME_FIRST = [
    "Ravi", "Sunil", "Anand", "Rakesh", "Shanti", "Sita", "Priya", "Kiran", "Roshni", "Vikash",
    "Ashwin", "Reshma", "Glenn", "Marlon", "Romano", "Jerrel", "Shirley", "Sharon", "Denise",
    "Ricardo", "Clyde", "Errol", "Humphrey", "Iwan", "Natasha", "Gaitree", "Soenita",
]
SURINAME_LAST = [
    "Ramdin", "Sewnath", "Jagessar", "Ramlal", "Baldewsingh", "Mohan", "Kalloe", "Ramsaran",
    "Soekhai", "Bhoendie", "Lachman", "Doekhie", "Biharie", "Pinas", "Kromodimedjo",
    "Wongsodikromo", "Sastro", "Martina", "Rosario", "Isenia", "Cijntje", "Koeiman",
    "Brandon", "Fraser", "Linger", "Nelom", "Amatdjais", "Sabajo", "Zeefuik", "Wijngaarde",
]
CHINESE_STYLE_LAST = ["Chen", "Wong", "Li", "Zhang", "Liu", "Lam", "Tang", "Cheung", "Ho", "Wu"]
NICKNAMES = [
    "Kees", "Henk", "Piet", "Joop", "Sjaak", "Bep", "Truus", "Ria", "Mieke", "Ans", "Wim",
    "Hans", "Gert", "Jos", "Toos", "Riet", "Sanne", "Fenna", "Jopie", "Tinus", "Harry",
    "Appie", "Mo", "Moos", "Bram", "Daan", "Teun", "Ties", "Sem", "Noud", "Guus", "Loes",
    "Lies", "Jet", "Ger", "Co", "Jo", "Bas", "Rob", "Ad", "Ton", "Frits", "Dries", "Sjef",
    "Hennie", "Gerrie", "Marja", "Willy", "Berry", "Dave", "Nicky", "Kim", "Sam", "Jay",
    "Mimoun", "Momo", "Yas", "Fati", "Kiki", "Lotje", "Pim", "Thijs", "Stijn", "Joep", "Mies",
]
# First names that are also ordinary Dutch words.
WORD_FIRST = [
    "Roos", "Storm", "Zomer", "Lente", "Fleur", "Merel", "Iris", "Bloem", "Hoop", "Sterre",
    "Jade", "Noor", "Vos", "Sky", "Liefje", "Puck", "Bo", "Dewi", "Jasmijn", "Linde", "Hazel",
]
# Surnames that are also ordinary Dutch words (particles in lower case, as written mid-sentence).
WORD_SURNAMES = [
    "Storm", "Zomer", "Winter", "Lindeboom", "Roos", "Visser", "Bakker", "de Jong", "Vos",
    "de Wit", "Koster", "Smit", "Mulder", "Kok", "de Boer", "Bos", "Brouwer", "van Dijk",
    "Zwart", "Groen", "de Haan", "Wolf", "Vink", "Mol", "Vogel", "Jacobs", "Hendriks", "de Vos",
    "Schipper", "Kuiper", "Boom", "van den Berg", "Hoek", "van der Veld", "de Bruin", "de Graaf",
    "Prins", "Koning", "Keizer", "Bril", "Blom", "Kaas", "Hart", "Sterk", "Klein", "de Groot",
    "de Lange", "Post", "Dekker", "Huisman", "Kraai", "Zwaan", "Valk", "Spijker", "Brug",
    "Kamp", "Zand", "Hamer", "Pot", "Beek", "Molenaar", "Lente", "Herfst", "Goud", "Peper",
    "Suiker", "Schilder", "Timmerman", "Slager", "Boer", "Mooi", "Braam", "Kraan", "Haas",
    "Bloem", "Veen", "Wijn", "Vrolijk", "Blij", "Kind", "Paus", "Bisschop", "Snel", "Stam",
]
# The same words used as ordinary words: whole sentences, all O.
WORD_SENTENCES = [
    "De storm van vannacht heeft een dakpan losgeslagen.",
    "Door de storm is de stroom uitgevallen.",
    "In de zomer gebruik ik de ketel bijna niet.",
    "Deze zomer is het warm water al twee keer uitgevallen.",
    "In de winter wordt de woonkamer niet warm.",
    "Vorige winter hadden we hetzelfde probleem.",
    "In de lente heeft de monteur de ketel nog nagekeken.",
    "In de herfst komt de onderhoudsbeurt.",
    "Er staat een lindeboom voor de deur, daar kunt u parkeren.",
    "Ik heb een roos op het balkon staan, die moet niet plat.",
    "De bakker op de hoek had ook geen stroom.",
    "De bakker komt hier elke ochtend langs.",
    "De visser op de kade zei dat het water gestegen was.",
    "De jongen van de buren heeft de deur opengedaan.",
    "Er zat een vos in de tuin.",
    "De witte kast in de gang, daar hangt de ketel.",
    "De koster van de kerk heeft een sleutel.",
    "De kok van het restaurant beneden klaagt over de afzuiging.",
    "De boer naast ons heeft een eigen put.",
    "Achter het huis ligt een bos.",
    "We wonen vlak bij het bos.",
    "De brouwer heeft de kelder onder water staan.",
    "Het water komt over de dijk.",
    "Het lampje is zwart geworden.",
    "Er brandt een groen lampje en een rood lampje.",
    "Het groene lampje knippert.",
    "De haan van de buren kraait om vijf uur.",
    "Er zit een mol in het gazon.",
    "Er zit een vogel in de ventilatiekoker.",
    "Er zit een vogelnest in de schoorsteen.",
    "De wolf in het verhaal, zegt mijn zoon.",
    "Een vink op de vensterbank, echt waar.",
    "Om de hoek is een parkeerplaats.",
    "De post is nog niet gekomen.",
    "Ik heb de brief met de post gestuurd.",
    "Mijn hart klopt in mijn keel van de schrik.",
    "Het moet sterk genoeg zijn voor de ketel.",
    "Het is een klein appartement.",
    "Het is een groot huis met drie verdiepingen.",
    "De lange gang naar de berging.",
    "De schilder is vorige week geweest.",
    "De timmerman moet de deur nog afhangen.",
    "De slager verderop heeft ook last van de lekkage.",
    "De kraan lekt in de keuken.",
    "De brug was open, daarom was de monteur te laat.",
    "Het zand ligt nog in de gang van de verbouwing.",
    "Ik heb een hamer en een spijker nodig.",
    "Er staat een pot met schroeven.",
    "Het veen onder het huis zakt.",
    "Er zit een haas in de tuin.",
    "De paus was op televisie.",
    "Het kind is ziek thuis.",
    "Het is mooi weer vandaag.",
    "Ik ben blij dat u belt.",
    "Kan het snel?",
    "Wilt u het snel doen?",
    "De koning had het er op televisie over.",
    "Het is een oude molen, die is van de gemeente.",
    "Het ligt achter de berg met tuinafval.",
    "De kamp bij de scouting.",
    "Het goud van de ring, dat bedoel ik niet.",
    "De dekker komt voor het dak.",
    "De bril van mijn man ligt op de ketel.",
    "De kaas in de koelkast is bedorven doordat de stroom eruit lag.",
    "De vogel is gevlogen.",
    "De wijn in de kelder is warm geworden.",
    "Het is een vrolijk kind.",
    "De mulder, zo heette dat vroeger.",
    "De bisschop van de kerk hier.",
    "Het was een bloem van papier.",
]
# Honorifics and abbreviated titles (always O; the name after them is PER).
TITLES_ABBR = [
    "Dr.", "dr.", "Dhr.", "dhr.", "Mw.", "mw.", "Mevr.", "mevr.", "Ing.", "ing.", "Ir.", "ir.",
    "Mr.", "mr.", "Drs.", "drs.", "Prof.", "prof.", "Fam.", "fam.",
]
TITLES_WORD = [
    "meneer", "mevrouw", "de heer", "mevrouw", "meneer", "dokter", "familie", "juffrouw",
    "zuster", "broeder", "pastoor", "dominee", "agent",
]
RELATIONS = [
    "mijn zoon", "mijn dochter", "mijn man", "mijn vrouw", "mijn moeder", "mijn vader",
    "mijn buurman", "mijn buurvrouw", "mijn schoonzoon", "mijn schoondochter", "mijn broer",
    "mijn zus", "mijn kleinzoon", "mijn kleindochter", "mijn partner", "mijn vriend",
    "mijn vriendin", "mijn neef", "mijn nicht", "mijn oom", "mijn tante", "de buurman",
    "de buurvrouw", "onze buurman", "onze buurvrouw", "mijn collega", "uw collega",
    "de huismeester", "de beheerder", "de monteur", "de conciërge", "mijn begeleider",
    "mijn zwager", "mijn schoonmoeder", "mijn stiefvader", "mijn verzorger",
]
BELGIAN_BIG = [
    "Antwerpen", "Gent", "Brugge", "Leuven", "Mechelen", "Hasselt", "Genk", "Kortrijk",
    "Aalst", "Oostende", "Turnhout", "Brussel", "Luik", "Namen", "Lier", "Geel", "Mol",
]
DUTCH_VILLAGES = [
    "Nieuw-Vennep", "Hoofddorp", "Badhoevedorp", "Zwanenburg", "Berkel en Rodenrijs",
    "Bergschenhoek", "Capelle aan den IJssel", "Krimpen aan den IJssel", "Nieuwerkerk",
    "Ouderkerk", "Abcoude", "Maarssen", "Bunnik", "Odijk", "Vleuten", "De Meern", "Bilthoven",
    "Den Dolder", "Driebergen", "Doorn", "Wijk bij Duurstede", "Culemborg", "Tiel", "Zaltbommel",
    "Heesch", "Rosmalen", "Vught", "Boxtel", "Best", "Veldhoven", "Waalre", "Geldrop", "Nuenen",
    "Son", "Uden", "Veghel", "Schijndel", "Sint-Michielsgestel", "Drunen", "Waalwijk", "Kaatsheuvel",
    "Dongen", "Oosterhout", "Etten-Leur", "Roosendaal", "Bergen op Zoom", "Terneuzen", "Goes",
    "Middelburg", "Vlissingen", "Zierikzee", "Hellevoetsluis", "Spijkenisse", "Maassluis",
    "Naaldwijk", "Monster", "Wateringen", "Rijswijk", "Voorburg", "Leidschendam", "Wassenaar",
    "Katwijk", "Noordwijk", "Sassenheim", "Lisse", "Hillegom", "Heemstede", "Bloemendaal",
    "Zandvoort", "IJmuiden", "Velsen", "Beverwijk", "Heemskerk", "Castricum", "Uitgeest",
    "Wormerveer", "Krommenie", "Assendelft", "Edam", "Volendam", "Monnickendam", "Landsmeer",
    "Diemen", "Duivendrecht", "Amstelveen", "Uithoorn", "Aalsmeer", "Huizen", "Blaricum",
    "Laren", "Bussum", "Weesp", "Muiden", "Almere Buiten", "Almere Haven", "Dronten", "Emmeloord",
    "Urk", "Kampen", "Hattem", "Heerde", "Epe", "Vaassen", "Twello", "Voorst", "Zutphen",
    "Lochem", "Borculo", "Winterswijk", "Doetinchem", "Zevenaar", "Duiven", "Westervoort",
    "Elst", "Bemmel", "Wijchen", "Druten", "Beuningen", "Groesbeek", "Malden", "Cuijk", "Boxmeer",
    "Gennep", "Venray", "Horst", "Tegelen", "Roermond", "Weert", "Sittard", "Geleen", "Heerlen",
    "Kerkrade", "Brunssum", "Landgraaf", "Valkenburg", "Meerssen", "Emmen", "Assen", "Hoogeveen",
    "Meppel", "Steenwijk", "Coevorden", "Hardenberg", "Ommen", "Raalte", "Almelo", "Hengelo",
    "Oldenzaal", "Borne", "Rijssen", "Nijverdal", "Haaksbergen", "Veendam", "Winschoten",
    "Stadskanaal", "Delfzijl", "Appingedam", "Hoogezand", "Leek", "Zuidhorn", "Drachten",
    "Heerenveen", "Sneek", "Harlingen", "Franeker", "Dokkum", "Joure", "Wolvega", "Den Helder",
    "Schagen", "Heerhugowaard", "Enkhuizen", "Medemblik", "Zaanstad", "Krommenie", "Barendrecht",
    "Ridderkerk", "Zwijndrecht", "Papendrecht", "Sliedrecht", "Gorinchem", "Alblasserdam",
    "Hendrik-Ido-Ambacht", "Oud-Beijerland", "Rhoon", "Poortugaal", "Pijnacker", "Nootdorp",
    "Delfgauw", "Berkel", "Waddinxveen", "Boskoop", "Alphen aan den Rijn", "Bodegraven",
    "Nieuwkoop", "Mijdrecht", "Vinkeveen", "Breukelen", "Loenen", "Montfoort", "Oudewater",
    "Schoonhoven", "Lopik", "Vianen", "Leerdam", "Beesd", "Geldermalsen", "Ermelo", "Harderwijk",
    "Nunspeet", "Elburg", "Putten", "Nijkerk", "Barneveld", "Scherpenzeel", "Leusden", "Soest",
    "Baarn", "Eemnes", "Bunschoten", "Spakenburg", "Rhenen", "Wageningen", "Bennekom",
    "Renkum", "Oosterbeek", "Doorwerth", "Velp", "Dieren", "Brummen", "Ugchelen", "Beekbergen",
]
NEIGHBOURHOODS_MORE = [
    "Kanaleneiland", "Ondiep", "Wittevrouwen", "Oudwijk", "Vogelenbuurt", "Bos en Lommer",
    "Oud-West", "De Baarsjes", "Indische Buurt", "Bijlmer", "Buitenveldert", "Tuindorp Oostzaan",
    "Nieuwendam", "IJburg", "Zeeburg", "Spangen", "Bospolder", "Tussendijken", "Lombardijen",
    "Pendrecht", "Zuidwijk", "Hoogvliet", "Prins Alexander", "Bergpolder", "Blijdorp",
    "Laakkwartier", "Escamp", "Segbroek", "Scheveningen", "Duindorp", "Ypenburg", "Wateringse Veld",
    "Leyenburg", "Bouwlust", "Vrederust", "Morgenstond", "Stokkum", "Helmer", "Wesselerbrink",
    "Deppenbroek", "Kronenburg", "Schuytgraaf", "Lindenholt", "Hatert", "Meijhorst", "Maasboulevard",
    "Oosterpoort", "Corpus den Hoorn", "Lewenborg", "Vinkhuizen", "Hoogkerk", "De Hoogte",
    "Tuinwijk", "Witte Dame", "Gestel", "Achtse Barrier", "Stratum", "Blixembosch", "Heesterakker",
    "Reeshof", "Groenewoud", "Hagenbroek", "Kommel", "Wyck", "Malberg", "Caberg", "Heer",
    "Hoensbroek", "Zuid", "Noordoost", "Oud-Zuid", "Nieuw-Sloten", "Holendrecht", "Reigersbos",
]
FOREIGN_CITIES = [
    "Keulen", "Düsseldorf", "Aken", "Berlijn", "München", "Hamburg", "Parijs", "Lille", "Londen",
    "Manchester", "Istanbul", "Ankara", "Izmir", "Antalya", "Kayseri", "Konya", "Casablanca",
    "Rabat", "Nador", "Tanger", "Al Hoceima", "Marrakech", "Agadir", "Fes", "Oujda", "Tetouan",
    "Paramaribo", "Nickerie", "Willemstad", "Oranjestad", "Kralendijk", "Philipsburg",
    "Warschau", "Krakau", "Wroclaw", "Gdansk", "Poznan", "Boedapest", "Boekarest", "Sofia",
    "Madrid", "Barcelona", "Malaga", "Benidorm", "Alicante", "Lissabon", "Porto", "Faro",
    "Rome", "Milaan", "Napels", "Jakarta", "Surabaya", "Bandung", "New York", "Dubai",
    "Luxemburg", "Wenen", "Praag", "Kopenhagen", "Stockholm", "Oslo", "Athene", "Kreta",
    "Mumbai", "Delhi", "Shanghai", "Peking", "Hongkong", "Kaapstad", "Sydney", "Toronto",
]
COUNTRIES = [
    "Nederland", "België", "Duitsland", "Frankrijk", "Engeland", "Spanje", "Portugal", "Italië",
    "Turkije", "Marokko", "Polen", "Suriname", "Curaçao", "Aruba", "Indonesië", "India",
    "China", "Amerika", "Griekenland", "Oostenrijk", "Zwitserland", "Denemarken", "Zweden",
    "Noorwegen", "Roemenië", "Bulgarije", "Hongarije", "Tunesië", "Egypte", "Thailand",
]
# Country names (modern and 19th-century spelling) that Europeana tags LOC; made O there.
COUNTRY_WORDS = {c.lower() for c in COUNTRIES} | {
    "duitschland", "rusland", "pruisen", "oostenrijk", "engeland", "frankrijk", "belgie",
    "holland", "nederland", "europa", "amerika", "azië", "azie", "afrika", "spanje", "italie",
    "turkije", "griekenland", "zwitserland", "zweden", "noorwegen", "denemarken", "portugal",
    "egypte", "china", "japan", "indië", "indie", "oost-indië", "west-indië", "brazilië",
    "mexico", "canada", "schotland", "ierland", "hongarije", "polen", "servië", "bulgarije",
    "roemenië", "rumenië", "saksen", "beieren", "java", "sumatra", "suriname", "curaçao",
    "groot-brittannië", "britsch-indië", "vereenigde staten", "de vereenigde staten",
    "de vereenigde staten van amerika", "noord-amerika", "zuid-amerika",
}
COMPANIES_MORE = [
    "TBI Direct", "Telecontrol", "Remeha", "Nefit", "Vaillant", "Intergas", "Eneco", "Vattenfall",
    "Mitros", "Portaal", "Ymere", "Installatiebedrijf Storm", "Installatiebedrijf De Vries",
    "Installatiebedrijf Bakker", "Loodgietersbedrijf Visser", "Schildersbedrijf De Boer",
    "Bakkerij Mulder", "Garage Smit", "Dakdekkersbedrijf Vos", "Klusbedrijf Jansen", "Wooncompagnie",
    "Lefier", "Elkien", "Trivire", "Woonwaard", "Parteon", "Staedion", "Vidomes", "Haag Wonen",
    "Bo-Ex", "Woonzorg Nederland", "Thuisbezorgd", "PostNL", "DHL", "Bol.com", "Albert Heijn",
    "Jumbo", "Lidl", "HEMA", "Blokker", "Karwei", "Hornbach", "Feenstra", "Kemkens", "Dolfijn",
    "Unica", "Spie", "Equans", "Heijmans", "BAM", "Dura Vermeer", "Volker Wessels",
]
GREETINGS = [
    "goedemorgen", "goedemiddag", "goedenavond", "dank u wel", "dankjewel", "alstublieft",
    "tot ziens", "fijne dag", "prettige dag nog", "hallo", "dag", "doei", "graag gedaan",
    "geen probleem", "oké", "prima", "top", "klopt", "precies", "nee hoor", "ja hoor",
]
SPOKEN_NUMBERS = [
    "twee", "drie", "vijf", "zeven", "twaalf", "vijftien", "achttien", "twintig", "vijfendertig",
    "tweeënveertig", "zesenzestig", "honderd", "tweehonderd", "duizend", "dertien", "negentien",
]
