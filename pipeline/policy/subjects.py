"""Data-subject requests (GDPR): find every recording of a caller's phone number, then export
them (right of access) or erase them early (right to erasure), each under four eyes.

The phone number is used once, when the request is filed, to find the recordings; the request
keeps the call ids it found, never the number. Filing, deciding and carrying out are three steps
by at least two people: whoever files a request cannot approve it. Erasure goes through the
retention mechanism (:func:`callscribe.pipeline.policy.retention.erase`), so an erased recording leaves exactly
what an expired one leaves: a tombstone. The steps, states and numbering are the shared four-eyes
workflow (:mod:`.four_eyes`).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import PolicyError
from callscribe.pipeline.policy import access, audit, four_eyes, outbox, retention
from callscribe.pipeline.settings import Settings
from callscribe.pipeline.storage import catalogue, transcripts
from callscribe.pipeline.storage.schema import recordings, subject_request_calls, subject_requests

logger = logging.getLogger(__name__)

KINDS = ("access", "erasure")
State = four_eyes.State
WORKFLOW = four_eyes.Workflow(
    noun="subject request", table=subject_requests, id_prefix="AVG", audit_prefix="subject",
    decide_permission="subject.decide", carry_out_permission="subject.execute", done=State.EXECUTED,
    done_verb="carried out")
STATES = WORKFLOW.states
_BATCH = 5000


@dataclass(frozen=True)
class SubjectRequest:
    request_id: str
    kind: str
    state: State
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
    query = sa.select(recordings.c.call_id, recordings.c.caller_number).order_by(recordings.c.call_id)
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
    reason = four_eyes.filing_reason(reason, settings.reason_min_length)
    call_ids = find_recordings(engine, number)

    def write(conn, request_id: str) -> None:
        conn.execute(four_eyes.new_request(WORKFLOW, request_id, actor, now, kind=kind, reason=reason))
        if call_ids:
            conn.execute(sa.insert(subject_request_calls), [{"request_id": request_id, "call_id": c} for c in call_ids])
        audit.record(conn, actor, "subject.requested", request_id, {"kind": kind, "recordings": len(call_ids)}, at=now)

    request_id = four_eyes.insert_numbered(engine, subject_requests.c.request_id, WORKFLOW.id_prefix, now,
                                           settings.retention_timezone, write)
    logger.info("subject request %s (%s) filed: %d recording(s)", request_id, kind, len(call_ids))
    return get_request(engine, request_id)


def decide(engine: Engine, settings: Settings, request_id: str, user_id: str | None, approve: bool,
           reason: str | None = None, now: datetime | None = None) -> SubjectRequest:
    """Approve or reject a request; the decider is a second person, a rejection needs a reason.

    Raises:
        AccessDeniedError: the user may not decide on subject requests.
        PolicyError: no such request, own request, already decided, or a rejection without a (long
            enough) reason; :class:`~.ConcurrentChangeError` when someone else decided meanwhile.
    """
    four_eyes.decide(engine, WORKFLOW, user_id, request_id, approve=approve, reason=reason,
                     min_length=settings.reason_min_length, now=now)
    return get_request(engine, request_id)


def check_executable(engine: Engine, request_id: str, user_id: str | None) -> tuple[SubjectRequest, access.User]:
    """The approved request and the user who may carry it out (two distinct people on record).

    Raises:
        AccessDeniedError: the user may not carry out subject requests.
        PolicyError: no such request, not approved (yet), already carried out, or no second
            person's approval on record.
    """
    row, actor = four_eyes.check_carry_out(engine, WORKFLOW, user_id, request_id)
    return _with_calls(engine, row), actor


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
        four_eyes.complete(conn, WORKFLOW, request_id, actor, now)
        audit.record(conn, actor, "subject.exported", request_id,
                     {"recordings": len(items), "already_gone": gone, "approved_by": request.decided_by}, at=now)
    return items


def erase(engine: Engine, settings: Settings, request_id: str, user_id: str | None,
          now: datetime | None = None, *, override_holds: bool = False) -> retention.RetentionReport:
    """Carry out an approved erasure request through the retention mechanism. Calls under a legal
    hold are refused unless ``override_holds`` (an explicit decision, recorded)."""
    now = now or datetime.now(UTC)
    request, actor = check_executable(engine, request_id, user_id)
    if request.kind != "erasure":
        raise PolicyError(f"subject request {request_id} is an {request.kind} request, not erasure")
    report = retention.erase(engine, settings.home, request.call_ids, now=now,
                             retention_days=settings.retention_days, timezone=settings.retention_timezone,
                             actor=actor, subject=request_id, override_holds=override_holds)
    with audit.transaction(engine) as conn:
        four_eyes.complete(conn, WORKFLOW, request_id, actor, now)
        audit.record(conn, actor, "subject.erased", request_id,
                     {"recordings": report.recordings_expired, "failed": report.failed,
                      "approved_by": request.decided_by, "holds_overridden": override_holds}, at=now)
    if report.failed:
        raise PolicyError(f"subject request {request_id}: {report.failed} recording(s) could not be deleted "
                          "completely; they stay 'expiring' and the next retention run finishes them")
    return report


def get_request(engine: Engine, request_id: str) -> SubjectRequest:
    """One subject request with the call ids it found.

    Raises:
        RequestNotFoundError: no such request (a :class:`PolicyError`).
    """
    return _with_calls(engine, four_eyes.load(engine, WORKFLOW, request_id))


def _with_calls(engine: Engine, row) -> SubjectRequest:
    with engine.connect() as conn:
        calls = conn.execute(sa.select(subject_request_calls.c.call_id).where(
            subject_request_calls.c.request_id == row.request_id).order_by(subject_request_calls.c.call_id)).scalars()
        return _to_request(row, tuple(calls))


def list_requests(engine: Engine, state: str | None = None, *, user_id: str | None) -> list[SubjectRequest]:
    """All subject requests (optionally in one state), oldest first, with the call ids they found,
    for a user who may see them (``subject.read``).

    Raises:
        AccessDeniedError: the user may not see subject requests.
        PolicyError: an unknown state.
    """
    access.authorize(engine, user_id, "subject.read")
    wanted = four_eyes.check_state_filter(WORKFLOW, state or None)
    query = sa.select(subject_requests).order_by(subject_requests.c.requested_at)
    if wanted is not None:
        query = query.where(subject_requests.c.state == wanted.value)
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
    path = transcripts.TranscriptFolder.of(settings.transcripts_dir, recording.call_id).redacted
    if path.is_file():
        redacted = json.loads(path.read_text(encoding="utf-8"))
        document["transcript"] = [
            {"speaker": s["speaker"], "start": s["start"], "end": s["end"], "text": s["text"]}
            for s in redacted["segments"]
        ]
        document["note"] = transcripts.TAG_EXPLANATION
    return document


def _to_request(row, call_ids: tuple[str, ...]) -> SubjectRequest:
    return SubjectRequest(
        request_id=row.request_id, kind=row.kind, state=State(row.state), call_ids=call_ids,
        requested_by=row.requested_by, requested_at=row.requested_at, decided_by=row.decided_by,
        decided_at=row.decided_at, executed_by=row.executed_by, executed_at=row.executed_at,
    )
