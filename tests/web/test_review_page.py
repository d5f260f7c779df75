"""Review before release in the browser's terms (``/verzoeken/{id}/controle``): the page shows the
redacted transcript with its redactions by type and the flagged ones, and adding, undoing and
confirming through its forms change ``redacted.json`` and the page; the requester is refused, a
stale revision is caught, and no response ever holds the original value of a redacted span.

Real SQLite catalogue, real redaction (the session's redactor), the raw transcript encrypted as
the flow writes it, requests through FastAPI's TestClient."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from callscribe.pipeline.policy import audit, complaints, review
from callscribe.pipeline.storage import transcripts
from callscribe.web.dutch import MONTHS_SHORT as MONTHS
from callscribe.web.review import STALE, css_class
from tests.web.cases_review import (
    CALL,
    DIALOGUE,
    MISSED,
    MISSED_TURN,
    approved_request,
    originals,
    raw_transcript,
    redacted_document,
    redacted_request,
    redacted_values,
    store,
)
from tests.web.conftest import csrf_of, login_as

LOCAL_TIME = re.compile(r"\d{1,2} (?:" + "|".join(re.escape(m) for m in MONTHS) + r") \d{4} \d{2}:\d{2}")


class Turns(HTMLParser):
    """Each ``.turn-text`` of a page: its text as the browser's DOM holds it, and its marks."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.turns: dict[int, dict] = {}
        self._turn: dict | None = None
        self._mark: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and "turn-text" in (attrs.get("class") or "").split():
            self._turn = self.turns[int(attrs["data-segment"])] = {"text": "", "marks": []}
        elif tag == "mark" and self._turn is not None:
            self._mark = {**attrs, "text": "", "at": len(self._turn["text"])}
        elif self._turn is not None:
            raise AssertionError(f"a turn's text holds only text and marks, not <{tag}>")

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self._turn["marks"].append(self._mark)
            self._mark = None
        elif tag == "span" and self._turn is not None:
            self._turn = None

    def handle_data(self, data):
        if self._turn is not None:
            self._turn["text"] += data
        if self._mark is not None:
            self._mark["text"] += data


def visible(html: str) -> str:
    """The page's text as read: tags out (inline ones without a space), entities decoded, white
    space collapsed."""
    inline = re.sub(r"</?(?:mark|span|strong|em|a)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", inline)))


def turn_html(html: str, number: int) -> str:
    """The ``<li>`` of turn ``number`` (1, 2, …)."""
    found = re.search(rf'<li class="turn" id="beurt-{number}">(.*?)\n    </li>', html, re.DOTALL)
    assert found, f"no turn {number} on the page"
    return found.group(1)


class Reviewer:
    """A logged-in TestClient whose every response is checked for the original values of the
    redacted spans (``hidden``; a value the reviewer made readable again leaves the set)."""

    def __init__(self, client, user_id: str, settings, request_id: str) -> None:
        self.client, self.user_id, self.settings, self.request_id = client, user_id, settings, request_id
        self.token = login_as(client, user_id)
        self.hidden = redacted_values(settings)

    @property
    def page(self) -> str:
        return f"/verzoeken/{self.request_id}/controle"

    def checked(self, response):
        leaked = [value for value in self.hidden if value in response.text or value in response.headers.get("location", "")]
        assert not leaked, f"a response shows redacted values: {leaked}"
        return response

    def get(self, url: str | None = None, **options):
        return self.checked(self.client.get(url or self.page, **options))

    def post(self, action: str, htmx: bool = False, **form):
        url = f"{self.page}/{action}"
        data = {key: str(value) for key, value in form.items()}
        if htmx:  # as htmx sends it: the token in the header the page's body names
            return self.checked(self.client.post(url, data=data, headers={"HX-Request": "true",
                                                                           "X-CSRF-Token": self.token}))
        return self.checked(self.client.post(url, data={**data, "csrf_token": self.token}))

    def follow(self, response):
        assert response.status_code == 303, response.status_code
        return self.get(response.headers["location"])


@pytest.fixture
def request_id(engine, staff, settings, redactor) -> str:
    return redacted_request(engine, settings, redactor)


@pytest.fixture
def bob(new_client, settings, request_id) -> Reviewer:
    """The team leader who approved the request (not who filed it): the reviewer."""
    return Reviewer(new_client(), "bob", settings, request_id)


def library_view(engine, settings, request_id) -> review.ReviewView:
    return review.review_view(engine, settings, request_id, "anna")


def store_raw_only(settings, raw) -> None:
    """The call transcribed again, say: a raw transcript that no longer matches ``redacted.json``."""
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, CALL).path
    transcripts.write_raw(folder, raw, transcripts.load_key(settings.transcript_key, settings.transcript_key_file,
                                                            settings.home))


def review_entries(engine, action: str) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(audit.audit_log).where(audit.audit_log.c.action == action)
                            .order_by(audit.audit_log.c.seq)).all()


# --- the page -------------------------------------------------------------------------------------


def test_the_page_shows_each_turn_with_every_redaction_marked_by_type_and_the_flagged_ones(bob, engine, settings,
                                                                                         request_id):
    response = bob.get()
    html = response.text
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    view = library_view(engine, settings, request_id)
    assert view.flagged == view.unconfirmed == 2, "the redactor flags the two number runs said as words"

    turns = Turns(html).turns
    assert sorted(turns) == [seg.index for seg in view.segments]
    for seg in view.segments:
        shown = turns[seg.index]
        assert shown["text"] == seg.text, "the turn's text is the redacted text, character for character"
        assert [(int(m["data-span"]), int(m["data-start"]), int(m["data-end"]), m["text"]) for m in shown["marks"]] == [
            (s.index, s.start, s.end, s.tag) for s in seg.spans]
        for mark, span in zip(shown["marks"], seg.spans):
            classes = mark["class"].split()
            assert {"red", css_class(span.type)} <= set(classes)
            assert ("is-flagged" in classes) == (span.flagged and not span.confirmed)
            assert mark["at"] == span.start
    types = {span.type for seg in view.segments for span in seg.spans}
    assert {"PERSON", "PHONE_NUMBER", "LOCATION", "ADDRESS", "POSTCODE", "EMAIL_ADDRESS", "NUMBER"} <= types

    text = visible(html)
    assert "Transcript controleren vóór vrijgave" in text and f"Verzoek {request_id} · gesprek {CALL}" in text
    assert "[00:00:00] Medewerker: Goedemorgen, u spreekt met [PERSOON-1] van de klantenservice." in text
    assert "[00:00:04] Klant: Hallo, met [PERSOON-2]," in text
    assert "2 markeringen nog te controleren" in text and "Alles bevestigen" in text
    assert text.count("Klopt") == 2 + text.count("Kies Klopt")
    assert html.count('class="danger" aria-label="Geen persoonsgegeven: ') == 2
    assert "vier-ogenprincipe" in text and "Legenda" in text and "Nog geen wijzigingen." in text
    for tag, label in (("PERSOON", "Naam van een persoon"), ("TELEFOONNUMMER", "Telefoonnummer"), ("ADRES", "Adres"),
                       ("POSTCODE", "Postcode"), ("EMAILADRES", "E-mailadres")):
        assert f"[{tag}] {label}" in text
    assert "Klaar voor vrijgave" not in text

    # what the Content-Security-Policy allows: same-origin files, no inline script or style
    assert '<link rel="stylesheet" href="/static/review.css">' in html and '<script src="/static/review.js" defer>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "<style" not in html
    assert not re.search(r"\sstyle=", html) and "hx-on" not in html
    [viewed] = review_entries(engine, "transcript.review_viewed")[:1]
    assert viewed.actor == "bob"


def test_the_page_s_static_files_are_served(bob):
    for name, kind in (("review.js", "javascript"), ("review.css", "text/css")):
        response = bob.client.get(f"/static/{name}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
    assert "Array.from" in bob.client.get("/static/review.js").text


# --- changes through the forms --------------------------------------------------------------------


def test_adding_a_redaction_makes_the_selected_text_unreadable_in_the_file_and_on_the_page(bob, engine, settings,
                                                                                         request_id):
    text = library_view(engine, settings, request_id).segments[MISSED_TURN].text
    assert MISSED in text, "the redactor misses the name said after the emoji (the reviewer adds it)"
    start = text.index(MISSED)  # code points, as the library counts
    assert len(text[:start].encode("utf-16-le")) // 2 == start + 1, "an astral character comes before it"

    response = bob.post("toevoegen", segment=MISSED_TURN, start=start, end=start + len(MISSED), type="PERSON",
                        revision=0)
    assert response.headers["location"] == (f"/verzoeken/{request_id}/controle?melding=toegevoegd"
                                            f"&beurt={MISSED_TURN}#beurt-{MISSED_TURN + 1}")
    bob.hidden.add(MISSED)

    document = redacted_document(settings)
    [added] = [e for e in document["segments"][MISSED_TURN]["entities"] if e.get("added_by_review")]
    assert originals(settings)[MISSED_TURN][added["start"]:added["end"]] == MISSED
    assert (added["type"], document["revision"]) == ("PERSON", 1)
    assert MISSED not in document["segments"][MISSED_TURN]["text"]

    page = bob.follow(response).text
    shown = Turns(page).turns[MISSED_TURN]
    [mark] = [m for m in shown["marks"] if "is-added" in m["class"].split()]
    assert mark["text"] == added["tag"] and re.fullmatch(r"\[PERSOON-\d+\]", added["tag"])
    assert 'data-revision="1"' in page
    turn = visible(turn_html(page, MISSED_TURN + 1))
    assert "De markering is toegevoegd: deze tekst is nu onleesbaar in de brief." in turn

    [change] = document["history"]
    history = visible(page.split("<h2>Wijzigingen</h2>")[1])
    when = datetime.fromisoformat(change["at"]).astimezone(ZoneInfo("Europe/Amsterdam"))
    assert f"{when.day} {MONTHS[when.month - 1]} {when.year} {when:%H:%M} bob Markering toegevoegd " \
           f"Naam van een persoon Beurt {MISSED_TURN + 1} [00:00:24]" in history
    assert LOCAL_TIME.search(history)
    [entry] = review_entries(engine, "transcript.reviewed")
    assert entry.actor == "bob" and json.loads(entry.details)["action"] == "add"


def test_a_change_sent_by_htmx_gets_the_transcript_back_to_swap_in_place(bob, settings, request_id):
    text = redacted_document(settings)["segments"][MISSED_TURN]["text"]
    start = text.index(MISSED)
    response = bob.post("toevoegen", htmx=True, segment=MISSED_TURN, start=start, end=start + len(MISSED),
                        type="PERSON", revision=0)
    bob.hidden.add(MISSED)
    assert response.status_code == 200
    fragment = response.text
    assert re.match(r'\s*(\{#.*?#\}\s*)?<section id="controle" class="review" data-revision="1"', fragment, re.DOTALL)
    assert "<html" not in fragment and "<h1" not in fragment
    assert any("is-added" in m["class"] for m in Turns(fragment).turns[MISSED_TURN]["marks"])
    assert "De markering is toegevoegd" in visible(turn_html(fragment, MISSED_TURN + 1))
    assert csrf_of(fragment) == bob.token, "the swapped forms carry the session's token"


def test_confirming_one_flagged_redaction_then_all_leaves_the_transcript_ready_for_release(bob, engine, settings,
                                                                                          request_id):
    view = library_view(engine, settings, request_id)
    flagged = [(seg.index, s) for seg in view.segments for s in seg.spans if s.flagged]
    segment, span = flagged[0]
    response = bob.post("bevestigen", segment=segment, span=span.index, revision=view.revision)
    assert response.headers["location"].startswith(f"/verzoeken/{request_id}/controle?melding=bevestigd")
    assert redacted_document(settings)["segments"][segment]["entities"][span.index]["confirmed"] is True
    page = bob.follow(response).text
    assert "1 markering nog te controleren" in visible(page)
    [mark] = [m for m in Turns(page).turns[segment]["marks"] if int(m["data-span"]) == span.index]
    assert "is-confirmed" in mark["class"] and "is-flagged" not in mark["class"]
    assert "De markering is bevestigd" in visible(turn_html(page, segment + 1))

    response = bob.post("alles-bevestigen", revision=view.revision + 1)
    assert response.headers["location"] == f"/verzoeken/{request_id}/controle?melding=alles-bevestigd"
    page = bob.follow(response).text
    text = visible(page)
    assert "Alle twijfelgevallen zijn bevestigd" in text
    assert "Klaar voor vrijgave." in text and 'href="/vrijgeven"' in page
    assert "nog te controleren" not in text and "Alles bevestigen" not in text
    assert text.count("Markering bevestigd") == 2
    assert library_view(engine, settings, request_id).releasable
    assert complaints.check_release(engine, "ivo", request_id, settings.transcripts_dir).state == "approved"


def test_undoing_a_false_redaction_makes_its_text_readable_again(bob, engine, settings, request_id):
    view = library_view(engine, settings, request_id)
    segment, span = next((seg.index, s) for seg in view.segments for s in seg.spans if s.flagged)
    entity = redacted_document(settings)["segments"][segment]["entities"][span.index]
    value = originals(settings)[segment][entity["start"]:entity["end"]]
    bob.hidden.discard(value)  # the reviewer's decision: this one is shown again
    response = bob.post("ongedaan", segment=segment, span=span.index, revision=view.revision)
    assert "melding=ongedaan" in response.headers["location"]
    after = redacted_document(settings)["segments"][segment]
    assert value in after["text"] and span.tag not in after["text"] and entity not in after["entities"]
    page = bob.follow(response).text
    assert value in Turns(page).turns[segment]["text"]
    assert "1 markering nog te controleren" in visible(page)
    assert "De markering is ongedaan gemaakt" in visible(turn_html(page, segment + 1))
    assert "Markering ongedaan gemaakt" in visible(page.split("<h2>Wijzigingen</h2>")[1])


def test_a_change_on_a_revision_someone_else_changed_is_refused_and_the_page_is_refreshed(bob, new_client, engine,
                                                                                        settings, request_id):
    anna = Reviewer(new_client(), "anna", settings, request_id)
    assert anna.post("alles-bevestigen", revision=0).status_code == 303
    text = redacted_document(settings)["segments"][MISSED_TURN]["text"]
    start = text.index(MISSED)

    response = bob.post("toevoegen", segment=MISSED_TURN, start=start, end=start + len(MISSED), type="PERSON",
                        revision=0)
    assert response.status_code == 409
    assert STALE in visible(response.text) and 'data-revision="1"' in response.text
    assert "Klaar voor vrijgave" in visible(response.text), "the page shows the transcript as it is now"
    assert STALE == "Iemand anders heeft dit transcript intussen gewijzigd; de pagina is ververst."

    swapped = bob.post("bevestigen", htmx=True, segment=3, span=1, revision=0)
    assert swapped.status_code == 200 and STALE in visible(swapped.text)
    assert swapped.text.lstrip().startswith(("{#", "<section")) or '<section id="controle"' in swapped.text
    document = redacted_document(settings)
    assert document["revision"] == 1 and [h["by"] for h in document["history"]] == ["anna", "anna"]


def test_a_refused_change_says_why_in_dutch_beside_its_turn(bob, engine, settings, request_id):
    view = library_view(engine, settings, request_id)
    seg = view.segments[1]
    tag = seg.spans[0]
    response = bob.post("toevoegen", segment=1, start=tag.start - 2, end=tag.start + 3, type="PERSON",
                        revision=view.revision)
    assert response.status_code == 422
    assert "De selectie overlapt een markering die er al staat." in visible(turn_html(response.text, 2))

    response = bob.post("toevoegen", segment=1, start=0, end=5, type="", revision=view.revision)
    assert response.status_code == 422 and "Kies de soort persoonsgegeven uit de lijst." in visible(
        turn_html(response.text, 2))
    response = bob.post("toevoegen", segment=1, start="vijf", end=5, type="PERSON", revision=view.revision)
    assert response.status_code == 422 and 'aria-invalid="true"' in turn_html(response.text, 2)
    response = bob.post("bevestigen", segment=0, span=0, revision=view.revision)
    assert response.status_code == 422 and "geen twijfelgeval" in visible(turn_html(response.text, 1))
    assert redacted_document(settings).get("revision") is None, "nothing was changed"


# --- who may review what --------------------------------------------------------------------------


def test_whoever_filed_the_request_is_refused_with_the_library_s_reason(new_client, engine, settings, request_id):
    complaint = complaints.register_complaint(engine, "bea", channel="telefoon", received_at=datetime.now(UTC),
                                              description="Klacht.", call_ids=[CALL])
    own = complaints.create_request(engine, "bea", kind="transcript", call_id=CALL, complaint_id=complaint.complaint_id,
                                    reason="Klant wil nalezen wat er is afgesproken in dit gesprek.")
    complaints.approve_request(engine, "bob", own.request_id)
    bea = Reviewer(new_client(), "bea", settings, own.request_id)

    response = bea.get()
    assert response.status_code == 403
    text = visible(response.text)
    assert "U heeft dit verzoek zelf ingediend. Volgens het vier-ogenprincipe controleert een andere manager of " \
           "teamleider het transcript." in text
    assert not Turns(response.text).turns and "Alles bevestigen" not in text
    refused = bea.post("alles-bevestigen", revision=0)
    assert refused.status_code == 403 and "zelf ingediend" in refused.text
    assert "zelf ingediend" in bea.post("alles-bevestigen", htmx=True, revision=0).text
    assert redacted_document(settings).get("revision") is None
    assert bea.get(f"/verzoeken/{request_id}/controle").status_code == 200, "another's request she may review"


def test_roles_without_the_permission_and_requests_without_a_transcript_get_the_one_404(new_client, bob, engine,
                                                                                       settings, request_id):
    missing = bob.get("/bestaat-niet")
    assert missing.status_code == 404
    for user_id in ("kim", "cor", "ivo"):
        other = Reviewer(new_client(), user_id, settings, request_id)
        for response in (other.get(), other.get(f"{other.page}/status"), other.post("alles-bevestigen", revision=0)):
            assert (response.status_code, response.text) == (404, missing.text), user_id
    unknown = bob.get("/verzoeken/V-2099-9999/controle")
    assert (unknown.status_code, unknown.text) == (404, missing.text)

    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description="Klacht.", call_ids=[CALL])
    listen = complaints.create_request(engine, "kim", kind="listen_back", call_id=CALL,
                                       complaint_id=complaint.complaint_id,
                                       reason="Klant wil nalezen wat er is afgesproken in dit gesprek.")
    complaints.approve_request(engine, "bob", listen.request_id)
    for url in (f"/verzoeken/{listen.request_id}/controle", f"/verzoeken/{listen.request_id}/controle/status"):
        response = bob.get(url)
        assert (response.status_code, response.text) == (404, missing.text)
    assert redacted_document(settings).get("revision") is None


def test_a_request_not_approved_yet_cannot_be_reviewed(bob, engine, settings, request_id):
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description="Klacht.", call_ids=[CALL])
    waiting = complaints.create_request(engine, "kim", kind="transcript", call_id=CALL,
                                        complaint_id=complaint.complaint_id,
                                        reason="Klant wil nalezen wat er is afgesproken in dit gesprek.")
    response = bob.get(f"/verzoeken/{waiting.request_id}/controle")
    assert response.status_code == 409
    assert "Dit verzoek is nog niet goedgekeurd. Een transcript wordt gecontroleerd nadat het verzoek is " \
           "goedgekeurd" in visible(response.text)


# --- while the call is transcribed ----------------------------------------------------------------


def test_while_the_call_is_transcribed_the_page_waits_and_reloads_once_it_is_there(new_client, engine, staff,
                                                                                  settings, redactor):
    request_id = approved_request(engine)
    client = new_client()
    token = login_as(client, "bob")
    page = f"/verzoeken/{request_id}/controle"
    response = client.get(page)
    assert response.status_code == 200
    assert "Het gesprek wordt nog getranscribeerd" in visible(response.text)
    assert f'hx-get="{page}/status"' in response.text and 'hx-trigger="every 5s"' in response.text
    assert not Turns(response.text).turns

    polled = client.get(f"{page}/status", headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert polled.status_code == 200 and "HX-Refresh" not in polled.headers
    assert "Het gesprek wordt nog getranscribeerd" in visible(polled.text) and 'hx-trigger="every 5s"' in polled.text
    assert "<html" not in polled.text

    times = [(4.0 * i, 4.0 * i + 3.5) for i in range(len(DIALOGUE))]
    store(engine, settings, raw_transcript(DIALOGUE), redactor.redact(list(DIALOGUE), times,
                                                                      settings.redaction_options()))
    polled = client.get(f"{page}/status", headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert polled.status_code == 200 and polled.headers["HX-Refresh"] == "true"
    assert "hx-trigger" not in polled.text and "Het transcript is klaar" in visible(polled.text)
    shown = client.get(page)
    assert Turns(shown.text).turns and not [v for v in redacted_values(settings) if v in shown.text]


def test_a_released_request_shows_why_it_can_no_longer_be_changed(bob, engine, settings, request_id):
    review.confirm_all_flagged(engine, settings, request_id, "bob")
    complaints.release(engine, settings, "ivo", request_id)
    for response in (bob.get(), bob.post("bevestigen", segment=3, span=1, revision=1)):
        assert response.status_code == 409
        assert "Dit verzoek is al vrijgegeven. De brief bevat het transcript zoals het toen was gecontroleerd; " \
               "wijzigen kan niet meer." in visible(response.text)
        assert not Turns(response.text).turns


def test_a_transcript_that_no_longer_matches_its_raw_text_is_not_changed(bob, engine, settings, request_id):
    changed = [list(turn) for turn in DIALOGUE]
    changed[1][1] = "Hallo, met iemand anders, mijn nummer weet ik niet."
    store_raw_only(settings, raw_transcript([tuple(turn) for turn in changed]))
    response = bob.post("ongedaan", segment=1, span=0, revision=0)
    assert response.status_code == 422
    assert "Het transcript past niet meer bij de opgeslagen tekst van het gesprek" in visible(turn_html(response.text, 2))
    assert redacted_document(settings).get("revision") is None
