"""Downloads of released letters and listen-back copies (pipeline/policy/downloads.py): authorised
and audited on every fetch, only while the file is in the outbox; on a real SQLite catalogue, the
bundled sample calls and a real release."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from callscribe.pipeline.errors import AccessDeniedError, PolicyError, RequestNotFoundError
from callscribe.pipeline.policy import audit, complaints, downloads, outbox, transcribing
from callscribe.pipeline.storage import catalogue
from tests.conftest import approve_transcripts
from tests.test_review import CALL, SCRIPT, hand_built

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
