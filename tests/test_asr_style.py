"""The speech-recogniser variant of gold files (benchmarks/asr_style.py): lower case, no sentence
punctuation, every personal-data span remapped onto the same letters and digits."""

import importlib.util
import json

from hypothesis import given
from hypothesis import strategies as st

from tests.paths import REPO_ROOT

_spec = importlib.util.spec_from_file_location("asr_style", REPO_ROOT / "benchmarks" / "asr_style.py")
asr_style = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(asr_style)


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def test_sentence_punctuation_goes_and_tokens_keep_theirs():
    text, _ = asr_style.asr_text('Ja, mijn mail is "j.de.vries@ziggo.nl". Om 12:30? Kenteken GV-123-X... Klopt!')
    assert text == "ja mijn mail is j.de.vries@ziggo.nl om 12:30 kenteken gv-123-x klopt"


def test_a_gold_dialogue_keeps_every_span_on_the_same_letters():
    dialogue = {
        "id": "x", "turns": [{"speaker": "klant", "text": "Met Jan de Vries. Ik woon op de Kerkstraat 12, in Gouda."}],
        "pii": [{"turn": 0, "start": 4, "end": 16, "type": "PERSON", "text": "Jan de Vries"},
                {"turn": 0, "start": 29, "end": 45, "type": "ADDRESS", "text": "de Kerkstraat 12"},
                {"turn": 0, "start": 50, "end": 55, "type": "LOCATION", "text": "Gouda"}],
    }
    out = asr_style.asr_dialogue(dialogue)
    assert out["turns"][0]["text"] == "met jan de vries ik woon op de kerkstraat 12 in gouda"
    assert [s["text"] for s in out["pii"]] == ["jan de vries", "de kerkstraat 12", "gouda"]


def test_the_command_names_a_bad_file_in_one_line(tmp_path, capsys):
    bad = tmp_path / "gold.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert asr_style.main([str(bad), str(tmp_path / "out.jsonl")]) == 1
    assert capsys.readouterr().err.count("\n") == 1


_TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ éë019 .,?!;:…-@'\"\n")), max_size=60)


@given(_TEXT, st.data())
def test_every_span_keeps_its_letters_and_digits(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    dialogue = {"id": "p", "turns": [{"speaker": "klant", "text": text}],
                "pii": [{"turn": 0, "start": start, "end": end, "type": "PERSON", "text": text[start:end]}]}
    out = asr_style.asr_dialogue(json.loads(json.dumps(dialogue)))
    new_text = out["turns"][0]["text"]
    assert new_text == new_text.lower() and "  " not in new_text and new_text == new_text.strip()
    if _alnum(text[start:end]):
        (span,) = out["pii"]
        assert new_text[span["start"] : span["end"]] == span["text"]
        assert _alnum(span["text"]) == _alnum(text[start:end])
