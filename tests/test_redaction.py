"""Redaction with Presidio, the shipped Dutch spaCy pipeline and the rule files."""

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from callscribe.pipeline.errors import ModelUnavailableError, RulesError
from callscribe.pipeline.redaction.engine import Redactor
from callscribe.pipeline.redaction.rules import elf_proef, iban_mod97, load_rule_file, luhn
from tests.paths import REPO_ROOT

GOLDEN = json.loads((Path(__file__).parent / "golden" / "redaction_basic.json").read_text(encoding="utf-8"))["cases"]
TAG = re.compile(r"\[[A-Z]+-\d+\]")



def test_sentence_with_name_phone_email_iban_and_postcode(redactor):
    text = ("Ja, u spreekt met Pieter de Boer, mijn nummer is 06 12 34 56 78, e-mail pieter.deboer@gmail.com, "
            "IBAN NL91 ABNA 0417 1643 00 en postcode 6213 LS.")
    out = redactor.redact([("klant", text)]).segments[0]
    for value in ("Pieter de Boer", "06 12 34 56 78", "pieter.deboer@gmail.com", "NL91 ABNA 0417 1643 00", "6213 LS"):
        assert value not in out.text
    assert {e.type for e in out.entities} == {"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN", "POSTCODE"}
    assert out.text == ("Ja, u spreekt met [PERSOON-1], mijn nummer is [TELEFOONNUMMER-1], e-mail [EMAILADRES-1], "
                        "IBAN [IBAN-1] en postcode [POSTCODE-1].")
    for entity in out.entities:
        assert 0 <= entity.start < entity.end <= len(text)


@pytest.mark.parametrize("case", GOLDEN, ids=lambda c: c["text"][:40])
def test_golden_cases(redactor, case):
    out = redactor.redact([("klant", case["text"])]).segments[0]
    for value in case["hidden"]:
        assert value not in out.text, f"{value!r} left visible"
    for value in case["visible"]:
        assert value in out.text, f"{value!r} redacted but is not personal data"
    assert set(case["types"]) <= {e.type for e in out.entities}


def test_tags_are_consistent_across_segments(redactor):
    out = redactor.redact([
        ("klant", "Mijn naam is Sanne Verhoeven, bel 06-57214836."),
        ("medewerker", "Dank u, mevrouw Verhoeven. Ik bel u op 06 57 21 48 36 terug."),
        ("klant", "Of bel mijn man, Joost Brinkman, op 0612095573."),
    ])
    first, second, third = (s.text for s in out.segments)
    assert "[PERSOON-1]" in first and "[PERSOON-1]" in second
    assert "[TELEFOONNUMMER-1]" in first and "[TELEFOONNUMMER-1]" in second
    assert "[PERSOON-2]" in third and "[TELEFOONNUMMER-2]" in third


def test_engine_info_names_model_and_rules(redactor):
    info = redactor.redact([("klant", "Hallo")]).engine
    assert info["spacy_model"].startswith("nl_nl_callscribe") and "phone_nl.yaml" in info["rules"]


def test_checksums():
    assert iban_mod97("NL91 ABNA 0417 1643 00") and not iban_mod97("NL92 ABNA 0417 1643 00")
    assert elf_proef("111222333") and not elf_proef("111222334")
    assert luhn("4111 1111 1111 1111") and not luhn("4111 1111 1111 1112")


WORDS = st.sampled_from(["ja", "de", "ketel", "monteur", "komt", "morgen", "Remeha", "storing", "eh", "nummer",
                         "postcode", "mijn", "naam", "is", "met", "06-12345678", "6213 LS", "Jansen",
                         "meneer", "NL91 ABNA 0417 1643 00", "a.b@voorbeeld.nl", ",", "."])


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, min_size=1, max_size=25))
def test_offsets_inside_text_and_redaction_idempotent(redactor, words):
    text = " ".join(words)
    once = redactor.redact([("klant", text)]).segments[0]
    for entity in once.entities:
        assert 0 <= entity.start < entity.end <= len(text)
        assert TAG.fullmatch(entity.tag)
    again = redactor.redact([("klant", once.text)]).segments[0]
    assert again.text == once.text, "redacting a redacted text changes nothing"


def test_missing_spacy_model_names_the_setting(tmp_path):
    with pytest.raises(ModelUnavailableError, match="CALLSCRIBE_SPACY_MODEL"):
        Redactor(tmp_path / "nothing", REPO_ROOT / "redaction_rules", 0.35)


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("name: x\nentity: PHONE\npatterns: [{name: a, regex: '\\d', score: 0.5}]\n", "field entity"),
        ("name: x\nentity: POSTCODE\npatterns: [{name: a, regex: '(', score: 0.5}]\n", "field patterns.0.regex"),
        ("name: x\nentity: POSTCODE\npatterns: [{name: a, regex: 'a', score: 5}]\n", "field patterns.0.score"),
        ("name: x\nentity: POSTCODE\npatterns: []\n", "field patterns"),
        ("name: x\nentity: POSTCODE\npaterns: []\n", "field paterns"),
        ("name: [unclosed\n", "not valid YAML"),
    ],
    ids=["entity", "regex", "score", "no-patterns", "typo", "yaml"],
)
def test_invalid_rule_files_name_file_and_field(tmp_path, content, fragment):
    path = tmp_path / "bad_rule.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rule_file(path)
    assert str(path) in str(info.value) and fragment in str(info.value)


def test_shipped_rules_all_load():
    for path in sorted((REPO_ROOT / "redaction_rules").glob("*.yaml")):
        load_rule_file(path)


def test_broken_rules_folder_stops_the_redactor(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(REPO_ROOT / "redaction_rules", rules)
    (rules / "zz_bad.yaml").write_text("name: x\n", encoding="utf-8")
    with pytest.raises(RulesError, match="zz_bad.yaml"):
        Redactor(REPO_ROOT / "nlp_models" / "nl_callscribe", rules, 0.35)


def test_a_name_is_redacted_at_every_mention(redactor):
    out = redactor.redact([
        ("klant", "Mijn naam is Sjoerd Wijnbergen."),
        ("medewerker", "Dank u. Ik noteer wijnbergen, en voor Sjoerd een terugbelverzoek."),
        ("klant", "Bakker is mijn schoonvader, maar de bakker op de hoek weet het ook."),
    ])
    second = out.segments[1].text
    assert "ijnbergen" not in second and "Sjoerd" not in second
    assert second.count("[PERSOON-1]") == 2, "the surname alone and the first name are the same person"


def test_a_value_read_back_gets_the_type_and_tag_of_the_value(redactor):
    out = redactor.redact([
        ("medewerker", "En de drie cijfers op de achterkant van de kaart?"),
        ("klant", "Twee zes negen."),
        ("medewerker", "269. Dank u, en het bedrag is 269 euro... nee, 296 euro."),
        ("klant", "Klopt."),
    ])
    answer, read_back = out.segments[1], out.segments[2]
    assert [e.type for e in answer.entities] == ["CREDIT_CARD"]
    assert read_back.text.startswith(answer.text.rstrip(".") + ". Dank u"), "the read-back gets the same tag"
    assert "euro" in read_back.text and "296 euro" in read_back.text, "an amount is no read-back"


def test_an_address_dictated_over_three_turns_is_redacted_in_each(redactor):
    out = redactor.redact([
        ("klant", "Stuur het maar naar mijn man, dat is bram punt"),
        ("medewerker", "ja"),
        ("klant", "vermeulen zevenenveertig"),
        ("medewerker", "ja"),
        ("klant", "at quicknet punt nl"),
    ])
    texts = [segment.text for segment in out.segments]
    assert texts[0].startswith("Stuur het maar naar mijn man, dat is [")
    assert "bram" not in texts[0] and "vermeulen" not in texts[2] and "quicknet" not in texts[4]
    assert [e.type for e in out.segments[4].entities] == ["EMAIL_ADDRESS"], "the domain said on its own"


def test_a_value_dictated_over_turns_with_ja_between_is_redacted_in_each_piece(redactor):
    out = redactor.redact([
        ("medewerker", "Wat is het IBAN?"),
        ("klant", "NL20 INGB 0001"),
        ("medewerker", "ja"),
        ("klant", "2345"),
        ("medewerker", "ja"),
        ("klant", "67"),
        ("medewerker", "Dank u. Hoe laat kan de monteur komen?"),
        ("klant", "Na 14 uur."),
    ])
    texts = [segment.text for segment in out.segments]
    assert texts[3] != "2345" and texts[5] != "67", "every piece of the account number"
    assert texts[7] == "Na 14 uur.", "the answer to another question is no piece of it"


def test_profession_stays_visible_when_the_surname_is_known(redactor):
    out = redactor.redact([
        ("klant", "Met mevrouw Bakker."),
        ("klant", "De bakker op de hoek heeft ook een storing."),
    ])
    assert "Bakker" not in out.segments[0].text
    assert out.segments[1].text.startswith("De bakker op de hoek")


def test_the_agents_question_raises_the_answers_score(redactor):
    answer = "bleeker"
    alone = redactor.redact([("klant", answer)]).segments[0]
    after_question = redactor.redact([("medewerker", "En wat is uw achternaam?"), ("klant", answer)]).segments[1]
    assert "bleeker" in alone.text, "a lower-case word alone scores below the threshold"
    assert "bleeker" not in after_question.text and after_question.entities[0].type == "PERSON"


def test_operators_per_type_and_keyed_hash(redactor):
    from callscribe.pipeline.types import RedactionOptions

    segments = [("klant", "Mijn naam is Karin Mulder, bel 06-48213957.")]
    options = RedactionOptions(operators=(("PHONE_NUMBER", "mask"), ("PERSON", "hash")), hash_secret="geheim-1")
    masked = redactor.redact(segments, options=options).segments[0]
    assert "*" * len("06-48213957") in masked.text
    person = next(e for e in masked.entities if e.type == "PERSON")
    assert re.fullmatch(r"\[PERSOON-[0-9a-f]{12}\]", person.tag)
    again = redactor.redact(segments, options=options).segments[0]
    other_key = redactor.redact(segments, options=RedactionOptions(
        operators=(("PERSON", "hash"),), hash_secret="geheim-2")).segments[0]
    assert person.tag in again.text, "the same secret gives the same hash in every transcript"
    assert person.tag not in other_key.text
    with pytest.raises(Exception, match="CALLSCRIBE_HASH_SECRET"):
        redactor.redact(segments, options=RedactionOptions(default_operator="hash"))


def test_low_scores_are_flagged_for_review(redactor):
    """A name found only by a weak signal (a name that is also an ordinary word, in a name position)
    is redacted and flagged; a phone number is not flagged."""
    out = redactor.redact([("klant", "mijn collega roos komt ook, bel 06-48213957.")]).segments[0]
    flags = {e.type: e.review for e in out.entities}
    assert flags == {"PERSON": True, "PHONE_NUMBER": False}
    assert "roos" not in out.text


def test_ordinary_words_stay_visible_out_of_a_name_position(redactor):
    out = redactor.redact([("klant", "ik kreeg een roos en het was storm, de bakker was dicht")]).segments[0]
    assert out.text == "ik kreeg een roos en het was storm, de bakker was dicht"


def test_a_spelled_name_does_not_swallow_later_tags(redactor):
    out = redactor.redact([
        ("klant", "Mijn achternaam is Benali, B E N A L I."),
        ("klant", "En mijn buurman heet Gerrit Hoogland."),
    ])
    tags = {e.tag for s in out.segments for e in s.entities if e.type == "PERSON"}
    assert len(tags) >= 2, "a second person gets a tag of their own"


def test_the_redactors_particles_are_name_particles():
    """The redactor checks words against NAME_PARTICLES alone where it once checked both sets."""
    from callscribe.pipeline.redaction import engine
    from callscribe.pipeline.redaction.lexicon import NAME_PARTICLES

    assert engine._PARTICLES <= NAME_PARTICLES


def test_unicode_digits_and_full_width_letters_are_read_like_ascii(redactor):
    """Input limits: a number typed with full-width or Arabic-Indic digits is still a number."""
    for text in ("Mijn nummer is ０６ １２ ３４ ５６ ７８.", "Mijn nummer is ٠٦ ١٢ ٣٤ ٥٦ ٧٨."):
        out = redactor.redact([("klant", text)]).segments[0]
        assert "TELEFOONNUMMER" in out.text, out.text
        assert out.text.startswith("Mijn nummer is "), "the rest of the original text is kept"


def test_an_over_long_or_non_utf8_jsonl_line_is_refused_with_its_number(tmp_path, monkeypatch):
    from callscribe.pipeline import process
    from callscribe.pipeline.errors import InputFormatError

    monkeypatch.setattr(process, "MAX_LINE_CHARS", 200)
    path = tmp_path / "in.jsonl"
    good = json.dumps({"id": "a", "segments": [{"speaker": "klant", "text": "Goedemorgen."}]})
    path.write_text(good + "\n" + json.dumps({"id": "b", "segments": [{"speaker": "klant", "text": "x" * 500}]}) + "\n",
                    encoding="utf-8")
    read = process.read_dialogues(path)
    assert next(read)[0] == "a"
    with pytest.raises(InputFormatError, match=r"line 2: longer than 200 characters"):
        next(read)
    path.write_bytes(good.encode() + b"\n\xff\xfe broken\n")
    with pytest.raises(InputFormatError, match="not UTF-8"):
        list(process.read_dialogues(path))


def test_a_segment_over_the_limit_is_refused_with_its_line(tmp_path):
    from callscribe.pipeline import process
    from callscribe.pipeline.errors import InputFormatError

    source = tmp_path / "in.jsonl"
    long_text = "woord " * (process.MAX_SEGMENT_CHARS // 6 + 1)
    source.write_text(json.dumps({"id": "a", "segments": [{"speaker": "klant", "text": "Goedemorgen."}]}) + "\n"
                      + json.dumps({"id": "b", "segments": [{"speaker": "klant", "text": long_text}]}) + "\n",
                      encoding="utf-8")
    rows = process.read_dialogues(source)
    assert next(rows)[0] == "a"
    with pytest.raises(InputFormatError, match="line 2: a segment is longer than 100,000 characters"):
        next(rows)
