"""The audit log in the browser (``audit.read``: managers and the ICT back office): its entries
newest first, 50 a page, filtered by action, user and period, and the check of its hash chain.

Entries come from the library (``audit_view.entries``), which authorises the reader again. The
filters are action names, user ids and dates, no personal data, so they travel as a query string
(``?actie=…&gebruiker=…&van=…&tot=…``) and paging links keep them. The check
(``access.verify_audit_log``, itself an audit entry) answers an htmx request with the result alone,
swapped into the page; without htmx the form posts and gets the whole page with the result.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from starlette.responses import Response

from callscribe.pipeline.errors import PolicyError
from callscribe.pipeline.policy import access, audit, audit_view
from callscribe.web.auth import CurrentUser, not_found, state_of
from callscribe.web.dashboard import local_time
from callscribe.web.routes import ROLE_LABELS, Pages, render

pages = Pages()

PER_PAGE = 50
TEXT_MAX = 64  # an action or a user id is at most this long
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
# Roles of the log besides those of users: scheduled flows, and the first password set at installation.
ROLES = {**ROLE_LABELS, "system": "Systeem (planning)", "bootstrap": "Installatie"}

# What each action means, in the users' words; an action not listed shows its code only.
ACTIONS = {
    "user.added": "Gebruiker toegevoegd",
    "user.changed": "Gebruiker gewijzigd",
    "user.deactivated": "Gebruiker gedeactiveerd",
    "user.password_set": "Wachtwoord ingesteld",
    "user.login": "Ingelogd",
    "user.login_failed": "Inloggen mislukt",
    "user.locked": "Tijdelijk geblokkeerd na mislukte pogingen",
    "user.logout": "Uitgelogd",
    "complaint.registered": "Klacht geregistreerd",
    "complaint.viewed": "Klacht bekeken",
    "complaint.closed": "Klacht gesloten",
    "request.created": "Verzoek ingediend",
    "request.approved": "Verzoek goedgekeurd",
    "request.rejected": "Verzoek afgewezen",
    "request.released": "Verzoek vrijgegeven",
    "transcript.review_viewed": "Transcript bekeken voor controle",
    "transcript.reviewed": "Redactie van transcript aangepast",
    "transcript.released": "Transcript vrijgegeven",
    "audio.retrieved": "Opname opgehaald",
    "letter.downloaded": "Brief gedownload",
    "audio.listened": "Opname teruggeluisterd",
    "subject.export_downloaded": "Inzagebrief gedownload",
    "coaching.transcript_viewed": "Coachingtranscript bekeken",
    "outbox.expired": "Uitgaand bestand verlopen",
    "coaching.drawn": "Coachinggesprekken geloot",
    "coaching.session": "Coachingsessie vastgelegd",
    "coaching.session_viewed": "Coachingsessie bekeken",
    "coaching.acknowledged": "Sessie bevestigd door medewerker",
    "employee.name_set": "Naam van medewerker vastgelegd",
    "recordings.ingested": "Opnamen ingelezen",
    "recordings.transcribe": "Transcriptie gestart",
    "recordings.transcribed_files": "Bestanden getranscribeerd",
    "retention.run": "Bewaartermijnrun",
    "recordings.erased": "Opnamen gewist",
    "subject.requested": "AVG-verzoek ingediend",
    "subject.approved": "AVG-verzoek goedgekeurd",
    "subject.rejected": "AVG-verzoek afgewezen",
    "subject.exported": "Inzageverzoek uitgevoerd",
    "subject.erased": "Verwijderverzoek uitgevoerd",
    "dashboard.viewed": "Dashboard bekeken",
    "audit.verified": "Auditlog gecontroleerd",
    "audit.reanchored": "Anker van het auditlog opnieuw gezet",
}

# Why the chain broke, in Dutch, by the library's reason (audit.verify); the reason itself is shown
# beside it for the ICT back office.
REASONS = (
    ("content does not match its hash",
     "De inhoud van deze regel klopt niet meer met de vastgelegde controlewaarde: de regel is achteraf gewijzigd."),
    ("sequence jumps", "De nummering springt: er is een regel verwijderd of tussengevoegd."),
    ("link to the previous entry is broken",
     "De koppeling met de vorige regel is verbroken: er is een regel verwijderd of tussengevoegd."),
    ("differs from the anchored head", "Deze regel verschilt van het vastgelegde anker: het log is herschreven."),
    ("entries removed from the end", "Het log houdt eerder op dan het anker: er zijn regels aan het eind verwijderd."),
    ("anchor is older than the log",
     "Het anker is ouder dan het log: een oud anker is teruggezet, of het systeem viel uit tussen opslaan en anker."),
    ("is missing", "Het ankerbestand ontbreekt (verwijderd, of het log is zonder anker gekopieerd)."),
    ("is unreadable", "Het ankerbestand is onleesbaar."),
)


@dataclass
class Filters:
    """The filters of a request as typed, what they select, and an error per field."""

    values: dict[str, str] = field(default_factory=dict)  # actie, gebruiker, van, tot: as typed
    action: str | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> str:
        """The query string of the filters that apply (``?…``, or empty)."""
        applied = {name: value for name, value in self.values.items() if value and name not in self.errors}
        return f"?{urlencode(applied)}" if applied else ""

    @property
    def active(self) -> bool:
        return any((self.action, self.actor, self.since, self.until))


def read_filters(request: Request, zone: ZoneInfo) -> Filters:
    """The filters of the query string (other parameters are ignored): dates are local days, both
    included."""
    params = request.query_params
    found = Filters(values={name: params.get(name, "").strip()[:100] for name in ("actie", "gebruiker", "van", "tot")})
    for name, attribute in (("actie", "action"), ("gebruiker", "actor")):
        value = found.values[name]
        if len(value) > TEXT_MAX:
            found.errors[name] = f"Te lang: hoogstens {TEXT_MAX} tekens."
        elif value:
            setattr(found, attribute, value)
    days = {}
    for name in ("van", "tot"):
        value = found.values[name]
        if not value:
            continue
        try:
            days[name] = date.fromisoformat(value)
        except ValueError:
            found.errors[name] = "Geen geldige datum: kies een dag, bijvoorbeeld 2026-11-24."
    if "van" in days and "tot" in days and days["tot"] < days["van"]:
        found.errors["tot"] = "Deze datum ligt vóór de datum bij ‘Van’: kies een latere dag."
        del days["tot"]
    if "van" in days:
        found.since = datetime.combine(days["van"], time(0), tzinfo=zone)
    if "tot" in days:
        found.until = datetime.combine(days["tot"] + timedelta(days=1), time(0), tzinfo=zone)
    return found


# --- the pages ------------------------------------------------------------------------------------


@pages.get("/audit", permission="audit.read", nav="Auditlog")
def audit_first_page(request: Request, user: CurrentUser) -> Response:
    """The newest entries."""
    return _page(request, user.user_id, 1)


@pages.get("/audit/pagina/{number}", permission="audit.read")
def audit_page(request: Request, user: CurrentUser, number: str) -> Response:
    """Older entries, :data:`PER_PAGE` a page."""
    if not _PAGE_NUMBER.fullmatch(number):
        raise not_found()
    return _page(request, user.user_id, int(number))


@pages.post("/audit/controleren", permission="audit.read")
def verify(request: Request, user: CurrentUser) -> Response:
    """Check the hash chain (audited by the library): the result alone for htmx, else the page."""
    web = state_of(request)
    result = access.verify_audit_log(web.engine, user.user_id)
    verification = _verification(request, user.user_id, result)
    if request.headers.get("HX-Request") == "true":
        return render(request, "audit/_verification.html", {"verification": verification})
    return _page(request, user.user_id, 1, verification=verification, filtered=False)


def _page(request: Request, user_id: str, number: int, *, verification: dict | None = None,
          filtered: bool = True) -> Response:
    web = state_of(request)
    zone = ZoneInfo(web.settings.retention_timezone)
    filters = read_filters(request, zone) if filtered else Filters()
    error = None
    try:
        page = audit_view.entries(web.engine, user_id, action=filters.action, actor=filters.actor,
                                  since=filters.since, until=filters.until, offset=(number - 1) * PER_PAGE,
                                  limit=PER_PAGE)
    except PolicyError:
        error = "Deze filters kunnen niet samen: pas ze aan en probeer het opnieuw."
        filters = Filters(values=filters.values, errors=filters.errors)
        page = audit_view.entries(web.engine, user_id, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    pages_total = max(1, -(-page.total // PER_PAGE))
    actions, actors = audit_view.choices(web.engine, user_id)
    return render(request, "audit/log.html", {
        "entries": [_row(entry, zone) for entry in page.entries],
        "total": page.total,
        "first": page.offset + 1,
        "last": page.offset + len(page.entries),
        "number": number,
        "pages_total": pages_total,
        "pager": _pager(number, pages_total, filters.query()),
        "filters": filters,
        "actions": [(action, ACTIONS.get(action)) for action in actions],
        "actors": actors,
        "error": error,
        "verification": verification,
        "per_page": PER_PAGE,
    }, status_code=400 if filters.errors else 200)


def _row(entry: audit_view.AuditEntry, zone: ZoneInfo) -> dict:
    return {"seq": entry.seq, "at": local_time(entry.at, zone.key, seconds=True), "iso": entry.at.isoformat(),
            "actor": entry.actor, "role_label": ROLES.get(entry.role, entry.role), "action": entry.action,
            "what": ACTIONS.get(entry.action), "subject": entry.subject, "details": _details(entry.details)}


def _details(details: dict | str) -> str:
    """The details compactly: ``key: value`` pairs, values as JSON (ids and counts only)."""
    if isinstance(details, str):
        return details
    return ", ".join(f"{key}: {json.dumps(value, ensure_ascii=False, separators=(',', ':'))}"
                     for key, value in details.items())


def _pager(number: int, total: int, query: str) -> list[dict]:
    """Links to the first, the previous, nearby, the next and the last page."""
    def href(n: int) -> str:
        return ("/audit" if n == 1 else f"/audit/pagina/{n}") + query

    shown = sorted({1, total, *range(max(1, number - 2), min(total, number + 2) + 1)})
    links = []
    if number > 1:
        links.append({"label": "Nieuwer", "href": href(min(number - 1, total)), "rel": "prev"})
    previous = 0
    for n in shown:
        if n - previous > 1:
            links.append({"label": "…", "href": None})
        links.append({"label": str(n), "href": None if n == number else href(n), "current": n == number})
        previous = n
    if number < total:
        links.append({"label": "Ouder", "href": href(number + 1), "rel": "next"})
    return links


def _verification(request: Request, user_id: str, result: audit.Verification) -> dict:
    web = state_of(request)
    zone = web.settings.retention_timezone
    checked_at = web.clock()
    view = {"ok": result.ok, "entries": result.entries, "at": local_time(checked_at, zone), "seq": result.first_bad_seq}
    if result.ok:
        return view
    view["why"] = next((dutch for english, dutch in REASONS if english in (result.reason or "")),
                       "De keten van het auditlog klopt niet.")
    view["reason"] = result.reason
    newer = audit_view.position(web.engine, user_id, result.first_bad_seq) if result.first_bad_seq else None
    if newer is not None:
        n = newer // PER_PAGE + 1
        view["href"] = ("/audit" if n == 1 else f"/audit/pagina/{n}") + f"#regel-{result.first_bad_seq}"
    return view

