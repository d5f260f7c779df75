"""The complaint registry and transcript / listen-back requests under the four-eyes principle.

A complaint (``K-2026-0001``) records how and when it came in and what it is about; its
description may hold personal data of the complainant, so it stays in the catalogue: it never
reaches logs, the audit log or Prefect. A request (``V-2026-0001``) asks for a typed-out,
anonymised transcript of a call or for listening back to it, on the ground of a complaint or of
an employee's own request, with a written reason. It moves::

    requested ──► approved ──► released
        └───────► rejected

A second person with ``request.decide`` who did not make the request approves or rejects it (a
rejection with a reason); only then may someone with ``request.release`` release it, which puts
the anonymised letter (Markdown and DOCX) or a time-limited copy of the audio in the outbox.
Every step is timestamped and written to the audit log in the same transaction, with ids and
roles only. The steps, states and numbering are the shared four-eyes workflow
(:mod:`.four_eyes`); this module adds what is particular to complaints and these requests.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import PolicyError, StoreError
from callscribe.pipeline.policy import access, audit, four_eyes, letters, outbox
from callscribe.pipeline.policy.retention import expires_at as recording_expiry
from callscribe.pipeline.storage import catalogue, transcripts
from callscribe.pipeline.storage.schema import complaint_calls, complaints, requests

logger = logging.getLogger(__name__)

CHANNELS = ("telefoon", "e-mail")
KINDS = ("transcript", "listen_back")
State = four_eyes.State
WORKFLOW = four_eyes.Workflow(
    noun="request", table=requests, id_prefix="V", audit_prefix="request", decide_permission="request.decide",
    carry_out_permission="request.release", done=State.RELEASED, done_verb="released")
STATES = WORKFLOW.states
_EMPLOYEE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class Complaint:
    """A registered complaint. ``description`` is filled only when asked for, and kept out of repr."""

    complaint_id: str
    channel: str
    received_at: datetime
    registered_by: str
    registered_at: datetime
    call_ids: tuple[str, ...] = ()
    request_count: int = 0
    description: str | None = field(default=None, repr=False)
    closed_at: datetime | None = None  # open (its calls on hold) while None
    closed_by: str | None = None


@dataclass(frozen=True)
class Request:
    """A transcript or listen-back request. ``reason`` and ``decision_reason`` are kept out of repr."""

    request_id: str
    kind: str
    call_id: str
    complaint_id: str | None
    employee_id: str | None
    requested_by: str
    requested_at: datetime
    state: State
    decided_by: str | None = None
    decided_at: datetime | None = None
    released_by: str | None = None
    released_at: datetime | None = None
    reason: str | None = field(default=None, repr=False)
    decision_reason: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Release:
    """What a release put in the outbox: ids, file names and the expiry; no personal data."""

    request_id: str
    kind: str
    call_id: str
    files: tuple[str, ...]
    expires_at: datetime

    def as_dict(self) -> dict:
        return {"request_id": self.request_id, "kind": self.kind, "call_id": self.call_id,
                "files": list(self.files), "expires_at": self.expires_at.isoformat()}


# --- complaints -----------------------------------------------------------------------------------


def register_complaint(
    engine: Engine,
    user_id: str | None,
    *,
    channel: str,
    received_at: datetime,
    description: str,
    call_ids: Iterable[str] = (),
    timezone: str = "Europe/Amsterdam",
) -> Complaint:
    """Register a complaint; returns it with its new id (``K-<year>-<nnnn>``).

    Args:
        user_id: who registers it (``complaint.register``).
        channel: ``telefoon`` or ``e-mail``.
        received_at: when it came in, timezone-aware.
        description: what the complaint is about; stays in the catalogue only.
        call_ids: recordings the complaint is about (each must be in the catalogue).
        timezone: the local time zone whose year numbers the id.

    Raises:
        AccessDeniedError: the user may not register complaints.
        PolicyError: unknown channel, naive or future ``received_at``, empty description.
        RecordingNotFoundError: a call id is not in the catalogue.
    """
    actor = access.authorize(engine, user_id, "complaint.register")
    if channel not in CHANNELS:
        raise PolicyError(f"unknown channel {channel!r}; valid: {', '.join(CHANNELS)}")
    if received_at.tzinfo is None:
        raise PolicyError("received_at has no UTC offset; write e.g. 2026-11-24T09:14:03+01:00")
    now = datetime.now(UTC)
    if received_at > now + timedelta(minutes=5):
        raise PolicyError("received_at lies in the future; give the moment the complaint came in")
    text = (description or "").strip()
    if not text:
        raise PolicyError("a complaint needs a description: say what it is about")
    calls = list(dict.fromkeys(call_ids))
    for call_id in calls:
        catalogue.get_recording(engine, call_id)

    def write(conn, complaint_id: str) -> None:
        conn.execute(sa.insert(complaints).values(
            complaint_id=complaint_id, channel=channel, received_at=received_at, description=text,
            registered_by=actor.user_id, registered_at=now))
        if calls:
            conn.execute(sa.insert(complaint_calls), [{"complaint_id": complaint_id, "call_id": c} for c in calls])
        audit.record(conn, actor, "complaint.registered", complaint_id, {"channel": channel, "calls": calls}, at=now)

    complaint_id = four_eyes.insert_numbered(engine, complaints.c.complaint_id, "K", now, timezone, write)
    logger.info("complaint %s registered by %s, %d call(s) linked", complaint_id, actor.user_id, len(calls))
    return Complaint(complaint_id, channel, received_at.astimezone(UTC), actor.user_id, now, tuple(calls), 0)


def close_complaint(engine: Engine, user_id: str | None, complaint_id: str, now: datetime | None = None) -> None:
    """Close a complaint (handled): its calls are no longer held against retention.

    Raises:
        AccessDeniedError: ``user_id`` may not register complaints.
        PolicyError: no such complaint, or it is closed already.
    """
    actor = access.authorize(engine, user_id, "complaint.register")
    now = now or datetime.now(UTC)
    with audit.transaction(engine) as conn:
        closed = conn.execute(sa.update(complaints).where(
            complaints.c.complaint_id == complaint_id, complaints.c.closed_at.is_(None),
        ).values(closed_at=now, closed_by=actor.user_id)).rowcount
        if not closed:
            known = conn.execute(sa.select(complaints.c.complaint_id).where(
                complaints.c.complaint_id == complaint_id)).first()
            raise PolicyError(f"complaint {complaint_id} is closed already" if known
                              else f"no complaint {complaint_id} on record")
        audit.record(conn, actor, "complaint.closed", complaint_id, {}, at=now)


def list_complaints(engine: Engine, user_id: str | None) -> list[Complaint]:
    """All complaints, oldest first, with linked calls and request counts, without descriptions.

    Raises:
        AccessDeniedError: the user may not read the registry (``complaint.read``).
    """
    access.authorize(engine, user_id, "complaint.read")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(*_complaint_columns()).order_by(complaints.c.registered_at,
                                                                      complaints.c.complaint_id)).all()
        links = _links(conn, None)
        counts = _request_counts(conn, None)
    return [_to_complaint(r, links, counts) for r in rows]


def get_complaint(engine: Engine, user_id: str | None, complaint_id: str, with_description: bool = False) -> Complaint:
    """One complaint; with its description only when asked (that reading is audited).

    Raises:
        AccessDeniedError: the user may not read the registry (``complaint.read``).
        PolicyError: no such complaint.
    """
    actor = access.authorize(engine, user_id, "complaint.read")
    with engine.connect() as conn:
        row = conn.execute(sa.select(*_complaint_columns(), complaints.c.description).where(
            complaints.c.complaint_id == complaint_id)).first()
        if row is None:
            raise PolicyError(f"complaint {complaint_id} is not in the registry; check the complaint id "
                              "(K-YYYY-NNNN)")
        links = _links(conn, complaint_id)
        counts = _request_counts(conn, complaint_id)
    complaint = _to_complaint(row, links, counts)
    if not with_description:
        return complaint
    with audit.transaction(engine) as conn:
        audit.record(conn, actor, "complaint.viewed", complaint_id, {"description": True})
    return Complaint(**{**complaint.__dict__, "description": row.description})


def _complaint_columns():
    return (complaints.c.complaint_id, complaints.c.channel, complaints.c.received_at,
            complaints.c.registered_by, complaints.c.registered_at, complaints.c.closed_at, complaints.c.closed_by)


def _links(conn, complaint_id: str | None) -> dict[str, list[str]]:
    query = sa.select(complaint_calls).order_by(complaint_calls.c.call_id)
    if complaint_id is not None:
        query = query.where(complaint_calls.c.complaint_id == complaint_id)
    links: dict[str, list[str]] = {}
    for row in conn.execute(query):
        links.setdefault(row.complaint_id, []).append(row.call_id)
    return links


def _request_counts(conn, complaint_id: str | None) -> dict[str, int]:
    query = sa.select(requests.c.complaint_id, sa.func.count()).where(
        requests.c.complaint_id.is_not(None)).group_by(requests.c.complaint_id)
    if complaint_id is not None:
        query = query.where(requests.c.complaint_id == complaint_id)
    return {row[0]: row[1] for row in conn.execute(query)}


def _to_complaint(row, links: dict[str, list[str]], counts: dict[str, int]) -> Complaint:
    return Complaint(row.complaint_id, row.channel, row.received_at, row.registered_by, row.registered_at,
                     tuple(links.get(row.complaint_id, ())), counts.get(row.complaint_id, 0),
                     closed_at=row.closed_at, closed_by=row.closed_by)


# --- requests -------------------------------------------------------------------------------------


def _check_ground(conn, complaint_id: str, call_id: str) -> None:
    """A request cites an open complaint about its own call."""
    found = conn.execute(sa.select(complaints.c.closed_at).where(complaints.c.complaint_id == complaint_id)).first()
    if found is None:
        raise PolicyError(f"complaint {complaint_id} is not in the registry; register the complaint first")
    if found.closed_at is not None:
        raise PolicyError(f"complaint {complaint_id} is closed; a request needs an open complaint")
    about = conn.execute(sa.select(complaint_calls.c.call_id).where(
        complaint_calls.c.complaint_id == complaint_id, complaint_calls.c.call_id == call_id)).first()
    if about is None:
        raise PolicyError(f"complaint {complaint_id} is not about call {call_id}; a request serves a call its "
                          "complaint is about (register a complaint about that call)")


def create_request(
    engine: Engine,
    user_id: str | None,
    *,
    kind: str,
    call_id: str,
    reason: str | None,
    complaint_id: str | None = None,
    employee_id: str | None = None,
    reason_min_length: int = 30,
    timezone: str = "Europe/Amsterdam",
) -> Request:
    """File a request for a transcript or for listening back to a call; returns it (``requested``).

    Args:
        user_id: who files it (``request.create``).
        kind: ``transcript`` or ``listen_back``.
        call_id: the recording, which must be in the catalogue.
        reason: why, in writing (at least ``reason_min_length`` characters); catalogue only.
        complaint_id: the complaint it serves, or
        employee_id: the employee whose own request it is (their own call); exactly one of both.

    Raises:
        AccessDeniedError: the user may not file requests.
        PolicyError: unknown kind, not exactly one ground, an unknown or closed complaint or one
            about other calls, an employee's request for another employee's call, or a missing or
            too short reason.
        RecordingNotFoundError: the call is not in the catalogue.
    """
    actor = access.authorize(engine, user_id, "request.create")
    if kind not in KINDS:
        raise PolicyError(f"unknown request kind {kind!r}; valid: {', '.join(KINDS)}")
    if (complaint_id is None) == (employee_id is None):
        raise PolicyError("a request rests on a complaint or on an employee's own request: give exactly one of "
                          "both, the complaint (K-YYYY-NNNN) or the employee (e.g. MW-017)")
    text = four_eyes.filing_reason(reason, reason_min_length)
    recording = catalogue.get_recording(engine, call_id)
    if employee_id is not None:
        if not _EMPLOYEE_ID.fullmatch(employee_id):
            raise PolicyError("an employee id is 1-64 letters, digits, '.', '_' or '-', e.g. MW-017")
        if recording.employee_id != employee_id:
            raise PolicyError(f"call {call_id} is not a call of employee {employee_id}: an employee's own request "
                              "covers their own calls only; for other calls register a complaint")
    now = datetime.now(UTC)
    ground = {"complaint": complaint_id} if complaint_id else {"ground": "employee_request"}

    def write(conn, request_id: str) -> None:
        if complaint_id is not None:
            _check_ground(conn, complaint_id, call_id)
        conn.execute(four_eyes.new_request(WORKFLOW, request_id, actor, now, kind=kind, call_id=call_id,
                                           complaint_id=complaint_id, employee_id=employee_id, reason=text))
        audit.record(conn, actor, "request.created", request_id, {"kind": kind, "call": call_id, **ground}, at=now)

    request_id = four_eyes.insert_numbered(engine, requests.c.request_id, WORKFLOW.id_prefix, now, timezone, write)
    logger.info("request %s (%s, call %s) filed by %s", request_id, kind, call_id, actor.user_id)
    return get_request(engine, request_id)


def approve_request(engine: Engine, user_id: str | None, request_id: str, note: str | None = None) -> Request:
    """Approve a request as the second person (``request.decide``, not the requester).

    Args:
        note: an optional note on the approval; catalogue only.

    Raises:
        AccessDeniedError: the user may not decide on requests.
        PolicyError: no such request, the user made the request, or it was decided already;
            :class:`~.ConcurrentChangeError` when someone else decided meanwhile.
    """
    four_eyes.decide(engine, WORKFLOW, user_id, request_id, approve=True, reason=note, details=_decision_details)
    return get_request(engine, request_id)


def reject_request(engine: Engine, user_id: str | None, request_id: str, reason: str | None,
                   reason_min_length: int = 30) -> Request:
    """Reject a request as the second person, with a written reason.

    Raises:
        AccessDeniedError: the user may not decide on requests.
        PolicyError: no such request, no or a too short reason, the user made the request, or it
            was decided already; :class:`~.ConcurrentChangeError` when someone else
            decided meanwhile.
    """
    four_eyes.decide(engine, WORKFLOW, user_id, request_id, approve=False, reason=reason,
                     min_length=reason_min_length, details=_decision_details)
    return get_request(engine, request_id)


def _decision_details(row) -> dict:
    return {"call": row.call_id}


def get_request(engine: Engine, request_id: str) -> Request:
    """One request, reason included (to show it, and for the release).

    Raises:
        RequestNotFoundError: no such request (a :class:`PolicyError`).
    """
    return _to_request(four_eyes.load(engine, WORKFLOW, request_id), with_text=True)


def show_request(engine: Engine, user_id: str | None, request_id: str) -> Request:
    """One request with its reasons, for a user who may file, decide on or release requests.

    Raises:
        AccessDeniedError: the user may not see requests.
        PolicyError: no such request.
    """
    access.authorize(engine, user_id, "request.read")
    return get_request(engine, request_id)


def list_requests(engine: Engine, user_id: str | None, state: str | None = None) -> list[Request]:
    """All requests (optionally in one state), oldest first, without reasons.

    Raises:
        AccessDeniedError: the user may not file, decide on or release requests.
        PolicyError: an unknown state.
    """
    access.authorize(engine, user_id, "request.read")
    wanted = four_eyes.check_state_filter(WORKFLOW, state)
    query = sa.select(requests).order_by(requests.c.requested_at, requests.c.request_id)
    if wanted is not None:
        query = query.where(requests.c.state == wanted.value)
    with engine.connect() as conn:
        return [_to_request(row, with_text=False) for row in conn.execute(query)]


def _to_request(row, with_text: bool) -> Request:
    return Request(
        request_id=row.request_id, kind=row.kind, call_id=row.call_id, complaint_id=row.complaint_id,
        employee_id=row.employee_id, requested_by=row.requested_by, requested_at=row.requested_at,
        state=State(row.state), decided_by=row.decided_by, decided_at=row.decided_at, released_by=row.released_by,
        released_at=row.released_at, reason=row.reason if with_text else None,
        decision_reason=row.decision_reason if with_text else None,
    )


# --- release --------------------------------------------------------------------------------------


def check_release(engine: Engine, user_id: str | None, request_id: str, transcripts_dir: Path | None = None) -> Request:
    """The request if ``user_id`` may release it now: approved by a second person on record and,
    given ``transcripts_dir``, a transcript request's redacted transcript reviewed (no flagged
    redaction left unconfirmed; a transcript not made yet is checked at the release).

    Raises:
        AccessDeniedError: the user may not release (``request.release``).
        PolicyError: the request is not approved, not two distinct people are on record, or
            flagged redactions await the reviewer.
    """
    request = _releasable(engine, user_id, request_id)[0]
    if transcripts_dir is not None and request.kind == "transcript":
        path = transcripts.TranscriptFolder.of(transcripts_dir, request.call_id).redacted
        if path.is_file():
            _check_reviewed(request, _redacted_document(transcripts_dir, request.call_id))
    return request


def _check_reviewed(request: Request, document: dict) -> None:
    """Review before release: no flagged redaction of the transcript is left unconfirmed.

    Raises:
        PolicyError: some are (the reviewer confirms or undoes each first).
    """
    waiting = transcripts.unconfirmed_flags(document)
    if waiting:
        raise PolicyError(f"request {request.request_id}: {waiting} flagged redaction(s) not yet confirmed by the "
                          f"reviewer; a {' or '.join(sorted(access.PERMISSIONS['transcript.review']))} who did not file "
                          "the request confirms or undoes each first")


def _releasable(engine: Engine, user_id: str | None, request_id: str) -> tuple[Request, access.User]:
    row, releaser = four_eyes.check_carry_out(engine, WORKFLOW, user_id, request_id)
    return _to_request(row, with_text=True), releaser


def transcript_ready(engine: Engine, transcripts_dir: Path, call_id: str) -> bool:
    """Whether the call has a redacted transcript to release (state ``transcribed``, redacted.json)."""
    recording = catalogue.get_recording(engine, call_id)
    folder = transcripts.TranscriptFolder.of(transcripts_dir, call_id)
    return recording.state == catalogue.RecordingState.TRANSCRIBED and folder.redacted.is_file()


def release(engine: Engine, settings, user_id: str | None, request_id: str, now: datetime | None = None) -> Release:
    """Release an approved request: put its letter or its audio copy in the outbox, on record.

    A transcript request gives ``<call_id>-<request_id>.md``, ``.docx`` and ``.pdf``, rendered from the
    recording's redacted transcript only, kept ``outbox_days`` (never past the recording's
    expiry). A listen-back request gives a copy of the stored audio,
    ``<call_id>-<request_id>.<ext>``, kept ``listen_copy_hours`` (never past the recording's expiry).

    Args:
        settings: the callscribe settings (home, outbox, retention and release periods).

    Raises:
        AccessDeniedError: the user may not release.
        PolicyError: not approved by a second person, flagged redactions of the transcript not yet
            confirmed by the reviewer (:mod:`.review`), or the recording has expired;
            :class:`~.ConcurrentChangeError` when someone else released it meanwhile.
        StoreError: the transcript is not there yet (transcribe first), or the audio is missing or changed.
    """
    request, releaser = _releasable(engine, user_id, request_id)
    recording = catalogue.get_recording(engine, request.call_id)
    now = now or datetime.now(UTC)
    recording_end = recording_expiry(recording.call_start, settings.retention_days, settings.retention_timezone)
    if recording_end <= now:
        raise PolicyError(f"recording {request.call_id} has expired ({recording_end.isoformat()}); nothing can be released")
    stem = f"{request.call_id}-{request.request_id}"
    placed: list[outbox.OutboxItem] = []
    try:
        # The state changes first: a second releaser of the same request waits for this transaction
        # and then finds it released, before it has written anything; files and records commit
        # together with the state, or the files are taken back.
        with audit.transaction(engine) as conn:
            four_eyes.complete(conn, WORKFLOW, request_id, releaser, now)
            if request.kind == "transcript":
                expiry = min(now + timedelta(days=settings.outbox_days), recording_end)
                document = _redacted_document(settings.transcripts_dir, request.call_id)
                _check_reviewed(request, document)  # read after the state change: no review change is half-way
                call_date = recording.call_start.astimezone(ZoneInfo(settings.retention_timezone)).date()
                letter = letters.Letter.from_document(
                    document, call_id=request.call_id, reference=request.request_id, call_date=call_date,
                    complaint_id=request.complaint_id,
                    written=now.astimezone(ZoneInfo(settings.retention_timezone)).date())
                for suffix, data in letters.renderings(letter):
                    placed.append(outbox.place(engine, settings.outbox_dir, stem + suffix, kind="transcript",
                                               expires_at=expiry, data=data, call_id=request.call_id,
                                               request_id=request.request_id, conn=conn))
                step, details = "transcript.released", {"kind": request.kind, "call": request.call_id,
                                                        "files": len(placed), "turns": len(letter.turns)}
            else:
                expiry = min(now + timedelta(hours=settings.listen_copy_hours), recording_end)
                source = catalogue.verified_audio(settings.home, recording)
                placed.append(outbox.place(engine, settings.outbox_dir, stem + source.suffix.lower(),
                                           kind="listen_back", expires_at=expiry, source=source,
                                           call_id=request.call_id, request_id=request.request_id, conn=conn))
                step, details = "audio.retrieved", {"kind": request.kind, "call": request.call_id, "files": 1}
            audit.record(conn, releaser, step, request_id, {**details, "until": expiry.isoformat()}, at=now)
            audit.record(conn, releaser, "request.released", request_id,
                         {"kind": request.kind, "call": request.call_id, "requested_by": request.requested_by,
                          "approved_by": request.decided_by}, at=now)
    except BaseException:
        for item in placed:  # only the step that won the state change wrote them; the records rolled back
            item.path.unlink(missing_ok=True)
        raise
    logger.info("request %s released by %s: %d file(s) until %s", request_id, releaser.user_id, len(placed),
                expiry.isoformat())
    return Release(request.request_id, request.kind, request.call_id, tuple(i.name for i in placed), expiry)


def _redacted_document(transcripts_dir: Path, call_id: str) -> dict:
    path = transcripts.TranscriptFolder.of(transcripts_dir, call_id).redacted
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise StoreError(f"recording {call_id} has no redacted transcript yet: transcribe it first, or release "
                         "through the release flow, which transcribes it") from err
    except ValueError as err:
        raise StoreError(f"{path} is not valid JSON: transcribe recording {call_id} again") from err
    if document.get("recording_id") != call_id:
        raise StoreError(f"{path} belongs to another recording: transcribe recording {call_id} again")
    return document
