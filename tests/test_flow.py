"""A real Prefect flow run over a good and a corrupt recording, and what it leaves behind."""

import json
import logging
import shutil

import pytest

from callscribe.pipeline.storage import catalogue, transcripts
from tests.audio_files import corrupt
from tests.conftest import SAMPLES, approve_transcripts

GOOD_ID, BAD_ID = "TBI-2026-000104", "TBI-2026-000999"


@pytest.fixture(scope="module")
def flow_run(prefect_harness, tmp_path_factory, models_dir):
    """One real flow run (two workers) over a good sample and a corrupt file, in its own home."""
    from callscribe.flows.transcribe import with_concurrency
    from callscribe.pipeline.settings import get_settings

    home = tmp_path_factory.mktemp("flow-home")
    (home / "models").symlink_to(models_dir, target_is_directory=True)
    folder = tmp_path_factory.mktemp("incoming")
    shutil.copy(SAMPLES / "call-004.ogg", folder / "good.ogg")
    corrupt(folder / "bad.wav")
    good_row = next(line for line in (SAMPLES / "calls.csv").read_text().splitlines() if line.startswith(GOOD_ID))
    (folder / "calls.csv").write_text(
        "call_id,call_start,employee_id,caller_number,direction,file\n"
        + good_row.replace("call-004.ogg", "good.ogg") + "\n"
        + f"{BAD_ID},2026-11-28T10:00:00+01:00,MW-001,+31687654321,inbound,bad.wav\n",
        encoding="utf-8",
    )
    handler = _Collect()
    logging.getLogger().addHandler(handler)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CALLSCRIBE_HOME", str(home))
        settings = get_settings()
        engine = catalogue.get_engine(settings.catalogue_url)
        with pytest.MonkeyPatch.context() as older_version:  # one that let a corrupt file in at ingest
            older_version.setattr(catalogue, "_audio_problem", lambda path: None)
            catalogue.ingest(engine, folder, folder / "calls.csv", settings.audio_dir)
        approve_transcripts(engine, [GOOD_ID, BAD_ID])
        state = with_concurrency(2)(recording_ids=[GOOD_ID, BAD_ID], purpose="quality", return_state=True)
        yield state, engine, settings, handler.messages, good_row.split(",")[3]
    logging.getLogger().removeHandler(handler)


class _Collect(logging.Handler):
    """Every log record of every logger, formatted with its arguments."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage() + (logging.Formatter().formatException(record.exc_info) if record.exc_info else ""))


def _prefect_records(flow_run_id):
    """Everything Prefect stored about the run: logs, parameters, task runs, artifacts."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowRunFilter,
        FlowRunFilterId,
        LogFilter,
        LogFilterFlowRunId,
    )
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
        run = client.read_flow_run(flow_run_id)
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return logs, run, tasks, artifacts


@pytest.mark.slow
def test_one_transcript_and_one_recorded_failure(flow_run):
    state, engine, settings, *_ = flow_run
    summary = state.result()
    assert (summary["recordings"], summary["transcribed"], summary["failed"]) == (2, 1, 1)
    assert summary["failures"][0]["recording_id"] == BAD_ID
    assert "not a readable audio file" in summary["failures"][0]["reason"]
    assert summary["audio_minutes"] > 0.4 and summary["real_time_factor"] > 0

    good = catalogue.get_recording(engine, GOOD_ID)
    bad = catalogue.get_recording(engine, BAD_ID)
    assert good.state == "transcribed" and good.processed_at is not None
    assert bad.state == "failed" and "not a readable audio file" in bad.failure_reason

    folder = settings.transcripts_dir / GOOD_ID
    document = json.loads((folder / "redacted.json").read_text(encoding="utf-8"))
    assert document["recording_id"] == GOOD_ID and document["purpose"] == "quality"
    assert document["transcription"]["model"]["model_id"] == "whisper-base (bundled)"
    assert {s["speaker"] for s in document["segments"]} <= {"medewerker", "klant"}
    starts = [s["start"] for s in document["segments"]]
    assert starts == sorted(starts) and len(starts) >= 2
    for segment in document["segments"]:
        for entity in segment["entities"]:
            assert set(entity) == {"start", "end", "type", "tag", "score", "review"}, "original values are never stored"
    markdown = (folder / "transcript.md").read_text(encoding="utf-8")
    assert "Medewerker:" in markdown and "[PERSOON-1]" in markdown  # the explanation line
    assert not (settings.transcripts_dir / BAD_ID / "redacted.json").exists()


@pytest.mark.slow
def test_unredacted_text_is_only_stored_encrypted(flow_run):
    settings = flow_run[2]
    raw_file = settings.transcripts_dir / GOOD_ID / transcripts.RAW_NAME
    raw = transcripts.read_raw(raw_file.parent, transcripts.load_key(None, settings.transcript_key_file, settings.home))
    assert raw.segments and raw.model.model_id == "whisper-base (bundled)"
    content = raw_file.read_bytes()
    for segment in raw.segments:
        for word in segment.text.split():
            if len(word) > 3:
                assert word.encode("utf-8") not in content
    assert oct(raw_file.stat().st_mode & 0o777) == "0o600"


@pytest.mark.slow
def test_run_leaves_no_personal_data_in_logs_or_prefect(flow_run, sample_pii):
    state, _engine, settings, messages, caller_number = flow_run
    logs, run, tasks, artifacts = _prefect_records(state.state_details.flow_run_id)
    key = transcripts.load_key(None, settings.transcript_key_file, settings.home)
    raw = transcripts.read_raw(settings.transcripts_dir / GOOD_ID, key)
    haystack = "\n".join(
        messages
        + [log.message for log in logs]
        + [json.dumps(run.parameters), json.dumps(state.result())]
        + [json.dumps(t.task_inputs, default=str) + str(t.state.message if t.state else "") for t in tasks]
        + [json.dumps(a.data, default=str) + str(a.description) for a in artifacts]
    ).casefold()
    assert logs and GOOD_ID.casefold() in haystack, "the run was logged, by id"
    forbidden = list(sample_pii[GOOD_ID]) + [caller_number, "+31687654321"]
    forbidden += [s.text for s in raw.segments if len(s.text.split()) >= 3]
    leaked = [value for value in forbidden if value.casefold() in haystack]
    assert leaked == []


def test_deployments_declare_the_flow_without_personal_parameters(home):
    from callscribe.flows.serve import deployments

    declared = deployments()
    assert [(d.flow_name, d.name) for d in declared] == [
        ("transcribe-recordings", "on-request"), ("expire-recordings", "daily"),
        ("draw-coaching-sample", "monthly"), ("release-request", "on-request"),
        ("carry-out-subject-request", "on-request"),
    ]
    assert all(d.parameters == {} for d in declared)
    monthly = declared[2]
    (schedule,) = monthly.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 3 1 * *", "Europe/Amsterdam")


def test_progress_reports_reach_the_active_board_only():
    from callscribe.flows import progress

    progress.report("R-0", 5.0, 10.0)  # no board: dropped without error
    with progress.ProgressBoard(total_audio_seconds=90.0, disable=True) as board:
        progress.report("R-1", 30.0, 60.0)
        progress.report("R-2", 45.0, 30.0)  # done beyond the total is capped
        assert board._done == {"R-1": 30.0, "R-2": 30.0}
        tasks = {t.description: t for t in board._progress.tasks}
        assert tasks["audio minutes"].completed == 60.0
        assert tasks["R-1"].fields["minutes"] == "0.5/1.0 min"
    progress.report("R-3", 1.0, 1.0)
    assert "R-3" not in board._done


@pytest.fixture
def engine_with_samples(settings):
    engine = catalogue.get_engine(settings.catalogue_url)
    catalogue.ingest(engine, SAMPLES, SAMPLES / "calls.csv", settings.audio_dir)
    return engine


def test_a_call_erased_during_its_transcription_leaves_nothing_behind(engine_with_samples, settings, monkeypatch):
    """The fault: retention during a transcription of the same call deleted the call, and the
    encrypted raw transcript stayed on disk until the next daily run."""
    import logging

    import callscribe.flows.transcribe as flow_module
    from callscribe.pipeline.errors import StoreError
    from callscribe.pipeline.policy import retention
    from callscribe.pipeline.storage import transcripts as folders
    from callscribe.pipeline.types import ModelInfo, Segment, Transcript, TranscriptionOptions

    engine, call_id = engine_with_samples, "TBI-2026-000101"

    def transcribe_while_erased(path, settings, **kwargs):
        retention.erase(engine, settings.home, [call_id], subject="AVG-2026-0001")  # meanwhile
        return Transcript(segments=(Segment("klant", 0.0, 1.0, "Goedemorgen."),), duration=1.0, channel_layout="mono",
                          speakers=("klant",), model=ModelInfo("base", "-", "cpu", "int8", 2),
                          options=TranscriptionOptions())

    monkeypatch.setattr(flow_module.process, "transcribe_file", transcribe_while_erased)
    monkeypatch.setattr(flow_module, "get_run_logger", lambda: logging.getLogger("test"))
    audio = flow_module.load_recording.fn(call_id)
    with pytest.raises(StoreError, match="deleted during its transcription"):
        flow_module.transcribe_recording.fn(call_id, audio)
    assert not folders.TranscriptFolder.of(settings.transcripts_dir, call_id).path.exists()
    assert catalogue.get_tombstone(engine, call_id) is not None
