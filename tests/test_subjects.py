"""Data-subject requests in a real SQLite catalogue: finding a caller's recordings in any notation,
four eyes, export of redacted transcripts, and erasure that leaves exactly what expiry leaves."""

import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from callscribe.pipeline.errors import AccessDeniedError, PolicyError
from callscribe.pipeline.policy import audit, letters, outbox, retention, subjects
from callscribe.pipeline.storage import catalogue, transcripts
from tests.test_letters import DIALOGUE, JUST_AFTER_MIDNIGHT, PERSONAL, flat, pdf_text, store_transcript

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

NUMBER = "+31612345678"
OTHER = "+31201234567"
REASON = "Beller heeft identiteit aangetoond met kopie ID via klantportaal"
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def add_call(engine, home: Path, call_id: str, number: str, *, call_start: str = "2026-11-20T09:00:00+01:00",
             transcribed: bool = True, outbox_names: tuple[str, ...] = ()) -> None:
    """A catalogue row with audio, transcript files (a real redacted.json) and outbox files."""
    (home / "audio").mkdir(exist_ok=True)
    (home / "audio" / f"{call_id}.wav").write_bytes(b"RIFF" + call_id.encode())
    if transcribed:
        folder = home / "transcripts" / call_id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "raw.json.enc").write_bytes(b"encrypted")
        (folder / "transcript.md").write_text("# Transcript\n", encoding="utf-8")
        (folder / "redacted.json").write_text(json.dumps({"segments": [
            {"speaker": "klant", "start": 0.0, "end": 2.5, "text": "Mijn naam is [PERSOON-1].", "entities": []},
            {"speaker": "medewerker", "start": 2.5, "end": 4.0, "text": "Dank u, [PERSOON-1].", "entities": []},
        ]}), encoding="utf-8")
    for name in outbox_names:
        (home / "outbox").mkdir(exist_ok=True)
        (home / "outbox" / name).write_bytes(b"letter")
    start = datetime.fromisoformat(call_start)
    with engine.begin() as conn:
        conn.execute(sa.insert(catalogue.recordings).values(
            call_id=call_id, call_start=start, duration_s=95.0, employee_id="MW-042", caller_number=number,
            direction="inbound", audio_path=f"audio/{call_id}.wav", sha256="0" * 64, channel_layout="stereo",
            state="transcribed" if transcribed else "ingested", ingested_at=start))


@pytest.fixture
def engine(settings, staff):
    engine = catalogue.get_engine(settings.catalogue_url)
    add_call(engine, settings.home, "C-1", "06-1234 5678", outbox_names=("C-1-V-2026-0001.md",))
    add_call(engine, settings.home, "C-2", "0031 6 12345678", call_start="2026-10-01T14:00:00+02:00")
    add_call(engine, settings.home, "C-3", OTHER)
    return engine


@pytest.mark.parametrize("written", ["+31612345678", "06-12345678", "06 1234 5678", "0031612345678",
                                     "+31 (0)6 1234 5678", "+31 6 12 34 56 78", "(06) 12345678"])
def test_every_notation_of_a_number_is_the_same_number(written):
    assert subjects.normalise_number(written) == NUMBER


@pytest.mark.parametrize("junk", ["", "bel me", "97", "+31 6 9876 0000 9999 0000"])
def test_what_is_not_a_phone_number_is_refused_without_repeating_it(junk):
    with pytest.raises(PolicyError, match="not valid") as caught:
        subjects.normalise_number(junk)
    assert junk not in str(caught.value) or not junk


def test_every_recording_of_a_caller_is_found_whatever_the_notation(engine):
    assert subjects.find_recordings(engine, "06 12 34 56 78") == ["C-1", "C-2"]
    assert subjects.find_recordings(engine, "020-1234567") == ["C-3"]
    assert subjects.find_recordings(engine, "+32 470 12 34 56") == []


def test_filing_keeps_the_call_ids_not_the_number_and_checks_role_and_reason(engine, settings):
    with pytest.raises(AccessDeniedError):
        subjects.file_request(engine, settings, "access", NUMBER, REASON, "cor")
    with pytest.raises(PolicyError, match="too short"):
        subjects.file_request(engine, settings, "access", NUMBER, "klant belde", "kim")
    with pytest.raises(PolicyError, match="required"):
        subjects.file_request(engine, settings, "access", NUMBER, "", "kim")
    request = subjects.file_request(engine, settings, "access", NUMBER, REASON, "kim")
    assert (request.request_id, request.state, request.call_ids) == ("AVG-2026-0001", "requested", ("C-1", "C-2"))
    with engine.connect() as conn:
        stored = repr(conn.execute(sa.select(subjects.subject_requests)).all())
    assert "612345678" not in stored


def test_nobody_approves_their_own_subject_request_and_rejection_needs_a_reason(engine, settings):
    request = subjects.file_request(engine, settings, "erasure", NUMBER, REASON, "bob")
    with pytest.raises(PolicyError, match="four-eyes"):
        subjects.decide(engine, settings, request.request_id, "bob", approve=True)
    with pytest.raises(AccessDeniedError):
        subjects.decide(engine, settings, request.request_id, "kim", approve=True)
    with pytest.raises(PolicyError, match="rejection reason"):
        subjects.decide(engine, settings, request.request_id, "anna", approve=False, reason="nee")
    rejected = subjects.decide(engine, settings, request.request_id, "anna", approve=False,
                               reason="Identiteit van de beller kon niet worden vastgesteld")
    assert (rejected.state, rejected.decided_by) == ("rejected", "anna")
    with pytest.raises(PolicyError, match="only an approved request"):
        subjects.erase(engine, settings, request.request_id, "ivo")
    with pytest.raises(PolicyError, match="not awaiting a decision"):
        subjects.decide(engine, settings, request.request_id, "bea", approve=True)


def test_an_approved_access_request_exports_metadata_and_redacted_transcripts(engine, settings):
    request = subjects.file_request(engine, settings, "access", NUMBER, REASON, "kim", now=NOW)
    subjects.decide(engine, settings, request.request_id, "bea", approve=True)
    with pytest.raises(AccessDeniedError):
        subjects.export(engine, settings, request.request_id, "kim")
    items = subjects.export(engine, settings, request.request_id, "ivo", now=NOW)
    assert [i.name for i in items] == ["C-1-AVG-2026-0001.json", "C-1-AVG-2026-0001.pdf",
                                       "C-2-AVG-2026-0001.json", "C-2-AVG-2026-0001.pdf"]
    document = json.loads((settings.outbox_dir / items[0].name).read_text(encoding="utf-8"))
    assert document["caller_number"] == "06-1234 5678" and document["call_start"] == "2026-11-20T09:00:00+01:00"
    assert [s["text"] for s in document["transcript"]] == ["Mijn naam is [PERSOON-1].", "Dank u, [PERSOON-1]."]
    letter = flat(pdf_text((settings.outbox_dir / items[1].name).read_bytes()))
    assert "Klant: Mijn naam is [PERSOON-1]." in letter and "Uw telefoonnummer 06-1234 5678" in letter
    for item in items:
        assert os.stat(settings.outbox_dir / item.name).st_mode & 0o777 == 0o600
    # until outbox_days (14) or the recording's expiry, whichever is first
    assert items[0].expires_at == items[1].expires_at == NOW + timedelta(days=14)
    assert items[2].expires_at == items[3].expires_at == retention.expires_at(
        datetime.fromisoformat("2026-10-01T14:00:00+02:00"))
    assert subjects.get_request(engine, request.request_id).state == "executed"
    with pytest.raises(PolicyError):
        subjects.export(engine, settings, request.request_id, "ivo")
    with engine.connect() as conn:
        entry = conn.execute(sa.select(audit.audit_log).where(audit.audit_log.c.action == "subject.exported")).one()
    assert json.loads(entry.details) == {"recordings": 2, "files": 4, "already_gone": 0, "approved_by": "bea"}
    assert outbox.sweep(engine, settings.outbox_dir, datetime(2027, 2, 1, tzinfo=UTC)) == 4
    assert [p.name for p in settings.outbox_dir.iterdir()] == ["C-1-V-2026-0001.md"]  # not this request's


# --- the caller's own copy: a letter, and the same data for machines ------------------------------

OWN_CALL = "C-4"  # 00:30 on 1 March 2026 in Amsterdam, 28 February in UTC
OTHERS = tuple(value for value in PERSONAL if value != "12345678")  # everything but the caller's own number


def transcribed_call(engine, settings, redactor, call_id=OWN_CALL, number="06-1234 5678", dialogue=DIALOGUE):
    """A call of the caller with a real redaction and its encrypted raw transcript; its redacted document."""
    add_call(engine, settings.home, call_id, number, call_start=JUST_AFTER_MIDNIGHT.isoformat(), transcribed=False)
    key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).path
    return store_transcript(folder, redactor, call_id, JUST_AFTER_MIDNIGHT, key=key, dialogue=dialogue)


def exported(engine, settings, now=NOW) -> tuple[str, list[outbox.OutboxItem]]:
    request = subjects.file_request(engine, settings, "access", NUMBER, REASON, "kim", now=now)
    subjects.decide(engine, settings, request.request_id, "bea", approve=True)
    return request.request_id, subjects.export(engine, settings, request.request_id, "ivo", now=now)


def test_the_caller_reads_their_own_call_data_and_only_their_own_number_in_the_transcript(engine, settings, redactor):
    redacted = transcribed_call(engine, settings, redactor)
    add_call(engine, settings.home, "C-5", "+31 6 1234 5678", transcribed=False)
    request_id, items = exported(engine, settings)
    names = [item.name for item in items]
    assert names[4:] == [f"{OWN_CALL}-{request_id}.json", f"{OWN_CALL}-{request_id}.pdf",
                         f"C-5-{request_id}.json", f"C-5-{request_id}.pdf"]

    letter = flat(pdf_text((settings.outbox_dir / names[5]).read_bytes()))
    for line in (f"Ons kenmerk {request_id}", f"Gesprek {OWN_CALL}", "Datum van het gesprek 1 maart 2026",
                 "Begin van het gesprek 00:30 uur", "Duur 1 minuut en 35 seconden", "Richting inkomend (u belde ons)",
                 "Uw telefoonnummer 06-1234 5678", "Bewaard tot 2 mei 2026, 00:30 uur (62 dagen na het gesprek)",
                 letters.NOTICE, transcripts.TAG_EXPLANATION, "Met vriendelijke groet,"):
        assert line in letter, line
    # the caller's own number is back where it was said; the employee's, names and addresses are not
    assert "Klant: Hallo, met [PERSOON-2]. Mijn nummer is 06-12345678 en mijn postcode is [POSTCODE-1]." in letter
    assert "Bel me gerust terug op 06-12345678." in letter and "terugbellen op [TELEFOONNUMMER-2]." in letter
    assert "u spreekt met [PERSOON-1]" in letter
    assert not [value for value in OTHERS if value in letter]

    document = json.loads((settings.outbox_dir / names[4]).read_text(encoding="utf-8"))
    assert document["call_start"] == "2026-03-01T00:30:00+01:00" and document["caller_number"] == "06-1234 5678"
    assert document["kept_until"] == "2026-05-02T00:30:00+02:00"
    texts = [segment["text"] for segment in document["transcript"]]
    assert texts[1] == "Hallo, met [PERSOON-2]. Mijn nummer is 06-12345678 en mijn postcode is [POSTCODE-1]."
    assert [t.replace("06-12345678", "[TELEFOONNUMMER-1]") for t in texts] == [
        s["text"] for s in redacted["segments"]]  # only the caller's own number differs from the redacted transcript
    assert not [value for value in OTHERS if value in json.dumps(texts, ensure_ascii=False)]

    untranscribed = flat(pdf_text((settings.outbox_dir / names[7]).read_bytes()))
    assert letters.NOT_TRANSCRIBED in untranscribed and "Uw telefoonnummer +31 6 1234 5678" in untranscribed
    # nothing unredacted rests on disk: the raw transcript stays encrypted, the outbox holds the copies only
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, OWN_CALL).path
    assert sorted(p.name for p in folder.iterdir()) == sorted((transcripts.RAW_NAME, transcripts.REDACTED_NAME,
                                                               transcripts.TEXT_NAME))
    for path in settings.home.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert b"Jansen" not in path.read_bytes() and b"Dorpsstraat" not in path.read_bytes(), path


def test_another_number_the_caller_gives_stays_redacted_in_their_own_export(engine, settings, redactor):
    """Only the number the call is catalogued under is the caller's own: a partner's number that
    the caller says stays redacted, as does the call's number said in words."""
    dialogue = (("medewerker", 0.0, 3.0, "Waar kunnen we u bereiken?"),
                ("klant", 3.2, 9.0, "Mijn vrouw is bereikbaar op 06-87654321, ikzelf op 06 12 34 56 78."),
                ("klant", 9.5, 12.0, "Dat is nul zes twaalf vierendertig zesenvijftig achtenzeventig."))
    redacted = transcribed_call(engine, settings, redactor, dialogue=dialogue)
    assert [s["text"] for s in redacted["segments"]][1:] == [
        "Mijn vrouw is bereikbaar op [TELEFOONNUMMER-1], ikzelf op [TELEFOONNUMMER-2].",
        "Dat is [TELEFOONNUMMER-2]."]
    request_id, _ = exported(engine, settings)
    document = json.loads((settings.outbox_dir / f"{OWN_CALL}-{request_id}.json").read_text(encoding="utf-8"))
    assert [s["text"] for s in document["transcript"]][1:] == [
        "Mijn vrouw is bereikbaar op [TELEFOONNUMMER-1], ikzelf op 06 12 34 56 78.", "Dat is [TELEFOONNUMMER-2]."]
    letter = flat(pdf_text((settings.outbox_dir / f"{OWN_CALL}-{request_id}.pdf").read_bytes()))
    assert "ikzelf op 06 12 34 56 78." in letter and "87654321" not in letter and "twaalf" not in letter


def test_the_raw_transcript_is_not_read_when_no_number_was_redacted(engine, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the raw transcript was decrypted without need")

    monkeypatch.setattr(transcripts, "read_raw", refuse)
    monkeypatch.setattr(transcripts, "load_key", refuse)
    _, items = exported(engine, settings)
    assert len(items) == 4


def test_a_changed_redacted_transcript_keeps_every_span_redacted(engine, settings, redactor):
    redacted = transcribed_call(engine, settings, redactor)
    redacted["segments"][1]["text"] += " [PERSOON-9]"  # e.g. a reviewer's change the raw spans no longer rebuild
    path = transcripts.TranscriptFolder.of(settings.transcripts_dir, OWN_CALL).redacted
    path.write_text(json.dumps(redacted, ensure_ascii=False), encoding="utf-8")
    request_id, _ = exported(engine, settings)
    document = json.loads((settings.outbox_dir / f"{OWN_CALL}-{request_id}.json").read_text(encoding="utf-8"))
    assert document["transcript"][1]["text"].endswith("Mijn nummer is [TELEFOONNUMMER-1] en mijn postcode is "
                                                      "[POSTCODE-1]. [PERSOON-9]")
    assert document["transcript"][4]["text"] == "Prima. Bel me gerust terug op 06-12345678."  # unchanged segment


def test_a_failed_export_leaves_nothing_in_the_outbox_and_can_run_again(engine, settings, monkeypatch):
    request = subjects.file_request(engine, settings, "access", NUMBER, REASON, "kim", now=NOW)
    subjects.decide(engine, settings, request.request_id, "bea", approve=True)
    render = letters.render_pdf
    calls = []

    def second_fails(letter, *args):
        calls.append(letter.call_id)
        if len(calls) == 2:
            raise OSError("disk full")
        return render(letter, *args)

    monkeypatch.setattr(letters, "render_pdf", second_fails)
    with pytest.raises(OSError, match="disk full"):
        subjects.export(engine, settings, request.request_id, "ivo", now=NOW)
    assert sorted(p.name for p in settings.outbox_dir.iterdir()) == ["C-1-V-2026-0001.md"]
    with engine.connect() as conn:
        assert conn.execute(sa.select(outbox.outbox_items)).all() == []
    assert subjects.get_request(engine, request.request_id).state == "approved"
    assert len(subjects.export(engine, settings, request.request_id, "ivo", now=NOW)) == 4


def test_a_second_executor_meanwhile_writes_nothing_and_takes_nothing_away(engine, settings, monkeypatch):
    """Two people carry out the same access request at once: the one who renders first but
    commits second finds it carried out, and the other's files stay."""
    from callscribe.pipeline.errors import ConcurrentChangeError

    request = subjects.file_request(engine, settings, "access", NUMBER, REASON, "kim", now=NOW)
    subjects.decide(engine, settings, request.request_id, "bea", approve=True)
    render = letters.render_pdf
    others = []

    def someone_else_first(letter, *args):
        if not others:  # while this export renders, anna carries out the same request
            others.append(None)
            others[0] = subjects.export(engine, settings, request.request_id, "anna", now=NOW)
        return render(letter, *args)

    monkeypatch.setattr(letters, "render_pdf", someone_else_first)
    with pytest.raises(ConcurrentChangeError):
        subjects.export(engine, settings, request.request_id, "ivo", now=NOW)
    assert [item.name for item in others[0]] == [f"C-{n}-{request.request_id}{suffix}" for n in (1, 2)
                                                 for suffix in (".json", ".pdf")]
    assert all(item.path.is_file() for item in others[0])
    with engine.connect() as conn:
        assert len(conn.execute(sa.select(outbox.outbox_items).where(
            outbox.outbox_items.c.request_id == request.request_id)).all()) == 4
    assert subjects.get_request(engine, request.request_id).executed_by == "anna"


def test_the_callers_letter_expires_with_the_recording(engine, settings):
    request_id, _ = exported(engine, settings)
    retention.apply_retention(engine, settings.home, now=datetime(2026, 12, 10, tzinfo=UTC))  # C-2 expired
    left = sorted(p.name for p in settings.outbox_dir.iterdir())
    assert left == sorted(["C-1-V-2026-0001.md", f"C-1-{request_id}.json", f"C-1-{request_id}.pdf"])


def test_every_step_is_audited_with_ids_and_roles_only(engine, settings):
    request = subjects.file_request(engine, settings, "erasure", NUMBER, REASON, "kim")
    subjects.decide(engine, settings, request.request_id, "anna", approve=True, reason="akkoord na controle")
    subjects.erase(engine, settings, request.request_id, "ivo")
    assert audit.verify(engine).ok
    with engine.connect() as conn:
        entries = conn.execute(sa.select(audit.audit_log).where(audit.audit_log.c.seq > 6)).all()
    assert [(e.action, e.actor, e.role) for e in entries] == [
        ("subject.requested", "kim", "klachtendesk"), ("subject.approved", "anna", "manager"),
        ("recordings.erased", "ivo", "ict_backoffice"), ("subject.erased", "ivo", "ict_backoffice"),
    ]
    text = repr(entries)
    assert "612345678" not in text and "identiteit" not in text.lower() and "akkoord" not in text


def snapshot(engine, home: Path) -> tuple[list[str], list[tuple]]:
    files = sorted(str(p.relative_to(home)) for root in ("audio", "transcripts", "outbox")
                   for p in (home / root).rglob("*") if p.exists())
    with engine.connect() as conn:
        stones = sorted((t.call_id, t.call_date, t.files_deleted, t.bytes_deleted, t.deleted)
                        for t in conn.execute(sa.select(catalogue.tombstones)))
        rows = sorted(conn.execute(sa.select(catalogue.recordings.c.call_id)).scalars())
    return files + rows, stones


def test_erasure_removes_exactly_what_retention_removes(engine, settings, tmp_path):
    # the same recordings in a second home, left to expire instead
    twin_home = tmp_path / "twin"
    twin_home.mkdir()
    twin = catalogue.get_engine(f"sqlite:///{twin_home / 'catalogue.sqlite'}")
    add_call(twin, twin_home, "C-1", "06-1234 5678", outbox_names=("C-1-V-2026-0001.md",))
    add_call(twin, twin_home, "C-2", "0031 6 12345678", call_start="2026-10-01T14:00:00+02:00")
    add_call(twin, twin_home, "C-3", OTHER, call_start="2026-12-20T09:00:00+01:00")

    request = subjects.file_request(engine, settings, "erasure", NUMBER, REASON, "kim")
    subjects.decide(engine, settings, request.request_id, "bea", approve=True)
    report = subjects.erase(engine, settings, request.request_id, "ivo", now=NOW)
    expired = retention.apply_retention(twin, twin_home, now=datetime(2027, 1, 25, tzinfo=UTC))

    assert report.recordings_expired == expired.recordings_expired == 2
    assert report.files_deleted == expired.files_deleted == 9
    assert snapshot(engine, settings.home) == snapshot(twin, twin_home)
    assert catalogue.live_call_ids(engine, ["C-1", "C-2", "C-3"]) == {"C-3"}


def test_cli_files_and_approves_a_request_without_echoing_the_number(engine, home):
    from callscribe.cli.main import main

    runner = CliRunner()
    filed = runner.invoke(main, ["subjects", "add", "--kind", "erasure", "--reason", REASON, "--as", "kim"],
                          input="06 12345678\n")
    assert filed.exit_code == 0, filed.output
    assert "AVG-2026-0001: erasure request for 2 recording(s)" in filed.output and "12345678" not in filed.output
    own = runner.invoke(main, ["subjects", "approve", "AVG-2026-0001", "--as", "kim"])
    assert own.exit_code == 1 and "subject.decide needs" in own.output
    approved = runner.invoke(main, ["subjects", "approve", "AVG-2026-0001", "--as", "anna"])
    assert approved.exit_code == 0 and "approved by anna" in approved.output
    listed = runner.invoke(main, ["subjects", "list", "--json", "--as", "ivo"])
    assert json.loads(listed.output)["state"] == "approved"


@pytest.mark.slow
def test_flow_run_erases_and_forgets_the_prefect_runs_that_name_the_recordings(prefect_harness, engine, settings):
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    from callscribe.cli.main import main

    @flow(name="transcribe-recordings")
    def stand_in(recording_ids: list[str], purpose: str = "quality"):  # pragma: no cover - only its name is used
        pass

    with get_client(sync_client=True) as client:
        naming = client.create_flow_run(stand_in, parameters={"recording_ids": ["C-2"], "purpose": "quality"})
        other = client.create_flow_run(stand_in, parameters={"recording_ids": ["C-3"], "purpose": "quality"})
    request = subjects.file_request(engine, settings, "erasure", NUMBER, REASON, "kim")
    subjects.decide(engine, settings, request.request_id, "bea", approve=True)
    refused = CliRunner().invoke(main, ["subjects", "execute", request.request_id, "--as", "cor"])
    assert refused.exit_code == 1 and "subject.execute needs" in refused.output
    result = CliRunner().invoke(main, ["subjects", "execute", request.request_id, "--as", "ivo"])
    assert result.exit_code == 0, result.output
    # the session's Prefect server may hold other tests' runs naming C-1/C-2 too: at least this one goes
    erased = re.search(r"2 of 2 recording\(s\) erased \(9 files, (\d+) Prefect runs\)", result.output)
    assert erased and int(erased.group(1)) >= 1, result.output
    with get_client(sync_client=True) as client:
        with pytest.raises(ObjectNotFound):
            client.read_flow_run(naming.id)
        assert client.read_flow_run(other.id).id == other.id
    assert catalogue.get_tombstone(engine, "C-1") is not None and audit.verify(engine).ok


def test_only_roles_with_subject_read_list_requests_and_the_cli_checks_nothing_itself(engine, settings):
    from callscribe.cli.main import main

    filed = subjects.file_request(engine, settings, "access", NUMBER, REASON, "kim").request_id
    with pytest.raises(AccessDeniedError, match="subject.read"):
        subjects.list_requests(engine, user_id="cor")
    with pytest.raises(PolicyError, match="unknown state"):
        subjects.list_requests(engine, "released", user_id="anna")
    assert [r.request_id for r in subjects.list_requests(engine, "requested", user_id="ivo")] == [filed]
    refused = CliRunner().invoke(main, ["subjects", "list", "--as", "cor"])
    assert refused.exit_code == 1 and "subject.read needs" in refused.stderr
    unknown = CliRunner().invoke(main, ["subjects", "approve", "AVG-1999-0001", "--as", "anna"])
    assert unknown.exit_code == 1 and "subject request AVG-1999-0001 is not on record" in unknown.stderr
    assert "hint: `callscribe subjects list`" in unknown.stderr


@pytest.mark.slow
def test_an_erasure_waits_for_a_running_transcription_of_the_call_before_forgetting_its_run(
        prefect_harness, monkeypatch):
    """The fault: retention (an erasure) during a transcription of the same call deleted the
    running flow run from under its process. Now the erasure waits for the run to end (the run
    drops the erased call at its next step), then forgets it; one that outlasts the wait is left."""
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Completed, Running

    import callscribe.flows.retention as flows_retention

    @flow(name="transcribe-recordings")
    def stand_in(recording_ids: list[str], purpose: str = "quality"):  # pragma: no cover - only its name is used
        pass

    with get_client(sync_client=True) as client:
        running = client.create_flow_run(stand_in, parameters={"recording_ids": ["C-8"], "purpose": "quality"})
        client.set_flow_run_state(running.id, Running(), force=True)
        waits = []

        def the_run_ends_meanwhile(seconds):  # stands in for time passing while the erasure waits
            waits.append(seconds)
            client.set_flow_run_state(running.id, Completed(), force=True)

        monkeypatch.setattr(flows_retention, "_pause", the_run_ends_meanwhile)
        assert flows_retention.forget_runs_of.fn(["C-8"]) == 1
        assert waits == [flows_retention._POLL_S], "it waited for the run instead of deleting it while it ran"
        with pytest.raises(ObjectNotFound):
            client.read_flow_run(running.id)

        stuck = client.create_flow_run(stand_in, parameters={"recording_ids": ["C-9"], "purpose": "quality"})
        client.set_flow_run_state(stuck.id, Running(), force=True)
        clock = iter(range(0, 10 * flows_retention._WAIT_S, 60))
        monkeypatch.setattr(flows_retention, "_clock", lambda: next(clock))
        monkeypatch.setattr(flows_retention, "_pause", lambda seconds: None)
        assert flows_retention.forget_runs_of.fn(["C-9"]) == 0
        assert client.read_flow_run(stuck.id).state.is_running(), "a run still going is never pulled from under it"
