"""The tamper-evident audit log: append-only, each entry holding the hash of the previous one.

Entries hold ids, roles, actions and timestamps, never personal data. :func:`verify` recomputes the
chain and names the first entry that was edited, inserted or removed.

Removing entries from the end leaves a valid, shorter chain; to catch that, every commit also
writes the newest sequence number and hash to an anchor file beside a SQLite catalogue
(``catalogue.sqlite.audit-head``) and to the log (``audit head N HASH``), which a deployment can
ship elsewhere. :func:`verify` checks the chain still reaches the anchor.

Workflow steps write their entry in the same transaction as the change they record
(:func:`transaction` and :func:`record`), so a step is never done without its entry or logged
without being done.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline import atomic
from callscribe.pipeline.policy.identity import User
from callscribe.pipeline.storage import locking
from callscribe.pipeline.storage.schema import audit_log

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
_VERIFY_BATCH = 1000  # entries fetched at a time by verify()


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


def record(conn, actor, action: str, subject: str, details: dict | None = None, at: datetime | None = None) -> int:
    """Append one entry inside the caller's transaction; returns its sequence number.

    Args:
        conn: a connection in a transaction opened by :func:`transaction` (another transaction
            is serialised with the other writers from here on).
        actor: who acts (``.user_id`` and ``.role``; ``access.SYSTEM`` for scheduled flows).
        action: e.g. ``request.approved``; subject: the id acted on (request, recording, run);
        details: ids, roles and counts only, never names, numbers or text.
    """
    at = (at or datetime.now(UTC)).astimezone(UTC)
    body = json.dumps(details or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    locking.lock_writers(conn)  # held already in a transaction of :func:`transaction`
    seq, prev = _head(conn)
    seq += 1
    conn.execute(sa.insert(audit_log).values(
        seq=seq, at=at, actor=actor.user_id, role=actor.role, action=action, subject=subject, details=body,
        prev_hash=prev, hash=_digest(seq, at, actor.user_id, actor.role, action, subject, body, prev),
    ))
    return seq


@contextmanager
def transaction(engine: Engine) -> Iterator:
    """A transaction whose audit entries are committed with it. It holds the writers' lock
    (:func:`.locking.lock_writers`) from its start, so audited changes run one after another:
    entries get consecutive sequence numbers, and what the transaction reads (the next id, a
    state) no other audited change can alter before it commits. The anchor follows the commit, but
    only along the chain it anchors: once the log no longer reaches the anchored entry (a cut tail,
    a rewritten log, a deleted or broken anchor), the anchor stays where it was, so the gap stays
    visible to :func:`verify` until a manager looks into it and re-anchors (:func:`reanchor`)."""
    _ensure_table(engine)
    may_advance = _anchor_reached(engine)
    with engine.begin() as conn:
        locking.lock_writers(conn)
        yield conn
    if may_advance:
        _write_anchor(engine)
    else:
        logger.warning("audit anchor kept: the log no longer reaches the anchored entry (see audit verify)")


def append(engine: Engine, actor: str, role: str, action: str, subject: str, details: dict | None = None,
           at: datetime | None = None) -> int:
    """Append one entry in its own transaction; returns its sequence number.

    Args:
        actor: user id (never a name), role: the actor's role, action: e.g. ``request.approved``,
        subject: the id acted on (request, recording or run id), details: ids and counts only.
    """
    with transaction(engine) as conn:
        return record(conn, User(actor, role), action, subject, details, at)


def head(engine: Engine) -> tuple[int, str]:
    """The newest entry's sequence number and hash ``(0, GENESIS)`` for an empty log."""
    _ensure_table(engine)
    with engine.connect() as conn:
        return _head(conn)


def _head(conn) -> tuple[int, str]:
    last = conn.execute(sa.select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)).first()
    return (last.seq, last.hash) if last else (0, GENESIS)


def anchor_path(engine: Engine) -> Path | None:
    """Where the anchor of a SQLite catalogue lives; None for other databases (ship the log line)."""
    if engine.dialect.name != "sqlite" or not engine.url.database or engine.url.database == ":memory:":
        return None
    return Path(engine.url.database + ".audit-head")


def reanchor(engine: Engine, actor: User) -> tuple[int | None, int]:
    """Anchor the log's head as it is now, after someone responsible has looked into why it no
    longer reached its anchor; recorded as an ``audit.reanchored`` entry naming the old anchored
    sequence number (None when the anchor was missing or unreadable) and the new head."""
    _ensure_table(engine)
    try:
        old = _read_anchor(engine, head(engine)[0])
    except _AnchorProblem:
        old = None
    with engine.begin() as conn:
        seq = record(conn, actor, "audit.reanchored", "audit", {"from": old[0] if old else None})
    _write_anchor(engine)
    return (old[0] if old else None), seq


def _anchor_reached(engine: Engine) -> bool:
    """Whether the log still holds the anchored entry unchanged (or there is nothing to anchor yet)."""
    try:
        anchor = _read_anchor(engine, head(engine)[0])
    except _AnchorProblem:
        return False
    if anchor is None or anchor[0] == 0:
        return True
    with engine.connect() as conn:
        digest = conn.execute(sa.select(audit_log.c.hash).where(audit_log.c.seq == anchor[0])).scalar()
    return digest == anchor[1]


def _write_anchor(engine: Engine) -> None:
    """Anchor the head as committed now. A SQLite anchor is written under the writers' lock, so
    no commit comes between reading the head and writing it: processes that commit at once write
    their anchors in commit order, and the last one written is the newest head."""
    path = anchor_path(engine)
    with engine.begin() as conn:
        if path is not None:
            locking.lock_writers(conn)
        seq, digest = _head(conn)
        logger.info("audit head %d %s", seq, digest)
        if path is not None:
            atomic.write_text(path, json.dumps({"seq": seq, "hash": digest}) + "\n", mode=0o600)


class _AnchorProblem(Exception):
    """The anchor file is missing or unreadable although the log has entries."""


def _read_anchor(engine: Engine, entries: int) -> tuple[int, str] | None:
    """The anchored head; None where there is no anchor to keep (another database, an empty log).

    Raises:
        _AnchorProblem: a SQLite catalogue with entries but no readable anchor.
    """
    path = anchor_path(engine)
    if path is None:
        return None
    if not path.is_file():
        if entries:
            raise _AnchorProblem(f"the anchor file {path.name} is missing (deleted, or the log was copied without it)")
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return int(data["seq"]), str(data["hash"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise _AnchorProblem(f"the anchor file {path.name} is unreadable ({type(err).__name__})") from err


def verify(engine: Engine) -> Verification:
    """Recompute the chain; the first entry whose content, link or sequence number is wrong is bad.

    An edited entry no longer matches its hash; an inserted one breaks the sequence or the link to
    the previous hash; a removed one leaves a gap in the sequence or a broken link. Entries removed
    from the end are caught against the anchor (the newest sequence number and hash committed).
    """
    expected_seq, prev, count = 1, GENESIS, 0
    _ensure_table(engine)
    try:
        anchor = _read_anchor(engine, head(engine)[0])
    except _AnchorProblem as problem:
        return Verification(0, 0, f"{problem}: restore it from the shipped head (the 'audit head N HASH' log lines)")
    with engine.connect() as conn:
        # streamed in batches (a server-side cursor on PostgreSQL): memory stays flat however long the log
        entries = conn.execution_options(yield_per=_VERIFY_BATCH).execute(sa.select(audit_log).order_by(audit_log.c.seq))
        for row in entries:
            count += 1
            if row.seq != expected_seq:
                return Verification(count, row.seq, f"sequence jumps from {expected_seq - 1} to {row.seq} (entry removed or inserted)")
            if row.prev_hash != prev:
                return Verification(count, row.seq, "link to the previous entry is broken (entry removed or inserted)")
            if _digest(row.seq, row.at, row.actor, row.role, row.action, row.subject, row.details, row.prev_hash) != row.hash:
                return Verification(count, row.seq, "content does not match its hash (entry edited)")
            if anchor is not None and row.seq == anchor[0] and row.hash != anchor[1]:
                return Verification(count, row.seq, "entry differs from the anchored head (log rewritten)")
            expected_seq, prev = row.seq + 1, row.hash
    if anchor is not None and anchor[0] > expected_seq - 1:
        return Verification(count, expected_seq, f"the log ends at entry {expected_seq - 1} but entry {anchor[0]} "
                            "was committed (entries removed from the end)")
    if anchor is not None and anchor[0] < expected_seq - 1:
        return Verification(count, anchor[0] + 1, f"the anchor is older than the log: it ends at entry {anchor[0]}, "
                            f"the log at {expected_seq - 1} (an old anchor put back, or a crash between commit and anchor)")
    return Verification(count)
