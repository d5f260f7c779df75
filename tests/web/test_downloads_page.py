"""The caller's copies of an access request on the downloads page (web/downloads.py): listed per
recording, fetched as attachments named after the ids, each fetch audited; refused like a missing
page where there is no such copy, with a plain Dutch page where it is not (or no longer) there. On
a real SQLite catalogue with the bundled sample calls; the requests are made through the library
or the pages, used through the TestClient like a browser."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from callscribe.pipeline.policy import audit, subjects
from callscribe.pipeline.settings import get_settings
from callscribe.web import jobs
from tests.web.cases_approvals import (
    CALL,
    CALLER,
    LISTEN_CALL,
    released_letter,
    subject_approved,
    subject_exported,
    subject_filed,
)
from tests.web.conftest import login_as

# the caller's number of CALL in the notations a page could show it
NUMBERS = (CALLER, "0641279358", "06 41279358", "641279358")
TYPES = {"pdf": "application/pdf", "json": "application/json"}


class NoJobs:
    """Stands in for the application's background jobs: nothing is queued in these tests."""

    def submit(self, job) -> bool:
        raise AssertionError(f"nothing should be queued here: {job!r}")

    def is_waiting(self, call_id: str) -> bool:
        return False

    def stop(self, timeout: float | None = None, finish_queued: bool = False) -> None:
        pass


@pytest.fixture(autouse=True)
def no_jobs(app) -> None:
    setattr(app.state, jobs.STATE_NAME, NoJobs())


def entries(engine, action: str) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(audit.audit_log).where(audit.audit_log.c.action == action)
                            .order_by(audit.audit_log.c.seq)).all()


def url(request_id: str, fmt: str, call_id: str = CALL) -> str:
    return f"/downloads/avg/{request_id}/{call_id}/{fmt}"


@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_the_complaint_desk_downloads_the_callers_copy_as_an_attachment_audited(client, staff, engine, settings, fmt):
    request_id = subject_exported(engine)
    login_as(client, staff["kim"])
    response = client.get(url(request_id, fmt))
    assert response.status_code == 200
    assert response.content == (settings.outbox_dir / f"{CALL}-{request_id}.{fmt}").read_bytes()
    assert response.headers["content-type"].split(";")[0] == TYPES[fmt]
    assert response.headers["content-disposition"] == f'attachment; filename="{request_id}-{CALL}.{fmt}"'
    assert response.headers["cache-control"] == "no-store"
    if fmt == "json":
        assert json.loads(response.content)["call_id"] == CALL
    else:
        assert response.content.startswith(b"%PDF")
    assert [(e.actor, e.subject, e.details) for e in entries(engine, "subject.export_downloaded")] == [
        ("kim", request_id, f'{{"call":"{CALL}","format":"{fmt}"}}')]


def test_the_downloads_page_lists_the_callers_copies_after_an_execution_in_the_browser(new_client, staff, engine):
    request_id = subject_approved(engine)
    letter = released_letter(engine)
    office, desk = new_client(), new_client()
    token = login_as(office, staff["ivo"])
    login_as(desk, staff["kim"])
    html = desk.get("/downloads").text
    assert "Er staan nu geen brieven voor bellers klaar." in html and request_id not in html

    done = office.post(f"/avg/{request_id}/uitvoeren", data={"csrf_token": token})
    assert done.status_code == 303, done.text[-2000:]
    html = desk.get("/downloads").text
    assert "Brieven voor bellers (inzageverzoeken)" in html
    assert f'href="{url(request_id, "pdf")}"' in html and f'href="{url(request_id, "json")}"' in html
    assert "Brief (PDF)" in html and "Gegevens (JSON)" in html
    assert "Stuur de brief alleen naar de beller die om inzage vroeg." in html
    assert f'href="/downloads/{letter}/pdf"' in html  # the letters stay listed beside them
    for number in NUMBERS:
        assert number not in html
    assert not entries(engine, "subject.export_downloaded")  # listing is not a download


def test_with_only_the_callers_copies_the_letters_section_says_it_is_empty(client, staff, engine):
    request_id = subject_exported(engine)
    login_as(client, staff["bob"])
    html = client.get("/downloads").text
    assert "Er staan nu geen vrijgegeven brieven of opnames klaar." in html
    assert f'href="{url(request_id, "pdf")}"' in html


def test_what_is_no_copy_for_the_caller_answers_like_a_missing_page(client, staff, engine):
    request_id = subject_exported(engine)
    erasure = subject_approved(engine, "erasure")
    letter = released_letter(engine)
    login_as(client, staff["kim"])
    missing = client.get("/bestaat-niet")
    for wrong in (url(request_id, "docx"), url(request_id, "md"), url("AVG-2026-9999", "pdf"),
                  url(letter, "pdf"), url(erasure, "pdf"), url(request_id, "pdf", LISTEN_CALL)):
        response = client.get(wrong)
        assert (response.status_code, response.text) == (404, missing.text), wrong
    assert not entries(engine, "subject.export_downloaded")


def test_a_coach_gets_the_same_404_as_for_a_missing_page_and_nothing_is_audited(client, staff, engine):
    request_id = subject_exported(engine)
    login_as(client, staff["cor"])
    missing = client.get("/bestaat-niet")
    response = client.get(url(request_id, "pdf"))
    assert (response.status_code, response.text) == (404, missing.text)
    assert not entries(engine, "subject.export_downloaded")


def test_before_it_is_carried_out_the_page_says_so_in_dutch(client, staff, engine):
    waiting = subject_approved(engine)
    filed = subject_filed(engine)
    login_as(client, staff["kim"])
    for request_id in (waiting, filed):
        response = client.get(url(request_id, "pdf"))
        assert response.status_code == 409 and "Nog niet uitgevoerd" in response.text
        assert "Dit inzageverzoek is nog niet uitgevoerd." in response.text and "%PDF" not in response.text
    assert subjects.get_request(engine, waiting).state == "approved"
    assert not entries(engine, "subject.export_downloaded")


def test_a_copy_past_its_expiry_or_gone_is_no_longer_available(client, staff, engine, settings, clock):
    request_id = subject_exported(engine)
    (settings.outbox_dir / f"{CALL}-{request_id}.json").unlink()  # gone, e.g. by hand
    login_as(client, staff["kim"])
    gone = client.get(url(request_id, "json"))
    assert gone.status_code == 410 and "Het bestand is niet meer aanwezig" in gone.text

    clock.advance(days=settings.outbox_days, minutes=1)
    login_as(client, staff["kim"])  # a session idle that long has ended
    response = client.get(url(request_id, "pdf"))
    assert response.status_code == 410
    assert "Niet meer beschikbaar" in response.text and "De termijn is voorbij" in response.text
    assert response.headers["content-type"].startswith("text/html") and "%PDF" not in response.text
    assert "Er staat nu niets klaar om te downloaden." in client.get("/downloads").text
    assert not entries(engine, "subject.export_downloaded")


def test_the_access_request_page_links_the_callers_letter_once_carried_out(client, engine, staff):
    """The complaint desk finds the caller's letters from the request itself."""
    request_id = subject_approved(engine)
    login_as(client, staff["kim"])
    assert url(request_id, "pdf") not in client.get(f"/avg/{request_id}").text, "not carried out yet"
    subjects.export(engine, get_settings(), request_id, "ivo")
    assert url(request_id, "pdf") in client.get(f"/avg/{request_id}").text
