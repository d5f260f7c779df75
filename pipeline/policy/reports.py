"""The manager's operations report: calls, requests, coaching coverage, what expires soon and the
last retention run, as pandas DataFrames, and small server-rendered SVG charts of them.

Everything is counted in the database (``GROUP BY``), so memory does not grow with the catalogue:
local days and months are turned into UTC bounds here, and a ``CASE`` over those bounds puts each
row in its bucket, which works the same in SQLite and PostgreSQL and is exact across midnight and
daylight-saving changes. The report holds ids, dates, counts and employee ids (``MW-017``), never
names, phone numbers, reasons, notes or transcript text. Reading it needs ``dashboard.read``
(managers) and is audited as ``dashboard.viewed`` with counts only.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from callscribe.pipeline.errors import PolicyError
from callscribe.pipeline.policy import access, audit, coaching, complaints, subjects
from callscribe.pipeline.policy.four_eyes import State
from callscribe.pipeline.settings import Settings
from callscribe.pipeline.storage import locking
from callscribe.pipeline.storage.catalogue import RecordingState
from callscribe.pipeline.storage.schema import (
    audit_log,
    coaching_picks,
    coaching_sessions,
    recordings,
    tombstones,
)

logger = logging.getLogger(__name__)

EXPIRING_DAYS = 7  # days ahead the report looks for recordings that expire
# Age buckets of requests, by time since filed: (column, lower bound in days, label in the charts).
AGE_BUCKETS = (("under_1_day", 0, "< 1 dag"), ("days_1_3", 1, "1–3 dagen"), ("days_3_7", 3, "3–7 dagen"),
               ("over_7_days", 7, "> 7 dagen"))
OPEN_STATES = (State.REQUESTED, State.APPROVED)  # not yet decided, or decided and not yet carried out
# The workflows counted, each with the table and kinds it holds.
_WORKFLOWS = (("request", complaints.WORKFLOW, complaints.KINDS), ("subject_request", subjects.WORKFLOW, subjects.KINDS))

CHART_TITLES = {
    "calls_per_day": "Gesprekken per dag",
    "requests": "Verzoeken per status en leeftijd",
    "coaching": "Coachingdekking",
    "expiring": "Verloopt binnen 7 dagen",
}


@dataclass(frozen=True)
class ReportOptions:
    """What a report was made with: the local calendar, the retention period (also the window of
    calls per day), the days ahead for expiring recordings and the coaching quarter."""

    timezone: str
    retention_days: int
    expiring_days: int
    quarter: str


@dataclass(frozen=True, eq=False)
class OperationsReport:
    """The operations report at ``now`` (local time); ids, dates and counts only.

    Attributes:
        calls_per_day: ``date`` (local day, the last ``retention_days`` days up to today),
            ``inbound``, ``outbound`` (recordings in the catalogue), ``erased`` (erased early, so a
            tombstone), ``total``.
        requests: per ``workflow`` (``request``: transcript and listen-back; ``subject_request``:
            access and erasure), ``kind`` and ``state``, the requests filed ``under_1_day``,
            ``days_1_3``, ``days_3_7`` and ``over_7_days`` ago, and ``total``.
        open_requests: per workflow the open requests (``requested``, ``approved``, ``open``) and
            the oldest open one: ``oldest_request_id``, ``oldest_requested_at`` (local),
            ``oldest_age_days``.
        coaching: per ``employee_id`` and ``month`` of the quarter: ``picked`` (0 or 1),
            ``sessions`` held, sessions ``acknowledged``.
        expiring: per local ``date`` from today on, the ``recordings`` that expire that day and
            have not expired yet.
        retention: the last retention run (one row, none before the first): ``run_at`` (local),
            ``actor``, ``recordings_expired``, ``files_deleted``, ``orphans_swept``, ``failed``,
            ``held``, ``runs_last_7_days``, ``tombstones`` and ``last_deleted_at``.
    """

    now: datetime
    options: ReportOptions
    calls_per_day: pd.DataFrame
    requests: pd.DataFrame
    open_requests: pd.DataFrame
    coaching: pd.DataFrame
    expiring: pd.DataFrame
    retention: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table of the report by name."""
        return {"calls_per_day": self.calls_per_day, "requests": self.requests, "open_requests": self.open_requests,
                "coaching": self.coaching, "expiring": self.expiring, "retention": self.retention}


def operations_report(engine: Engine, settings: Settings, as_user: str | None, now: datetime | None = None, *,
                      quarter: str | None = None) -> OperationsReport:
    """The operations report for ``as_user`` (``dashboard.read``: a manager), audited as
    ``dashboard.viewed`` with counts only.

    Args:
        engine: the catalogue.
        settings: the retention period and time zone (the local calendar of the report).
        as_user: who reads it (a login name).
        now: the moment it describes (timezone-aware); default the current time.
        quarter: the coaching quarter (``2026Q4``); default the quarter of the last month that
            has ended, whose picks are drawn.

    Raises:
        AccessDeniedError: ``as_user`` may not read the dashboard.
        PolicyError: a naive ``now`` or a malformed quarter.
    """
    actor = access.authorize(engine, as_user, "dashboard.read")
    now = datetime.now(UTC) if now is None else now
    if now.tzinfo is None:
        raise PolicyError("now needs a UTC offset, e.g. 2026-11-24T09:14:03+01:00")
    zone = ZoneInfo(settings.retention_timezone)
    if quarter is None:
        last_month = coaching.previous_month(now, settings.retention_timezone)
        quarter = f"{last_month[:4]}Q{(int(last_month[5:]) - 1) // 3 + 1}"
    months = coaching.quarter_months(quarter)
    options = ReportOptions(settings.retention_timezone, settings.retention_days, EXPIRING_DAYS, quarter)
    with locking.snapshot(engine) as conn:  # every table as it was at one moment
        report = OperationsReport(
            now=now.astimezone(zone),
            options=options,
            calls_per_day=_calls_per_day(conn, now, zone, settings.retention_days),
            requests=_requests(conn, now),
            open_requests=_open_requests(conn, now, zone),
            coaching=_coaching(conn, months, settings.retention_timezone),
            expiring=_expiring(conn, now, zone, settings.retention_days, EXPIRING_DAYS),
            retention=_retention(conn, now, zone),
        )
    counts = {
        "calls": int(report.calls_per_day["total"].sum()),
        "requests": int(report.requests["total"].sum()),
        "open_requests": int(report.open_requests["open"].sum()),
        "employees": int(report.coaching["employee_id"].nunique()),
        "expiring": int(report.expiring["recordings"].sum()),
    }
    audit.append(engine, actor.user_id, actor.role, "dashboard.viewed", "dashboard", counts)
    logger.info("operations report for %s: %s", actor.user_id, counts)
    return report


# --- local calendar in SQL ------------------------------------------------------------------------


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first moment of a local day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _bucket(column, bounds: list[datetime]) -> sa.Case:
    """The index ``i`` of the bucket ``bounds[i] <= column < bounds[i + 1]`` (rows outside are
    filtered by the caller): a ``CASE`` the database evaluates."""
    return sa.case(*[(column < upper, index) for index, upper in enumerate(bounds[1:])], else_=None)


def _count_by(conn: Connection, bucket: sa.ColumnElement, *columns: sa.Column, where=()) -> list[sa.Row]:
    """Rows ``(bucket, *columns, n)`` counted in the database. The bucket is computed in a
    subquery and grouped by its column, so the grouping repeats no bound parameter (PostgreSQL
    groups only by an expression identical to the selected one)."""
    inner = sa.select(bucket.label("bucket"), *columns).where(*where).subquery()
    keys = [inner.c.bucket, *(inner.c[column.name] for column in columns)]
    return conn.execute(sa.select(*keys, sa.func.count().label("n")).group_by(*keys)).all()


def _calls_per_day(conn: Connection, now: datetime, zone: ZoneInfo, days: int) -> pd.DataFrame:
    today = now.astimezone(zone).date()
    dates = [today - timedelta(days=days - 1 - i) for i in range(days)]
    bounds = [_midnight(d, zone) for d in [*dates, today + timedelta(days=1)]]
    counts = {(d, direction): 0 for d in range(days) for direction in ("inbound", "outbound")}
    for row in _count_by(conn, _bucket(recordings.c.call_start, bounds), recordings.c.direction,
                         where=(recordings.c.call_start >= bounds[0], recordings.c.call_start < bounds[-1])):
        if row.direction in ("inbound", "outbound"):
            counts[(row.bucket, row.direction)] += row.n
    erased = dict(conn.execute(
        sa.select(tombstones.c.call_date, sa.func.count()).where(tombstones.c.call_date.between(dates[0], today))
        .group_by(tombstones.c.call_date)).all())
    frame = pd.DataFrame({
        "date": pd.to_datetime(dates),
        "inbound": [counts[(i, "inbound")] for i in range(days)],
        "outbound": [counts[(i, "outbound")] for i in range(days)],
        "erased": [erased.get(d, 0) for d in dates],
    })
    frame["total"] = frame["inbound"] + frame["outbound"] + frame["erased"]
    return frame


def _requests(conn: Connection, now: datetime) -> pd.DataFrame:
    rows = []
    for workflow_name, workflow, kinds in _WORKFLOWS:
        table = workflow.table
        bounds = [now - timedelta(days=lower) for _, lower, _ in reversed(AGE_BUCKETS[1:])]  # oldest first
        # requested_at before the 7-day bound: over 7 days; ... after the 1-day bound: under a day
        age = sa.case(*[(table.c.requested_at <= bound, len(AGE_BUCKETS) - 1 - i) for i, bound in enumerate(bounds)],
                      else_=0)
        counts: dict[tuple[str, str], list[int]] = {
            (kind, state.value): [0] * len(AGE_BUCKETS) for kind in kinds for state in workflow.states}
        for row in _count_by(conn, age, table.c.kind, table.c.state):
            counts.setdefault((row.kind, row.state), [0] * len(AGE_BUCKETS))[row.bucket] += row.n
        rows += [(workflow_name, kind, state, *values) for (kind, state), values in counts.items()]
    frame = pd.DataFrame(rows, columns=["workflow", "kind", "state", *(column for column, _, _ in AGE_BUCKETS)])
    frame["total"] = frame[[column for column, _, _ in AGE_BUCKETS]].sum(axis=1)
    return frame


def _open_requests(conn: Connection, now: datetime, zone: ZoneInfo) -> pd.DataFrame:
    rows = []
    for workflow_name, workflow, _ in _WORKFLOWS:
        table = workflow.table
        is_open = table.c.state.in_([state.value for state in OPEN_STATES])
        by_state = dict(conn.execute(sa.select(table.c.state, sa.func.count()).where(is_open)
                                     .group_by(table.c.state)).all())
        oldest = conn.execute(sa.select(table.c.request_id, table.c.requested_at).where(is_open)
                              .order_by(table.c.requested_at, table.c.request_id).limit(1)).first()
        rows.append({
            "workflow": workflow_name,
            "requested": by_state.get(State.REQUESTED.value, 0),
            "approved": by_state.get(State.APPROVED.value, 0),
            "open": sum(by_state.values()),
            "oldest_request_id": oldest.request_id if oldest else None,
            "oldest_requested_at": oldest.requested_at if oldest else None,
            "oldest_age_days": max(0.0, round((now - oldest.requested_at).total_seconds() / 86400, 1)) if oldest else None,
        })
    frame = pd.DataFrame(rows)
    frame["oldest_requested_at"] = _local(frame["oldest_requested_at"], zone)
    frame["oldest_age_days"] = frame["oldest_age_days"].astype("float64")
    return frame


def _local(values: pd.Series, zone: ZoneInfo) -> pd.Series:
    """Moments (UTC or missing) as local times of one dtype, to the second."""
    return pd.to_datetime(values, utc=True).dt.tz_convert(zone.key).dt.floor("s")


def _coaching(conn: Connection, months: tuple[str, str, str], timezone: str) -> pd.DataFrame:
    start, _ = coaching.month_bounds(months[0], timezone)
    _, end = coaching.month_bounds(months[-1], timezone)
    picked = {(row.month, row.employee_id) for row in conn.execute(
        sa.select(coaching_picks.c.month, coaching_picks.c.employee_id).where(coaching_picks.c.month.in_(months)))}
    held = {(row.month, row.employee_id): (row.sessions, row.acknowledged) for row in conn.execute(
        sa.select(coaching_sessions.c.month, coaching_sessions.c.employee_id,
                  sa.func.count().label("sessions"),
                  sa.func.count(coaching_sessions.c.acknowledged_at).label("acknowledged"))
        .where(coaching_sessions.c.month.in_(months))
        .group_by(coaching_sessions.c.month, coaching_sessions.c.employee_id))}
    with_calls = set(conn.execute(
        sa.select(recordings.c.employee_id).distinct()
        .where(recordings.c.call_start >= start, recordings.c.call_start < end)).scalars())
    employees = sorted(with_calls | {employee for _, employee in picked | held.keys()})
    rows = [(employee, month, int((month, employee) in picked), *held.get((month, employee), (0, 0)))
            for employee in employees for month in months]
    return pd.DataFrame(rows, columns=["employee_id", "month", "picked", "sessions", "acknowledged"]).astype(
        {"picked": "int64", "sessions": "int64", "acknowledged": "int64"})


def _expiring(conn: Connection, now: datetime, zone: ZoneInfo, retention_days: int, ahead: int) -> pd.DataFrame:
    """Recordings not yet expired whose expiry (call start + ``retention_days`` calendar days,
    local wall-clock time) falls on each local day from today on: a call expires on the local day
    ``retention_days`` after its own, so each expiry day is a call day."""
    local_now = now.astimezone(zone)
    today = local_now.date()
    dates = [today + timedelta(days=i) for i in range(ahead)]
    bounds = [_midnight(d - timedelta(days=retention_days), zone) for d in [*dates, today + timedelta(days=ahead)]]
    # the earliest call start not expired at now: the same wall-clock time, retention_days earlier
    not_expired_after = (local_now - timedelta(days=retention_days)).astimezone(UTC)
    counts = {row.bucket: row.n for row in _count_by(
        conn, _bucket(recordings.c.call_start, bounds),
        where=(recordings.c.call_start > not_expired_after, recordings.c.call_start < bounds[-1],
               recordings.c.state != RecordingState.EXPIRING.value))}
    return pd.DataFrame({"date": pd.to_datetime(dates), "recordings": [counts.get(i, 0) for i in range(ahead)]})


def _retention(conn: Connection, now: datetime, zone: ZoneInfo) -> pd.DataFrame:
    is_run = audit_log.c.action == "retention.run"
    last = conn.execute(sa.select(audit_log.c.at, audit_log.c.actor, audit_log.c.details).where(is_run)
                        .order_by(audit_log.c.seq.desc()).limit(1)).first()
    recent = conn.execute(sa.select(sa.func.count()).select_from(audit_log)
                          .where(is_run, audit_log.c.at > now - timedelta(days=7))).scalar_one()
    stones, last_deleted = conn.execute(sa.select(sa.func.count(), sa.func.max(tombstones.c.deleted_at))).one()
    columns = ["run_at", "actor", "recordings_expired", "files_deleted", "orphans_swept", "failed", "held",
               "runs_last_7_days", "tombstones", "last_deleted_at"]
    if last is None and not stones:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})
    details = _details(last.details) if last is not None else {}
    if last_deleted is not None and last_deleted.tzinfo is None:  # a plain column: the database's UTC
        last_deleted = last_deleted.replace(tzinfo=UTC)
    row = {
        "run_at": last.at if last is not None else None,
        "actor": last.actor if last is not None else None,
        **{column: details.get(key) for column, key in (("recordings_expired", "recordings"), ("files_deleted", "files"),
                                                         ("orphans_swept", "orphans"), ("failed", "failed"),
                                                         ("held", "held"))},
        "runs_last_7_days": int(recent),
        "tombstones": int(stones),
        "last_deleted_at": last_deleted,
    }
    frame = pd.DataFrame([row], columns=columns)
    for column in ("run_at", "last_deleted_at"):
        frame[column] = _local(frame[column], zone)
    return frame


def _details(text: str) -> dict[str, int]:
    """The counts of a ``retention.run`` entry (older entries may lack some)."""
    try:
        values = json.loads(text)
    except ValueError:
        return {}
    return {key: value for key, value in values.items() if isinstance(value, int) and not isinstance(value, bool)} \
        if isinstance(values, dict) else {}


# --- charts ---------------------------------------------------------------------------------------

_RENDER = threading.Lock()  # matplotlib's rcParams are process-wide: one chart at a time
_RC = {
    "svg.fonttype": "none",  # text stays text: searchable, scalable, small
    "svg.hashsalt": "callscribe",  # clip-path and marker ids from a fixed salt: the same bytes every time
    "text.parse_math": False,  # a "$" in a label is a dollar sign
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_STATE_LABELS = {"requested": "aangevraagd", "approved": "goedgekeurd", "rejected": "afgewezen",
                 "released": "vrijgegeven", "executed": "uitgevoerd"}
_WORKFLOW_LABELS = {"request": "Verzoek", "subject_request": "AVG-verzoek"}
_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}  # nothing that changes between runs
_SPACES = re.compile(r"\s+")


def svg_charts(report: OperationsReport) -> dict[str, str]:
    """Each chart of the report as an SVG element with Dutch titles and labels, by key
    (``calls_per_day``, ``requests``, ``coaching``, ``expiring``; titles in :data:`CHART_TITLES`).

    The SVGs are deterministic (the same report gives the same bytes), keep text as text, carry no
    metadata, start at ``<svg`` (no XML declaration or doctype) and prefix their ids and scope their
    style with the chart's key, so several can be inlined in one HTML page. Labels from data are
    cleaned of control characters and escaped. Rendering uses figures of their own on the Agg
    canvas (no pyplot state) and holds a lock, as matplotlib's settings are process-wide.
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    draw = {"calls_per_day": _draw_calls, "requests": _draw_requests, "coaching": _draw_coaching,
            "expiring": _draw_expiring}
    charts = {}
    with _RENDER, rc_context(_RC):
        for key, painter in draw.items():
            figure = Figure(figsize=(7.2, 3.0), layout="constrained")
            FigureCanvasAgg(figure)  # the Agg canvas measures text; savefig writes SVG
            axes = figure.add_subplot()
            painter(axes, report)
            axes.set_title(CHART_TITLES[key], loc="left", fontweight="bold")
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", metadata=_METADATA)
            charts[key] = _inline(buffer.getvalue(), key, CHART_TITLES[key])
    return charts


def _inline(svg: str, key: str, title: str) -> str:
    """The ``<svg>`` element alone, its ids prefixed with ``key``, its style scoped to itself and
    an accessible name: safe to put in an HTML page beside other charts."""
    svg = svg[svg.index("<svg"):]
    svg = svg.replace(' id="', f' id="{key}-').replace("url(#", f"url(#{key}-").replace('href="#', f'href="#{key}-')
    svg = svg.replace("<style type=\"text/css\">*{", f"<style type=\"text/css\">svg.chart-{key} *{{", 1)
    return svg.replace("<svg ", f'<svg class="chart-{key}" role="img" aria-label="{_escape(title)}" ', 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _label(value: object, limit: int = 40) -> str:
    """A label from data: printable characters only, whitespace collapsed, at most ``limit``
    characters (matplotlib escapes what SVG needs escaped)."""
    text = "".join(ch for ch in str(value) if not unicodedata.category(ch).startswith("C") or ch in " \t\n")
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _no_data(axes, empty: bool) -> None:
    """An empty chart says so, without axes or ticks that would read as data."""
    if empty:
        axes.clear()
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Geen gegevens", transform=axes.transAxes, ha="center", va="center", color="#777777")


def _day(value) -> str:
    return f"{value.day:02d}-{value.month:02d}"


def _draw_calls(axes, report: OperationsReport) -> None:
    frame = report.calls_per_day
    positions = list(range(len(frame)))
    bottom = [0] * len(frame)
    for column, label, colour in (("inbound", "Inkomend", "#1f5f8b"), ("outbound", "Uitgaand", "#7fb3d5"),
                                  ("erased", "Gewist", "#b0b0b0")):
        values = frame[column].tolist()
        if column == "erased" and not any(values):
            continue
        axes.bar(positions, values, bottom=bottom, width=0.8, color=colour, label=label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ticks = positions[::-7][::-1]  # every seventh day, ending today
    axes.set_xticks(ticks, [_label(_day(frame["date"].iloc[i])) for i in ticks])
    axes.set_xlim(-0.6, len(frame) - 0.4)
    axes.set_xlabel(f"Datum ({_label(report.options.timezone)})")
    axes.set_ylabel("Gesprekken")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.legend(frameon=False, loc="lower right", ncols=3, bbox_to_anchor=(1, 1))
    _no_data(axes, not frame["total"].any())


def _draw_requests(axes, report: OperationsReport) -> None:
    columns = [column for column, _, _ in AGE_BUCKETS]
    totals = report.requests.groupby(["workflow", "state"], sort=False)[columns].sum()
    labels = [_label(f"{_WORKFLOW_LABELS.get(w, w)}: {_STATE_LABELS.get(s, s)}") for w, s in totals.index]
    positions = list(range(len(totals)))[::-1]  # first row on top
    left = [0] * len(totals)
    for (column, _, label), colour in zip(AGE_BUCKETS, ("#9bd3ae", "#f6d55c", "#ed8a3f", "#c0392b"), strict=True):
        values = totals[column].tolist()
        axes.barh(positions, values, left=left, height=0.7, color=colour, label=label)
        left = [a + v for a, v in zip(left, values, strict=True)]
    axes.set_yticks(positions, labels)
    axes.set_xlabel("Verzoeken (leeftijd sinds indienen)")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.legend(frameon=False, loc="lower right")
    _no_data(axes, not any(left))


def _draw_coaching(axes, report: OperationsReport) -> None:
    frame = report.coaching
    months = coaching.quarter_months(report.options.quarter)
    stages = (("Niet getrokken", "#dddddd"), ("Getrokken, geen sessie", "#f6d55c"),
              ("Sessie gehouden", "#7fb3d5"), ("Sessie bevestigd", "#1f5f8b"))
    counts = {month: [0, 0, 0, 0] for month in months}
    for row in frame.itertuples(index=False):
        stage = 3 if row.acknowledged else 2 if row.sessions else 1 if row.picked else 0
        counts[row.month][stage] += 1
    positions = list(range(len(months)))
    bottom = [0] * len(months)
    for stage, (label, colour) in enumerate(stages):
        values = [counts[month][stage] for month in months]
        axes.bar(positions, values, bottom=bottom, width=0.6, color=colour, label=label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xticks(positions, [_label(f"{_MONTHS[int(m[5:]) - 1]} {m[:4]}") for m in months])
    axes.set_ylabel("Medewerkers")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    _no_data(axes, frame.empty)


def _draw_expiring(axes, report: OperationsReport) -> None:
    frame = report.expiring
    positions = list(range(len(frame)))
    bars = axes.bar(positions, frame["recordings"].tolist(), width=0.6, color="#ed8a3f")
    axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_xticks(positions, [_label(f"{_WEEKDAYS[d.weekday()]} {_day(d)}") for d in frame["date"]])
    axes.set_ylabel("Opnamen")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.margins(y=0.15)
    _no_data(axes, not frame["recordings"].any())
