"""The coaching pages: the quarter's picks per employee, a pick's coaching transcript, logging a
session (with a note and the employee's acknowledgement) and reading a session's note.

Everything is asked of the library as the logged-in user (``coaching.quarter_overview``,
``log_session``, ``acknowledge_session``, ``get_session``), which authorises and audits; these
pages only parse forms, call it and show its answers in Dutch. Paths carry ids only (a month, an
employee id, a session id, a quarter); a session's note is personal data about the employee and
appears only on its own page, never in a path, a message or the log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from callscribe.pipeline.errors import AccessDeniedError, CallscribeError, DuplicateSessionError, PolicyError
from callscribe.pipeline.policy import accounts, coaching
from callscribe.pipeline.policy.identity import User
from callscribe.pipeline.storage import transcripts
from callscribe.web.auth import CurrentUser, not_found, state_of
from callscribe.web.dutch import MONTHS
from callscribe.web.dutch import local_time as local_datetime
from callscribe.web.dutch import short_date as local_date
from callscribe.web.routes import Pages, render

pages = Pages()

QUARTERS_SHOWN = 8  # the current quarter and the seven before it, in the quarter select
NOTE_FORM_MAX = 10 * coaching.COACHING_NOTE_MAX  # a longer form field is refused before the library sees it
HELD_AT_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


TRANSCRIPT_STATES = {  # the library's transcript state → (Dutch text, badge)
    "coaching.md": ("Klaar", "ok"),
    "transcribed": ("Getranscribeerd; de coachingversie volgt", "warn"),
    "processing": ("Wordt nu getranscribeerd", "warn"),
    "ingested": ("Nog niet getranscribeerd", "warn"),
    "failed": ("Transcriberen mislukt", "error"),
    "expiring": ("Opname verlopen", "error"),
    "expired": ("Opname verlopen", "error"),
}

_TURN = re.compile(r"\*\*\[(?P<time>[^\]]*)\] (?P<speaker>[^*]+?):\*\* ?(?P<text>.*)")
_TAG = re.compile(r"(\[[A-Z][A-Z_]*-[^\]\s]+\])")


# --- dates, months and quarters in Dutch --------------------------------------------------------


def month_label(month: str) -> str:
    """``oktober 2026`` for ``2026-10``."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def quarter_of(month: str) -> str:
    """The quarter (``2026Q4``) a month (``2026-10``) lies in."""
    year, number = month.split("-")
    return f"{year}Q{(int(number) - 1) // 3 + 1}"


def shift_quarter(quarter: str, by: int) -> str:
    """The quarter ``by`` quarters after ``quarter`` (before it when negative)."""
    index = int(quarter[:4]) * 4 + int(quarter[5]) - 1 + by
    return f"{index // 4:04d}Q{index % 4 + 1}"


def quarter_label(quarter: str) -> str:
    """``4e kwartaal 2026 (oktober – december)``."""
    months = coaching.quarter_months(quarter)
    return (f"{quarter[5]}e kwartaal {quarter[:4]} "
            f"({MONTHS[int(months[0][5:]) - 1]} – {MONTHS[int(months[-1][5:]) - 1]})")


def default_quarter(now: datetime, timezone: str) -> str:
    """The quarter of the last month that has ended: the one whose picks are there to coach (in a
    quarter's first month its own picks are not drawn yet)."""
    return quarter_of(coaching.previous_month(now, timezone))


@dataclass(frozen=True)
class Expiry:
    """How long a pick's recording is still kept, as the page says it."""

    at: str  # "11 dec. 2026 10:00"
    text: str  # "nog 12 dagen"
    urgent: bool  # 7 days or fewer: shown red
    days: int | None  # calendar days left (local), None once expired


def expiry_of(expires_at: datetime, now: datetime, zone: ZoneInfo) -> Expiry:
    """Days left before a recording expires: local calendar days from today to the expiry date."""
    at = local_datetime(expires_at, zone)
    if expires_at <= now:
        return Expiry(at, "verlopen", True, None)
    days = (expires_at.astimezone(zone).date() - now.astimezone(zone).date()).days
    text = "verloopt vandaag" if days == 0 else "nog 1 dag" if days == 1 else f"nog {days} dagen"
    return Expiry(at, text, days <= 7, days)


# --- what the pages show ------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionRow:
    """A session as listed (never its note)."""

    session_id: str
    held_at: str
    coach: str
    has_note: bool
    acknowledged_at: str | None
    acknowledged_by: str | None


@dataclass(frozen=True)
class MonthRow:
    """One employee's month of a quarter: the pick, or why there is none."""

    month: str
    label: str
    status: str  # "pick", "none" (no eligible call), "undrawn" (not drawn yet), "open" (the month runs)
    status_text: str = ""
    call_id: str | None = None
    call_date: str | None = None
    expiry: Expiry | None = None
    transcript_text: str | None = None
    transcript_badge: str | None = None
    sessions: tuple[SessionRow, ...] = ()


@dataclass
class EmployeeBlock:
    employee_id: str
    months: list[MonthRow] = field(default_factory=list)


def _session_rows(details: list[dict], zone: ZoneInfo) -> tuple[SessionRow, ...]:
    return tuple(SessionRow(
        d["session_id"], local_datetime(datetime.fromisoformat(d["held_at"]), zone), d["coach"], bool(d["note"]),
        local_datetime(datetime.fromisoformat(d["acknowledged_at"]), zone) if d["acknowledged_at"] else None,
        d["acknowledged_by"]) for d in details)


def _pick_row(row: dict, now: datetime, zone: ZoneInfo) -> MonthRow:
    text, badge = TRANSCRIPT_STATES.get(row["transcript"], ("Onbekend", "warn"))
    return MonthRow(row["month"], month_label(row["month"]), "pick", call_id=row["call_id"],
                    call_date=local_date(date.fromisoformat(row["call_date"])),
                    expiry=expiry_of(datetime.fromisoformat(row["expires_at"]), now, zone),
                    transcript_text=text, transcript_badge=badge,
                    sessions=_session_rows(row["session_details"], zone))


def _overview(request: Request, user: User, quarter: str) -> Response:
    web = state_of(request)
    try:
        months = coaching.quarter_months(quarter)
    except PolicyError:
        raise not_found() from None
    timezone = web.settings.retention_timezone
    zone = ZoneInfo(timezone)
    now = web.clock()
    try:
        rows = coaching.quarter_overview(web.engine, web.settings, quarter, user.user_id)
        known = coaching.list_employees(web.engine, user.user_id)
    except AccessDeniedError:
        raise not_found() from None
    picks = {(r["month"], r["employee_id"]): r for r in rows}
    drawn = {r["month"] for r in rows}
    # The catalogue's employees (calls of the last retention period) belong to quarters that overlap
    # that period; an older quarter lists those who had a pick.
    _, quarter_end = coaching.month_bounds(months[-1], timezone)
    recent = quarter_end > now - timedelta(days=web.settings.retention_days)
    employees = sorted({r["employee_id"] for r in rows} | ({e.employee_id for e in known} if recent else set()))
    blocks = []
    for employee_id in employees:
        block = EmployeeBlock(employee_id)
        for month in months:
            row = picks.get((month, employee_id))
            _, end = coaching.month_bounds(month, timezone)
            if row is not None:
                block.months.append(_pick_row(row, now, zone))
            elif now < end:
                block.months.append(MonthRow(month, month_label(month), "open",
                                             f"Maand loopt nog; geloot op {local_date(end.date())}"))
            elif month not in drawn:
                block.months.append(MonthRow(month, month_label(month), "undrawn", "Nog niet geloot"))
            else:
                block.months.append(MonthRow(month, month_label(month), "none", "Geen geschikt gesprek"))
        blocks.append(block)
    current = quarter_of(coaching.month_of(now, timezone))
    choices = [shift_quarter(current, -i) for i in range(QUARTERS_SHOWN)]
    if quarter not in choices:
        choices.append(quarter)
    return render(request, "coaching/overview.html", {
        "quarter": quarter, "quarter_label": quarter_label(quarter),
        "previous": shift_quarter(quarter, -1),
        "next": shift_quarter(quarter, 1) if quarter < current else None,
        "choices": [(q, quarter_label(q)) for q in choices],
        "blocks": blocks, "months": [month_label(m) for m in months],
        "may_log": accounts.may(user, "coaching.session"),
        "may_read_note": accounts.may(user, "coaching.note.read"),
        "retention_days": web.settings.retention_days,
        "min_duration": f"{web.settings.coaching_min_duration_s:g}",
    })


@dataclass(frozen=True)
class Turn:
    """One utterance of a coaching transcript; ``parts`` are (text, is a redaction label)."""

    time: str
    speaker: str
    role: str  # "medewerker", "klant" or "ander": for the page's colours
    parts: tuple[tuple[str, bool], ...]


def transcript_turns(markdown: str) -> list[Turn]:
    """The utterances of a readable transcript (``transcripts.render_markdown``'s layout)."""
    turns = []
    for line in markdown.splitlines():
        found = _TURN.fullmatch(line.strip())
        if found is None:
            continue
        speaker = found["speaker"].strip()
        role = speaker.lower() if speaker.lower() in ("medewerker", "klant") else "ander"
        parts = tuple((piece, bool(_TAG.fullmatch(piece))) for piece in _TAG.split(found["text"]) if piece)
        turns.append(Turn(found["time"], speaker, role, parts))
    return turns


def _find_pick(request: Request, user: User, month: str, employee_id: str) -> dict:
    """The quarter overview's row of one pick, asked of the library as ``user``; otherwise 404."""
    web = state_of(request)
    try:
        coaching.check_month(month)
        rows = coaching.quarter_overview(web.engine, web.settings, quarter_of(month), user.user_id)
    except (PolicyError, AccessDeniedError):
        raise not_found() from None
    row = next((r for r in rows if r["month"] == month and r["employee_id"] == employee_id), None)
    if row is None:
        raise not_found()
    return row


def _pick_page(request: Request, user: User, month: str, employee_id: str, *, message: str | None = None,
               form: dict | None = None, errors: dict | None = None, again_of: str | None = None,
               error: str | None = None, status_code: int = 200) -> Response:
    web = state_of(request)
    settings = web.settings
    zone = ZoneInfo(settings.retention_timezone)
    now = web.clock()
    row = _find_pick(request, user, month, employee_id)
    turns, raw = [], None
    if row["transcript"] == "coaching.md":
        text = coaching.read_coaching_transcript(web.engine, settings, month, employee_id, user.user_id)
        if text is None:  # removed by retention since the overview was read
            row = {**row, "transcript": "expired"}
        else:
            turns = transcript_turns(text)
            raw = None if turns else text
    pick = coaching.get_pick(web.engine, month, employee_id)
    earliest = pick.drawn_at.astimezone(zone).replace(second=0, microsecond=0)
    if earliest < pick.drawn_at:
        earliest += timedelta(minutes=1)
    name = coaching.employee_name(web.engine, employee_id) if settings.coaching_show_employee_name else None
    values = {"held_at": now.astimezone(zone).strftime(HELD_AT_FORMAT), "note": "", "acknowledged": False}
    values.update(form or {})
    return render(request, "coaching/pick.html", {
        "month": month, "month_label": month_label(month), "employee_id": employee_id, "employee_name": name,
        "quarter": quarter_of(month), "pick": _pick_row(row, now, zone), "transcript_state": row["transcript"],
        "turns": turns, "raw": raw, "tag_explanation": transcripts.TAG_EXPLANATION,
        "message": message, "error": error, "form": values, "errors": errors or {}, "again_of": again_of,
        "held_min": earliest.strftime(HELD_AT_FORMAT), "held_max": now.astimezone(zone).strftime(HELD_AT_FORMAT),
        "note_max": coaching.COACHING_NOTE_MAX,
        "may_log": accounts.may(user, "coaching.session"),
        "may_acknowledge": accounts.may(user, "coaching.acknowledge"),
        "may_read_note": accounts.may(user, "coaching.note.read"),
    }, status_code=status_code)


def _session_of_pick(request: Request, user: User, month: str, employee_id: str, session_id: str) -> None:
    """404 unless ``session_id`` is a session about this pick."""
    row = _find_pick(request, user, month, employee_id)
    if not any(d["session_id"] == session_id for d in row["session_details"]):
        raise not_found()


# --- the library's refusals in Dutch ------------------------------------------------------------

_NOTE_LENGTH = re.compile(r"the note has (\d+) characters")


def session_refusal(err: PolicyError) -> tuple[str, str]:
    """The field a refused session is about (``held_at``, ``note``, ``again`` or ``form``) and
    what to tell the user, in Dutch. The library's messages never hold the note."""
    text = str(err)
    if isinstance(err, DuplicateSessionError):
        return "again", ("Over dit gesprek is voor die dag al een sessie vastgelegd. Was dit echt een tweede "
                         "sessie? Vink dan hieronder ‘nogmaals vastleggen’ aan.")
    if "before" in text and "was drawn" in text:
        return "held_at", "Deze tijd ligt vóór de loting van dit gesprek. Controleer wanneer de sessie is gehouden."
    if "in the future" in text:
        return "held_at", "Deze tijd ligt in de toekomst. Leg een sessie vast nadat ze is gehouden."
    length = _NOTE_LENGTH.search(text)
    if length:
        return "note", (f"De notitie heeft {length.group(1)} tekens; er passen er hoogstens "
                        f"{coaching.COACHING_NOTE_MAX} in. Maak haar korter.")
    if "control characters" in text or "UTF-8" in text:
        return "note", "De notitie bevat tekens die geen gewone tekst zijn. Gebruik gewone tekst; regeleinden mogen."
    return "form", "De sessie kon niet worden vastgelegd. Controleer de gegevens en probeer het opnieuw."


def _parse_held_at(value: str, zone: ZoneInfo) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


# --- the pages ----------------------------------------------------------------------------------


@pages.get("/coaching", permission="coaching.read", nav="Coaching")
def overview(request: Request, user: CurrentUser) -> Response:
    """The picks of the quarter whose last month ended most recently, per employee."""
    web = state_of(request)
    return _overview(request, user, default_quarter(web.clock(), web.settings.retention_timezone))


@pages.get("/coaching/kwartaal/{quarter}", permission="coaching.read")
def quarter_page(request: Request, user: CurrentUser, quarter: str) -> Response:
    """The picks of another quarter (``2026Q4``)."""
    return _overview(request, user, quarter)


@pages.post("/coaching/kwartaal", permission="coaching.read")
def choose_quarter(request: Request, quarter: str = Form("", max_length=8)) -> Response:
    """The quarter select: to that quarter's page (a path, not a query string)."""
    try:
        coaching.quarter_months(quarter)
    except PolicyError:
        raise not_found() from None
    return RedirectResponse(f"/coaching/kwartaal/{quarter}", status_code=303)


@pages.get("/coaching/sessies/{session_id}", permission="coaching.note.read")
def session_page(request: Request, user: CurrentUser, session_id: str) -> Response:
    """One session with its note; the library records the reading in the audit log."""
    web = state_of(request)
    zone = ZoneInfo(web.settings.retention_timezone)
    try:
        session = coaching.get_session(web.engine, session_id, user.user_id)
    except (PolicyError, AccessDeniedError):
        raise not_found() from None
    return render(request, "coaching/session.html", {
        "session": session, "month_label": month_label(session.month),
        "held_at": local_datetime(session.held_at, zone),
        "acknowledged_at": local_datetime(session.acknowledged_at, zone) if session.acknowledged_at else None,
    })


@pages.post("/coaching/sessies/{session_id}/bevestigd", permission="coaching.acknowledge")
def acknowledge(request: Request, user: CurrentUser, session_id: str,
                month: str = Form("", max_length=16), employee_id: str = Form("", max_length=64)) -> Response:
    """Record that the employee acknowledged a session, then back to its pick."""
    web = state_of(request)
    try:
        session = coaching.acknowledge_session(web.engine, session_id, user.user_id, web.clock(),
                                               timezone=web.settings.retention_timezone)
    except AccessDeniedError:
        raise not_found() from None
    except PolicyError:
        # an unknown session, or one acknowledged already: on the pick's page when it is one of its sessions
        _session_of_pick(request, user, month, employee_id, session_id)
        return _pick_page(request, user, month, employee_id, status_code=409,
                          error=f"De bevestiging van sessie {session_id} was al vastgelegd; zie de lijst hieronder.")
    return RedirectResponse(f"/coaching/{session.month}/{session.employee_id}/bevestigd/{session.session_id}",
                            status_code=303)


@pages.get("/coaching/{month}/{employee_id}", permission="coaching.read")
def pick_page(request: Request, user: CurrentUser, month: str, employee_id: str) -> Response:
    """A pick: its call, how long it is kept, its coaching transcript, its sessions and the form
    to log one."""
    return _pick_page(request, user, month, employee_id)


@pages.get("/coaching/{month}/{employee_id}/vastgelegd/{session_id}", permission="coaching.read")
def pick_session_logged(request: Request, user: CurrentUser, month: str, employee_id: str,
                        session_id: str) -> Response:
    """The pick's page after logging a session (Post/Redirect/Get), saying so."""
    _session_of_pick(request, user, month, employee_id, session_id)
    return _pick_page(request, user, month, employee_id, message=f"Sessie {session_id} is vastgelegd.")


@pages.get("/coaching/{month}/{employee_id}/bevestigd/{session_id}", permission="coaching.read")
def pick_session_acknowledged(request: Request, user: CurrentUser, month: str, employee_id: str,
                              session_id: str) -> Response:
    """The pick's page after recording an acknowledgement, saying so."""
    _session_of_pick(request, user, month, employee_id, session_id)
    return _pick_page(request, user, month, employee_id,
                      message=f"De bevestiging van de medewerker is vastgelegd bij sessie {session_id}.")


@pages.post("/coaching/{month}/{employee_id}/sessie", permission="coaching.session")
def log_session(request: Request, user: CurrentUser, month: str, employee_id: str,
                held_at: str = Form("", max_length=40), note: str = Form("", max_length=NOTE_FORM_MAX),
                acknowledged: str | None = Form(None, max_length=8),
                again: str | None = Form(None, max_length=8)) -> Response:
    """Log a session about a pick (the library checks the time, the note and a second session on
    the same day); with the box ticked, the employee's acknowledgement too."""
    web = state_of(request)
    zone = ZoneInfo(web.settings.retention_timezone)
    _find_pick(request, user, month, employee_id)
    form = {"held_at": held_at, "note": note, "acknowledged": acknowledged is not None}
    when = _parse_held_at(held_at, zone)
    if when is None:
        return _pick_page(request, user, month, employee_id, form=form, status_code=400,
                          errors={"held_at": "Vul de datum en tijd van de sessie in, bijvoorbeeld 12-11-2026 14:00."})
    try:
        session = coaching.log_session(web.engine, month, employee_id, user.user_id, when, web.clock(),
                                       again=again is not None, note=note,
                                       timezone=web.settings.retention_timezone)
    except AccessDeniedError:
        raise not_found() from None
    except PolicyError as err:
        where, text = session_refusal(err)
        if where == "again":
            return _pick_page(request, user, month, employee_id, form=form, again_of=text, status_code=409)
        if where == "form":
            return _pick_page(request, user, month, employee_id, form=form, error=text, status_code=400)
        return _pick_page(request, user, month, employee_id, form=form, errors={where: text}, status_code=400)
    if acknowledged is not None:
        try:
            coaching.acknowledge_session(web.engine, session.session_id, user.user_id, web.clock(),
                                         timezone=web.settings.retention_timezone)
        except CallscribeError:
            pass  # the session stands; the list shows it unacknowledged, with its own button
    return RedirectResponse(f"/coaching/{month}/{employee_id}/vastgelegd/{session.session_id}", status_code=303)
