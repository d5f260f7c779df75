"""Fill a new callscribe home with invented operations data for the operations report.

    python notebooks/generate_demo_data.py /tmp/callscribe-demo-home

makes (in a folder that is new or empty; it refuses a catalogue that already holds users or
recordings, so it never mixes invented data into a real one) about twenty employees' calls of the
last 65 days (three a day each, more inbound than outbound, day and night: a 24/7 desk),
complaints with transcript and listen-back requests in every state and of every age, data-subject
requests in every state (one erasure carried out, so two calls are erased early), the coaching
draws of the months that have ended with sessions and acknowledgements, and one real retention
run that expires the calls older than 62 days, except one kept under a legal hold.

Staff, coaching draws, sessions, acknowledgements, the erasure and the retention run go through
the library (so the audit log holds their entries); calls are inserted directly (there is no
audio), and so are complaints and requests, because the library stamps a new request with the
real clock and the report needs requests filed days and weeks ago. Every phone number, reason and
note is invented. No personal data of real people is involved.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from callscribe.pipeline.policy import access, coaching, holds, retention
from callscribe.pipeline.policy.identity import User
from callscribe.pipeline.settings import Settings, get_settings
from callscribe.pipeline.storage import catalogue
from callscribe.pipeline.storage.schema import (
    complaint_calls,
    complaints,
    recordings,
    requests,
    subject_request_calls,
    subject_requests,
    users,
)

STAFF = (("anna", "manager"), ("bob", "teamleider"), ("bea", "teamleider"), ("ivo", "ict_backoffice"),
         ("kim", "klachtendesk"), ("cor", "coach"))
REASON = "Klant wil schriftelijk terugzien wat er in dit gesprek is toegezegd."  # invented, like every text here
NOTE = "Rustig gebleven; adres ter controle herhalen."
ERASURE_NUMBER = "+31 6 9999 0001"  # the caller whose erasure is carried out


def generate(engine, settings: Settings, now: datetime | None = None, *, employees: int = 20, days: int = 65,
             calls_per_day: float = 3.0, seed: int = 2026) -> dict[str, int]:
    """Fill an empty catalogue with invented operations data up to ``now``; returns what it made.

    Raises:
        SystemExit: the catalogue already holds users or recordings.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    zone = ZoneInfo(settings.retention_timezone)
    rng = random.Random(seed)
    with engine.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one() or \
                conn.execute(sa.select(sa.func.count()).select_from(recordings)).scalar_one():
            raise SystemExit("this catalogue holds users or recordings already: invented data goes into a new home")
    first = access.add_user(engine, STAFF[0][0], STAFF[0][1], None)
    for user_id, role in STAFF[1:]:
        access.add_user(engine, user_id, role, first.user_id)

    staff_ids = sorted(rng.sample(range(1, 80), employees))
    calls = _calls(rng, [f"MW-{n:03d}" for n in staff_ids], now, zone, days, calls_per_day)
    with engine.begin() as conn:
        conn.execute(sa.insert(recordings), calls)

    draws, sessions, acknowledged = _coaching(engine, settings, rng, now, zone, days)
    made_requests = _requests(engine, rng, calls, now, zone, settings.retention_days)
    erased = _subject_requests(engine, settings, rng, calls, now, zone)
    report = retention.apply_retention(engine, settings.home, now=now, retention_days=settings.retention_days,
                                       timezone=settings.retention_timezone, actor=retention.SCHEDULED)
    return {"employees": employees, "calls": len(calls), "coaching_picks": draws, "sessions": sessions,
            "acknowledged": acknowledged, "requests": made_requests, "erased": erased,
            "expired": report.recordings_expired, "held": len(report.held)}


def _calls(rng: random.Random, employees: list[str], now: datetime, zone: ZoneInfo, days: int,
           per_day: float) -> list[dict]:
    """Every employee's calls of the last ``days`` local days, up to ``now``."""
    today = now.astimezone(zone).date()
    rows, number = [], 0
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        for employee in employees:
            for _ in range(rng.choices((0, 1, 2, 3, 4, 5, 6), (1, 2, 4, 5, 4, 2, 1))[0] if per_day else 0):
                # a 24/7 desk: most calls in office hours, some in the evening and at night
                hour = rng.choices(range(24), [1] * 7 + [6] * 11 + [3] * 4 + [1] * 2)[0]
                start = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=zone)
                if start.astimezone(UTC) > now:
                    continue
                number += 1
                call_id = f"TBI-{day.year}-{number:06d}"
                state = rng.choices(("ingested", "transcribed", "failed"), (85, 13, 2))[0]
                rows.append({
                    "call_id": call_id, "call_start": start, "duration_s": round(rng.lognormvariate(5.3, 0.6), 1),
                    "employee_id": employee, "caller_number": f"+316{rng.randrange(10**8):08d}",
                    "direction": "inbound" if rng.random() < 0.8 else "outbound",
                    "audio_path": f"audio/{call_id}.ogg", "sha256": "0" * 64, "channel_layout": "stereo",
                    "state": state, "failure_reason": "decode_error" if state == "failed" else None,
                    "ingested_at": start + timedelta(minutes=5),
                    "processed_at": start + timedelta(hours=1) if state != "ingested" else None,
                })
    return rows


def _coaching(engine, settings: Settings, rng: random.Random, now: datetime, zone: ZoneInfo,
              days: int) -> tuple[int, int, int]:
    """The monthly draws of the months with calls that have ended (each at 03:00 on the 1st, as
    the schedule does), sessions about most picks and acknowledgements of most sessions."""
    picks = sessions = acknowledged = 0
    month = coaching.month_of(now - timedelta(days=days), settings.retention_timezone)
    while True:
        _, end = coaching.month_bounds(month, settings.retention_timezone)
        drawn_at = (end + timedelta(hours=3)).astimezone(UTC)
        if drawn_at > now:
            break
        draw = coaching.draw(engine, settings, month, "bob", now=drawn_at)
        picks += len(draw.picks)
        for pick in draw.picks:
            if rng.random() < 0.3:
                continue  # no session yet
            held_at = drawn_at + (now - drawn_at) * rng.uniform(0.1, 0.7)
            session = coaching.log_session(engine, month, pick.employee_id, "cor", held_at=held_at, now=held_at,
                                           note=NOTE if rng.random() < 0.5 else None, timezone=settings.retention_timezone)
            sessions += 1
            if rng.random() < 0.7:
                coaching.acknowledge_session(engine, session.session_id, "cor", now=held_at + (now - held_at) * 0.5)
                acknowledged += 1
        month = _next_month(month)
    return picks, sessions, acknowledged


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def _requests(engine, rng: random.Random, calls: list[dict], now: datetime, zone: ZoneInfo,
              retention_days: int) -> int:
    """Complaints and their transcript and listen-back requests, in every state, filed from an
    hour to three weeks ago; one open complaint is about a call past its retention (a legal hold)."""
    young = [c for c in calls if c["call_start"] > now - timedelta(days=retention_days - 25)]
    old = min(calls, key=lambda c: c["call_start"])
    ages_h = [1, 5, 20, 30, 50, 70, 90, 120, 150, 200, 260, 400, 500]
    states = ["requested"] * 6 + ["approved"] * 4 + ["rejected"] * 3 + ["released"] * 5
    rows_complaints, rows_links, rows_requests, numbers = [], [], [], {}

    def next_id(prefix: str, at: datetime) -> str:
        stem = f"{prefix}-{at.astimezone(zone).year}"
        numbers[stem] = numbers.get(stem, 0) + 1
        return f"{stem}-{numbers[stem]:04d}"

    # the held call: an open complaint about the oldest call, registered while it was kept
    held_received = old["call_start"] + timedelta(days=3)
    complaint_id = next_id("K", held_received)
    rows_complaints.append(_complaint(complaint_id, held_received))
    rows_links.append({"complaint_id": complaint_id, "call_id": old["call_id"]})
    for i, state in enumerate(sorted(states, key=lambda s: rng.random())):
        call = rng.choice(young)
        requested_at = now - timedelta(hours=ages_h[i % len(ages_h)] + rng.uniform(0, 3))
        complaint_id = next_id("K", requested_at - timedelta(hours=1))
        rows_complaints.append(_complaint(complaint_id, requested_at - timedelta(hours=1)))
        rows_links.append({"complaint_id": complaint_id, "call_id": call["call_id"]})
        decided = state != "requested"
        decided_at = requested_at + (now - requested_at) * 0.3
        rows_requests.append({
            "request_id": next_id("V", requested_at), "kind": rng.choice(("transcript", "listen_back")),
            "call_id": call["call_id"], "complaint_id": complaint_id, "employee_id": None, "reason": REASON,
            "requested_by": "kim", "requested_at": requested_at, "state": state,
            "decided_by": "bob" if decided else None, "decided_at": decided_at if decided else None,
            "decision_reason": REASON if state == "rejected" else None,
            "released_by": "ivo" if state == "released" else None,
            "released_at": decided_at + (now - decided_at) * 0.5 if state == "released" else None,
        })
    with engine.begin() as conn:
        conn.execute(sa.insert(complaints), rows_complaints)
        conn.execute(sa.insert(complaint_calls), rows_links)
        conn.execute(sa.insert(requests), rows_requests)
    return len(rows_requests)


def _complaint(complaint_id: str, received_at: datetime) -> dict:
    return {"complaint_id": complaint_id, "channel": "telefoon", "received_at": received_at,
            "description": "Klant is ontevreden over de afhandeling.", "registered_by": "kim",
            "registered_at": received_at + timedelta(minutes=10)}


def _subject_requests(engine, settings: Settings, rng: random.Random, calls: list[dict], now: datetime,
                      zone: ZoneInfo) -> int:
    """Access and erasure requests in every state; the executed erasure erases two calls through
    the retention mechanism (tombstones), as the library does."""
    plan = [("access", "requested", 2), ("erasure", "requested", 30), ("access", "approved", 100),
            ("access", "rejected", 200), ("access", "executed", 300), ("erasure", "executed", 80)]
    held = holds.held_calls(engine)  # an erasure of a held call needs an override: take free ones
    young = [c for c in calls if c["call_start"] > now - timedelta(days=30) and c["call_id"] not in held]
    erased_calls = [c["call_id"] for c in rng.sample(young, 2)]
    rows, links = [], []
    for n, (kind, state, age_h) in enumerate(plan, start=1):
        requested_at = now - timedelta(hours=age_h)
        request_id = f"AVG-{requested_at.astimezone(zone).year}-{n:04d}"
        decided_at = requested_at + timedelta(hours=min(age_h * 0.3, 24))
        done = state == "executed"
        rows.append({
            "request_id": request_id, "kind": kind, "reason": REASON, "state": state, "requested_by": "kim",
            "requested_at": requested_at, "decided_by": "anna" if state != "requested" else None,
            "decided_at": decided_at if state != "requested" else None,
            "decision_reason": REASON if state == "rejected" else None,
            "executed_by": "ivo" if done else None, "executed_at": decided_at + timedelta(hours=2) if done else None,
        })
        chosen = erased_calls if (kind, state) == ("erasure", "executed") else [rng.choice(young)["call_id"]]
        links += [{"request_id": request_id, "call_id": call_id} for call_id in chosen]
        if (kind, state) == ("erasure", "executed"):
            with engine.begin() as conn:  # the erased calls are of the requesting caller
                conn.execute(sa.update(recordings).where(recordings.c.call_id.in_(chosen))
                             .values(caller_number=ERASURE_NUMBER))
            erasure_id = request_id
    with engine.begin() as conn:
        conn.execute(sa.insert(subject_requests), rows)
        conn.execute(sa.insert(subject_request_calls), links)
    retention.erase(engine, settings.home, erased_calls, now=now, retention_days=settings.retention_days,
                    timezone=settings.retention_timezone, actor=User("ivo", "ict_backoffice"), subject=erasure_id)
    return len(erased_calls)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("home", type=Path, help="a new or empty folder: the callscribe home to fill")
    parser.add_argument("--employees", type=int, default=20, help="employees (default 20)")
    parser.add_argument("--days", type=int, default=65, help="days of calls up to now (default 65)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    args = parser.parse_args(argv)
    home = args.home.expanduser().resolve()
    if home.exists() and any(home.iterdir()):
        parser.error(f"{home} is not empty: invented data goes into a new home")
    os.environ["CALLSCRIBE_HOME"] = str(home)
    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    made = generate(engine, settings, employees=args.employees, days=args.days, seed=args.seed)
    print(", ".join(f"{key} {value}" for key, value in made.items()))
    print(f"open the report: CALLSCRIBE_HOME={home} CALLSCRIBE_IMPERSONATION=true CALLSCRIBE_USER=anna "
          "jupyter lab notebooks/operations_report.ipynb", file=sys.stderr)


if __name__ == "__main__":
    main()
