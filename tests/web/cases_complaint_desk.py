"""Route × role rows of the complaint desk: complaints (/klachten), transcript and listen-back
requests (/verzoeken) and data-subject requests (/avg). What a route shows is made through the
library, as the complaint-desk user kim."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from callscribe.pipeline.policy import complaints, subjects
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage import catalogue
from tests.web.route_cases import Case

REASON = "Klant wil schriftelijk terugzien wat er in het gesprek is toegezegd."
CALL = "TBI-2026-000102"
EMPLOYEE = "MW-017"
CALLER = "06 1234 5678"


def add_call(engine, call_id: str = CALL, *, employee_id: str = EMPLOYEE, caller_number: str = CALLER,
             call_start: datetime | None = None) -> str:
    """A recording in the catalogue (its row only: these pages never touch the audio)."""
    start = call_start or datetime.now(UTC).replace(microsecond=0)
    with engine.begin() as conn:
        conn.execute(sa.insert(catalogue.recordings).values(
            call_id=call_id, call_start=start, duration_s=95.0, employee_id=employee_id, caller_number=caller_number,
            direction="inbound", audio_path=f"audio/{call_id}.wav", sha256="0" * 64, channel_layout="stereo",
            state="ingested", ingested_at=start))
    return call_id


def complaint_about_a_call(engine, _staff=None) -> dict[str, str]:
    call_id = add_call(engine)
    made = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                         description="Klant voelt zich niet goed geholpen.", call_ids=[call_id])
    return {"complaint_id": made.complaint_id, "call_id": call_id}


def _complaint(engine, staff) -> dict[str, str]:
    return {"complaint_id": complaint_about_a_call(engine)["complaint_id"]}


def _request(engine, staff) -> dict[str, str]:
    ids = complaint_about_a_call(engine)
    made = complaints.create_request(engine, "kim", kind="transcript", call_id=ids["call_id"], reason=REASON,
                                     complaint_id=ids["complaint_id"])
    return {"request_id": made.request_id}


def _call_of_employee(engine, staff) -> dict[str, str]:
    add_call(engine)
    return {}


def _subject_request(engine, staff) -> dict[str, str]:
    add_call(engine)
    made = subjects.file_request(engine, get_settings(), "access", CALLER, REASON, "kim")
    return {"request_id": made.request_id}


CASES = {
    ("GET", "/klachten"): Case(allowed=(200,)),
    ("GET", "/klachten/nieuw"): Case(allowed=(200,)),
    ("POST", "/klachten"): Case(form={"channel": "telefoon", "received": "2026-01-05T10:00",
                                      "description": "Klant is boos over de afhandeling."}, allowed=(303,)),
    ("GET", "/klachten/{complaint_id}"): Case(prepare=_complaint, allowed=(200,)),
    ("POST", "/klachten/{complaint_id}/sluiten"): Case(prepare=_complaint, allowed=(303,)),
    ("GET", "/klachten/{complaint_id}/verzoek/{call_id}"): Case(prepare=complaint_about_a_call, allowed=(200,)),
    ("GET", "/verzoeken"): Case(allowed=(200,)),
    ("GET", "/verzoeken/nieuw"): Case(allowed=(200,)),
    # an employee's own request about their own call: no complaint id to know beforehand
    ("POST", "/verzoeken"): Case(prepare=_call_of_employee, allowed=(303,), form={
        "kind": "listen_back", "call_id": CALL, "employee_id": EMPLOYEE, "reason": REASON}),
    ("GET", "/verzoeken/{request_id}"): Case(prepare=_request, allowed=(200,)),
    ("GET", "/avg"): Case(allowed=(200,)),
    ("GET", "/avg/nieuw"): Case(allowed=(200,)),
    ("POST", "/avg"): Case(form={"kind": "access", "number": CALLER, "reason": REASON}, allowed=(303,)),
    ("GET", "/avg/{request_id}"): Case(prepare=_subject_request, allowed=(200,)),
}
