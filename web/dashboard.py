"""The manager's dashboard: the operations report of the library (``reports.operations_report``,
``dashboard.read``) as Dutch tables and four charts.

One page view is one report, and one ``dashboard.viewed`` audit entry. The Content-Security-Policy
allows no inline ``<style>``, and matplotlib's SVGs carry one, so each chart is an image of its own
(``/dashboard/grafiek/<key>.svg``). Those four requests do not make four more reports: the page
view keeps its report for :data:`CHART_SECONDS` in this process, per user, and the chart route
draws from it (the four SVGs are drawn once, by the first chart request). A chart asked for without
a recent page view (a reload of the image alone, another worker process, or later than
:data:`CHART_SECONDS`) makes its own report, audited like a page view, and keeps it for the
others. The permission is checked on every request, whatever is kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pandas as pd
from fastapi import Request
from starlette.responses import Response

from callscribe.pipeline.policy import coaching, reports
from callscribe.web.auth import CurrentUser, not_found, state_of
from callscribe.web.dutch import MONTHS_SHORT as MONTHS
from callscribe.web.routes import Pages, render

pages = Pages()

CHART_SECONDS = 120  # how long a page view's report serves its charts
CHART_USERS = 64  # reports kept at most (one per user), the oldest dropped first
CHART_ALT = {
    "calls_per_day": "Staafdiagram van het aantal gesprekken per dag over de bewaartermijn, inkomend en uitgaand",
    "requests": "Liggend staafdiagram van de verzoeken per soort en status, naar leeftijd sinds indienen",
    "coaching": "Staafdiagram van de coachingdekking per maand van het kwartaal: getrokken, sessie, bevestigd",
    "expiring": "Staafdiagram van het aantal opnamen dat per dag verloopt in de komende 7 dagen",
}

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
KIND_LABELS = {"transcript": "Transcript", "listen_back": "Terugluisteren", "access": "Inzage (AVG)",
               "erasure": "Verwijdering (AVG)"}
STATE_LABELS = {"requested": "Wacht op besluit", "approved": "Goedgekeurd", "rejected": "Afgewezen",
                "released": "Vrijgegeven", "executed": "Uitgevoerd"}
WORKFLOW_LABELS = {"request": "Transcript- en terugluisterverzoeken",
                   "subject_request": "AVG-verzoeken (inzage, verwijdering)"}
AGE_LABELS = tuple(label for _, _, label in reports.AGE_BUCKETS)


# --- Dutch dates and numbers (local time) ---------------------------------------------------------


def local_time(moment: datetime | pd.Timestamp | None, zone: str, *, seconds: bool = False) -> str:
    """A moment as local date and time, ``24 nov. 2026 10:00`` (with ``seconds``: ``10:00:05``)."""
    if moment is None or pd.isna(moment):
        return "–"
    local = pd.Timestamp(moment)
    local = local.tz_convert(zone) if local.tzinfo else local
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{local_date(local)} {clock}"


def local_date(day: date | datetime | pd.Timestamp, *, weekday: bool = False, year: bool = True) -> str:
    """A date as ``24 nov. 2026`` (with ``weekday``: ``di 24 nov. 2026``; without ``year``: ``24 nov.``)."""
    text = f"{day.day} {MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def iso(moment: datetime | pd.Timestamp | None) -> str:
    """The machine-readable form for ``<time datetime=…>``."""
    return "" if moment is None or pd.isna(moment) else pd.Timestamp(moment).isoformat()


def decimal(value: float | None, digits: int = 1) -> str:
    """A number with a decimal comma: ``3,5``."""
    return "–" if value is None or pd.isna(value) else f"{value:.{digits}f}".replace(".", ",")


def month_label(month: str) -> str:
    """``2026-10`` → ``okt. 2026``."""
    return f"{MONTHS[int(month[5:]) - 1]} {month[:4]}"


# --- the report kept for the charts of a page view ------------------------------------------------


@dataclass
class _Kept:
    made_at: datetime
    report: reports.OperationsReport
    svgs: dict[str, str] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class ReportCache:
    """Per user the report of their last dashboard view, for :data:`CHART_SECONDS`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_user: dict[str, _Kept] = {}

    def put(self, user_id: str, report: reports.OperationsReport, now: datetime) -> _Kept:
        kept = _Kept(now, report)
        with self._lock:
            self._drop_old(now)
            self._by_user.pop(user_id, None)
            self._by_user[user_id] = kept
            while len(self._by_user) > CHART_USERS:
                self._by_user.pop(next(iter(self._by_user)))
        return kept

    def get(self, user_id: str, now: datetime) -> _Kept | None:
        with self._lock:
            self._drop_old(now)
            return self._by_user.get(user_id)

    def _drop_old(self, now: datetime) -> None:
        limit = timedelta(seconds=CHART_SECONDS)
        for user_id in [u for u, kept in self._by_user.items() if not timedelta(0) <= now - kept.made_at < limit]:
            del self._by_user[user_id]


_CACHE_LOCK = threading.Lock()


def report_cache(request: Request) -> ReportCache:
    """The application's :class:`ReportCache` (made on first use)."""
    state = request.app.state
    with _CACHE_LOCK:
        cache = getattr(state, "dashboard_reports", None)
        if cache is None:
            cache = state.dashboard_reports = ReportCache()
    return cache


def _new_report(request: Request, user_id: str) -> tuple[reports.OperationsReport, datetime]:
    web = state_of(request)
    now = web.clock()
    return reports.operations_report(web.engine, web.settings, user_id, now), now


# --- the pages ------------------------------------------------------------------------------------


@pages.get("/dashboard", permission="dashboard.read", nav="Dashboard")
def dashboard(request: Request, user: CurrentUser) -> Response:
    """The operations report: four charts and their tables (one report, one audit entry)."""
    report, now = _new_report(request, user.user_id)
    report_cache(request).put(user.user_id, report, now)
    return render(request, "dashboard/dashboard.html", _context(report))


@pages.get("/dashboard/grafiek/{key}.svg", permission="dashboard.read")
def chart(request: Request, user: CurrentUser, key: str) -> Response:
    """One chart of the report of the user's last page view as an SVG image."""
    if key not in reports.CHART_TITLES:
        raise not_found()
    cache = report_cache(request)
    now = state_of(request).clock()
    kept = cache.get(user.user_id, now)
    if kept is None:
        report, now = _new_report(request, user.user_id)
        kept = cache.put(user.user_id, report, now)
    with kept.lock:  # the first of the four requests draws all four
        if kept.svgs is None:
            kept.svgs = reports.svg_charts(kept.report)
    return Response(kept.svgs[key], media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


# --- what the template shows ----------------------------------------------------------------------


def _context(report: reports.OperationsReport) -> dict:
    zone = report.options.timezone
    return {
        "now": local_time(report.now, zone),
        "now_iso": iso(report.now),
        "options": report.options,
        "alt": {key: f"{title}: {CHART_ALT[key]}" for key, title in reports.CHART_TITLES.items()},
        "calls": _calls(report.calls_per_day),
        "requests": _requests(report.requests),
        "age_labels": AGE_LABELS,
        "open_requests": _open_requests(report.open_requests, zone),
        "coaching": _coaching(report),
        "expiring": _expiring(report.expiring),
        "retention": _retention(report.retention, zone),
    }


def _calls(frame: pd.DataFrame) -> dict:
    days = [{"date": local_date(row.date, weekday=True), "iso": row.date.date().isoformat(),
             "inbound": int(row.inbound), "outbound": int(row.outbound), "erased": int(row.erased),
             "total": int(row.total)}
            for row in frame.iloc[::-1].itertuples(index=False)]
    busiest = frame.loc[frame["total"].idxmax()] if len(frame) and frame["total"].any() else None
    return {
        "days": days,
        "total": int(frame["total"].sum()),
        "inbound": int(frame["inbound"].sum()),
        "outbound": int(frame["outbound"].sum()),
        "erased": int(frame["erased"].sum()),
        "today": int(frame["total"].iloc[-1]) if len(frame) else 0,
        "per_day": decimal(frame["total"].mean() if len(frame) else 0),
        "busiest": (local_date(busiest["date"]), int(busiest["total"])) if busiest is not None else None,
        "first": local_date(frame["date"].iloc[0]) if len(frame) else None,
    }


def _requests(frame: pd.DataFrame) -> list[dict]:
    columns = [column for column, _, _ in reports.AGE_BUCKETS]
    return [{"workflow": row["workflow"], "kind": KIND_LABELS.get(row["kind"], row["kind"]),
             "state": STATE_LABELS.get(row["state"], row["state"]), "ages": [int(row[c]) for c in columns],
             "total": int(row["total"]),
             "old": int(row["over_7_days"]) > 0 and row["state"] in reports.OPEN_STATES}
            for _, row in frame.iterrows() if int(row["total"])]


def _open_requests(frame: pd.DataFrame, zone: str) -> list[dict]:
    rows = []
    for _, row in frame.iterrows():
        oldest = row["oldest_request_id"] if isinstance(row["oldest_request_id"], str) else None
        age = row["oldest_age_days"]
        rows.append({"workflow": WORKFLOW_LABELS.get(row["workflow"], row["workflow"]), "open": int(row["open"]),
                     "requested": int(row["requested"]), "approved": int(row["approved"]), "oldest": oldest,
                     "since": local_time(row["oldest_requested_at"], zone) if oldest else "–",
                     "since_iso": iso(row["oldest_requested_at"]) if oldest else "",
                     "age": decimal(age) if oldest else "–", "late": bool(oldest) and float(age) >= 7})
    return rows


def _coaching(report: reports.OperationsReport) -> dict:
    months = coaching.quarter_months(report.options.quarter)
    frame = report.coaching
    cells = {(row.employee_id, row.month): row for row in frame.itertuples(index=False)}
    employees = sorted(frame["employee_id"].unique()) if len(frame) else []
    rows = [{"employee": employee,
             "months": [{"picked": int(cells[(employee, m)].picked), "sessions": int(cells[(employee, m)].sessions),
                         "acknowledged": int(cells[(employee, m)].acknowledged)} for m in months]}
            for employee in employees]
    totals = [{"picked": sum(1 for r in rows if r["months"][i]["picked"]),
               "sessions": sum(1 for r in rows if r["months"][i]["sessions"]),
               "acknowledged": sum(1 for r in rows if r["months"][i]["acknowledged"])} for i in range(len(months))]
    year, number = report.options.quarter.split("Q")
    return {"quarter": f"{number}e kwartaal {year}", "months": [month_label(m) for m in months], "rows": rows,
            "totals": totals, "employees": len(rows)}


def _expiring(frame: pd.DataFrame) -> dict:
    days = [{"date": local_date(row.date, weekday=True, year=False), "iso": row.date.date().isoformat(),
             "recordings": int(row.recordings)} for row in frame.itertuples(index=False)]
    return {"days": days, "total": sum(d["recordings"] for d in days)}


def _retention(frame: pd.DataFrame, zone: str) -> dict | None:
    if frame.empty:
        return None
    row = frame.iloc[0]

    def count(column: str) -> int | None:
        value = row[column]
        return None if value is None or pd.isna(value) else int(value)

    actor = row["actor"] if isinstance(row["actor"], str) else None
    return {
        "run_at": local_time(row["run_at"], zone), "run_iso": iso(row["run_at"]),
        "actor": actor, "scheduled": bool(actor) and actor.startswith("schedule:"),
        "expired": count("recordings_expired"), "files": count("files_deleted"), "orphans": count("orphans_swept"),
        "failed": count("failed"), "held": count("held"), "recent": count("runs_last_7_days"),
        "tombstones": count("tombstones"), "last_deleted": local_time(row["last_deleted_at"], zone),
        "has_run": actor is not None,
    }
