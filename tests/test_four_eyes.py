"""The shared four-eyes workflow itself: states, allowed and refused transitions, the second person,
reasons, compare-and-set between two engines on one SQLite file, and yearly ids under a race.

Both request kinds run through it: transcript and listen-back requests (``complaints.WORKFLOW``)
and data-subject requests (``subjects.WORKFLOW``). Two engines on one catalogue file stand for two
processes (two desks) acting at the same moment."""

import json
import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from callscribe.pipeline.errors import AccessDeniedError, ConcurrentChangeError, PolicyError, RequestNotFoundError
from callscribe.pipeline.policy import access, audit, complaints, four_eyes, subjects
from callscribe.pipeline.policy.four_eyes import State
from callscribe.pipeline.storage import catalogue, locking
from callscribe.pipeline.storage.schema import requests, subject_requests

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

NUMBER = "+31612345678"
REASON = "Beller heeft identiteit aangetoond met kopie ID via klantportaal"
REJECTION = "Identiteit van de beller kon niet worden vastgesteld"
WORKFLOWS = {"request": complaints.WORKFLOW, "subject": subjects.WORKFLOW}
# every step each kind allows; every other pair of states is refused
ALLOWED = {
    "request": {("requested", "approved"), ("requested", "rejected"), ("approved", "released")},
    "subject": {("requested", "approved"), ("requested", "rejected"), ("approved", "executed")},
}


def second_engine(url: str):
    """Another engine on the same catalogue, as another process would open it (``get_engine``
    caches engines per URL)."""
    return getattr(catalogue.get_engine, "__wrapped__", catalogue.get_engine)(url)


@pytest.fixture
def engines(settings, staff):
    """Two engines on one SQLite catalogue, with the staff of conftest in it."""
    first, second = catalogue.get_engine(settings.catalogue_url), second_engine(settings.catalogue_url)
    assert first is not second
    yield first, second
    second.dispose()


@pytest.fixture
def engine(engines):
    return engines[0]


def file(engine, settings, user="kim"):
    """A data-subject request (no recordings needed: it finds none)."""
    return subjects.file_request(engine, settings, "access", NUMBER, REASON, user).request_id


def decisions(engine, request_id):
    with engine.connect() as conn:
        return conn.execute(sa.select(audit.audit_log.c.action, audit.audit_log.c.actor).where(
            audit.audit_log.c.subject == request_id, audit.audit_log.c.action.in_(
                ["subject.approved", "subject.rejected"]))).all()


def year(settings) -> int:
    return datetime.now(ZoneInfo(settings.retention_timezone)).year


# --- states and transitions -----------------------------------------------------------------------


def test_states_are_stored_as_before():
    assert [state.value for state in State] == ["requested", "approved", "rejected", "released", "executed"]
    assert complaints.STATES == ("requested", "approved", "rejected", "released")
    assert subjects.STATES == ("requested", "approved", "rejected", "executed")
    assert State("approved") is State.APPROVED and f"request.{State.APPROVED}" == "request.approved"


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
@pytest.mark.parametrize("current", list(State))
@pytest.mark.parametrize("target", list(State))
def test_only_the_policy_s_steps_are_allowed(name, current, target):
    assert WORKFLOWS[name].allows(current, target) == ((current, target) in ALLOWED[name])
    assert WORKFLOWS[name].allows(str(current), str(target)) == ((current, target) in ALLOWED[name])


def test_a_refused_transition_changes_nothing(engine, settings):
    request_id = file(engine, settings)
    for current, target in ((State.REQUESTED, State.EXECUTED), (State.REQUESTED, State.RELEASED),
                            (State.REJECTED, State.APPROVED)):
        with (pytest.raises(PolicyError, match=f"cannot go from {current} to {target}"),
              audit.transaction(engine) as conn):
            four_eyes.move(conn, subjects.WORKFLOW, request_id, current, target, decided_by="anna")
    stored = four_eyes.load(engine, subjects.WORKFLOW, request_id)
    assert (stored.state, stored.decided_by) == ("requested", None)


def test_the_public_steps_refuse_what_the_state_does_not_allow(engine, settings):
    request_id = file(engine, settings)
    with pytest.raises(PolicyError, match="approves it first"):
        subjects.check_executable(engine, request_id, "ivo")
    subjects.decide(engine, settings, request_id, "anna", approve=False, reason=REJECTION)
    with pytest.raises(PolicyError, match="is rejected, not awaiting a decision"):
        subjects.decide(engine, settings, request_id, "bea", approve=True)
    with pytest.raises(PolicyError, match="is rejected; only an approved request can be carried out"):
        subjects.check_executable(engine, request_id, "ivo")
    approved = file(engine, settings)
    subjects.decide(engine, settings, approved, "bea", approve=True)
    subjects.export(engine, settings, approved, "ivo")
    with pytest.raises(PolicyError, match="was carried out already"):
        subjects.check_executable(engine, approved, "ivo")
    with pytest.raises(PolicyError, match="is executed, not awaiting a decision"):
        subjects.decide(engine, settings, approved, "anna", approve=False, reason=REJECTION)
    with pytest.raises(RequestNotFoundError, match="AVG-1999-0001 is not on record"):
        subjects.decide(engine, settings, "AVG-1999-0001", "anna", approve=True)


def test_messages_name_no_command(engine, settings):
    request_id = file(engine, settings, user="bob")
    messages = []
    for step in (lambda: subjects.check_executable(engine, request_id, "ivo"),
                 lambda: subjects.decide(engine, settings, request_id, "bob", approve=True),
                 lambda: subjects.get_request(engine, "AVG-1999-0001"),
                 lambda: complaints.get_request(engine, "V-1999-0001"),
                 lambda: complaints.list_requests(engine, "kim", "executed")):
        with pytest.raises(PolicyError) as refused:
            step()
        messages.append(str(refused.value))
    assert not [m for m in messages if "callscribe" in m or "--" in m or "`" in m], messages


# --- the second person, roles and reasons ---------------------------------------------------------


def test_the_second_person_decides_and_only_roles_the_policy_allows(engine, settings):
    request_id = file(engine, settings, user="bob")
    with pytest.raises(PolicyError, match="four-eyes"):
        subjects.decide(engine, settings, request_id, "bob", approve=True)
    for user in ("kim", "ivo", "cor"):
        with pytest.raises(AccessDeniedError, match="subject.decide"):
            subjects.decide(engine, settings, request_id, user, approve=True)
    with pytest.raises(AccessDeniedError):
        subjects.decide(engine, settings, request_id, None, approve=True)
    assert subjects.decide(engine, settings, request_id, "bea", approve=True).decided_by == "bea"
    for user in ("kim", "cor"):
        with pytest.raises(AccessDeniedError, match="subject.execute"):
            subjects.check_executable(engine, request_id, user)
    assert subjects.check_executable(engine, request_id, "ivo")[0].state == State.APPROVED


def test_no_second_person_on_record_means_nothing_is_carried_out(engine, settings):
    """An approval by the requester (written around the library) is not an approval."""
    request_id = file(engine, settings, user="bob")
    with engine.begin() as conn:
        conn.execute(sa.update(subject_requests).where(subject_requests.c.request_id == request_id).values(
            state="approved", decided_by="bob", decided_at=datetime.now(UTC)))
    with pytest.raises(PolicyError, match="no approval by a second person"):
        subjects.check_executable(engine, request_id, "ivo")
    with engine.begin() as conn:
        conn.execute(sa.update(subject_requests).where(subject_requests.c.request_id == request_id).values(
            decided_by=None))
    with pytest.raises(PolicyError, match="no approval by a second person"):
        subjects.check_executable(engine, request_id, "anna")


def test_reasons_are_required_for_filing_and_rejecting_and_notes_are_tidied(engine, settings):
    for reason in (None, "", "   ", "te kort"):
        with pytest.raises(PolicyError, match="reason"):
            subjects.file_request(engine, settings, "access", NUMBER, reason, "kim")
    request_id = file(engine, settings)
    for reason in (None, "nee"):
        with pytest.raises(PolicyError, match="rejection reason"):
            subjects.decide(engine, settings, request_id, "anna", approve=False, reason=reason)
    assert subjects.get_request(engine, request_id).state == "requested"
    subjects.decide(engine, settings, request_id, "anna", approve=True, reason="  akkoord \n na   controle ")
    assert four_eyes.load(engine, subjects.WORKFLOW, request_id).decision_reason == "akkoord na controle"
    assert four_eyes.approval_note("   ") is None
    assert four_eyes.rejection_reason("  " + REJECTION + "  ", 30) == REJECTION


# --- compare and set between two engines ----------------------------------------------------------


def test_a_decision_on_a_stale_view_fails_and_changes_nothing(engines, settings, monkeypatch):
    one, other = engines
    request_id = file(one, settings)
    stale = four_eyes.load(one, subjects.WORKFLOW, request_id)  # the first desk looks ...
    subjects.decide(other, settings, request_id, "bea", approve=True)  # ... the second desk approves ...
    monkeypatch.setattr(four_eyes, "load", lambda *args: stale)
    with pytest.raises(ConcurrentChangeError, match="no longer requested"):  # ... the first desk rejects
        subjects.decide(one, settings, request_id, "anna", approve=False, reason=REJECTION)
    monkeypatch.undo()
    stored = four_eyes.load(one, subjects.WORKFLOW, request_id)
    assert (stored.state, stored.decided_by, stored.decision_reason) == ("approved", "bea", None)
    assert decisions(one, request_id) == [("subject.approved", "bea")]
    assert audit.verify(one).ok


def test_move_sets_only_from_the_expected_state(engines, settings):
    one, other = engines
    request_id = file(one, settings)
    subjects.decide(one, settings, request_id, "bea", approve=True)
    with audit.transaction(other) as conn:
        four_eyes.complete(conn, subjects.WORKFLOW, request_id, access.User("ivo", "ict_backoffice"),
                           datetime.now(UTC))
    with pytest.raises(ConcurrentChangeError, match="no longer approved"), audit.transaction(one) as conn:
        four_eyes.complete(conn, subjects.WORKFLOW, request_id, access.User("anna", "manager"), datetime.now(UTC))
    assert four_eyes.load(one, subjects.WORKFLOW, request_id).executed_by == "ivo"


def test_two_deciders_at_once_one_wins(engines, settings):
    """Two engines decide on one request at the same moment: exactly one decision is stored and
    audited; the other desk is told it lost, whichever way the race goes."""
    request_id = file(engines[0], settings)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def desk(engine, user, approve):
        start.wait()
        try:
            outcomes[user] = subjects.decide(engine, settings, request_id, user, approve=approve,
                                             reason=None if approve else REJECTION).state
        except PolicyError as err:
            outcomes[user] = err

    threads = [threading.Thread(target=desk, args=(engines[0], "anna", True)),
               threading.Thread(target=desk, args=(engines[1], "bea", False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    won = {user: state for user, state in outcomes.items() if isinstance(state, State)}
    lost = [err for err in outcomes.values() if isinstance(err, PolicyError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "not awaiting a decision" in str(lost[0]) or isinstance(lost[0], ConcurrentChangeError)
    (winner, state), = won.items()
    stored = four_eyes.load(engines[1], subjects.WORKFLOW, request_id)
    assert (stored.state, stored.decided_by) == (state, winner)
    assert decisions(engines[0], request_id) == [(f"subject.{state}", winner)]
    assert audit.verify(engines[0]).ok


# --- yearly ids under a race ----------------------------------------------------------------------


def _raw_request(conn, request_id: str, user: str = "kim") -> None:
    conn.execute(four_eyes.new_request(complaints.WORKFLOW, request_id, access.User(user, "klachtendesk"),
                                       datetime.now(UTC), kind="listen_back", call_id="C-1", employee_id="MW-017",
                                       reason=REASON))


@pytest.fixture
def unlocked(monkeypatch):
    """Writers that skip the writers' lock (an older callscribe, a row added by hand): only such a
    writer can take an id between numbering and inserting (tests/test_races.py races real ones)."""
    monkeypatch.setattr(locking, "lock_writers", lambda conn: None)


def test_an_id_taken_meanwhile_is_numbered_again(engines, settings, unlocked):
    one, other = engines
    attempts = []

    def write(conn, request_id):
        attempts.append(request_id)
        if len(attempts) == 1:  # an unlocked writer files a request between numbering and inserting
            with audit.transaction(other) as theirs:
                _raw_request(theirs, request_id, user="bob")
        _raw_request(conn, request_id)

    y = year(settings)
    got = four_eyes.insert_numbered(one, requests.c.request_id, "V", datetime.now(UTC), settings.retention_timezone,
                                    write)
    assert attempts == [f"V-{y}-0001", f"V-{y}-0002"] and got == f"V-{y}-0002"
    with one.connect() as conn:
        rows = conn.execute(sa.select(requests.c.request_id, requests.c.requested_by).order_by(
            requests.c.request_id)).all()
    assert rows == [(f"V-{y}-0001", "bob"), (f"V-{y}-0002", "kim")]


def test_numbering_gives_up_clearly_when_every_id_is_taken(engines, settings, unlocked):
    one, other = engines

    def write(conn, request_id):
        with audit.transaction(other) as theirs:
            _raw_request(theirs, request_id, user="bob")
        _raw_request(conn, request_id)

    with pytest.raises(ConcurrentChangeError, match=f"no free V id after {four_eyes.ID_ATTEMPTS} attempts"):
        four_eyes.insert_numbered(one, requests.c.request_id, "V", datetime.now(UTC), settings.retention_timezone,
                                  write)
    with one.connect() as conn:
        assert set(conn.execute(sa.select(requests.c.requested_by)).scalars()) == {"bob"}


def test_other_constraint_failures_are_not_hidden(engine, settings):
    def write(conn, request_id):  # no ground: neither complaint nor employee
        conn.execute(four_eyes.new_request(complaints.WORKFLOW, request_id, access.User("kim", "klachtendesk"),
                                           datetime.now(UTC), kind="transcript", call_id="C-1", reason=REASON))

    with pytest.raises(IntegrityError):
        four_eyes.insert_numbered(engine, requests.c.request_id, "V", datetime.now(UTC), settings.retention_timezone,
                                  write)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(requests)).scalar_one() == 0


def test_requests_filed_at_once_on_two_engines_get_distinct_consecutive_ids(engines, settings):
    start = threading.Barrier(4)
    filed, errors = [], []

    def desk(engine, user):
        start.wait()
        try:
            filed.append(subjects.file_request(engine, settings, "erasure", NUMBER, REASON, user).request_id)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=desk, args=(engine, user))
               for engine in engines for user in ("kim", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    y = year(settings)
    assert not errors and sorted(filed) == [f"AVG-{y}-{n:04d}" for n in range(1, 5)]
    with engines[1].connect() as conn:
        created = conn.execute(sa.select(audit.audit_log.c.subject, audit.audit_log.c.details).where(
            audit.audit_log.c.action == "subject.requested")).all()
    assert sorted(subject for subject, _ in created) == sorted(filed)
    assert all(json.loads(details)["kind"] == "erasure" for _, details in created)
    assert audit.verify(engines[0]).ok
