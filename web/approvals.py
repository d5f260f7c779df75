"""Approving, releasing and carrying out requests under four eyes, in the browser.

- ``/goedkeuren`` (team leaders, managers): the requests awaiting a second person's decision,
  oldest first: transcript and listen-back requests with their written reason and the call's
  metadata (never the caller's number), and data-subject requests. Approve (optional note) or
  reject (written reason). Approving a transcript request whose call is not transcribed starts
  its transcription in the background (:mod:`callscribe.web.jobs`).
- ``/vrijgeven`` (team leaders, managers, the ICT back office): approved requests with the
  transcription's progress (refreshed by htmx while it runs) and the review before release; the
  release itself; approved data-subject requests to carry out.

The library authorises, enforces four eyes and audits every step as the logged-in user; this
module calls it and shows its refusals in Dutch next to the request they concern. After an action
the browser is sent on (Post/Redirect/Get) to ``…/melding/<code>/<id>``, which names the outcome
by a short code and the request's id only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from callscribe.pipeline.errors import (
    AccessDeniedError,
    CallscribeError,
    ConcurrentChangeError,
    PolicyError,
    RecordingNotFoundError,
    RequestNotFoundError,
    StoreError,
)
from callscribe.pipeline.policy import accounts, complaints, four_eyes, holds, subjects, transcribing
from callscribe.pipeline.storage import catalogue
from callscribe.web import jobs
from callscribe.web.auth import CurrentUser, not_found, state_of
from callscribe.web.dutch import local_time as dutch_time
from callscribe.web.routes import Pages, render

logger = logging.getLogger(__name__)
pages = Pages()

QUEUE, RELEASE = "/goedkeuren", "/vrijgeven"
NOTE_MAX, REASON_MAX = 2000, 4000  # characters a note or a written reason may have in the form
_ID = re.compile(r"(V|AVG)-[0-9]{4}-[0-9]{4,}")

KINDS = {"transcript": "Transcript", "listen_back": "Terugluisteren"}
SUBJECT_KINDS = {"access": "Inzage", "erasure": "Verwijdering"}
DIRECTIONS = {"inbound": "inkomend", "outbound": "uitgaand"}

# The outcome of an action, by the code its redirect carries: (page, message with {id}).
MESSAGES = {
    "goedgekeurd": (QUEUE, "Verzoek {id} is goedgekeurd. Het kan nu worden vrijgegeven onder ‘Vrijgeven’."),
    "goedgekeurd-transcriptie": (QUEUE, ("Verzoek {id} is goedgekeurd. Het gesprek wordt nu uitgeschreven; onder "
                                        "‘Vrijgeven’ ziet u hoe ver dat is.")),
    "goedgekeurd-niet-gestart": (QUEUE, ("Verzoek {id} is goedgekeurd, maar het uitschrijven van het gesprek kon niet "
                                        "starten. Start het opnieuw onder ‘Vrijgeven’.")),
    "afgewezen": (QUEUE, "Verzoek {id} is afgewezen. De aanvrager ziet uw reden bij het verzoek."),
    "avg-goedgekeurd": (QUEUE, "AVG-verzoek {id} is goedgekeurd. Het kan nu worden uitgevoerd onder ‘Vrijgeven’."),
    "avg-afgewezen": (QUEUE, "AVG-verzoek {id} is afgewezen."),
    "vrijgegeven": (RELEASE, "Verzoek {id} is vrijgegeven."),
    "transcriptie-gestart": (RELEASE, "Het uitschrijven van het gesprek van verzoek {id} is gestart."),
    "al-uitgeschreven": (RELEASE, "Het gesprek van verzoek {id} is al uitgeschreven."),
    "bezig": (RELEASE, "Het gesprek van verzoek {id} wordt al uitgeschreven."),
    "avg-uitgevoerd-access": (RELEASE, ("Inzageverzoek {id} is uitgevoerd. De brieven voor de beller staan klaar in "
                                       "de outbox.")),
    "avg-uitgevoerd-erasure": (RELEASE, "Verwijderverzoek {id} is uitgevoerd. De gesprekken zijn verwijderd."),
}


# --- what the pages show, in Dutch ----------------------------------------------------------------


def local_time(moment: datetime | None, zone: ZoneInfo) -> str:
    """``24 nov. 2026 10:00`` in local time; empty for None."""
    return "" if moment is None else dutch_time(moment, zone)


def age(since: datetime, now: datetime) -> str:
    """How long ago, in whole units: ``3 dagen``, ``1 dag``, ``5 uur``, ``12 minuten``,
    ``minder dan een minuut``."""
    seconds = max(0, int((now - since).total_seconds()))
    days, hours, minutes = seconds // 86400, seconds // 3600, seconds // 60
    if days:
        return "1 dag" if days == 1 else f"{days} dagen"
    if hours:
        return f"{hours} uur"
    if minutes:
        return "1 minuut" if minutes == 1 else f"{minutes} minuten"
    return "minder dan een minuut"


def duration(seconds: float | None) -> str:
    """``4 min 12 s``, ``45 s``, ``1 u 02 min``; ``onbekend`` when not measured."""
    if seconds is None:
        return "onbekend"
    total = round(seconds)
    if total >= 3600:
        return f"{total // 3600} u {total % 3600 // 60:02d} min"
    if total >= 60:
        return f"{total // 60} min {total % 60:02d} s"
    return f"{total} s"


@dataclass(frozen=True)
class CallFacts:
    """A call's metadata as the pages show it; never the caller's number."""

    call_id: str
    present: bool
    started: str = ""
    duration: str = ""
    direction: str = ""
    employee_id: str = ""
    state: str = ""
    failure_reason: str | None = None


def call_facts(engine, call_id: str, zone: ZoneInfo) -> CallFacts:
    try:
        recording = catalogue.get_recording(engine, call_id)
    except RecordingNotFoundError:
        return CallFacts(call_id, present=False)
    return CallFacts(call_id, True, local_time(recording.call_start, zone), duration(recording.duration),
                     DIRECTIONS.get(recording.direction, recording.direction), recording.employee_id,
                     recording.state, recording.failure_reason)


@dataclass(frozen=True)
class Progress:
    """Where the transcription of a call stands, from the catalogue (and the worker's queue)."""

    label: str  # wacht, bezig, klaar, mislukt, verwijderd
    badge: str  # the badge's class: "", warn, ok, error
    text: str  # one plain sentence
    reason: str | None = None  # why it failed (ids only)
    polling: bool = False  # refresh while it is waiting in the queue or running
    can_start: bool = False  # nothing runs: it may be started (again)

    @property
    def done(self) -> bool:
        return self.label == "klaar"


def progress_of(facts: CallFacts, waiting: bool) -> Progress:
    state = facts.state
    if not facts.present or state == catalogue.RecordingState.EXPIRING:
        return Progress("verwijderd", "error", "De opname bestaat niet meer (bewaartermijn voorbij of verwijderd).")
    if state == catalogue.RecordingState.TRANSCRIBED:
        return Progress("klaar", "ok", "Het gesprek is uitgeschreven en geredigeerd.")
    if state == catalogue.RecordingState.PROCESSING:
        return Progress("bezig", "warn", "Het gesprek wordt nu uitgeschreven. Dit vak ververst vanzelf.", polling=True)
    if waiting:
        return Progress("wacht", "warn", "In de wachtrij om te worden uitgeschreven. Dit vak ververst vanzelf.",
                        polling=True)
    if state == catalogue.RecordingState.FAILED:
        return Progress("mislukt", "error", "Het uitschrijven is mislukt.", reason=facts.failure_reason,
                        can_start=True)
    return Progress("wacht", "", "Het uitschrijven is nog niet gestart.", can_start=True)


def dutch(err: CallscribeError, min_length: int) -> str:
    """The library's refusal as one plain Dutch sentence (its own message is shown beside it)."""
    text = str(err)
    if isinstance(err, ConcurrentChangeError):
        return "Iemand anders heeft dit verzoek zojuist behandeld; er is niets veranderd. Bekijk de lijst opnieuw."
    if "cannot also decide" in text:
        return ("U heeft dit verzoek zelf ingediend en mag er daarom niet zelf over beslissen (vier-ogenprincipe). "
                "Een andere teamleider of manager keurt het goed of wijst het af.")
    if "is required: write why" in text or "is too short" in text:
        return f"Schrijf een reden van minstens {min_length} tekens."
    if "not awaiting a decision" in text:
        return "Over dit verzoek is al beslist."
    flagged = re.search(r"(\d+) flagged redaction", text)
    if flagged:
        count = int(flagged.group(1))
        return (f"Het transcript is nog niet helemaal gecontroleerd: {count} gemarkeerde "
                f"{'redactie moet' if count == 1 else 'redacties moeten'} eerst worden bevestigd of ongedaan "
                "gemaakt. Pas daarna kan het verzoek worden vrijgegeven.")
    if "released already" in text:
        return "Dit verzoek is al vrijgegeven."
    if "carried out already" in text:
        return "Dit verzoek is al uitgevoerd."
    if "only an approved request" in text:
        return "Alleen een goedgekeurd verzoek kan worden vrijgegeven of uitgevoerd."
    if "has expired" in text:
        return "De bewaartermijn van de opname is voorbij; er kan niets meer worden vrijgegeven."
    if "no redacted transcript yet" in text:
        return ("Het gesprek is nog niet uitgeschreven. Wacht tot het uitschrijven klaar is (zie de kolom ‘Stand’) "
                "en geef het verzoek dan vrij.")
    if "legal hold" in text:
        return ("Een of meer gesprekken worden bewaard voor een open klacht of verzoek. Vink ‘Toch verwijderen’ aan "
                "als u ze bewust toch wilt laten verwijderen.")
    if "could not be deleted completely" in text:
        return ("Niet alle gesprekken konden helemaal worden verwijderd. De volgende controle van de bewaartermijn "
                "maakt het af.")
    if "audio of recording" in text:
        return "De opname ontbreekt of is veranderd. Meld dit bij de ICT-backoffice."
    if transcribing.NO_PURPOSE in text:
        return "Er is geen goedgekeurd verzoek dat dit gesprek noemt; het mag niet worden uitgeschreven."
    if isinstance(err, jobs.NotQueued):
        return "Het uitschrijven kan nu niet worden gestart (er wachten te veel gesprekken). Probeer het later opnieuw."
    return "De actie is niet uitgevoerd."


@dataclass(frozen=True)
class Problem:
    """A refusal shown next to the request it concerns (and the field, if one is to blame)."""

    request_id: str
    text: str
    detail: str = ""
    field: str | None = None  # reason, note, confirm, override
    review_link: bool = False  # offer the review page (flags unconfirmed)


def problem_of(request_id: str, err: CallscribeError, min_length: int, field: str | None = None) -> Problem:
    return Problem(request_id, dutch(err, min_length), str(err), field,
                   review_link=bool(re.search(r"\d+ flagged redaction", str(err))))


def _reason_field(err: CallscribeError) -> str | None:
    text = str(err)
    return "reason" if "is required: write why" in text or "is too short" in text else None


# --- the rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenRequest:
    request_id: str
    kind: str
    requested_by: str
    requested_at: str
    age: str
    reason: str
    complaint_id: str | None
    employee_id: str | None
    call: CallFacts
    own: bool


@dataclass(frozen=True)
class OpenSubjectRequest:
    request_id: str
    kind: str
    requested_by: str
    requested_at: str
    age: str
    reason: str
    call_ids: tuple[str, ...]
    own: bool


@dataclass(frozen=True)
class ApprovedRequest:
    request_id: str
    kind: str
    kind_code: str
    decided_by: str | None
    decided_at: str
    complaint_id: str | None
    call: CallFacts
    progress: Progress | None  # transcript requests only
    reviewed: bool | None = None  # transcribed: no flagged redaction left unconfirmed
    may_review: bool = False
    may_start: bool = False


@dataclass(frozen=True)
class ApprovedSubjectRequest:
    request_id: str
    kind: str
    kind_code: str
    decided_by: str | None
    decided_at: str
    call_ids: tuple[str, ...]
    held: dict[str, str] = field(default_factory=dict)  # call id → the complaint or request that holds it
    transcribed: int = 0
    waiting: int = 0


def _context(request: Request):
    web = state_of(request)
    return web, ZoneInfo(web.settings.retention_timezone), web.clock()


def open_requests(request: Request, user) -> list[OpenRequest]:
    web, zone, now = _context(request)
    rows = []
    for listed in complaints.list_requests(web.engine, user.user_id, four_eyes.State.REQUESTED):
        shown = complaints.show_request(web.engine, user.user_id, listed.request_id)
        rows.append(OpenRequest(
            shown.request_id, KINDS.get(shown.kind, shown.kind), shown.requested_by,
            local_time(shown.requested_at, zone), age(shown.requested_at, now), shown.reason or "",
            shown.complaint_id, shown.employee_id, call_facts(web.engine, shown.call_id, zone),
            own=shown.requested_by == user.user_id))
    return rows


def open_subject_requests(request: Request, user) -> list[OpenSubjectRequest]:
    web, zone, now = _context(request)
    rows = []
    for listed in subjects.list_requests(web.engine, four_eyes.State.REQUESTED, user_id=user.user_id):
        reason = four_eyes.load(web.engine, subjects.WORKFLOW, listed.request_id).reason  # read after list_requests authorised
        rows.append(OpenSubjectRequest(
            listed.request_id, SUBJECT_KINDS.get(listed.kind, listed.kind), listed.requested_by,
            local_time(listed.requested_at, zone), age(listed.requested_at, now), reason or "", listed.call_ids,
            own=listed.requested_by == user.user_id))
    return rows


def approved_row(request: Request, user, listed: complaints.Request) -> ApprovedRequest:
    web, zone, _now = _context(request)
    facts = call_facts(web.engine, listed.call_id, zone)
    progress = reviewed = None
    if listed.kind == "transcript":
        progress = progress_of(facts, jobs.of(request.app).is_waiting(listed.call_id))
        if progress.done:
            try:
                complaints.check_release(web.engine, user.user_id, listed.request_id, web.settings.transcripts_dir)
                reviewed = True
            except CallscribeError:  # flags await the reviewer (or the transcript cannot be read)
                reviewed = False
    return ApprovedRequest(
        listed.request_id, KINDS.get(listed.kind, listed.kind), listed.kind, listed.decided_by,
        local_time(listed.decided_at, zone), listed.complaint_id, facts, progress, reviewed,
        may_review=listed.kind == "transcript" and accounts.may(user, "transcript.review"),
        may_start=bool(progress and progress.can_start) and accounts.may(user, "recordings.transcribe"))


def approved_requests(request: Request, user) -> list[ApprovedRequest]:
    engine = state_of(request).engine
    return [approved_row(request, user, listed)
            for listed in complaints.list_requests(engine, user.user_id, four_eyes.State.APPROVED)]


def approved_subject_requests(request: Request, user) -> list[ApprovedSubjectRequest]:
    web, zone, _now = _context(request)
    worker = jobs.of(request.app)
    rows = []
    for listed in subjects.list_requests(web.engine, four_eyes.State.APPROVED, user_id=user.user_id):
        held = holds.held_calls(web.engine, listed.call_ids) if listed.kind == "erasure" else {}
        states = [call_facts(web.engine, call_id, zone) for call_id in listed.call_ids] if listed.kind == "access" else []
        rows.append(ApprovedSubjectRequest(
            listed.request_id, SUBJECT_KINDS.get(listed.kind, listed.kind), listed.kind, listed.decided_by,
            local_time(listed.decided_at, zone), listed.call_ids, held,
            transcribed=sum(1 for f in states if f.state == catalogue.RecordingState.TRANSCRIBED),
            waiting=sum(1 for f in states if f.state == catalogue.RecordingState.PROCESSING
                        or (f.present and worker.is_waiting(f.call_id)))))
    return rows


# --- the pages --------------------------------------------------------------------------------------


def queue_page(request: Request, user, *, message: str | None = None, problem: Problem | None = None,
               values: dict | None = None, status_code: int = 200) -> Response:
    web = state_of(request)
    return render(request, "approvals/queue.html", {
        "requests": open_requests(request, user),
        "subject_requests": open_subject_requests(request, user) if accounts.may(user, "subject.decide") else None,
        "may_release": accounts.may(user, "request.release"),
        "min_reason": web.settings.reason_min_length, "note_max": NOTE_MAX, "reason_max": REASON_MAX,
        "message": message, "problem": problem, "values": values or {},
    }, status_code=status_code)


def release_page(request: Request, user, *, message: str | None = None, message_links: list | None = None,
                 problem: Problem | None = None, values: dict | None = None, status_code: int = 200) -> Response:
    return render(request, "approvals/release.html", {
        "requests": approved_requests(request, user),
        "subject_requests": approved_subject_requests(request, user) if accounts.may(user, "subject.execute") else None,
        "message": message, "message_links": message_links or [], "problem": problem, "values": values or {},
    }, status_code=status_code)


@pages.get(QUEUE, permission="request.decide", nav="Goedkeuren")
def queue(request: Request, user: CurrentUser) -> Response:
    """The requests awaiting a second person's decision, oldest first."""
    return queue_page(request, user)


@pages.get(QUEUE + "/melding/{code}/{subject_id}", permission="request.decide")
def queue_done(request: Request, user: CurrentUser, code: str, subject_id: str) -> Response:
    """The queue with the outcome of the action just taken."""
    page, text = _message(code, subject_id)
    if page != QUEUE:
        raise not_found()
    return queue_page(request, user, message=text)


@pages.get(RELEASE, permission="request.release", nav="Vrijgeven")
def release_list(request: Request, user: CurrentUser) -> Response:
    """Approved requests: transcription, review and release; approved data-subject requests."""
    return release_page(request, user)


@pages.get(RELEASE + "/melding/{code}/{subject_id}", permission="request.release")
def release_done(request: Request, user: CurrentUser, code: str, subject_id: str) -> Response:
    """The release page with the outcome of the action just taken (and where the result is)."""
    page, text = _message(code, subject_id)
    if page != RELEASE:
        raise not_found()
    links = []
    if code == "vrijgegeven":
        released = complaints.show_request(state_of(request).engine, user.user_id, subject_id)
        if released.kind == "transcript" and accounts.may(user, "letter.download"):
            links = [(f"/downloads/{subject_id}/pdf", "Brief downloaden (PDF)"),
                     (f"/downloads/{subject_id}/docx", "Brief downloaden (Word)")]
        elif released.kind == "listen_back" and accounts.may(user, "audio.listen"):
            links = [(f"/luisteren/{subject_id}", "Terugluisteren")]
    return release_page(request, user, message=text, message_links=links)


def _message(code: str, subject_id: str) -> tuple[str, str]:
    if code not in MESSAGES or not _ID.fullmatch(subject_id):
        raise not_found()
    page, text = MESSAGES[code]
    return page, text.format(id=subject_id)


def _done(page: str, code: str, subject_id: str) -> RedirectResponse:
    return RedirectResponse(f"{page}/melding/{code}/{subject_id}", status_code=303)


# --- deciding ---------------------------------------------------------------------------------------


@pages.post("/verzoeken/{request_id}/goedkeuren", permission="request.decide")
def approve(request: Request, user: CurrentUser, request_id: str,
            note: Annotated[str, Form(max_length=NOTE_MAX)] = "") -> Response:
    """Approve as the second person; a transcript request's call is then transcribed if need be."""
    web = state_of(request)
    try:
        approved = complaints.approve_request(web.engine, user.user_id, request_id, note or None)
    except RequestNotFoundError:
        raise
    except PolicyError as err:
        return queue_page(request, user, problem=problem_of(request_id, err, web.settings.reason_min_length, "note"),
                          values={"note": note}, status_code=400)
    code = "goedgekeurd"
    if approved.kind == "transcript":
        started = start_transcriptions(request, user, [approved.call_id])
        if started is not None:
            code = "goedgekeurd-transcriptie" if started else code
        else:
            code = "goedgekeurd-niet-gestart"
    return _done(QUEUE, code, request_id)


@pages.post("/verzoeken/{request_id}/afwijzen", permission="request.decide")
def reject(request: Request, user: CurrentUser, request_id: str,
           reason: Annotated[str, Form(max_length=REASON_MAX)] = "") -> Response:
    """Reject as the second person, with a written reason."""
    web = state_of(request)
    try:
        complaints.reject_request(web.engine, user.user_id, request_id, reason,
                                  reason_min_length=web.settings.reason_min_length)
    except RequestNotFoundError:
        raise
    except PolicyError as err:
        return queue_page(request, user, problem=problem_of(request_id, err, web.settings.reason_min_length,
                                                            _reason_field(err)),
                          values={"reason": reason}, status_code=400)
    return _done(QUEUE, "afgewezen", request_id)


@pages.post("/avg/{request_id}/goedkeuren", permission="subject.decide")
def approve_subject(request: Request, user: CurrentUser, request_id: str,
                    note: Annotated[str, Form(max_length=NOTE_MAX)] = "") -> Response:
    """Approve a data-subject request as the second person; an access request's calls are then
    transcribed if need be, so the caller's letter holds what was said."""
    web = state_of(request)
    try:
        approved = subjects.decide(web.engine, web.settings, request_id, user.user_id, True, note or None,
                                   now=web.clock())
    except RequestNotFoundError:
        raise
    except PolicyError as err:
        return queue_page(request, user, problem=problem_of(request_id, err, web.settings.reason_min_length, "note"),
                          values={"note": note}, status_code=400)
    if approved.kind == "access":
        start_transcriptions(request, user, list(approved.call_ids))
    return _done(QUEUE, "avg-goedgekeurd", request_id)


@pages.post("/avg/{request_id}/afwijzen", permission="subject.decide")
def reject_subject(request: Request, user: CurrentUser, request_id: str,
                   reason: Annotated[str, Form(max_length=REASON_MAX)] = "") -> Response:
    """Reject a data-subject request as the second person, with a written reason."""
    web = state_of(request)
    try:
        subjects.decide(web.engine, web.settings, request_id, user.user_id, False, reason, now=web.clock())
    except RequestNotFoundError:
        raise
    except PolicyError as err:
        return queue_page(request, user, problem=problem_of(request_id, err, web.settings.reason_min_length,
                                                            _reason_field(err)),
                          values={"reason": reason}, status_code=400)
    return _done(QUEUE, "avg-afgewezen", request_id)


# --- transcribing -----------------------------------------------------------------------------------


def queue_transcriptions(request: Request, user, call_ids: list[str]) -> int:
    """Start the transcription of those of ``call_ids`` not transcribed, queued or running: planned
    through the library as ``user`` (authorised, audited, each with its purpose), then queued.
    Returns how many were queued.

    Raises:
        CallscribeError: the library refused (no purpose, no role), or the queue is full.
    """
    web = state_of(request)
    worker = jobs.of(request.app)
    pending = []
    for call_id in dict.fromkeys(call_ids):
        try:
            state = catalogue.get_recording(web.engine, call_id).state
        except RecordingNotFoundError:
            continue
        if state in catalogue.NEEDS_TRANSCRIBING and not worker.is_waiting(call_id):
            pending.append(call_id)
    if not pending:
        return 0
    plan = transcribing.plan(web.engine, user.user_id, pending, pending=False)
    return sum(worker.submit(jobs.Job(call_id, purpose.value)) for purpose, ids in plan.batches.items()
               for call_id in ids)


def start_transcriptions(request: Request, user, call_ids: list[str]) -> int | None:
    """:func:`queue_transcriptions` after an approval, which stands whatever happens here:
    how many were queued, or None when they could not be (the release page offers to start them)."""
    try:
        return queue_transcriptions(request, user, call_ids)
    except CallscribeError as err:
        logger.warning("transcription not started after an approval: %s", type(err).__name__)
        return None


@pages.post("/verzoeken/{request_id}/transcriberen", permission="recordings.transcribe")
def transcribe(request: Request, user: CurrentUser, request_id: str) -> Response:
    """Start (again) the transcription of an approved transcript request's call."""
    web = state_of(request)
    shown = complaints.show_request(web.engine, user.user_id, request_id)
    if shown.kind != "transcript":
        raise not_found()
    facts = call_facts(web.engine, shown.call_id, ZoneInfo(web.settings.retention_timezone))
    if facts.state == catalogue.RecordingState.TRANSCRIBED:
        return _done(RELEASE, "al-uitgeschreven", request_id)
    if facts.state == catalogue.RecordingState.PROCESSING or jobs.of(request.app).is_waiting(shown.call_id):
        return _done(RELEASE, "bezig", request_id)
    try:
        queue_transcriptions(request, user, [shown.call_id])
    except AccessDeniedError:
        raise
    except CallscribeError as err:
        return release_page(request, user, problem=problem_of(request_id, err, web.settings.reason_min_length),
                            status_code=400)
    return _done(RELEASE, "transcriptie-gestart", request_id)


@pages.get("/verzoeken/{request_id}/transcriptie", permission="request.release")
def transcription_state(request: Request, user: CurrentUser, request_id: str) -> Response:
    """The "Stand" cell of an approved request on the release page (htmx polls it while the
    transcription waits or runs)."""
    web = state_of(request)
    shown = complaints.show_request(web.engine, user.user_id, request_id)
    if shown.kind != "transcript" or shown.state != four_eyes.State.APPROVED:
        raise not_found()
    return render(request, "approvals/_state.html", {"row": approved_row(request, user, shown)})


# --- releasing and carrying out ---------------------------------------------------------------------


@pages.post("/verzoeken/{request_id}/vrijgeven", permission="request.release")
def release(request: Request, user: CurrentUser, request_id: str) -> Response:
    """Release an approved request: its letter or audio copy goes to the outbox."""
    web = state_of(request)
    try:
        complaints.release(web.engine, web.settings, user.user_id, request_id, now=web.clock())
    except RequestNotFoundError:
        raise
    except (PolicyError, StoreError) as err:
        return release_page(request, user, problem=problem_of(request_id, err, web.settings.reason_min_length),
                            status_code=400)
    return _done(RELEASE, "vrijgegeven", request_id)


@pages.post("/avg/{request_id}/uitvoeren", permission="subject.execute")
def execute_subject(request: Request, user: CurrentUser, request_id: str,
                    confirm: Annotated[str, Form()] = "", override_holds: Annotated[str, Form()] = "") -> Response:
    """Carry out an approved data-subject request: the caller's letters to the outbox (access), or
    the calls deleted (erasure: confirmed explicitly; held calls only with an explicit override)."""
    web = state_of(request)
    min_length = web.settings.reason_min_length
    try:
        approved, _actor = subjects.check_executable(web.engine, request_id, user.user_id)
        if approved.kind == "erasure":
            if confirm != "ja":
                return release_page(request, user, problem=Problem(
                    request_id, "Vink aan dat u de gesprekken van dit verzoek definitief wilt laten verwijderen.",
                    field="confirm"), status_code=400)
            try:
                subjects.erase(web.engine, web.settings, request_id, user.user_id, now=web.clock(),
                               override_holds=override_holds == "ja")
            finally:  # also when some calls could not be deleted completely: the request is carried out
                if subjects.get_request(web.engine, request_id).state == four_eyes.State.EXECUTED:
                    forget_erased_runs(request, approved)
        else:
            subjects.export(web.engine, web.settings, request_id, user.user_id, now=web.clock())
    except RequestNotFoundError:
        raise
    except (PolicyError, StoreError) as err:
        blamed = "override" if "legal hold" in str(err) else None
        return release_page(request, user, problem=problem_of(request_id, err, min_length, blamed),
                            values={"confirm": confirm}, status_code=400)
    return _done(RELEASE, f"avg-uitgevoerd-{approved.kind}", request_id)


def forget_erased_runs(request: Request, erased: subjects.SubjectRequest) -> None:
    """Hand the calls of a carried-out erasure to the background worker, which deletes the Prefect
    runs that name them (as the CLI's flow does); the page does not wait for it. The erasure
    stands whatever happens here: what cannot be queued, the retention flow removes in time."""
    try:
        jobs.of(request.app).submit(jobs.ForgetRuns(erased.request_id, erased.call_ids))
    except CallscribeError as err:
        logger.warning("erasure %s: forgetting its Prefect runs not queued: %s", erased.request_id,
                       type(err).__name__)
