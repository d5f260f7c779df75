"""Released letters, listen-back copies and the caller's copies of access requests, in the browser.

- ``/downloads``: what may be fetched now (letters; listen-back copies for those who may listen;
  per recording the caller's copies of an executed access request).
- ``/downloads/{request_id}/pdf|docx``: the released letter as an attachment named after the
  request only (``V-2026-0001.pdf``), while it is in the outbox.
- ``/downloads/avg/{request_id}/{call_id}/pdf|json``: one recording's copy for the caller of an
  executed access request (the letter, or the same data for machines), as an attachment named
  after the ids only (``AVG-2026-0001-TBI-2026-000101.pdf``), to be sent to the caller.
- ``/luisteren/{request_id}``: an HTML5 player for a released listen-back copy within its time
  window, and ``/luisteren/{request_id}/audio``, the copy itself (Range requests served).

Every fetch goes through :mod:`callscribe.pipeline.policy.downloads`, which authorises it as the
logged-in user and audits it; the core sends ``Cache-Control: no-store`` with every response. What
is no longer (or not yet) in the outbox gets a plain Dutch page, without audio.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import FileResponse
from starlette.responses import Response

from callscribe.pipeline.errors import PolicyError
from callscribe.pipeline.policy import accounts
from callscribe.pipeline.policy import downloads as library
from callscribe.web.approvals import KINDS, call_facts, local_time
from callscribe.web.auth import CurrentUser, not_found, state_of
from callscribe.web.routes import Pages, render

pages = Pages()

LETTER_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
AUDIO_TYPES = {".wav": "audio/wav", ".flac": "audio/flac", ".mp3": "audio/mpeg", ".ogg": "audio/ogg",
               ".opus": "audio/ogg", ".m4a": "audio/mp4"}
EXPORT_TYPES = {"pdf": "application/pdf", "json": "application/json"}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word"}
EXPORT_LABELS = {"pdf": "Brief (PDF)", "json": "Gegevens (JSON)"}

# Why nothing can be fetched, in Dutch, by Unavailable.reason: (status, title, text).
UNAVAILABLE = {
    "not_released": (409, "Nog niet vrijgegeven",
                     ("Dit verzoek is nog niet vrijgegeven. Zodra een teamleider, manager of de ICT-backoffice het "
                     "vrijgeeft, staat het hier klaar.")),
    "not_executed": (409, "Nog niet uitgevoerd",
                     ("Dit inzageverzoek is nog niet uitgevoerd. Zodra een teamleider, manager of de ICT-backoffice "
                      "het uitvoert, staan de brieven voor de beller hier klaar.")),
    "expired": (410, "Niet meer beschikbaar",
                ("De termijn is voorbij: wat is vrijgegeven, blijft maar een beperkte tijd beschikbaar en is nu "
                "verwijderd. Is het opnieuw nodig, dan is een nieuw verzoek nodig.")),
    "removed": (410, "Niet meer beschikbaar",
                ("Het bestand is niet meer aanwezig, bijvoorbeeld omdat de opname is verwijderd. Is het opnieuw "
                "nodig, dan is een nieuw verzoek nodig.")),
}


def _zone(request: Request) -> ZoneInfo:
    return ZoneInfo(state_of(request).settings.retention_timezone)


def _unavailable(request: Request, request_id: str, gone: library.Unavailable, what: str) -> Response:
    status, title, text = UNAVAILABLE.get(gone.reason, UNAVAILABLE["removed"])
    return render(request, "downloads/unavailable.html", {
        "request_id": request_id, "title": title, "text": text, "what": what,
        "expired_at": local_time(gone.expires_at, _zone(request)) if gone.reason == "expired" else "",
    }, status_code=status)


@pages.get("/downloads", permission="letter.download", nav="Downloads")
def available(request: Request, user: CurrentUser) -> Response:
    """Released letters and listen-back copies that may be fetched now, newest release first; the
    caller's copies of executed access requests, per recording, newest first."""
    web = state_of(request)
    zone = _zone(request)
    rows, exports = [], []
    for item in library.available(web.engine, user.user_id, now=web.clock()):
        row = {"request_id": item.request_id, "kind": KINDS.get(item.kind, item.kind), "kind_code": item.kind,
               "call_id": item.call_id, "complaint_id": item.complaint_id,
               "released_at": local_time(item.released_at, zone), "until": local_time(item.expires_at, zone)}
        if item.kind == library.SUBJECT_EXPORT:
            exports.append({**row, "formats": [(fmt, EXPORT_LABELS.get(fmt, fmt.upper())) for fmt in item.formats]})
        else:
            rows.append({**row, "formats": [(fmt, FORMAT_LABELS.get(fmt, fmt.upper())) for fmt in item.formats]})
    return render(request, "downloads/list.html", {"rows": rows, "exports": exports,
                                                   "may_listen": accounts.may(user, "audio.listen")})


@pages.get("/downloads/{request_id}/{fmt}", permission="letter.download")
def letter(request: Request, user: CurrentUser, request_id: str, fmt: str) -> Response:
    """The released letter as PDF or DOCX (``attachment``, named after the request only)."""
    if fmt not in LETTER_TYPES:
        raise not_found()
    web = state_of(request)
    try:
        copy = library.retrieve_letter(web.engine, web.settings, user.user_id, request_id, fmt, now=web.clock())
    except library.Unavailable as gone:
        return _unavailable(request, request_id, gone, "de brief")
    except PolicyError:  # no such request, or one without a letter: as if the page did not exist
        raise not_found() from None
    return FileResponse(copy.path, media_type=LETTER_TYPES[fmt], filename=f"{request_id}.{fmt}")


@pages.get("/downloads/avg/{request_id}/{call_id}/{format}", permission="letter.download")
def subject_export(request: Request, user: CurrentUser, request_id: str, call_id: str, format: str) -> Response:
    """One recording's copy for the caller of an executed access request, as PDF or JSON
    (``attachment``, named after the request and the call only)."""
    if format not in EXPORT_TYPES:
        raise not_found()
    web = state_of(request)
    try:
        copy = library.retrieve_subject_export(web.engine, web.settings, user.user_id, request_id, call_id, format,
                                               now=web.clock())
    except library.Unavailable as gone:
        return _unavailable(request, request_id, gone, "de brief voor de beller")
    except PolicyError:  # no such request, an erasure, or a call it did not find: as if the page did not exist
        raise not_found() from None
    return FileResponse(copy.path, media_type=EXPORT_TYPES[format], filename=f"{request_id}-{call_id}.{format}")


@pages.get("/luisteren/{request_id}", permission="audio.listen")
def player(request: Request, user: CurrentUser, request_id: str) -> Response:
    """A player for the released listen-back copy, with until when it may be played."""
    web = state_of(request)
    try:
        window = library.listen_window(web.engine, web.settings, user.user_id, request_id, now=web.clock())
    except library.Unavailable as gone:
        return _unavailable(request, request_id, gone, "de opname")
    except PolicyError:
        raise not_found() from None
    return render(request, "downloads/listen.html", {
        "request_id": request_id, "until": local_time(window.expires_at, _zone(request)),
        "call": call_facts(web.engine, window.call_id, _zone(request)),
        "media_type": AUDIO_TYPES.get(window.suffix, "audio/wav"),
    })


@pages.get("/luisteren/{request_id}/audio", permission="audio.listen")
def audio(request: Request, user: CurrentUser, request_id: str) -> Response:
    """The listen-back copy itself, inline (each fetch authorised and audited; Range served)."""
    web = state_of(request)
    try:
        copy = library.retrieve_audio(web.engine, web.settings, user.user_id, request_id, now=web.clock())
    except library.Unavailable as gone:
        return _unavailable(request, request_id, gone, "de opname")
    except PolicyError:
        raise not_found() from None
    return FileResponse(copy.path, media_type=AUDIO_TYPES.get(copy.suffix, "application/octet-stream"),
                        content_disposition_type="inline")
