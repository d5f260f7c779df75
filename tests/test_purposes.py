"""A transcription needs a purpose someone else agreed to: an approved transcript request, an
approved access request or a coaching pick (the bundled samples for the demo). Real SQLite
catalogue, the library, the CLI and a real flow run."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from callscribe.cli.main import main
from callscribe.pipeline.errors import PolicyError
from callscribe.pipeline.policy import audit, coaching, complaints, subjects, transcribing
from callscribe.pipeline.policy.transcribing import Purpose
from callscribe.pipeline.storage import catalogue
from callscribe.pipeline.storage.schema import coaching_picks
from tests.conftest import SAMPLES, approve_transcripts

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

AMS = ZoneInfo("Europe/Amsterdam")
REASON = "Klant wil nalezen wat er is afgesproken in dit gesprek."


def _add(engine, call_id, start=None, employee="MW-017", number="+31612345678", state="ingested"):
    start = start or datetime.now(UTC) - timedelta(days=3)
    with engine.begin() as conn:
        conn.execute(sa.insert(catalogue.recordings).values(
            call_id=call_id, call_start=start, duration_s=120.0, employee_id=employee, caller_number=number,
            direction="inbound", audio_path=f"audio/{call_id}.wav", sha256="0" * 64, channel_layout="stereo",
            state=state, ingested_at=start))


@pytest.fixture
def engine(settings, staff):
    engine = catalogue.get_engine(settings.catalogue_url)
    for call_id, number in (("C-1", "+31612345678"), ("C-2", "+31612345678"), ("C-3", "+31201234567")):
        _add(engine, call_id, number=number)
    return engine


def _transcribe_entries(engine):
    with engine.connect() as conn:
        return conn.execute(sa.select(audit.audit_log).where(audit.audit_log.c.action == "recordings.transcribe")).all()


def test_a_team_leader_cannot_transcribe_any_call_without_a_purpose(engine):
    """The attack: `callscribe transcribe` let one person transcribe any call without a reason or
    a second person."""
    with pytest.raises(PolicyError, match="C-1: no approved transcript request"):
        transcribing.plan(engine, "bob", ["C-1"], pending=False)
    result = CliRunner().invoke(main, ["transcribe", "C-1", "--as", "bob"])
    assert result.exit_code == 1 and "no approved transcript request" in result.output
    assert "hint: `callscribe requests add --kind transcript" in result.output
    assert "Traceback" not in result.output
    assert catalogue.get_recording(engine, "C-1").state == "ingested"
    assert _transcribe_entries(engine) == []


def test_a_request_that_is_filed_or_rejected_is_no_purpose_yet(engine):
    filed = complaints.create_request(engine, "kim", kind="transcript", call_id="C-1", reason=REASON,
                                      employee_id="MW-017")
    with pytest.raises(PolicyError, match="no approved"):
        transcribing.plan(engine, "bob", ["C-1"], pending=False)
    complaints.reject_request(engine, "bob", filed.request_id, reason="Niet onderbouwd, de klant is al teruggebeld.")
    with pytest.raises(PolicyError, match="no approved"):
        transcribing.plan(engine, "bob", ["C-1"], pending=False)
    listen = complaints.create_request(engine, "kim", kind="listen_back", call_id="C-1", reason=REASON,
                                       employee_id="MW-017")
    complaints.approve_request(engine, "bob", listen.request_id)
    with pytest.raises(PolicyError, match="no approved"):  # listening back is not reading
        transcribing.plan(engine, "bob", ["C-1"], pending=False)


def test_each_purpose_is_found_recorded_and_audited(engine, settings):
    (request_id,) = approve_transcripts(engine, ["C-1"]).values()
    access = subjects.file_request(engine, settings, "access", "+31 6 1234 5678", REASON, "kim")
    subjects.decide(engine, settings, access.request_id, "anna", approve=True)
    with engine.begin() as conn:
        conn.execute(sa.insert(coaching_picks).values(
            month="2026-10", employee_id="MW-017", call_id="C-3", call_start=datetime(2026, 10, 5, tzinfo=UTC),
            candidates=1, candidates_sha256="0" * 64, algorithm="test", drawn_at=datetime.now(UTC), drawn_by="bob"))

    plan = transcribing.plan(engine, "ivo", ["C-1", "C-2", "C-3"], pending=False)
    # C-1 has an approved request and (by its number) the access request: the request comes first
    assert plan.batches == {Purpose.QUALITY: ["C-1"], Purpose.ACCESS_REQUEST: ["C-2"], Purpose.COACHING: ["C-3"]}
    assert plan.references == {"C-1": request_id, "C-2": access.request_id, "C-3": "2026-10/MW-017"}
    (entry,) = _transcribe_entries(engine)
    assert entry.actor == "ivo" and json.loads(entry.details)["recordings"] == plan.references
    assert audit.verify(engine).ok


def test_pending_takes_only_calls_with_a_purpose_and_counts_the_rest(engine):
    approve_transcripts(engine, ["C-2"])
    plan = transcribing.plan(engine, "bob", [], pending=True)
    assert plan.call_ids == ["C-2"] and plan.left_out == 2
    result = CliRunner().invoke(main, ["transcribe", "--pending", "--as", "bob"])
    assert "2 recording(s) not yet transcribed have no purpose and are left out" in result.output


def test_pending_with_nothing_justified_says_so(engine):
    with pytest.raises(PolicyError, match="3 waiting without a purpose"):
        transcribing.plan(engine, "bob", [], pending=True)


@pytest.mark.slow
def test_a_flow_run_started_another_way_leaves_unjustified_calls_alone(engine, prefect_harness):
    """A deployment run (`prefect deployment run transcribe-recordings/on-request`) checks too."""
    from callscribe.flows.transcribe import with_concurrency

    summary = with_concurrency(1)(recording_ids=["C-1", "C-2"], purpose="quality")
    assert (summary["recordings"], summary["transcribed"], summary["failed"]) == (2, 0, 2)
    assert all("no purpose quality" in f["reason"] for f in summary["failures"])
    assert {catalogue.get_recording(engine, c).state for c in ("C-1", "C-2")} == {"ingested"}, "not marked failed"


def test_the_demo_transcribes_only_unchanged_samples(settings, tmp_path):
    engine = catalogue.get_engine(settings.catalogue_url)
    transcribing.ingest_samples(engine, settings.audio_dir, settings.retention_timezone)
    ids = transcribing.sample_ids()
    assert transcribing.start_demo(engine, ids).call_ids == ids
    _add(engine, "C-9")
    with pytest.raises(PolicyError, match="C-9: not a bundled sample"):
        transcribing.start_demo(engine, ["C-9"])
    # a call that reuses a sample's id with other audio is no sample
    with engine.begin() as conn:
        conn.execute(sa.update(catalogue.recordings).where(catalogue.recordings.c.call_id == ids[0])
                     .values(sha256="1" * 64))
    assert transcribing.unjustified(engine, ids, "demo") == [ids[0]]
    entries = _transcribe_entries(engine)
    assert [e.actor for e in entries] == ["demo"]


def test_samples_are_dated_last_month_and_stay_put_when_ingested_again(settings):
    engine = catalogue.get_engine(settings.catalogue_url)
    now = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    first = transcribing.ingest_samples(engine, settings.audio_dir, "Europe/Amsterdam", now=now)
    assert first.added == len(transcribing.sample_ids())
    starts = {r.call_id: r.call_start.astimezone(AMS) for r in catalogue.list_recordings(engine)}
    assert {(s.year, s.month) for s in starts.values()} == {(2026, 2)}
    with open(SAMPLES / "calls.csv", encoding="utf-8") as handle:
        written = {line.split(",")[0]: datetime.fromisoformat(line.split(",")[1]) for line in handle.read().splitlines()[1:]}
    for call_id, start in starts.items():
        assert start.time() == written[call_id].astimezone(AMS).time(), "the local time of day is kept"
    again = transcribing.ingest_samples(engine, settings.audio_dir, "Europe/Amsterdam", now=now + timedelta(days=40))
    assert (again.added, again.unchanged) == (0, first.added)
    assert {r.call_id: r.call_start.astimezone(AMS) for r in catalogue.list_recordings(engine)} == starts


@given(now=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)),
       day=st.integers(1, 31), minute=st.integers(0, 24 * 60 - 1))
def test_a_sample_moved_to_last_month_is_past_recent_and_in_that_month(now, day, minute):
    written = datetime(2026, 1, day, tzinfo=AMS) + timedelta(minutes=minute)
    moved = transcribing._in_previous_month(written, now, "Europe/Amsterdam")
    assert coaching.month_of(moved, "Europe/Amsterdam") == coaching.previous_month(now, "Europe/Amsterdam")
    assert timedelta(0) < now - moved < timedelta(days=62), "a month that has ended, and not yet expired"
