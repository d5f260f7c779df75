"""The ``release-request`` flow in real Prefect runs (two in all): the transcribe-first path with a
stand-in for Whisper, and the CLI's release of a listen-back request."""

import json

import docx
import pytest
from click.testing import CliRunner
from prefect import flow

from callscribe.cli.main import main
from callscribe.pipeline.policy import audit, complaints
from callscribe.pipeline.storage import catalogue, transcripts
from tests.test_flow import _prefect_records
from tests.test_registry import CALL, DESCRIPTION, PHONE, REASON, SEGMENTS, approved, transcribed


@pytest.fixture
def engine(settings):
    from tests.conftest import SAMPLES

    engine = catalogue.get_engine(settings.catalogue_url)
    catalogue.ingest(engine, SAMPLES, SAMPLES / "calls.csv", settings.audio_dir)
    return engine


def test_release_flow_transcribes_first_then_puts_the_letter_in_the_outbox(prefect_harness, engine, staff, settings,
                                                                          monkeypatch):
    import callscribe.flows.release

    calls = []

    @flow(name="transcribe-recordings", persist_result=False)
    def stand_in(recording_ids: list[str], purpose: str = "quality") -> dict:
        calls.append((list(recording_ids), purpose))
        transcribed(engine, settings, recording_ids[0])
        return {"recordings": 1, "transcribed": 1, "failed": 0, "failures": []}

    monkeypatch.setattr(callscribe.flows.release, "transcribe_recordings", stand_in)
    a = approved(engine, requester="kim", approver="bea")
    state = callscribe.flows.release.release_request(request_id=a.request_id, released_by="bob", return_state=True)
    result = state.result()
    assert calls == [([CALL], "quality")]
    assert result["request_id"] == a.request_id and result["kind"] == "transcript"
    assert result["files"] == [f"{CALL}-{a.request_id}.md", f"{CALL}-{a.request_id}.docx", f"{CALL}-{a.request_id}.pdf"]
    text = [p.text for p in docx.Document(str(settings.outbox_dir / result["files"][1])).paragraphs]
    assert transcripts.TAG_EXPLANATION in text and text[-1] == "[00:01:05] Medewerker: " + SEGMENTS[3][2]
    assert complaints.get_request(engine, a.request_id).state == "released"
    assert audit.verify(engine).ok

    logs, run, tasks, artifacts = _prefect_records(state.state_details.flow_run_id)
    stored = json.dumps([run.parameters, [log.message for log in logs], [t.name for t in tasks],
                         [a.data for a in artifacts]], default=str)
    assert a.request_id in stored
    for value in (REASON, DESCRIPTION, PHONE, SEGMENTS[1][2], "MW-017"):
        assert value not in stored


def test_cli_release_of_a_listen_back_request_prints_the_copy_and_its_expiry(prefect_harness, engine, staff, settings):
    a = approved(engine, kind="listen_back", requester="bob", approver="anna")
    result = CliRunner().invoke(main, ["requests", "release", a.request_id, "--as", "ivo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    copy = settings.outbox_dir / f"{CALL}-{a.request_id}.wav"
    assert str(copy) in result.output and "available until" in result.output
    assert copy.is_file()
    again = CliRunner().invoke(main, ["requests", "release", a.request_id, "--as", "ivo"])
    assert again.exit_code == 1 and "released already" in again.stderr
