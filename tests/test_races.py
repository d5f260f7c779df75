"""Real processes racing on one catalogue, on SQLite and on PostgreSQL: audit appends, yearly ids,
two desks deciding one request, two executors of one erasure, runs claiming one recording.

Each racer is a process of its own (spawned: nothing shared with the test), opens the catalogue
from the environment the test gives it, and waits at a barrier until all are ready, so they act at
the same moment. The tests assert outcomes only: one winner, clean refusals, an intact audit log."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from callscribe.pipeline.policy import audit, subjects
from callscribe.pipeline.storage import catalogue, schema
from tests.test_subjects import add_call

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

NUMBER = "+31612345678"
REASON = "Beller heeft identiteit aangetoond met kopie ID via klantportaal"
REJECTION = "Identiteit van de beller kon niet worden vastgesteld"
WAIT_S = 120  # for a racer that never reports (it crashed): the test fails instead of hanging


# --- the racers (top-level: a spawned process imports them by name) ---------------------------------


def _racer(env: dict, barrier, results, task, args: tuple) -> None:
    """Open the catalogue as a new process would, wait for the others, run ``task`` once and report
    ``("ok", value)`` or ``(error class, message)``."""
    os.environ.update(env)
    from callscribe.pipeline.settings import get_settings

    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    try:
        barrier.wait()
        results.put(("ok", task(engine, settings, *args)))
    except Exception as err:  # noqa: BLE001 - reported to the test, which names what it expects
        results.put((type(err).__name__, str(err)))


def _append(engine, settings, actor: str, count: int) -> list[int]:
    return [audit.append(engine, actor, "klachtendesk", "request.viewed", f"REQ-{n}") for n in range(count)]


def _register(engine, settings, user: str, count: int) -> list[str]:
    from callscribe.pipeline.policy import complaints

    return [complaints.register_complaint(engine, user, channel="telefoon", received_at=datetime.now(UTC),
                                          description="Klacht over het gesprek.").complaint_id
            for _ in range(count)]


def _decide(engine, settings, request_id: str, user: str, approve: bool) -> str:
    return subjects.decide(engine, settings, request_id, user, approve=approve,
                           reason=None if approve else REJECTION).state.value


def _erase(engine, settings, request_id: str, user: str) -> int:
    return subjects.erase(engine, settings, request_id, user).recordings_expired


def _claim(engine, settings, call_id: str) -> None:
    catalogue.claim(engine, call_id)


def race(task, *args_per_racer: tuple) -> list[tuple]:
    """Run ``task`` in one spawned process per argument tuple, all released at once; their
    outcomes in the order they reported."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(args_per_racer), timeout=WAIT_S)
    results = context.Queue()
    env = {name: value for name, value in os.environ.items() if name.startswith("CALLSCRIBE_")}
    racers = [context.Process(target=_racer, args=(env, barrier, results, task, args)) for args in args_per_racer]
    for racer in racers:
        racer.start()
    try:
        outcomes = [results.get(timeout=WAIT_S) for _ in racers]
    finally:
        for racer in racers:
            racer.join(WAIT_S)
    assert [racer.exitcode for racer in racers] == [0] * len(racers)
    return outcomes


def _entries(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(schema.audit_log).order_by(schema.audit_log.c.seq)).all()


@pytest.fixture
def engine(settings, staff):
    return catalogue.get_engine(settings.catalogue_url)


# --- the races ------------------------------------------------------------------------------------


def test_audit_entries_appended_by_many_processes_form_one_unbroken_chain(engine):
    before = len(_entries(engine))
    outcomes = race(_append, *[(f"u-{n}", 20) for n in range(4)])
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    seqs = sorted(seq for _, value in outcomes for seq in value)
    assert seqs == list(range(before + 1, before + 81)), "each append got its own next number"
    entries = _entries(engine)
    assert [e.seq for e in entries] == list(range(1, before + 81))
    assert Counter(e.actor for e in entries[before:]) == {f"u-{n}": 20 for n in range(4)}
    assert audit.verify(engine).ok


def test_complaints_registered_at_once_get_distinct_consecutive_ids(engine):
    outcomes = race(_register, ("kim", 5), ("anna", 5), ("kim", 5))
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    ids = sorted(i for _, value in outcomes for i in value)
    year = ids[0].split("-")[1]
    assert ids == [f"K-{year}-{n:04d}" for n in range(1, 16)]
    assert audit.verify(engine).ok


def test_two_desks_deciding_one_request_at_once_one_wins(engine, settings):
    request_id = subjects.file_request(engine, settings, "access", NUMBER, REASON, "kim").request_id
    outcomes = race(_decide, (request_id, "anna", True), (request_id, "bea", False))
    won = [value for kind, value in outcomes if kind == "ok"]
    lost = [(kind, message) for kind, message in outcomes if kind != "ok"]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0][0] in ("PolicyError", "ConcurrentChangeError"), lost
    assert subjects.get_request(engine, request_id).state == won[0]
    decided = [e.action for e in _entries(engine) if e.subject == request_id and e.action != "subject.requested"]
    assert decided == [f"subject.{won[0]}"], "one decision on record"
    assert audit.verify(engine).ok


def test_two_executors_of_one_erasure_erase_once_and_one_is_told(engine, settings):
    add_call(engine, settings.home, "C-1", NUMBER)
    add_call(engine, settings.home, "C-2", NUMBER, call_start="2026-10-01T14:00:00+02:00")
    request_id = subjects.file_request(engine, settings, "erasure", NUMBER, REASON, "kim").request_id
    subjects.decide(engine, settings, request_id, "bob", approve=True)
    outcomes = race(_erase, (request_id, "ivo"), (request_id, "anna"))
    won = [value for kind, value in outcomes if kind == "ok"]
    lost = [(kind, message) for kind, message in outcomes if kind != "ok"]
    assert len(won) == 1 and won[0] == 2 and len(lost) == 1, outcomes
    assert lost[0][0] in ("PolicyError", "ConcurrentChangeError"), lost
    assert catalogue.live_call_ids(engine, ["C-1", "C-2"]) == set()
    assert catalogue.tombstoned_call_ids(engine, ["C-1", "C-2"]) == {"C-1", "C-2"}
    assert subjects.get_request(engine, request_id).state == "executed"
    assert [e.action for e in _entries(engine) if e.action == "subject.erased"] == ["subject.erased"]
    assert audit.verify(engine).ok


def test_two_runs_claiming_one_recording_at_once_one_gets_it(engine, settings):
    add_call(engine, settings.home, "C-1", NUMBER, transcribed=False)
    outcomes = race(_claim, ("C-1",), ("C-1",), ("C-1",))
    assert Counter(kind for kind, _ in outcomes) == {"ok": 1, "StoreError": 2}, outcomes
    assert all("another run is transcribing it" in message for kind, message in outcomes if kind != "ok")
    assert catalogue.get_recording(engine, "C-1").state == "processing"
