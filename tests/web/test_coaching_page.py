"""The coaching pages against a real SQLite catalogue: picks drawn by the library's keyed draw
(fixed secret, the application's clock in November 2026 after October was drawn), the quarter
overview per employee with days left, the coaching transcript as turns, sessions with a note and
the employee's acknowledgement, the note's own audited page, and the one 404."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
import sqlalchemy as sa

from callscribe.pipeline.policy import coaching
from callscribe.pipeline.policy.retention import expires_at
from callscribe.pipeline.storage import catalogue, transcripts
from callscribe.pipeline.storage.schema import audit_log
from callscribe.pipeline.types import ModelInfo, Segment, Transcript, TranscriptionOptions
from callscribe.web import coaching as pages
from tests.web.cases_coaching import AMS, SECRET, add_call, draw_settings
from tests.web.conftest import login_as

NOW = datetime(2026, 11, 12, 10, 0, tzinfo=AMS)  # October has ended and was drawn; November runs
DRAWN_AT = datetime(2026, 11, 1, 3, 0, tzinfo=AMS)  # the scheduled draw: 03:00 on the 1st
OCTOBER_CALLS = {"C-1": datetime(2026, 10, 5, 10, 0, tzinfo=AMS), "C-2": datetime(2026, 10, 14, 15, 30, tzinfo=AMS),
                 "C-3": datetime(2026, 10, 27, 9, 15, tzinfo=AMS)}
NOTE = "Rustig gebleven; adres laten herhalen."
EMPLOYEE_NAME = "Sanne de Vries"
CUSTOMER_NAME = "Pieter Jansen"
MISSING = "/bestaat-niet"


@pytest.fixture
def october(engine, staff, clock):
    """October 2026 drawn by the library with a fixed secret: MW-017 has three calls and a pick,
    MW-023 only a call too short to draw. The application's clock stands on NOW."""
    clock.now = NOW
    for call_id, start in OCTOBER_CALLS.items():
        add_call(engine, call_id, start)
    add_call(engine, "C-SHORT", datetime(2026, 10, 8, 11, 0, tzinfo=AMS), "MW-023", duration=30.0)
    drawn = coaching.draw(engine, draw_settings(), "2026-10", "bob", DRAWN_AT)
    (pick,) = drawn.picks
    assert pick.call_id == coaching.choose(SECRET.encode(), "2026-10", "MW-017", OCTOBER_CALLS)  # reproducible
    return pick


def page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.text)


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def row_of(doc, employee_id: str, month_label: str) -> str:
    """The text of one month's row in an employee's table on the overview."""
    section = doc.xpath(f'//section[h2="Medewerker {employee_id}"]')[0]
    return text_of(section.xpath(f'.//tr[th="{month_label}"]')[0])


def audit_entries(engine, action: str) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.seq)).all()


def log_session(client, token, held_at="2026-11-12T09:30", note=NOTE, **extra):
    return client.post("/coaching/2026-10/MW-017/sessie",
                       data={"held_at": held_at, "note": note, "csrf_token": token, **extra})


def days_left(call_start: datetime, now: datetime) -> int:
    return (expires_at(call_start).astimezone(AMS).date() - now.astimezone(AMS).date()).days


# --- the quarter overview -----------------------------------------------------------------------


def test_the_overview_shows_each_employees_months_with_the_pick_and_days_left(client, october, engine):
    login_as(client, "cor")
    response = client.get("/coaching")  # default: the quarter of October, the last month that ended
    assert response.status_code == 200
    doc = page(response)
    assert text_of(doc.xpath("//h1")[0]) == "Coaching: 4e kwartaal 2026 (oktober – december)"
    assert doc.xpath('//nav[@aria-label="Hoofdmenu"]//a[@aria-current="page"]')[0].text == "Coaching"

    october_row = row_of(doc, "MW-017", "oktober 2026")
    start = OCTOBER_CALLS[october.call_id]
    left = days_left(start, NOW)
    assert october.call_id in october_row and pages.local_date(start.date()) in october_row
    assert f"nog {left} dagen" in october_row and left > 7
    assert pages.local_datetime(expires_at(start), AMS) in october_row
    assert "Nog niet getranscribeerd" in october_row and "Nog geen sessies" in october_row
    badge = doc.xpath(f'//span[contains(@class, "badge")][.="nog {left} dagen"]')[0]
    assert "error" not in badge.get("class")  # more than a week: not red
    link = doc.xpath('//a[.="Sessie vastleggen"]/@href')
    assert link == ["/coaching/2026-10/MW-017#sessie-vastleggen"]

    assert "Geen geschikt gesprek" in row_of(doc, "MW-023", "oktober 2026")
    assert "Maand loopt nog; geloot op 1 dec. 2026" in row_of(doc, "MW-017", "november 2026")
    assert "Maand loopt nog; geloot op 1 jan. 2027" in row_of(doc, "MW-023", "december 2026")


def test_days_left_turn_red_in_the_last_week(client, october, clock):
    start = OCTOBER_CALLS[october.call_id]
    clock.now = expires_at(start) - timedelta(days=5, hours=1)
    login_as(client, "cor")
    doc = page(client.get("/coaching"))
    left = days_left(start, clock.now)
    assert left in (5, 6)
    badge = doc.xpath(f'//span[contains(@class, "badge")][.="nog {left} dagen"]')[0]
    assert "error" in badge.get("class")
    clock.now = expires_at(start) + timedelta(minutes=1)  # expired, before the retention run removed it
    login_as(client, "cor")
    assert "verlopen" in row_of(page(client.get("/coaching")), "MW-017", "oktober 2026")


def test_other_quarters_by_path_and_the_quarter_select(client, october):
    token = login_as(client, "cor")
    chosen = client.post("/coaching/kwartaal", data={"quarter": "2026Q3", "csrf_token": token})
    assert (chosen.status_code, chosen.headers["location"]) == (303, "/coaching/kwartaal/2026Q3")
    doc = page(client.get("/coaching/kwartaal/2026Q3"))
    assert text_of(doc.xpath("//h1")[0]) == "Coaching: 3e kwartaal 2026 (juli – september)"
    # the catalogue's employees, with nothing drawn for those months
    assert "Nog niet geloot" in row_of(doc, "MW-017", "september 2026")
    assert doc.xpath('//select[@name="quarter"]/option[@selected]/@value') == ["2026Q3"]
    assert doc.xpath('//a[.="Volgend kwartaal →"]/@href') == ["/coaching/kwartaal/2026Q4"]
    old = page(client.get("/coaching/kwartaal/2025Q1"))  # long before the catalogue's calls
    assert "Nog geen gelote gesprekken in dit kwartaal." in text_of(old)
    missing = client.get(MISSING)
    for bad in ("/coaching/kwartaal/2026Q5", "/coaching/kwartaal/oktober"):
        response = client.get(bad)
        assert (response.status_code, response.text) == (404, missing.text)
    assert client.post("/coaching/kwartaal", data={"quarter": "2026-10", "csrf_token": token}).status_code == 404


# --- a pick and its transcript ------------------------------------------------------------------


def test_a_pick_without_its_transcript_says_it_is_not_ready(client, october):
    login_as(client, "cor")
    response = client.get("/coaching/2026-10/MW-017")
    assert response.status_code == 200
    doc = page(response)
    assert text_of(doc.xpath("//h1")[0]) == "Coachinggesprek van MW-017, oktober 2026"
    assert "Het transcript is nog niet klaar." in text_of(doc)
    assert not doc.xpath('//ol[@class="turns"]')


def _store_transcript(settings, engine, call_id: str) -> None:
    """A transcribed call as the flow leaves it (raw encrypted, redacted), then the coaching copy."""
    from callscribe.pipeline import process

    transcript = Transcript(
        segments=(
            Segment("medewerker", 0.0, 3.0, f"Goedemorgen, u spreekt met {EMPLOYEE_NAME} van TBI Direct."),
            Segment("klant", 3.0, 7.0, f"Goedemorgen, met {CUSTOMER_NAME}. Mijn nummer is 06 12 34 56 78."),
            Segment("medewerker", 67.0, 70.0, "Dank u, meneer Jansen. Ik help u graag."),
        ),
        duration=70.0, channel_layout="stereo", speakers=("medewerker", "klant"),
        model=ModelInfo("base", "-", "cpu", "int8", 2), options=TranscriptionOptions(),
    )
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).path
    key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
    transcripts.write_raw(folder, transcript, key)
    record = catalogue.get_recording(engine, call_id)
    transcripts.write_redacted(folder, call_id, record.call_start, transcript,
                               process.redact_transcript(transcript, settings), "coaching", settings.retention_timezone)
    coaching.write_coaching_transcript(engine, settings, call_id, "MW-017")


def test_the_coaching_transcript_shows_turns_with_the_employees_name_and_the_customer_redacted(
        client, october, engine, settings, redactor):
    coaching.set_employee_name(engine, "MW-017", EMPLOYEE_NAME, "bob")
    _store_transcript(settings, engine, october.call_id)
    login_as(client, "cor")
    response = client.get("/coaching/2026-10/MW-017")
    doc = page(response)
    turns = doc.xpath('//ol[@class="turns"]/li')
    assert [t.get("class") for t in turns] == ["turn medewerker", "turn klant", "turn medewerker"]
    assert text_of(turns[0]).startswith("00:00:00 Medewerker Goedemorgen, u spreekt met Sanne de Vries")
    assert text_of(turns[2]).startswith("00:01:07 Medewerker")
    tags = [mark.text for mark in doc.xpath("//mark[@class='tag']")]
    assert tags and all(tag.startswith("[") and tag.endswith("]") for tag in tags)
    assert "Klaar" in text_of(doc.xpath("//dl")[0])
    assert EMPLOYEE_NAME in text_of(doc.xpath("//h1")[0])  # her own name is on file and shown by design
    for personal in ("Pieter", "Jansen", "06 12 34 56 78"):
        assert personal not in response.text


# --- sessions -----------------------------------------------------------------------------------


def test_a_session_with_a_note_and_acknowledgement_is_listed_without_the_note(client, october, engine, caplog):
    token = login_as(client, "cor")
    with caplog.at_level(logging.DEBUG):
        response = log_session(client, token, acknowledged="ja")
    assert response.status_code == 303
    session_id = response.headers["location"].rsplit("/", 1)[1]
    assert response.headers["location"] == f"/coaching/2026-10/MW-017/vastgelegd/{session_id}"
    assert session_id.startswith("CS-2026-")

    confirmed = client.get(response.headers["location"])
    doc = page(confirmed)
    assert doc.xpath('//p[@role="status"]')[0].text == f"Sessie {session_id} is vastgelegd."
    listed = text_of(doc.xpath('//ul[@class="sessions"]/li')[0])
    assert "12 nov. 2026 09:30" in listed and "door cor" in listed and "notitie: ja" in listed
    assert "bevestigd: ja, 12 nov. 2026 10:00 (vastgelegd door cor)" in listed
    assert NOTE not in confirmed.text
    assert doc.xpath('//a[.="notitie lezen"]/@href') == [f"/coaching/sessies/{session_id}"]

    overview = client.get("/coaching")
    row = row_of(page(overview), "MW-017", "oktober 2026")
    assert session_id in row and "notitie: ja" in row and "bevestigd: ja" in row
    assert page(overview).xpath('//a[.="notitie lezen"]/@href') == [f"/coaching/sessies/{session_id}"]
    assert NOTE not in overview.text

    (stored,) = coaching.sessions_of(engine, ["2026-10"])
    assert (stored.coach, stored.held_at, stored.acknowledged_by) == ("cor", datetime(2026, 11, 12, 9, 30, tzinfo=AMS),
                                                                       "cor")
    logged, acknowledged = audit_entries(engine, "coaching.session"), audit_entries(engine, "coaching.acknowledged")
    assert [e.subject for e in logged] == [e.subject for e in acknowledged] == [session_id]
    assert json.loads(logged[0].details)["note"] is True
    with engine.connect() as conn:
        assert not any("Rustig" in r.details for r in conn.execute(sa.select(audit_log)))
    assert not any("Rustig" in record.getMessage() for record in caplog.records)
    assert any(record.getMessage() == "POST /coaching/2026-10/MW-017/sessie 303" for record in caplog.records)


def test_the_note_has_its_own_page_whose_reading_is_audited_and_hidden_from_the_complaint_desk(
        client, new_client, october, engine):
    session = coaching.log_session(engine, "2026-10", "MW-017", "cor", datetime(2026, 11, 10, 14, 0, tzinfo=AMS),
                                   NOW, note=NOTE)
    login_as(client, "bob")
    response = client.get(f"/coaching/sessies/{session.session_id}")
    assert response.status_code == 200
    doc = page(response)
    assert doc.xpath('//p[@class="note"]')[0].text == NOTE
    assert "10 nov. 2026 14:00 door cor" in text_of(doc)
    assert "U heeft deze sessie geopend. Dat staat nu in het auditlog." in text_of(doc)
    viewed = audit_entries(engine, "coaching.session_viewed")
    assert [(e.actor, e.subject) for e in viewed] == [("bob", session.session_id)]

    desk = new_client()
    token = login_as(desk, "kim")
    missing = desk.get(MISSING)
    for path in ("/coaching", "/coaching/kwartaal/2026Q4", f"/coaching/sessies/{session.session_id}",
                 "/coaching/2026-10/MW-017", f"/coaching/2026-10/MW-017/vastgelegd/{session.session_id}"):
        refused = desk.get(path)
        assert (refused.status_code, refused.text) == (404, missing.text), path
    for path, form in ((f"/coaching/sessies/{session.session_id}/bevestigd", {}),
                       ("/coaching/2026-10/MW-017/sessie", {"held_at": "2026-11-12T09:00", "note": "x"})):
        refused = desk.post(path, data={**form, "csrf_token": token})
        assert (refused.status_code, refused.text) == (404, missing.text), path
    assert len(audit_entries(engine, "coaching.session_viewed")) == 1
    assert len(coaching.sessions_of(engine, ["2026-10"])) == 1 and coaching.sessions_of(
        engine, ["2026-10"])[0].acknowledged_at is None

    # what does not exist looks the same to a coach
    own = client.get(MISSING)
    for path in ("/coaching/sessies/CS-2026-9999", "/coaching/2026-10/MW-999", "/coaching/2026-13/MW-017",
                 "/coaching/2026-11/MW-017", f"/coaching/2026-10/MW-023/vastgelegd/{session.session_id}"):
        response = client.get(path)
        assert (response.status_code, response.text) == (404, own.text), path


def test_a_second_session_on_the_same_day_needs_an_explicit_nogmaals(client, october, engine):
    token = login_as(client, "cor")
    assert log_session(client, token, note="").status_code == 303
    again = log_session(client, token, held_at="2026-11-12T09:45", note="Tweede gesprek.")
    assert again.status_code == 409
    doc = page(again)
    assert "Vink dan hieronder ‘nogmaals vastleggen’ aan." in text_of(doc.xpath('//div[@role="alert"]')[0])
    assert doc.xpath('//input[@name="again"]')[0].get("required") is not None
    assert doc.xpath('//textarea[@name="note"]')[0].text == "Tweede gesprek."  # nothing typed is lost
    assert doc.xpath('//input[@name="held_at"]/@value') == ["2026-11-12T09:45"]
    assert len(coaching.sessions_of(engine, ["2026-10"])) == 1
    confirmed = log_session(client, token, held_at="2026-11-12T09:45", note="Tweede gesprek.", again="ja")
    assert confirmed.status_code == 303
    assert [s.has_note for s in coaching.sessions_of(engine, ["2026-10"])] == [False, True]


@pytest.mark.parametrize(("held_at", "note", "field", "message"), [
    ("2026-11-12T11:00", NOTE, "held_at", "Deze tijd ligt in de toekomst."),
    ("2026-10-30T12:00", NOTE, "held_at", "Deze tijd ligt vóór de loting van dit gesprek."),
    ("gisteren", NOTE, "held_at", "Vul de datum en tijd van de sessie in"),
    ("2026-11-12T09:30", "x" * 1001, "note", "De notitie heeft 1001 tekens; er passen er hoogstens 1000 in."),
    ("2026-11-12T09:30", "regel\x07", "note", "De notitie bevat tekens die geen gewone tekst zijn."),
], ids=["future", "before-draw", "not-a-time", "note-too-long", "control-character"])
def test_a_refused_session_says_why_in_dutch_next_to_its_field(client, october, engine, held_at, note, field, message):
    token = login_as(client, "cor")
    response = log_session(client, token, held_at=held_at, note=note)
    assert response.status_code == 400
    doc = page(response)
    error = doc.xpath(f'//p[@id="{field}-fout"]')[0]
    assert error.text.startswith(message)
    assert doc.xpath(f'//*[@name="{field}"]/@aria-invalid') == ["true"]
    assert coaching.sessions_of(engine, ["2026-10"]) == []


def test_the_acknowledgement_can_be_recorded_later_once(client, october, engine):
    session = coaching.log_session(engine, "2026-10", "MW-017", "cor", datetime(2026, 11, 10, 14, 0, tzinfo=AMS), NOW)
    token = login_as(client, "bob")
    doc = page(client.get("/coaching/2026-10/MW-017"))
    (form,) = doc.xpath('//form[contains(@action, "/bevestigd")]')
    assert form.get("action") == f"/coaching/sessies/{session.session_id}/bevestigd"
    fields = {i.get("name"): i.get("value") for i in form.xpath(".//input")}
    response = client.post(form.get("action"), data=fields)
    assert response.headers["location"] == f"/coaching/2026-10/MW-017/bevestigd/{session.session_id}"
    shown = page(client.get(response.headers["location"]))
    assert shown.xpath('//p[@role="status"]')[0].text == (
        f"De bevestiging van de medewerker is vastgelegd bij sessie {session.session_id}.")
    listed = text_of(shown.xpath('//ul[@class="sessions"]')[0])
    assert "bevestigd: ja, 12 nov. 2026 10:00 (vastgelegd door bob)" in listed
    assert not shown.xpath('//form[contains(@action, "/bevestigd")]')

    twice = client.post(form.get("action"), data={**fields, "csrf_token": token})
    assert twice.status_code == 409
    assert f"De bevestiging van sessie {session.session_id} was al vastgelegd" in twice.text
    assert len(audit_entries(engine, "coaching.acknowledged")) == 1
    unknown = client.post("/coaching/sessies/CS-2026-9999/bevestigd", data={**fields, "csrf_token": token})
    assert (unknown.status_code, unknown.text) == (404, client.get(MISSING).text)


# --- the Dutch words and numbers ----------------------------------------------------------------


def test_dates_months_quarters_and_days_left_in_dutch():
    assert pages.local_datetime(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), AMS) == "24 nov. 2026 10:00"
    assert pages.local_datetime(datetime(2026, 7, 1, 8, 5, tzinfo=UTC), AMS) == "1 jul. 2026 10:05"  # summer time
    assert pages.month_label("2026-03") == "maart 2026"
    assert pages.quarter_label("2027Q1") == "1e kwartaal 2027 (januari – maart)"
    assert pages.shift_quarter("2026Q1", -1) == "2025Q4" and pages.shift_quarter("2026Q4", 1) == "2027Q1"
    assert pages.default_quarter(datetime(2027, 1, 15, tzinfo=UTC), "Europe/Amsterdam") == "2026Q4"
    assert pages.default_quarter(datetime(2026, 11, 15, tzinfo=UTC), "Europe/Amsterdam") == "2026Q4"
    expiry = datetime(2026, 12, 6, 10, 0, tzinfo=AMS)
    assert pages.expiry_of(expiry, datetime(2026, 11, 24, 23, 0, tzinfo=AMS), AMS).text == "nog 12 dagen"
    assert pages.expiry_of(expiry, datetime(2026, 11, 29, 11, 0, tzinfo=AMS), AMS).urgent
    assert pages.expiry_of(expiry, datetime(2026, 12, 5, 11, 0, tzinfo=AMS), AMS).text == "nog 1 dag"
    assert pages.expiry_of(expiry, datetime(2026, 12, 6, 9, 0, tzinfo=AMS), AMS).text == "verloopt vandaag"
    assert pages.expiry_of(expiry, expiry, AMS).text == "verlopen"


def test_transcript_turns_follow_the_readable_transcripts_layout():
    markdown = ("# Transcript van gesprek C-1\n\nDatum: 2026-10-05\n\n_uitleg_\n\n"
                "**[00:00:01] Medewerker:** Goedemorgen, met Sanne.\n\n"
                "**[00:00:04] Klant:** Met [PERSOON-1], mijn nummer is [TELEFOONNUMMER-1].\n\n"
                "**[--:--] Onbekend:** *****\n")
    turns = pages.transcript_turns(markdown)
    assert [(t.time, t.speaker, t.role) for t in turns] == [
        ("00:00:01", "Medewerker", "medewerker"), ("00:00:04", "Klant", "klant"), ("--:--", "Onbekend", "ander")]
    assert turns[1].parts == (("Met ", False), ("[PERSOON-1]", True), (", mijn nummer is ", False),
                              ("[TELEFOONNUMMER-1]", True), (".", False))
