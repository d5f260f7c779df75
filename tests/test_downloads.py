"""Downloads of released letters, listen-back copies and the caller's copies of an access request
(pipeline/policy/downloads.py): authorised and audited on every fetch, only while the file is in the
outbox; on a real SQLite catalogue, the bundled sample calls and a real release or export."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from callscribe.pipeline.errors import AccessDeniedError, PolicyError, RequestNotFoundError
from callscribe.pipeline.policy import audit, complaints, downloads, outbox, subjects, transcribing
from callscribe.pipeline.storage import catalogue
from tests.conftest import approve_transcripts
from tests.test_review import CALL, SCRIPT, hand_built
from tests.test_subjects import add_call

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

LISTEN_CALL = "TBI-2026-000102"


@pytest.fixture
def engine(settings):
    engine = catalogue.get_engine(settings.catalogue_url)
    assert transcribing.ingest_samples(engine, settings.audio_dir, settings.retention_timezone).added
    return engine


@pytest.fixture
def released_letter(engine, staff, settings) -> complaints.Release:
    """A released transcript request (kim filed, bob approved, ivo released) of a hand-redacted call."""
    request_id = approve_transcripts(engine, [CALL])[CALL]
    hand_built(engine, settings, [(s, t, [v for v in spans if v[3] >= 0.5]) for s, t, spans in SCRIPT])
    return complaints.release(engine, settings, "ivo", request_id)


def listen_back(engine, settings, release: bool = True) -> str:
    """A listen-back request of a sample call (kim filed, bob approved; ivo released it)."""
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description="Klant wil het gesprek laten terugluisteren.",
                                              call_ids=(LISTEN_CALL,))
    request = complaints.create_request(engine, "kim", kind="listen_back", call_id=LISTEN_CALL,
                                        reason="De klant betwist wat de medewerker in dit gesprek heeft gezegd.",
                                        complaint_id=complaint.complaint_id)
    complaints.approve_request(engine, "bob", request.request_id)
    if release:
        complaints.release(engine, settings, "ivo", request.request_id)
    return request.request_id


def entries(engine, action: str) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(audit.audit_log).where(audit.audit_log.c.action == action)
                            .order_by(audit.audit_log.c.seq)).all()


def test_a_released_letter_is_handed_out_as_pdf_and_docx_each_time_audited(engine, settings, released_letter):
    request_id = released_letter.request_id
    for user_id, fmt in (("kim", "pdf"), ("kim", "docx"), ("ivo", "pdf")):
        copy = downloads.retrieve_letter(engine, settings, user_id, request_id, fmt)
        assert copy.path == settings.outbox_dir / f"{CALL}-{request_id}.{fmt}"
        assert copy.suffix == f".{fmt}" and copy.kind == "transcript" and copy.call_id == CALL
        assert copy.expires_at == released_letter.expires_at
    logged = entries(engine, "letter.downloaded")
    assert [(e.actor, e.subject, e.details) for e in logged] == [
        ("kim", request_id, f'{{"call":"{CALL}","format":"pdf"}}'),
        ("kim", request_id, f'{{"call":"{CALL}","format":"docx"}}'),
        ("ivo", request_id, f'{{"call":"{CALL}","format":"pdf"}}'),
    ]
    assert audit.verify(engine).ok


@pytest.mark.parametrize("user_id", ["cor", "ghost", None])
def test_only_those_who_may_download_letters_get_one_and_a_refusal_is_not_audited(engine, settings,
                                                                                released_letter, user_id):
    with pytest.raises(AccessDeniedError):
        downloads.retrieve_letter(engine, settings, user_id, released_letter.request_id, "pdf")
    assert not entries(engine, "letter.downloaded")


def test_what_has_no_letter_is_refused(engine, staff, settings, released_letter):
    with pytest.raises(PolicyError, match="unknown letter format 'md'; valid: pdf, docx"):
        downloads.retrieve_letter(engine, settings, "kim", released_letter.request_id, "md")
    with pytest.raises(RequestNotFoundError):
        downloads.retrieve_letter(engine, settings, "kim", "V-2026-9999", "pdf")
    request_id = listen_back(engine, settings)
    with pytest.raises(PolicyError, match="has no letter") as refused:
        downloads.retrieve_letter(engine, settings, "kim", request_id, "pdf")
    assert not isinstance(refused.value, downloads.Unavailable)
    assert not entries(engine, "letter.downloaded")


def test_an_approved_request_has_nothing_to_download_yet(engine, staff, settings):
    request_id = approve_transcripts(engine, [CALL])[CALL]
    with pytest.raises(downloads.Unavailable, match="not released") as refused:
        downloads.retrieve_letter(engine, settings, "kim", request_id, "pdf")
    assert refused.value.reason == "not_released"


def test_a_letter_past_its_expiry_swept_or_gone_is_no_longer_handed_out(engine, settings, released_letter):
    request_id, until = released_letter.request_id, released_letter.expires_at
    assert downloads.retrieve_letter(engine, settings, "kim", request_id, "pdf", now=until - timedelta(seconds=1))
    with pytest.raises(downloads.Unavailable, match="expired") as refused:
        downloads.retrieve_letter(engine, settings, "kim", request_id, "pdf", now=until)
    assert (refused.value.reason, refused.value.expires_at) == ("expired", until)

    (settings.outbox_dir / f"{CALL}-{request_id}.docx").unlink()  # gone, e.g. with its recording
    with pytest.raises(downloads.Unavailable) as refused:
        downloads.retrieve_letter(engine, settings, "kim", request_id, "docx")
    assert refused.value.reason == "removed"

    assert outbox.sweep(engine, settings.outbox_dir, now=until + timedelta(minutes=1)) == 3
    with pytest.raises(downloads.Unavailable) as refused:
        downloads.retrieve_letter(engine, settings, "kim", request_id, "pdf", now=until - timedelta(days=1))
    assert refused.value.reason == "expired"  # swept: removed from the outbox's record too
    assert len(entries(engine, "letter.downloaded")) == 1


def test_a_listen_back_copy_plays_within_its_window_only_for_who_may_listen(engine, staff, settings):
    request_id = listen_back(engine, settings)
    window = downloads.listen_window(engine, settings, "bob", request_id)
    assert window.path.name == f"{LISTEN_CALL}-{request_id}.flac" and window.suffix == ".flac"
    assert not entries(engine, "audio.listened")  # the page that shows the player plays nothing

    played = downloads.retrieve_audio(engine, settings, "ivo", request_id)
    assert played.path.read_bytes() == (settings.home / catalogue.get_recording(engine, LISTEN_CALL).audio_path).read_bytes()
    assert [(e.actor, e.subject, e.details) for e in entries(engine, "audio.listened")] == [
        ("ivo", request_id, f'{{"call":"{LISTEN_CALL}"}}')]

    for user_id in ("kim", "cor"):  # the complaint desk and coaches do not access recordings
        with pytest.raises(AccessDeniedError):
            downloads.retrieve_audio(engine, settings, user_id, request_id)
        with pytest.raises(AccessDeniedError):
            downloads.listen_window(engine, settings, user_id, request_id)
    with pytest.raises(downloads.Unavailable, match="expired"):
        downloads.retrieve_audio(engine, settings, "ivo", request_id, now=window.expires_at)
    with pytest.raises(downloads.Unavailable, match="expired"):
        downloads.listen_window(engine, settings, "ivo", request_id, now=window.expires_at + timedelta(hours=1))
    assert len(entries(engine, "audio.listened")) == 1


def test_a_transcript_request_has_no_audio_copy_and_an_unreleased_one_none_yet(engine, settings, released_letter):
    with pytest.raises(PolicyError, match="has no audio copy"):
        downloads.retrieve_audio(engine, settings, "bob", released_letter.request_id)
    request_id = listen_back(engine, settings, release=False)
    with pytest.raises(downloads.Unavailable) as refused:
        downloads.listen_window(engine, settings, "bob", request_id)
    assert refused.value.reason == "not_released"


def test_available_lists_what_may_be_fetched_now(engine, settings, released_letter):
    request_id = listen_back(engine, settings)
    letter = downloads.Available(released_letter.request_id, "transcript", CALL,
                                 complaints.get_request(engine, released_letter.request_id).complaint_id,
                                 complaints.get_request(engine, released_letter.request_id).released_at,
                                 ("pdf", "docx"), released_letter.expires_at)
    assert downloads.available(engine, "kim") == [letter]  # the complaint desk: letters only
    listed = downloads.available(engine, "bob")
    assert [(a.request_id, a.kind, a.formats) for a in listed] == [(request_id, "listen_back", ("flac",)),
                                                                   (released_letter.request_id, "transcript",
                                                                    ("pdf", "docx"))]
    later = listed[0].expires_at + timedelta(seconds=1)  # the listen-back window ends first
    assert [a.request_id for a in downloads.available(engine, "bob", now=later)] == [released_letter.request_id]
    with pytest.raises(AccessDeniedError):
        downloads.available(engine, "cor")


# --- the caller's copies of an executed access request ------------------------------------------------

CALLER = "+31641279358"  # the caller of CALL in the sample metadata
SECOND_CALL = "TBI-2026-000199"  # another call of the same caller, added below
REASON = "Beller heeft identiteit aangetoond met kopie ID via klantportaal"


def access_request(engine, settings, kind: str = "access", execute: bool = True) -> str:
    """A data-subject request of kim's for the caller of CALL and of SECOND_CALL, approved by bob;
    carried out by ivo unless asked otherwise. Returns its id."""
    if SECOND_CALL not in catalogue.live_call_ids(engine, [SECOND_CALL]):
        started = catalogue.get_recording(engine, CALL).call_start + timedelta(hours=1)
        add_call(engine, settings.home, SECOND_CALL, "06-4127 9358", call_start=started.isoformat(),
                 transcribed=False)
    request = subjects.file_request(engine, settings, kind, CALLER, REASON, "kim")
    assert request.call_ids == (CALL, SECOND_CALL)
    subjects.decide(engine, settings, request.request_id, "bob", True)
    if execute:
        if kind == "access":
            subjects.export(engine, settings, request.request_id, "ivo")
        else:
            subjects.erase(engine, settings, request.request_id, "ivo", override_holds=True)
    return request.request_id


def test_the_callers_copies_are_handed_out_as_pdf_and_json_each_time_audited(engine, staff, settings):
    request_id = access_request(engine, settings)
    for user_id, call_id, fmt in (("kim", CALL, "pdf"), ("kim", CALL, "json"), ("ivo", SECOND_CALL, "pdf")):
        copy = downloads.retrieve_subject_export(engine, settings, user_id, request_id, call_id, fmt)
        assert copy.path == settings.outbox_dir / f"{call_id}-{request_id}.{fmt}" and copy.path.is_file()
        assert (copy.request_id, copy.call_id, copy.kind, copy.suffix) == (request_id, call_id, "subject_access",
                                                                         f".{fmt}")
    assert [(e.actor, e.subject, e.details) for e in entries(engine, "subject.export_downloaded")] == [
        ("kim", request_id, f'{{"call":"{CALL}","format":"pdf"}}'),
        ("kim", request_id, f'{{"call":"{CALL}","format":"json"}}'),
        ("ivo", request_id, f'{{"call":"{SECOND_CALL}","format":"pdf"}}'),
    ]
    assert not entries(engine, "letter.downloaded")
    assert audit.verify(engine).ok


def test_what_is_not_a_copy_for_the_caller_is_refused_and_nothing_is_audited(engine, staff, settings,
                                                                             released_letter):
    request_id = access_request(engine, settings)
    with pytest.raises(PolicyError, match="unknown export format 'docx'; valid: pdf, json"):
        downloads.retrieve_subject_export(engine, settings, "kim", request_id, CALL, "docx")
    for user_id in ("cor", "ghost", None):  # coaches, unknown users, nobody
        with pytest.raises(AccessDeniedError):
            downloads.retrieve_subject_export(engine, settings, user_id, request_id, CALL, "pdf")
    for unknown in ("AVG-2026-9999", released_letter.request_id):  # a transcript request is not a subject request
        with pytest.raises(RequestNotFoundError):
            downloads.retrieve_subject_export(engine, settings, "kim", unknown, CALL, "pdf")
    with pytest.raises(PolicyError, match="did not find call TBI-2026-000102") as refused:
        downloads.retrieve_subject_export(engine, settings, "kim", request_id, LISTEN_CALL, "pdf")
    assert not isinstance(refused.value, downloads.Unavailable)
    assert not entries(engine, "subject.export_downloaded")


def test_an_erasure_has_no_copies_and_an_access_request_none_before_it_is_carried_out(engine, staff, settings):
    waiting = access_request(engine, settings, execute=False)
    with pytest.raises(downloads.Unavailable, match="not carried out") as refused:
        downloads.retrieve_subject_export(engine, settings, "kim", waiting, CALL, "pdf")
    assert refused.value.reason == "not_executed"
    erasure = access_request(engine, settings, "erasure", execute=False)
    with pytest.raises(PolicyError, match="no copies for the caller: it is an erasure request") as refused:
        downloads.retrieve_subject_export(engine, settings, "kim", erasure, CALL, "pdf")
    assert not isinstance(refused.value, downloads.Unavailable)
    assert not entries(engine, "subject.export_downloaded")


def test_a_copy_past_its_expiry_or_gone_with_its_recording_is_no_longer_handed_out(engine, staff, settings):
    request_id = access_request(engine, settings)
    until = downloads.retrieve_subject_export(engine, settings, "kim", request_id, CALL, "pdf").expires_at
    with pytest.raises(downloads.Unavailable, match="expired") as refused:
        downloads.retrieve_subject_export(engine, settings, "kim", request_id, CALL, "pdf", now=until)
    assert (refused.value.reason, refused.value.expires_at) == ("expired", until)
    (settings.outbox_dir / f"{SECOND_CALL}-{request_id}.json").unlink()  # gone, e.g. with its recording
    with pytest.raises(downloads.Unavailable) as refused:
        downloads.retrieve_subject_export(engine, settings, "kim", request_id, SECOND_CALL, "json")
    assert refused.value.reason == "removed"
    assert len(entries(engine, "subject.export_downloaded")) == 1


def test_available_lists_the_callers_copies_per_recording_with_the_releases(engine, staff, settings,
                                                                          released_letter):
    request_id = access_request(engine, settings)
    executed_at = subjects.get_request(engine, request_id).executed_at
    listed = downloads.available(engine, "kim")
    assert [(a.request_id, a.kind, a.call_id, a.complaint_id, a.formats) for a in listed] == [
        (request_id, "subject_access", CALL, None, ("pdf", "json")),  # carried out last: first
        (request_id, "subject_access", SECOND_CALL, None, ("pdf", "json")),
        (released_letter.request_id, "transcript", CALL, listed[2].complaint_id, ("pdf", "docx")),
    ]
    assert listed[0].released_at == listed[1].released_at == executed_at
    copy = downloads.retrieve_subject_export(engine, settings, "kim", request_id, CALL, "json")
    assert listed[0].expires_at == copy.expires_at
    assert not entries(engine, "subject.export_downloaded")[1:]  # listing is not audited, fetching is

    later = copy.expires_at + timedelta(seconds=1)
    assert request_id not in [a.request_id for a in downloads.available(engine, "kim", now=later)]
    access_request(engine, settings, "erasure")  # erases both calls, with everything in the outbox named after them
    assert downloads.available(engine, "bob") == []
