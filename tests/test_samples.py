"""The bundled sample calls: metadata, personal-data list and audio agree; two calls are long enough
for the coaching draw; and none of a sample's personal data survives redaction, neither of its
script nor of its real transcript."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from callscribe.pipeline.speech import audio
from tests.conftest import SAMPLES

COACHING_MIN_S = 60.0  # the default of CALLSCRIBE_COACHING_MIN_DURATION_S
COACHING_CALLS = {"TBI-2026-000105": "MW-017", "TBI-2026-000106": "MW-023"}


def _rows() -> list[dict[str, str]]:
    with (SAMPLES / "calls.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _scripts() -> dict[str, dict]:
    document = json.loads((SAMPLES / "samples_pii.json").read_text(encoding="utf-8"))
    return {call["call_id"]: call for call in document["calls"]}


def test_calls_csv_samples_pii_and_the_audio_agree():
    rows, scripts = _rows(), _scripts()
    assert [r["call_id"] for r in rows] == [f"TBI-2026-{n:06d}" for n in range(101, 107)]
    assert list(scripts) == [r["call_id"] for r in rows]
    for row in rows:
        script = scripts[row["call_id"]]
        assert script["file"] == row["file"] and (SAMPLES / row["file"]).is_file()
        assert row["caller_number"] in script["strings"], "the number of calls.csv is personal data too"
        assert row["call_start"].startswith("2026-11-")
        info = audio.probe(SAMPLES / row["file"])
        assert info.channels == 2, "stereo: medewerker left, klant right"
    assert sorted(p.name for p in SAMPLES.glob("call-*")) == sorted(r["file"] for r in rows), "no stray audio"


def test_two_calls_are_long_enough_for_the_coaching_draw():
    """The README's coaching example: a draw picks call 105 for MW-017 and 106 for MW-023, and
    reports MW-008 (only a short call) as without an eligible call."""
    durations = {r["call_id"]: (r["employee_id"], audio.probe(SAMPLES / r["file"]).duration) for r in _rows()}
    eligible = {call_id: employee for call_id, (employee, seconds) in durations.items() if seconds >= COACHING_MIN_S}
    assert eligible == COACHING_CALLS
    for call_id, (_, seconds) in durations.items():
        assert (70 <= seconds <= 90) if call_id in COACHING_CALLS else (15 < seconds < 40), (call_id, seconds)
    assert {employee for employee, _ in durations.values()} - set(eligible.values()) == {"MW-008"}


@pytest.mark.parametrize("call_id", list(_scripts()))
def test_redacting_a_samples_script_leaves_none_of_its_personal_data(redactor, call_id):
    """The script as spoken, redacted: every personal-data string is gone, the distractors stay."""
    call = _scripts()[call_id]
    redacted = redactor.redact([(turn["speaker"], turn["text"]) for turn in call["turns"]])
    text = "\n".join(segment.text for segment in redacted.segments).casefold()
    assert [s for s in call["strings"] if s.casefold() in text] == []
    assert [d for d in call["distractors"] if d.casefold() not in text] == []


@pytest.mark.slow
def test_no_samples_personal_data_survives_the_real_pipeline(home, tmp_path):
    """Every sample through Whisper and redaction (`transcribe-files`): none of its personal-data
    strings is in the redacted output."""
    from callscribe.cli.main import main

    rows, scripts = _rows(), _scripts()
    out = tmp_path / "samples.jsonl"
    result = CliRunner().invoke(main, ["transcribe-files", *(str(SAMPLES / r["file"]) for r in rows),
                                       "--output", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(rows)
    for row, line in zip(rows, lines, strict=True):
        transcript = json.loads(line)
        assert transcript["redacted"] is True and transcript["text"], row["call_id"]
        found = json.dumps(transcript, ensure_ascii=False).casefold()
        assert [s for s in scripts[row["call_id"]]["strings"] if s.casefold() in found] == [], row["call_id"]
