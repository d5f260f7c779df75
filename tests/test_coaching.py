"""The coaching workflow: the keyed monthly draw, eligibility, sessions (ids, notes, the employee's
acknowledgement), roles, audit, coaching transcripts that keep the employee's name, the CLI, the
migration of older catalogues and one real flow run."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from callscribe.pipeline.errors import AccessDeniedError, DuplicateSessionError, PolicyError
from callscribe.pipeline.policy import audit, coaching
from callscribe.pipeline.storage import catalogue, schema, transcripts
from callscribe.pipeline.types import ModelInfo, Segment, Transcript, TranscriptionOptions
from tests.conftest import SAMPLES

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)  # early November: October has ended, nothing expired
SECRET = b"k" * 32
EMPLOYEE_NAME = "Sanne de Vries"
CUSTOMER_NAME = "Pieter Jansen"


def _add(engine, call_id, start, employee="MW-017", duration=120.0, state="ingested"):
    with engine.begin() as conn:
        conn.execute(sa.insert(catalogue.recordings).values(
            call_id=call_id, call_start=start, duration_s=duration, employee_id=employee,
            caller_number="+31600000000", direction="inbound", audio_path=f"audio/{call_id}.wav",
            sha256="0" * 64, channel_layout="stereo", state=state, ingested_at=start,
        ))


def _october(engine, employees=("MW-017", "MW-023"), per_employee=5):
    for e, employee in enumerate(employees):
        for i in range(per_employee):
            _add(engine, f"C-{employee}-{i}", datetime(2026, 10, 2 + i, 9 + e, tzinfo=AMS), employee)


def _last_month() -> tuple[str, datetime]:
    """The calendar month before today (Amsterdam) and a moment in it: for CLI tests on the real clock."""
    month = coaching.previous_month(datetime.now(UTC), "Europe/Amsterdam")
    year, number = map(int, month.split("-"))
    return month, datetime(year, number, 10, 11, 0, tzinfo=AMS)


@pytest.fixture
def engine(settings, staff):
    return catalogue.get_engine(settings.catalogue_url)


# --- the keyed draw -----------------------------------------------------------------------------


def test_draw_is_reproducible_with_the_key_and_different_with_another():
    cases = [(f"{2020 + y}-{m:02d}", f"MW-{e:03d}") for y in range(3) for m in range(1, 13) for e in range(8)]
    calls = [f"C-{i}" for i in range(10)]
    first = [coaching.choose(SECRET, month, employee, calls) for month, employee in cases]
    again = [coaching.choose(SECRET, month, employee, list(reversed(calls))) for month, employee in cases]
    other = [coaching.choose(b"another secret key", month, employee, calls) for month, employee in cases]
    assert first == again  # same key, any candidate order: the same picks
    differing = sum(a != b for a, b in zip(first, other))
    assert differing > 0.75 * len(cases)  # expected 90 % with ten candidates


def test_every_eligible_call_is_equally_likely():
    calls = [f"TBI-{i:03d}" for i in range(10)]
    months = [f"{year}-{m:02d}" for year in range(1850, 2017) for m in range(1, 13)][:2000]
    counts = [0] * len(calls)
    for month in months:
        counts[calls.index(coaching.choose(SECRET, month, "MW-017", calls))] += 1
    expected = len(months) / len(calls)
    chi_square = sum((count - expected) ** 2 / expected for count in counts)
    assert chi_square < 27.88, counts  # 0.999 critical value, 9 degrees of freedom


def test_a_pick_stays_when_calls_that_were_not_picked_come_or_go():
    calls = [f"C-{i}" for i in range(7)]
    pick = coaching.choose(SECRET, "2026-10", "MW-017", calls)
    others = [c for c in calls if c != pick]
    for size in range(len(others) + 1):
        assert coaching.choose(SECRET, "2026-10", "MW-017", [pick, *others[:size]]) == pick


# --- eligibility and months ---------------------------------------------------------------------


def test_short_unknown_failed_and_expiring_calls_are_excluded(engine, settings, monkeypatch):
    day = datetime(2026, 10, 5, 10, tzinfo=AMS)
    _add(engine, "LONG", day)
    _add(engine, "SHORT", day, duration=59.0)
    _add(engine, "UNKNOWN", day, duration=None)
    _add(engine, "FAILED", day, state="failed")
    _add(engine, "EXPIRING", day, state="expiring")
    _add(engine, "DONE", day, state="transcribed")
    assert coaching.eligible_calls(engine, settings, "2026-10", NOW) == {"MW-017": ["DONE", "LONG"]}
    monkeypatch.setenv("CALLSCRIBE_COACHING_EXCLUDE_FAILED", "false")
    monkeypatch.setenv("CALLSCRIBE_COACHING_MIN_DURATION_S", "0")
    from callscribe.pipeline.settings import get_settings

    assert coaching.eligible_calls(engine, get_settings(), "2026-10", NOW) == {
        "MW-017": ["DONE", "FAILED", "LONG", "SHORT", "UNKNOWN"]}
    # expired calls, not yet removed by the retention run, are not drawn
    assert coaching.eligible_calls(engine, settings, "2026-10", NOW + timedelta(days=60)) == {}


def test_months_are_calendar_months_in_amsterdam(engine, settings):
    _add(engine, "LATE-OCT-UTC", datetime(2026, 10, 31, 23, 30, tzinfo=UTC))  # 00:30 on 1 November locally
    _add(engine, "EARLY-OCT", datetime(2026, 9, 30, 22, 30, tzinfo=UTC))  # 00:30 on 1 October locally
    assert coaching.eligible_calls(engine, settings, "2026-10", NOW) == {"MW-017": ["EARLY-OCT"]}
    assert coaching.eligible_calls(engine, settings, "2026-11", datetime(2026, 12, 2, tzinfo=UTC)) == {
        "MW-017": ["LATE-OCT-UTC"]}
    assert coaching.quarter_months("2026Q4") == ("2026-10", "2026-11", "2026-12")
    assert coaching.previous_month(datetime(2026, 1, 1, 0, 30, tzinfo=AMS), "Europe/Amsterdam") == "2025-12"


def test_a_month_that_has_not_ended_is_refused(engine, settings, staff):
    with pytest.raises(PolicyError, match="has not ended yet"):
        coaching.draw(engine, settings, "2026-11", "bob", NOW)
    with pytest.raises(PolicyError, match="has not ended yet"):  # 23:30 UTC on 31 Oct is still October locally
        coaching.draw(engine, settings, "2026-10", "bob", datetime(2026, 10, 31, 22, 30, tzinfo=UTC))
    for bad in ("2026-13", "2026-1", "oktober"):
        with pytest.raises(PolicyError, match="YYYY-MM"):
            coaching.draw(engine, settings, bad, "bob", NOW)
    with pytest.raises(PolicyError, match="YYYYQn"):
        coaching.quarter_months("2026-Q4")


# --- draws, sessions, audit ---------------------------------------------------------------------


def test_one_pick_per_employee_and_redrawing_changes_nothing(engine, settings, staff, monkeypatch):
    monkeypatch.setenv("CALLSCRIBE_POLICY_SECRET", "s" * 32)
    from callscribe.pipeline.settings import get_settings

    settings = get_settings()
    _october(engine)
    first = coaching.draw(engine, settings, "2026-10", "bob", NOW)
    assert not first.already_drawn
    assert [p.employee_id for p in first.picks] == ["MW-017", "MW-023"]
    for pick in first.picks:
        assert pick.candidates == 5 and pick.algorithm == coaching.ALGORITHM and pick.drawn_by == "bob"
        ids = [f"C-{pick.employee_id}-{i}" for i in range(5)]
        assert pick.call_id == coaching.choose(("s" * 32).encode(), "2026-10", pick.employee_id, ids)  # auditors reproduce
        assert pick.candidates_sha256 == coaching.candidates_digest(ids)
    _add(engine, "C-EXTRA", datetime(2026, 10, 20, 9, tzinfo=AMS), "MW-017")
    _add(engine, "C-NEW", datetime(2026, 10, 20, 9, tzinfo=AMS), "MW-099")
    again = coaching.draw(engine, settings, "2026-10", "anna", NOW + timedelta(days=1))
    assert again.already_drawn and again.picks == first.picks
    with engine.connect() as conn:
        drawn = conn.execute(sa.select(audit.audit_log).where(audit.audit_log.c.action == "coaching.drawn")).all()
    assert len(drawn) == 1 and drawn[0].subject == "coaching:2026-10" and drawn[0].actor == "bob"
    assert json.loads(drawn[0].details) == {"algorithm": coaching.ALGORITHM, "candidates": 10, "employees": 2, "picks": 2}


def test_the_policy_key_file_is_created_once_and_private(settings):
    first = coaching.load_secret(None, settings.keys_dir)
    assert coaching.load_secret(None, settings.keys_dir) == first
    assert (settings.keys_dir / "policy.key").stat().st_mode & 0o777 == 0o600
    assert settings.keys_dir.stat().st_mode & 0o777 == 0o700
    with pytest.raises(Exception, match="CALLSCRIBE_POLICY_SECRET"):
        coaching.load_secret("short", settings.keys_dir)


def test_sessions_need_a_pick_and_are_audited(engine, settings, staff):
    _october(engine)
    coaching.draw(engine, settings, "2026-10", None, NOW)
    with pytest.raises(PolicyError, match="no coaching pick for employee MW-404"):
        coaching.log_session(engine, "2026-10", "MW-404", "cor", now=NOW)
    with pytest.raises(PolicyError, match="before 2026-10 was drawn"):
        coaching.log_session(engine, "2026-10", "MW-017", "cor", NOW - timedelta(days=1), now=NOW)
    session = coaching.log_session(engine, "2026-10", "MW-017", "cor", NOW + timedelta(hours=2),
                                   now=NOW + timedelta(days=1))
    assert session.coach == "cor"
    rows = coaching.quarter_overview(engine, settings, "2026Q4", "cor")
    assert [(r["employee_id"], r["sessions"]) for r in rows] == [("MW-017", 1), ("MW-023", 0)]
    with engine.connect() as conn:
        entries = conn.execute(sa.select(audit.audit_log).order_by(audit.audit_log.c.seq)).all()
    drawn = next(e for e in entries if e.action == "coaching.drawn")
    assert (drawn.actor, drawn.role) == ("system", "system")
    logged = [e for e in entries if e.action == "coaching.session"]
    assert len(logged) == 1 and logged[0].subject == session.session_id
    assert json.loads(logged[0].details) == {"month": "2026-10", "employee": "MW-017", "call": session.call_id,
                                             "note": False}
    assert audit.verify(engine).ok


# --- coaching transcripts keep the employee's name ----------------------------------------------


def _store_transcript(settings, engine, call_id):
    from callscribe.pipeline import process

    transcript = Transcript(
        segments=(
            Segment("medewerker", 0.0, 3.0, f"Goedemorgen, u spreekt met {EMPLOYEE_NAME} van TBI Direct."),
            Segment("klant", 3.0, 7.0, f"Goedemorgen, met {CUSTOMER_NAME}. Mijn nummer is 06 12 34 56 78."),
            Segment("medewerker", 7.0, 10.0, "Dank u, meneer Jansen. Ik ben Sanne, ik help u graag."),
        ),
        duration=10.0, channel_layout="stereo", speakers=("medewerker", "klant"),
        model=ModelInfo("base", "-", "cpu", "int8", 2), options=TranscriptionOptions(),
    )
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).path
    key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
    transcripts.write_raw(folder, transcript, key)
    record = catalogue.get_recording(engine, call_id)
    transcripts.write_redacted(folder, call_id, record.call_start, transcript,
                         process.redact_transcript(transcript, settings), "coaching", settings.retention_timezone)
    return folder


@pytest.mark.parametrize("show", [True, False], ids=["name-shown", "name-hidden"])
def test_coaching_transcript_keeps_only_the_employees_name(engine, staff, monkeypatch, show):
    monkeypatch.setenv("CALLSCRIBE_COACHING_SHOW_EMPLOYEE_NAME", "true" if show else "false")
    from callscribe.pipeline.settings import get_settings

    settings = get_settings()
    _add(engine, "TBI-1", datetime(2026, 10, 5, 10, tzinfo=AMS))
    coaching.set_employee_name(engine, "MW-017", EMPLOYEE_NAME, "bob")
    folder = _store_transcript(settings, engine, "TBI-1")
    text = coaching.write_coaching_transcript(engine, settings, "TBI-1", "MW-017").read_text(encoding="utf-8")
    customer = (folder / "transcript.md").read_text(encoding="utf-8")
    for rendering in (text, customer):
        assert "Pieter" not in rendering and "Jansen" not in rendering and "06 12 34 56 78" not in rendering
        assert rendering.startswith("# Transcript van gesprek TBI-1")
    assert "Sanne" not in customer  # the customer's transcript stays fully redacted
    if show:
        assert EMPLOYEE_NAME in text and "Ik ben Sanne," in text
    else:
        assert "Sanne" not in text and "Vries" not in text and text == customer
    with engine.connect() as conn:
        details = " ".join(r.details + r.subject for r in conn.execute(sa.select(audit.audit_log)))
    assert "Sanne" not in details and "Vries" not in details and "MW-017" in details


# --- the command line ---------------------------------------------------------------------------


def _cli(*args, stdin: str | None = None):
    from callscribe.cli.main import main

    return CliRunner().invoke(main, list(args), input=stdin)


def test_cli_draw_list_and_session_with_roles(engine, settings):
    month, start = _last_month()
    for i in range(3):
        _add(engine, f"CLI-{i}", start + timedelta(hours=i), "MW-017")
    _add(engine, "CLI-9", start, "MW-023", duration=10.0)  # too short: MW-023 gets no pick
    denied = _cli("coaching", "draw", "--month", month, "--no-transcribe", "--as", "kim")
    assert denied.exit_code == 1 and "klachtendesk" in denied.output
    assert _cli("coaching", "draw", "--month", "2026-13", "--as", "bob").exit_code == 2
    this_month = coaching.month_of(datetime.now(UTC), "Europe/Amsterdam")
    unended = _cli("coaching", "draw", "--month", this_month, "--no-transcribe", "--as", "bob")
    assert unended.exit_code == 1 and "has not ended yet" in unended.output

    drawn = _cli("coaching", "draw", "--month", month, "--no-transcribe", "--as", "bob")
    assert drawn.exit_code == 0, drawn.output
    assert "1 pick(s)" in drawn.output and "MW-017" in drawn.output and "expires" in drawn.output
    again = _cli("coaching", "draw", "--month", month, "--no-transcribe", "--as", "anna")
    assert "drawn before" in again.output and drawn.output.splitlines()[-1] == again.output.splitlines()[-1]

    year, number = map(int, month.split("-"))
    quarter = f"{year}Q{(number - 1) // 3 + 1}"
    assert _cli("coaching", "list", "--quarter", quarter, "--as", "kim").exit_code == 1
    assert _cli("coaching", "list", "--quarter", "2026-4", "--as", "cor").exit_code == 2
    missing = _cli("coaching", "session", "--month", month, "--employee", "MW-023", "--as", "cor")
    assert missing.exit_code == 1 and "no coaching pick" in missing.output
    held = _cli("coaching", "session", "--month", month, "--employee", "MW-017", "--as", "cor")
    assert held.exit_code == 0, held.output
    listed = _cli("coaching", "list", "--quarter", quarter, "--json", "--as", "cor")
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert len(rows) == 1 and rows[0]["employee_id"] == "MW-017" and rows[0]["sessions"] == 1
    assert rows[0]["call_id"].startswith("CLI-") and rows[0]["transcript"] == "ingested"

    assert _cli("employees", "set-name", "MW-017", EMPLOYEE_NAME, "--as", "cor").exit_code == 1
    assert _cli("employees", "set-name", "MW-017", EMPLOYEE_NAME, "--as", "bob").exit_code == 0
    people = _cli("employees", "list", "--as", "cor")
    assert people.exit_code == 0 and "MW-017" in people.output and "name on file" in people.output
    assert EMPLOYEE_NAME not in people.output
    assert audit.verify(engine).ok


# --- one real flow run --------------------------------------------------------------------------


@pytest.mark.slow
def test_flow_draws_transcribes_and_writes_the_coaching_transcript(prefect_harness, home, monkeypatch, tmp_path):
    """The scheduled run: previous month, as the system, the pick transcribed and redacted."""
    monkeypatch.setenv("CALLSCRIBE_COACHING_MIN_DURATION_S", "0")
    from callscribe.flows.coaching import draw_coaching_sample
    from callscribe.pipeline.settings import get_settings

    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    _, start = _last_month()
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(SAMPLES / "call-004.ogg", folder / "call.ogg")
    (folder / "calls.csv").write_text(
        "call_id,call_start,employee_id,caller_number,direction,file\n"
        f"TBI-FLOW-1,{start.isoformat()},MW-023,+31302748196,outbound,call.ogg\n", encoding="utf-8")
    catalogue.ingest(engine, folder, folder / "calls.csv", settings.audio_dir)

    summary = draw_coaching_sample()
    assert summary["employees"] == 1 and summary["transcribed"] == 1 and summary["coaching_transcripts"] == 1
    assert summary["picks"][0]["call_id"] == "TBI-FLOW-1" and summary["picks"][0]["employee_id"] == "MW-023"
    out = settings.transcripts_dir / "TBI-FLOW-1"
    assert (out / "coaching.md").read_text(encoding="utf-8") == (out / "transcript.md").read_text(encoding="utf-8")
    assert json.loads((out / "redacted.json").read_text(encoding="utf-8"))["purpose"] == "coaching"
    again = draw_coaching_sample()
    assert again["already_drawn"] and again["transcribed"] == 0 and again["picks"] == summary["picks"]
    assert audit.verify(engine).ok


def test_the_draw_reports_employees_without_an_eligible_call(engine, settings):
    """The gap: an employee with no eligible call in a month was skipped silently, leaving the
    quarter's three calls short without anyone knowing."""
    _october(engine)
    _add(engine, "C-SEPT", datetime(2026, 9, 15, 9, tzinfo=AMS), "MW-031")  # a call, but not in October
    drawn = coaching.draw(engine, settings, "2026-10", None, NOW)
    assert [p.employee_id for p in drawn.picks] == ["MW-017", "MW-023"] and drawn.without_calls == ("MW-031",)
    assert coaching.draw(engine, settings, "2026-10", None, NOW).without_calls == ("MW-031",), "also when found again"


def test_set_name_refuses_an_employee_the_catalogue_does_not_know(engine):
    _october(engine)
    with pytest.raises(PolicyError, match="MW-404 has no calls in the catalogue"):
        coaching.set_employee_name(engine, "MW-404", "Iemand Anders", "bob")
    assert coaching.employee_name(engine, "MW-404") is None


def test_the_same_session_logged_twice_needs_a_confirmation(engine, settings):
    _october(engine)
    coaching.draw(engine, settings, "2026-10", None, NOW)
    held = NOW + timedelta(hours=2)
    coaching.log_session(engine, "2026-10", "MW-017", "cor", held, now=NOW + timedelta(days=1))
    with pytest.raises(PolicyError, match="logged for that day already"):
        coaching.log_session(engine, "2026-10", "MW-017", "cor", held + timedelta(minutes=5), now=NOW + timedelta(days=1))
    coaching.log_session(engine, "2026-10", "MW-017", "cor", held + timedelta(minutes=5), now=NOW + timedelta(days=1),
                         again=True)
    assert len([s for s in coaching.sessions_of(engine, ["2026-10"]) if s.employee_id == "MW-017"]) == 2


def test_sessions_on_one_local_day_are_one_day_whatever_the_utc_date(engine, settings):
    """00:30 and 23:30 Amsterdam time on one winter day fall on two UTC dates (23:30 the day
    before in UTC for the first): still the same day for the coach."""
    _october(engine)
    coaching.draw(engine, settings, "2026-10", None, NOW)
    early = datetime(2026, 11, 4, 0, 30, tzinfo=AMS)
    coaching.log_session(engine, "2026-10", "MW-017", "cor", early, now=NOW + timedelta(days=3))
    with pytest.raises(DuplicateSessionError):
        coaching.log_session(engine, "2026-10", "MW-017", "cor", early.replace(hour=23), now=NOW + timedelta(days=3))
    coaching.log_session(engine, "2026-10", "MW-017", "cor", early + timedelta(days=1), now=NOW + timedelta(days=3))


def test_reading_a_coaching_transcript_is_authorised_and_audited(engine, settings):
    _october(engine)
    draw = coaching.draw(engine, settings, "2026-10", None, NOW)
    call_id = next(p.call_id for p in draw.picks if p.employee_id == "MW-017")
    assert coaching.read_coaching_transcript(engine, settings, "2026-10", "MW-017", "cor") is None, "not transcribed"
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id)
    folder.path.mkdir(parents=True)
    folder.coaching.write_text("# Transcript van gesprek\n", encoding="utf-8")
    assert coaching.read_coaching_transcript(engine, settings, "2026-10", "MW-017", "cor").startswith("# Transcript")
    with pytest.raises(AccessDeniedError):
        coaching.read_coaching_transcript(engine, settings, "2026-10", "MW-017", "kim")
    with engine.connect() as conn:
        viewed = conn.execute(sa.select(audit.audit_log).where(
            audit.audit_log.c.action == "coaching.transcript_viewed")).all()
    assert [(r.actor, r.subject) for r in viewed] == [("cor", call_id)]


# --- session ids, notes and the employee's acknowledgement ---------------------------------------

# personal data about the employee (and a customer's name, as coaches may write one down)
NOTE = "Sanne bleef rustig toen meneer Pieter Jansen boos werd; oefenen: samenvatten voor het afsluiten."
NOTE_WORDS = ("Sanne", "rustig", "Pieter", "Jansen", "samenvatten")


def _october_drawn(engine, settings):
    _october(engine)
    coaching.draw(engine, settings, "2026-10", None, NOW)


def _audit_text(engine) -> str:
    with engine.connect() as conn:
        return "\n".join(f"{r.action} {r.subject} {r.details}" for r in conn.execute(sa.select(audit.audit_log)))


def test_sessions_get_yearly_ids(engine, settings):
    _october_drawn(engine, settings)
    first = coaching.log_session(engine, "2026-10", "MW-017", "cor", now=NOW + timedelta(hours=1))
    second = coaching.log_session(engine, "2026-10", "MW-023", "bob", now=NOW + timedelta(hours=2))
    assert (first.session_id, second.session_id) == ("CS-2026-0001", "CS-2026-0002")
    assert not first.has_note and first.acknowledged_at is None


def test_a_note_is_kept_in_the_catalogue_only(engine, settings, caplog):
    caplog.set_level("DEBUG")
    _october_drawn(engine, settings)
    session = coaching.log_session(engine, "2026-10", "MW-017", "cor", now=NOW + timedelta(hours=1),
                                   note=f"  {NOTE}\r\n")
    assert session.has_note and session.note is None, "logging a session does not hand the note back"
    with engine.connect() as conn:
        stored = conn.execute(sa.select(schema.coaching_sessions.c.note)).scalar_one()
    assert stored == NOTE, "stored once, whitespace at the ends stripped"
    (listed,) = coaching.sessions_of(engine, ["2026-10"])
    assert listed.has_note and listed.note is None
    overview = json.dumps(coaching.quarter_overview(engine, settings, "2026Q4", "cor"))
    assert '"note": true' in overview

    shown = coaching.get_session(engine, session.session_id, "bob")
    assert shown.note == NOTE and shown.has_note
    assert NOTE not in repr(shown), "a printed or logged session never shows its note"
    for refused in ("kim", "ivo"):
        with pytest.raises(AccessDeniedError, match="coaching.note.read needs"):
            coaching.get_session(engine, session.session_id, refused)
    with pytest.raises(PolicyError, match="no coaching session 'CS-2026-0404'"):
        coaching.get_session(engine, "CS-2026-0404", "cor")

    audited = _audit_text(engine)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for word in NOTE_WORDS:
        assert word not in audited and word not in logged and word not in overview, word
    with engine.connect() as conn:
        entries = {r.action: json.loads(r.details) for r in conn.execute(sa.select(audit.audit_log))}
    assert entries["coaching.session"]["note"] is True
    assert entries["coaching.session_viewed"] == {"note": True}, "reading the note is audited, by id"
    assert audit.verify(engine).ok


def test_a_note_too_long_or_not_plain_text_is_refused_and_nothing_is_stored(engine, settings):
    _october_drawn(engine, settings)
    before = audit.verify(engine).entries
    too_long = "Geheim " + "x" * schema.COACHING_NOTE_MAX
    with pytest.raises(PolicyError, match="has 1007 characters; a coaching note holds at most 1000") as refused:
        coaching.log_session(engine, "2026-10", "MW-017", "cor", now=NOW + timedelta(hours=1), note=too_long)
    assert "Geheim" not in str(refused.value), "the message gives the length, never the text"
    with pytest.raises(PolicyError, match="not UTF-8"):
        coaching.log_session(engine, "2026-10", "MW-017", "cor", now=NOW + timedelta(hours=1), note="b\udcffad")
    with pytest.raises(PolicyError, match="control characters"):
        coaching.log_session(engine, "2026-10", "MW-017", "cor", now=NOW + timedelta(hours=1), note="a\x1b[2Jb")
    assert coaching.sessions_of(engine, ["2026-10"]) == [] and audit.verify(engine).entries == before

    assert coaching.check_note("  \n\t ") is None
    assert coaching.check_note("regel een\r\n\tregel twee") == "regel een\n\tregel twee"
    longest = "é" * schema.COACHING_NOTE_MAX
    assert coaching.log_session(engine, "2026-10", "MW-017", "cor", now=NOW + timedelta(hours=1),
                                note=longest).has_note, "exactly the maximum is fine"


def test_the_acknowledgement_is_recorded_once_by_a_role_that_may(engine, settings):
    _october_drawn(engine, settings)
    held = coaching.log_session(engine, "2026-10", "MW-017", "cor", now=NOW + timedelta(hours=1))
    other = coaching.log_session(engine, "2026-10", "MW-023", "cor", now=NOW + timedelta(hours=1))
    for refused in ("kim", "ivo"):
        with pytest.raises(AccessDeniedError, match="coaching.acknowledge needs"):
            coaching.acknowledge_session(engine, held.session_id, refused, now=NOW + timedelta(hours=2))
    with pytest.raises(PolicyError, match="no coaching session 'CS-2026-0404' on record"):
        coaching.acknowledge_session(engine, "CS-2026-0404", "cor")

    at = NOW + timedelta(hours=2)
    done = coaching.acknowledge_session(engine, held.session_id, "cor", now=at)
    assert (done.acknowledged_at, done.acknowledged_by) == (at, "cor")
    with pytest.raises(PolicyError, match=f"session {held.session_id} was acknowledged already: recorded "
                                          "2026-11-03T12:00\\+01:00 by cor"):
        coaching.acknowledge_session(engine, held.session_id, "bob", now=at + timedelta(days=1))
    assert coaching.acknowledge_session(engine, other.session_id, "bob", now=at).acknowledged_by == "bob"

    rows = {r["employee_id"]: r["session_details"] for r in coaching.quarter_overview(engine, settings, "2026Q4", "cor")}
    assert rows["MW-017"] == [{"session_id": "CS-2026-0001", "held_at": "2026-11-03T11:00+01:00", "coach": "cor",
                               "note": False, "acknowledged_at": "2026-11-03T12:00+01:00", "acknowledged_by": "cor"}]
    with engine.connect() as conn:
        acknowledged = conn.execute(sa.select(audit.audit_log)
                                    .where(audit.audit_log.c.action == "coaching.acknowledged")).all()
    assert [(e.subject, e.actor) for e in acknowledged] == [(held.session_id, "cor"), (other.session_id, "bob")]
    assert json.loads(acknowledged[0].details) == {"month": "2026-10", "employee": "MW-017"}
    assert audit.verify(engine).ok


def test_an_older_catalogue_gets_the_note_and_acknowledgement_columns(home, tmp_path):
    """A catalogue from before notes and acknowledgements: opening it adds the columns, its sessions
    (with their old ids) read as without note and not acknowledged, and can be acknowledged."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    old = sa.create_engine(url)
    schema.metadata.create_all(old)
    with old.begin() as conn:
        for column in ("note", "acknowledged_at", "acknowledged_by"):
            conn.execute(sa.text(f"ALTER TABLE coaching_sessions DROP COLUMN {column}"))
        conn.execute(sa.insert(catalogue.recordings).values(
            call_id="OLD-1", call_start=datetime(2026, 10, 5, 10, tzinfo=AMS), duration_s=90.0, employee_id="MW-017",
            caller_number="+31600000000", direction="inbound", audio_path="audio/OLD-1.wav", sha256="0" * 64,
            channel_layout="stereo", state="ingested", ingested_at=NOW))
        conn.execute(sa.insert(schema.coaching_picks).values(
            month="2026-10", employee_id="MW-017", call_id="OLD-1", call_start=datetime(2026, 10, 5, 10, tzinfo=AMS),
            candidates=1, candidates_sha256="0" * 64, algorithm=coaching.ALGORITHM, drawn_at=NOW, drawn_by="system"))
        conn.execute(sa.text(
            "INSERT INTO coaching_sessions (session_id, month, employee_id, call_id, coach, held_at, created_at) "
            "VALUES ('0123456789abcdef0123456789abcdef', '2026-10', 'MW-017', 'OLD-1', 'cor', "
            "'2026-11-03 10:00:00', '2026-11-03 10:00:00')"))
        conn.execute(sa.insert(schema.users).values(user_id="cor", role="coach", active=True, created_at=NOW,
                                                    created_by="anna", changed_at=NOW))
    old.dispose()
    assert "note" not in {c["name"] for c in sa.inspect(sa.create_engine(url)).get_columns("coaching_sessions")}

    engine = catalogue.get_engine(url)
    assert {"note", "acknowledged_at", "acknowledged_by"} <= {
        c["name"] for c in sa.inspect(engine).get_columns("coaching_sessions")}
    (session,) = coaching.sessions_of(engine, ["2026-10"])
    assert (session.has_note, session.acknowledged_at) == (False, None)
    coaching.acknowledge_session(engine, session.session_id, "cor", now=NOW + timedelta(hours=2))
    new = coaching.log_session(engine, "2026-10", "MW-017", "cor", now=NOW + timedelta(days=1), note="Goed gesprek.")
    assert new.session_id == "CS-2026-0001", "old hexadecimal ids do not disturb the numbering"


def test_cli_note_list_show_and_acknowledge(engine, settings, tmp_path):
    month, start = _last_month()
    _add(engine, "CLI-1", start, "MW-017")
    _add(engine, "CLI-2", start, "MW-023")
    assert _cli("coaching", "draw", "--month", month, "--no-transcribe", "--as", "bob").exit_code == 0
    year, number = map(int, month.split("-"))
    quarter = f"{year}Q{(number - 1) // 3 + 1}"
    note_file = tmp_path / "note.txt"
    note_file.write_text(NOTE + "\n", encoding="utf-8")

    too_long = tmp_path / "long.txt"
    too_long.write_text("Geheim " + "x" * 1000, encoding="utf-8")
    refused = _cli("coaching", "session", "--month", month, "--employee", "MW-017", "--note-file", str(too_long),
                   "--as", "cor")
    assert refused.exit_code == 1 and refused.stderr.strip().splitlines() == [
        "error: the note has 1007 characters; a coaching note holds at most 1000"]
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Geheim: café".encode("latin-1"))
    refused = _cli("coaching", "session", "--month", month, "--employee", "MW-017", "--note-file", str(latin1),
                   "--as", "cor")
    assert refused.exit_code == 1 and refused.stderr.strip() == "error: the note file is not UTF-8 text: save it as UTF-8"
    assert "Geheim" not in refused.output

    held = _cli("coaching", "session", "--month", month, "--employee", "MW-017", "--note-file", str(note_file),
                "--as", "cor")
    assert held.exit_code == 0, held.output
    assert held.output.startswith("session CS-") and "note stored" in held.output
    session_id = held.output.split()[1].rstrip(":")
    from_stdin = _cli("coaching", "session", "--month", month, "--employee", "MW-023", "--note-file", "-",
                      "--as", "bob", stdin="Via standaardinvoer.\n")
    assert from_stdin.exit_code == 0 and "note stored" in from_stdin.output

    listed = _cli("coaching", "list", "--quarter", quarter, "--as", "cor")
    assert listed.exit_code == 0, listed.output
    line = next(x for x in listed.output.splitlines() if session_id in x)
    assert "note yes" in line and "not acknowledged" in line
    denied = _cli("coaching", "show-session", session_id, "--as", "kim")
    assert denied.exit_code == 1 and "coaching.note.read needs" in denied.output and "Sanne" not in denied.output
    shown = _cli("coaching", "show-session", session_id, "--as", "cor")
    assert shown.exit_code == 0 and NOTE in shown.output and "not acknowledged" in shown.output

    assert _cli("coaching", "acknowledge", session_id, "--as", "kim").exit_code == 1
    unknown = _cli("coaching", "acknowledge", "CS-1999-0001", "--as", "cor")
    assert unknown.exit_code == 1 and "no coaching session 'CS-1999-0001'" in unknown.stderr
    acknowledged = _cli("coaching", "acknowledge", session_id, "--as", "cor")
    assert acknowledged.exit_code == 0 and "acknowledgement recorded" in acknowledged.output
    twice = _cli("coaching", "acknowledge", session_id, "--as", "cor")
    assert twice.exit_code == 1 and len(twice.stderr.strip().splitlines()) == 1
    assert "was acknowledged already" in twice.stderr
    listed = _cli("coaching", "list", "--quarter", quarter, "--json", "--as", "cor")
    rows = {r["employee_id"]: r for r in map(json.loads, listed.output.splitlines())}
    assert rows["MW-017"]["session_details"][0]["acknowledged_by"] == "cor"
    assert rows["MW-023"]["session_details"][0]["acknowledged_at"] is None

    everything = listed.output + _cli("coaching", "list", "--quarter", quarter, "--as", "cor").output + _audit_text(engine)
    for word in NOTE_WORDS + ("standaardinvoer",):
        assert word not in everything, word
    assert audit.verify(engine).ok
