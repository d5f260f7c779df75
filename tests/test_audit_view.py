"""Reading the audit log (pipeline/policy/audit_view.py) in a real SQLite catalogue: newest first,
paged, filtered by action, user and period, only for whoever has ``audit.read``, and reading it
writes no entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from callscribe.pipeline.errors import AccessDeniedError, PolicyError
from callscribe.pipeline.policy import audit, audit_view
from callscribe.pipeline.storage import catalogue
from callscribe.pipeline.storage.schema import audit_log

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


@pytest.fixture
def engine(settings, staff):
    """The staff's own entries (user.added, at the real time), then 30 entries an hour apart from
    START: request.created by kim (even) and request.approved by bob (odd)."""
    engine = catalogue.get_engine(settings.catalogue_url)
    for n in range(30):
        actor, role, action = ("kim", "klachtendesk", "request.created") if n % 2 == 0 else \
            ("bob", "teamleider", "request.approved")
        audit.append(engine, actor, role, action, f"V-2026-{n:04d}", {"n": n, "call": f"C-{n}"},
                     at=START + timedelta(hours=n))
    return engine


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one()


def test_entries_come_newest_first_in_pages_with_the_total(engine):
    everything = _count(engine)
    first = audit_view.entries(engine, "anna", limit=10)
    second = audit_view.entries(engine, "anna", offset=10, limit=10)
    assert first.total == second.total == everything
    seqs = [e.seq for e in first.entries] + [e.seq for e in second.entries]
    assert seqs == list(range(everything, everything - 20, -1))
    newest = first.entries[0]
    assert (newest.actor, newest.role, newest.action, newest.subject) == ("bob", "teamleider", "request.approved",
                                                                          "V-2026-0029")
    assert newest.details == {"call": "C-29", "n": 29} and newest.at == START + timedelta(hours=29)
    assert newest.at.tzinfo is not None
    beyond = audit_view.entries(engine, "anna", offset=everything, limit=10)
    assert beyond.entries == () and beyond.total == everything


def test_filters_by_action_user_and_period(engine):
    created = audit_view.entries(engine, "anna", action="request.created", limit=500)
    assert created.total == 15 and {e.action for e in created.entries} == {"request.created"}
    by_bob = audit_view.entries(engine, "anna", actor="bob", limit=500)
    assert by_bob.total == 15 and {e.actor for e in by_bob.entries} == {"bob"}
    assert audit_view.entries(engine, "anna", actor="bob", action="request.created").total == 0

    # since is inclusive, until exclusive; moments in any zone
    since, until = (START + timedelta(hours=4)).astimezone(AMS), START + timedelta(hours=10)
    window = audit_view.entries(engine, "anna", since=since, until=until, limit=500)
    assert [e.subject for e in window.entries] == [f"V-2026-{n:04d}" for n in range(9, 3, -1)]
    assert window.filter == audit_view.AuditFilter(None, None, since, until)
    kim_window = audit_view.entries(engine, "anna", actor="kim", since=since, until=until)
    assert [e.subject for e in kim_window.entries] == ["V-2026-0008", "V-2026-0006", "V-2026-0004"]
    assert audit_view.entries(engine, "anna", action="", actor="").total == _count(engine)  # empty: no filter


def test_reading_is_for_managers_and_the_ict_back_office_and_writes_no_entry(engine):
    before = _count(engine)
    assert audit_view.entries(engine, "ivo").total == before
    assert audit_view.position(engine, "ivo", 1) == before - 1
    assert audit_view.choices(engine, "anna")
    for user in ("bob", "kim", "cor", "nobody", None):
        with pytest.raises(AccessDeniedError):
            audit_view.entries(engine, user)
        with pytest.raises(AccessDeniedError):
            audit_view.position(engine, user, 1)
        with pytest.raises(AccessDeniedError):
            audit_view.choices(engine, user)
    assert _count(engine) == before


@pytest.mark.parametrize(("options", "message"), [
    ({"since": datetime(2026, 11, 24, 9, 0)}, "since needs a UTC offset"),
    ({"until": datetime(2026, 11, 24, 9, 0)}, "until needs a UTC offset"),
    ({"since": START, "until": START}, "until must come after since"),
    ({"offset": -1}, "offset -1 is below 0"),
    ({"limit": 0}, "limit 0 is outside 1 to 500"),
    ({"limit": 501}, "limit 501 is outside 1 to 500"),
    ({"action": "x" * 65}, "the action filter has 65 characters"),
    ({"actor": "x" * 65}, "the actor filter has 65 characters"),
])
def test_malformed_requests_are_refused_with_what_to_do(engine, options, message):
    with pytest.raises(PolicyError, match=message):
        audit_view.entries(engine, "anna", **options)


def test_position_says_how_many_entries_are_newer(engine):
    last = _count(engine)
    assert audit_view.position(engine, "anna", last) == 0
    assert audit_view.position(engine, "anna", 1) == last - 1
    assert audit_view.position(engine, "anna", last + 1) is None
    with engine.begin() as conn:
        conn.execute(sa.delete(audit_log).where(audit_log.c.seq == 3))
    assert audit_view.position(engine, "anna", 3) is None
    assert audit_view.position(engine, "anna", 2) == last - 3


def test_choices_are_the_actions_and_users_in_the_log(engine):
    actions, actors = audit_view.choices(engine, "anna")
    assert actions == tuple(sorted(actions)) and {"request.created", "request.approved", "user.added"} <= set(actions)
    assert actors == ("anna", "bob", "kim")


def test_details_that_are_not_a_json_object_are_shown_as_stored(engine):
    audit.append(engine, "anna", "manager", "dashboard.viewed", "dashboard", {"calls": 3})
    with engine.begin() as conn:
        last = conn.execute(sa.select(sa.func.max(audit_log.c.seq))).scalar_one()
        conn.execute(sa.update(audit_log).where(audit_log.c.seq == last).values(details="[1, 2]"))
    assert audit_view.entries(engine, "anna", limit=1).entries[0].details == "[1, 2]"
