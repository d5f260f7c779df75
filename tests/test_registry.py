"""The complaint registry and four-eyes requests, in a real SQLite catalogue (no Whisper, no Prefect)."""

import json
import os
from datetime import UTC, datetime, timedelta

import docx
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from callscribe.cli.main import main
from callscribe.pipeline.errors import AccessDeniedError, PolicyError, RecordingNotFoundError, StoreError
from callscribe.pipeline.policy import audit, complaints, outbox
from callscribe.pipeline.policy.retention import expires_at
from callscribe.pipeline.storage import catalogue, transcripts
from tests.conftest import SAMPLES

CALL = "TBI-2026-000101"  # employee MW-017, caller +31657214836, call-001.wav
OTHER_CALL = "TBI-2026-000102"
PHONE = "+31657214836"
REASON = "Klant betwist de toezegging over de opzegtermijn in dit gesprek."
REJECTION = "Het gesprek valt buiten de klacht; eerst de klant opnieuw bellen."
DESCRIPTION = "Mevrouw Jansen (06-57214836) klaagt over een onbeantwoorde terugbelafspraak."
SECRET = "Pietersen"  # the unredacted name: only ever in the raw transcript, never in redacted.json
SEGMENTS = [
    ("medewerker", 0.0, "Goedemorgen, u spreekt met [PERSOON-1] van de klantenservice."),
    ("klant", 3.2, "Hallo, met [PERSOON-2], mijn nummer is [TELEFOONNUMMER-1]."),
    ("klant", 7.9, "Ik wil graag opzeggen."),
    ("medewerker", 65.4, "Dat regel ik voor u."),
]


@pytest.fixture
def engine(settings):
    engine = catalogue.get_engine(settings.catalogue_url)
    catalogue.ingest(engine, SAMPLES, SAMPLES / "calls.csv", settings.audio_dir)
    return engine


def transcribed(engine, settings, call_id=CALL):
    """A hand-made redacted.json for the call, and the recording marked transcribed."""
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).path
    folder.mkdir(parents=True, exist_ok=True)
    document = {"recording_id": call_id, "call_date": "2026-11-23", "purpose": "quality",
                "speakers": ["medewerker", "klant"],
                "segments": [{"speaker": s, "start": t, "end": t + 2, "text": x, "entities": []}
                             for s, t, x in SEGMENTS]}
    (folder / transcripts.REDACTED_NAME).write_text(json.dumps(document), encoding="utf-8")
    catalogue.set_state(engine, call_id, "transcribed")
    return document


def complaint(engine, user="kim", calls=(CALL,)):
    return complaints.register_complaint(engine, user, channel="telefoon", received_at=datetime(2026, 11, 24, 10, tzinfo=UTC),
                                       description=DESCRIPTION, call_ids=calls)


def approved(engine, kind="transcript", requester="kim", approver="bob"):
    k = complaint(engine)
    r = complaints.create_request(engine, requester, kind=kind, call_id=CALL, reason=REASON, complaint_id=k.complaint_id)
    return complaints.approve_request(engine, approver, r.request_id, note="akkoord")


def audit_rows(engine):
    with engine.connect() as conn:
        return conn.execute(sa.select(audit.audit_log).order_by(audit.audit_log.c.seq)).all()


def test_complaints_are_numbered_per_year_and_keep_the_description_out_of_the_list(engine, staff):
    first, second = complaint(engine), complaint(engine, user="bob", calls=())
    year = datetime.now(UTC).year
    assert (first.complaint_id, second.complaint_id) == (f"K-{year}-0001", f"K-{year}-0002")
    listed = complaints.list_complaints(engine, "kim")
    assert [c.complaint_id for c in listed] == [first.complaint_id, second.complaint_id]
    assert listed[0].call_ids == (CALL,) and all(c.description is None for c in listed)
    assert DESCRIPTION not in repr(complaints.get_complaint(engine, "kim", first.complaint_id, with_description=True))
    assert complaints.get_complaint(engine, "kim", first.complaint_id, with_description=True).description == DESCRIPTION
    with pytest.raises(AccessDeniedError):
        complaints.list_complaints(engine, "cor")
    with pytest.raises(RecordingNotFoundError, match="not in the catalogue"):
        complaint(engine, calls=("TBI-0000",))
    with pytest.raises(PolicyError, match="channel"):
        complaints.register_complaint(engine, "kim", channel="fax", received_at=datetime.now(UTC), description="x")


def test_requests_need_a_reason_of_minimum_length_and_exactly_one_ground(engine, staff):
    k = complaint(engine)
    for reason in (None, "", "te kort"):
        with pytest.raises(PolicyError, match="reason"):
            complaints.create_request(engine, "kim", kind="transcript", call_id=CALL, reason=reason,
                                    complaint_id=k.complaint_id)
    with pytest.raises(PolicyError, match="exactly one"):
        complaints.create_request(engine, "kim", kind="transcript", call_id=CALL, reason=REASON)
    with pytest.raises(PolicyError, match="exactly one"):
        complaints.create_request(engine, "kim", kind="transcript", call_id=CALL, reason=REASON,
                                complaint_id=k.complaint_id, employee_id="MW-017")
    with pytest.raises(PolicyError, match="own calls"):
        complaints.create_request(engine, "kim", kind="listen_back", call_id=OTHER_CALL, reason=REASON,
                                employee_id="MW-017")
    with pytest.raises(RecordingNotFoundError, match="not in the catalogue"):
        complaints.create_request(engine, "kim", kind="transcript", call_id="NOPE", reason=REASON,
                                complaint_id=k.complaint_id)
    with pytest.raises(PolicyError, match="not in the registry"):
        complaints.create_request(engine, "kim", kind="transcript", call_id=CALL, reason=REASON, complaint_id="K-1999-0001")
    own = complaints.create_request(engine, "bob", kind="listen_back", call_id=CALL, reason=REASON, employee_id="MW-017")
    assert (own.state, own.employee_id, own.complaint_id) == ("requested", "MW-017", None)
    assert REASON not in repr(own)


def test_roles_are_enforced(engine, staff):
    k = complaint(engine)
    with pytest.raises(AccessDeniedError, match="request.create"):
        complaints.create_request(engine, "cor", kind="transcript", call_id=CALL, reason=REASON, complaint_id=k.complaint_id)
    with pytest.raises(AccessDeniedError, match="complaint.register"):
        complaint(engine, user="ivo")
    r = complaints.create_request(engine, "kim", kind="transcript", call_id=CALL, reason=REASON, complaint_id=k.complaint_id)
    for user in ("kim", "ivo", "cor"):
        with pytest.raises(AccessDeniedError, match="request.decide"):
            complaints.approve_request(engine, user, r.request_id)
    complaints.approve_request(engine, "anna", r.request_id)
    for user in ("kim", "cor"):
        with pytest.raises(AccessDeniedError, match="request.release"):
            complaints.check_release(engine, user, r.request_id)
    assert complaints.check_release(engine, "ivo", r.request_id).state == "approved"
    with pytest.raises(AccessDeniedError):
        complaints.list_requests(engine, "cor")


def test_nobody_decides_on_their_own_request(engine, staff):
    k = complaint(engine, user="bob")
    r = complaints.create_request(engine, "bob", kind="transcript", call_id=CALL, reason=REASON, complaint_id=k.complaint_id)
    with pytest.raises(PolicyError, match="four-eyes"):
        complaints.approve_request(engine, "bob", r.request_id)
    with pytest.raises(PolicyError, match="four-eyes"):
        complaints.reject_request(engine, "bob", r.request_id, REJECTION)
    assert complaints.approve_request(engine, "bea", r.request_id).decided_by == "bea"


def test_state_machine_and_rejection_needs_a_reason(engine, staff, settings):
    k = complaint(engine)
    r = complaints.create_request(engine, "kim", kind="transcript", call_id=CALL, reason=REASON, complaint_id=k.complaint_id)
    with pytest.raises(PolicyError, match="approves it first"):
        complaints.check_release(engine, "ivo", r.request_id)
    for reason in (None, "nee"):
        with pytest.raises(PolicyError, match="rejection"):
            complaints.reject_request(engine, "bob", r.request_id, reason)
    rejected = complaints.reject_request(engine, "bob", r.request_id, REJECTION)
    assert rejected.state == "rejected" and rejected.decision_reason == REJECTION and rejected.decided_at
    with pytest.raises(PolicyError, match="is rejected"):
        complaints.approve_request(engine, "bea", r.request_id)
    with pytest.raises(PolicyError, match="is rejected"):
        complaints.release(engine, settings, "ivo", r.request_id)
    a = approved(engine)
    with pytest.raises(PolicyError, match="is approved"):
        complaints.approve_request(engine, "bea", a.request_id)
    transcribed(engine, settings)
    complaints.release(engine, settings, "ivo", a.request_id)
    with pytest.raises(PolicyError, match="released already"):
        complaints.release(engine, settings, "ivo", a.request_id)
    states = {x.request_id: x.state for x in complaints.list_requests(engine, "ivo")}
    assert states == {r.request_id: "rejected", a.request_id: "released"}
    assert [x.request_id for x in complaints.list_requests(engine, "kim", "released")] == [a.request_id]


def test_transcript_release_gives_redacted_markdown_and_docx(engine, staff, settings):
    a = approved(engine)
    with pytest.raises(StoreError, match="no redacted transcript"):
        complaints.release(engine, settings, "ivo", a.request_id)
    assert complaints.get_request(engine, a.request_id).state == "approved"  # nothing left, nothing recorded
    assert not complaints.transcript_ready(engine, settings.transcripts_dir, CALL)
    transcribed(engine, settings)
    assert complaints.transcript_ready(engine, settings.transcripts_dir, CALL)
    now = datetime.now(UTC)
    result = complaints.release(engine, settings, "ivo", a.request_id, now=now)
    assert result.files == (f"{CALL}-{a.request_id}.md", f"{CALL}-{a.request_id}.docx", f"{CALL}-{a.request_id}.pdf")
    recording = catalogue.get_recording(engine, CALL)
    assert result.expires_at == min(now + timedelta(days=settings.outbox_days),
                                    expires_at(recording.call_start, settings.retention_days, settings.retention_timezone))
    md = (settings.outbox_dir / result.files[0]).read_text(encoding="utf-8")
    paragraphs = [p.text for p in docx.Document(str(settings.outbox_dir / result.files[1])).paragraphs]
    turns = ["[00:00:00] Medewerker: " + SEGMENTS[0][2],
             "[00:00:03] Klant: " + SEGMENTS[1][2] + " " + SEGMENTS[2][2],
             "[00:01:05] Medewerker: " + SEGMENTS[3][2]]
    assert paragraphs[-3:] == turns
    assert transcripts.TAG_EXPLANATION in paragraphs and transcripts.TAG_EXPLANATION in md
    assert "Datum van het gesprek: 23 november 2026" in paragraphs and "23 november 2026" in md
    assert "Sprekers: Medewerker, Klant" in paragraphs
    for turn in turns:
        assert turn.split(": ", 1)[1] in md
    for path in (settings.outbox_dir / f for f in result.files):
        assert os.stat(path).st_mode & 0o777 == 0o600
    everything = md + "\n".join(paragraphs)
    for value in (SECRET, PHONE, DESCRIPTION, REASON, "MW-017"):
        assert value not in everything
    released = complaints.get_request(engine, a.request_id)
    assert (released.state, released.released_by, released.released_at) == ("released", "ivo", now)


def test_listen_back_copy_is_identical_private_time_limited_and_swept(engine, staff, settings):
    a = approved(engine, kind="listen_back", requester="bob", approver="anna")
    now = datetime.now(UTC)
    result = complaints.release(engine, settings, "bea", a.request_id, now=now)
    recording = catalogue.get_recording(engine, CALL)
    copy = settings.outbox_dir / f"{CALL}-{a.request_id}.wav"
    assert result.files == (copy.name,)
    assert copy.read_bytes() == (settings.home / recording.audio_path).read_bytes() == (SAMPLES / "call-001.wav").read_bytes()
    assert os.stat(copy).st_mode & 0o777 == 0o600
    assert result.expires_at <= now + timedelta(hours=settings.listen_copy_hours)
    assert result.expires_at <= expires_at(recording.call_start, settings.retention_days, settings.retention_timezone)
    assert outbox.sweep(engine, settings.outbox_dir, now=now + timedelta(hours=1)) == 0
    assert outbox.sweep(engine, settings.outbox_dir, now=result.expires_at) == 1
    assert not copy.exists()


def test_a_release_that_cannot_be_recorded_takes_its_files_back(engine, staff, settings, monkeypatch):
    a = approved(engine, kind="listen_back", requester="bob", approver="anna")

    def failing_record(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(complaints.audit, "record", failing_record)
    with pytest.raises(OSError):
        complaints.release(engine, settings, "bea", a.request_id)
    assert not any(settings.outbox_dir.iterdir())
    with engine.connect() as conn:
        assert conn.execute(sa.select(outbox.outbox_items)).all() == []
    assert complaints.get_request(engine, a.request_id).state == "approved"


def test_an_expired_recording_is_not_released(engine, staff, settings):
    a = approved(engine, kind="listen_back")
    recording = catalogue.get_recording(engine, CALL)
    later = expires_at(recording.call_start, settings.retention_days, settings.retention_timezone)
    with pytest.raises(PolicyError, match="expired"):
        complaints.release(engine, settings, "ivo", a.request_id, now=later)


def test_every_step_is_audited_with_ids_only(engine, staff, settings):
    a = approved(engine)
    transcribed(engine, settings)
    complaints.release(engine, settings, "ivo", a.request_id)
    k = complaint(engine)
    r = complaints.create_request(engine, "kim", kind="listen_back", call_id=CALL, reason=REASON, complaint_id=k.complaint_id)
    complaints.reject_request(engine, "anna", r.request_id, REJECTION)
    l = approved(engine, kind="listen_back")
    complaints.release(engine, settings, "anna", l.request_id)
    complaints.get_complaint(engine, "kim", k.complaint_id, with_description=True)
    rows = audit_rows(engine)
    actions = [row.action for row in rows if not row.action.startswith("user.")]
    for step in ("complaint.registered", "request.created", "request.approved", "request.rejected",
                 "transcript.released", "audio.retrieved", "request.released", "complaint.viewed"):
        assert step in actions
    released = [json.loads(row.details) for row in rows if row.action == "request.released"]
    assert all(d["requested_by"] != d["approved_by"] for d in released)
    assert json.loads(next(row.details for row in rows if row.action == "request.created")) == {
        "kind": "transcript", "call": CALL, "complaint": a.complaint_id}
    assert audit.verify(engine).ok
    text = "\n".join(f"{row.subject} {row.details}" for row in rows)
    for value in (REASON, REJECTION, DESCRIPTION, PHONE, "06-57214836", "akkoord", "Jansen"):
        assert value not in text


def test_the_description_and_reasons_stay_out_of_the_logs(engine, staff, settings, caplog):
    caplog.set_level("DEBUG")
    a = approved(engine)
    transcribed(engine, settings)
    complaints.release(engine, settings, "ivo", a.request_id)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert a.request_id in logged
    for value in (REASON, DESCRIPTION, PHONE, SEGMENTS[1][2]):
        assert value not in logged


def test_cli_main_path(engine, staff, settings):
    runner = CliRunner()

    def run(*args, user="kim"):
        return runner.invoke(main, [*args, "--as", user], catch_exceptions=False)

    added = run("complaints", "add", "--channel", "e-mail", "--received", "2026-11-24T09:14:03+01:00",
                "--description", DESCRIPTION, "--call", CALL)
    assert added.exit_code == 0, added.output
    complaint_id = added.output.strip()
    listed = run("complaints", "list")
    assert complaint_id in listed.output and CALL in listed.output and DESCRIPTION not in listed.output
    assert DESCRIPTION in run("complaints", "show", complaint_id).output
    bad = run("requests", "add", "--kind", "transcript", "--call", CALL, "--complaint", complaint_id, "--reason", "kort")
    assert bad.exit_code == 1 and "at least 30" in bad.stderr
    req = run("requests", "add", "--kind", "listen-back", "--call", CALL, "--complaint", complaint_id, "--reason", REASON,
              user="bob")
    assert req.exit_code == 0, req.output
    request_id = req.output.strip()
    own = run("requests", "approve", request_id, user="bob")
    assert own.exit_code == 1 and "four-eyes" in own.stderr
    assert run("requests", "approve", request_id, "--note", "akkoord", user="bea").exit_code == 0
    rows = run("requests", "list", "--state", "approved", user="ivo").output
    assert request_id in rows and "bea" in rows and REASON not in rows
    assert REASON in run("requests", "show", request_id, user="ivo").output
    refused = run("requests", "release", request_id, user="cor")
    assert refused.exit_code == 1 and "request.release" in refused.stderr
    missing = run("complaints", "add", "--channel", "telefoon", "--received", "2026-11-24T09:14:03")
    assert missing.exit_code == 2


def test_cli_adds_its_own_hint_to_the_library_s_message(engine, staff):
    unknown = CliRunner().invoke(main, ["requests", "show", "V-1999-0001", "--as", "ivo"])
    assert unknown.exit_code == 1 and "request V-1999-0001 is not on record" in unknown.stderr
    assert "hint: `callscribe requests list` lists the known ids" in unknown.stderr
    with pytest.raises(PolicyError) as refused:
        complaints.get_request(engine, "V-1999-0001")
    assert "callscribe" not in str(refused.value)


def test_two_releases_of_one_request_at_once_leave_one_release_with_its_files(engine, staff, settings, monkeypatch):
    """The fault: two releases of one approved request at once (5 of 5) left it `released` and
    audited while the outbox file and its record were gone. Both releasers here pass the approval
    check and meet at a barrier before either writes."""
    import threading

    from callscribe.pipeline.errors import ConcurrentChangeError

    a = approved(engine, kind="listen_back", requester="bob", approver="anna")
    barrier = threading.Barrier(2, timeout=30)
    checked = complaints._releasable

    def check_then_meet(*args):
        result = checked(*args)
        barrier.wait()
        return result

    monkeypatch.setattr(complaints, "_releasable", check_then_meet)
    outcomes = []

    def release(user):
        try:
            outcomes.append(complaints.release(engine, settings, user, a.request_id))
        except Exception as err:  # noqa: BLE001 - collected and checked below
            outcomes.append(err)

    threads = [threading.Thread(target=release, args=(user,)) for user in ("bea", "ivo")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    released = [o for o in outcomes if isinstance(o, complaints.Release)]
    assert len(released) == 1 and [type(o) for o in outcomes if o not in released] == [ConcurrentChangeError]
    copy = settings.outbox_dir / released[0].files[0]
    assert copy.is_file(), "the winner's file is still there"
    with engine.connect() as conn:
        assert [r.name for r in conn.execute(sa.select(outbox.outbox_items))] == [copy.name]
    assert complaints.get_request(engine, a.request_id).state == "released"
    assert audit.verify(engine).ok
