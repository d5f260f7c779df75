"""The callscribe command line, through click's runner: real library calls, real files."""

import json
import shutil

import pytest
from click.testing import CliRunner

from callscribe.cli.main import main
from tests.audio_files import corrupt
from tests.conftest import SAMPLES

FIXTURE = SAMPLES.parent.parent / "tests" / "fixtures" / "dialogues.jsonl"


@pytest.fixture
def runner(home):
    return CliRunner()


def test_redact_transcripts_round_trip(runner, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["redact-transcripts", str(FIXTURE), str(out)])
    assert result.exit_code == 0, result.output
    originals = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
    redacted = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in redacted] == [o["id"] for o in originals]
    for original, row in zip(originals, redacted):
        assert len(row["segments"]) == len(original["segments"])
        for source, segment in zip(original["segments"], row["segments"]):
            assert set(segment) == {"speaker", "text", "entities"} and segment["speaker"] == source["speaker"]
            for entity in segment["entities"]:
                assert set(entity) == {"start", "end", "type", "score", "review"}
                assert 0 <= entity["start"] < entity["end"] <= len(source["text"])
    text = out.read_text(encoding="utf-8")
    for value in ("Gerrit Hoogland", "06-29384756", "g.hoogland@voorbeeld.nl", "9712 CP", "NL91 ABNA"):
        assert value not in text
    for value in ("TBI Direct", "Nefit", "monteur"):
        assert value in text
    types = {e["type"] for s in redacted[0]["segments"] + redacted[1]["segments"] for e in s["entities"]}
    assert {"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS", "POSTCODE", "IBAN"} <= types


def test_redact_transcripts_names_the_bad_line(runner, tmp_path):
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"id": "a", "segments": []}\n{"id": "b", "turns": [{"text": "Jan Jansen"}]}\n', encoding="utf-8")
    result = runner.invoke(main, ["redact-transcripts", str(bad), str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    assert f"{bad} line 2" in result.output and "Jan Jansen" not in result.output
    assert not (tmp_path / "out.jsonl").exists(), "no half-written output"


@pytest.mark.slow
def test_transcribe_files_writes_one_line_per_file(runner, tmp_path):
    bad = corrupt(tmp_path / "broken.wav")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["transcribe-files", str(SAMPLES / "call-004.ogg"), str(bad), "--output", str(out)])
    assert result.exit_code == 1, "one file failed"
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["file"] for r in rows] == [str(SAMPLES / "call-004.ogg"), str(bad)]
    assert rows[0]["text"] and rows[0]["redacted"] is True and rows[0]["model"] == "whisper-base (bundled)"
    assert rows[1] == {"file": str(bad), "error": "corrupt"}
    assert "broken.wav: not a readable audio file" in result.output


def test_ingest_and_list(runner, tmp_path, staff):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "call-002.flac", folder / "x.flac")
    (folder / "calls.csv").write_text(
        "call_id,call_start,employee_id,caller_number,direction,file\n"
        "X-1,2026-03-01T10:00:00+01:00,MW-9,+31612345678,inbound,x.flac\n", encoding="utf-8")
    refused = runner.invoke(main, ["ingest", str(folder), "--metadata", str(folder / "calls.csv"), "--as", "cor"])
    assert refused.exit_code == 1 and "recordings.ingest needs" in refused.output
    result = runner.invoke(main, ["ingest", str(folder), "--metadata", str(folder / "calls.csv"), "--as", "ivo"])
    assert result.exit_code == 0 and "1 recording(s) added" in result.output
    listed = runner.invoke(main, ["recordings", "--json"])
    row = json.loads(listed.output)
    assert row["id"] == "X-1" and row["state"] == "ingested" and row["employee_id"] == "MW-9"
    assert row["expires_at"] == "2026-05-02T10:00:00+02:00", "62 calendar days, across the DST change"
    assert "+31612345678" not in listed.output


def test_ingest_error_exits_non_zero(runner, tmp_path, staff):
    (tmp_path / "calls.csv").write_text("call_id,file\nX,missing.wav\n", encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(tmp_path), "--metadata", str(tmp_path / "calls.csv"), "--as", "ivo"])
    assert result.exit_code == 1 and "missing column 'call_start'" in result.output


def test_unavailable_model_is_a_clear_error(runner, monkeypatch):
    monkeypatch.setenv("CALLSCRIBE_WHISPER_MODEL", "large-v3")
    result = runner.invoke(main, ["model"])
    assert result.exit_code == 1 and "CALLSCRIBE_WHISPER_MODEL=base" in result.output


def test_help_lists_every_command_with_its_own_first_line():
    """``callscribe --help`` shows each command's help without importing it: the lines kept in
    COMMANDS must be the commands' own."""
    import importlib

    from callscribe.cli.main import COMMANDS

    for name, (target, line) in COMMANDS.items():
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert command.get_short_help_str(limit=1000) == line, f"COMMANDS[{name!r}] differs from the command's help"
        assert main.get_command(None, name) is command


def test_help_loads_neither_the_database_layer_nor_prefect():
    import subprocess
    import sys

    probe = ("import sys; from click.testing import CliRunner; from callscribe.cli.main import main; "
             "result = CliRunner().invoke(main, ['--help']); assert result.exit_code == 0, result.output; "
             "print(sorted(m for m in ('sqlalchemy', 'prefect', 'pydantic', 'presidio_analyzer', 'faster_whisper') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"



def test_stored_audio_is_never_transcribed_unredacted_outside_a_run(runner, staff, settings, tmp_path):
    """The attack: `transcribe-files --no-redact` on the stored audio gave unredacted text with no
    role check and no audit entry."""
    from callscribe.pipeline.storage import catalogue

    engine = catalogue.get_engine(settings.catalogue_url)
    catalogue.ingest(engine, SAMPLES, SAMPLES / "calls.csv", settings.audio_dir)
    stored = next(settings.audio_dir.iterdir())
    link = tmp_path / "innocent.wav"
    link.symlink_to(stored)
    out = tmp_path / "out.jsonl"
    for path in (stored, link):
        refused = runner.invoke(main, ["transcribe-files", str(path), "--no-redact", "--output", str(out), "--as", "ivo"])
        assert refused.exit_code == 1 and "redacted only" in refused.output and not out.exists()
    denied = runner.invoke(main, ["transcribe-files", str(stored), "--output", str(out), "--as", "kim"])
    assert denied.exit_code == 1 and "recordings.transcribe needs" in denied.output and not out.exists()
