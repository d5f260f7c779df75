"""The coaching sample: one call per employee per calendar month, drawn with a keyed generator.

The policy asks for three random calls per employee per quarter, reviewed with the employee.
Recordings are kept 62 days, shorter than a quarter, so the sample is drawn month by month:
right after a month ends (local calendar month in the retention timezone), one call per employee
is drawn from that month, so the three monthly picks cover the quarter and each can still be
reviewed before its recording expires.

The draw (algorithm :data:`ALGORITHM`): every eligible call of an employee gets the rank
``HMAC-SHA256(secret, "coaching|<month>|<employee_id>|<call_id>")`` and the call with the lowest
rank is picked. The ranks are independent uniform 256-bit values, so each of an employee's
eligible calls is equally likely; the secret (``CALLSCRIBE_POLICY_SECRET`` or
``<home>/keys/policy.key``) keeps the choice unpredictable to employees, and anyone holding it
reproduces the pick with :func:`choose` from the candidate ids. Adding or removing calls of other
employees, or other months, never changes a pick. Each pick stores the number of candidates and
a SHA-256 of their sorted ids, so an auditor can check a reproduction used the same list.

Eligible calls: in the catalogue and not expired or ``expiring``, at least
``coaching_min_duration_s`` long (a call of unknown duration counts only when that minimum is 0:
its length cannot be checked), and, with ``coaching_exclude_failed``, not ``failed``.

A month is drawn once: drawing it again returns the stored picks unchanged. Draws and coaching
sessions are written to the audit log in the same transaction as the change, with ids and counts
only. Employee names (optional, for coaching transcripts that keep the employee's own name
visible) live only in the ``employee_names`` table; they are never logged or audited.

A session gets a yearly id (``CS-2026-0001``) and may carry a short note (at most
:data:`COACHING_NOTE_MAX` characters). The note is personal data about the employee: it is kept
in the ``coaching_sessions`` table only, never logged, audited (the audit entry says only whether
there is one) or put in a message; reading it is authorised and audited. Employees are not users,
so whoever holds sessions records that the employee acknowledged one, once, with the time.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline import atomic
from callscribe.pipeline.errors import ConfigurationError, DuplicateSessionError, PolicyError
from callscribe.pipeline.policy import access, audit, four_eyes
from callscribe.pipeline.policy.retention import expires_at
from callscribe.pipeline.settings import Settings
from callscribe.pipeline.storage import catalogue, transcripts
from callscribe.pipeline.storage.catalogue import RecordingState
from callscribe.pipeline.storage.schema import (
    COACHING_NOTE_MAX,
    EMPLOYEE_NAME_MAX,
    coaching_picks,
    coaching_sessions,
    employee_names,
    recordings,
)

logger = logging.getLogger(__name__)

ALGORITHM = "hmac-sha256-min-rank/v1"
_KEY_FILE = "policy.key"
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_QUARTER = re.compile(r"(\d{4})Q([1-4])")
_EMPLOYEE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
SESSION_ID_PREFIX = "CS"  # session ids CS-<year>-<nnnn>


@dataclass(frozen=True)
class Pick:
    """One employee's coaching call of one month; ids and dates only."""

    month: str
    employee_id: str
    call_id: str
    call_start: datetime
    candidates: int
    candidates_sha256: str
    algorithm: str
    drawn_at: datetime
    drawn_by: str


@dataclass(frozen=True)
class Draw:
    """The picks of a month, and whether they were drawn now or found from an earlier draw."""

    month: str
    picks: tuple[Pick, ...]
    already_drawn: bool
    without_calls: tuple[str, ...] = ()  # employees of the catalogue with no eligible call that month


@dataclass(frozen=True)
class Session:
    """A coaching session held about a pick, by a coach with the employee.

    ``note`` is personal data about the employee: only :func:`get_session` fills it, and it stays
    out of the repr, so a session that is printed or logged never shows it; ``has_note`` says
    whether there is one. ``acknowledged_at`` is when the employee's acknowledgement was recorded,
    ``acknowledged_by`` who recorded it.
    """

    session_id: str
    month: str
    employee_id: str
    call_id: str
    coach: str
    held_at: datetime
    created_at: datetime
    has_note: bool = False
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    note: str | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class EmployeeSummary:
    """An employee as the catalogue knows them: id, calls in the catalogue, name on file or not."""

    employee_id: str
    calls: int
    name_on_file: bool


# --- months, quarters and the key ---------------------------------------------------------------


_YEARS = (2000, 2100)  # no call outside these is kept (ingest refuses a call start before 2000)


def check_month(month: str) -> str:
    """``month`` when it is a calendar month written ``YYYY-MM``.

    Raises:
        PolicyError: any other form.
    """
    if not isinstance(month, str) or not _MONTH.fullmatch(month):
        raise PolicyError(f"month {month!r} is not a calendar month: write YYYY-MM, e.g. 2026-10")
    if not _YEARS[0] <= int(month[:4]) <= _YEARS[1]:
        raise PolicyError(f"month {month} is outside the years {_YEARS[0]}-{_YEARS[1]} callscribe keeps calls for")
    return month


def quarter_months(quarter: str) -> tuple[str, str, str]:
    """The three months of a quarter written ``YYYYQn`` ("2026Q4" → 2026-10, 2026-11, 2026-12).

    Raises:
        PolicyError: any other form.
    """
    match = _QUARTER.fullmatch(quarter or "")
    if not match:
        raise PolicyError(f"quarter {quarter!r} is not a quarter: write YYYYQn with n 1-4, e.g. 2026Q4")
    year, number = int(match.group(1)), int(match.group(2))
    return tuple(check_month(f"{year:04d}-{m:02d}") for m in range(3 * number - 2, 3 * number + 1))  # type: ignore[return-value]


def month_bounds(month: str, timezone: str) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the month after, local time in ``timezone``."""
    year, number = (int(part) for part in check_month(month).split("-"))
    zone = ZoneInfo(timezone)
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start, end


def month_of(moment: datetime, timezone: str) -> str:
    """The local calendar month (``YYYY-MM``) of a timezone-aware moment."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.year:04d}-{local.month:02d}"


def previous_month(now: datetime, timezone: str) -> str:
    """The calendar month before the one ``now`` falls in, in ``timezone``."""
    local = now.astimezone(ZoneInfo(timezone))
    year, number = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{number:02d}"


def check_drawable(month: str, timezone: str, now: datetime | None = None) -> str:
    """``month`` when it has ended in ``timezone`` at ``now``.

    Raises:
        PolicyError: malformed, or the month has not ended yet.
    """
    _, end = month_bounds(month, timezone)
    now = now or datetime.now(UTC)
    if now < end:
        raise PolicyError(
            f"month {month} has not ended yet ({timezone}): draw it from {end.date().isoformat()} on, "
            "when all its calls are in"
        )
    return month


def load_secret(configured: str | None, keys_dir: Path) -> bytes:
    """The policy secret: the configured one, else a key file in ``keys_dir`` (created once, mode 0600).

    Raises:
        ConfigurationError: the configured secret is shorter than 16 characters.
    """
    if configured:
        if len(configured) < 16:
            raise ConfigurationError(
                "CALLSCRIBE_POLICY_SECRET is too short: use a random string of at least 16 characters, e.g. "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`"
            )
        return configured.encode("utf-8")
    path = keys_dir / _KEY_FILE
    if not path.is_file():
        keys_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(keys_dir, 0o700)
        atomic.write_bytes(path, secrets.token_hex(32).encode("ascii"), mode=0o600)
        logger.info("created policy key file %s", path)
    return path.read_bytes().strip()


# --- the draw -----------------------------------------------------------------------------------


def rank(secret: bytes, month: str, employee_id: str, call_id: str) -> bytes:
    """The keyed rank of one candidate call: lowest rank wins."""
    return hmac.new(secret, f"coaching|{month}|{employee_id}|{call_id}".encode(), hashlib.sha256).digest()


def choose(secret: bytes, month: str, employee_id: str, call_ids: Iterable[str]) -> str:
    """The call drawn from ``call_ids`` for one employee and month: the lowest keyed rank.

    Every call is equally likely for an unknown secret; the same secret, month, employee and
    candidates always give the same call, whatever order the candidates come in.

    Raises:
        ValueError: no candidates.
    """
    candidates = sorted(set(call_ids))
    if not candidates:
        raise ValueError("no candidate calls to draw from")
    return min(candidates, key=lambda call_id: rank(secret, month, employee_id, call_id))


def candidates_digest(call_ids: Iterable[str]) -> str:
    """SHA-256 of the sorted candidate ids, one per line: what a reproduction must match."""
    return hashlib.sha256("\n".join(sorted(set(call_ids))).encode()).hexdigest()


def eligible_calls(engine: Engine, settings: Settings, month: str, now: datetime | None = None) -> dict[str, list[str]]:
    """Candidate call ids per employee for ``month`` (see the module docstring for the rules)."""
    return {employee: sorted(calls) for employee, calls in _eligible(engine, settings, month, now).items()}


def _eligible(engine: Engine, settings: Settings, month: str, now: datetime | None) -> dict[str, dict[str, datetime]]:
    """Candidate calls per employee (sorted by employee), each call id with its call start."""
    start, end = month_bounds(month, settings.retention_timezone)
    now = now or datetime.now(UTC)
    rec = recordings
    excluded = [RecordingState.EXPIRING] + ([RecordingState.FAILED] if settings.coaching_exclude_failed else [])
    query = sa.select(rec.c.employee_id, rec.c.call_id, rec.c.call_start).where(
        rec.c.call_start >= start.astimezone(UTC), rec.c.call_start < end.astimezone(UTC),
        rec.c.state.not_in(excluded),
    )
    if settings.coaching_min_duration_s > 0:
        query = query.where(rec.c.duration_s.is_not(None), rec.c.duration_s >= settings.coaching_min_duration_s)
    found: dict[str, dict[str, datetime]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            if expires_at(row.call_start, settings.retention_days, settings.retention_timezone) <= now:
                continue  # expired, not yet removed by the retention run
            found.setdefault(row.employee_id, {})[row.call_id] = row.call_start
    return dict(sorted(found.items()))


def draw(engine: Engine, settings: Settings, month: str, as_user: str | None, now: datetime | None = None) -> Draw:
    """Draw one call per employee for a month that has ended, or return the month's earlier picks.

    Args:
        engine: the catalogue.
        settings: eligibility settings, retention timezone and period, policy secret.
        month: ``YYYY-MM``, a local calendar month in the retention timezone.
        as_user: who draws (a login name, checked for ``coaching.draw``), or None for the system's
            scheduled draw.
        now: the moment of the draw; default the current time.

    Returns:
        The picks; ``already_drawn`` when the month had picks (they are returned unchanged).

    Raises:
        AccessDeniedError: ``as_user`` may not draw.
        PolicyError: malformed month, or a month that has not ended.
    """
    actor = access.SYSTEM if as_user is None else access.authorize(engine, as_user, "coaching.draw")
    now = now or datetime.now(UTC)
    check_drawable(month, settings.retention_timezone, now)
    existing = picks_of(engine, [month])
    if existing:
        logger.info("coaching %s already drawn: %d pick(s), unchanged", month, len(existing))
        return Draw(month, tuple(existing), already_drawn=True, without_calls=_without(engine, existing))
    secret = load_secret(settings.policy_secret, settings.keys_dir)
    candidates = _eligible(engine, settings, month, now)
    rows = [
        {"month": month, "employee_id": employee, "call_id": (chosen := choose(secret, month, employee, calls)),
         "call_start": calls[chosen], "candidates": len(calls), "candidates_sha256": candidates_digest(calls),
         "algorithm": ALGORITHM, "drawn_at": now, "drawn_by": actor.user_id}
        for employee, calls in candidates.items()
    ]
    with audit.transaction(engine) as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(coaching_picks)
                        .where(coaching_picks.c.month == month)).scalar_one():
            raced = True  # another draw of this month committed first: keep its picks
        else:
            raced = False
            if rows:
                conn.execute(sa.insert(coaching_picks), rows)
            audit.record(conn, actor, "coaching.drawn", f"coaching:{month}",
                         {"employees": len(rows), "picks": len(rows), "algorithm": ALGORITHM,
                          "candidates": sum(r["candidates"] for r in rows)}, at=now)
    picks = picks_of(engine, [month])
    if not raced:
        logger.info("coaching %s drawn: %d employee(s), %d candidate call(s)", month, len(rows),
                    sum(r["candidates"] for r in rows))
    without = _without(engine, picks)
    if without:
        logger.info("coaching %s: %d employee(s) without an eligible call", month, len(without))
    return Draw(month, tuple(picks), already_drawn=raced, without_calls=without)


def _without(engine: Engine, picks: Sequence[Pick]) -> tuple[str, ...]:
    """Employees of the catalogue that have no pick (no eligible call in the month): reported, so
    the quarter's three calls are not silently short for them."""
    with engine.connect() as conn:
        known = set(conn.execute(sa.select(recordings.c.employee_id).distinct()).scalars())
    return tuple(sorted(known - {p.employee_id for p in picks}))


def picks_of(engine: Engine, months: Sequence[str]) -> list[Pick]:
    """The stored picks of ``months``, by month and employee."""
    for month in months:
        check_month(month)
    query = (sa.select(coaching_picks).where(coaching_picks.c.month.in_(list(months)))
             .order_by(coaching_picks.c.month, coaching_picks.c.employee_id))
    with engine.connect() as conn:
        return [Pick(**row) for row in conn.execute(query).mappings()]


def get_pick(engine: Engine, month: str, employee_id: str) -> Pick:
    """The pick of one employee and month.

    Raises:
        PolicyError: no such pick.
    """
    check_month(month)
    with engine.connect() as conn:
        row = conn.execute(sa.select(coaching_picks).where(
            coaching_picks.c.month == month, coaching_picks.c.employee_id == employee_id)).mappings().first()
    if row is None:
        raise PolicyError(
            f"no coaching pick for employee {employee_id} in {month}: draw the month first or check the employee id"
        )
    return Pick(**row)


# --- sessions -----------------------------------------------------------------------------------


def check_note(note: str | None) -> str | None:
    """A session note with its line ends made ``\\n`` and the whitespace at its ends stripped; None
    when there is no text.

    Raises:
        PolicyError: longer than :data:`COACHING_NOTE_MAX` characters, not UTF-8 text, or holding
            control characters other than line ends and tabs. The message gives the length,
            never the text.
    """
    if note is None:
        return None
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        # not chained: the encoding error holds the whole note
        raise PolicyError("the note is not UTF-8 text: write it in UTF-8") from None
    text = note.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return None
    if len(text) > COACHING_NOTE_MAX:
        raise PolicyError(f"the note has {len(text)} characters; a coaching note holds at most {COACHING_NOTE_MAX}")
    if any(ord(char) < 32 and char not in "\n\t" or 127 <= ord(char) < 160 for char in text):
        raise PolicyError("the note holds control characters: write plain text (line breaks and tabs are fine)")
    return text


def log_session(engine: Engine, month: str, employee_id: str, as_user: str | None,
                held_at: datetime | None = None, now: datetime | None = None, *, again: bool = False,
                note: str | None = None, timezone: str = "Europe/Amsterdam") -> Session:
    """Record a coaching session about a pick, with its audit entry in the same transaction.

    Args:
        as_user: who held it (a login name, checked for ``coaching.session``).
        held_at: when it was held (timezone-aware); default ``now``.
        again: confirm a second session about the same pick on the same day (otherwise refused as
            a session logged twice).
        note: a short note on the session (see :func:`check_note`); kept in the catalogue only,
            the audit entry says only whether there is one.
        timezone: the local time zone whose year numbers the session id (``CS-2026-0001``).

    Returns:
        The session with its new id (without the note's text).

    Raises:
        AccessDeniedError: ``as_user`` may not log sessions.
        PolicyError: no pick for this employee and month, a session time before the draw or in
            the future, a session about this pick on that day already (without ``again``), or a
            note that is too long or not plain UTF-8 text.
    """
    coach = access.authorize(engine, as_user, "coaching.session")
    text = check_note(note)
    now = now or datetime.now(UTC)
    held_at = held_at or now
    if held_at.tzinfo is None:
        raise PolicyError("held_at needs a UTC offset, e.g. 2026-11-12T14:00:00+01:00")
    pick = get_pick(engine, month, employee_id)
    if held_at < pick.drawn_at:
        raise PolicyError(f"the session time is before {month} was drawn ({pick.drawn_at.isoformat()}): "
                          "check when it was held")
    if held_at > now:
        raise PolicyError("the session time lies in the future: log a session once it has been held")
    if not again:
        zone = ZoneInfo(timezone)
        day = held_at.astimezone(zone).date()  # the local day, not the UTC one
        same_day = [x for x in sessions_of(engine, [month]) if x.employee_id == employee_id
                    and x.held_at.astimezone(zone).date() == day]
        if same_day:
            raise DuplicateSessionError(f"a session about {employee_id}'s pick of {month} was logged for that day already "
                              f"({same_day[0].session_id}); confirm to log another")

    def write(conn, session_id: str) -> None:
        conn.execute(sa.insert(coaching_sessions).values(
            session_id=session_id, month=month, employee_id=employee_id, call_id=pick.call_id,
            coach=coach.user_id, held_at=held_at, created_at=now, note=text))
        audit.record(conn, coach, "coaching.session", session_id,
                     {"month": month, "employee": employee_id, "call": pick.call_id, "note": text is not None}, at=now)

    session_id = four_eyes.insert_numbered(engine, coaching_sessions.c.session_id, SESSION_ID_PREFIX, now, timezone,
                                           write)
    logger.info("coaching session %s logged for %s %s (note: %s)", session_id, month, employee_id,
                "yes" if text else "no")
    return Session(session_id, month, employee_id, pick.call_id, coach.user_id, held_at, now, text is not None)


def _session_query() -> sa.Select:
    """Every column of a session but the note, and whether it has one."""
    columns = [column for column in coaching_sessions.c if column.name != "note"]
    return sa.select(*columns, coaching_sessions.c.note.is_not(None).label("has_note"))


def sessions_of(engine: Engine, months: Sequence[str]) -> list[Session]:
    """The sessions logged about picks of ``months``, oldest first, without their notes."""
    query = (_session_query().where(coaching_sessions.c.month.in_(list(months)))
             .order_by(coaching_sessions.c.held_at, coaching_sessions.c.session_id))
    with engine.connect() as conn:
        return [Session(**row) for row in conn.execute(query).mappings()]


def _no_session(session_id: str) -> PolicyError:
    shown = session_id if len(session_id or "") <= 64 else session_id[:64] + "..."
    return PolicyError(f"no coaching session {shown!r} on record: check the id in the quarter's list of sessions")


def get_session(engine: Engine, session_id: str, as_user: str | None) -> Session:
    """One session with its note, for ``as_user`` (``coaching.note.read``); the reading is audited.

    Raises:
        AccessDeniedError: ``as_user`` may not read session notes.
        PolicyError: no such session.
    """
    actor = access.authorize(engine, as_user, "coaching.note.read")
    with audit.transaction(engine) as conn:
        row = conn.execute(_session_query().add_columns(coaching_sessions.c.note)
                           .where(coaching_sessions.c.session_id == session_id)).mappings().first()
        if row is None:
            raise _no_session(session_id)
        audit.record(conn, actor, "coaching.session_viewed", session_id, {"note": row["has_note"]})
    logger.info("coaching session %s shown to %s", session_id, actor.user_id)
    return Session(**row)


def acknowledge_session(engine: Engine, session_id: str, as_user: str | None, now: datetime | None = None, *,
                        timezone: str = "Europe/Amsterdam") -> Session:
    """Record that the employee acknowledged a session (employees are not users: whoever holds
    sessions records it), once, with the time; audited in the same transaction.

    Args:
        as_user: who records it (a login name, checked for ``coaching.acknowledge``).
        now: the moment recorded; default the current time.
        timezone: the local time zone of the times in messages.

    Returns:
        The session as acknowledged (without the note's text).

    Raises:
        AccessDeniedError: ``as_user`` may not record acknowledgements.
        PolicyError: no such session, or its acknowledgement was recorded already.
    """
    actor = access.authorize(engine, as_user, "coaching.acknowledge")
    now = now or datetime.now(UTC)
    table = coaching_sessions
    with audit.transaction(engine) as conn:
        changed = conn.execute(sa.update(table)
                               .where(table.c.session_id == session_id, table.c.acknowledged_at.is_(None))
                               .values(acknowledged_at=now, acknowledged_by=actor.user_id)).rowcount
        row = conn.execute(_session_query().where(table.c.session_id == session_id)).mappings().first()
        if row is None:
            raise _no_session(session_id)
        if not changed:
            recorded = row["acknowledged_at"].astimezone(ZoneInfo(timezone)).isoformat(timespec="minutes")
            raise PolicyError(f"session {session_id} was acknowledged already: recorded {recorded} "
                              f"by {row['acknowledged_by']}")
        audit.record(conn, actor, "coaching.acknowledged", session_id,
                     {"month": row["month"], "employee": row["employee_id"]}, at=now)
    logger.info("coaching session %s acknowledged, recorded by %s", session_id, actor.user_id)
    return Session(**row)


# --- the quarter overview -----------------------------------------------------------------------


def transcript_state(settings: Settings, call_state: str | None, call_id: str) -> str:
    """Where a pick's transcript stands: ``coaching.md``, or else the recording's state, or ``expired``."""
    if call_state is None:
        return "expired"
    if transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).coaching.is_file():
        return "coaching.md"
    return call_state


def read_coaching_transcript(engine: Engine, settings: Settings, month: str, employee_id: str,
                             as_user: str | None) -> str | None:
    """The coaching transcript of ``employee_id``'s pick of ``month`` (Markdown), for ``as_user``
    (``coaching.read``); each reading is an audit entry (``coaching.transcript_viewed``). None when
    it is not there (not transcribed yet, or expired with its recording).

    Raises:
        AccessDeniedError: ``as_user`` may not read coaching transcripts.
        PolicyError: no such pick.
    """
    reader = access.authorize(engine, as_user, "coaching.read")
    pick = get_pick(engine, check_month(month), employee_id)
    try:
        text = transcripts.TranscriptFolder.of(settings.transcripts_dir, pick.call_id).coaching.read_text(
            encoding="utf-8")
    except FileNotFoundError:
        return None
    audit.append(engine, reader.user_id, reader.role, "coaching.transcript_viewed", pick.call_id,
                 {"month": month, "employee": employee_id})
    return text


def quarter_overview(engine: Engine, settings: Settings, quarter: str, as_user: str | None) -> list[dict]:
    """The picks of a quarter's three months: ids, call date, expiry, transcript state, sessions
    (per session its id, time, coach, whether it has a note and when it was acknowledged; never
    the note itself).

    Raises:
        AccessDeniedError: ``as_user`` (a login name) may not read coaching picks.
        PolicyError: a malformed quarter.
    """
    access.authorize(engine, as_user, "coaching.read")
    months = quarter_months(quarter)
    picks = picks_of(engine, months)
    zone = ZoneInfo(settings.retention_timezone)
    held: dict[tuple[str, str], list[dict]] = {}
    for session in sessions_of(engine, months):
        held.setdefault((session.month, session.employee_id), []).append({
            "session_id": session.session_id,
            "held_at": session.held_at.astimezone(zone).isoformat(timespec="minutes"),
            "coach": session.coach,
            "note": session.has_note,
            "acknowledged_at": (session.acknowledged_at.astimezone(zone).isoformat(timespec="minutes")
                                if session.acknowledged_at else None),
            "acknowledged_by": session.acknowledged_by,
        })
    states = catalogue.recording_values(engine, [p.call_id for p in picks], recordings.c.state)
    return [
        {
            "month": p.month,
            "employee_id": p.employee_id,
            "call_id": p.call_id,
            "call_date": p.call_start.astimezone(zone).date().isoformat(),
            "expires_at": expires_at(p.call_start, settings.retention_days, settings.retention_timezone).isoformat(),
            "transcript": transcript_state(settings, states.get(p.call_id), p.call_id),
            "sessions": len(held.get((p.month, p.employee_id), [])),
            "session_details": held.get((p.month, p.employee_id), []),
        }
        for p in picks
    ]


# --- employees and their names ------------------------------------------------------------------


def set_employee_name(engine: Engine, employee_id: str, name: str, as_user: str | None) -> None:
    """Put an employee's name on file (for coaching transcripts); audited without the name.

    Raises:
        AccessDeniedError: ``as_user`` (a login name) may not draw coaching picks.
        PolicyError: a malformed employee id or an empty or over-long name.
    """
    actor = access.authorize(engine, as_user, "coaching.draw")
    if not _EMPLOYEE_ID.fullmatch(employee_id or ""):
        raise PolicyError("an employee id is 1-64 letters, digits, '.', '_' or '-', as in the call metadata (e.g. MW-017)")
    with engine.connect() as conn:
        known = conn.execute(sa.select(recordings.c.call_id).where(recordings.c.employee_id == employee_id)
                             .limit(1)).first() is not None
    if not known:
        raise PolicyError(f"employee {employee_id} has no calls in the catalogue: check the id against the list "
                          "of employees")
    name = " ".join((name or "").split())
    if not name or len(name) > EMPLOYEE_NAME_MAX:
        raise PolicyError(f"give the employee's name as it is spoken in calls (1-{EMPLOYEE_NAME_MAX} characters)")
    now = datetime.now(UTC)
    with audit.transaction(engine) as conn:
        existing = conn.execute(sa.select(employee_names.c.employee_id)
                                .where(employee_names.c.employee_id == employee_id)).first()
        if existing is None:
            conn.execute(sa.insert(employee_names).values(employee_id=employee_id, name=name, set_at=now,
                                                          set_by=actor.user_id))
        else:
            conn.execute(sa.update(employee_names).where(employee_names.c.employee_id == employee_id)
                         .values(name=name, set_at=now, set_by=actor.user_id))
        audit.record(conn, actor, "employee.name_set", employee_id, {"replaced": existing is not None}, at=now)
    logger.info("name on file for employee %s", employee_id)


def employee_name(engine: Engine, employee_id: str) -> str | None:
    """The name on file for an employee, or None. Personal data: never log it."""
    with engine.connect() as conn:
        return conn.execute(sa.select(employee_names.c.name)
                            .where(employee_names.c.employee_id == employee_id)).scalar_one_or_none()


def list_employees(engine: Engine, as_user: str | None) -> list[EmployeeSummary]:
    """Employee ids of the recordings catalogue with their number of calls and whether a name is on
    file, for ``as_user`` (a login name with ``coaching.read``)."""
    access.authorize(engine, as_user, "coaching.read")
    rec = recordings
    with engine.connect() as conn:
        counts = conn.execute(sa.select(rec.c.employee_id, sa.func.count()).group_by(rec.c.employee_id)
                              .order_by(rec.c.employee_id)).all()
        named = set(conn.execute(sa.select(employee_names.c.employee_id)).scalars())
    return [EmployeeSummary(employee, count, employee in named) for employee, count in counts]


# --- the coaching transcript --------------------------------------------------------------------


def write_coaching_transcript(engine: Engine, settings: Settings, call_id: str, employee_id: str) -> Path:
    """Write ``transcripts/<call_id>/coaching.md``: the call redacted, the employee's own name kept
    visible when ``coaching_show_employee_name`` is on and a name is on file.

    Without a kept name it is the customer transcript (``transcript.md``) as it stands. Everything
    else, the customer's name first of all, stays redacted.

    Returns:
        The path written.

    Raises:
        StoreError: the encrypted raw transcript is missing or cannot be decrypted.
        RecordingNotFoundError: the call is no longer in the catalogue.
    """
    from callscribe.pipeline import process  # the redactor (Presidio, spaCy) loads only when needed

    recording = catalogue.get_recording(engine, call_id)
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id)
    name = employee_name(engine, employee_id) if settings.coaching_show_employee_name else None
    target = folder.coaching
    if not name and folder.text.is_file():
        atomic.write_text(target, folder.text.read_text(encoding="utf-8"))
        return target
    key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
    transcript = transcripts.read_raw(folder.path, key)
    redacted = process.redact_transcript(transcript, settings, keep_names=(name,) if name else ())
    atomic.write_text(target, transcripts.render_markdown(call_id, recording.call_start, redacted,
                                                          settings.retention_timezone))
    logger.info("coaching transcript of %s written (employee name %s)", call_id, "kept" if name else "redacted")
    return target
