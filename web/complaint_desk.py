"""The complaint desk's pages: the complaint registry (``/klachten``), transcript and listen-back
requests (``/verzoeken``) and data-subject requests (``/avg``).

The pages parse forms, call the library as the logged-in user and show what it says; the library
authorises, audits and enforces four eyes. A refusal of the library (a reason too short, a
complaint about another call, a phone number that is not one) comes back as a Dutch message next
to its field, with the form as it was typed, except the caller's phone number, which is never
shown back. After an action the browser is sent on (Post/Redirect/Get) to the page of what was
made, with a short message code in the query (``?melding=geregistreerd``), never data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Engine
from starlette.responses import Response

from callscribe.pipeline.errors import (
    AccessDeniedError,
    CallscribeError,
    ConcurrentChangeError,
    PolicyError,
    RecordingNotFoundError,
    RequestNotFoundError,
)
from callscribe.pipeline.policy import accounts, complaints, subjects
from callscribe.pipeline.policy.four_eyes import State
from callscribe.pipeline.policy.identity import User
from callscribe.pipeline.storage import catalogue
from callscribe.web import dutch
from callscribe.web.auth import CurrentUser, not_found, state_of
from callscribe.web.routes import Pages, render

pages = Pages()

DESCRIPTION_MAX_LENGTH = 20_000
REASON_MAX_LENGTH = 5_000
NUMBER_MAX_LENGTH = 64
EMPLOYEE_ID_MAX_LENGTH = 64
ID_MAX_LENGTH = 64
FORM_REFUSED = 422  # a form shown again with the library's (or the form's) message

# --- how things are shown -------------------------------------------------------------------------

CHANNELS = {"telefoon": "Telefoon", "e-mail": "E-mail"}
REQUEST_KINDS = {"transcript": "Transcript", "listen_back": "Terugluisteren"}
SUBJECT_KINDS = {"access": "Inzage", "erasure": "Verwijdering"}
STATES = {  # label, badge style
    State.REQUESTED: ("aangevraagd", "warn"),
    State.APPROVED: ("goedgekeurd", "ok"),
    State.REJECTED: ("afgewezen", "error"),
    State.RELEASED: ("vrijgegeven", ""),
    State.EXECUTED: ("uitgevoerd", ""),
}
OPEN_STATES = (State.REQUESTED, State.APPROVED)

# What a page says after an action (the code travels in the query; the id in the path).
MESSAGES = {
    "geregistreerd": "Klacht {id} is geregistreerd.",
    "gesloten": "Klacht {id} is gesloten.",
    "ingediend": "Verzoek {id} is ingediend. Een teamleider of manager die het niet zelf indiende, beoordeelt het nu.",
    "avg-ingediend": "AVG-verzoek {id} is ingediend. Gevonden opnames: {count}.",
}


@dataclass(frozen=True)
class Display:
    """Formats for the templates: local dates in Dutch, ages, and Dutch labels of states and kinds."""

    zone: ZoneInfo
    now: datetime

    def when(self, moment: datetime | None) -> str:
        """``24 nov. 2026 10:00`` in local time; a dash for nothing."""
        return "–" if moment is None else dutch.local_time(moment, self.zone)

    def age(self, moment: datetime) -> str:
        """How long ago, in words: ``minder dan een uur``, ``5 uur``, ``3 dagen``."""
        elapsed = max(self.now - moment, timedelta(0))
        if elapsed < timedelta(hours=1):
            return "minder dan een uur"
        if elapsed < timedelta(days=1):
            return f"{elapsed // timedelta(hours=1)} uur"
        days = elapsed.days
        return "1 dag" if days == 1 else f"{days} dagen"

    def state(self, state: str) -> str:
        return STATES[State(state)][0]

    def badge(self, state: str) -> str:
        return STATES[State(state)][1]

    def is_open(self, state: str) -> bool:
        return State(state) in OPEN_STATES

    def kind(self, kind: str) -> str:
        return REQUEST_KINDS.get(kind, kind)

    def subject_kind(self, kind: str) -> str:
        return SUBJECT_KINDS.get(kind, kind)

    def channel(self, channel: str) -> str:
        return CHANNELS.get(channel, channel)


def _display(request: Request) -> Display:
    web = state_of(request)
    return Display(ZoneInfo(web.settings.retention_timezone), web.clock())


def _page(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    return render(request, name, {"show": _display(request), **context}, status_code=status_code)


def _message(code: str | None, **values) -> str | None:
    """The confirmation for a message code of the query; unknown codes say nothing."""
    text = MESSAGES.get(code or "")
    return text.format(**values) if text else None


# --- the library's refusals in Dutch, by the field they concern -----------------------------------

# (what the library's message says, the field it concerns, the Dutch message with its ids and counts)
_REFUSAL_TEXTS = (
    (r"a reason is required: write why \(at least (?P<n>\d+) characters\)", "reason",
     "Schrijf een reden van minstens {n} tekens."),
    (r"the reason is too short \((?P<has>\d+) characters\); write at least (?P<n>\d+)", "reason",
     "De reden is te kort ({has} tekens). Schrijf er minstens {n}."),
    (r"complaint (?P<c>\S+) is not about call (?P<call>[^;\s]+);", "complaint_id",
     ("Klacht {c} gaat niet over gesprek {call}. Een verzoek gaat over een gesprek van de klacht; "
      "registreer zo nodig eerst een klacht over dit gesprek.")),
    (r"complaint (?P<c>\S+) is closed; a request needs an open complaint", "complaint_id",
     "Klacht {c} is gesloten. Een verzoek kan alleen bij een open klacht."),
    (r"complaint (?P<c>\S+) is not in the registry", "complaint_id", "Klacht {c} staat niet in het register."),
    (r"a request rests on a complaint or on an employee's own request", "complaint_id",
     "Kies een klacht, óf vul bij een eigen verzoek van een medewerker het medewerkernummer in (één van beide)."),
    (r"an employee id is 1-64", "employee_id",
     "Een medewerkernummer bestaat uit letters, cijfers, '.', '_' of '-', bijvoorbeeld MW-017."),
    (r"call (?P<call>\S+) is not a call of employee (?P<e>[^:\s]+):", "employee_id",
     ("Gesprek {call} is niet gevoerd door medewerker {e}. Een eigen verzoek gaat alleen over eigen gesprekken; "
      "registreer voor andere gesprekken een klacht.")),
    (r"unknown request kind", "kind", "Kies wat u aanvraagt."),
    (r"recording (?P<call>\S+) is not in the catalogue", "call_id",
     "Gesprek {call} staat niet (meer) in de catalogus."),
    (r"unknown channel", "channel", "Kies hoe de klacht binnenkwam: telefoon of e-mail."),
    (r"received_at lies in the future", "received", "Het moment van ontvangst ligt in de toekomst."),
    (r"received_at has no UTC offset", "received", "Vul de datum en de tijd van ontvangst in."),
    (r"a complaint needs a description", "description", "Beschrijf waar de klacht over gaat."),
    (r"complaint (?P<c>\S+) is closed already", "", "Klacht {c} was al gesloten."),
    (r"the phone number is not valid", "number",
     ("Dit is geen geldig telefoonnummer. Typ cijfers, eventueel met + en landcode, "
      "bijvoorbeeld 06 1234 5678 of +31 6 1234 5678.")),
)
_REFUSALS = tuple((re.compile(pattern), field, text) for pattern, field, text in _REFUSAL_TEXTS)


def refusal(err: CallscribeError) -> tuple[str, str]:
    """The field a refusal of the library concerns (``""``: the form as a whole) and a Dutch
    message for it. Library messages carry ids and counts, never personal data."""
    if isinstance(err, AccessDeniedError):
        return "", "U heeft geen rechten voor deze actie."
    if isinstance(err, ConcurrentChangeError):
        return "", "Iemand anders wijzigde dit tegelijk. Bekijk de gegevens opnieuw en probeer het nog eens."
    message = str(err)
    for pattern, field, text in _REFUSALS:
        found = pattern.search(message)
        if found:
            return field, text.format(**found.groupdict())
    return "", f"Dit kan niet: {message}"


# --- what the forms choose from -------------------------------------------------------------------


@dataclass(frozen=True)
class CallChoice:
    """A recording to choose in a form: its id, start and employee; never the caller's number."""

    call_id: str
    call_start: datetime
    employee_id: str


def _call(recording) -> CallChoice:
    return CallChoice(recording.call_id, recording.call_start, recording.employee_id)


def _call_choices(engine: Engine) -> list[CallChoice]:
    """The catalogue's recordings that can still be chosen, newest first."""
    live = [s for s in catalogue.STATES if s != catalogue.RecordingState.EXPIRING]
    return [_call(r) for r in reversed(list(catalogue.list_recordings(engine, live)))]


def _calls_of(engine: Engine, call_ids) -> list[tuple[str, CallChoice | None]]:
    """Each call id with its recording, None once it has left the catalogue."""
    found = []
    for call_id in call_ids:
        try:
            found.append((call_id, _call(catalogue.get_recording(engine, call_id))))
        except RecordingNotFoundError:
            found.append((call_id, None))
    return found


@dataclass(frozen=True)
class Link:
    label: str
    path: str


def _linked_page(request: Request, user: User, path: str) -> str | None:
    """``path`` (e.g. ``/verzoeken/V-2026-0001/controle``), if the application serves a GET page
    there that ``user`` may open (another area's page may not be there yet); None otherwise."""
    for page in state_of(request).pages:
        pattern = "[^/]+".join(re.escape(part) for part in re.split(r"\{[^}]*\}", page.path))
        if "GET" in page.methods and re.fullmatch(pattern, path) and page.allows(user):
            return path
    return None


def _engine(request: Request) -> Engine:
    return state_of(request).engine


def _redirect(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


# --- complaints -----------------------------------------------------------------------------------


@pages.get("/klachten", permission="complaint.read", nav="Klachten")
def complaint_list(request: Request, user: CurrentUser) -> Response:
    """The registry, newest first: ids, channel, received, calls, open or closed, requests; never
    the description."""
    engine = _engine(request)
    found = list(reversed(complaints.list_complaints(engine, user.user_id)))
    return _page(request, "complaints/list.html", {
        "complaints": found, "closures": {c.complaint_id for c in found if c.closed_at},
        "may_register": accounts.may(user, "complaint.register")})


def _complaint_form(request: Request, values: dict, errors: dict | None = None, status_code: int = 200) -> Response:
    return _page(request, "complaints/new.html", {
        "values": values, "errors": errors or {}, "channels": CHANNELS,
        "calls": _call_choices(_engine(request))}, status_code=status_code)


def _local_input(request: Request) -> str:
    """Now, as a ``datetime-local`` field writes it (local time, minutes)."""
    display = _display(request)
    return display.now.astimezone(display.zone).strftime("%Y-%m-%dT%H:%M")


@pages.get("/klachten/nieuw", permission="complaint.register")
def complaint_new(request: Request, user: CurrentUser) -> Response:
    """The form to register a complaint."""
    return _complaint_form(request, {"received": _local_input(request), "call_ids": []})


@pages.post("/klachten", permission="complaint.register")
def complaint_register(
    request: Request,
    user: CurrentUser,
    channel: str = Form("", max_length=16),
    received: str = Form("", max_length=32),
    description: str = Form("", max_length=DESCRIPTION_MAX_LENGTH),
    call_ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Register a complaint as the user; on to its page, or the form again with the message."""
    chosen = [c for c in (call_ids or []) if c]
    values = {"channel": channel, "received": received, "description": description, "call_ids": chosen}
    errors: dict[str, str] = {}
    received_at = _parse_local(received, ZoneInfo(state_of(request).settings.retention_timezone))
    if received_at is None:
        errors["received"] = "Vul de datum en de tijd in waarop de klacht binnenkwam."
    if channel not in CHANNELS:
        errors["channel"] = "Kies hoe de klacht binnenkwam: telefoon of e-mail."
    if not description.strip():
        errors["description"] = "Beschrijf waar de klacht over gaat."
    if errors:
        return _complaint_form(request, values, errors, FORM_REFUSED)
    try:
        made = complaints.register_complaint(_engine(request), user.user_id, channel=channel, received_at=received_at,
                                             description=description, call_ids=chosen,
                                             timezone=state_of(request).settings.retention_timezone)
    except (PolicyError, AccessDeniedError, RecordingNotFoundError) as err:
        field, text = refusal(err)
        return _complaint_form(request, values, {"call_ids" if field == "call_id" else field: text}, FORM_REFUSED)
    return _redirect(f"/klachten/{made.complaint_id}?melding=geregistreerd")


def _parse_local(value: str, zone: ZoneInfo) -> datetime | None:
    """A ``datetime-local`` value (``2026-11-24T10:00``) as a moment in ``zone``; None when it is
    not one."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else None


def _complaint_or_404(engine: Engine, user: User, complaint_id: str, *, with_description: bool = False):
    try:
        return complaints.get_complaint(engine, user.user_id, complaint_id, with_description=with_description)
    except PolicyError:
        raise not_found() from None


def _complaint_detail(request: Request, user: User, complaint_id: str, *, message: str | None = None,
                      error: str | None = None, status_code: int = 200) -> Response:
    engine = _engine(request)
    complaint = _complaint_or_404(engine, user, complaint_id, with_description=True)  # this reading is audited
    related = [r for r in complaints.list_requests(engine, user.user_id) if r.complaint_id == complaint_id] \
        if accounts.may(user, "request.read") else []
    return _page(request, "complaints/detail.html", {
        "complaint": complaint, "closure": complaint if complaint.closed_at else None,
        "calls": _calls_of(engine, complaint.call_ids), "requests": related,
        "may_close": accounts.may(user, "complaint.register"), "may_request": accounts.may(user, "request.create"),
        "message": message, "error": error}, status_code=status_code)


@pages.get("/klachten/{complaint_id}", permission="complaint.read")
def complaint_detail(request: Request, user: CurrentUser, complaint_id: str, melding: str | None = None) -> Response:
    """One complaint with its description (reading it is audited), calls and requests."""
    return _complaint_detail(request, user, complaint_id, message=_message(melding, id=complaint_id))


@pages.post("/klachten/{complaint_id}/sluiten", permission="complaint.register")
def complaint_close(request: Request, user: CurrentUser, complaint_id: str) -> Response:
    """Close a complaint (handled); its calls are no longer held."""
    engine = _engine(request)
    _complaint_or_404(engine, user, complaint_id)
    try:
        complaints.close_complaint(engine, user.user_id, complaint_id, now=state_of(request).clock())
    except (PolicyError, AccessDeniedError) as err:
        return _complaint_detail(request, user, complaint_id, error=refusal(err)[1], status_code=409)
    return _redirect(f"/klachten/{complaint_id}?melding=gesloten")


@pages.get("/klachten/{complaint_id}/verzoek/{call_id}", permission="request.create")
def complaint_request_new(request: Request, user: CurrentUser, complaint_id: str, call_id: str) -> Response:
    """The request form for one call of a complaint, both filled in."""
    complaint = _complaint_or_404(_engine(request), user, complaint_id)
    if call_id not in complaint.call_ids:
        raise not_found()
    return _request_form(request, user, {"complaint_id": complaint_id, "call_id": call_id})


# --- transcript and listen-back requests ----------------------------------------------------------


@pages.get("/verzoeken", permission="request.read", nav="Verzoeken")
def request_list(request: Request, user: CurrentUser) -> Response:
    """Every request the user may see, newest first, with state and age; never a reason."""
    found = list(reversed(complaints.list_requests(_engine(request), user.user_id)))
    return _page(request, "requests/list.html", {"requests": found, "may_create": accounts.may(user, "request.create")})


def _request_form(request: Request, user: User, values: dict, errors: dict | None = None,
                  status_code: int = 200) -> Response:
    engine = _engine(request)
    registry = complaints.list_complaints(engine, user.user_id) if accounts.may(user, "complaint.read") else []
    open_complaints = [c for c in reversed(registry) if c.closed_at is None]
    return _page(request, "requests/new.html", {
        "values": values, "errors": errors or {}, "kinds": REQUEST_KINDS, "calls": _call_choices(engine),
        "complaints": open_complaints, "min_length": state_of(request).settings.reason_min_length},
        status_code=status_code)


@pages.get("/verzoeken/nieuw", permission="request.create")
def request_new(request: Request, user: CurrentUser) -> Response:
    """The form to file a transcript or listen-back request."""
    return _request_form(request, user, {})


@pages.post("/verzoeken", permission="request.create")
def request_create(
    request: Request,
    user: CurrentUser,
    kind: str = Form("", max_length=16),
    call_id: str = Form("", max_length=ID_MAX_LENGTH),
    complaint_id: str = Form("", max_length=ID_MAX_LENGTH),
    employee_id: str = Form("", max_length=EMPLOYEE_ID_MAX_LENGTH),
    reason: str = Form("", max_length=REASON_MAX_LENGTH),
) -> Response:
    """File a request as the user; on to its page, or the form again with the library's message."""
    values = {"kind": kind, "call_id": call_id, "complaint_id": complaint_id, "employee_id": employee_id.strip(),
              "reason": reason}
    errors: dict[str, str] = {}
    if kind not in REQUEST_KINDS:
        errors["kind"] = "Kies wat u aanvraagt: een transcript of terugluisteren."
    if not call_id:
        errors["call_id"] = "Kies het gesprek waarover het verzoek gaat."
    if errors:
        return _request_form(request, user, values, errors, FORM_REFUSED)
    settings = state_of(request).settings
    try:
        made = complaints.create_request(
            _engine(request), user.user_id, kind=kind, call_id=call_id, reason=reason,
            complaint_id=complaint_id or None, employee_id=employee_id.strip() or None,
            reason_min_length=settings.reason_min_length, timezone=settings.retention_timezone)
    except (PolicyError, AccessDeniedError, RecordingNotFoundError) as err:
        field, text = refusal(err)
        return _request_form(request, user, values, {field: text}, FORM_REFUSED)
    return _redirect(f"/verzoeken/{made.request_id}?melding=ingediend")


@pages.get("/verzoeken/{request_id}", permission="request.read")
def request_detail(request: Request, user: CurrentUser, request_id: str, melding: str | None = None) -> Response:
    """One request: its reason and steps (filed, decided with the decision's reason, released), and
    the next step's page where the application has it and the user may open it."""
    try:
        found = complaints.show_request(_engine(request), user.user_id, request_id)
    except RequestNotFoundError:
        raise not_found() from None
    links = []
    if found.state == State.REQUESTED:
        links.append(("Naar de goedkeuringslijst", _linked_page(request, user, "/goedkeuren")))
    if found.state == State.APPROVED and found.kind == "transcript":
        links.append(("Transcript controleren vóór vrijgave",
                      _linked_page(request, user, f"/verzoeken/{found.request_id}/controle")))
    if found.state == State.RELEASED and found.kind == "transcript":
        links.append(("Brief downloaden (PDF)", _linked_page(request, user, f"/downloads/{found.request_id}/pdf")))
    return _page(request, "requests/detail.html", {
        "req": found, "links": [Link(label, path) for label, path in links if path],
        "listen_hours": f"{state_of(request).settings.listen_copy_hours:g}",
        "message": _message(melding, id=request_id)})


# --- data-subject requests ------------------------------------------------------------------------


@pages.get("/avg", permission="subject.read", nav="AVG-verzoeken")
def subject_list(request: Request, user: CurrentUser) -> Response:
    """Every data-subject request, newest first: kind, state, how many recordings; never a number."""
    found = list(reversed(subjects.list_requests(_engine(request), user_id=user.user_id)))
    return _page(request, "subjects/list.html", {"requests": found, "may_create": accounts.may(user, "subject.create")})


def _subject_form(request: Request, values: dict, errors: dict | None = None, status_code: int = 200) -> Response:
    # the phone number is never in ``values``: it is not shown back, not even after a refusal
    return _page(request, "subjects/new.html", {
        "values": values, "errors": errors or {}, "kinds": SUBJECT_KINDS,
        "min_length": state_of(request).settings.reason_min_length}, status_code=status_code)


@pages.get("/avg/nieuw", permission="subject.create")
def subject_new(request: Request, user: CurrentUser) -> Response:
    """The form to file an access or erasure request for a caller."""
    return _subject_form(request, {})


@pages.post("/avg", permission="subject.create")
def subject_create(
    request: Request,
    user: CurrentUser,
    kind: str = Form("", max_length=16),
    number: str = Form("", max_length=NUMBER_MAX_LENGTH),
    reason: str = Form("", max_length=REASON_MAX_LENGTH),
) -> Response:
    """File a data-subject request as the user: the number finds the recordings and is forgotten;
    on to the request's page, which names only its id and how many recordings were found."""
    values = {"kind": kind, "reason": reason}
    errors: dict[str, str] = {}
    if kind not in SUBJECT_KINDS:
        errors["kind"] = "Kies het soort verzoek: inzage of verwijdering."
    if not number.strip():
        errors["number"] = "Typ het telefoonnummer van de beller."
    if errors:
        return _subject_form(request, values, errors, FORM_REFUSED)
    web = state_of(request)
    try:
        made = subjects.file_request(web.engine, web.settings, kind, number, reason, user.user_id, now=web.clock())
    except (PolicyError, AccessDeniedError) as err:
        field, text = refusal(err)
        return _subject_form(request, values, {field: text}, FORM_REFUSED)
    return _redirect(f"/avg/{made.request_id}?melding=avg-ingediend")


@pages.get("/avg/{request_id}", permission="subject.read")
def subject_detail(request: Request, user: CurrentUser, request_id: str, melding: str | None = None) -> Response:
    """One data-subject request: its state, steps and the recordings (call ids) it found."""
    try:
        found = subjects.show_request(_engine(request), request_id, user.user_id)
    except RequestNotFoundError:
        raise not_found() from None
    queue = _linked_page(request, user, "/goedkeuren") if found.state == State.REQUESTED else None
    links = [Link("Naar de goedkeuringslijst", queue)] if queue else []
    if found.kind == "access" and found.state == State.EXECUTED:
        for call_id in found.call_ids:
            path = _linked_page(request, user, f"/downloads/avg/{found.request_id}/{call_id}/pdf")
            if path:
                links.append(Link(f"Brief voor de beller downloaden ({call_id}, PDF)", path))
    return _page(request, "subjects/detail.html", {
        "req": found, "links": links,
        "message": _message(melding, id=request_id, count=len(found.call_ids))})
