"""The complaint desk in the browser's place: registering a complaint, filing a request and
following it, filing a data-subject request with a phone number that never comes back. Real
SQLite catalogue, the library for setup, the app's clock moved instead of sleeping."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from fastapi import Request
from fastapi.responses import HTMLResponse

from callscribe.pipeline.errors import AccessDeniedError, PolicyError
from callscribe.pipeline.policy import complaints, subjects
from callscribe.pipeline.storage.schema import audit_log
from callscribe.web.app import create_app
from callscribe.web.complaint_desk import Display, refusal
from callscribe.web.routes import Pages
from tests.web.cases_complaint_desk import REASON, add_call
from tests.web.conftest import csrf_of, login_as

DESCRIPTION = "Mevrouw Jansen is boos: de monteur kwam niet op de afgesproken dag."
# The caller's number as typed, and other ways it could show up if it leaked.
TYPED = "06-2468 1357"
NUMBER_FORMS = ("06-2468 1357", "0624681357", "+31624681357", "31624681357", "624681357", "2468 1357", "24681357")


def audit_entries(engine, action: str) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [(r.actor, r.subject) for r in conn.execute(
            sa.select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq))]


def text_of(html: str) -> str:
    """The page's text, tags dropped and white space collapsed, for reading sentences."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def desk(client, staff):
    """The client, logged in as kim of the complaint desk; returns her CSRF token."""
    return login_as(client, staff["kim"])


# --- complaint → request → status -----------------------------------------------------------------


def test_register_a_complaint_file_a_request_for_its_call_and_follow_its_status(client, desk, engine, staff):
    add_call(engine, "TBI-2026-000102", employee_id="MW-017", caller_number=TYPED,
             call_start=datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    empty = client.get("/klachten")
    assert empty.status_code == 200 and "Nog geen klachten" in empty.text and 'href="/klachten/nieuw"' in empty.text

    form = client.get("/klachten/nieuw")
    assert form.status_code == 200
    option = text_of(form.text)
    assert "TBI-2026-000102 · 24 nov. 2026 10:00 · MW-017" in option  # local time, Europe/Amsterdam
    assert not any(number in form.text for number in NUMBER_FORMS)  # never the caller's number

    registered = client.post("/klachten", data={
        "channel": "telefoon", "received": "2026-11-24T10:30", "description": DESCRIPTION,
        "call_ids": "TBI-2026-000102", "csrf_token": desk})
    assert registered.status_code == 303
    location = registered.headers["location"]
    complaint_id = re.fullmatch(r"/klachten/(K-\d{4}-\d{4})\?melding=geregistreerd", location).group(1)
    stored = complaints.get_complaint(engine, "anna", complaint_id)
    assert stored.received_at == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)  # typed in local time
    assert stored.call_ids == ("TBI-2026-000102",) and stored.registered_by == "kim"

    detail = client.get(location)
    page = text_of(detail.text)
    assert f"Klacht {complaint_id} is geregistreerd." in page
    assert DESCRIPTION in page and "open" in page and "24 nov. 2026 10:30" in page
    assert ("kim", complaint_id) in audit_entries(engine, "complaint.viewed")  # reading the description
    assert "Nog geen verzoeken bij deze klacht" in page
    request_form_path = f"/klachten/{complaint_id}/verzoek/TBI-2026-000102"
    assert f'href="{request_form_path}"' in detail.text

    request_form = client.get(request_form_path)
    assert request_form.status_code == 200
    assert f'<option value="{complaint_id}" selected>' in request_form.text
    assert '<option value="TBI-2026-000102" selected>' in request_form.text
    assert "minstens 30 tekens" in text_of(request_form.text)

    filed = client.post("/verzoeken", data={
        "kind": "transcript", "call_id": "TBI-2026-000102", "complaint_id": complaint_id, "employee_id": "",
        "reason": REASON, "csrf_token": csrf_of(request_form.text)})
    assert filed.status_code == 303
    request_id = re.fullmatch(r"/verzoeken/(V-\d{4}-\d{4})\?melding=ingediend", filed.headers["location"]).group(1)

    status = text_of(client.get(filed.headers["location"]).text)
    assert f"Verzoek {request_id} is ingediend." in status
    assert "aangevraagd" in status and "Transcript" in status and REASON in status
    assert "Ingediend op" in status and "door kim" in status and "wacht op een teamleider of manager" in status

    listed = text_of(client.get("/verzoeken").text)
    assert request_id in listed and "aangevraagd" in listed and "minder dan een uur" in listed
    assert REASON not in listed  # reasons stay on the request's own page
    assert request_id in text_of(client.get(f"/klachten/{complaint_id}").text)
    registry = client.get("/klachten").text
    assert complaint_id in registry and DESCRIPTION not in registry and "Jansen" not in registry

    complaints.approve_request(engine, "bob", request_id, note="Akkoord, klant heeft recht op het transcript.")
    approved = text_of(client.get(f"/verzoeken/{request_id}").text)
    assert "goedgekeurd" in approved and "door bob" in approved and "Akkoord, klant heeft recht" in approved
    assert "Controleren en vrijgeven" in approved  # the steps still to come


def test_the_registry_list_never_shows_the_description(client, desk, engine):
    complaints.register_complaint(engine, "kim", channel="e-mail", received_at=datetime.now(UTC),
                                  description=DESCRIPTION)
    listed = client.get("/klachten")
    assert listed.status_code == 200 and "K-" in listed.text and "E-mail" in listed.text
    assert DESCRIPTION not in listed.text and "Jansen" not in listed.text and "monteur" not in listed.text
    assert not audit_entries(engine, "complaint.viewed")  # nothing read


def test_dates_are_typed_and_shown_in_local_time_across_summer_time(client, desk, engine):
    response = client.post("/klachten", data={"channel": "telefoon", "received": "2026-07-01T23:30",
                                              "description": DESCRIPTION, "csrf_token": desk})
    complaint_id = response.headers["location"].split("/")[2].split("?")[0]
    assert complaints.get_complaint(engine, "kim", complaint_id).received_at == datetime(2026, 7, 1, 21, 30, tzinfo=UTC)
    assert "1 jul. 2026 23:30" in text_of(client.get("/klachten").text)


def test_an_incomplete_complaint_form_says_what_is_missing_beside_each_field(client, desk, engine):
    response = client.post("/klachten", data={"channel": "", "received": "", "description": "  ",
                                              "csrf_token": desk})
    assert response.status_code == 422
    assert 'id="channel-fout"' in response.text and 'id="received-fout"' in response.text
    assert 'id="description-fout"' in response.text and 'aria-invalid="true"' in response.text
    assert "Vul de datum en de tijd in" in response.text
    assert complaints.list_complaints(engine, "kim") == []


def test_a_complaint_received_in_the_future_is_refused_by_the_library(client, desk, engine):
    response = client.post("/klachten", data={"channel": "telefoon", "received": "2099-01-01T10:00",
                                              "description": DESCRIPTION, "csrf_token": desk})
    assert response.status_code == 422 and "ligt in de toekomst" in response.text
    assert DESCRIPTION in response.text  # what was typed stays in the form
    assert complaints.list_complaints(engine, "kim") == []


# --- requests: the library's refusals shown on the form ----------------------------------------


def test_a_reason_too_short_shows_the_library_s_message_beside_the_reason(client, desk, engine):
    call_id = add_call(engine)
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description=DESCRIPTION, call_ids=[call_id])
    response = client.post("/verzoeken", data={"kind": "transcript", "call_id": call_id,
                                               "complaint_id": complaint.complaint_id, "reason": "Te kort",
                                               "csrf_token": desk})
    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="reason-fout">([^<]*)</p>', response.text).group(1)
    assert error == "De reden is te kort (7 tekens). Schrijf er minstens 30."  # the library's counts
    assert 'aria-describedby="reason-uitleg reason-fout"' in response.text and ">Te kort</textarea>" in response.text
    assert complaints.list_requests(engine, "kim") == []


def test_the_reason_length_follows_the_setting(home, staff, clock, new_client, engine):
    from callscribe.pipeline.settings import get_settings

    app = create_app(get_settings(reason_min_length=100), clock=clock)
    from fastapi.testclient import TestClient

    with TestClient(app, follow_redirects=False) as client:
        token = login_as(client, staff["kim"])
        call_id = add_call(engine)
        assert "minstens 100 tekens" in text_of(client.get("/verzoeken/nieuw").text)
        response = client.post("/verzoeken", data={"kind": "listen_back", "call_id": call_id,
                                                   "employee_id": "MW-017", "reason": REASON, "csrf_token": token})
    assert response.status_code == 422 and "Schrijf er minstens 100." in response.text


def test_a_request_citing_a_complaint_about_another_call_is_refused_with_a_message(client, desk, engine):
    about = add_call(engine, "TBI-2026-000102")
    other = add_call(engine, "TBI-2026-000103")
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description=DESCRIPTION, call_ids=[about])
    response = client.post("/verzoeken", data={"kind": "transcript", "call_id": other,
                                               "complaint_id": complaint.complaint_id, "reason": REASON,
                                               "csrf_token": desk})
    assert response.status_code == 422
    message = re.search(r'<p class="field-error" id="complaint_id-fout">([^<]*)</p>', response.text).group(1)
    assert f"Klacht {complaint.complaint_id} gaat niet over gesprek {other}." in message
    assert complaints.list_requests(engine, "kim") == []
    # the form keeps the choices, so the desk corrects one field
    assert f'<option value="{other}" selected>' in response.text and REASON in response.text


def test_an_employee_s_own_request_covers_their_own_calls_only(client, desk, engine):
    call_id = add_call(engine, employee_id="MW-017")
    refused = client.post("/verzoeken", data={"kind": "listen_back", "call_id": call_id, "employee_id": "MW-023",
                                              "reason": REASON, "csrf_token": desk})
    assert refused.status_code == 422 and "niet gevoerd door medewerker MW-023" in refused.text
    filed = client.post("/verzoeken", data={"kind": "listen_back", "call_id": call_id, "employee_id": "MW-017",
                                            "reason": REASON, "csrf_token": desk})
    assert filed.status_code == 303
    page = text_of(client.get(filed.headers["location"]).text)
    assert "Eigen verzoek van medewerker MW-017" in page and "Terugluisteren" in page


def test_a_request_needs_a_complaint_or_an_employee_not_both(client, desk, engine):
    call_id = add_call(engine)
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description=DESCRIPTION, call_ids=[call_id])
    for ground in ({}, {"complaint_id": complaint.complaint_id, "employee_id": "MW-017"}):
        response = client.post("/verzoeken", data={"kind": "transcript", "call_id": call_id, "reason": REASON,
                                                   "csrf_token": desk, **ground})
        assert response.status_code == 422 and "één van beide" in response.text


def test_the_age_of_an_open_request_grows_with_the_clock(client, staff, engine, clock):
    call_id = add_call(engine)
    filed = complaints.create_request(engine, "kim", kind="transcript", call_id=call_id, reason=REASON,
                                      employee_id="MW-017")
    clock.advance(days=3, minutes=1)
    login_as(client, staff["kim"])  # the session of three days ago has ended
    assert "3 dagen" in text_of(client.get("/verzoeken").text)
    complaints.reject_request(engine, "bob", filed.request_id,
                              "Geen grond: de klant is al teruggebeld door de teamleider.")
    finished = text_of(client.get("/verzoeken").text)
    assert "3 dagen" not in finished and "afgewezen" in finished and "afgerond" in finished


def test_the_request_page_links_the_next_step_only_for_who_may_take_it(new_client, home, staff, clock, engine):
    from callscribe.pipeline.settings import get_settings

    queue = Pages()

    @queue.get("/goedkeuren", permission="request.decide")
    def approval_queue(request: Request) -> HTMLResponse:
        return HTMLResponse("wachtrij")

    @queue.get("/verzoeken/{request_id}/controle", permission="transcript.review")
    def review(request: Request, request_id: str) -> HTMLResponse:
        return HTMLResponse("controle")

    from fastapi.testclient import TestClient

    app = create_app(get_settings(), clock=clock, extra_pages=[queue])
    call_id = add_call(engine)
    filed = complaints.create_request(engine, "kim", kind="transcript", call_id=call_id, reason=REASON,
                                      employee_id="MW-017")
    with TestClient(app, follow_redirects=False) as kim, TestClient(app, follow_redirects=False) as bob:
        login_as(kim, staff["kim"])
        login_as(bob, staff["bob"])
        path = f"/verzoeken/{filed.request_id}"
        link = '<a href="/goedkeuren">Naar de goedkeuringslijst</a>'
        assert link not in kim.get(path).text  # the complaint desk does not decide
        assert link in bob.get(path).text
        review = f'<a href="/verzoeken/{filed.request_id}/controle">Transcript controleren vóór vrijgave</a>'
        assert review not in bob.get(path).text  # not approved yet
        complaints.approve_request(engine, "bob", filed.request_id)
        approved = bob.get(path).text
        assert link not in approved and review in approved  # decided: on to the review
        assert review not in kim.get(path).text  # the complaint desk does not review


# --- closing a complaint ----------------------------------------------------------------------------


def test_closing_a_complaint_ends_new_requests_for_it(client, desk, engine):
    call_id = add_call(engine)
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description=DESCRIPTION, call_ids=[call_id])
    path = f"/klachten/{complaint.complaint_id}"
    closed = client.post(f"{path}/sluiten", data={"csrf_token": desk})
    assert (closed.status_code, closed.headers["location"]) == (303, f"{path}?melding=gesloten")
    page = client.get(closed.headers["location"])
    assert f"Klacht {complaint.complaint_id} is gesloten." in page.text and "gesloten" in page.text
    assert f"{path}/sluiten" not in page.text and "Verzoek indienen" not in page.text
    assert "gesloten" in text_of(client.get("/klachten").text)

    again = client.post(f"{path}/sluiten", data={"csrf_token": desk})
    assert again.status_code == 409 and f"Klacht {complaint.complaint_id} was al gesloten." in again.text
    refused = client.post("/verzoeken", data={"kind": "transcript", "call_id": call_id,
                                              "complaint_id": complaint.complaint_id, "reason": REASON,
                                              "csrf_token": desk})
    assert refused.status_code == 422 and "is gesloten. Een verzoek kan alleen bij een open klacht." in refused.text


# --- the one 404 ----------------------------------------------------------------------------------


def test_what_does_not_exist_answers_like_a_missing_page(client, desk, engine):
    missing = client.get("/bestaat-niet")
    call_id = add_call(engine)
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description=DESCRIPTION, call_ids=[call_id])
    other = add_call(engine, "TBI-2026-000999")
    for path in ("/klachten/K-2026-9999", "/verzoeken/V-2026-9999", "/avg/AVG-2026-9999",
                 f"/klachten/{complaint.complaint_id}/verzoek/{other}", "/klachten/K-2026-9999/verzoek/x"):
        response = client.get(path)
        assert (response.status_code, response.text) == (404, missing.text), path
    response = client.post("/klachten/K-2026-9999/sluiten", data={"csrf_token": desk})
    assert (response.status_code, response.text) == (404, missing.text)


# --- data-subject requests: the number never comes back -------------------------------------------


def test_a_subject_request_finds_the_recordings_and_the_number_never_comes_back(client, desk, engine, caplog):
    caplog.set_level(logging.DEBUG)
    add_call(engine, "TBI-2026-000102", caller_number="+31 6 24681357")
    add_call(engine, "TBI-2026-000103", caller_number="0031624681357")
    add_call(engine, "TBI-2026-000104", caller_number="020 123 4567")
    responses = []

    form = client.get("/avg/nieuw")
    responses.append(form)
    field = re.search(r'<input id="number"[^>]*>', form.text).group(0)
    assert 'type="password"' in field and 'autocomplete="off"' in field and 'inputmode="tel"' in field
    assert "value=" not in field

    refused = client.post("/avg", data={"kind": "access", "number": TYPED, "reason": "kort", "csrf_token": desk})
    responses.append(refused)
    assert refused.status_code == 422 and "De reden is te kort (4 tekens)" in refused.text
    assert "value=" not in re.search(r'<input id="number"[^>]*>', refused.text).group(0)  # typed again, not kept

    not_a_number = client.post("/avg", data={"kind": "access", "number": "bel me terug", "reason": REASON,
                                             "csrf_token": desk})
    responses.append(not_a_number)
    assert not_a_number.status_code == 422 and 'id="number-fout"' in not_a_number.text
    assert "bel me terug" not in not_a_number.text

    filed = client.post("/avg", data={"kind": "access", "number": TYPED, "reason": REASON, "csrf_token": desk})
    responses.append(filed)
    assert filed.status_code == 303
    location = filed.headers["location"]
    request_id = re.fullmatch(r"/avg/(AVG-\d{4}-\d{4})\?melding=avg-ingediend", location).group(1)

    detail = client.get(location)
    responses.append(detail)
    page = text_of(detail.text)
    assert f"AVG-verzoek {request_id} is ingediend. Gevonden opnames: 2." in page
    assert "TBI-2026-000102" in page and "TBI-2026-000103" in page and "TBI-2026-000104" not in page
    assert "aangevraagd" in page and "Inzage" in page
    listed = client.get("/avg")
    responses.append(listed)
    assert request_id in listed.text and "aangevraagd" in text_of(listed.text)
    assert subjects.get_request(engine, request_id).call_ids == ("TBI-2026-000102", "TBI-2026-000103")

    for response in responses:
        for number in NUMBER_FORMS:
            assert number not in response.text, (response.request.url.path, number)
            assert number not in response.headers.get("location", "")
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert "POST /avg 303" in caplog.text  # the access log was captured
    assert not any(number in logged for number in NUMBER_FORMS)


def test_a_subject_request_without_recordings_says_so(client, desk, engine):
    filed = client.post("/avg", data={"kind": "erasure", "number": "+32 470 12 34 56", "reason": REASON,
                                      "csrf_token": desk})
    page = text_of(client.get(filed.headers["location"]).text)
    assert "Gevonden opnames: 0." in page and "Er zijn geen opnames van dit telefoonnummer gevonden." in page
    assert "Verwijdering" in page


def test_the_lists_start_empty_with_a_way_to_begin(client, desk):
    assert "Nog geen verzoeken." in text_of(client.get("/verzoeken").text)
    subjects_page = client.get("/avg")
    assert "Nog geen AVG-verzoeken." in text_of(subjects_page.text) and 'href="/avg/nieuw"' in subjects_page.text


def test_the_navigation_shows_the_desk_s_pages(client, desk, new_client, staff):
    home = client.get("/").text
    assert 'href="/klachten"' in home and 'href="/verzoeken"' in home and 'href="/avg"' in home
    coach = new_client()
    login_as(coach, staff["cor"])
    page = coach.get("/").text
    assert 'href="/klachten"' not in page and 'href="/avg"' not in page


# --- how dates and refusals read ------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "shown"), [
    (datetime(2026, 11, 24, 9, 0, tzinfo=UTC), "24 nov. 2026 10:00"),
    (datetime(2026, 2, 28, 23, 30, tzinfo=UTC), "1 mrt. 2026 00:30"),  # after midnight, local day
    (datetime(2026, 5, 31, 22, 5, tzinfo=UTC), "1 jun. 2026 00:05"),  # summer time
    (None, "–"),
])
def test_dates_read_as_local_dutch_dates(moment, shown):
    display = Display(ZoneInfo("Europe/Amsterdam"), datetime(2026, 12, 1, tzinfo=UTC))
    assert display.when(moment) == shown


@pytest.mark.parametrize(("elapsed", "shown"), [
    (timedelta(minutes=59), "minder dan een uur"), (timedelta(hours=5, minutes=59), "5 uur"),
    (timedelta(days=1, hours=2), "1 dag"), (timedelta(days=9), "9 dagen"),
    (-timedelta(minutes=1), "minder dan een uur"),  # a clock a little behind the catalogue
])
def test_ages_read_in_words(elapsed, shown):
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert Display(ZoneInfo("Europe/Amsterdam"), now).age(now - elapsed) == shown


def test_a_refusal_without_a_dutch_text_is_still_shown_with_a_dutch_lead():
    assert refusal(PolicyError("something new the library refuses")) == (
        "", "Dit kan niet: something new the library refuses")
    assert refusal(AccessDeniedError("user kim has role klachtendesk"))[1] == "U heeft geen rechten voor deze actie."
