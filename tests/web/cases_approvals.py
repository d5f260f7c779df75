"""Route × role rows of approving, releasing, downloads and listening back (``web/approvals.py``,
``web/downloads.py``), and the requests they act on, made through the library: kim (complaint
desk) files, bob (team leader) approves, ivo (ICT back office) releases or carries out."""

from __future__ import annotations

from datetime import UTC, datetime

from callscribe.pipeline.policy import complaints, subjects, transcribing
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage import catalogue
from tests.test_review import CALL, SCRIPT, hand_built
from tests.web.route_cases import Case

LISTEN_CALL = "TBI-2026-000102"
CALLER = "+31641279358"  # the caller of CALL, as the sample metadata has it
REASON = "De klant betwist wat er in dit gesprek is afgesproken over de factuur."
REJECTION = "Het gesprek gaat niet over de klacht die de klant heeft ingediend."


def calls(engine) -> None:
    """The bundled sample calls in the catalogue (dated last month, so none has expired)."""
    settings = get_settings()
    transcribing.ingest_samples(engine, settings.audio_dir, settings.retention_timezone)


def filed(engine, kind: str = "transcript", call_id: str = CALL, transcribed: bool = True) -> str:
    """A request of kim's about ``call_id`` on a new complaint; its call marked transcribed unless
    asked otherwise (so approving it starts no transcription). Returns the request id."""
    calls(engine)
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description="Klant is het niet eens met het gesprek.",
                                              call_ids=(call_id,))
    request = complaints.create_request(engine, "kim", kind=kind, call_id=call_id, reason=REASON,
                                        complaint_id=complaint.complaint_id)
    if transcribed:
        catalogue.set_state(engine, call_id, catalogue.RecordingState.TRANSCRIBED)
    return request.request_id


def approved(engine, kind: str = "transcript", call_id: str = CALL, transcribed: bool = True) -> str:
    request_id = filed(engine, kind, call_id, transcribed)
    complaints.approve_request(engine, "bob", request_id)
    return request_id


def reviewable(engine, flagged: bool = False) -> str:
    """An approved transcript request whose call has a hand-redacted transcript; with ``flagged``,
    three of its redactions await the reviewer."""
    request_id = approved(engine, transcribed=False)
    script = SCRIPT if flagged else [(s, t, [v for v in spans if v[3] >= 0.5]) for s, t, spans in SCRIPT]
    hand_built(engine, get_settings(), script)
    return request_id


def released_letter(engine) -> str:
    request_id = reviewable(engine)
    complaints.release(engine, get_settings(), "ivo", request_id)
    return request_id


def released_listen_back(engine) -> str:
    request_id = approved(engine, "listen_back", LISTEN_CALL)
    complaints.release(engine, get_settings(), "ivo", request_id)
    return request_id


def subject_filed(engine, kind: str = "access", transcribed: bool = True) -> str:
    """A data-subject request of kim's for the caller of CALL; its calls marked transcribed unless
    asked otherwise (so approving it starts no transcription). Returns the request id."""
    calls(engine)
    request = subjects.file_request(engine, get_settings(), kind, CALLER, REASON, "kim")
    for call_id in request.call_ids if transcribed else ():
        catalogue.set_state(engine, call_id, catalogue.RecordingState.TRANSCRIBED)
    return request.request_id


def subject_approved(engine, kind: str = "access") -> str:
    request_id = subject_filed(engine, kind)
    subjects.decide(engine, get_settings(), request_id, "bob", True)
    return request_id


def subject_exported(engine) -> str:
    """An access request for the caller of CALL, approved and carried out: the caller's letter and
    data of CALL in the outbox. Returns the request id."""
    request_id = subject_approved(engine)
    subjects.export(engine, get_settings(), request_id, "ivo")
    return request_id


def _request(make, **made_with):
    return lambda engine, staff: {"request_id": make(engine, **made_with)}


CASES = {
    ("GET", "/goedkeuren"): Case(prepare=_request(filed)),
    ("GET", "/goedkeuren/melding/{code}/{subject_id}"):
        Case(prepare=lambda engine, staff: {"code": "afgewezen", "subject_id": "V-2026-0001"}),
    ("POST", "/verzoeken/{request_id}/goedkeuren"): Case(prepare=_request(filed), form={"note": "Akkoord."}),
    ("POST", "/verzoeken/{request_id}/afwijzen"): Case(prepare=_request(filed), form={"reason": REJECTION}),
    ("POST", "/avg/{request_id}/goedkeuren"): Case(prepare=_request(subject_filed)),
    ("POST", "/avg/{request_id}/afwijzen"): Case(prepare=_request(subject_filed), form={"reason": REJECTION}),
    ("GET", "/vrijgeven"): Case(prepare=_request(reviewable)),
    ("GET", "/vrijgeven/melding/{code}/{subject_id}"):
        Case(prepare=lambda engine, staff: {"code": "al-uitgeschreven", "subject_id": "V-2026-0001"}),
    ("POST", "/verzoeken/{request_id}/transcriberen"): Case(prepare=_request(approved)),  # transcribed: nothing starts
    ("GET", "/verzoeken/{request_id}/transcriptie"): Case(prepare=_request(approved)),
    ("POST", "/verzoeken/{request_id}/vrijgeven"): Case(prepare=_request(reviewable)),
    ("POST", "/avg/{request_id}/uitvoeren"): Case(prepare=_request(subject_approved)),
    ("GET", "/downloads"): Case(prepare=_request(released_letter)),
    ("GET", "/downloads/{request_id}/{fmt}"):
        Case(prepare=lambda engine, staff: {"request_id": released_letter(engine), "fmt": "pdf"}),
    ("GET", "/downloads/avg/{request_id}/{call_id}/{format}"):
        Case(prepare=lambda engine, staff: {"request_id": subject_exported(engine), "call_id": CALL, "format": "pdf"}),
    ("GET", "/luisteren/{request_id}"): Case(prepare=_request(released_listen_back)),
    ("GET", "/luisteren/{request_id}/audio"): Case(prepare=_request(released_listen_back)),
}
