"""Data-subject requests (GDPR): find every recording of a caller's phone number, then export
them (right of access) or erase them early (right to erasure), each under four eyes.

The phone number is used once, when the request is filed, to find the recordings; the request
keeps the call ids it found, never the number. Filing, deciding and carrying out are three steps
by at least two people: whoever files a request cannot approve it. Erasure goes through the
retention mechanism (:func:`callscribe.pipeline.policy.retention.erase`), so an erased recording leaves exactly
what an expired one leaves: a tombstone.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from callscribe.pipeline.errors import PolicyError
from callscribe.pipeline.policy import access, audit, outbox, retention
from callscribe.pipeline.settings import Settings
from callscribe.pipeline.storage import catalogue, transcripts
from callscribe.pipeline.storage.schema import subject_request_calls, subject_requests

logger = logging.getLogger(__name__)

KINDS = ("access", "erasure")
STATES = ("requested", "approved", "rejected", "executed")
_BATCH = 5000
_ID_ATTEMPTS = 5


@dataclass(frozen=True)
class SubjectRequest:
    request_id: str
    kind: str
    state: str
    call_ids: tuple[str, ...]
    requested_by: str
    requested_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    executed_by: str | None = None
    executed_at: datetime | None = None


def normalise_number(number: str) -> str:
    """A phone number in one canonical form, ``+`` and digits: ``06-1234 5678``, ``+31 6 12345678``
    and ``0031612345678`` all become ``+31612345678`` (Dutch numbers without a country code are
    read as +31).

    Raises:
        PolicyError: not a phone number (the message never repeats it).
    """
    compact = re.sub(r"[\s().\-/]", "", number or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif compact.startswith("0"):
        compact = "+31" + compact[1:]
    if compact.startswith("+310"):  # "+31 (0)6 …"
        compact = "+31" + compact[4:]
    if not re.fullmatch(r"\+?[0-9]{6,15}", compact):
        raise PolicyError("the phone number is not valid: give digits with an optional + and country code, "
                          "e.g. 06 1234 5678 or +31 6 1234 5678")
    return compact if compact.startswith("+") else "+" + compact


def find_recordings(engine: Engine, number: str) -> list[str]:
    """Call ids of every catalogued recording whose caller number is ``number`` in any notation."""
    wanted = normalise_number(number)
    found = []
    query = sa.select(catalogue.recordings.c.call_id, catalogue.recordings.c.caller_number).order_by(
        catalogue.recordings.c.call_id)
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=_BATCH).execute(query)
        for row in result:
            try:
                if normalise_number(row.caller_number) == wanted:
                    found.append(row.call_id)
            except PolicyError:
                continue
    return found


def file_request(engine: Engine, settings: Settings, kind: str, number: str, reason: str, user_id: str | None,
                 now: datetime | None = None) -> SubjectRequest:
    """File an access or erasure request for the recordings of a phone number.

    Raises:
        AccessDeniedError: the user may not file subject requests.
        PolicyError: unknown kind, bad number, or a missing or too short reason.
    """
    if kind not in KINDS:
        raise PolicyError(f"unknown request kind {kind!r}; valid: {', '.join(KINDS)}")
    now = now or datetime.now(UTC)
    actor = access.authorize(engine, user_id, "subject.create")
    reason = access.check_reason(reason, settings.reason_min_length)
    call_ids = find_recordings(engine, number)
    for attempt in range(_ID_ATTEMPTS):
        try:
            with audit.transaction(engine) as conn:
                request_id = catalogue.next_yearly_id(conn, subject_requests.c.request_id, "AVG", now,
                                                      settings.retention_timezone)
                conn.execute(sa.insert(subject_requests).values(
                    request_id=request_id, kind=kind, reason=reason, state="requested",
                    requested_by=actor.user_id, requested_at=now))
                if call_ids:
                    conn.execute(sa.insert(subject_request_calls),
                                 [{"request_id": request_id, "call_id": c} for c in call_ids])
                audit.record(conn, actor, "subject.requested", request_id,
                             {"kind": kind, "recordings": len(call_ids)}, at=now)
            break
        except IntegrityError:  # another request took the same number meanwhile
            if attempt == _ID_ATTEMPTS - 1:
                raise
    logger.info("subject request %s (%s) filed: %d recording(s)", request_id, kind, len(call_ids))
    return get_request(engine, request_id)


def decide(engine: Engine, settings: Settings, request_id: str, user_id: str | None, approve: bool,
           reason: str | None = None, now: datetime | None = None) -> SubjectRequest:
    """Approve or reject a request; the decider is a second person, a rejection needs a reason.

    Raises:
        AccessDeniedError: the user may not decide on subject requests.
        PolicyError: own request, already decided, or a rejection without a (long enough) reason.
    """
    now = now or datetime.now(UTC)
    actor = access.authorize(engine, user_id, "subject.decide")
    request = get_request(engine, request_id)
    access.check_second_person(request.requested_by, actor)
    if request.state != "requested":
        raise PolicyError(f"subject request {request_id} is {request.state}, not awaiting a decision")
    text = None
    if not approve:
        text = access.check_reason(reason, settings.reason_min_length, "rejection reason")
    elif reason:
        text = " ".join(reason.split())
    state = "approved" if approve else "rejected"
    with audit.transaction(engine) as conn:
        _move(conn, request_id, "requested", state=state, decided_by=actor.user_id, decided_at=now,
              decision_reason=text)
        audit.record(conn, actor, f"subject.{state}", request_id,
                     {"kind": request.kind, "requested_by": request.requested_by}, at=now)
    return get_request(engine, request_id)


def check_executable(engine: Engine, request_id: str, user_id: str | None) -> tuple[SubjectRequest, access.User]:
    """The approved request and the user who may carry it out (two distinct people on record).

    Raises:
        AccessDeniedError: the user may not carry out subject requests.
        PolicyError: not approved (yet), or already carried out.
    """
    actor = access.authorize(engine, user_id, "subject.execute")
    request = get_request(engine, request_id)
    if request.state != "approved":
        raise PolicyError(f"subject request {request_id} is {request.state}; only an approved request is carried out")
    if not request.decided_by or request.decided_by == request.requested_by:
        raise PolicyError(f"subject request {request_id} lacks a second person's approval")
    return request, actor


def export(engine: Engine, settings: Settings, request_id: str, user_id: str | None,
           now: datetime | None = None) -> list[outbox.OutboxItem]:
    """Carry out an approved access request: per recording, the call metadata and the redacted
    transcript as ``<call_id>-<request_id>.json`` in the outbox (until ``outbox_days`` or the
    recording's expiry). Recordings that expired since the request was filed are listed as such.

    Run the transcription first for recordings not yet transcribed (the flow does); an export of
    an untranscribed recording holds its metadata and says so.
    """
    now = now or datetime.now(UTC)
    request, actor = check_executable(engine, request_id, user_id)
    if request.kind != "access":
        raise PolicyError(f"subject request {request_id} is an {request.kind} request, not access")
    items = []
    gone = 0
    for call_id in request.call_ids:
        try:
            recording = catalogue.get_recording(engine, call_id)
        except Exception:  # noqa: BLE001 - expired or erased since: nothing left to export
            gone += 1
            continue
        expiry = retention.expires_at(recording.call_start, settings.retention_days, settings.retention_timezone)
        document = _access_document(settings, recording, expiry)
        items.append(outbox.place(
            engine, settings.outbox_dir, f"{call_id}-{request_id}.json", kind="subject_access",
            data=(json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
            expires_at=min(now + timedelta(days=settings.outbox_days), expiry), call_id=call_id,
            request_id=request_id,
        ))
    with audit.transaction(engine) as conn:
        _move(conn, request_id, "approved", state="executed", executed_by=actor.user_id, executed_at=now)
        audit.record(conn, actor, "subject.exported", request_id,
                     {"recordings": len(items), "already_gone": gone, "approved_by": request.decided_by}, at=now)
    return items


def erase(engine: Engine, settings: Settings, request_id: str, user_id: str | None,
          now: datetime | None = None) -> retention.RetentionReport:
    """Carry out an approved erasure request through the retention mechanism."""
    now = now or datetime.now(UTC)
    request, actor = check_executable(engine, request_id, user_id)
    if request.kind != "erasure":
        raise PolicyError(f"subject request {request_id} is an {request.kind} request, not erasure")
    report = retention.erase(engine, settings.home, request.call_ids, now=now,
                             retention_days=settings.retention_days, timezone=settings.retention_timezone,
                             actor=actor, subject=request_id)
    with audit.transaction(engine) as conn:
        _move(conn, request_id, "approved", state="executed", executed_by=actor.user_id, executed_at=now)
        audit.record(conn, actor, "subject.erased", request_id,
                     {"recordings": report.recordings_expired, "failed": report.failed,
                      "approved_by": request.decided_by}, at=now)
    if report.failed:
        raise PolicyError(f"subject request {request_id}: {report.failed} recording(s) could not be deleted "
                          "completely; they stay 'expiring' and the next retention run finishes them")
    return report


def get_request(engine: Engine, request_id: str) -> SubjectRequest:
    """One subject request with the call ids it found.

    Raises:
        PolicyError: no such request.
    """
    with engine.connect() as conn:
        row = conn.execute(sa.select(subject_requests).where(subject_requests.c.request_id == request_id)).first()
        if row is None:
            raise PolicyError(f"no subject request {request_id}: `callscribe subjects list` shows them")
        calls = conn.execute(sa.select(subject_request_calls.c.call_id).where(
            subject_request_calls.c.request_id == request_id).order_by(subject_request_calls.c.call_id)).scalars()
        return _to_request(row, tuple(calls))


def list_requests(engine: Engine, state: str | None = None) -> list[SubjectRequest]:
    query = sa.select(subject_requests).order_by(subject_requests.c.requested_at)
    if state:
        query = query.where(subject_requests.c.state == state)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        links = conn.execute(sa.select(subject_request_calls)).all()
    calls: dict[str, list[str]] = {}
    for link in links:
        calls.setdefault(link.request_id, []).append(link.call_id)
    return [_to_request(row, tuple(sorted(calls.get(row.request_id, ())))) for row in rows]


def _access_document(settings: Settings, recording, expiry: datetime) -> dict:
    """What a caller gets for one recording: the call's metadata and the redacted transcript."""
    zone = expiry.tzinfo
    document = {
        "call_id": recording.call_id,
        "call_start": recording.call_start.astimezone(zone).isoformat(),
        "duration_s": recording.duration,
        "direction": recording.direction,
        "caller_number": recording.caller_number,
        "kept_until": expiry.isoformat(),
        "transcript": None,
        "note": "Dit gesprek is niet uitgeschreven.",
    }
    path = transcripts.transcript_dir(settings.transcripts_dir, recording.call_id) / transcripts.REDACTED_NAME
    if path.is_file():
        redacted = json.loads(path.read_text(encoding="utf-8"))
        document["transcript"] = [
            {"speaker": s["speaker"], "start": s["start"], "end": s["end"], "text": s["text"]}
            for s in redacted["segments"]
        ]
        document["note"] = transcripts.TAG_EXPLANATION
    return document


def _move(conn, request_id: str, from_state: str, **values) -> None:
    """Change a request's state only if it is still ``from_state`` (two people acting at once)."""
    result = conn.execute(sa.update(subject_requests).where(
        subject_requests.c.request_id == request_id, subject_requests.c.state == from_state).values(**values))
    if result.rowcount != 1:
        raise PolicyError(f"subject request {request_id} changed meanwhile; look again with `callscribe subjects show`")


def _to_request(row, call_ids: tuple[str, ...]) -> SubjectRequest:
    return SubjectRequest(
        request_id=row.request_id, kind=row.kind, state=row.state, call_ids=call_ids,
        requested_by=row.requested_by, requested_at=row.requested_at, decided_by=row.decided_by,
        decided_at=row.decided_at, executed_by=row.executed_by, executed_at=row.executed_at,
    )
