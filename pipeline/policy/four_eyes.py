"""The four-eyes workflow, once, for every kind of request that needs two people.

Transcript and listen-back requests (:mod:`.complaints`) and data-subject requests
(:mod:`.subjects`) move alike::

    requested ──► approved ──► released   (transcript, listen-back)
        │                 └──► executed   (data-subject access, erasure)
        └───────► rejected

One person files a request with a written reason. A second person whose role may decide, and who
did not file it, approves it (with an optional note) or rejects it (with a written reason). Only an
approved request with two distinct people on record is carried out, by someone whose role may.
Each step changes the stored state only if it is still the state the step started from (compare
and set), so two people acting at once cannot both succeed; new requests get the next yearly id
(``V-2026-0001``), numbered again when another process took that id first.

Messages say what the policy asks, never which command to type: interfaces add their own hints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from callscribe.pipeline.errors import ConcurrentChangeError, PolicyError, RequestNotFoundError
from callscribe.pipeline.policy import access, audit
from callscribe.pipeline.storage import catalogue

logger = logging.getLogger(__name__)

ID_ATTEMPTS = 5  # numberings tried before a new request gives up on a busy catalogue


class State(StrEnum):
    """Where a request stands; the values are what the catalogue stores."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    RELEASED = "released"
    EXECUTED = "executed"


@dataclass(frozen=True)
class Workflow:
    """One kind of request under four eyes: where it is kept, who may act, what its last step is.

    Attributes:
        noun: the request in messages, e.g. ``request`` or ``subject request``.
        table: its table, with the columns ``request_id``, ``kind``, ``state``, ``requested_by``,
            ``requested_at``, ``decided_by``, ``decided_at``, ``decision_reason``, and
            ``<done>_by`` and ``<done>_at`` for the last step.
        id_prefix: the prefix of its yearly ids (``V`` gives ``V-2026-0001``).
        audit_prefix: the first part of its audit actions (``request`` gives ``request.approved``).
        decide_permission: the permission to approve or reject (:data:`access.PERMISSIONS`).
        carry_out_permission: the permission to take the last step.
        done: the last state, :attr:`State.RELEASED` or :attr:`State.EXECUTED`.
        done_verb: the last step in words, e.g. ``released`` or ``carried out``.
    """

    noun: str
    table: sa.Table
    id_prefix: str
    audit_prefix: str
    decide_permission: str
    carry_out_permission: str
    done: State
    done_verb: str

    @property
    def states(self) -> tuple[State, ...]:
        """Its states, in the order a request passes them."""
        return (State.REQUESTED, State.APPROVED, State.REJECTED, self.done)

    @property
    def transitions(self) -> dict[State, frozenset[State]]:
        """Each state and the states a request may move to from it (none: final)."""
        return {
            State.REQUESTED: frozenset({State.APPROVED, State.REJECTED}),
            State.APPROVED: frozenset({self.done}),
            State.REJECTED: frozenset(),
            self.done: frozenset(),
        }

    def allows(self, current: str, target: str) -> bool:
        """Whether a request in ``current`` may move to ``target``."""
        return target in self.transitions.get(current, frozenset())

    def deciders(self) -> str:
        """The roles that may decide, in words (``manager or teamleider``)."""
        return " or ".join(sorted(access.PERMISSIONS[self.decide_permission]))


# --- reasons --------------------------------------------------------------------------------------


def filing_reason(reason: str | None, min_length: int) -> str:
    """The written reason a request is filed with, whitespace collapsed.

    Raises:
        PolicyError: missing or shorter than ``min_length`` characters.
    """
    return access.check_reason(reason, min_length)


def rejection_reason(reason: str | None, min_length: int) -> str:
    """The written reason of a rejection, whitespace collapsed.

    Raises:
        PolicyError: missing or shorter than ``min_length`` characters.
    """
    return access.check_reason(reason, min_length, "rejection reason")


def approval_note(note: str | None) -> str | None:
    """An approval's optional note, whitespace collapsed; ``None`` when empty."""
    return " ".join((note or "").split()) or None


# --- filing and numbering -------------------------------------------------------------------------


def insert_numbered(engine: Engine, column: sa.Column, prefix: str, now: datetime, timezone: str,
                    write: Callable[[Connection, str], None]) -> str:
    """Give a new row the next yearly id and write it, numbering again when another process
    took that id first; returns the id.

    ``write(conn, new_id)`` inserts the row (and what goes with it, its audit entry above all) in
    the transaction that numbered it. Two processes can compute the same id; the primary key
    refuses the second insert, and the loser numbers again, up to :data:`ID_ATTEMPTS` times. Any
    unique-key refusal is retried this way (on a server database a concurrent audit entry can take
    the log's next sequence number too); a row that breaks another constraint fails every attempt.

    Args:
        column: the id column, e.g. ``requests.c.request_id``.
        prefix: ``V`` gives ``V-<year>-<nnnn>``, the year local to ``timezone``.

    Raises:
        ConcurrentChangeError: other processes took every id tried.
        IntegrityError: the row breaks another constraint of the catalogue.
    """
    for attempt in range(1, ID_ATTEMPTS + 1):
        new_id = None
        try:
            with audit.transaction(engine) as conn:
                new_id = catalogue.next_yearly_id(conn, column, prefix, now, timezone)
                write(conn, new_id)
            return new_id
        except IntegrityError as err:
            if attempt == ID_ATTEMPTS:
                if new_id is not None and _taken(engine, column, new_id):
                    raise ConcurrentChangeError(
                        f"no free {prefix} id after {ID_ATTEMPTS} attempts: other requests were numbered at "
                        "the same moment; try again") from err
                raise
            logger.info("insert of %s refused (taken meanwhile?); numbering again, attempt %d", new_id, attempt + 1)
    raise AssertionError("the loop above returns or raises")  # pragma: no cover


def new_request(workflow: Workflow, request_id: str, actor: access.User, now: datetime, **values) -> sa.Insert:
    """The insert of a new request, ``requested`` by ``actor`` at ``now``; ``values`` fill the
    columns of its kind (``kind``, ``reason`` …). Execute it inside :func:`insert_numbered`."""
    return sa.insert(workflow.table).values(request_id=request_id, state=State.REQUESTED.value,
                                            requested_by=actor.user_id, requested_at=now, **values)


# --- reading --------------------------------------------------------------------------------------


def load(engine: Engine, workflow: Workflow, request_id: str) -> sa.Row:
    """The stored row of one request (every column of its table).

    Raises:
        RequestNotFoundError: no such request.
    """
    table = workflow.table
    with engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.request_id == request_id)).first()
    if row is None:
        raise RequestNotFoundError(f"{workflow.noun} {request_id} is not on record; check the id "
                                   f"({workflow.id_prefix}-YYYY-NNNN)")
    return row


def check_state_filter(workflow: Workflow, state: str | None) -> State | None:
    """``state`` as a :class:`State` of ``workflow`` (``None`` stays ``None``).

    Raises:
        PolicyError: not one of its states.
    """
    if state is None:
        return None
    if state not in workflow.states:
        raise PolicyError(f"unknown state {state!r}; valid: {', '.join(workflow.states)}")
    return State(state)


# --- the steps ------------------------------------------------------------------------------------


def decide(engine: Engine, workflow: Workflow, user_id: str | None, request_id: str, *, approve: bool,
           reason: str | None = None, min_length: int = 30, details: Callable[[object], dict] | None = None,
           now: datetime | None = None) -> State:
    """Approve or reject a request as the second person; returns the new state.

    The decider has a role that may decide and did not file the request; a rejection needs a
    written reason of ``min_length`` characters, an approval may carry a note. The decision and
    its audit entry (``<audit_prefix>.approved`` or ``.rejected``: kind, who filed it, whether a
    note was given, and ``details(row)``) are written together, and only if the request is still
    awaiting a decision.

    Args:
        details: ids of the stored row for the audit entry, e.g. ``lambda row: {"call": row.call_id}``.

    Raises:
        AccessDeniedError: the user's role may not decide.
        RequestNotFoundError: no such request.
        PolicyError: the user filed the request, it was decided on already, or the rejection
            reason is missing or too short.
        ConcurrentChangeError: someone else decided on it meanwhile.
    """
    decider = access.authorize(engine, user_id, workflow.decide_permission)
    row = load(engine, workflow, request_id)
    access.check_second_person(row.requested_by, decider)
    target = State.APPROVED if approve else State.REJECTED
    if not workflow.allows(row.state, target):
        raise PolicyError(f"{workflow.noun} {request_id} is {row.state}, not awaiting a decision")
    text = approval_note(reason) if approve else rejection_reason(reason, min_length)
    now = now or datetime.now(UTC)
    with audit.transaction(engine) as conn:
        move(conn, workflow, request_id, State.REQUESTED, target, decided_by=decider.user_id, decided_at=now,
             decision_reason=text)
        audit.record(conn, decider, f"{workflow.audit_prefix}.{target}", request_id,
                     {"kind": row.kind, "requested_by": row.requested_by, "note": text is not None,
                      **(details(row) if details else {})}, at=now)
    logger.info("%s %s %s by %s", workflow.noun, request_id, target, decider.user_id)
    return target


def check_carry_out(engine: Engine, workflow: Workflow, user_id: str | None,
                    request_id: str) -> tuple[sa.Row, access.User]:
    """The stored row and the user, if ``user_id`` may take the request's last step now: a role
    that may carry it out, and the request approved with two distinct people on record.

    Raises:
        AccessDeniedError: the user's role may not carry it out.
        RequestNotFoundError: no such request.
        PolicyError: not approved (yet), carried out already, or no second person's approval on record.
    """
    actor = access.authorize(engine, user_id, workflow.carry_out_permission)
    row = load(engine, workflow, request_id)
    if row.state == workflow.done:
        at = getattr(row, f"{workflow.done}_at")
        raise PolicyError(f"{workflow.noun} {request_id} was {workflow.done_verb} already ({at:%Y-%m-%d %H:%M} UTC); "
                          "the audit log shows by whom and what left")
    if not workflow.allows(row.state, workflow.done):
        hint = (f": a second person ({workflow.deciders()}) approves it first" if row.state == State.REQUESTED
                else "")
        raise PolicyError(f"{workflow.noun} {request_id} is {row.state}; only an approved request can be "
                          f"{workflow.done_verb}{hint}")
    if not row.decided_by or row.decided_by == row.requested_by:
        raise PolicyError(f"{workflow.noun} {request_id} has no approval by a second person on record (four-eyes "
                          f"principle): a {workflow.deciders()} who did not file it must approve it")
    return row, actor


def complete(conn: Connection, workflow: Workflow, request_id: str, actor: access.User, now: datetime) -> None:
    """Move an approved request to its last state, by ``actor`` at ``now``, inside the caller's
    transaction (which also writes what was carried out, and its audit entries).

    Raises:
        ConcurrentChangeError: someone else carried it out meanwhile.
    """
    move(conn, workflow, request_id, State.APPROVED, workflow.done,
         **{f"{workflow.done}_by": actor.user_id, f"{workflow.done}_at": now})


def move(conn: Connection, workflow: Workflow, request_id: str, current: State, target: State, **values) -> None:
    """Compare and set: move the request from ``current`` to ``target`` (and set ``values``) only if
    it is still ``current``, inside the caller's transaction.

    Raises:
        PolicyError: the workflow has no step from ``current`` to ``target``.
        ConcurrentChangeError: the request is no longer ``current``: another person or process
            acted on it first, and nothing was changed.
    """
    if not workflow.allows(current, target):
        onward = ", ".join(sorted(workflow.transitions.get(current, ()))) or "nothing: it is final"
        raise PolicyError(f"a {workflow.noun} cannot go from {current} to {target}; from {current} it goes to "
                          f"{onward}")
    table = workflow.table
    changed = conn.execute(sa.update(table).where(
        table.c.request_id == request_id, table.c.state == State(current).value).values(
        state=State(target).value, **values)).rowcount
    if changed != 1:
        raise ConcurrentChangeError(f"{workflow.noun} {request_id} is no longer {current}: someone else acted on it "
                                    "meanwhile and nothing was changed; look at it again before acting")


def _taken(engine: Engine, column: sa.Column, value: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(column).where(column == value)).first() is not None
