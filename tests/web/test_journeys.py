"""The four journeys of issue 12 (point 6) in Chromium, as the people at each desk take them:
clicks, typed forms, a text selection with the mouse, a download; never a request behind the
page's back. Each runs on a real SQLite catalogue in the test's home with the bundled sample calls
ingested (dated in the previous month, as the demo does), served by uvicorn on 127.0.0.1.

(a) The complaint desk registers a complaint and files a transcript request; a team leader
    approves it, which transcribes the call for real in the background (Whisper base, the
    ``transcribe-recordings`` flow on Prefect's test server; the review threshold raised so that
    the redactor flags spans), reviews the redactions (adds one by selecting text with the mouse,
    confirms the flags), a manager releases, and the complaint desk downloads the
    PDF letter: it holds the complaint number and the added tag, and none of the call's personal
    data (``data/samples/samples_pii.json``).
(b) A team leader files a request and cannot approve it: the queue shows the refusal, and the
    request stays requested.
(c) A coach sees the quarter's picks (the library's keyed draw of last month) and logs a session.
(d) A manager sees the dashboard, its four charts loaded as images, and verifies the audit log.

Every journey ends without a console error or Content-Security-Policy violation and without a
failed response (but the one refusal journey (b) is about), and saves a screenshot of each main
step under ``$CALLSCRIBE_SCREENSHOTS/screenshots/<journey>/`` (default: the test's tmp_path); the
folder is printed. ``CALLSCRIBE_SCREENSHOTS=docs/screenshots-run`` gives the README's pictures.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from callscribe.pipeline.policy import coaching, complaints, transcribing
from callscribe.pipeline.storage.schema import audit_log
from callscribe.web import jobs
from tests.test_letters import pdf_text
from tests.web.browser import browser, live_server, log_in, page  # noqa: F401 (fixtures)

# Read when the module is collected: the ``home`` fixture clears every CALLSCRIBE_* variable.
SCREENSHOTS = os.environ.get("CALLSCRIBE_SCREENSHOTS")

CALL = "TBI-2026-000102"  # the shortest sample (36 s): a name, a postcode, a customer number, numbers
OWN_CALL = "TBI-2026-000103"
COMPLAINT_TEXT = ("Klant belde over een storing: de monteur zou tussen 8 en 12 uur komen maar kwam niet. "
                  "Klant wil schriftelijk terugzien wat er is toegezegd.")
REASON = "Klant wil schriftelijk nalezen wat de medewerker over het bezoek van de monteur heeft toegezegd."
NOTE = "Rustig gebleven en de afspraak goed herhaald; volgende keer het adres laten spellen."
TRANSCRIBED_WITHIN_MS = 10 * 60 * 1000  # Whisper on a busy 2-core machine, Prefect's server included
# Spans scoring below this are flagged for the reviewer. Whisper hears the synthetic voices
# differently from run to run (its sampling fallback draws from per-thread generators), so with the
# default (0.5) the call may come out without a flag; the names it always has score 0.6-0.85.
REVIEW_THRESHOLD = "0.9"
CHART_COUNT = 4


class Screenshots:
    """Numbered full-page screenshots of one journey: ``<root>/screenshots/<journey>/01-<step>.png``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: list[Path] = []

    def __call__(self, tab, step: str) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{step}.png"
        tab.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


class WallClock:
    """The application's clock in a journey: the real time, as the library's own steps and the
    background transcription keep it (a fixed clock would date the page's steps before the
    library's, and show negative ages). Nothing asserts on it."""

    @property
    def now(self) -> datetime:
        return datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> WallClock:
    return WallClock()


@pytest.fixture
def screenshots(request, tmp_path, capsys):
    """Makes the journey's :class:`Screenshots` (its folder emptied of older pictures) and prints
    where they are."""

    def make(journey: str) -> Screenshots:
        root = Path(SCREENSHOTS).resolve() if SCREENSHOTS else tmp_path
        folder = root / "screenshots" / journey
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        with capsys.disabled():
            print(f"\n{request.node.name}: screenshots in {folder}")
        return Screenshots(folder)

    return make


@pytest.fixture
def samples(engine, settings, clock) -> None:
    """The bundled sample calls in the catalogue, dated in the month before the app's clock."""
    assert transcribing.ingest_samples(engine, settings.audio_dir, settings.retention_timezone, now=clock.now).added


@pytest.fixture
def worker(live_server):  # noqa: F811
    """The application's real transcription worker, stopped after the test."""
    made = jobs.of(live_server.app)
    yield made
    made.stop(60)


def log_out(tab) -> None:
    tab.get_by_role("button", name="Uitloggen").click()
    tab.wait_for_url(re.compile(r"/inloggen$"))


def menu(tab, label: str) -> None:
    """Follow a link of the main menu."""
    tab.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=label, exact=True).click()


def id_in_url(tab, pattern: str) -> str:
    found = re.search(pattern, tab.url)
    assert found, tab.url
    return found.group(0)


def actions_of(engine, action: str) -> list[tuple[str, str]]:
    """(actor, subject) of each audit entry of ``action``, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log.c.actor, audit_log.c.subject).where(audit_log.c.action == action)
                            .order_by(audit_log.c.seq)).all()
    return [tuple(row) for row in rows]


def no_errors(tab, expected_failures: tuple[str, ...] = ()) -> None:
    """No console error or CSP violation on ``tab``, and no failed response but those expected."""
    assert tab.errors == [], tab.errors
    assert tab.failed == list(expected_failures), tab.failed


# --- (a) from complaint to downloaded letter ------------------------------------------------------

# The first readable text in the transcript's turns matching one of the patterns (in this order),
# as the viewport coordinates of its first and last character: where a mouse drag selects it.
FIND_TEXT = """(patterns) => {
  for (const source of patterns) {
    const pattern = new RegExp(source, "u");
    for (const turn of document.querySelectorAll("#controle .turn-text")) {
      for (const node of turn.childNodes) {
        if (node.nodeType !== Node.TEXT_NODE) continue;
        const found = pattern.exec(node.data);
        if (!found) continue;
        node.parentElement.scrollIntoView({block: "center"});
        const box = (from, to) => {
          const range = document.createRange();
          range.setStart(node, from);
          range.setEnd(node, to);
          return range.getBoundingClientRect();
        };
        const first = box(found.index, found.index + 1);
        const last = box(found.index + found[0].length - 1, found.index + found[0].length);
        return {text: found[0], segment: turn.dataset.segment, pattern: source,
                x1: first.left + 1, y1: first.top + first.height / 2,
                x2: last.right - 1, y2: last.top + last.height / 2};
      }
    }
  }
  return null;
}"""
# a postcode as Whisper writes a spoken one ("307-LM"), else any plain word of five letters or more
SELECTABLE = (r"\b\d{3,4}[- ]?[A-Z]{2}\b", r"\p{L}{5,}")


def test_a_complaint_becomes_a_reviewed_released_letter_without_personal_data(
        page, live_server, worker, engine, staff, samples, prefect_harness, sample_pii, screenshots, tmp_path, monkeypatch):  # noqa: F811
    shot = screenshots("a-klacht-tot-brief")
    monkeypatch.setenv("CALLSCRIBE_REVIEW_THRESHOLD", REVIEW_THRESHOLD)  # read by the flow when it redacts

    # the complaint desk registers the complaint
    page.goto(live_server.url + "/inloggen")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    shot(page, "inloggen")
    log_in(page, live_server, "kim")
    expect(page.get_by_role("heading", name="Welkom, kim")).to_be_visible()
    shot(page, "start-klachtendesk")
    menu(page, "Klachten")
    expect(page.get_by_text("Nog geen klachten")).to_be_visible()
    page.get_by_role("link", name="Nieuwe klacht", exact=True).first.click()
    page.get_by_label("Telefoon").check()
    page.get_by_label("Omschrijving van de klacht").fill(COMPLAINT_TEXT)
    page.get_by_label("Over welk gesprek of welke gesprekken gaat de klacht?").select_option(CALL)
    shot(page, "klacht-registreren")
    page.get_by_role("button", name="Klacht registreren").click()
    complaint_id = id_in_url(page, r"K-\d{4}-\d{4}")
    expect(page.get_by_role("status")).to_have_text(f"Klacht {complaint_id} is geregistreerd.")
    shot(page, "klacht-geregistreerd")

    # ... and files a transcript request about its call, with a written reason
    page.get_by_role("row", name=CALL).get_by_role("link", name="Verzoek indienen").click()
    expect(page.get_by_label("Klacht", exact=True)).to_have_value(complaint_id)
    expect(page.get_by_label("Gesprek", exact=True)).to_have_value(CALL)
    page.get_by_label("Transcript: het gesprek uitgeschreven").check()
    page.get_by_label("Reden", exact=True).fill(REASON)
    shot(page, "verzoek-indienen")
    page.get_by_role("button", name="Verzoek indienen").click()
    request_id = id_in_url(page, r"V-\d{4}-\d{4}")
    expect(page.get_by_role("status")).to_contain_text(f"Verzoek {request_id} is ingediend.")
    expect(page.locator(".page-head .badge")).to_have_text("aangevraagd")
    shot(page, "verzoek-ingediend")
    no_errors(page)
    log_out(page)

    # a team leader approves it on the queue: the call is transcribed in the background
    log_in(page, live_server, "bob")
    menu(page, "Goedkeuren")
    request = page.locator(f"article#{request_id}")
    expect(request).to_contain_text(REASON)
    expect(request).to_contain_text(f"Klacht {complaint_id}")
    expect(request).not_to_contain_text("U heeft dit verzoek zelf ingediend")
    shot(page, "goedkeuren")
    request.get_by_label("Opmerking bij goedkeuring").fill("Akkoord, reden is duidelijk.")
    request.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Verzoek {request_id} is goedgekeurd. Het gesprek wordt nu uitgeschreven; onder ‘Vrijgeven’ ziet u hoe "
        "ver dat is.")
    expect(page.get_by_text("Geen verzoeken die op een beslissing wachten.")).to_be_visible()
    shot(page, "goedgekeurd")

    # the release page follows the transcription (htmx polls the cell) until it is done
    menu(page, "Vrijgeven")
    state = page.locator(f"#stand-{request_id} .badge").first
    expect(state).to_have_text(re.compile("^(wacht|bezig|klaar)$"))
    shot(page, "vrijgeven-wordt-uitgeschreven")
    expect(state).to_have_text(re.compile("^(klaar|mislukt)$"), timeout=TRANSCRIBED_WITHIN_MS)
    expect(state).to_have_text("klaar")
    shot(page, "vrijgeven-uitgeschreven")

    # the team leader reviews: one redaction added by selecting text, the flags confirmed
    page.locator(f"#stand-{request_id}").get_by_role("link", name="Transcript controleren").click()
    expect(page.get_by_role("heading", name="Transcript controleren vóór vrijgave")).to_be_visible()
    expect(page.locator("#controle .turn-text").first).to_be_visible()
    shot(page, "controle")
    target = page.evaluate(FIND_TEXT, list(SELECTABLE))
    assert target, "no readable text in the transcript to select"
    page.mouse.move(target["x1"], target["y1"])
    page.mouse.down()
    page.mouse.move(target["x2"], target["y2"], steps=8)
    page.mouse.up()
    assert page.evaluate("() => window.getSelection().toString()").strip() == target["text"]
    popover = page.locator("#markeren")
    expect(popover).to_be_visible()
    entity_type = "POSTCODE" if target["pattern"] == SELECTABLE[0] else "PERSON"
    popover.get_by_label("Soort persoonsgegeven").select_option(entity_type)
    shot(page, "controle-selectie")
    popover.get_by_role("button", name="Onleesbaar maken").click()
    turn = page.locator(f'.turn-text[data-segment="{target["segment"]}"]')
    added = turn.locator("mark.is-added")
    expect(added).to_have_text(re.compile(r"^\[(POSTCODE|PERSOON)-\d+\]$"))
    expect(popover).to_be_hidden()
    added_tag = added.inner_text()
    assert target["text"] not in turn.inner_text()
    shot(page, "controle-markering-toegevoegd")
    flagged = page.locator("ul.checks").get_by_role("button", name=re.compile("^Klopt"))
    assert flagged.count() >= 1, "the redactor flagged nothing to confirm"
    expect(page.locator(".review-status .counter")).to_have_text(re.compile(r"^\d+ markering(en)? nog te controleren$"))
    flagged.first.click()  # the first flag confirmed on its own, the rest at once
    expect(page.get_by_role("status")).to_contain_text("De markering is bevestigd")
    if flagged.count():
        page.get_by_role("button", name="Alles bevestigen").click()
        expect(page.get_by_role("status")).to_contain_text("Alle twijfelgevallen zijn bevestigd")
    expect(page.get_by_text("Klaar voor vrijgave.")).to_be_visible()
    expect(page.locator("table.history")).to_contain_text("Markering toegevoegd")
    shot(page, "controle-klaar")
    readable = page.locator("#controle .transcript").inner_text()
    no_errors(page)
    log_out(page)

    # a manager releases the letter
    log_in(page, live_server, "anna")
    menu(page, "Vrijgeven")
    row = page.locator(f"tr#{request_id}")
    expect(row).to_contain_text("Klaar om vrij te geven.")
    shot(page, "vrijgeven-manager")
    row.get_by_role("button", name="Vrijgeven").click()
    expect(page.get_by_role("status")).to_contain_text(f"Verzoek {request_id} is vrijgegeven.")
    expect(page.get_by_text("Geen goedgekeurde verzoeken om vrij te geven.")).to_be_visible()
    shot(page, "vrijgegeven")
    no_errors(page)
    log_out(page)

    # the complaint desk downloads the PDF
    log_in(page, live_server, "kim")
    menu(page, "Downloads")
    listed = page.get_by_role("row", name=request_id)
    expect(listed).to_contain_text(CALL)
    shot(page, "downloads")
    with page.expect_download() as download_info:
        listed.get_by_role("link", name="Brief (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{request_id}.pdf"
    letter = tmp_path / download.suggested_filename
    download.save_as(letter)
    no_errors(page)

    text = pdf_text(letter.read_bytes())
    flat = " ".join(text.split()).casefold()
    assert complaint_id in text and request_id in text
    assert added_tag in text
    assert [s for s in sample_pii[CALL] if " ".join(s.split()).casefold() in flat] == []
    if readable.count(target["text"]) == 0:  # redacted where it stood, and said nowhere else in the call
        assert target["text"] not in text
    assert complaints.show_request(engine, "anna", request_id).state == "released"
    assert ("bob", request_id) in actions_of(engine, "transcript.reviewed")
    assert actions_of(engine, "letter.downloaded") == [("kim", request_id)]


# --- (b) no approving one's own request -----------------------------------------------------------


def test_b_a_team_leader_cannot_approve_a_request_they_filed(page, live_server, engine, staff, samples,  # noqa: F811
                                                            screenshots, clock):
    shot = screenshots("b-eigen-verzoek")
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=clock.now,
                                              description=COMPLAINT_TEXT, call_ids=(OWN_CALL,))

    log_in(page, live_server, "bob")
    menu(page, "Verzoeken")
    page.get_by_role("link", name="Nieuw verzoek", exact=True).first.click()
    page.get_by_label("Transcript: het gesprek uitgeschreven").check()
    page.get_by_label("Klacht", exact=True).select_option(complaint.complaint_id)
    page.get_by_label("Gesprek", exact=True).select_option(OWN_CALL)
    page.get_by_label("Reden", exact=True).fill(REASON)
    page.get_by_role("button", name="Verzoek indienen").click()
    request_id = id_in_url(page, r"V-\d{4}-\d{4}")
    expect(page.get_by_role("status")).to_contain_text(f"Verzoek {request_id} is ingediend.")
    shot(page, "verzoek-ingediend")

    menu(page, "Goedkeuren")
    request = page.locator(f"article#{request_id}")
    expect(request).to_contain_text("U heeft dit verzoek zelf ingediend. Een andere teamleider of manager beslist erover.")
    expect(request.get_by_role("button", name="Goedkeuren")).to_have_count(0)  # not offered
    shot(page, "goedkeuren-eigen-verzoek")
    # sent anyway, as a crafted form post with the session's cookie and CSRF token: the library refuses
    token = page.locator("input[name=csrf_token]").first.input_value()
    forged = page.request.post(f"{live_server.url}/verzoeken/{request_id}/goedkeuren", form={"csrf_token": token},
                               max_redirects=0)
    assert forged.status == 400 and "U heeft dit verzoek zelf ingediend en mag er daarom niet zelf over beslissen " \
        "(vier-ogenprincipe)." in forged.text()

    assert complaints.show_request(engine, "bob", request_id).state == "requested"
    page.goto(f"{live_server.url}/verzoeken/{request_id}")
    expect(page.locator(".page-head .badge")).to_have_text("aangevraagd")
    expect(page.get_by_text("wacht op een teamleider of manager die het verzoek niet zelf indiende")).to_be_visible()
    shot(page, "verzoek-nog-aangevraagd")
    assert actions_of(engine, "request.approved") == []
    no_errors(page)


# --- (c) the coach ----------------------------------------------------------------------------------


def test_c_a_coach_sees_the_quarters_picks_and_logs_a_session(page, live_server, engine, settings, staff, samples,  # noqa: F811
                                                             screenshots, clock):
    shot = screenshots("c-coaching")
    month = coaching.previous_month(clock.now, settings.retention_timezone)
    drawn_at = coaching.month_bounds(month, settings.retention_timezone)[1]  # the scheduled draw: as it ended
    picks = {p.employee_id: p.call_id for p in coaching.draw(engine, settings, month, "bob", drawn_at).picks}
    assert picks == {"MW-017": "TBI-2026-000105", "MW-023": "TBI-2026-000106"}  # the only calls of 60 s or more

    log_in(page, live_server, "cor")
    menu(page, "Coaching")
    expect(page.get_by_role("heading", name=re.compile("^Coaching: "))).to_be_visible()
    for employee, call_id in picks.items():
        section = page.locator("section.employee", has=page.get_by_role("heading", name=f"Medewerker {employee}"))
        expect(section.get_by_role("link", name=call_id)).to_be_visible()
        expect(section).to_contain_text("Nog niet getranscribeerd")
        expect(section).to_contain_text("Nog geen sessies")
    shot(page, "kwartaaloverzicht")

    mine = page.locator("section.employee", has=page.get_by_role("heading", name="Medewerker MW-017"))
    mine.get_by_role("link", name="Sessie vastleggen").click()
    expect(page.get_by_role("heading", name=re.compile("^Coachinggesprek van MW-017"))).to_be_visible()
    expect(page.get_by_text("Het transcript is nog niet klaar.")).to_be_visible()
    page.get_by_label("Notitie (niet verplicht)").fill(NOTE)
    page.get_by_label("De medewerker heeft de sessie bevestigd").check()
    shot(page, "sessie-vastleggen")
    page.get_by_role("button", name="Sessie vastleggen").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Sessie CS-\d{4}-\d{4} is vastgelegd\.$"))
    session_id = id_in_url(page, r"CS-\d{4}-\d{4}")
    sessions = page.locator("ul.sessions")
    expect(sessions).to_contain_text(session_id)
    expect(sessions).to_contain_text("notitie: ja")
    expect(sessions).to_contain_text("bevestigd: ja")
    assert NOTE not in page.content()  # the note is on the session's own page only
    shot(page, "sessie-vastgelegd")

    page.get_by_role("link", name="← Terug naar het kwartaaloverzicht").click()
    expect(mine).to_contain_text(session_id)
    shot(page, "kwartaaloverzicht-na-sessie")
    assert actions_of(engine, "coaching.session") == [("cor", session_id)]
    assert actions_of(engine, "coaching.acknowledged") == [("cor", session_id)]
    no_errors(page)


# --- (d) the manager's dashboard and audit log ------------------------------------------------------

CHARTS_LOADED = """() => Array.from(document.querySelectorAll("img.chart"))
  .every((image) => image.complete && image.naturalWidth > 0)"""


def test_d_a_manager_sees_the_dashboard_and_verifies_the_audit_log(page, live_server, engine, settings, staff,  # noqa: F811
                                                                  samples, screenshots, clock):
    shot = screenshots("d-dashboard-auditlog")
    # some work to show: requests in each state, last month's coaching picks and a session
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=clock.now,
                                              description=COMPLAINT_TEXT, call_ids=(CALL, OWN_CALL))
    filed = [complaints.create_request(engine, "kim", kind=kind, call_id=call_id, reason=REASON,
                                       complaint_id=complaint.complaint_id).request_id
             for kind, call_id in (("transcript", CALL), ("listen_back", CALL), ("transcript", OWN_CALL))]
    complaints.approve_request(engine, "bob", filed[0])
    complaints.reject_request(engine, "bob", filed[1], "Terugluisteren is niet nodig; het transcript volstaat.")
    month = coaching.previous_month(clock.now, settings.retention_timezone)
    drawn_at = coaching.month_bounds(month, settings.retention_timezone)[1]
    coaching.draw(engine, settings, month, "bob", drawn_at)
    coaching.log_session(engine, month, "MW-017", "cor", min(drawn_at + timedelta(days=1), clock.now), clock.now)

    log_in(page, live_server, "anna")
    menu(page, "Dashboard")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    charts = page.locator("img.chart")
    expect(charts).to_have_count(CHART_COUNT)
    page.wait_for_function(CHARTS_LOADED)
    widths = charts.evaluate_all("(images) => images.map((image) => image.naturalWidth)")
    assert len(widths) == CHART_COUNT and all(width > 0 for width in widths), widths
    shot(page, "dashboard")
    assert [actor for actor, _ in actions_of(engine, "dashboard.viewed")] == ["anna"]

    menu(page, "Auditlog")
    expect(page.get_by_role("heading", name="Auditlog", exact=True)).to_be_visible()
    page.get_by_role("button", name="Controleer de keten").click()
    expect(page.locator("#controle")).to_contain_text(re.compile(r"Auditlog intact: \d+ regels"))
    shot(page, "auditlog-intact")
    assert [actor for actor, _ in actions_of(engine, "audit.verified")] == ["anna"]
    no_errors(page)
