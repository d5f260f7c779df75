"""Downloads of what a release or an access request put in the outbox: the letter of a transcript
request (PDF or DOCX), the audio copy of a listen-back request and the caller's copies of an access
request (PDF and JSON), each fetch authorised and audited.

A released transcript request leaves ``<call_id>-<request_id>.md``, ``.docx`` and ``.pdf`` in the
outbox, a released listen-back request ``<call_id>-<request_id>.<ext>`` (:func:`.complaints.release`),
an executed access request per recording ``<call_id>-<request_id>.pdf`` and ``.json``
(:func:`.subjects.export`); each file has its own expiry, after which :func:`.outbox.sweep` removes
it. Here letters and the caller's copies are handed out (``letter.download``: the complaint desk,
team leaders, managers, the ICT back office) and the audio played back (``audio.listen``: only
those who may access recordings) while the file is in the outbox: released (or carried out), not
past its expiry, not removed. Every fetch is an audit entry (``letter.downloaded`` with the format,
``audio.listened``, ``subject.export_downloaded`` with the call and the format) naming the request
and its call, never what the file holds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import AccessDeniedError, PolicyError
from callscribe.pipeline.policy import access, audit, complaints, four_eyes, subjects
from callscribe.pipeline.storage.schema import UTCDateTime, outbox_items, recordings, requests, subject_requests

logger = logging.getLogger(__name__)

LETTER_FORMATS = ("pdf", "docx")  # the letters handed out (the Markdown stays for the record)
LETTER = "transcript"  # the request kind that has a letter, and its outbox kind
LISTEN_BACK = "listen_back"  # the request kind that has an audio copy, and its outbox kind
SUBJECT_EXPORT = "subject_access"  # the outbox kind of an access request's copies for the caller
EXPORT_FORMATS = ("pdf", "json")  # the caller's letter, and the same data for machines


class Unavailable(PolicyError):
    """The request has nothing in the outbox to fetch now.

    Attributes:
        reason: ``not_released`` (not released yet), ``not_executed`` (an access request not
            carried out yet), ``expired`` (past its expiry, or swept), or ``removed`` (the file is
            gone, e.g. with its recording).
        expires_at: when it expired or was to expire, where known.
    """

    def __init__(self, message: str, reason: str, expires_at: datetime | None = None):
        super().__init__(message)
        self.reason = reason
        self.expires_at = expires_at


@dataclass(frozen=True)
class OutboxCopy:
    """A file of the outbox that may be fetched now: ids, its name and place, until when."""

    request_id: str
    call_id: str
    kind: str
    name: str
    path: Path
    expires_at: datetime

    @property
    def suffix(self) -> str:
        """The file's suffix, lower case (``.pdf``, ``.wav`` …)."""
        return self.path.suffix.lower()


@dataclass(frozen=True)
class Available:
    """A released request whose letter or audio copy is in the outbox now, or one recording's
    copies of an executed access request (``kind`` :data:`SUBJECT_EXPORT`, released when it was
    carried out, no complaint)."""

    request_id: str
    kind: str
    call_id: str
    complaint_id: str | None
    released_at: datetime
    formats: tuple[str, ...]  # letter formats (pdf, docx), export formats (pdf, json), or the audio suffix
    expires_at: datetime


def retrieve_letter(engine: Engine, settings, as_user: str | None, request_id: str, fmt: str,
                    now: datetime | None = None) -> OutboxCopy:
    """The released letter of a transcript request as PDF or DOCX, for ``as_user``
    (``letter.download``), while it is in the outbox; audited as ``letter.downloaded``.

    Args:
        settings: the callscribe settings (the outbox folder).
        fmt: ``pdf`` or ``docx``.
        now: the moment of the download (default: now), compared with the file's expiry.

    Raises:
        AccessDeniedError: ``as_user`` may not download letters.
        RequestNotFoundError: no such request.
        PolicyError: an unknown format, or a listen-back request (which has no letter).
        Unavailable: not released (yet), past its expiry, or the file is gone.
    """
    if fmt not in LETTER_FORMATS:
        raise PolicyError(f"unknown letter format {fmt!r}; valid: {', '.join(LETTER_FORMATS)}")
    actor = access.authorize(engine, as_user, "letter.download")
    request = _released(engine, request_id, LETTER, "has no letter: it is a listen-back request")
    copy = _in_outbox(engine, settings, request.request_id, request.call_id, now,
                      name=f"{request.call_id}-{request.request_id}.{fmt}")
    with audit.transaction(engine) as conn:
        audit.record(conn, actor, "letter.downloaded", request_id, {"format": fmt, "call": request.call_id}, at=now)
    logger.info("request %s: letter (%s) downloaded by %s", request_id, fmt, actor.user_id)
    return copy


def listen_window(engine: Engine, settings, as_user: str | None, request_id: str,
                  now: datetime | None = None) -> OutboxCopy:
    """The audio copy of a released listen-back request and until when it may be played, for
    ``as_user`` (``audio.listen``); not audited, as nothing is played (:func:`retrieve_audio` is).

    Raises:
        AccessDeniedError: ``as_user`` may not listen back.
        RequestNotFoundError: no such request.
        PolicyError: a transcript request (which has no audio copy).
        Unavailable: not released (yet), past its expiry, or the copy is gone.
    """
    access.authorize(engine, as_user, "audio.listen")
    request = _released(engine, request_id, LISTEN_BACK, "has no audio copy: it is a transcript request")
    return _in_outbox(engine, settings, request.request_id, request.call_id, now, kind=LISTEN_BACK)


def retrieve_audio(engine: Engine, settings, as_user: str | None, request_id: str,
                   now: datetime | None = None) -> OutboxCopy:
    """The audio copy of a released listen-back request, to be played by ``as_user``
    (``audio.listen``) within its time window; every fetch is audited as ``audio.listened``.

    Raises:
        AccessDeniedError: ``as_user`` may not listen back.
        RequestNotFoundError: no such request.
        PolicyError: a transcript request (which has no audio copy).
        Unavailable: not released (yet), past its time window, or the copy is gone.
    """
    actor = access.authorize(engine, as_user, "audio.listen")
    request = _released(engine, request_id, LISTEN_BACK, "has no audio copy: it is a transcript request")
    copy = _in_outbox(engine, settings, request.request_id, request.call_id, now, kind=LISTEN_BACK)
    with audit.transaction(engine) as conn:
        audit.record(conn, actor, "audio.listened", request_id, {"call": request.call_id}, at=now)
    logger.info("request %s: audio copy played by %s", request_id, actor.user_id)
    return copy


def retrieve_subject_export(engine: Engine, settings, as_user: str | None, request_id: str, call_id: str, fmt: str,
                            now: datetime | None = None) -> OutboxCopy:
    """One recording's copy for the caller of an executed access request, as the letter (PDF) or
    the same data for machines (JSON), for ``as_user`` (``letter.download``) to send to the
    caller, while it is in the outbox; audited as ``subject.export_downloaded`` with the call and
    the format.

    Args:
        settings: the callscribe settings (the outbox folder).
        call_id: a recording the request found.
        fmt: ``pdf`` or ``json``.
        now: the moment of the download (default: now), compared with the file's expiry.

    Raises:
        AccessDeniedError: ``as_user`` may not download letters.
        RequestNotFoundError: no such data-subject request.
        PolicyError: an unknown format, an erasure request (which has no copies), or a call the
            request did not find.
        Unavailable: not carried out (yet), past its expiry, or the file is gone.
    """
    if fmt not in EXPORT_FORMATS:
        raise PolicyError(f"unknown export format {fmt!r}; valid: {', '.join(EXPORT_FORMATS)}")
    actor = access.authorize(engine, as_user, "letter.download")
    request = subjects.get_request(engine, request_id)
    if request.kind != "access":
        raise PolicyError(f"subject request {request_id} has no copies for the caller: it is an {request.kind} request")
    if call_id not in request.call_ids:
        raise PolicyError(f"subject request {request_id} did not find call {call_id}")
    if request.state != four_eyes.State.EXECUTED:
        raise Unavailable(f"subject request {request_id} is {request.state}, not carried out: nothing is in the "
                          "outbox yet", "not_executed")
    copy = _in_outbox(engine, settings, request_id, call_id, now, name=f"{call_id}-{request_id}.{fmt}")
    with audit.transaction(engine) as conn:
        audit.record(conn, actor, "subject.export_downloaded", request_id, {"call": call_id, "format": fmt}, at=now)
    logger.info("subject request %s: copy of %s (%s) downloaded by %s", request_id, call_id, fmt, actor.user_id)
    return copy


def available(engine: Engine, as_user: str | None, now: datetime | None = None) -> list[Available]:
    """The released requests whose letter (for ``letter.download``) or audio copy (for
    ``audio.listen`` as well) is in the outbox now, and per recording the caller's copies of an
    executed access request (``letter.download``), newest release (or execution) first. What went
    with its recording (expired or erased) is left out. Ids and dates only; not audited (each
    fetch is).

    Raises:
        AccessDeniedError: ``as_user`` may not download letters.
    """
    access.authorize(engine, as_user, "letter.download")
    kinds = [LETTER]
    try:
        access.authorize(engine, as_user, "audio.listen")
        kinds.append(LISTEN_BACK)
    except AccessDeniedError:
        pass  # letters only
    now = now or datetime.now(UTC)
    # not swept, not past its expiry, and its recording still there (an expired or erased call's
    # outbox files went with it)
    in_outbox = (outbox_items.c.removed_at.is_(None), outbox_items.c.expires_at > sa.literal(now, UTCDateTime),
                 outbox_items.c.call_id.in_(sa.select(recordings.c.call_id)))
    released = sa.select(requests.c.request_id, requests.c.kind, requests.c.call_id, requests.c.complaint_id,
                         requests.c.released_at, outbox_items.c.name, outbox_items.c.expires_at).join(
        outbox_items, outbox_items.c.request_id == requests.c.request_id).where(
        requests.c.state == four_eyes.State.RELEASED.value, requests.c.kind.in_(kinds),
        outbox_items.c.kind == requests.c.kind, *in_outbox)
    exports = sa.select(subject_requests.c.request_id, sa.literal(SUBJECT_EXPORT).label("kind"),
                        outbox_items.c.call_id, sa.null().label("complaint_id"),
                        subject_requests.c.executed_at.label("released_at"), outbox_items.c.name,
                        outbox_items.c.expires_at).join(
        outbox_items, outbox_items.c.request_id == subject_requests.c.request_id).where(
        subject_requests.c.state == four_eyes.State.EXECUTED.value, subject_requests.c.kind == "access",
        outbox_items.c.kind == SUBJECT_EXPORT, *in_outbox)
    with engine.connect() as conn:
        rows = [*conn.execute(released).all(), *conn.execute(exports).all()]
    found: dict[tuple[str, str], Available] = {}
    for row in rows:
        stem = f"{row.call_id}-{row.request_id}."
        if not row.name.startswith(stem):
            continue
        fmt = row.name[len(stem):].lower()
        if row.kind == LETTER and fmt not in LETTER_FORMATS:
            continue  # the Markdown stays for the record
        if row.kind == SUBJECT_EXPORT and fmt not in EXPORT_FORMATS:
            continue
        key = (row.request_id, row.call_id)
        known = found.get(key)
        formats = (*known.formats, fmt) if known else (fmt,)
        found[key] = Available(row.request_id, row.kind, row.call_id, row.complaint_id, row.released_at,
                               tuple(sorted(formats, key=_format_order)),
                               min(row.expires_at, known.expires_at) if known else row.expires_at)
    # newest first; a request's recordings in call-id order
    listed = sorted(found.values(), key=lambda a: a.call_id)
    listed.sort(key=lambda a: (a.released_at, a.request_id), reverse=True)
    return listed


def _format_order(fmt: str) -> int:
    order = ("pdf", "docx", "json")  # the letter first; an audio suffix stands alone
    return order.index(fmt) if fmt in order else len(order)


def _released(engine: Engine, request_id: str, kind: str, other_kind: str) -> complaints.Request:
    request = complaints.get_request(engine, request_id)
    if request.kind != kind:
        raise PolicyError(f"request {request_id} {other_kind}")
    if request.state != four_eyes.State.RELEASED:
        raise Unavailable(f"request {request_id} is {request.state}, not released: nothing is in the outbox yet",
                          "not_released")
    return request


def _in_outbox(engine: Engine, settings, request_id: str, call_id: str, now: datetime | None, *,
               name: str | None = None, kind: str | None = None) -> OutboxCopy:
    """The request's outbox file (by ``name``, or its only one of ``kind``) if it may be fetched now.

    Raises:
        Unavailable: past its expiry, swept, or the file is gone.
    """
    now = now or datetime.now(UTC)
    query = sa.select(outbox_items).where(outbox_items.c.request_id == request_id)
    query = query.where(outbox_items.c.name == name) if name else query.where(outbox_items.c.kind == kind)
    with engine.connect() as conn:
        item = conn.execute(query.order_by(outbox_items.c.created_at.desc())).first()
    if item is None:
        raise Unavailable(f"request {request_id}: its file is no longer in the outbox", "removed")
    if item.removed_at is not None or item.expires_at <= now:
        raise Unavailable(f"request {request_id}: its file expired at {item.expires_at.isoformat()} and is "
                          "no longer available", "expired", item.expires_at)
    path = settings.outbox_dir / item.name
    if path.is_symlink() or not path.is_file():
        raise Unavailable(f"request {request_id}: its file is no longer in the outbox", "removed",
                          item.expires_at)
    return OutboxCopy(request_id, call_id, item.kind, item.name, path, item.expires_at)
