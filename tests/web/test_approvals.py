"""Approving, releasing, downloads and listening back in the browser (web/approvals.py,
web/downloads.py, web/jobs.py), on a real SQLite catalogue with the bundled sample calls; the
requests are made through the library, the pages used through the TestClient like a browser. No
test runs Whisper or Prefect: the application's background jobs are a recorder, and the worker's
own tests run it with stand-in flows and cleanups."""

from __future__ import annotations

import os
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from callscribe.pipeline.errors import RecordingNotFoundError
from callscribe.pipeline.policy import audit, complaints, review, subjects
from callscribe.pipeline.storage import catalogue
from callscribe.web import approvals, jobs
from tests.web.cases_approvals import (
    CALL,
    CALLER,
    LISTEN_CALL,
    REJECTION,
    approved,
    calls,
    filed,
    released_letter,
    released_listen_back,
    reviewable,
    subject_approved,
    subject_filed,
)
from tests.web.conftest import login_as

# the caller's number of CALL in the notations a page could show it
NUMBERS = (CALLER, "0641279358", "06 41279358", "641279358")


class RecordedJobs:
    """Stands in for the application's background jobs: records what was queued (transcriptions
    and cleanups after an erasure), runs nothing; a queued call stays waiting."""

    def __init__(self) -> None:
        self.jobs: list[jobs.Job | jobs.ForgetRuns] = []

    def submit(self, job: jobs.Job | jobs.ForgetRuns) -> bool:
        if isinstance(job, jobs.Job) and self.is_waiting(job.call_id):
            return False
        self.jobs.append(job)
        return True

    def is_waiting(self, call_id: str) -> bool:
        return any(isinstance(job, jobs.Job) and job.call_id == call_id for job in self.jobs)

    def stop(self, timeout: float | None = None, finish_queued: bool = False) -> None:
        self.stopped = True  # the application stops its jobs when it shuts down


@pytest.fixture(autouse=True)
def recorded(app) -> RecordedJobs:
    recorder = RecordedJobs()
    setattr(app.state, jobs.STATE_NAME, recorder)
    return recorder


def entries(engine, action: str) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(audit.audit_log).where(audit.audit_log.c.action == action)
                            .order_by(audit.audit_log.c.seq)).all()


def post(client, url: str, token: str, **form):
    return client.post(url, data={**form, "csrf_token": token})


def location(response) -> str:
    assert response.status_code == 303, (response.status_code, response.text[-2000:])
    return response.headers["location"]


def no_number(text: str) -> None:
    for number in NUMBERS:
        assert number not in text


# --- dates and ages as the desk reads them ------------------------------------------------------------


def test_dates_ages_and_durations_read_as_plain_dutch():
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Amsterdam")
    assert approvals.local_time(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), zone) == "24 nov. 2026 10:00"
    assert approvals.local_time(datetime(2026, 7, 1, 22, 5, tzinfo=UTC), zone) == "2 jul. 2026 00:05"  # summer time
    assert approvals.local_time(datetime(2026, 5, 3, 8, 0, tzinfo=UTC), zone) == "3 mei 2026 10:00"
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    ages = [approvals.age(now - delta, now) for delta in (
        timedelta(days=3, hours=5), timedelta(days=1), timedelta(hours=5), timedelta(minutes=1), timedelta(minutes=12),
        timedelta(seconds=20), timedelta(seconds=-5))]
    assert ages == ["3 dagen", "1 dag", "5 uur", "1 minuut", "12 minuten", "minder dan een minuut",
                    "minder dan een minuut"]
    assert [approvals.duration(s) for s in (None, 45, 252.4, 3720)] == ["onbekend", "45 s", "4 min 12 s", "1 u 02 min"]


# --- the queue ----------------------------------------------------------------------------------------


def test_the_queue_shows_open_requests_oldest_first_with_age_reason_and_the_call_but_never_the_number(
        client, staff, engine, clock):
    first = filed(engine)
    second = filed(engine, "listen_back", LISTEN_CALL)
    decided = approved(engine)  # decided already: not in the queue
    clock.now = datetime.now(UTC) + timedelta(days=3, hours=1)
    login_as(client, staff["bob"])
    page = client.get("/goedkeuren")
    assert page.status_code == 200
    html = page.text
    assert html.index(f"{first} · Transcript") < html.index(f"{second} · Terugluisteren")
    assert decided not in html
    assert html.count("wacht 3 dagen") == 2
    assert "De klant betwist wat er in dit gesprek is afgesproken over de factuur." in html
    recording = catalogue.get_recording(engine, CALL)
    assert approvals.local_time(recording.call_start, approvals.ZoneInfo("Europe/Amsterdam")) in html
    assert "MW-017" in html and "inkomend" in html and CALL in html
    complaint = complaints.get_request(engine, first).complaint_id
    assert f"Klacht {complaint}" in html
    no_number(html)
    assert 'href="/vrijgeven"' in html and "Vier ogen" in html


def test_an_empty_queue_says_so(client, staff):
    login_as(client, staff["anna"])
    html = client.get("/goedkeuren").text
    assert "Geen verzoeken die op een beslissing wachten." in html
    assert "Geen inzage- of verwijderverzoeken die op een beslissing wachten." in html
    release = client.get("/vrijgeven").text
    assert "Geen goedgekeurde verzoeken om vrij te geven." in release


def test_approving_with_a_note_goes_on_with_a_message_that_carries_only_the_id(client, staff, engine, recorded):
    request_id = filed(engine)
    token = login_as(client, staff["bob"])
    done = location(post(client, f"/verzoeken/{request_id}/goedkeuren", token, note="Akkoord, gesprek is relevant."))
    assert done == f"/goedkeuren/melding/goedgekeurd/{request_id}"
    assert f"Verzoek {request_id} is goedgekeurd." in client.get(done).text
    shown = complaints.get_request(engine, request_id)
    assert (shown.state, shown.decided_by, shown.decision_reason) == ("approved", "bob", "Akkoord, gesprek is relevant.")
    assert [e.actor for e in entries(engine, "request.approved")] == ["bob"]
    assert recorded.jobs == []  # the call is transcribed already


def test_a_rejection_needs_a_written_reason_shown_next_to_the_field(client, staff, engine):
    request_id = filed(engine)
    token = login_as(client, staff["anna"])
    refused = post(client, f"/verzoeken/{request_id}/afwijzen", token, reason="Nee.")
    assert refused.status_code == 400
    assert f'id="reden-fout-{request_id}"' in refused.text and "Schrijf een reden van minstens 30 tekens." in refused.text
    assert 'aria-invalid="true"' in refused.text and "<details class=\"reject\" open>" in refused.text
    assert ">Nee.</textarea>" in refused.text  # what was typed stays
    assert complaints.get_request(engine, request_id).state == "requested"

    done = location(post(client, f"/verzoeken/{request_id}/afwijzen", token, reason=REJECTION))
    assert done == f"/goedkeuren/melding/afgewezen/{request_id}"
    assert "is afgewezen" in client.get(done).text
    shown = complaints.get_request(engine, request_id)
    assert (shown.state, shown.decided_by, shown.decision_reason) == ("rejected", "anna", REJECTION)


def test_nobody_approves_their_own_request_and_the_page_says_why_in_dutch(client, staff, engine):
    calls(engine)
    complaint = complaints.register_complaint(engine, "bob", channel="telefoon", received_at=datetime.now(UTC),
                                              description="Klacht over het gesprek.", call_ids=(CALL,))
    request_id = complaints.create_request(engine, "bob", kind="transcript", call_id=CALL, complaint_id=complaint.complaint_id,
                                           reason="De klant betwist wat er in dit gesprek is afgesproken.").request_id
    token = login_as(client, staff["bob"])
    queue = client.get("/goedkeuren").text
    assert "U heeft dit verzoek zelf ingediend. Een andere teamleider" in queue
    assert f'action="/verzoeken/{request_id}/goedkeuren"' not in queue, "no decision is offered on your own request"
    refused = post(client, f"/verzoeken/{request_id}/goedkeuren", token)  # sent anyway
    assert refused.status_code == 400
    assert "mag er daarom niet zelf over beslissen (vier-ogenprincipe)" in refused.text
    assert "<summary>Technische melding</summary><p>user bob made this request and cannot also decide" in refused.text
    assert complaints.get_request(engine, request_id).state == "requested"
    assert not entries(engine, "request.approved")


def test_a_decision_someone_else_took_first_is_reported_not_repeated(client, staff, engine):
    request_id = filed(engine)
    token = login_as(client, staff["bob"])
    complaints.approve_request(engine, "anna", request_id)
    refused = post(client, f"/verzoeken/{request_id}/afwijzen", token, reason=REJECTION)
    assert refused.status_code == 400 and "Over dit verzoek is al beslist." in refused.text
    assert complaints.get_request(engine, request_id).state == "approved"


def test_unknown_requests_and_messages_answer_like_missing_pages(client, staff):
    token = login_as(client, staff["bob"])
    missing = client.get("/bestaat-niet")
    for response in (post(client, "/verzoeken/V-2026-9999/goedkeuren", token),
                     client.get("/goedkeuren/melding/onbekend/V-2026-0001"),
                     client.get("/goedkeuren/melding/goedgekeurd/naam-van-iemand"),
                     client.get("/goedkeuren/melding/vrijgegeven/V-2026-0001")):  # a code of the other page
        assert (response.status_code, response.text) == (404, missing.text)


# --- transcription after approval ----------------------------------------------------------------------


def test_approving_a_transcript_request_of_an_untranscribed_call_starts_its_transcription(client, staff, engine,
                                                                                         recorded):
    request_id = filed(engine, transcribed=False)
    listen = filed(engine, "listen_back", LISTEN_CALL, transcribed=False)
    token = login_as(client, staff["bob"])
    done = location(post(client, f"/verzoeken/{request_id}/goedkeuren", token))
    assert done == f"/goedkeuren/melding/goedgekeurd-transcriptie/{request_id}"
    assert recorded.jobs == [jobs.Job(CALL, "quality")]
    planned = entries(engine, "recordings.transcribe")
    assert [(e.actor, e.subject) for e in planned] == [("bob", "recordings")] and request_id in planned[0].details
    assert location(post(client, f"/verzoeken/{listen}/goedkeuren", token)).endswith(f"/goedgekeurd/{listen}")
    assert recorded.jobs == [jobs.Job(CALL, "quality")]  # a listen-back request needs no transcript


def test_the_release_page_follows_the_transcription_and_polls_only_while_it_runs(client, staff, engine, recorded):
    request_id = approved(engine, transcribed=False)
    login_as(client, staff["ivo"])
    fragment = f"/verzoeken/{request_id}/transcriptie"

    page = client.get("/vrijgeven").text
    cell = page[page.index(f'id="stand-{request_id}"'):]
    assert "Het uitschrijven is nog niet gestart." in cell and "hx-trigger" not in cell.split("</td>")[0]
    assert f'action="/verzoeken/{request_id}/transcriberen"' in page and "Uitschrijven starten" in page

    recorded.jobs.append(jobs.Job(CALL, "quality"))  # queued
    waiting = client.get(fragment, headers={"HX-Request": "true"})
    assert waiting.status_code == 200 and waiting.text.lstrip().startswith("<td")
    assert 'hx-trigger="every 3s"' in waiting.text and f'hx-get="{fragment}"' in waiting.text and ">wacht<" in waiting.text
    assert waiting.headers["cache-control"] == "no-store"

    catalogue.claim(engine, CALL)
    running = client.get(fragment).text
    assert ">bezig<" in running and 'hx-trigger="every 3s"' in running

    catalogue.finish(engine, CALL, catalogue.RecordingState.FAILED, "transcribe: AudioError")
    recorded.jobs.clear()
    failed = client.get(fragment).text
    assert ">mislukt<" in failed and "Reden: transcribe: AudioError" in failed and "hx-trigger" not in failed
    assert "Opnieuw uitschrijven" in client.get("/vrijgeven").text

    catalogue.set_state(engine, CALL, catalogue.RecordingState.TRANSCRIBED)
    done = client.get(fragment).text
    assert ">klaar<" in done and "hx-trigger" not in done


def test_a_failed_transcription_is_started_again_from_the_release_page(client, staff, engine, recorded):
    request_id = approved(engine, transcribed=False)
    catalogue.set_state(engine, CALL, catalogue.RecordingState.FAILED, "transcribe: AudioError")
    token = login_as(client, staff["ivo"])
    done = location(post(client, f"/verzoeken/{request_id}/transcriberen", token))
    assert done == f"/vrijgeven/melding/transcriptie-gestart/{request_id}"
    assert recorded.jobs == [jobs.Job(CALL, "quality")]
    assert [e.actor for e in entries(engine, "recordings.transcribe")] == ["ivo"]
    assert location(post(client, f"/verzoeken/{request_id}/transcriberen", token)).endswith(f"/bezig/{request_id}")
    assert len(recorded.jobs) == 1


def test_the_state_fragment_is_only_for_approved_transcript_requests(client, staff, engine):
    login_as(client, staff["bob"])
    missing = client.get("/bestaat-niet").text
    for request_id in (filed(engine), approved(engine, "listen_back", LISTEN_CALL), "V-2026-9999"):
        response = client.get(f"/verzoeken/{request_id}/transcriptie")
        assert (response.status_code, response.text) == (404, missing)


# --- release ------------------------------------------------------------------------------------------


def test_release_is_refused_while_flagged_redactions_await_review_then_works(client, staff, engine, settings):
    request_id = reviewable(engine, flagged=True)
    token = login_as(client, staff["ivo"])
    page = client.get("/vrijgeven").text
    assert "Gemarkeerde redacties wachten op controle" in page
    assert f'href="/verzoeken/{request_id}/controle"' not in page  # the ICT back office does not review

    refused = post(client, f"/verzoeken/{request_id}/vrijgeven", token)
    assert refused.status_code == 400
    assert "3 gemarkeerde redacties moeten eerst worden bevestigd of ongedaan gemaakt" in refused.text
    assert f'href="/verzoeken/{request_id}/controle"' in refused.text
    assert complaints.get_request(engine, request_id).state == "approved"
    assert not list(settings.outbox_dir.glob("*")) if settings.outbox_dir.exists() else True

    review.confirm_all_flagged(engine, settings, request_id, "bob")
    assert "Klaar om vrij te geven." in client.get(f"/verzoeken/{request_id}/transcriptie").text
    done = location(post(client, f"/verzoeken/{request_id}/vrijgeven", token))
    assert done == f"/vrijgeven/melding/vrijgegeven/{request_id}"
    message = client.get(done).text
    assert f"Verzoek {request_id} is vrijgegeven." in message
    assert f'href="/downloads/{request_id}/pdf"' in message and f'href="/downloads/{request_id}/docx"' in message
    released = complaints.get_request(engine, request_id)
    assert (released.state, released.released_by) == ("released", "ivo")
    assert (settings.outbox_dir / f"{CALL}-{request_id}.pdf").is_file()


def test_a_reviewer_sees_the_link_to_the_review_page(client, staff, engine):
    request_id = reviewable(engine, flagged=True)
    login_as(client, staff["anna"])
    assert f'href="/verzoeken/{request_id}/controle"' in client.get("/vrijgeven").text


def test_release_before_the_call_is_transcribed_says_to_wait(client, staff, engine):
    request_id = approved(engine, transcribed=False)
    token = login_as(client, staff["anna"])
    refused = post(client, f"/verzoeken/{request_id}/vrijgeven", token)
    assert refused.status_code == 400 and "Het gesprek is nog niet uitgeschreven." in refused.text
    assert complaints.get_request(engine, request_id).state == "approved"


def test_a_listen_back_request_is_released_with_a_link_to_the_player(client, staff, engine):
    request_id = approved(engine, "listen_back", LISTEN_CALL)
    token = login_as(client, staff["bob"])
    done = location(post(client, f"/verzoeken/{request_id}/vrijgeven", token))
    assert f'href="/luisteren/{request_id}"' in client.get(done).text
    again = post(client, f"/verzoeken/{request_id}/vrijgeven", token)
    assert again.status_code == 400 and "Dit verzoek is al vrijgegeven." in again.text


# --- downloads ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "media_type"), [
    ("pdf", "application/pdf"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_the_complaint_desk_downloads_the_released_letter_audited(client, staff, engine, settings, fmt, media_type):
    request_id = released_letter(engine)
    login_as(client, staff["kim"])
    response = client.get(f"/downloads/{request_id}/{fmt}")
    assert response.status_code == 200
    assert response.content == (settings.outbox_dir / f"{CALL}-{request_id}.{fmt}").read_bytes()
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"] == f'attachment; filename="{request_id}.{fmt}"'
    assert response.headers["cache-control"] == "no-store"
    assert [(e.actor, e.subject, e.details) for e in entries(engine, "letter.downloaded")] == [
        ("kim", request_id, f'{{"call":"{CALL}","format":"{fmt}"}}')]


def test_a_coach_gets_the_same_404_as_for_a_missing_page_and_nothing_is_audited(client, staff, engine):
    request_id = released_letter(engine)
    login_as(client, staff["cor"])
    missing = client.get("/bestaat-niet")
    for url in (f"/downloads/{request_id}/pdf", "/downloads", f"/luisteren/{request_id}"):
        response = client.get(url)
        assert (response.status_code, response.text) == (404, missing.text)
    assert not entries(engine, "letter.downloaded")


def test_what_is_not_a_released_letter_is_not_found_or_not_yet_there(client, staff, engine):
    request_id = released_letter(engine)
    listen = released_listen_back(engine)
    waiting = approved(engine)
    login_as(client, staff["kim"])
    missing = client.get("/bestaat-niet")
    for url in (f"/downloads/{request_id}/md", f"/downloads/{listen}/pdf", "/downloads/V-2026-9999/pdf"):
        response = client.get(url)
        assert (response.status_code, response.text) == (404, missing.text)
    early = client.get(f"/downloads/{waiting}/pdf")
    assert early.status_code == 409 and "Nog niet vrijgegeven" in early.text and "%PDF" not in early.text


def test_a_letter_past_its_expiry_is_no_longer_available(client, staff, engine, settings, clock):
    request_id = released_letter(engine)
    clock.advance(days=settings.outbox_days, minutes=1)
    login_as(client, staff["kim"])
    response = client.get(f"/downloads/{request_id}/pdf")
    assert response.status_code == 410
    assert "Niet meer beschikbaar" in response.text and "De termijn is voorbij" in response.text
    assert response.headers["content-type"].startswith("text/html") and "%PDF" not in response.text
    assert "Er staat nu niets klaar om te downloaden." in client.get("/downloads").text
    assert not entries(engine, "letter.downloaded")


def test_the_downloads_page_lists_letters_and_for_who_may_listen_the_recordings(new_client, staff, engine, clock):
    letter = released_letter(engine)
    listen = released_listen_back(engine)
    desk, leader = new_client(), new_client()
    login_as(desk, staff["kim"])
    login_as(leader, staff["bob"])
    html = desk.get("/downloads").text
    assert f'href="/downloads/{letter}/pdf"' in html and f'href="/downloads/{letter}/docx"' in html
    assert listen not in html and "/luisteren/" not in html
    html = leader.get("/downloads").text
    assert f'href="/luisteren/{listen}"' in html and f'href="/downloads/{letter}/pdf"' in html
    assert html.index(listen) < html.index(letter)  # the newest release first
    no_number(html)


# --- listening back -----------------------------------------------------------------------------------


def test_a_released_recording_plays_within_its_window_each_fetch_audited(client, staff, engine, settings, clock):
    request_id = released_listen_back(engine)
    login_as(client, staff["bob"])
    page = client.get(f"/luisteren/{request_id}")
    assert page.status_code == 200
    assert "<audio controls" in page.text and f'src="/luisteren/{request_id}/audio"' in page.text
    assert 'type="audio/flac"' in page.text and "Beschikbaar tot" in page.text
    no_number(page.text)
    assert not entries(engine, "audio.listened")  # the page plays nothing

    copy = settings.outbox_dir / f"{LISTEN_CALL}-{request_id}.flac"
    whole = client.get(f"/luisteren/{request_id}/audio")
    assert whole.status_code == 200 and whole.content == copy.read_bytes()
    assert whole.headers["content-type"] == "audio/flac" and whole.headers["cache-control"] == "no-store"
    assert "attachment" not in whole.headers.get("content-disposition", "")
    part = client.get(f"/luisteren/{request_id}/audio", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == copy.read_bytes()[:100]
    assert [(e.actor, e.subject) for e in entries(engine, "audio.listened")] == [("bob", request_id)] * 2

    clock.advance(hours=settings.listen_copy_hours, minutes=1)
    login_as(client, staff["bob"])  # a session idle that long has ended
    gone = client.get(f"/luisteren/{request_id}")
    assert gone.status_code == 410 and "Niet meer beschikbaar" in gone.text and "<audio" not in gone.text
    assert client.get(f"/luisteren/{request_id}/audio").status_code == 410
    assert len(entries(engine, "audio.listened")) == 2


def test_the_complaint_desk_does_not_listen_back(client, staff, engine):
    request_id = released_listen_back(engine)
    login_as(client, staff["kim"])
    missing = client.get("/bestaat-niet").text
    for url in (f"/luisteren/{request_id}", f"/luisteren/{request_id}/audio"):
        response = client.get(url)
        assert (response.status_code, response.text) == (404, missing)
    assert not entries(engine, "audio.listened")


# --- data-subject requests ---------------------------------------------------------------------------


def test_subject_requests_are_decided_on_the_queue_page(client, staff, engine, recorded):
    access = subject_filed(engine, transcribed=False)
    erasure = subject_filed(engine, "erasure", transcribed=False)
    token = login_as(client, staff["bob"])
    html = client.get("/goedkeuren").text
    assert f"{access} · Inzage" in html and f"{erasure} · Verwijdering" in html
    assert "Het telefoonnummer is alleen gebruikt" in html
    no_number(html)

    assert location(post(client, f"/avg/{access}/goedkeuren", token)) == f"/goedkeuren/melding/avg-goedgekeurd/{access}"
    assert subjects.get_request(engine, access).state == "approved"
    assert recorded.jobs == [jobs.Job(CALL, "access_request")]  # the caller's letter holds what was said

    refused = post(client, f"/avg/{erasure}/afwijzen", token, reason="kort")
    assert refused.status_code == 400 and f'id="reden-fout-{erasure}"' in refused.text
    assert location(post(client, f"/avg/{erasure}/afwijzen", token, reason=REJECTION)).endswith(f"/avg-afgewezen/{erasure}")
    assert subjects.get_request(engine, erasure).state == "rejected"


def test_nobody_decides_on_their_own_subject_request(client, staff, engine):
    calls(engine)
    from callscribe.pipeline.settings import get_settings

    request_id = subjects.file_request(engine, get_settings(), "access", CALLER,
                                       "De beller wil weten welke gesprekken zijn opgenomen.", "bob").request_id
    token = login_as(client, staff["bob"])
    refused = post(client, f"/avg/{request_id}/goedkeuren", token)
    assert refused.status_code == 400 and "vier-ogenprincipe" in refused.text
    assert subjects.get_request(engine, request_id).state == "requested"


def test_an_access_request_is_carried_out_into_letters_for_the_caller(client, staff, engine, settings):
    request_id = subject_approved(engine)
    token = login_as(client, staff["ivo"])
    html = client.get("/vrijgeven").text
    assert f"{request_id} · Inzage" in html and "Brieven klaarzetten" in html
    done = location(post(client, f"/avg/{request_id}/uitvoeren", token))
    assert done == f"/vrijgeven/melding/avg-uitgevoerd-access/{request_id}"
    assert "De brieven voor de beller staan klaar" in client.get(done).text
    assert subjects.get_request(engine, request_id).state == "executed"
    assert (settings.outbox_dir / f"{CALL}-{request_id}.pdf").is_file()


def test_an_erasure_needs_an_explicit_confirmation_and_held_calls_an_explicit_override(client, staff, engine,
                                                                                       recorded):
    request_id = subject_approved(engine, "erasure")
    holder = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                           description="Klacht over het gesprek.", call_ids=(CALL,)).complaint_id
    token = login_as(client, staff["ivo"])
    html = client.get("/vrijgeven").text
    assert f"{CALL} ({holder})" in html and 'name="override_holds"' in html and 'name="confirm"' in html

    unconfirmed = post(client, f"/avg/{request_id}/uitvoeren", token)
    assert unconfirmed.status_code == 400 and f'id="bevestig-fout-{request_id}"' in unconfirmed.text
    assert "definitief wilt laten verwijderen" in unconfirmed.text

    held = post(client, f"/avg/{request_id}/uitvoeren", token, confirm="ja")
    assert held.status_code == 400 and "worden bewaard voor een open klacht of verzoek" in held.text
    assert f'id="toch-fout-{request_id}"' in held.text
    assert catalogue.get_recording(engine, CALL)  # nothing was erased
    assert subjects.get_request(engine, request_id).state == "approved"
    assert recorded.jobs == []  # nothing to forget yet

    done = location(post(client, f"/avg/{request_id}/uitvoeren", token, confirm="ja", override_holds="ja"))
    assert done == f"/vrijgeven/melding/avg-uitgevoerd-erasure/{request_id}"
    with pytest.raises(RecordingNotFoundError):
        catalogue.get_recording(engine, CALL)
    erased = entries(engine, "subject.erased")
    assert [(e.actor, e.subject) for e in erased] == [("ivo", request_id)] and '"holds_overridden":true' in erased[0].details
    # the Prefect runs that name the erased call are forgotten in the background, as the CLI's flow does
    assert recorded.jobs == [jobs.ForgetRuns(request_id, (CALL,))]


def test_an_erasure_that_could_not_delete_everything_still_forgets_the_runs_of_its_calls(client, staff, engine,
                                                                                        recorded, monkeypatch):
    from callscribe.pipeline.policy import retention

    request_id = subject_approved(engine, "erasure")
    audio = catalogue.get_recording(engine, CALL).audio_path

    def refuse_audio(path):
        if str(path).endswith(audio):
            raise PermissionError(13, "denied")
        os.unlink(path)

    monkeypatch.setattr(retention, "_unlink", refuse_audio)
    token = login_as(client, staff["ivo"])
    partly = post(client, f"/avg/{request_id}/uitvoeren", token, confirm="ja")
    assert partly.status_code == 400 and "Niet alle gesprekken konden helemaal worden verwijderd" in partly.text
    assert subjects.get_request(engine, request_id).state == "executed"
    assert recorded.jobs == [jobs.ForgetRuns(request_id, (CALL,))]


def test_an_erasure_stands_when_its_cleanup_cannot_be_queued(client, staff, engine, app):
    class Stopped:
        def submit(self, job):
            raise jobs.NotQueued("the background worker has stopped")

        def is_waiting(self, call_id: str) -> bool:
            return False

        def stop(self, timeout: float | None = None, finish_queued: bool = False) -> None:
            pass

    setattr(app.state, jobs.STATE_NAME, Stopped())
    request_id = subject_approved(engine, "erasure")
    token = login_as(client, staff["ivo"])
    done = location(post(client, f"/avg/{request_id}/uitvoeren", token, confirm="ja"))
    assert done == f"/vrijgeven/melding/avg-uitgevoerd-erasure/{request_id}"
    assert subjects.get_request(engine, request_id).state == "executed"


# --- the worker ---------------------------------------------------------------------------------------


def test_the_worker_runs_one_job_at_a_time_and_each_call_once_while_it_waits(engine, staff):
    started, go, ran = threading.Event(), threading.Event(), []

    def stand_in(job):
        ran.append(job)
        started.set()
        assert go.wait(30)

    worker = jobs.TranscriptionJobs(stand_in, limit=2)
    try:
        assert worker.submit(jobs.Job("A", "quality"))
        assert started.wait(30)  # A is running now
        assert not worker.submit(jobs.Job("A", "quality")) and worker.is_waiting("A")
        assert worker.submit(jobs.Job("B", "quality")) and worker.submit(jobs.Job("C", "coaching"))
        with pytest.raises(jobs.NotQueued, match="2 transcriptions are waiting"):
            worker.submit(jobs.Job("D", "quality"))
        go.set()
        assert worker.wait_until_idle(30)
        assert ran == [jobs.Job("A", "quality"), jobs.Job("B", "quality"), jobs.Job("C", "coaching")]
        assert not worker.is_waiting("A")
        assert worker.submit(jobs.Job("A", "quality")) and worker.wait_until_idle(30)  # done: may run again
    finally:
        worker.stop(30)
    with pytest.raises(jobs.NotQueued, match="stopped"):
        worker.submit(jobs.Job("E", "quality"))


def test_stopping_the_worker_drops_what_waits_and_lets_the_running_job_end(engine, staff):
    started, go, ran = threading.Event(), threading.Event(), []

    def stand_in(job):
        ran.append(job.call_id)
        started.set()
        assert go.wait(30)

    worker = jobs.TranscriptionJobs(stand_in)
    worker.submit(jobs.Job("A", "quality"))
    assert started.wait(30)
    worker.submit(jobs.Job("B", "quality"))
    worker.stop(0)  # does not wait for A
    assert worker.is_waiting("A") and not worker.is_waiting("B")
    go.set()
    assert worker.wait_until_idle(30)
    assert ran == ["A"]


def test_a_job_that_cannot_run_marks_its_call_failed_and_the_worker_goes_on(engine, staff):
    calls(engine)
    ran = []

    def stand_in(job):
        ran.append(job.call_id)
        if job.call_id == CALL:
            raise RuntimeError("a message that may hold anything")

    worker = jobs.TranscriptionJobs(stand_in, engine=engine)
    try:
        worker.submit(jobs.Job(CALL, "quality"))
        worker.submit(jobs.Job(LISTEN_CALL, "quality"))
        assert worker.wait_until_idle(30)
    finally:
        worker.stop(30)
    assert ran == [CALL, LISTEN_CALL]
    failed = catalogue.get_recording(engine, CALL)
    assert (failed.state, failed.failure_reason) == ("failed", "the transcription could not start: RuntimeError")
    assert catalogue.get_recording(engine, LISTEN_CALL).state == "ingested"


def test_the_cleanup_after_an_erasure_runs_on_the_same_thread_after_what_was_queued_before_it(engine, staff):
    started, go, ran = threading.Event(), threading.Event(), []

    def transcribe(job):
        ran.append((threading.current_thread().name, job))
        started.set()
        assert go.wait(30)

    def forget(job):
        ran.append((threading.current_thread().name, job))

    worker = jobs.TranscriptionJobs(transcribe, forget=forget, limit=1)
    cleanup = jobs.ForgetRuns("AVG-2026-0001", ("A", "B"))
    try:
        assert worker.submit(jobs.Job("A", "quality"))
        assert started.wait(30)  # A is running
        assert worker.submit(jobs.Job("B", "quality"))  # the one transcription that may wait
        assert worker.submit(cleanup)  # a cleanup is not held to the limit of waiting transcriptions
        assert not worker.submit(cleanup)  # nor queued twice
        with pytest.raises(jobs.NotQueued, match="1 transcriptions are waiting"):
            worker.submit(jobs.Job("C", "quality"))
        assert not worker.is_waiting("AVG-2026-0001")  # a cleanup is no transcription
        go.set()
        assert worker.wait_until_idle(30)
    finally:
        worker.stop(30)
    assert ran == [("callscribe-transcriptions", jobs.Job("A", "quality")),
                   ("callscribe-transcriptions", jobs.Job("B", "quality")),
                   ("callscribe-transcriptions", cleanup)]
    with pytest.raises(jobs.NotQueued, match="stopped"):
        worker.submit(jobs.ForgetRuns("AVG-2026-0002", ("C",)))


def test_a_cleanup_that_fails_is_logged_by_type_and_the_worker_goes_on(engine, staff, caplog):
    ran = []

    def forget(job):
        ran.append(job.request_id)
        raise RuntimeError("a message that may hold anything")

    worker = jobs.TranscriptionJobs(lambda job: ran.append(job.call_id), forget=forget, engine=engine)
    try:
        with caplog.at_level("WARNING", logger="callscribe.web.jobs"):
            worker.submit(jobs.ForgetRuns("AVG-2026-0001", (CALL,)))
            worker.submit(jobs.Job(LISTEN_CALL, "quality"))
            assert worker.wait_until_idle(30)
    finally:
        worker.stop(30)
    assert ran == ["AVG-2026-0001", LISTEN_CALL]
    assert "AVG-2026-0001" in caplog.text and "RuntimeError" in caplog.text
    assert "may hold anything" not in caplog.text


def test_stopping_the_worker_drops_a_waiting_cleanup(engine, staff):
    started, go = threading.Event(), threading.Event()
    forgotten = []

    def transcribe(job):
        started.set()
        assert go.wait(30)

    worker = jobs.TranscriptionJobs(transcribe, forget=forgotten.append)
    worker.submit(jobs.Job("A", "quality"))
    assert started.wait(30)
    worker.submit(jobs.ForgetRuns("AVG-2026-0001", ("A",)))
    worker.stop(0)
    go.set()
    assert worker.wait_until_idle(30)
    assert forgotten == []


def test_the_real_cleanup_starts_prefect_once_and_forgets_the_runs_of_the_erased_calls(monkeypatch):
    from callscribe.flows import retention, server

    tied, forgotten = [], []

    class Task:  # stands in for the Prefect task; the worker calls its body, .fn
        @staticmethod
        def fn(call_ids):
            forgotten.append((threading.current_thread().name, call_ids))
            return 2

    monkeypatch.setattr(server, "tie_temporary_server", lambda: tied.append(1))
    monkeypatch.setattr(retention, "forget_runs_of", Task)
    jobs._prefect_ready.cache_clear()
    worker = jobs.TranscriptionJobs(lambda job: None)
    try:
        worker.submit(jobs.ForgetRuns("AVG-2026-0001", ("TBI-1", "TBI-2")))
        worker.submit(jobs.ForgetRuns("AVG-2026-0002", ("TBI-3",)))
        assert worker.wait_until_idle(30)
    finally:
        worker.stop(30)
        jobs._prefect_ready.cache_clear()
    assert tied == [1]
    assert forgotten == [("callscribe-transcriptions", ["TBI-1", "TBI-2"]),
                         ("callscribe-transcriptions", ["TBI-3"])]


def test_the_real_worker_starts_prefect_once_and_runs_the_flow_per_call(monkeypatch):
    from callscribe.flows import server, transcribe

    tied, runs = [], []

    def flow(**parameters):
        runs.append((threading.current_thread().name, parameters))
        return {"transcribed": 1}

    monkeypatch.setattr(server, "tie_temporary_server", lambda: tied.append(1))
    monkeypatch.setattr(transcribe, "with_concurrency", lambda parallel: flow if parallel == 1 else None)
    jobs._prefect_ready.cache_clear()
    worker = jobs.TranscriptionJobs()
    try:
        worker.submit(jobs.Job("TBI-1", "quality"))
        worker.submit(jobs.Job("TBI-2", "access_request"))
        assert worker.wait_until_idle(30)
    finally:
        worker.stop(30)
        jobs._prefect_ready.cache_clear()
    assert tied == [1]
    assert runs == [("callscribe-transcriptions", {"recording_ids": ["TBI-1"], "purpose": "quality"}),
                    ("callscribe-transcriptions", {"recording_ids": ["TBI-2"], "purpose": "access_request"})]


def test_the_application_keeps_one_worker_on_its_catalogue(settings, clock):
    from callscribe.web.app import create_app

    app = create_app(settings, clock=clock)
    made = jobs.of(app)
    assert isinstance(made, jobs.TranscriptionJobs) and jobs.of(app) is made
    assert made._engine is app.state.web.engine and made._run is jobs.run_flow and made._forget is jobs.forget_runs


def test_no_page_of_this_area_puts_personal_data_or_a_query_string_in_a_redirect(client, staff, engine):
    token = login_as(client, staff["bob"])
    for url, form in ((f"/verzoeken/{filed(engine)}/goedkeuren", {}),
                      (f"/verzoeken/{filed(engine)}/afwijzen", {"reason": REJECTION}),
                      (f"/avg/{subject_filed(engine)}/goedkeuren", {})):
        target = location(post(client, url, token, **form))
        assert "?" not in target and re.fullmatch(r"/goedkeuren/melding/[a-z-]+/(V|AVG)-\d{4}-\d{4}", target)
