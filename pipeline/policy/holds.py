"""Legal hold: a call that an open complaint or an undecided or approved request refers to is
kept. Retention holds it past its expiry (reporting it, with the id that holds it) until the
complaint is closed and the request decided and carried out; an erasure of it needs an explicit
decision to override the hold.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline.policy.four_eyes import State
from callscribe.pipeline.storage.schema import complaint_calls, complaints, requests

_OPEN_REQUEST_STATES = (State.REQUESTED.value, State.APPROVED.value)  # not yet decided, or not yet carried out


def held_calls(engine: Engine, call_ids: Iterable[str] | None = None) -> dict[str, str]:
    """Call id → the id that holds it (a complaint "K-…" or a request "V-…"), for every held call
    or only those of ``call_ids``."""
    wanted = None if call_ids is None else list(call_ids)
    by_complaint = sa.select(complaint_calls.c.call_id, complaint_calls.c.complaint_id).join(
        complaints, complaints.c.complaint_id == complaint_calls.c.complaint_id).where(complaints.c.closed_at.is_(None))
    by_request = sa.select(requests.c.call_id, requests.c.request_id).where(requests.c.state.in_(_OPEN_REQUEST_STATES))
    if wanted is not None:
        by_complaint = by_complaint.where(complaint_calls.c.call_id.in_(wanted))
        by_request = by_request.where(requests.c.call_id.in_(wanted))
    held: dict[str, str] = {}
    with engine.connect() as conn:
        for call_id, holder in [*conn.execute(by_complaint).all(), *conn.execute(by_request).all()]:
            held.setdefault(call_id, holder)
    return held
