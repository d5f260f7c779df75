"""Transactions that need more than the database's default, alike on SQLite and PostgreSQL.

Python's sqlite3 begins a transaction only at the first write, so the reads before it see whatever
is committed at each moment; PostgreSQL reads at READ COMMITTED, each statement from its own
snapshot. Two kinds of transaction need more:

- Writers that read and then write what they read (the audit log's head, the next yearly id) take
  :func:`lock_writers` first and so run one after another: on SQLite the database's write lock
  (``BEGIN IMMEDIATE``), on PostgreSQL a transaction-level advisory lock. Each later statement
  reads what the writer before committed, so audit entries never compete for a sequence number
  and ids are numbered without clashes.
- Reads of several tables that must agree (a report, a page and its total) go through
  :func:`snapshot`: one snapshot for all their statements (a deferred ``BEGIN`` on SQLite,
  ``REPEATABLE READ`` on PostgreSQL).

State changes need neither: they compare and set (``UPDATE … WHERE state = :old``, then the row
count), which both databases make atomic per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from callscribe.pipeline.errors import StoreError

# The key of PostgreSQL's advisory lock for writers (any bigint, the same in every process): "call".
WRITERS_KEY = 0x63616C6C
SUPPORTED = ("sqlite", "postgresql")


def lock_writers(conn: Connection) -> None:
    """Take the writers' lock inside ``conn``'s transaction; it is held until the transaction ends,
    and taking it again in the same transaction costs nothing. Call it before the first read whose
    result the transaction writes back.

    Raises:
        StoreError: the catalogue is neither SQLite nor PostgreSQL.
    """
    name = conn.dialect.name
    if name == "sqlite":
        # In a transaction already: it has written, so it holds the database's only write lock.
        if not conn.connection.dbapi_connection.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(WRITERS_KEY)))
    else:
        raise StoreError(f"a catalogue in {name} cannot serialise its writers; use one of {', '.join(SUPPORTED)}")


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection for reading only, whose statements all see the catalogue as it was at the
    first of them.

    Raises:
        StoreError: the catalogue is neither SQLite nor PostgreSQL.
    """
    name = engine.dialect.name
    if name not in SUPPORTED:
        raise StoreError(f"a catalogue in {name} cannot read a snapshot; use one of {', '.join(SUPPORTED)}")
    with engine.connect() as conn:
        if name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if name == "sqlite":
                conn.exec_driver_sql("BEGIN")  # deferred: the first read fixes the snapshot (WAL)
            yield conn
