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
    "Clyde", "Errol", "Humphrey", "Iwan", "Natasha", "Gaitree", "Soenita",
]
SURINAME_LAST = [
    "Ramdin", "Sewnath", "Jagessar", "Ramlal", "Baldewsingh", "Mohan", "Kalloe", "Ramsaran",
    "Soekhai", "Bhoendie", "Lachman", "Doekhie", "Biharie", "Pinas", "Kromodimedjo",
    "Wongsodikromo", "Sastro", "Martina", "Rosario", "Cijntje", "Koeiman",
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

# Short answers and interjections that open or make up a turn (O even when capitalised).
INTERJECTIONS = [
    "Mooi", "Sorry", "Excuses", "Fijn", "Succes", "Bedankt", "Top", "Prima", "Zeker", "Jazeker",
    "Moment", "Momentje", "Ah", "O", "Hè", "Haha", "Sterkte",
    "Begrijpelijk", "Genoteerd", "Helaas", "Klopt", "Precies", "Natuurlijk", "Inderdaad", "Goed",
    "Duidelijk", "Super", "Perfect", "Geweldig", "Vervelend", "Jammer", "Doei",
    "Tot ziens", "Welkom", "Gelukkig", "Echt", "Serieus", "Eerlijk gezegd",
    "Trouwens", "Overigens", "Tja", "Hm", "Nogmaals", "Ter controle", "Even herhalen", "Let op",
    "Wacht", "Sorry hoor", "Pardon", "Wat", "Waar", "Wanneer", "Hoe", "Wie", "Waarom",
    "Stuur maar", "Zeg het maar", "Vertelt u maar", "Gaat uw gang", "Ogenblikje", "Nou nee",
    "Absoluut", "Helemaal goed", "Keurig", "Netjes", "Oeps", "Oei", "Jeetje", "Tjonge", "Nee hè",
    "Och", "Hè hè", "Gaaf", "Lekker", "Rustig aan", "Geen idee", "Geen zorgen", "Uiteraard",
    "Akkoord", "Afgesproken", "Dat klopt", "Graag", "Alsjeblieft", "Dankjewel", "Merci",
]
# Departments said before "met <name>" (O).
DEPARTMENTS = [
    "klantenservice", "meldkamer", "planning", "servicedesk", "storingsdienst", "receptie",
    "facilitaire zaken", "afdeling onderhoud", "debiteurenbeheer", "de helpdesk", "verhuur",
    "technische dienst", "klachtenafdeling", "de buitendienst", "administratie",
]
# Ordinary call sentences without names or places: verbs at the end, "jullie", "met" and "in"
# before things that are not names or places, questions, complaints.
PLAIN_SENTENCES = [
    "Wilt u uw achternaam voor mij spellen?", "Kunt u de straatnaam spellen?",
    "Wilt u dat herhalen?", "Op welk nummer kan de planner u straks bereiken?",
    "Op welk nummer bent u bereikbaar?", "Ik ben er klaar mee met jullie bedrijf.",
    "De ketel is destijds via jullie geplaatst.", "Ik heb een contract bij jullie.",
    "Kunnen jullie de herinneringen stopzetten?", "Hoe lang houden jullie de opnames?",
    "Ik heb al eerder iemand van jullie gesproken.", "Jullie hebben niks gerepareerd.",
    "Hoe gaat dat bij jullie met een klacht?", "Jullie monteur staat voor de deur.",
    "Een busje met jullie naam op de zijkant.", "Jullie hebben daar vast verstand van.",
    "Dat zoeken we samen uit.", "Waarover belt u?", "Waarmee kan ik u helpen?",
    "Ik haal uw dossier even op.", "Ter controle vraag ik uw geboortedatum.",
    "En uw huisadres, ter controle.", "Het liefst zo snel mogelijk.", "Het is ijskoud in huis.",
    "Is alles met u in orde?", "Houdt u contact met de mensen binnen?", "Er zit iemand in de lift.",
    "Ik zet er met spoed iemand op.", "Er komt vandaag nog iemand.", "Wie is er op locatie?",
    "Drukt u op de resetknop om te resetten.", "Zal ik iemand inplannen?",
    "De technicus adviseert vervanging.", "Kun je zien welke melding er staat?",
    "Dat moet ik nazoeken.", "Dat kunt u naar de verzekeraar sturen.", "Dat kost u niets.",
    "Het is gratis voor huurders.", "Dat duurt wel erg lang.",
    "Ik moet het eerst met mijn vrouw overleggen.", "Eerst een paar vragen om u te verifiëren.",
    "Iemand van ons neemt contact met u op.", "Ik ben woedend.", "Ik heb een dag vrij moeten nemen.",
    "Dat lijkt op een pasnummer.", "U kunt ook met iDEAL betalen.", "Betalen met pin kan ook.",
    "Stuur het maar per post.", "Ik zoek mijn bankpasje even.", "Ik probeer zijn mobiele nummer.",
    "Blijft u even aan de lijn?", "Ik heb de voicemail ingesproken.", "Hij neemt niet op.",
    "Ik moet zo weg.", "Dat begrijp ik helemaal.", "Dat klinkt vervelend.",
    "Er is nog ruimte op {day}.", "Is het toestel uw eigendom of van de verhuurder?",
    "Ziet u een code op het scherm?", "Het ledje brandt nu groen.", "Het lampje is rood.",
    "Ik werk als stratenmaker.", "Mijn kleinzoon regelt dat voor me.", "Belt u mij direct terug.",
    "Dat nummer is te kort.", "Dat is een oude rekening.", "Een brief van het waterschap.",
    "Dank je, meid.", "Bedankt, jongeman.", "Thanks, makker.", "Wat lief van u.",
    "Dat heeft de buurvrouw ook.", "Ik rijd een elektrische auto.", "Zij spreekt weinig Nederlands.",
    "Ik vertaal het voor haar.", "Wij wonen hier sinds de bouw.",
    "De stekker zit in het stopcontact.", "Mail het maar naar kantoor.",
    "Eerst moet ik iets nagaan.", "Wat is het adres?", "Wat is uw telefoonnummer?",
    "Het mobiele nummer van de bewoner?", "Even herhalen, dan weet ik het zeker.",
    "Klopt dat zo?", "Het gaat om een flink bedrag.", "De dubbele boeking wordt teruggestort.",
    "Dat duurt enkele werkdagen.", "Het contract gaat over op de achterblijvende partner.",
    "Zet het maar op de naam van de stichting.", "Op naam van de vereniging.",
    "Ik ben de contactpersoon.", "Wie is uw contactpersoon?", "Met wie spreek ik?",
    "Met wie heb ik het genoegen?", "Met de monteur.", "Met de planning, zegt u?",
    "Met spoed, alstublieft.", "Met plezier.", "Met vriendelijke groet.", "Met z'n tweeën.",
    "Met een collega.", "Met de buurman erbij.", "Met pin of contant?", "Met korting?",
    "Met het team van de nachtdienst.", "Met iemand van de woningcorporatie.",
    "Met mijn man erbij.", "In orde.", "In de garage.", "In de kelder.", "In het trappenhuis.",
    "In de meterkast.", "In de badkamer.", "In huis is het koud.", "In de keuken lekt het.",
    "Uit de kraan komt koud water.", "Uit de ketel komt een piep.", "Van de gemeente.",
    "Van uzelf?", "Van de verhuurder.", "Van mijn werk.", "Naar mijn persoonlijke mailadres.",
    "Mijn zakelijke mail werkt niet.", "Zonder accent.", "Met een gewone e.",
    "Met een streepje ertussen.", "Aan elkaar geschreven.", "Met een hoofdletter.",
    "Met twee l'en.", "Met een puntje erop.", "Ik heb geen idee.", "Dat weet ik niet.",
    "Laten we het hopen.", "Kan ik nog iets voor u doen?", "Dat was alles.", "Verder nog iets?",
    "Nee, verder niks.", "Nog een prettige dag.", "Fijne avond.", "Mijn vader is zesentachtig.",
    "Ik ben vijfenzeventig.", "Het is een oud systeem.", "Een alarmsysteem met een app.",
    "Dat kastje aan de wand.", "Dat ding piept de hele tijd.", "Ik heb een monteur gevraagd.",
    "Hij komt toch niet.", "Zij is al onderweg.", "Ik wacht al sinds vanochtend.",
    "Kunt u dat noteren?", "Ik stuur u een bevestiging.", "U krijgt een sms als hij onderweg is.",
    "Wilt u de kraan dichtdraaien?", "Heeft u de stoppen gecontroleerd?", "Zet u hem maar uit.",
    "Dat hoeft niet.", "Dat mag niet van ons.", "Dat regel ik voor u.", "Daar ga ik achteraan.",
    "Ik zet het in het systeem.", "Ik maak een melding aan.", "Ik kijk met u mee.",
]
# Hyphenated Dutch first names and double surnames.
DOUBLE_FIRST = [
    "Gert-Jan", "Jan-Willem", "Anne-Marie", "Marie-José", "Jan-Peter", "Pieter-Jan", "Klaas-Jan",
    "Hendrik-Jan", "Anne-Sophie", "Eva-Maria", "Marie-Louise", "Jan-Hein", "Ruud-Jan", "Ann-Sofie",
    "Lisa-Marie", "Jean-Paul", "Jan-Kees", "Dirk-Jan", "Geert-Jan", "Mary-Ann",
]
# Particles Faker rarely produces, put before a surname stem ("in 't Veld", "ter Horst").
RARE_PARTICLES = [
    "in 't", "ter", "ten", "te", "op den", "op de", "uit den", "uit de", "van het", "van 't",
    "Oude", "de la", "du", "le", "d'", "van der", "van den", "de", "van", "'t",
]
RARE_PARTICLE_STEMS = [
    "Veld", "Horst", "Brink", "Kamp", "Bos", "Hof", "Egberink", "Haar", "Woud", "Hout", "Velde",
    "Kuile", "Beek", "Heide", "Maat", "Braak", "Loo", "Nijhof", "Steege", "Riet", "Zand", "Hoeve",
    "Bosch", "Molen", "Laar", "Wal", "Poel", "Meer", "Akker", "Goor", "Rot", "Haan", "Linde",
]

# Run 3: "Met …" sentences without a name taught the model to skip "<firma> met <voornaam>" in
# lower case; the plain sentences keep their other negatives but not these.
PLAIN_SENTENCES = [s for s in PLAIN_SENTENCES if not s.startswith("Met ")]

# Places whose name starts with an article or "'s-": in lower case "in de meern" looks like
# "in de keuken", so these get their own share of the village slot.
ARTICLE_PLACES = [
    "De Meern", "Den Dolder", "Den Helder", "De Lier", "De Rijp", "De Koog", "De Kwakel",
    "De Wijk", "De Lutte", "De Steeg", "De Glind", "De Goorn", "De Knipe", "De Westereen",
    "Den Ham", "Den Burg", "Den Dungen", "Den Hoorn", "Den Oever", "Het Zand", "Ter Aar",
    "Ter Apel", "Ten Boer", "Ter Heijde", "Ter Idzard", "'s-Gravenzande", "'s-Heerenberg",
    "'s-Gravendeel", "De Heen", "De Cocksdorp", "De Pol", "Het Veld", "De Hoeve", "De Veenhoop",
    "De Zilk", "De Krim", "De Punt", "De Weere", "De Woude", "De Mortel", "De Heurne",
    "Den Andel", "De Moer", "De Heeg", "De Vecht", "De Haar", "De Hulk", "De Waal",
]
# Neighbourhoods and business parks with an article in their name ("in de <wijk>").
ARTICLE_HOODS = [
    "De Baarsjes", "De Pijp", "De Aker", "De Vaart", "De Hoven", "De Horsten", "De Reit",
    "De Vogelaar", "De Esch", "De Schilders", "De Kroeten", "Het Zuiden", "De Akkers",
    "De Burgen", "De Gaarden", "De Vlieger", "De Rietlanden", "De Laak", "De Bongerd",
    "De Schans", "De Venen", "De Gagel", "De Wetering", "De Driesprong", "De Kamp",
]
# Words of the Dutch telephone spelling alphabets, several per letter ("T van Theo").
ALPHABET_WORDS = {
    "A": ["Anton", "Anna", "Arie"], "B": ["Bernard", "Bertus"], "C": ["Cornelis", "Carel"],
    "D": ["Dirk", "David"], "E": ["Eduard", "Emma", "Eva"], "F": ["Ferdinand", "Frits"],
    "G": ["Gerard", "Gijs"], "H": ["Hendrik", "Henk"], "I": ["Izaak", "Ida"],
    "J": ["Jan", "Johannes", "Johan"], "K": ["Karel", "Kees"], "L": ["Lodewijk", "Lucas"],
    "M": ["Maria", "Marie", "Mies"], "N": ["Nico", "Nel"], "O": ["Otto", "Olga"],
    "P": ["Pieter", "Paul"], "Q": ["Quirinus", "Quinten"], "R": ["Rudolf", "Richard", "Rob"],
    "S": ["Simon", "Sara"], "T": ["Teunis", "Theo", "Theodoor"], "U": ["Utrecht", "Ursula"],
    "V": ["Victor", "Vincent"], "W": ["Willem", "Wim"], "X": ["Xantippe", "Xavier"],
    "Y": ["Ypsilon", "Yvonne"], "IJ": ["IJmuiden", "IJsbrand"], "Z": ["Zaandam", "Zacharias"],
}
# Remarks said in the middle of a spelled name; inside the PER span.
SPELL_REMARKS = ["streepje", "spatie", "koppelteken", "hoofdletter", "apostrof"]

# Run 4: small firms named after a trade and a region or a family ("Klimaattechniek Veluwe",
# "Verbeek Elektro", "Jansen & Zonen"): ORG, also when they follow "monteur van" or "bij".
TRADE_WORDS = [
    "Liftservice", "Liftonderhoud", "Alarmtechniek", "Brandbeveiliging", "Beveiligingsgroep",
    "Installatietechniek", "Klimaattechniek", "Elektrotechniek", "Dakwerken", "Loodgieters",
    "Ventilatietechniek", "Warmtetechniek", "Zonnetechniek", "Laadpaalservice", "Schoonmaak",
    "Glasservice", "Rioolservice", "Onderhoudsgroep", "Bouwgroep", "Vastgoedbeheer",
    "Installatiebedrijf", "Elektro", "Sanitair", "Tegelwerken", "Schilderwerken", "Hekwerk",
    "Sleutelservice", "Keuringsdienst", "Storingsdienst", "Facilitair",
]
TRADE_REGIONS = [
    "Noord", "Zuid", "Oost", "West", "Midden", "Holland", "Twente", "Brabant", "Limburg",
    "Veluwe", "Rijnmond", "Achterhoek", "Drenthe", "Friesland", "Zeeland", "Gooi",
    "Kennemerland", "Westland", "Betuwe", "Peel", "Kempen", "Delfland", "Noord-Oost",
    "Zuid-West", "Randstad", "Nederland", "Benelux", "Service", "Groep", "Partners",
]
# Building and association names after "VvE" (the whole name is ORG).
BUILDING_NAMES = [
    "De Linde", "Zonnehof", "Het Baken", "Parkzijde", "Zuiderhof", "Rivierstaete", "De Meeuw",
    "Vondelhof", "De Kroon", "Het Anker", "Waterrijk", "Lindenhof", "De Eikenhorst", "Kastanjehof",
    "De Statenhof", "Het Kompas", "Molenzicht", "De Havenmeester", "Singelzicht", "Beukenrode",
]
# Greetings and thanks in other languages and dialects, said in Dutch calls (O).
FOREIGN_GREETINGS = [
    "Bon dia", "Bon tardi", "Danku", "Merhaba", "Teşekkürler", "Shukran", "Salaam", "Dziękuję",
    "Dzień dobry", "Thanks", "Thank you", "Cheers", "Bye", "Danke", "Tschüss", "Gracias",
    "Obrigado", "Grazie", "Houdoe", "Ajuus", "Doei", "Hoi hoi", "Goeie", "Tot kijk", "Hallo hallo",
    "Hello", "Hi", "Okido", "Okidoki", "Yes", "Sorry hoor", "Inshallah", "Mashallah", "Hey",
]
# Nationality and language adjectives (O, not places): "Nederlandse tijd", "de Engelse versie".
NATIONALITY_PHRASES = [
    "Nederlandse tijd", "de Engelse versie", "een Duitse klant", "een Poolse collega",
    "de Turkse bakker", "in het Frans", "in het Engels", "Belgische tijd", "de Spaanse kust",
    "een Marokkaanse buurvrouw", "Surinaamse roti", "een Franse fabrikant", "het Duitse merk",
    "Nederlands", "Engels", "Turks", "Arabisch", "Pools", "Fries", "Limburgs", "Brabants",
]
