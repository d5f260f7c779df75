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
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import PolicyError, StoreError
from callscribe.pipeline.policy import access, audit, four_eyes, letters, outbox, retention
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
    """Carry out an approved access request: per recording, a letter for the caller and the same
    data for machines, ``<call_id>-<request_id>.pdf`` and ``.json`` in the outbox (until
    ``outbox_days`` or the recording's expiry; named after the call, so retention removes them
    with it). Recordings that expired since the request was filed are counted as such.

    Both hold the caller's own call data (local date and time, duration, direction, the caller's
    number as the catalogue stores it, how long the call is kept) and the redacted transcript, in
    which only the caller's own number is shown again (:func:`_own_number_shown`); everything
    else found stays redacted: names (the caller's own too), the employee, other people's data.

    Run the transcription first for recordings not yet transcribed (the flow does); an export of
    an untranscribed recording holds its metadata and says so.

    Returns:
        The outbox items, per recording its ``.json`` then its ``.pdf``.

    Raises:
        AccessDeniedError: the user may not carry out subject requests.
        PolicyError: not an approved access request with two people on record.
        StoreError: a redacted transcript is malformed; nothing is written then.
        ConcurrentChangeError: someone else carried it out meanwhile (this call wrote nothing).
    """
    now = now or datetime.now(UTC)
    request, actor = check_executable(engine, request_id, user_id)
    if request.kind != "access":
        raise PolicyError(f"subject request {request_id} is an {request.kind} request, not access")
    zone = ZoneInfo(settings.retention_timezone)
    copies: list[tuple[str, datetime, str, bytes]] = []  # call id, until, suffix, data
    gone = 0
    for call_id in request.call_ids:
        try:
            recording = catalogue.get_recording(engine, call_id)
        except Exception:  # noqa: BLE001 - expired or erased since: nothing left to export
            gone += 1
            continue
        expiry = retention.expires_at(recording.call_start, settings.retention_days, settings.retention_timezone)
        document, letter = _caller_copy(settings, recording, expiry, request_id, _local(now, zone).date())
        until = min(now + timedelta(days=settings.outbox_days), expiry)
        copies.append((call_id, until, ".json", (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()))
        copies.append((call_id, until, ".pdf", letters.render_pdf(letter)))
    items: list[outbox.OutboxItem] = []
    try:
        # The state changes first: a second executor of the same request waits for this transaction
        # and then finds it carried out, before it has written anything; files and records commit
        # together with the state, or the files are taken back.
        with audit.transaction(engine) as conn:
            four_eyes.complete(conn, WORKFLOW, request_id, actor, now)
            for call_id, until, suffix, data in copies:
                items.append(outbox.place(engine, settings.outbox_dir, f"{call_id}-{request_id}{suffix}",
                                          kind="subject_access", data=data, expires_at=until, call_id=call_id,
                                          request_id=request_id, conn=conn))
            audit.record(conn, actor, "subject.exported", request_id,
                         {"recordings": len(copies) // 2, "files": len(items), "already_gone": gone,
                          "approved_by": request.decided_by}, at=now)
    except BaseException:
        for item in items:  # only the step that won the state change wrote them; the records rolled back
            item.path.unlink(missing_ok=True)
        raise
    logger.info("subject request %s exported: %d recording(s), %d file(s), %d already gone", request_id,
                len(copies) // 2, len(items), gone)
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


def show_request(engine: Engine, request_id: str, user_id: str | None) -> SubjectRequest:
    """One subject request for ``user_id`` (``subject.read``), with the call ids it found.

    Raises:
        AccessDeniedError: the user may not read subject requests.
        RequestNotFoundError: no such request (a :class:`PolicyError`).
    """
    access.authorize(engine, user_id, "subject.read")
    return get_request(engine, request_id)


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


def _caller_copy(settings: Settings, recording, expiry: datetime, request_id: str,
                 written: date) -> tuple[dict, letters.Letter]:
    """What a caller gets for one recording, as a machine-readable document and as a letter: the
    call's metadata (local times) and the redacted transcript with their own number shown."""
    zone = ZoneInfo(settings.retention_timezone)
    started, kept_until = _local(recording.call_start, zone), _local(expiry, zone)
    facts = letters.CallFacts(started=started, duration_s=recording.duration, direction=recording.direction,
                              caller_number=recording.caller_number, kept_until=kept_until,
                              retention_days=settings.retention_days)
    document = {
        "call_id": recording.call_id,
        "call_start": started.isoformat(),
        "duration_s": recording.duration,
        "direction": recording.direction,
        "caller_number": recording.caller_number,
        "kept_until": kept_until.isoformat(),
        "transcript": None,
        "note": "Dit gesprek is niet uitgeschreven.",
    }
    path = transcripts.TranscriptFolder.of(settings.transcripts_dir, recording.call_id).redacted
    if not path.is_file():
        return document, letters.Letter.without_transcript(
            call_id=recording.call_id, reference=request_id, call_date=started.date(), call=facts, written=written)
    try:
        redacted = json.loads(path.read_text(encoding="utf-8"))
        segments = list(redacted["segments"])
        texts = _own_number_shown(settings, recording, segments)
        segments = [{**segment, "text": text} for segment, text in zip(segments, texts, strict=True)]
        document["transcript"] = [{"speaker": s["speaker"], "start": s["start"], "end": s["end"], "text": s["text"]}
                                  for s in segments]
    except (ValueError, KeyError, TypeError) as err:
        raise StoreError(f"the redacted transcript of {recording.call_id} is malformed: transcribe it again") from err
    document["note"] = transcripts.TAG_EXPLANATION
    letter = letters.Letter.from_document({**redacted, "segments": segments}, call_id=recording.call_id,
                                          reference=request_id, call_date=started.date(), written=written, call=facts)
    return document, letter


# Entity types whose original value can be the caller's own phone number.
_NUMBER_TYPES = frozenset({"PHONE_NUMBER", "NUMBER"})


def _own_number_shown(settings: Settings, recording, segments: list[dict]) -> list[str]:
    """The segments' redacted texts, with the caller's own number put back where it was said.

    The rule, conservative on purpose: a redacted span is shown again only when it is a phone
    number (or a dictated number) whose original value, read as a phone number, is the number
    the catalogue stores for this call's caller, the number the request found the call by.
    Everything else found stays redacted: names (the caller's own as well, as a transcript
    cannot tell whose name it is), the employee, other numbers, addresses, third parties. A
    number spoken in words stays redacted too.

    The encrypted raw transcript is read, in memory only, just when a segment holds such a span;
    a segment whose stored text is not exactly the raw text with its spans replaced (changed or
    reviewed since) keeps its stored text, as does every segment when the raw transcript is
    gone or cannot be decrypted.
    """
    texts = [str(segment["text"]) for segment in segments]
    candidates = [index for index, segment in enumerate(segments)
                  if any(e.get("type") in _NUMBER_TYPES for e in segment.get("entities") or ())]
    if not candidates:
        return texts
    try:
        own = normalise_number(recording.caller_number)
    except PolicyError:
        return texts
    key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
    try:
        raw = transcripts.read_raw(transcripts.TranscriptFolder.of(settings.transcripts_dir, recording.call_id).path,
                                   key)
    except StoreError:
        logger.warning("access export of %s: the raw transcript cannot be read; every span stays redacted",
                       recording.call_id)
        return texts
    if len(raw.segments) != len(segments):
        logger.warning("access export of %s: the raw and redacted transcripts differ in length; every span stays "
                       "redacted", recording.call_id)
        return texts
    shown = 0
    for index in candidates:
        replaced = _with_own_number(raw.segments[index].text, segments[index]["entities"], own, texts[index])
        if replaced is not None:
            texts[index], count = replaced
            shown += count
    logger.info("access export of %s: the caller's own number shown %d time(s)", recording.call_id, shown)
    return texts


def _with_own_number(original: str, entities: list[dict], own: str, stored: str) -> tuple[str, int] | None:
    """``original`` with every span replaced by its tag except spans that are the number ``own``;
    None when the spans do not rebuild ``stored`` exactly."""
    rebuilt, shown, cursor, count = [], [], 0, 0
    try:
        spans = sorted((int(e["start"]), int(e["end"]), str(e["type"]), str(e["tag"])) for e in entities)
    except (KeyError, TypeError, ValueError):
        return None
    for start, end, kind, tag in spans:
        if start < cursor or end < start or end > len(original):
            return None
        value = original[start:end]
        mine = kind in _NUMBER_TYPES and _is_number(value, own)
        rebuilt += [original[cursor:start], tag]
        shown += [original[cursor:start], value if mine else tag]
        count += mine
        cursor = end
    if "".join(rebuilt) + original[cursor:] != stored:
        return None
    return "".join(shown) + original[cursor:], count


def _is_number(value: str, number: str) -> bool:
    try:
        return normalise_number(value) == number
    except PolicyError:
        return False


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    try:
        return moment.astimezone(zone)
    except OverflowError:  # an expiry at the end of the calendar (retention.expires_at of a year-9999 call)
        return moment


def _to_request(row, call_ids: tuple[str, ...]) -> SubjectRequest:
    return SubjectRequest(
        request_id=row.request_id, kind=row.kind, state=State(row.state), call_ids=call_ids,
        requested_by=row.requested_by, requested_at=row.requested_at, decided_by=row.decided_by,
        decided_at=row.decided_at, executed_by=row.executed_by, executed_at=row.executed_at,
    )
