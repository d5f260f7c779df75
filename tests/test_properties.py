"""Property tests: generated Dutch sentences with personal data leave none of it visible."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIRST = ["Annelies", "Bram", "Chantal", "Dirk", "Esra", "Floris", "Gonnie", "Hamza", "Ingrid", "Joost"]
LAST = ["Verbruggen", "Oosterhuis", "El Idrissi", "van der Meulen", "Kramer", "de Graaf", "Nijenhuis", "Yilmaz"]
INTRO = ["Mijn naam is {name}.", "Goedemiddag, u spreekt met {name}.", "Ja, met {name}, goedemorgen."]
NUMBER = ["Mijn nummer is {phone}.", "U kunt me bereiken op {phone}.", "Bel maar naar {phone}, dat is mijn mobiel."]
POST = ["Mijn postcode is {postcode}.", "Het adres heeft postcode {postcode}."]
BANK = ["Mijn IBAN is {iban}.", "Het rekeningnummer is {iban}."]
MAIL = ["Mailt u maar naar {email}.", "Mijn e-mailadres is {email}."]
FILLER = ["Eh, ja.", "De Remeha geeft storing E119.", "De monteur komt donderdag om half tien.", "Oké, dank u wel."]


def _iban(bank: str, account: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in bank + account + "NL00")
    check = 98 - int(digits) % 97
    compact = f"NL{check:02d}{bank}{account}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


phones = st.builds(
    lambda rest, style: style.format(*rest),
    st.lists(st.integers(0, 9), min_size=8, max_size=8).map(lambda d: "".join(map(str, d))).map(
        lambda d: (d[:2], d[2:4], d[4:6], d[6:], d)),
    st.sampled_from(["06 {0} {1} {2} {3}", "06-{4}", "06{4}", "+31 6 {4}", "0031 6 {4}"]),
)
postcodes = st.builds(lambda n, a, b, sep: f"{n}{sep}{a}{b}", st.integers(1000, 9999),
                      st.sampled_from("ABCEGHJKLMNPRTVWXZ"), st.sampled_from("ABCEGHJKLMNPRTVWXZ"), st.sampled_from([" ", ""]))
ibans = st.builds(_iban, st.sampled_from(["ABNA", "RABO", "INGB", "TRIO", "SNSB"]),
                  st.integers(0, 9_999_999_999).map(lambda n: f"{n:010d}"))
emails = st.builds(lambda user, host: f"{user}@{host}", st.sampled_from(["jan.smit", "a.bakker88", "info", "k_vos"]),
                   st.sampled_from(["voorbeeld.nl", "ziggo.nl", "gmail.com", "kpnmail.nl"]))
names = st.builds(lambda f, l: f"{f} {l}", st.sampled_from(FIRST), st.sampled_from(LAST))



@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, phone=phones, postcode=postcodes, iban=ibans, email=emails, data=st.data())
def test_generated_calls_leave_nothing_visible(redactor, name, phone, postcode, iban, email, data):
    values = {"name": name, "phone": phone, "postcode": postcode, "iban": iban, "email": email}
    turns = [data.draw(st.sampled_from(group)).format(**values) for group in (INTRO, NUMBER, POST, BANK, MAIL)]
    turns.insert(data.draw(st.integers(0, len(turns))), data.draw(st.sampled_from(FILLER)))
    out = redactor.redact([("klant", turn) for turn in turns])
    visible = " ".join(segment.text for segment in out.segments)
    for key in ("phone", "postcode", "iban", "email"):
        digits = "".join(ch for ch in values[key] if ch.isalnum())
        assert values[key] not in visible and digits not in visible.replace(" ", ""), key
    surname = name.split(" ", 1)[1]
    assert surname not in visible
