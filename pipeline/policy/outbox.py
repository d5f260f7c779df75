"""The outbox: what leaves callscribe (customer transcripts, listen-back audio copies, exports),
each file time-limited and on record.

Files are written atomically with mode 0600 into ``<home>/outbox``. A file about one recording is
named ``<call_id>-<request id>…`` so the retention flow deletes it with its recording; every file
also has its own expiry and :func:`sweep` (run by the daily retention flow) removes it then.
"""

from __future__ import annotations

import logging
import os
import re
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline import atomic
from callscribe.pipeline.policy import audit
from callscribe.pipeline.policy.access import SYSTEM
from callscribe.pipeline.storage.schema import UTCDateTime, outbox_items

logger = logging.getLogger(__name__)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")


@dataclass(frozen=True)
class OutboxItem:
    name: str
    kind: str
    call_id: str | None
    request_id: str | None
    created_at: datetime
    expires_at: datetime
    path: Path


def place(
    engine: Engine,
    outbox_dir: Path,
    name: str,
    *,
    kind: str,
    expires_at: datetime,
    data: bytes | None = None,
    source: Path | None = None,
    call_id: str | None = None,
    request_id: str | None = None,
    conn=None,
) -> OutboxItem:
    """Write ``data`` (or copy ``source``) to ``<outbox>/<name>`` atomically, mode 0600, and record it
    (in ``conn``'s transaction when given, so the record commits with the step that placed it).

    Placing the same name again replaces the file and its expiry.
    """
    if not _NAME.fullmatch(name):
        raise ValueError(f"outbox name {name!r}: letters, digits, '.', '_' or '-' only")
    if (data is None) == (source is None):
        raise ValueError("give either data or source")
    path = outbox_dir / name
    if data is not None:
        atomic.write_bytes(path, data, mode=0o600)
    else:
        atomic.copy_file(source, path, mode=0o600)
    now = datetime.now(UTC)
    with (nullcontext(conn) if conn is not None else engine.begin()) as target:
        target.execute(sa.delete(outbox_items).where(outbox_items.c.name == name))
        target.execute(sa.insert(outbox_items).values(name=name, kind=kind, call_id=call_id, request_id=request_id,
                                                      created_at=now, expires_at=expires_at, removed_at=None))
    logger.info("outbox: %s (%s) until %s", name, kind, expires_at.isoformat())
    return OutboxItem(name, kind, call_id, request_id, now, expires_at, path)


def withdraw(engine: Engine, placed: list[OutboxItem]) -> None:
    """Take back items placed by a step that then failed: their files and their records."""
    for item in placed:
        item.path.unlink(missing_ok=True)
    if placed:
        with engine.begin() as conn:
            conn.execute(sa.delete(outbox_items).where(outbox_items.c.name.in_([i.name for i in placed])))


def sweep(engine: Engine, outbox_dir: Path, now: datetime | None = None, actor=None) -> int:
    """Remove every outbox file past its expiry (links unlinked, never followed); returns how many.

    Each removal is an audit entry ``outbox.expired`` by ``actor`` (the system by default).
    """
    now = now or datetime.now(UTC)
    actor = actor or SYSTEM
    with engine.connect() as conn:
        due = conn.execute(sa.select(outbox_items.c.name, outbox_items.c.kind, outbox_items.c.request_id).where(
            outbox_items.c.removed_at.is_(None), outbox_items.c.expires_at <= sa.literal(now, UTCDateTime))).all()
    for row in due:
        path = outbox_dir / row.name
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        with audit.transaction(engine) as conn:
            conn.execute(sa.update(outbox_items).where(outbox_items.c.name == row.name).values(removed_at=now))
            audit.record(conn, actor, "outbox.expired", row.name, {"kind": row.kind, "request": row.request_id}, at=now)
    if due:
        logger.info("outbox: %d expired item(s) removed", len(due))
    return len(due)
