"""The manager's dashboard (web/dashboard.py) on a real SQLite catalogue: filled with invented
operations data by notebooks/generate_demo_data.py, or by hand where a value is checked exactly.
The page shows the report in Dutch with local dates, each chart is an SVG image, only a manager
sees either, one page view is one ``dashboard.viewed`` entry, and no phone number, name or text of
the catalogue reaches the page or the charts."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from callscribe.pipeline.policy import access, coaching, reports
from callscribe.pipeline.storage.schema import audit_log, recordings, requests
from callscribe.web import dashboard
from tests.conftest import REPO
from tests.web.conftest import login_as

AMS = ZoneInfo("Europe/Amsterdam")
KEYS = tuple(reports.CHART_TITLES)
MISSING = "/bestaat-niet"
EMPLOYEE_NAME = "Linda de Vries"  # invented, put on file through the library
DUTCH_MOMENT = re.compile(r"\b\d{1,2} (jan\.|feb\.|mrt\.|apr\.|mei|jun\.|jul\.|aug\.|sep\.|okt\.|nov\.|dec\.) 20\d\d "
                          r"\d\d:\d\d\b")


def _generator():
    spec = importlib.util.spec_from_file_location("generate_demo_data", REPO / "notebooks" / "generate_demo_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def demo(engine, settings, clock):
    """A catalogue of invented operations (five employees, 65 days, requests in every state, an
    erasure, a retention run) up to the application's clock, and one employee's name on file."""
    made = _generator().generate(engine, settings, clock.now, employees=5, days=65)
    with engine.connect() as conn:
        employee = conn.execute(sa.select(recordings.c.employee_id).limit(1)).scalar_one()
    coaching.set_employee_name(engine, employee, EMPLOYEE_NAME, "bob")
    return made


def viewed(engine, actor: str = "anna") -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(
            audit_log.c.action == "dashboard.viewed", audit_log.c.actor == actor)).scalar_one()


def charts(client) -> dict[str, bytes]:
    found = {}
    for key in KEYS:
        response = client.get(f"/dashboard/grafiek/{key}.svg")
        assert response.status_code == 200, key
        found[key] = response.content
    return found


# --- what the page shows --------------------------------------------------------------------------


def test_the_dashboard_shows_the_report_in_dutch_with_its_charts_as_images(client, engine, demo):
    login_as(client, "anna")
    page = client.get("/dashboard")

    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert '<a href="/dashboard" aria-current="page">Dashboard</a>' in html
    for key, title in reports.CHART_TITLES.items():
        assert re.search(rf'<img class="chart" src="/dashboard/grafiek/{key}\.svg" alt="{title}: [^"]+"', html), key
        assert title in html
    for heading in ("Gesprekken per dag", "Open verzoeken", "Alle verzoeken naar status en leeftijd",
                    "Coachingdekking, ", "Verloopt binnen 7 dagen", "Laatste bewaartermijnrun"):
        assert f"{heading}" in html, heading
    for header in ("Inkomend", "Uitgaand", "Gewist", "Wacht op besluit", "Goedgekeurd, nog niet uitgevoerd",
                   "&lt; 1 dag", "1–3 dagen", "3–7 dagen", "&gt; 7 dagen", "Oudste open verzoek", "Medewerker",
                   "Getrokken", "Sessie", "Bevestigd", "Opnamen die verlopen", "Opnamen verwijderd", "Mislukt",
                   "Vastgehouden (open klacht of verzoek)"):
        assert f">{header}<" in html, header
    assert "<style" not in html and " style=" not in html and "<script>" not in html  # what the CSP allows
    assert DUTCH_MOMENT.search(html)

    # the oldest open request of each workflow, by id
    with engine.connect() as conn:
        oldest = conn.execute(sa.select(requests.c.request_id).where(requests.c.state.in_(("requested", "approved")))
                              .order_by(requests.c.requested_at).limit(1)).scalar_one()
    assert f'<span class="id">{oldest}</span>' in html
    # the last retention run: when, by whom, how many
    assert "schedule:expire-recordings</span> (automatisch, dagelijkse planning)" in html
    assert f"<dt>Opnamen verwijderd</dt><dd>{demo['expired']}</dd>" in html
    assert f"<dt>Vastgehouden (open klacht of verzoek)</dt><dd>{demo['held']}</dd>" in html
    # coaching coverage per employee: ✓ for yes, – for no
    assert "✓" in html and "–" in html and f"Totaal ({demo['employees']} medewerkers)" in html


def test_each_chart_is_an_svg_image_with_its_dutch_title(client, demo):
    login_as(client, "anna")
    client.get("/dashboard")
    for key, title in reports.CHART_TITLES.items():
        response = client.get(f"/dashboard/grafiek/{key}.svg")
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/svg+xml"
        assert response.headers["cache-control"] == "no-store"
        root = ET.fromstring(response.content)
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("aria-label") == title
        assert title in "".join(root.itertext())
    unknown = client.get("/dashboard/grafiek/onbekend.svg")
    assert unknown.status_code == 404 and unknown.text == client.get(MISSING).text


def test_values_are_shown_exactly_with_local_dates(new_client, engine, staff, clock):
    """By hand: a request filed 8 days ago (late), one today, a call that expires tomorrow."""
    clock.now = datetime(2026, 11, 24, 12, 0, tzinfo=AMS)
    with engine.begin() as conn:
        conn.execute(sa.insert(recordings).values(
            call_id="C-1", call_start=datetime(2026, 9, 24, 9, 30, tzinfo=AMS), duration_s=90.0, employee_id="MW-017",
            caller_number="+31612345678", direction="inbound", audio_path="audio/C-1.wav", sha256="0" * 64,
            channel_layout="stereo", state="ingested", ingested_at=datetime(2026, 9, 24, 9, 40, tzinfo=AMS)))
        for request_id, at in (("V-2026-0007", datetime(2026, 11, 16, 10, 30, tzinfo=AMS)),
                               ("V-2026-0008", datetime(2026, 11, 24, 9, 0, tzinfo=AMS))):
            conn.execute(sa.insert(requests).values(
                request_id=request_id, kind="transcript", call_id="C-1", employee_id="MW-017",
                reason="Klant wil nalezen wat er precies is afgesproken.", requested_by="kim", requested_at=at,
                state="requested"))
    client = new_client()
    login_as(client, "anna")
    html = client.get("/dashboard").text

    assert '<time datetime="2026-11-24T12:00:00+01:00">24 nov. 2026 12:00</time>' in html
    oldest = re.search(r'<th scope="row">Transcript- en terugluisterverzoeken</th>(.*?)</tr>', html, re.DOTALL).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", oldest, re.DOTALL)
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in cells] == [
        "2", "2", "0", "V-2026-0007", "16 nov. 2026 10:30", "8,1"]
    assert '<span class="badge warn">8,1</span>' in html  # over 7 days: marked
    row = re.search(r"<tr class=\"late\">\s*<td>Transcript</td><td>Wacht op besluit</td>(.*?)</tr>", html, re.DOTALL)
    assert re.findall(r'<td class="num">(\d+)</td>', row.group(1)) == ["1", "0", "0", "1", "2"]
    assert '<time datetime="2026-11-25">wo 25 nov.</time></td><td class="num">1</td>' in html  # expires tomorrow
    assert "<dt>Gesprekken in 62 dagen</dt><dd>0</dd>" not in html  # the call is 61 days old: counted
    assert "<dt>Gesprekken in 62 dagen</dt><dd>1</dd>" in html


def test_an_empty_catalogue_shows_empty_states(client, staff):
    login_as(client, "anna")
    html = client.get("/dashboard").text
    for empty in ("Nog geen gesprekken in de laatste 62 dagen.", "Nog geen verzoeken.",
                  "Nog geen coaching in dit kwartaal", "Geen opnamen die in de komende 7 dagen verlopen.",
                  "Nog geen bewaartermijnrun."):
        assert empty in html, empty
    assert all(svg.startswith(b"<svg") for svg in charts(client).values())


# --- who sees it, and what it costs in audit entries ----------------------------------------------


def test_only_a_manager_sees_the_dashboard_and_its_charts(new_client, staff):
    for user in ("bob", "ivo", "kim", "cor"):
        client = new_client()
        login_as(client, user)
        missing = client.get(MISSING)
        assert ">Dashboard</a>" not in client.get("/").text
        for path in ("/dashboard", *(f"/dashboard/grafiek/{key}.svg" for key in KEYS)):
            response = client.get(path)
            assert (response.status_code, response.text) == (404, missing.text), (user, path)
    anonymous = new_client().get("/dashboard/grafiek/requests.svg")
    assert (anonymous.status_code, anonymous.headers["location"]) == (303, "/inloggen")
    manager = new_client()
    login_as(manager, "anna")
    assert '<a href="/dashboard">Dashboard</a>' in manager.get("/").text


def test_one_page_view_is_one_audit_entry_and_its_charts_come_from_its_report(client, new_client, engine, demo,
                                                                                clock):
    login_as(client, "anna")
    assert viewed(engine) == 0
    _none_expiring_within(engine, clock.now, dashboard.CHART_SECONDS + 1)  # so a new report shows the same data

    client.get("/dashboard")
    first = charts(client)
    assert viewed(engine) == 1  # the page and its four charts: one report
    assert charts(client) == first and viewed(engine) == 1  # the charts again, within the time kept

    clock.advance(seconds=dashboard.CHART_SECONDS + 1)  # the page view's report is no longer kept
    assert charts(client) == first  # the same data, drawn from a new report ...
    assert viewed(engine) == 2  # ... which the first chart made, and the other three used

    client.get("/dashboard")
    client.get("/dashboard")
    assert viewed(engine) == 4  # every page view is one entry

    access.add_user(engine, "mia", "manager", "anna")  # another manager keeps her own report
    other = new_client()
    login_as(other, "mia")
    charts(other)
    assert (viewed(engine, "mia"), viewed(engine, "anna")) == (1, 4)


def _none_expiring_within(engine, now: datetime, seconds: int) -> None:
    """Leave out of the generated catalogue the calls whose expiry falls in the next ``seconds``:
    with them, a report made that much later rightly counts one call fewer as expiring today."""
    from datetime import timedelta

    from callscribe.pipeline.policy.retention import expires_at

    with engine.begin() as conn:
        rows = conn.execute(sa.select(recordings.c.call_id, recordings.c.call_start)).all()
        soon = [r.call_id for r in rows if now < expires_at(r.call_start) <= now + timedelta(seconds=seconds)]
        if soon:
            conn.execute(sa.delete(recordings).where(recordings.c.call_id.in_(soon)))


def test_charts_from_a_kept_report_are_drawn_once(client, engine, demo, monkeypatch):
    login_as(client, "anna")
    client.get("/dashboard")
    drawn = []
    real = reports.svg_charts
    monkeypatch.setattr(reports, "svg_charts", lambda report: drawn.append(report) or real(report))
    charts(client)
    charts(client)
    assert len(drawn) == 1


# --- no personal data ------------------------------------------------------------------------------


def test_no_phone_number_name_or_text_reaches_the_page_or_the_charts(client, engine, demo):
    login_as(client, "anna")
    served = [client.get("/dashboard").text, *(svg.decode("utf-8") for svg in charts(client).values())]
    with engine.connect() as conn:
        numbers = set(conn.execute(sa.select(recordings.c.caller_number)).scalars())
        texts = set(conn.execute(sa.select(requests.c.reason)).scalars())
    generator = _generator()
    assert len(numbers) > 100
    forbidden = {EMPLOYEE_NAME, "Linda", "Vries", generator.REASON, generator.NOTE,
                 "Klant is ontevreden over de afhandeling.", *texts}
    for number in numbers:
        digits = re.sub(r"\D", "", number)
        forbidden |= {number, digits, "0" + digits[2:]}  # +31612345678, 31612345678, 0612345678
    for body in served:
        found = [text for text in forbidden if text in body]
        assert not found, found[:3]
        assert "+31" not in body
