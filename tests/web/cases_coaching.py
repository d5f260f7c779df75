"""Route × role rows of the coaching pages, and the setup they share with
``test_coaching_page.py``: calls in the catalogue, a month drawn by the library's keyed draw, a
session logged through the library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from callscribe.pipeline.policy import coaching
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage import catalogue
from tests.web.route_cases import Case

AMS = ZoneInfo("Europe/Amsterdam")
SECRET = "een vaste sleutel voor de loting in tests"
EMPLOYEE = "MW-017"


def add_call(engine, call_id: str, start: datetime, employee: str = EMPLOYEE, duration: float | None = 120.0,
             state: str = "ingested") -> None:
    """A recording in the catalogue, as tests/test_coaching.py adds them (no audio needed to draw)."""
    with engine.begin() as conn:
        conn.execute(sa.insert(catalogue.recordings).values(
            call_id=call_id, call_start=start, duration_s=duration, employee_id=employee,
            caller_number="+31600000000", direction="inbound", audio_path=f"audio/{call_id}.wav",
            sha256="0" * 64, channel_layout="stereo", state=state, ingested_at=start,
        ))


def draw_settings():
    """The settings of the test's home with a fixed policy secret, so picks are reproducible."""
    return get_settings().model_copy(update={"policy_secret": SECRET})


def month_ended(now: datetime) -> tuple[str, datetime]:
    """The month before ``now`` (Amsterdam) and the moment it ended (its draw may run from then)."""
    month = coaching.previous_month(now, "Europe/Amsterdam")
    return month, coaching.month_bounds(month, "Europe/Amsterdam")[1]


# The route × role test runs on the real clock: the picks come from last month, drawn the moment
# it ended, and a session is held at that moment (after the draw, not in the future).
MONTH, DRAWN_AT = month_ended(datetime.now(UTC))
HELD_AT = DRAWN_AT.astimezone(AMS).strftime("%Y-%m-%dT%H:%M")


def drawn_pick(engine, staff) -> dict[str, str]:
    year, number = map(int, MONTH.split("-"))
    for hour in (9, 10, 11):
        add_call(engine, f"TBI-{hour}", datetime(year, number, 10, hour, tzinfo=AMS))
    coaching.draw(engine, draw_settings(), MONTH, "bob", DRAWN_AT)
    return {"month": MONTH, "employee_id": EMPLOYEE}


def logged_session(engine, staff) -> dict[str, str]:
    pick = drawn_pick(engine, staff)
    session = coaching.log_session(engine, MONTH, EMPLOYEE, "cor", DRAWN_AT, DRAWN_AT + timedelta(minutes=1),
                                   note="Rustig gebleven.")
    return {**pick, "session_id": session.session_id}


def quarter(engine, staff) -> dict[str, str]:
    drawn_pick(engine, staff)
    year, number = map(int, MONTH.split("-"))
    return {"quarter": f"{year}Q{(number - 1) // 3 + 1}"}


CASES = {
    ("GET", "/coaching"): Case(prepare=drawn_pick, allowed=(200,)),
    ("GET", "/coaching/kwartaal/{quarter}"): Case(prepare=quarter, allowed=(200,)),
    ("POST", "/coaching/kwartaal"): Case(form={"quarter": "2026Q4"}, allowed=(303,)),
    ("GET", "/coaching/sessies/{session_id}"): Case(prepare=logged_session, allowed=(200,)),
    ("POST", "/coaching/sessies/{session_id}/bevestigd"): Case(prepare=logged_session, allowed=(303,)),
    ("GET", "/coaching/{month}/{employee_id}"): Case(prepare=drawn_pick, allowed=(200,)),
    ("GET", "/coaching/{month}/{employee_id}/vastgelegd/{session_id}"): Case(prepare=logged_session, allowed=(200,)),
    ("GET", "/coaching/{month}/{employee_id}/bevestigd/{session_id}"): Case(prepare=logged_session, allowed=(200,)),
    ("POST", "/coaching/{month}/{employee_id}/sessie"): Case(prepare=drawn_pick, form={"held_at": HELD_AT},
                                                            allowed=(303,)),
}
