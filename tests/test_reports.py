"""The manager's operations report (pipeline/policy/reports.py): each table against a hand-made
catalogue in real SQLite, local days across midnight and daylight-saving changes (checked against
retention's own expiry), who may read it, its audit entry, and the SVG charts (valid XML, Dutch
titles, the same bytes for the same report, safe labels, several threads at once)."""

from __future__ import annotations

import dataclasses
import json
import random
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import sqlalchemy as sa

from callscribe.pipeline.errors import AccessDeniedError, PolicyError
from callscribe.pipeline.policy import access, audit, coaching, reports, retention
from callscribe.pipeline.storage import catalogue, schema

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 3, 12, 0, tzinfo=AMS)  # after the end of summer time (25 October 2026)
CALLER = "+31612345678"
REASON = "Klant wil nalezen wat er precies is afgesproken in dit gesprek."
NOTE = "Vriendelijk, maar het adres niet herhaald."
EMPLOYEE_NAME = "Sanne de Vries"


@pytest.fixture
def engine(settings, staff):
    return catalogue.get_engine(settings.catalogue_url)


def _add(engine, call_id, start, employee="MW-017", direction="inbound", state="ingested"):
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.recordings).values(
            call_id=call_id, call_start=start, duration_s=120.0, employee_id=employee, caller_number=CALLER,
            direction=direction, audio_path=f"audio/{call_id}.wav", sha256="0" * 64, channel_layout="stereo",
            state=state, ingested_at=start))


def _request(engine, request_id, state, requested_at, kind="transcript", call_id="C-1"):
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.requests).values(
            request_id=request_id, kind=kind, call_id=call_id, employee_id="MW-017", reason=REASON,
            requested_by="kim", requested_at=requested_at, state=state))


def _subject_request(engine, request_id, state, requested_at, kind="access"):
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.subject_requests).values(
            request_id=request_id, kind=kind, reason=REASON, state=state, requested_by="kim",
            requested_at=requested_at))


def _report(engine, settings, now=NOW, **options):
    return reports.operations_report(engine, settings, "anna", now, **options)


def _dates(frame) -> list[date]:
    return [d.date() for d in frame["date"]]


# --- calls per day --------------------------------------------------------------------------------


def test_calls_are_counted_per_local_day_across_midnight_and_the_end_of_summer_time(engine, settings):
    calls = [
        ("C-midnight", datetime(2026, 11, 3, 0, 30, tzinfo=AMS), "inbound"),  # 2 Nov 23:30 UTC: today
        ("C-late", datetime(2026, 11, 2, 23, 30, tzinfo=AMS), "inbound"),
        ("C-out", datetime(2026, 11, 3, 10, 0, tzinfo=AMS), "outbound"),
        ("C-summer", datetime(2026, 10, 25, 1, 30, tzinfo=AMS), "inbound"),  # 24 Oct 23:30 UTC
        ("C-twice", datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=AMS), "outbound"),  # the second 02:30
        ("C-winter", datetime(2026, 10, 25, 23, 30, tzinfo=AMS), "inbound"),
        ("C-next", datetime(2026, 10, 26, 0, 30, tzinfo=AMS), "inbound"),  # 25 Oct 23:30 UTC
        ("C-first", datetime(2026, 9, 3, 0, 10, tzinfo=AMS), "inbound"),  # the window's first day (2 Sep UTC)
        ("C-before", datetime(2026, 9, 2, 23, 50, tzinfo=AMS), "inbound"),  # outside the 62 days
    ]
    for call_id, start, direction in calls:
        _add(engine, call_id, start, direction=direction)
    catalogue.write_tombstones(engine, [catalogue.Tombstone("C-erased", date(2026, 10, 30), NOW, NOW, 1, 10, ("audio",), False)])

    frame = _report(engine, settings).calls_per_day.set_index("date")

    assert len(frame) == 62 and frame.index[0].date() == date(2026, 9, 3) and frame.index[-1].date() == date(2026, 11, 3)
    assert list(frame.columns) == ["inbound", "outbound", "erased", "total"]
    by_day = {d.date(): tuple(row) for d, row in frame[frame["total"] > 0].iterrows()}
    assert by_day == {
        date(2026, 9, 3): (1, 0, 0, 1),
        date(2026, 10, 25): (2, 1, 0, 3),
        date(2026, 10, 26): (1, 0, 0, 1),
        date(2026, 10, 30): (0, 0, 1, 1),
        date(2026, 11, 2): (1, 0, 0, 1),
        date(2026, 11, 3): (1, 1, 0, 2),
    }


@pytest.mark.parametrize("now", [NOW, datetime(2026, 5, 29, 9, 15, tzinfo=AMS), datetime(2026, 3, 29, 3, 30, tzinfo=AMS)],
                         ids=["autumn", "spring-expiry", "spring-day"])
def test_days_and_expiry_agree_with_the_local_calendar_and_retention(engine, settings, now):
    """Random calls around the windows (at night and near the clock changes): the SQL buckets give
    what the local date and retention's expires_at give call by call."""
    rng = random.Random(now.toordinal())
    starts = []
    for i in range(400):
        back = timedelta(days=rng.uniform(-1, 72), seconds=rng.choice([0, 1, 59, 3599]))
        start = (now - back).astimezone(UTC).replace(minute=rng.choice([0, 30, 59]), microsecond=0)
        starts.append(start)
        _add(engine, f"R-{i:03d}", start, direction=rng.choice(["inbound", "outbound"]))

    report = _report(engine, settings, now)

    today = now.astimezone(AMS).date()
    window = {today - timedelta(days=n) for n in range(62)}
    expected_days: dict[date, int] = {}
    for start in starts:
        if start.astimezone(AMS).date() in window:
            expected_days[start.astimezone(AMS).date()] = expected_days.get(start.astimezone(AMS).date(), 0) + 1
    got_days = {d.date(): n for d, n in zip(report.calls_per_day["date"], report.calls_per_day["total"], strict=True) if n}
    assert got_days == expected_days

    ahead = {today + timedelta(days=n) for n in range(7)}
    expected_expiry: dict[date, int] = {}
    for start in starts:
        expiry = retention.expires_at(start, 62, "Europe/Amsterdam")
        if not retention.is_expired(start, now) and expiry.astimezone(AMS).date() in ahead:
            expected_expiry[expiry.astimezone(AMS).date()] = expected_expiry.get(expiry.astimezone(AMS).date(), 0) + 1
    got_expiry = {d.date(): n for d, n in zip(report.expiring["date"], report.expiring["recordings"], strict=True) if n}
    assert got_expiry == expected_expiry
    assert sum(expected_expiry.values()) > 10, "the random calls reach the window"


# --- expiring -------------------------------------------------------------------------------------


def test_recordings_expiring_in_the_next_seven_days_per_local_day(engine, settings):
    _add(engine, "E-gone", datetime(2026, 9, 2, 11, 0, tzinfo=AMS))  # expired at 11:00 today
    _add(engine, "E-today", datetime(2026, 9, 2, 12, 30, tzinfo=AMS))  # 12:30 CET today; UTC + 62 days would say gone
    _add(engine, "E-tomorrow", datetime(2026, 9, 3, 8, 0, tzinfo=AMS))
    _add(engine, "E-erasing", datetime(2026, 9, 3, 9, 0, tzinfo=AMS), state="expiring")  # being deleted already
    _add(engine, "E-last", datetime(2026, 9, 8, 23, 59, tzinfo=AMS))
    _add(engine, "E-later", datetime(2026, 9, 9, 0, 1, tzinfo=AMS))

    frame = _report(engine, settings).expiring

    assert _dates(frame) == [date(2026, 11, 3) + timedelta(days=n) for n in range(7)]
    assert frame["recordings"].tolist() == [1, 1, 0, 0, 0, 0, 1]


# --- requests -------------------------------------------------------------------------------------


def test_requests_by_state_and_age_and_the_oldest_open_one(engine, settings):
    now = NOW.astimezone(UTC)
    _request(engine, "V-2026-0001", "requested", now - timedelta(hours=2))
    _request(engine, "V-2026-0002", "requested", now - timedelta(hours=30))
    _request(engine, "V-2026-0003", "approved", now - timedelta(days=4), kind="listen_back")
    _request(engine, "V-2026-0004", "approved", now - timedelta(days=7))  # exactly 7 days: the oldest bucket
    _request(engine, "V-2026-0005", "released", now - timedelta(days=20))
    _request(engine, "V-2026-0006", "rejected", now - timedelta(days=1))  # exactly 1 day: 1-3 days
    _subject_request(engine, "AVG-2026-0001", "requested", now - timedelta(hours=5), kind="erasure")
    _subject_request(engine, "AVG-2026-0002", "executed", now - timedelta(days=9))

    report = _report(engine, settings)

    frame = report.requests.set_index(["workflow", "kind", "state"])
    ages = ["under_1_day", "days_1_3", "days_3_7", "over_7_days"]
    assert list(frame.columns) == [*ages, "total"]
    assert len(frame) == 16, "every kind in every state of its workflow, zeros included"
    assert frame.loc[("request", "transcript", "requested"), ages].tolist() == [1, 1, 0, 0]
    assert frame.loc[("request", "transcript", "approved"), ages].tolist() == [0, 0, 0, 1]
    assert frame.loc[("request", "listen_back", "approved"), ages].tolist() == [0, 0, 1, 0]
    assert frame.loc[("request", "transcript", "released"), ages].tolist() == [0, 0, 0, 1]
    assert frame.loc[("request", "transcript", "rejected"), ages].tolist() == [0, 1, 0, 0]
    assert frame.loc[("subject_request", "erasure", "requested"), ages].tolist() == [1, 0, 0, 0]
    assert frame.loc[("subject_request", "access", "executed"), ages].tolist() == [0, 0, 0, 1]
    assert frame.loc[("subject_request", "erasure", "approved"), "total"] == 0
    assert frame["total"].sum() == 8

    open_ = report.open_requests.set_index("workflow")
    assert open_.loc["request", ["requested", "approved", "open"]].tolist() == [2, 2, 4]
    assert open_.loc["request", "oldest_request_id"] == "V-2026-0004"
    assert open_.loc["request", "oldest_age_days"] == 7.0
    assert open_.loc["request", "oldest_requested_at"] == pd.Timestamp(NOW - timedelta(days=7))
    assert str(open_.loc["request", "oldest_requested_at"].tz) == "Europe/Amsterdam"
    assert open_.loc["subject_request", "oldest_request_id"] == "AVG-2026-0001"
    assert open_.loc["subject_request", "oldest_age_days"] == pytest.approx(0.2)


def test_no_requests_give_zero_rows_and_no_oldest(engine, settings):
    report = _report(engine, settings)
    assert report.requests["total"].sum() == 0
    assert report.open_requests["open"].tolist() == [0, 0]
    assert report.open_requests["oldest_request_id"].isna().all()
    assert report.open_requests["oldest_requested_at"].isna().all()


# --- coaching -------------------------------------------------------------------------------------


def _pick(engine, month, employee, call_id, call_start):
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.coaching_picks).values(
            month=month, employee_id=employee, call_id=call_id, call_start=call_start, candidates=3,
            candidates_sha256="0" * 64, algorithm=coaching.ALGORITHM, drawn_at=NOW - timedelta(days=2),
            drawn_by="bob"))


def test_coaching_coverage_per_employee_and_month_of_the_quarter(engine, settings):
    october = datetime(2026, 10, 12, 10, 0, tzinfo=AMS)
    for employee in ("MW-001", "MW-002"):
        _add(engine, f"K-{employee}", october, employee=employee)
        _pick(engine, "2026-10", employee, f"K-{employee}", october)
    _add(engine, "K-MW-003", datetime(2026, 11, 2, 9, 0, tzinfo=AMS), employee="MW-003")  # a call, no pick yet
    _add(engine, "K-MW-009", datetime(2026, 9, 30, 23, 30, tzinfo=AMS), employee="MW-009")  # last quarter
    held = NOW - timedelta(days=1)
    first = coaching.log_session(engine, "2026-10", "MW-001", "cor", held_at=held - timedelta(hours=3), now=held,
                                 note=NOTE)
    coaching.log_session(engine, "2026-10", "MW-001", "cor", held_at=held, now=held, again=True)
    coaching.acknowledge_session(engine, first.session_id, "cor", now=held)
    coaching.set_employee_name(engine, "MW-001", EMPLOYEE_NAME, "bob")

    report = _report(engine, settings)  # early November: the quarter of October

    assert report.options.quarter == "2026Q4"
    frame = report.coaching.set_index(["employee_id", "month"])
    assert list(frame.columns) == ["picked", "sessions", "acknowledged"]
    assert frame.index.tolist() == [(e, m) for e in ("MW-001", "MW-002", "MW-003")
                                    for m in ("2026-10", "2026-11", "2026-12")]
    assert frame.loc[("MW-001", "2026-10")].tolist() == [1, 2, 1]
    assert frame.loc[("MW-002", "2026-10")].tolist() == [1, 0, 0]
    assert frame.loc[("MW-003", "2026-11")].tolist() == [0, 0, 0]
    assert frame.loc[("MW-001", "2026-11")].tolist() == [0, 0, 0]

    third = _report(engine, settings, quarter="2026Q3").coaching
    assert third["employee_id"].unique().tolist() == ["MW-009"] and third["picked"].sum() == 0
    with pytest.raises(PolicyError, match="not a quarter"):
        _report(engine, settings, quarter="2026-Q4")


# --- the last retention run -----------------------------------------------------------------------


def test_the_last_retention_run_from_the_audit_log_and_the_tombstones(engine, settings, home):
    assert _report(engine, settings).retention.empty, "no run yet"
    _add(engine, "T-expired", NOW - timedelta(days=70))
    _add(engine, "T-held", NOW - timedelta(days=69))
    _add(engine, "T-kept", NOW - timedelta(days=3))
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.complaints).values(
            complaint_id="K-2026-0001", channel="telefoon", received_at=NOW - timedelta(days=60),
            description="Klacht.", registered_by="kim", registered_at=NOW - timedelta(days=60)))
        conn.execute(sa.insert(schema.complaint_calls).values(complaint_id="K-2026-0001", call_id="T-held"))
    retention.apply_retention(engine, home, now=NOW - timedelta(days=1), dry_run=True)  # a dry run is no run
    retention.apply_retention(engine, home, now=NOW, actor=access.User("ivo", "ict_backoffice"))

    frame = _report(engine, settings).retention

    assert len(frame) == 1
    row = frame.iloc[0]
    with engine.connect() as conn:
        entry = conn.execute(sa.select(schema.audit_log).where(schema.audit_log.c.action == "retention.run")).one()
    assert row["run_at"] == pd.Timestamp(entry.at).floor("s") and str(row["run_at"].tz) == "Europe/Amsterdam"
    assert row["actor"] == "ivo"
    assert (row["recordings_expired"], row["failed"], row["held"], row["orphans_swept"]) == (1, 0, 1, 0)
    assert row["runs_last_7_days"] == 1 and row["tombstones"] == 1
    assert row["last_deleted_at"] == pd.Timestamp(NOW).floor("s")


# --- who may read it, and what it writes -----------------------------------------------------------


@pytest.mark.parametrize("user", ["bob", "bea", "ivo", "kim", "cor", "mallory", None])
def test_only_a_manager_reads_the_report_and_a_refusal_writes_nothing(engine, settings, user):
    before = audit.head(engine)
    with pytest.raises(AccessDeniedError):
        reports.operations_report(engine, settings, user, NOW)
    assert audit.head(engine) == before
    assert access.PERMISSIONS["dashboard.read"] == frozenset({"manager"})


def test_a_deactivated_manager_cannot_read_it(engine, settings):
    access.add_user(engine, "max", "manager", "anna")
    access.deactivate_user(engine, "max", "anna")
    with pytest.raises(AccessDeniedError, match="deactivated"):
        reports.operations_report(engine, settings, "max", NOW)


def test_a_moment_without_offset_is_refused(engine, settings):
    with pytest.raises(PolicyError, match="UTC offset"):
        reports.operations_report(engine, settings, "anna", datetime(2026, 11, 3, 12, 0))


def test_reading_is_audited_with_counts_and_nothing_personal_is_in_the_report(engine, settings):
    _add(engine, "P-1", NOW - timedelta(hours=3), employee="MW-001")
    _add(engine, "P-2", datetime(2026, 9, 4, 10, 0, tzinfo=AMS), employee="MW-001")  # expires 5 Nov
    _request(engine, "V-2026-0001", "requested", NOW - timedelta(hours=2), call_id="P-1")
    _pick(engine, "2026-10", "MW-001", "P-1", NOW - timedelta(days=10))
    coaching.log_session(engine, "2026-10", "MW-001", "cor", held_at=NOW - timedelta(hours=1), now=NOW, note=NOTE)
    coaching.set_employee_name(engine, "MW-001", EMPLOYEE_NAME, "bob")

    report = _report(engine, settings)

    with engine.connect() as conn:
        entry = conn.execute(sa.select(schema.audit_log).order_by(schema.audit_log.c.seq.desc()).limit(1)).one()
    assert (entry.action, entry.actor, entry.role, entry.subject) == ("dashboard.viewed", "anna", "manager", "dashboard")
    details = json.loads(entry.details)
    assert details == {"calls": 2, "requests": 1, "open_requests": 1, "employees": 1, "expiring": 1}
    assert all(type(value) is int for value in details.values()), "counts only"
    assert audit.verify(engine).ok

    shown = " ".join(frame.to_csv() for frame in report.frames().values())
    shown += " ".join(reports.svg_charts(report).values())
    for personal in (CALLER, CALLER[3:], REASON, NOTE, EMPLOYEE_NAME, "Sanne"):
        assert personal not in shown
    assert "MW-001" in shown and "V-2026-0001" in shown, "ids are what the report is made of"


# --- the charts -----------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def busy_report(engine, settings):
    for i in range(30):
        _add(engine, f"B-{i:02d}", NOW - timedelta(hours=7 * i), direction="outbound" if i % 3 else "inbound")
    _add(engine, "B-exp", datetime(2026, 9, 5, 9, 0, tzinfo=AMS))
    _request(engine, "V-2026-0001", "requested", NOW - timedelta(days=8))
    _subject_request(engine, "AVG-2026-0001", "approved", NOW - timedelta(hours=3))
    _pick(engine, "2026-10", "MW-017", "B-29", NOW - timedelta(days=9))
    return _report(engine, settings)


def test_each_chart_is_an_svg_element_with_its_dutch_title(busy_report):
    charts = reports.svg_charts(busy_report)
    assert set(charts) == {"calls_per_day", "requests", "coaching", "expiring"} == set(reports.CHART_TITLES)
    for key, svg in charts.items():
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert reports.CHART_TITLES[key] in texts, "text stays text (svg.fonttype none)"
        assert root.get("aria-label") == reports.CHART_TITLES[key]
        assert svg.startswith("<svg") and "<?xml" not in svg and "DOCTYPE" not in svg
        assert "metadata" not in svg and "dc:date" not in svg and "Matplotlib v" not in svg
        ids = [element.get("id") for element in root.iter() if element.get("id")]
        assert ids and all(i.startswith(f"{key}-") for i in ids), "ids unique per chart on one page"
        assert "*{" not in svg.replace(f"svg.chart-{key} *{{", ""), "the style is scoped to its chart"
    assert "Inkomend" in charts["calls_per_day"] and "Uitgaand" in charts["calls_per_day"]
    assert "&gt; 7 dagen" in charts["requests"] and "Verzoek: aangevraagd" in charts["requests"]
    assert "okt 2026" in charts["coaching"] and "Medewerkers" in charts["coaching"]
    assert "di 03-11" in charts["expiring"]


def test_the_same_report_gives_the_same_bytes(engine, settings, busy_report):
    again = _report(engine, settings)  # read again: another audit entry, the same report
    assert reports.svg_charts(busy_report) == reports.svg_charts(busy_report) == reports.svg_charts(again)


def test_an_empty_catalogue_still_draws_every_chart(engine, settings):
    charts = reports.svg_charts(_report(engine, settings))
    for svg in charts.values():
        ET.fromstring(svg)
        assert "Geen gegevens" in svg


def test_labels_from_data_are_cleaned_and_escaped(busy_report):
    odd = busy_report.requests.copy()
    odd.loc[0, "state"] = '<script>alert("x")</script> & $x$ \x01\x7f'
    charts = reports.svg_charts(dataclasses.replace(busy_report, requests=odd))
    root = ET.fromstring(charts["requests"])
    assert "<script" not in charts["requests"] and "\x01" not in charts["requests"] and "\x7f" not in charts["requests"]
    assert not list(root.iter(f"{SVG}script"))
    labels = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert any(label.startswith('Verzoek: <script>alert("x")') for label in labels), "shown as text, escaped in SVG"


def test_charts_drawn_in_several_threads_at_once_are_the_same(busy_report):
    expected = reports.svg_charts(busy_report)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = [future.result() for future in [pool.submit(reports.svg_charts, busy_report) for _ in range(3)]]
    assert all(result == expected for result in results)
