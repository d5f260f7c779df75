"""The tamper-evident audit log: append-only, each entry holding the hash of the previous one.

Entries hold ids, roles, actions and timestamps, never personal data. :func:`verify` recomputes the
chain and names the first entry that was edited, inserted or removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from pipeline.catalogue import UTCDateTime, metadata

GENESIS = "0" * 64

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("subject", sa.String(128), nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)


def _ensure_table(engine: Engine) -> None:
    audit_log.create(engine, checkfirst=True)


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify`: entries checked, and the first bad one with the reason."""

    entries: int
    first_bad_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def _digest(seq: int, at: datetime, actor: str, role: str, action: str, subject: str, details: str,
            prev_hash: str) -> str:
    payload = json.dumps(
        [seq, at.astimezone(UTC).isoformat(timespec="microseconds"), actor, role, action, subject, details, prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(engine: Engine, actor: str, role: str, action: str, subject: str, details: dict | None = None,
           at: datetime | None = None) -> int:
    """Append one entry in its own transaction; returns its sequence number.

    Args:
        actor: user id (never a name), role: the actor's role, action: e.g. ``request.approved``,
        subject: the id acted on (request, recording or run id), details: ids and counts only.
    """
    at = (at or datetime.now(UTC)).astimezone(UTC)
    body = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    _ensure_table(engine)
    with engine.begin() as conn:
        last = conn.execute(sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)).first()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
        conn.execute(sa.insert(audit_log).values(
            seq=seq, at=at, actor=actor, role=role, action=action, subject=subject, details=body,
            prev_hash=prev, hash=_digest(seq, at, actor, role, action, subject, body, prev),
        ))
    return seq


def verify(engine: Engine) -> Verification:
    """Recompute the chain; the first entry whose content, link or sequence number is wrong is bad.

    An edited entry no longer matches its hash; an inserted one breaks the sequence or the link to
    the previous hash; a removed one leaves a gap in the sequence or a broken link.
    """
    expected_seq, prev, count = 1, GENESIS, 0
    _ensure_table(engine)
    with engine.connect() as conn:
        for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.seq)):
            count += 1
            if row.seq != expected_seq:
                return Verification(count, row.seq, f"sequence jumps from {expected_seq - 1} to {row.seq} (entry removed or inserted)")
            if row.prev_hash != prev:
                return Verification(count, row.seq, "link to the previous entry is broken (entry removed or inserted)")
            if _digest(row.seq, row.at, row.actor, row.role, row.action, row.subject, row.details, row.prev_hash) != row.hash:
                return Verification(count, row.seq, "content does not match its hash (entry edited)")
            expected_seq, prev = row.seq + 1, row.hash
    return Verification(count)
