"""Reading the audit log: its entries newest first, filtered and paged, for whoever may read it
(``audit.read``: a manager or the ICT back office).

Entries hold user ids, roles, actions, subject ids and details of ids and counts (what
:mod:`.audit` records), so reading them shows no personal data. Reading is not itself an audit
entry: the log records what was done to calls, requests and people, and an entry per page read
would bury those under the reading of them. Checking the chain is audited
(``access.verify_audit_log``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import PolicyError
from callscribe.pipeline.policy import access
from callscribe.pipeline.storage import locking
from callscribe.pipeline.storage.schema import audit_log

MAX_LIMIT = 500  # entries per page at most
_TEXT_MAX = 64  # an action or a user id is at most this long (the columns)


@dataclass(frozen=True)
class AuditEntry:
    """One entry as recorded: ``at`` in UTC; ``details`` the recorded ids and counts (a dict), or
    the stored text where it is not a JSON object."""

    seq: int
    at: datetime
    actor: str
    role: str
    action: str
    subject: str
    details: dict | str


@dataclass(frozen=True)
class AuditFilter:
    """Which entries: an exact ``action`` and ``actor`` (user id), and moments ``since``
    (inclusive) and ``until`` (exclusive), timezone-aware; None leaves a field out."""

    action: str | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    """Entries ``offset`` … ``offset + limit`` of those the filter selects, newest first, and
    how many it selects in all (``total``)."""

    entries: tuple[AuditEntry, ...]
    total: int
    offset: int
    limit: int
    filter: AuditFilter = field(default_factory=AuditFilter)


def entries(engine: Engine, as_user: str | None, *, action: str | None = None, actor: str | None = None,
            since: datetime | None = None, until: datetime | None = None, offset: int = 0,
            limit: int = 50) -> AuditPage:
    """The audit log's entries for ``as_user`` (``audit.read``), newest first.

    Args:
        engine: the catalogue.
        as_user: who reads (a login name).
        action: only this action (``request.approved``).
        actor: only entries by this user id.
        since: only entries at or after this moment (timezone-aware).
        until: only entries before this moment (timezone-aware).
        offset: entries to skip (newest first).
        limit: entries to return, 1 to :data:`MAX_LIMIT`.

    Raises:
        AccessDeniedError: ``as_user`` may not read the audit log.
        PolicyError: a moment without a UTC offset, ``until`` not after ``since``, an offset
            below 0, a limit outside 1 to 500, or an action or user id longer than 64 characters.
    """
    access.authorize(engine, as_user, "audit.read")
    chosen = _checked(AuditFilter(action or None, actor or None, since, until))
    if offset < 0:
        raise PolicyError(f"offset {offset} is below 0: skip 0 or more entries")
    if not 1 <= limit <= MAX_LIMIT:
        raise PolicyError(f"limit {limit} is outside 1 to {MAX_LIMIT}: ask for 1 to {MAX_LIMIT} entries a page")
    where = _where(chosen)
    with locking.snapshot(engine) as conn:  # the page and its total agree
        total = conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(*where)).scalar_one()
        rows = conn.execute(sa.select(audit_log).where(*where).order_by(audit_log.c.seq.desc())
                            .offset(offset).limit(limit)).all()
    return AuditPage(tuple(_entry(row) for row in rows), int(total), offset, limit, chosen)


def position(engine: Engine, as_user: str | None, seq: int) -> int | None:
    """Where entry ``seq`` stands in the whole log, newest first: how many entries are newer (so it
    is on page ``position // per_page + 1``); None when no entry has that number.

    Raises:
        AccessDeniedError: ``as_user`` may not read the audit log.
    """
    access.authorize(engine, as_user, "audit.read")
    with locking.snapshot(engine) as conn:
        if conn.execute(sa.select(audit_log.c.seq).where(audit_log.c.seq == seq)).first() is None:
            return None
        return int(conn.execute(sa.select(sa.func.count()).select_from(audit_log)
                                .where(audit_log.c.seq > seq)).scalar_one())


def choices(engine: Engine, as_user: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The actions and the user ids that occur in the log, each sorted: what a filter can pick.

    Raises:
        AccessDeniedError: ``as_user`` may not read the audit log.
    """
    access.authorize(engine, as_user, "audit.read")
    with engine.connect() as conn:
        actions = tuple(conn.execute(sa.select(audit_log.c.action).distinct().order_by(audit_log.c.action)).scalars())
        actors = tuple(conn.execute(sa.select(audit_log.c.actor).distinct().order_by(audit_log.c.actor)).scalars())
    return actions, actors


def _checked(chosen: AuditFilter) -> AuditFilter:
    for name in ("action", "actor"):
        value = getattr(chosen, name)
        if value is not None and len(value) > _TEXT_MAX:
            raise PolicyError(f"the {name} filter has {len(value)} characters; an {name} has at most {_TEXT_MAX}")
    for name in ("since", "until"):
        moment = getattr(chosen, name)
        if moment is not None and moment.tzinfo is None:
            raise PolicyError(f"{name} needs a UTC offset, e.g. 2026-11-24T00:00:00+01:00")
    if chosen.since is not None and chosen.until is not None and chosen.until <= chosen.since:
        raise PolicyError("until must come after since: the period would hold no moment")
    return chosen


def _where(chosen: AuditFilter) -> list:
    where = []
    if chosen.action is not None:
        where.append(audit_log.c.action == chosen.action)
    if chosen.actor is not None:
        where.append(audit_log.c.actor == chosen.actor)
    if chosen.since is not None:
        where.append(audit_log.c.at >= chosen.since.astimezone(UTC))
    if chosen.until is not None:
        where.append(audit_log.c.at < chosen.until.astimezone(UTC))
    return where


def _entry(row) -> AuditEntry:
    at = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=UTC)
    try:
        details = json.loads(row.details)
    except ValueError:
        details = row.details
    return AuditEntry(row.seq, at.astimezone(UTC), row.actor, row.role, row.action, row.subject,
                      details if isinstance(details, dict) else row.details)
