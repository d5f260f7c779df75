"""Review before release (``/verzoeken/{request_id}/controle``): a second manager or team leader
checks the redactions of a transcript request's transcript before the letter leaves.

The page shows the redacted transcript turn by turn with every redaction as a ``<mark>`` per
type; flagged ones (``review: true``) wait for "Klopt" (confirm) or "Geen persoonsgegeven"
(undo). A reviewer adds a redaction by selecting text in a turn (``web/static/review.js`` sends
the selection's offsets in code points, as the library counts) and picking a type. Each change
is a POST with the revision the reviewer saw; HTMX swaps the transcript in place, a plain form
is sent on to the page with a message code (``?melding=toegevoegd``, never data).

The library (:mod:`callscribe.pipeline.policy.review`) authorises every reading and change as
the logged-in user, refuses the one who filed the request, audits, and keeps the history; this
module parses forms, calls it and says in Dutch what it answered. No original value of a
redaction ever reaches this module: the library's view holds the redacted text only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fastapi import Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from callscribe.pipeline.errors import (
    AccessDeniedError,
    CallscribeError,
    ConcurrentChangeError,
    RequestNotFoundError,
    StoreError,
    TranscriptKeyError,
)
from callscribe.pipeline.policy import complaints, review
from callscribe.pipeline.policy.identity import User
from callscribe.pipeline.storage.transcripts import clock
from callscribe.web.auth import CurrentUser, not_found, state_of
from callscribe.web.dutch import local_time
from callscribe.web.routes import Pages, render

pages = Pages()

PATH = "/verzoeken/{request_id}/controle"
RELEASE_PAGE = "/vrijgeven"  # where a reviewed transcript request is released (web/approvals.py)
POLL_SECONDS = 5  # how often the waiting page asks whether the transcript is there
FORM_REFUSED = 422  # the page shown again with the library's refusal of a change
STALE_STATUS = 409
NUMBER_MAX_LENGTH = 12  # form fields holding a whole number (segment, offsets, revision)
TYPE_MAX_LENGTH = 32

STALE = "Iemand anders heeft dit transcript intussen gewijzigd; de pagina is ververst."

# The entity types in the order a reviewer looks for them, with a Dutch label (the legend, the
# type picker); types the library knows but this list does not follow with their tag as label.
TYPE_LABELS = {
    "PERSON": "Naam van een persoon",
    "PHONE_NUMBER": "Telefoonnummer",
    "ADDRESS": "Adres (straat en huisnummer)",
    "POSTCODE": "Postcode",
    "LOCATION": "Plaats",
    "EMAIL_ADDRESS": "E-mailadres",
    "DATE_OF_BIRTH": "Geboortedatum",
    "CUSTOMER_ID": "Klantnummer",
    "IBAN": "Bankrekeningnummer (IBAN)",
    "BSN": "Burgerservicenummer (BSN)",
    "LICENSE_PLATE": "Kenteken",
    "CREDIT_CARD": "Creditcardnummer",
    "URL": "Webadres",
    "NUMBER": "Ander nummer of code",
}
SPEAKERS = {"medewerker": "Medewerker", "klant": "Klant", "onbekend": "Onbekend"}
ACTIONS = {"add": "Markering toegevoegd", "undo": "Markering ongedaan gemaakt", "confirm": "Markering bevestigd"}

# What the page says after a change (the code travels in the query, the turn as its number).
MESSAGES = {
    "toegevoegd": "De markering is toegevoegd: deze tekst is nu onleesbaar in de brief.",
    "ongedaan": "De markering is ongedaan gemaakt: deze tekst is weer leesbaar in de brief.",
    "bevestigd": "De markering is bevestigd: deze tekst blijft onleesbaar.",
    "alles-bevestigd": "Alle twijfelgevallen zijn bevestigd: ze blijven onleesbaar.",
}


# --- the library's refusals in Dutch ------------------------------------------------------------

# (pattern of the library's message, status, Dutch text). Refusals of the whole request come
# first: they replace the transcript by their message.
_REQUEST_REFUSALS = tuple((re.compile(pattern), status, text) for pattern, status, text in (
    (r"filed request \S+ and cannot also review", 403,
     ("U heeft dit verzoek zelf ingediend. Volgens het vier-ogenprincipe controleert een andere manager of "
      "teamleider het transcript.")),
    (r"was released already", 409,
     ("Dit verzoek is al vrijgegeven. De brief bevat het transcript zoals het toen was gecontroleerd; wijzigen kan "
      "niet meer.")),
    (r"is (?P<state>\w+); a transcript is reviewed once", 409,
     ("Dit verzoek is {state}. Een transcript wordt gecontroleerd nadat het verzoek is goedgekeurd en voordat het "
      "wordt vrijgegeven.")),
))
_STATES = {"requested": "nog niet goedgekeurd", "rejected": "afgewezen", "executed": "al uitgevoerd"}
_CHANGE_REFUSALS = tuple((re.compile(pattern), text) for pattern, text in (
    (r"overlaps the redaction", "De selectie overlapt een markering die er al staat. Selecteer alleen leesbare tekst."),
    (r"holds only spaces", "De selectie bevat alleen spaties. Selecteer de woorden die onleesbaar moeten worden."),
    (r"lies outside segment", "De selectie valt buiten de tekst van deze beurt. Selecteer de tekst opnieuw."),
    (r"whole number of 0 or more", "Vul bij begin en einde een heel getal van 0 of meer in."),
    (r"segment \d+ does not exist", "Deze beurt staat niet in het transcript."),
    (r"has no redaction \d+", "Deze markering bestaat niet (meer)."),
    (r"unknown entity type", "Kies de soort persoonsgegeven uit de lijst."),
    (r"not flagged for review", "Deze markering is geen twijfelgeval; bevestigen is niet nodig."),
    (r"confirmed already", "Deze markering was al bevestigd."),
    (r"no longer matches its raw transcript",
     ("Het transcript past niet meer bij de opgeslagen tekst van het gesprek, dus deze wijziging kan niet. Laat het "
      "gesprek opnieuw transcriberen of meld het bij de ICT-backoffice.")),
    (r"hash operator needs a secret",
     ("De instellingen laten deze markering niet toe (het geheim voor versleutelde labels ontbreekt). Meld het bij de "
      "ICT-backoffice.")),
))


@dataclass(frozen=True)
class Refusal:
    """A refusal of the whole request: the page shows ``text`` instead of the transcript."""

    text: str
    status: int


def request_refusal(err: CallscribeError) -> Refusal | None:
    """The refusal of the whole request ``err`` says in Dutch (None: it concerns one change)."""
    message = str(err)
    for pattern, status, text in _REQUEST_REFUSALS:
        found = pattern.search(message)
        if found:
            values = {k: _STATES.get(v, v) for k, v in found.groupdict().items()}
            return Refusal(text.format(**values), status)
    return None


def change_refusal(err: CallscribeError) -> str:
    """A Dutch message for the library's refusal of one change. Library messages carry ids, offsets
    and counts, never text, so the fallback may show one as it is."""
    if isinstance(err, TranscriptKeyError):
        return ("De sleutel van de transcripten is niet beschikbaar, dus deze wijziging kan niet. Meld het bij de "
                "ICT-backoffice.")
    message = str(err)
    for pattern, text in _CHANGE_REFUSALS:
        if pattern.search(message):
            return text
    return f"Deze wijziging kan niet: {message}"


# --- how the view is shown ----------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """A confirmation or refusal; with ``segment`` it stands beside that turn, else above all."""

    text: str
    kind: str = "ok"  # ok, warn, error
    segment: int | None = None
    field: str | None = None  # the fallback form's field it concerns (start, end, type)


@dataclass(frozen=True)
class Piece:
    """A stretch of a turn's redacted text: plain, or the tag of ``span``."""

    text: str
    span: review.ReviewSpan | None = None


@dataclass(frozen=True)
class Turn:
    """One utterance as the page shows it: its text in pieces, and its redactions to check or undo."""

    index: int
    number: int  # the turn's number as people count (1, 2, …)
    speaker: str
    time: str | None
    text: str
    pieces: tuple[Piece, ...]
    to_check: tuple[review.ReviewSpan, ...]  # flagged and not yet confirmed
    others: tuple[review.ReviewSpan, ...]


@dataclass(frozen=True)
class Change:
    """One line of the history panel: local time, who, what, which type, which turn (never text)."""

    when: str
    by: str
    what: str
    type: str
    turn: int  # the turn's number as people count
    time: str | None


@dataclass(frozen=True)
class TypeInfo:
    """An entity type as the page names it: the type, its tag word, its label, its CSS class."""

    type: str
    tag: str
    label: str
    css: str


def entity_types() -> tuple[TypeInfo, ...]:
    """The types a reviewer may add (the library's), in :data:`TYPE_LABELS` order."""
    ordered = [t for t in TYPE_LABELS if t in review.ENTITY_TYPES]
    ordered += [t for t in review.ENTITY_TYPES if t not in TYPE_LABELS]
    return tuple(TypeInfo(t, review.ENTITY_TYPES[t], TYPE_LABELS.get(t, review.ENTITY_TYPES[t]), css_class(t))
                 for t in ordered)


def css_class(entity_type: str) -> str:
    return "red-" + re.sub(r"[^a-z0-9]+", "-", entity_type.lower()).strip("-")


def type_label(entity_type: str) -> str:
    return TYPE_LABELS.get(entity_type, review.ENTITY_TYPES.get(entity_type, entity_type))


def _pieces(segment: review.ReviewSegment) -> tuple[Piece, ...]:
    pieces, cursor = [], 0
    for span in segment.spans:
        if span.start > cursor:
            pieces.append(Piece(segment.text[cursor:span.start]))
        pieces.append(Piece(segment.text[span.start:span.end], span))
        cursor = span.end
    if cursor < len(segment.text):
        pieces.append(Piece(segment.text[cursor:]))
    return tuple(pieces)


def _turns(view: review.ReviewView) -> list[Turn]:
    return [Turn(index=seg.index, number=seg.index + 1, speaker=SPEAKERS.get(seg.speaker, seg.speaker.capitalize()),
                 time=clock(seg.start) if seg.start is not None else None, text=seg.text, pieces=_pieces(seg),
                 to_check=tuple(s for s in seg.spans if s.flagged and not s.confirmed),
                 others=tuple(s for s in seg.spans if not (s.flagged and not s.confirmed)))
            for seg in view.segments]


def _history(view: review.ReviewView, zone: ZoneInfo) -> list[Change]:
    """The changes, newest first: when, who, what, type and turn; never text."""
    times = {seg.index: clock(seg.start) if seg.start is not None else None for seg in view.segments}
    return [Change(local_time(c.at, zone), c.by, ACTIONS.get(c.action, c.action), type_label(c.type), c.segment + 1,
                   times.get(c.segment))
            for c in reversed(view.history)]


# --- pages --------------------------------------------------------------------------------------


def _is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _base(request_id: str) -> str:
    return PATH.format(request_id=request_id)


def _context(request: Request, request_id: str, **values) -> dict:
    return {"request_id": request_id, "base": _base(request_id), "types": entity_types(), "css": css_class,
            "label": type_label, "release_page": RELEASE_PAGE, "poll_seconds": POLL_SECONDS, **values}


def _show(request: Request, user: User, request_id: str, *, view: review.ReviewView | None = None,
          message: Message | None = None, status_code: int = 200) -> Response:
    """The review page (an HTMX request: the transcript section only) for ``view``, or the
    library's current view when None."""
    web = state_of(request)
    if view is None:
        try:
            view = review.review_view(web.engine, web.settings, request_id, user.user_id)
        except (RequestNotFoundError, AccessDeniedError):
            raise not_found() from None
        except StoreError:
            return _not_readable(request, user, request_id)
        except CallscribeError as err:
            return _refused(request, request_id, err)
    if message is not None and message.segment is not None and not 0 <= message.segment < len(view.segments):
        message = Message(message.text, message.kind, None, message.field)  # no such turn: above all
    zone = ZoneInfo(web.settings.retention_timezone)
    context = _context(request, request_id, view=view, turns=_turns(view), history=_history(view, zone),
                       message=message)
    if _is_htmx(request):  # htmx swaps 2xx answers only: the message says what happened
        return render(request, "review/_review.html", context)
    return render(request, "review/page.html", context, status_code=status_code)


def _refused(request: Request, request_id: str, err: CallscribeError) -> Response:
    """The library refused the whole request (filed by the user, not approved, released) or it
    is no transcript request (then: the same 404 as what does not exist)."""
    refusal = request_refusal(err)
    if refusal is None:
        if re.search(r"is a \w+ request; only a transcript request", str(err)):
            raise not_found() from None
        refusal = Refusal(change_refusal(err), 400)
    context = _context(request, request_id, refusal=refusal)
    if _is_htmx(request):
        return render(request, "review/_review.html", context)
    return render(request, "review/page.html", context, status_code=refusal.status)


def _not_readable(request: Request, user: User, request_id: str) -> Response:
    """No redacted transcript to show: still being transcribed (the page asks again every few
    seconds), or one that cannot be read."""
    web = state_of(request)
    found = _transcript_request(request, user, request_id)
    if complaints.transcript_ready(web.engine, web.settings.transcripts_dir, found.call_id):
        refusal = Refusal("Het transcript van dit gesprek kan niet worden gelezen. Laat het gesprek opnieuw "
                          "transcriberen of meld het bij de ICT-backoffice.", 409)
        return render(request, "review/page.html", _context(request, request_id, refusal=refusal),
                      status_code=refusal.status)
    template = "review/_waiting.html" if _is_htmx(request) else "review/page.html"
    return render(request, template, _context(request, request_id, waiting=True))


def _transcript_request(request: Request, user: User, request_id: str):
    try:
        found = complaints.show_request(state_of(request).engine, user.user_id, request_id)
    except (RequestNotFoundError, AccessDeniedError):
        raise not_found() from None
    if found.kind != "transcript":
        raise not_found()
    return found


@pages.get(PATH, permission=review.PERMISSION)
def review_page(request: Request, user: CurrentUser, request_id: str, melding: str | None = None,
                beurt: int | None = None) -> Response:
    """The redacted transcript with its redactions, what is left to check, and the changes so far."""
    text = MESSAGES.get(melding or "")
    return _show(request, user, request_id, message=Message(text, "ok", beurt) if text else None)


@pages.get(PATH + "/status", permission=review.PERMISSION)
def review_status(request: Request, user: CurrentUser, request_id: str) -> Response:
    """While the call is transcribed: the waiting note again, or (ready) an ``HX-Refresh`` that
    makes the browser load the review page."""
    web = state_of(request)
    found = _transcript_request(request, user, request_id)
    ready = complaints.transcript_ready(web.engine, web.settings.transcripts_dir, found.call_id)
    response = render(request, "review/_waiting.html", _context(request, request_id, waiting=not ready))
    if ready:
        response.headers["HX-Refresh"] = "true"
    return response


# --- changes ------------------------------------------------------------------------------------


def _number(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _changed(request: Request, user: User, request_id: str, code: str, segment: int | None,
             change: Callable[..., review.ReviewView], field: str | None = None) -> Response:
    """Run one change of the library as ``user``; then the transcript in place (HTMX) or the page
    with a message code (Post/Redirect/Get), or the page again with the refusal."""
    web = state_of(request)
    try:
        view = change(web.engine, web.settings, request_id, user.user_id)
    except (RequestNotFoundError, AccessDeniedError):
        raise not_found() from None
    except ConcurrentChangeError:
        return _show(request, user, request_id, message=Message(STALE, "warn"), status_code=STALE_STATUS)
    except CallscribeError as err:
        if request_refusal(err) is not None or re.search(r"only a transcript request", str(err)):
            return _refused(request, request_id, err)
        return _show(request, user, request_id, message=Message(change_refusal(err), "error", segment, field),
                     status_code=FORM_REFUSED)
    if _is_htmx(request):
        return _show(request, user, request_id, view=view, message=Message(MESSAGES[code], "ok", segment))
    where = f"&beurt={segment}#beurt-{segment + 1}" if segment is not None else ""
    return RedirectResponse(f"{_base(request_id)}?melding={code}{where}", status_code=303)


def _refuse_form(request: Request, user: User, request_id: str, segment: int | None, text: str,
                 field: str | None = None) -> Response:
    return _show(request, user, request_id, message=Message(text, "error", segment, field), status_code=FORM_REFUSED)


@pages.post(PATH + "/toevoegen", permission=review.PERMISSION)
def add(request: Request, user: CurrentUser, request_id: str,
        segment: str = Form("", max_length=NUMBER_MAX_LENGTH), start: str = Form("", max_length=NUMBER_MAX_LENGTH),
        end: str = Form("", max_length=NUMBER_MAX_LENGTH), entity_type: str = Form("", alias="type",
                                                                                    max_length=TYPE_MAX_LENGTH),
        revision: str = Form("", max_length=NUMBER_MAX_LENGTH)) -> Response:
    """Redact a selection the redactor missed: ``start``-``end`` (code points) of turn ``segment``'s
    redacted text, as ``type``."""
    index, first, last = _number(segment), _number(start), _number(end)
    if index is None:
        return _refuse_form(request, user, request_id, None, "Selecteer eerst tekst in een beurt.")
    if first is None or last is None:
        return _refuse_form(request, user, request_id, index, "Vul bij begin en einde een heel getal van 0 of meer in.",
                            "start" if first is None else "end")
    if entity_type not in review.ENTITY_TYPES:
        return _refuse_form(request, user, request_id, index, "Kies de soort persoonsgegeven uit de lijst.", "type")
    return _changed(request, user, request_id, "toegevoegd", index, lambda engine, settings, rid, uid: review.add_redaction(
        engine, settings, rid, uid, segment=index, start=first, end=last, entity_type=entity_type,
        revision=_number(revision)))


@pages.post(PATH + "/ongedaan", permission=review.PERMISSION)
def undo(request: Request, user: CurrentUser, request_id: str, segment: str = Form("", max_length=NUMBER_MAX_LENGTH),
         span: str = Form("", max_length=NUMBER_MAX_LENGTH),
         revision: str = Form("", max_length=NUMBER_MAX_LENGTH)) -> Response:
    """Undo a false redaction: its text becomes readable in the letter (the reviewer's decision)."""
    index, number = _number(segment), _number(span)
    if index is None or number is None:
        return _refuse_form(request, user, request_id, index, "Deze markering bestaat niet (meer).")
    return _changed(request, user, request_id, "ongedaan", index, lambda engine, settings, rid, uid: review.undo_redaction(
        engine, settings, rid, uid, segment=index, span=number, revision=_number(revision)))


@pages.post(PATH + "/bevestigen", permission=review.PERMISSION)
def confirm(request: Request, user: CurrentUser, request_id: str,
            segment: str = Form("", max_length=NUMBER_MAX_LENGTH), span: str = Form("", max_length=NUMBER_MAX_LENGTH),
            revision: str = Form("", max_length=NUMBER_MAX_LENGTH)) -> Response:
    """Confirm a flagged redaction: it stays, and no longer holds up the release."""
    index, number = _number(segment), _number(span)
    if index is None or number is None:
        return _refuse_form(request, user, request_id, index, "Deze markering bestaat niet (meer).")
    return _changed(request, user, request_id, "bevestigd", index,
                    lambda engine, settings, rid, uid: review.confirm_redaction(
                        engine, settings, rid, uid, segment=index, span=number, revision=_number(revision)))


@pages.post(PATH + "/alles-bevestigen", permission=review.PERMISSION)
def confirm_all(request: Request, user: CurrentUser, request_id: str,
                revision: str = Form("", max_length=NUMBER_MAX_LENGTH)) -> Response:
    """Confirm every flagged redaction not confirmed yet."""
    return _changed(request, user, request_id, "alles-bevestigd", None,
                    lambda engine, settings, rid, uid: review.confirm_all_flagged(
                        engine, settings, rid, uid, revision=_number(revision)))
