"""Retention: the policy across daylight-saving changes, crash-safe deletion, tombstones, orphans,
symbolic links, a dry run, the CLI, a real Prefect flow run and a property test.

Real SQLite and real files in the test's home; crashes are injected by replacing the unlink the
retention module calls; clocks are passed in (``now``), never read.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from callscribe.pipeline.errors import AccessDeniedError, IngestError, PolicyError
from callscribe.pipeline.policy import audit, retention
from callscribe.pipeline.policy.retention import apply_retention, expires_at
from callscribe.pipeline.storage import catalogue
from tests.conftest import SAMPLES

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

SECOND = timedelta(seconds=1)
OLD = datetime(2025, 1, 1, tzinfo=UTC).timestamp()


@pytest.fixture
def engine(settings):
    return catalogue.get_engine(settings.catalogue_url)


def add(engine, home: Path, call_id: str, call_start: str | datetime, *, transcribed: bool = True,
        outbox: tuple[str, ...] = (), state: str | None = None) -> None:
    """A catalogue row with its audio, and when transcribed its three transcript files."""
    start = datetime.fromisoformat(call_start) if isinstance(call_start, str) else call_start
    (home / "audio").mkdir(exist_ok=True)
    (home / "audio" / f"{call_id}.wav").write_bytes(b"RIFFaudio")
    if transcribed:
        folder = home / "transcripts" / call_id
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("raw.json.enc", "redacted.json", "transcript.md"):
            (folder / name).write_bytes(b"{}" * 3)
    for name in outbox:
        (home / "outbox").mkdir(exist_ok=True)
        (home / "outbox" / name).write_bytes(b"pdf")
    with engine.begin() as conn:
        conn.execute(sa.insert(catalogue.recordings), [dict(
            call_id=call_id, call_start=start, duration_s=60.0, employee_id="MW-042",
            caller_number="+31612345678", direction="inbound", audio_path=f"audio/{call_id}.wav",
            sha256="0" * 64, channel_layout="stereo", state=state or ("transcribed" if transcribed else "ingested"),
            ingested_at=start,
        )])


def live_ids(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(sa.select(catalogue.recordings.c.call_id)).scalars())


def store_files(home: Path) -> list[Path]:
    found = []
    for root in ("audio", "transcripts", "outbox"):
        for folder, dirs, files in os.walk(home / root):
            found += [Path(folder) / f for f in files + [d for d in dirs if (Path(folder) / d).is_symlink()]]
    return found


def assert_consistent(engine, home: Path) -> None:
    """No file without its row, no transcript without its audio, no settled row pointing at nothing."""
    with engine.connect() as conn:
        rows = {r.call_id: r for r in conn.execute(sa.select(catalogue.recordings))}
    for path in store_files(home):
        root = path.relative_to(home).parts[0]
        owner = path.relative_to(home).parts[1]
        owner = owner.rsplit(".", 1)[0] if root in ("audio", "outbox") else owner
        assert owner in rows, f"{path} has no catalogue row"
        if root in ("transcripts", "outbox"):
            assert (home / rows[owner].audio_path).exists(), f"{path} outlived its audio"
    for call_id, row in rows.items():
        if row.state != "expiring":
            assert (home / row.audio_path).exists(), f"row {call_id} points at nothing"


@pytest.mark.parametrize(
    "call_start, expiry",
    [
        ("2026-03-01T10:00:00+01:00", "2026-05-02T10:00:00+02:00"),  # winter → summer time
        ("2026-08-30T10:00:00+02:00", "2026-10-31T10:00:00+01:00"),  # summer → winter time
        ("2026-08-26T02:30:00+02:00", "2026-10-27T02:30:00+01:00"),
    ],
    ids=["spring-forward", "fall-back", "night"],
)
def test_one_second_before_expiry_kept_one_second_after_deleted(engine, home, call_start, expiry):
    add(engine, home, "C-1", call_start, outbox=("C-1.pdf",))
    moment = datetime.fromisoformat(expiry)
    assert expires_at(datetime.fromisoformat(call_start)) == moment
    assert expires_at(datetime.fromisoformat(call_start)).utcoffset() == moment.utcoffset()

    report = apply_retention(engine, home, now=moment - SECOND)
    assert report.recordings_expired == 0 and live_ids(engine) == {"C-1"}
    assert len(store_files(home)) == 5
    assert report.oldest_remaining_id == "C-1" and report.oldest_remaining_expires_at == moment

    report = apply_retention(engine, home, now=moment + SECOND)
    assert (report.recordings_expired, report.files_deleted, report.bytes_deleted) == (1, 5, 9 + 3 * 6 + 3)
    assert live_ids(engine) == set() and store_files(home) == []
    assert not (home / "transcripts" / "C-1").exists()
    tomb = catalogue.get_tombstone(engine, "C-1")
    assert tomb.call_date.isoformat() == call_start[:10] and tomb.expired_at == moment
    assert tomb.deleted == ("audio", "outbox", "transcripts/raw.json.enc", "transcripts/redacted.json",
                            "transcripts/transcript.md")
    assert (tomb.files_deleted, tomb.resumed) == (5, False)
    assert report.oldest_remaining_id is None and report.days[0].recordings == 1


def test_expiry_moment_itself_deletes_and_tombstones_hold_no_personal_data(engine, home, settings):
    add(engine, home, "C-1", "2026-03-01T10:00:00+01:00")
    apply_retention(engine, home, now=datetime.fromisoformat("2026-05-02T10:00:00+02:00"))
    assert live_ids(engine) == set()
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(catalogue.recordings)).scalar() == 0
    database = Path(settings.catalogue_url.removeprefix("sqlite:///"))
    engine.dispose()
    content = b"".join(p.read_bytes() for p in database.parent.glob("catalogue.sqlite*"))
    assert b"+31612345678" not in content and b"MW-042" not in content, "secure_delete zeroes the old row"


class Killed(BaseException):
    """The process dying mid-run: nothing after it runs."""


@pytest.mark.parametrize("survive", [0, 1, 3, 4, 6, 10])
def test_a_run_killed_after_n_deletions_leaves_no_orphan_and_the_next_run_finishes(engine, home, monkeypatch, survive):
    for i in range(3):
        add(engine, home, f"C-{i}", f"2026-01-0{i + 1}T09:00:00+01:00", outbox=(f"C-{i}.pdf",))
    add(engine, home, "YOUNG", "2026-03-20T09:00:00+01:00")
    now = datetime.fromisoformat("2026-03-15T02:30:00+01:00")
    calls = {"n": 0}

    def dying_unlink(path):
        if calls["n"] == survive:
            raise Killed
        calls["n"] += 1
        os.unlink(path)

    monkeypatch.setattr(retention, "_unlink", dying_unlink)
    with pytest.raises(Killed):
        apply_retention(engine, home, now=now)
    assert_consistent(engine, home)
    monkeypatch.setattr(retention, "_unlink", os.unlink)

    report = apply_retention(engine, home, now=now)
    assert_consistent(engine, home)
    assert live_ids(engine) == {"YOUNG"}
    assert report.recordings_expired == 3 and report.resumed == 3, "the killed run had marked all three"
    assert all(catalogue.get_tombstone(engine, f"C-{i}") for i in range(3))
    assert {p.name for p in store_files(home)} == {"YOUNG.wav", "raw.json.enc", "redacted.json", "transcript.md"}
    again = apply_retention(engine, home, now=now)
    assert (again.recordings_expired, again.files_deleted, again.orphans_swept) == (0, 0, 0), "twice is harmless"


def test_a_file_that_cannot_be_deleted_keeps_its_row_expiring_until_a_later_run(engine, home, monkeypatch):
    add(engine, home, "A", "2026-01-01T09:00:00+01:00")
    add(engine, home, "B", "2026-01-02T09:00:00+01:00")
    now = datetime.fromisoformat("2026-04-01T00:00:00+02:00")

    def refuse_b(path):
        if "B" in Path(path).parts[-2:][0] or Path(path).name == "B.wav":
            raise PermissionError(13, "denied")
        os.unlink(path)

    monkeypatch.setattr(retention, "_unlink", refuse_b)
    report = apply_retention(engine, home, now=now)
    assert (report.recordings_expired, report.failed) == (1, 1)
    assert catalogue.get_recording(engine, "B").state == "expiring"
    assert_consistent(engine, home)
    monkeypatch.setattr(retention, "_unlink", os.unlink)
    report = apply_retention(engine, home, now=now)
    assert (report.recordings_expired, report.resumed, report.failed) == (1, 1, 0)
    assert live_ids(engine) == set() and store_files(home) == []


def test_orphans_older_than_the_retention_period_are_swept_young_ones_kept(engine, home):
    add(engine, home, "LIVE", "2026-03-10T09:00:00+01:00")
    (home / "audio" / "GHOST.wav").write_bytes(b"12345")
    (home / "transcripts" / "GHOST").mkdir()
    (home / "transcripts" / "GHOST" / "redacted.json").write_bytes(b"{}")
    (home / "audio" / ".NEW.wav.x1.tmp").write_bytes(b"partial")  # an ingest copying right now
    (home / "outbox").mkdir()
    (home / "outbox" / "GHOST-export.pdf").write_bytes(b"pdf")
    for path in (home / "audio" / "GHOST.wav", home / "transcripts" / "GHOST" / "redacted.json",
                 home / "transcripts" / "GHOST", home / "outbox" / "GHOST-export.pdf"):
        os.utime(path, (OLD, OLD))
    now = datetime.fromisoformat("2026-03-15T02:30:00+01:00")
    os.utime(home / "audio" / ".NEW.wav.x1.tmp", (now.timestamp() - 60, now.timestamp() - 60))

    dry = apply_retention(engine, home, now=now, dry_run=True)
    assert (dry.orphans_swept, dry.orphan_bytes) == (3, 10) and (home / "audio" / "GHOST.wav").exists()
    report = apply_retention(engine, home, now=now)
    assert (report.orphans_swept, report.orphan_bytes, report.recordings_expired) == (3, 10, 0)
    assert not (home / "transcripts" / "GHOST").exists() and not (home / "audio" / "GHOST.wav").exists()
    assert (home / "audio" / ".NEW.wav.x1.tmp").exists() and (home / "audio" / "LIVE.wav").exists()
    assert len(list((home / "transcripts" / "LIVE").iterdir())) == 3


def test_files_written_late_for_an_expired_recording_go_at_once(engine, home):
    add(engine, home, "C-1", "2026-01-01T09:00:00+01:00")
    now = datetime.fromisoformat("2026-03-15T02:30:00+01:00")
    apply_retention(engine, home, now=now)
    late = home / "transcripts" / "C-1"
    late.mkdir()
    (late / "redacted.json").write_bytes(b"{}")  # a transcription that was still running
    report = apply_retention(engine, home, now=now)
    assert report.orphans_swept == 1 and not late.exists()


def test_outbox_exports_of_a_longer_call_id_are_not_taken(engine, home):
    add(engine, home, "C-1", "2026-01-01T09:00:00+01:00", outbox=("C-1.pdf", "C-1_klant.md"))
    add(engine, home, "C-1-2", "2026-03-01T09:00:00+01:00", outbox=("C-1-2.pdf",))
    apply_retention(engine, home, now=datetime.fromisoformat("2026-03-15T02:30:00+01:00"))
    assert sorted(p.name for p in (home / "outbox").iterdir()) == ["C-1-2.pdf"]


def test_symlinks_out_of_the_store_are_removed_as_links_and_targets_untouched(engine, home, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.wav").write_bytes(b"keep me")
    (outside / "folder").mkdir()
    (outside / "folder" / "redacted.json").write_bytes(b"keep me too")
    add(engine, home, "C-1", "2026-01-01T09:00:00+01:00", transcribed=False)
    (home / "audio" / "C-1.wav").unlink()
    (home / "audio" / "C-1.wav").symlink_to(outside / "precious.wav")
    (home / "transcripts").mkdir()
    (home / "transcripts" / "C-1").symlink_to(outside / "folder", target_is_directory=True)
    (home / "audio" / "STRAY.wav").symlink_to(outside / "precious.wav")
    os.utime(home / "audio" / "STRAY.wav", (OLD, OLD), follow_symlinks=False)
    add(engine, home, "ESCAPE", "2026-01-02T09:00:00+01:00", transcribed=False)
    with engine.begin() as conn:  # a row whose path leads out of the store
        conn.execute(sa.update(catalogue.recordings).where(catalogue.recordings.c.call_id == "ESCAPE")
                     .values(audio_path=f"audio/../../{outside.name}/precious.wav"))
    shutil.copy(outside / "precious.wav", home.parent / "precious.wav")

    report = apply_retention(engine, home, now=datetime.fromisoformat("2026-03-15T02:30:00+01:00"))
    assert report.recordings_expired == 2 and report.paths_refused == 1 and report.orphans_swept == 2
    assert not os.path.lexists(home / "audio" / "C-1.wav") and not os.path.lexists(home / "transcripts" / "C-1")
    assert not os.path.lexists(home / "audio" / "STRAY.wav")
    assert (outside / "precious.wav").read_bytes() == b"keep me"
    assert (outside / "folder" / "redacted.json").read_bytes() == b"keep me too"
    assert (home.parent / "precious.wav").read_bytes() == b"keep me"


def test_dry_run_counts_per_call_day_and_changes_nothing(engine, home):
    add(engine, home, "A", "2026-01-01T09:00:00+01:00")
    add(engine, home, "B", "2026-01-01T23:30:00+01:00")
    add(engine, home, "C", "2026-01-02T00:30:00+01:00", transcribed=False)
    before = sorted(store_files(home))
    report = apply_retention(engine, home, now=datetime.fromisoformat("2026-03-15T02:30:00+01:00"), dry_run=True)
    assert [(d.call_date.isoformat(), d.recordings, d.files, d.bytes) for d in report.days] == [
        ("2026-01-01", 2, 8, 2 * (9 + 18)), ("2026-01-02", 1, 1, 9)]
    assert sorted(store_files(home)) == before and live_ids(engine) == {"A", "B", "C"}
    assert {r.state for r in catalogue.list_recordings(engine)} == {"transcribed", "ingested"}
    frame = report.to_frame()
    assert dict(zip(frame.metric, frame.value))["recordings expired"] == "3"


def test_cli_dry_run_prints_days_and_bytes_without_personal_data(engine, home, staff):
    add(engine, home, "A", "2026-01-01T09:00:00+01:00")
    result = CliRunner().invoke(
        __import__("callscribe.cli.main", fromlist=["main"]).main,
        ["retention", "--dry-run", "--now", "2026-03-15T02:30:00+01:00", "--as", "anna"])
    assert result.exit_code == 0, result.output
    assert "2026-01-01" in result.output and "recordings would be deleted: 1 (4 files, 27 bytes" in result.output
    assert "+31612345678" not in result.output and "MW-042" not in result.output
    assert live_ids(engine) == {"A"}
    bad = CliRunner().invoke(__import__("callscribe.cli.main", fromlist=["main"]).main,
                             ["retention", "--dry-run", "--now", "2026-03-15T02:30:00", "--as", "anna"])
    assert bad.exit_code == 2 and "UTC offset" in bad.output


def test_an_expired_call_id_cannot_be_ingested_again(engine, home, settings, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "call-002.flac", folder / "x.flac")
    (folder / "calls.csv").write_text(
        "call_id,call_start,employee_id,caller_number,direction,file\n"
        "X-1,2026-01-01T10:00:00+01:00,MW-9,+31612345678,inbound,x.flac\n", encoding="utf-8")
    catalogue.ingest(engine, folder, folder / "calls.csv", settings.audio_dir)
    apply_retention(engine, home, now=datetime.fromisoformat("2026-03-15T02:30:00+01:00"))
    with pytest.raises(IngestError, match="X-1 has expired"):
        catalogue.ingest(engine, folder, folder / "calls.csv", settings.audio_dir)


def test_the_daily_deployment_runs_at_half_past_two_amsterdam_time(home):
    import asyncio

    from prefect.server.schemas.schedules import CronSchedule

    from callscribe.flows.serve import deployments

    daily = next(d for d in deployments() if d.flow_name == "expire-recordings")
    assert daily.name == "daily" and daily.parameters == {}
    (schedule,) = daily.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("30 2 * * *", "Europe/Amsterdam")
    dates = asyncio.run(CronSchedule(cron="30 2 * * *", timezone="Europe/Amsterdam").get_dates(
        n=3, start=datetime(2026, 3, 28, tzinfo=UTC)))
    assert [d.isoformat() for d in dates] == [
        "2026-03-28T02:30:00+01:00", "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"]


calls = st.lists(
    st.tuples(st.integers(0, 400 * 24 * 3600), st.booleans()), min_size=0, max_size=12,
)


@hyp_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls=calls, clock=st.integers(0, 500 * 24 * 3600), batch=st.sampled_from([1, 2, 1000]))
def test_property_no_young_recording_deleted_no_expired_one_kept(calls, clock, batch):
    base = datetime(2026, 1, 1, tzinfo=UTC)
    now = base + timedelta(seconds=clock)
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        engine = catalogue.get_engine(f"sqlite:///{home / 'catalogue.sqlite'}")
        try:
            starts = {}
            for i, (offset, transcribed) in enumerate(calls):
                starts[f"P-{i}"] = base + timedelta(seconds=offset)
                add(engine, home, f"P-{i}", starts[f"P-{i}"], transcribed=transcribed)
            report = apply_retention(engine, home, now=now, batch_size=batch)
            expired = {i for i, s in starts.items() if expires_at(s) <= now}
            assert live_ids(engine) == set(starts) - expired
            for call_id in starts:
                assert (home / "audio" / f"{call_id}.wav").exists() == (call_id not in expired)
                assert (catalogue.get_tombstone(engine, call_id) is not None) == (call_id in expired)
            assert report.recordings_expired == len(expired) and report.orphans_swept == 0
            assert_consistent(engine, home)
        finally:
            engine.dispose()


# --- a real Prefect flow run ------------------------------------------------------------------


@pytest.mark.slow
def test_flow_run_expires_recordings_and_publishes_a_report_without_personal_data(prefect_harness, engine, home,
                                                                                 monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from callscribe.flows.retention import expire_recordings

    monkeypatch.setenv("CALLSCRIBE_SIMULATED_CLOCK", "true")  # a deleting run at another moment: tests only
    add(engine, home, "A", "2026-01-01T09:00:00+01:00", outbox=("A.pdf",))
    add(engine, home, "B", "2026-03-10T09:00:00+01:00")
    state = expire_recordings(now=datetime.fromisoformat("2026-03-15T02:30:00+01:00"), return_state=True)
    report = state.result()
    assert state.is_completed() and report["recordings_expired"] == 1 and report["files_deleted"] == 5
    assert live_ids(engine) == {"B"} and catalogue.get_tombstone(engine, "A") is not None
    assert report["oldest_remaining_id"] == "B" and report["oldest_remaining_expires_at"] == "2026-05-11T09:00:00+02:00"
    assert report["prefect_error"] is None
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])))
    assert {a.key for a in artifacts} == {"retention-report", "retention-by-call-date"}
    text = repr([a.data for a in artifacts]) + repr(report)
    assert "+31612345678" not in text and "MW-042" not in text


@pytest.mark.slow
def test_flow_run_forgets_transcription_runs_older_than_the_retention_period(prefect_harness, home, monkeypatch):
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import ArtifactCreate
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Scheduled

    from callscribe.flows.retention import expire_recordings

    @flow(name="transcribe-recordings")
    def stand_in():  # pragma: no cover - only its name is used
        pass

    with get_client(sync_client=True) as client:
        old = client.create_flow_run(stand_in, state=Scheduled(scheduled_time=datetime(2020, 1, 10, tzinfo=UTC)))
        young = client.create_flow_run(stand_in, state=Scheduled(scheduled_time=datetime(2020, 5, 20, tzinfo=UTC)))
        for run in (old, young):
            client.create_artifact(ArtifactCreate(type="table", data=[{"recording_id": "A"}], flow_run_id=run.id))

    monkeypatch.setenv("CALLSCRIBE_SIMULATED_CLOCK", "true")
    dry = expire_recordings(now=datetime.fromisoformat("2020-06-01T02:30:00+02:00"), dry_run=True)
    assert (dry["prefect_runs_deleted"], dry["prefect_artifacts_deleted"]) == (1, 1)
    report = expire_recordings(now=datetime.fromisoformat("2020-06-01T02:30:00+02:00"))
    assert (report["prefect_runs_deleted"], report["prefect_artifacts_deleted"]) == (1, 1)
    with get_client(sync_client=True) as client:
        with pytest.raises(ObjectNotFound):
            client.read_flow_run(old.id)
        assert client.read_flow_run(young.id).id == young.id
        left = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[old.id, young.id])))
    assert [a.flow_run_id for a in left] == [young.id]


@pytest.mark.slow
def test_cli_runs_the_flow_as_if_at_a_given_time(prefect_harness, engine, home, staff, monkeypatch):
    from callscribe.cli.main import main

    monkeypatch.setenv("CALLSCRIBE_SIMULATED_CLOCK", "true")
    add(engine, home, "A", "2026-01-01T09:00:00+01:00")
    result = CliRunner().invoke(main, ["retention", "--now", "2026-03-15T02:30:00+01:00", "--as", "ivo"])
    assert result.exit_code == 0, result.output
    assert "recordings deleted: 1 (4 files, 27 bytes" in result.output and "oldest remaining: none" in result.output
    assert live_ids(engine) == set()



def test_a_deleting_run_at_a_simulated_time_is_refused_and_deletes_nothing(engine, home, staff):
    """The attack: `callscribe retention --now 2099-01-01T00:00:00+01:00` deleted everything."""
    from callscribe.cli.main import main

    add(engine, home, "A", "2026-11-20T09:00:00+01:00")
    result = CliRunner().invoke(main, ["retention", "--now", "2099-01-01T00:00:00+01:00", "--as", "anna"])
    assert result.exit_code == 2 and "--now only with --dry-run" in result.output
    with pytest.raises(PolicyError, match="real clock"):
        retention.run(engine, home, "anna", now=datetime(2099, 1, 1, tzinfo=UTC))
    assert live_ids(engine) == {"A"}


def test_retention_needs_its_role_and_the_audit_log_keeps_real_time_and_actor(engine, home, staff):
    with pytest.raises(AccessDeniedError, match="retention.run needs"):
        retention.run(engine, home, "kim", now=datetime(2099, 1, 1, tzinfo=UTC), dry_run=True)
    before = datetime.now(UTC)
    retention.run(engine, home, "ivo")
    retention.run(engine, home, None)  # the daily schedule
    with engine.connect() as conn:
        rows = conn.execute(audit.audit_log.select().where(audit.audit_log.c.action == "retention.run")
                            .order_by(audit.audit_log.c.seq)).all()
    assert [(r.actor, r.role) for r in rows] == [("ivo", "ict_backoffice"), ("schedule:expire-recordings", "system")]
    assert all(before - timedelta(seconds=5) <= r.at <= datetime.now(UTC) for r in rows), "the real clock"


def test_a_call_an_open_complaint_refers_to_is_held_past_its_expiry_until_it_is_closed(engine, home, staff):
    """The fault: erasing or expiring a call that an open complaint refers to silently removed it
    and left the complaint pointing at nothing."""
    from callscribe.pipeline.policy import complaints

    add(engine, home, "A", "2026-01-01T09:00:00+01:00")
    add(engine, home, "B", "2026-01-01T10:00:00+01:00")
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", call_ids=["A"],
                                              received_at=datetime(2026, 1, 2, 9, tzinfo=UTC),
                                              description="De klant is niet teruggebeld.")
    report = apply_retention(engine, home, now=datetime.fromisoformat("2026-03-15T02:30:00+01:00"))
    assert live_ids(engine) == {"A"} and report.held == (("A", complaint.complaint_id),)
    assert report.as_dict()["held"] == [{"call_id": "A", "held_by": complaint.complaint_id}]
    with pytest.raises(PolicyError, match="legal hold"):
        retention.erase(engine, home, ["A"], subject="AVG-2026-0009")
    assert live_ids(engine) == {"A"}
    complaints.close_complaint(engine, "kim", complaint.complaint_id)
    apply_retention(engine, home, now=datetime.fromisoformat("2026-03-16T02:30:00+01:00"))
    assert live_ids(engine) == set(), "closed: the hold is gone and the call expires"


def test_erasing_a_held_call_is_an_explicit_recorded_decision(engine, home, staff):
    from callscribe.pipeline.policy import complaints

    add(engine, home, "A", "2026-11-20T09:00:00+01:00")
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", call_ids=["A"],
                                              received_at=datetime(2026, 11, 21, 9, tzinfo=UTC),
                                              description="De klant is niet teruggebeld.")
    report = retention.erase(engine, home, ["A"], subject="AVG-2026-0010", override_holds=True)
    assert report.recordings_expired == 1 and live_ids(engine) == set()
    with engine.connect() as conn:
        entry = conn.execute(audit.audit_log.select().where(audit.audit_log.c.action == "recordings.erased")).one()
    assert json.loads(entry.details)["holds_overridden"] == [complaint.complaint_id]
