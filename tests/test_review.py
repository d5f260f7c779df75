"""Review before release (issue 12, point 3): the second person sees the redacted transcript of an
approved transcript request, adds, undoes and confirms redactions, and the release waits for the
flagged ones; on a real SQLite catalogue, a real encrypted raw transcript and real threads."""

import json
import threading
from datetime import UTC, datetime

import docx
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from callscribe.pipeline.errors import AccessDeniedError, ConcurrentChangeError, PolicyError, StoreError
from callscribe.pipeline.policy import audit, complaints, review
from callscribe.pipeline.storage import catalogue, transcripts
from callscribe.pipeline.types import (
    Entity,
    ModelInfo,
    RedactedSegment,
    RedactedTranscript,
    RedactionOptions,
    Segment,
    Transcript,
    TranscriptionOptions,
)
from tests.conftest import SAMPLES, approve_transcripts

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

CALL = "TBI-2026-000101"
# (speaker, original text, [(value, type, tag, score)]); spans scoring below 0.5 are flagged
SCRIPT = [
    ("medewerker", "Goedemorgen, u spreekt met Sanne de Vries van de klantenservice.",
     [("Goedemorgen", "PERSON", "[PERSOON-1]", 0.38), ("Sanne de Vries", "PERSON", "[PERSOON-2]", 0.85)]),
    ("klant", "Hallo, met Pietersen, mijn nummer is 06 12345678.",
     [("Pietersen", "PERSON", "[PERSOON-3]", 0.9), ("06 12345678", "PHONE_NUMBER", "[TELEFOONNUMMER-1]", 0.95)]),
    ("klant", "Ik woon in Zwolle op de Dorpsstraat 12, postcode 8011 AB.",
     [("Dorpsstraat 12", "ADDRESS", "[ADRES-1]", 0.42), ("8011 AB", "POSTCODE", "[POSTCODE-1]", 0.45)]),
    ("medewerker", "Dank u, meneer Pietersen. Ik stuur het naar Zwolle, groeten aan Sanne en Joost.",
     [("Pietersen", "PERSON", "[PERSOON-3]", 0.6)]),
]
# every original value of the script: never in the view, the history, the audit log or the log
SECRETS = ("Goedemorgen", "Sanne", "Vries", "Pietersen", "06 12345678", "12345678", "Zwolle", "Dorpsstraat", "8011 AB",
           "Joost")


@pytest.fixture
def engine(settings):
    engine = catalogue.get_engine(settings.catalogue_url)
    catalogue.ingest(engine, SAMPLES, SAMPLES / "calls.csv", settings.audio_dir)
    return engine


def key_of(settings) -> bytes:
    return transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)


def raw_transcript(texts) -> Transcript:
    return Transcript(
        segments=tuple(Segment(speaker, 4.0 * i, 4.0 * i + 3.5, text) for i, (speaker, text) in enumerate(texts)),
        duration=4.0 * len(texts), channel_layout="stereo", speakers=("medewerker", "klant"),
        model=ModelInfo("base", "-", "cpu", "int8", 2), options=TranscriptionOptions(),
    )


def store(engine, settings, raw: Transcript, redacted: RedactedTranscript, call_id=CALL):
    """The call's encrypted raw transcript, redacted.json and transcript.md; the recording transcribed."""
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id)
    folder.path.mkdir(parents=True, exist_ok=True)
    transcripts.write_raw(folder.path, raw, key_of(settings))
    recording = catalogue.get_recording(engine, call_id)
    transcripts.write_redacted(folder.path, call_id, recording.call_start, raw, redacted, "quality",
                               settings.retention_timezone)
    catalogue.set_state(engine, call_id, "transcribed")
    return folder


def hand_built(engine, settings, script=SCRIPT):
    """The script redacted by hand: the spans it names, with their tags and scores."""
    segments = []
    for speaker, text, spans in script:
        entities, cursor = [], 0
        for value, entity_type, tag, score in spans:
            start = text.index(value, cursor)
            entities.append(Entity(start, start + len(value), entity_type, score, tag, review=score < 0.5))
            cursor = start + len(value)
        redacted = "".join(_pieces(text, entities))
        segments.append(RedactedSegment(speaker, redacted, tuple(entities)))
    redacted = RedactedTranscript(tuple(RedactedSegment(s.speaker, s.text, s.entities, 4.0 * i, 4.0 * i + 3.5)
                                        for i, s in enumerate(segments)))
    return store(engine, settings, raw_transcript([(s, t) for s, t, _ in script]), redacted)


def _pieces(text, entities):
    cursor = 0
    for entity in entities:
        yield text[cursor:entity.start]
        yield entity.tag
        cursor = entity.end
    yield text[cursor:]


@pytest.fixture
def request_id(engine, staff, settings):
    """An approved transcript request (kim filed it, bob approved it) for a hand-redacted call."""
    request_id = approve_transcripts(engine, [CALL])[CALL]
    hand_built(engine, settings)
    return request_id


def document_of(settings, call_id=CALL) -> dict:
    return json.loads(transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).redacted.read_text("utf-8"))


def originals(settings, call_id=CALL) -> list[str]:
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).path
    return [s.text for s in transcripts.read_raw(folder, key_of(settings)).segments]


def review_entries(engine, action=None):
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit.audit_log).where(audit.audit_log.c.action.like("transcript.review%"))
                            .order_by(audit.audit_log.c.seq)).all()
    return [r for r in rows if action is None or r.action == action]


def selection(view, segment, value_in_redacted):
    text = view.segments[segment].text
    start = text.index(value_in_redacted)
    return start, start + len(value_in_redacted)


# --- the view ---------------------------------------------------------------------------------------


def test_the_view_shows_every_redaction_over_the_redacted_text_and_no_original_value(engine, settings, request_id):
    view = review.review_view(engine, settings, request_id, "bob")
    assert (view.request_id, view.call_id, view.revision) == (request_id, CALL, 0)
    assert [s.text for s in view.segments] == [s["text"] for s in document_of(settings)["segments"]]
    for seg in view.segments:
        assert [seg.text[s.start:s.end] for s in seg.spans] == [s.tag for s in seg.spans]
    first = view.segments[0].spans
    assert [(s.index, s.type, s.tag, s.flagged, s.confirmed, s.added) for s in first] == [
        (0, "PERSON", "[PERSOON-1]", True, False, False), (1, "PERSON", "[PERSOON-2]", False, False, False)]
    assert (view.flagged, view.unconfirmed, view.releasable) == (3, 3, False)
    dumped = json.dumps(view.as_dict())
    assert all(secret not in dumped for secret in ("Goedemorgen", "Vries", "Pietersen", "12345678", "Dorpsstraat",
                                                   "8011 AB"))
    [entry] = review_entries(engine, "transcript.review_viewed")
    assert (entry.actor, entry.subject) == ("bob", request_id)
    assert json.loads(entry.details) == {"call": CALL, "revision": 0, "flagged": 3, "unconfirmed": 3}


def test_only_a_second_manager_or_team_leader_reviews_an_approved_transcript_request(engine, settings, request_id):
    for user in ("kim", "cor", "ivo"):  # complaint desk (who filed it), coach, ICT back office
        with pytest.raises(AccessDeniedError, match="transcript.review"):
            review.review_view(engine, settings, request_id, user)
        with pytest.raises(AccessDeniedError, match="transcript.review"):
            review.confirm_all_flagged(engine, settings, request_id, user)
    assert review.review_view(engine, settings, request_id, "anna").unconfirmed == 3  # a manager, not the approver

    k = complaints.register_complaint(engine, "bea", channel="telefoon", received_at=datetime.now(UTC),
                                      description="Klacht.", call_ids=[CALL])
    own = complaints.create_request(engine, "bea", kind="transcript", call_id=CALL, complaint_id=k.complaint_id,
                                    reason="Klant wil nalezen wat er is afgesproken in dit gesprek.")
    with pytest.raises(PolicyError, match="is requested"):
        review.review_view(engine, settings, own.request_id, "bob")
    complaints.approve_request(engine, "bob", own.request_id)
    with pytest.raises(PolicyError, match="four-eyes"):
        review.review_view(engine, settings, own.request_id, "bea")
    with pytest.raises(PolicyError, match="four-eyes"):
        review.add_redaction(engine, settings, own.request_id, "bea", segment=2, start=11, end=17,
                             entity_type="LOCATION")
    with pytest.raises(PolicyError, match="four-eyes"):
        review.confirm_all_flagged(engine, settings, own.request_id, "bea")
    assert review.review_view(engine, settings, own.request_id, "anna").revision == 0

    listen = complaints.create_request(engine, "kim", kind="listen_back", call_id=CALL, complaint_id=k.complaint_id,
                                       reason="Klant wil nalezen wat er is afgesproken in dit gesprek.")
    complaints.approve_request(engine, "bob", listen.request_id)
    with pytest.raises(PolicyError, match="listen_back request"):
        review.review_view(engine, settings, listen.request_id, "anna")
    assert document_of(settings).get("revision") is None, "no refused change wrote anything"


def test_a_call_without_a_redacted_transcript_cannot_be_reviewed_yet(engine, staff, settings):
    request_id = approve_transcripts(engine, [CALL])[CALL]
    with pytest.raises(StoreError, match="no redacted transcript yet"):
        review.review_view(engine, settings, request_id, "bob")


# --- changes ----------------------------------------------------------------------------------------


def test_an_added_redaction_maps_to_the_original_text_and_takes_the_tag_of_its_value(engine, settings, request_id,
                                                                                   caplog):
    caplog.set_level("DEBUG")
    view = review.review_view(engine, settings, request_id, "bob")
    start, end = selection(view, 2, "Zwolle")
    after = review.add_redaction(engine, settings, request_id, "bob", segment=2, start=start - 1, end=end + 1,
                                 entity_type="LOCATION", revision=view.revision)  # the spaces around are left out
    assert after.revision == 1
    assert after.segments[2].text == "Ik woon in [LOCATIE-1] op de [ADRES-1], postcode [POSTCODE-1]."
    added = after.segments[2].spans[0]
    assert (added.index, added.start, added.end, added.tag, added.score, added.flagged, added.added) == (
        0, start, start + len("[LOCATIE-1]"), "[LOCATIE-1]", 1.0, False, True)
    stored = document_of(settings)["segments"][2]["entities"][0]
    assert originals(settings)[2][stored["start"]:stored["end"]] == "Zwolle"
    assert stored == {"start": 11, "end": 17, "type": "LOCATION", "tag": "[LOCATIE-1]", "score": 1.0,
                      "review": False, "added_by_review": True}

    # the same value later in the transcript keeps its tag, even typed in another case
    start, end = selection(after, 3, "Zwolle")
    after = review.add_redaction(engine, settings, request_id, "bob", segment=3, start=start, end=end,
                                 entity_type="LOCATION", revision=after.revision)
    assert "naar [LOCATIE-1]," in after.segments[3].text
    # a first name of a person tagged before is that person; a new person gets the next number
    start, end = selection(after, 3, "Sanne")
    after = review.add_redaction(engine, settings, request_id, "bob", segment=3, start=start, end=end,
                                 entity_type="PERSON", revision=after.revision)
    start, end = selection(after, 3, "Joost")
    after = review.add_redaction(engine, settings, request_id, "bob", segment=3, start=start, end=end,
                                 entity_type="PERSON", revision=after.revision)
    assert after.segments[3].text == ("Dank u, meneer [PERSOON-3]. Ik stuur het naar [LOCATIE-1], groeten aan "
                                      "[PERSOON-2] en [PERSOON-4].")
    document = document_of(settings)
    assert document["entity_counts"]["LOCATION"] == 2 and document["revision"] == 4
    markdown = transcripts.TranscriptFolder.of(settings.transcripts_dir, CALL).text.read_text("utf-8")
    assert "groeten aan [PERSOON-2] en [PERSOON-4]." in markdown and "Zwolle" not in markdown

    assert [(h["by"], h["action"], h["type"], h["segment"]) for h in document["history"]] == [
        ("bob", "add", "LOCATION", 2), ("bob", "add", "LOCATION", 3), ("bob", "add", "PERSON", 3),
        ("bob", "add", "PERSON", 3)]
    assert set(document["history"][0]) == {"at", "by", "action", "type", "segment", "start", "end"}
    entries = review_entries(engine, "transcript.reviewed")
    assert json.loads(entries[0].details) == {"request": request_id, "call": CALL, "revision": 1, "action": "add",
                                              "type": "LOCATION", "segment": 2, "start": 11, "end": 17}
    recorded = json.dumps([json.loads(e.details) for e in review_entries(engine)] + document["history"])
    recorded += caplog.text
    assert not [secret for secret in SECRETS if secret in recorded]
    assert audit.verify(engine).ok


def test_selections_outside_the_text_over_a_tag_or_on_a_changed_text_are_refused(engine, settings, request_id):
    view = review.review_view(engine, settings, request_id, "bob")
    before = transcripts.TranscriptFolder.of(settings.transcripts_dir, CALL).redacted.read_bytes()
    text = view.segments[1].text  # "Hallo, met [PERSOON-3], mijn nummer is [TELEFOONNUMMER-1]."
    tag = view.segments[1].spans[0]
    refused = [
        ({"segment": 1, "start": tag.start - 4, "end": tag.start + 2, "entity_type": "PERSON"}, PolicyError, "overlaps"),
        ({"segment": 1, "start": tag.end - 1, "end": tag.end + 3, "entity_type": "PERSON"}, PolicyError, "overlaps"),
        ({"segment": 1, "start": 0, "end": len(text), "entity_type": "PERSON"}, PolicyError, "overlaps"),
        ({"segment": 1, "start": 3, "end": len(text) + 1, "entity_type": "PERSON"}, PolicyError, "outside"),
        ({"segment": 1, "start": 4, "end": 4, "entity_type": "PERSON"}, PolicyError, "outside"),
        ({"segment": 1, "start": -1, "end": 4, "entity_type": "PERSON"}, PolicyError, "0 or more"),
        ({"segment": 1, "start": 6, "end": 7, "entity_type": "PERSON"}, PolicyError, "only spaces"),
        ({"segment": 9, "start": 0, "end": 4, "entity_type": "PERSON"}, PolicyError, "segment 9 does not exist"),
        ({"segment": 1, "start": 0, "end": 5, "entity_type": "NAAM"}, PolicyError, "unknown entity type"),
        ({"segment": 1, "start": 0, "end": 5, "entity_type": "PERSON", "revision": 3}, ConcurrentChangeError, "changed meanwhile"),
    ]
    for arguments, error, message in refused:
        with pytest.raises(error, match=message):
            review.add_redaction(engine, settings, request_id, "bob", **arguments)
    with pytest.raises(PolicyError, match="has no redaction 5"):
        review.undo_redaction(engine, settings, request_id, "bob", segment=1, span=5)
    with pytest.raises(PolicyError, match="not flagged"):
        review.confirm_redaction(engine, settings, request_id, "bob", segment=1, span=0)
    # a selection right beside a tag is fine
    after = review.add_redaction(engine, settings, request_id, "bob", segment=1, start=0, end=5, entity_type="PERSON")
    assert after.segments[1].text.startswith("[PERSOON-4], met [PERSOON-3],")
    assert before != transcripts.TranscriptFolder.of(settings.transcripts_dir, CALL).redacted.read_bytes()
    assert len(review_entries(engine, "transcript.reviewed")) == 1


def test_undo_shows_the_original_text_and_confirm_keeps_a_flagged_span(engine, settings, request_id):
    view = review.undo_redaction(engine, settings, request_id, "anna", segment=0, span=0, revision=0)
    assert view.segments[0].text == "Goedemorgen, u spreekt met [PERSOON-2] van de klantenservice."
    assert [s.tag for s in view.segments[0].spans] == ["[PERSOON-2]"]
    assert (view.flagged, view.unconfirmed) == (2, 2)
    view = review.confirm_redaction(engine, settings, request_id, "anna", segment=2, span=1, revision=1)
    assert view.segments[2].spans[1].confirmed and view.unconfirmed == 1
    with pytest.raises(PolicyError, match="confirmed already"):
        review.confirm_redaction(engine, settings, request_id, "anna", segment=2, span=1)
    view = review.confirm_all_flagged(engine, settings, request_id, "anna", revision=2)
    assert (view.revision, view.flagged, view.unconfirmed, view.releasable) == (3, 2, 0, True)
    assert review.confirm_all_flagged(engine, settings, request_id, "anna").revision == 3, "nothing left: no change"
    document = document_of(settings)
    assert document["review_count"] == 2 and document["entity_counts"]["PERSON"] == 3
    assert [(h["action"], h["type"], h["segment"], h["start"], h["end"]) for h in document["history"]] == [
        ("undo", "PERSON", 0, 0, 11), ("confirm", "POSTCODE", 2, 49, 56), ("confirm", "ADDRESS", 2, 24, 38)]
    assert [json.loads(e.details).get("bulk") for e in review_entries(engine, "transcript.reviewed")] == [
        None, None, True]
    markdown = transcripts.TranscriptFolder.of(settings.transcripts_dir, CALL).text.read_text("utf-8")
    assert "Goedemorgen, u spreekt met [PERSOON-2]" in markdown


def test_a_change_that_does_not_commit_leaves_both_files_as_they_were(engine, settings, request_id, monkeypatch):
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, CALL)
    before = (folder.redacted.read_bytes(), folder.text.read_bytes())
    written = transcripts.write_reviewed

    def write_then_fail(*args):
        written(*args)
        raise OSError("disk full")

    monkeypatch.setattr(review.transcripts, "write_reviewed", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        review.confirm_all_flagged(engine, settings, request_id, "bob")
    assert (folder.redacted.read_bytes(), folder.text.read_bytes()) == before
    assert not review_entries(engine, "transcript.reviewed") and audit.verify(engine).ok


def test_a_redacted_transcript_that_no_longer_matches_its_raw_transcript_is_not_changed(engine, settings,
                                                                                      request_id):
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, CALL)
    texts = [(s, t) for s, t, _ in SCRIPT]
    texts[1] = ("klant", "Hallo, met iemand anders, mijn nummer is onbekend.")
    transcripts.write_raw(folder.path, raw_transcript(texts), key_of(settings))  # transcribed again, say
    with pytest.raises(StoreError, match="no longer matches its raw transcript"):
        review.undo_redaction(engine, settings, request_id, "bob", segment=0, span=0)
    assert review.confirm_all_flagged(engine, settings, request_id, "bob").unconfirmed == 0  # needs no raw text


# --- release ----------------------------------------------------------------------------------------


def test_release_waits_for_the_flags_and_the_letter_is_the_reviewed_transcript(engine, settings, request_id):
    with pytest.raises(PolicyError, match=r"3 flagged redaction\(s\) not yet confirmed by the reviewer"):
        complaints.release(engine, settings, "ivo", request_id)
    with pytest.raises(PolicyError, match=r"3 flagged redaction\(s\) not yet confirmed"):
        complaints.check_release(engine, "ivo", request_id, settings.transcripts_dir)
    assert complaints.check_release(engine, "ivo", request_id).state == "approved"  # the approval alone
    assert complaints.get_request(engine, request_id).state == "approved"

    view = review.review_view(engine, settings, request_id, "bob")
    start, end = selection(view, 2, "Zwolle")
    view = review.add_redaction(engine, settings, request_id, "bob", segment=2, start=start, end=end,
                                entity_type="LOCATION", revision=view.revision)
    view = review.undo_redaction(engine, settings, request_id, "bob", segment=0, span=0, revision=view.revision)
    view = review.confirm_redaction(engine, settings, request_id, "bob", segment=2, span=1, revision=view.revision)
    with pytest.raises(PolicyError, match=r"1 flagged redaction\(s\)"):
        complaints.release(engine, settings, "ivo", request_id)
    review.confirm_all_flagged(engine, settings, request_id, "bob", revision=view.revision)
    assert complaints.check_release(engine, "ivo", request_id, settings.transcripts_dir).state == "approved"

    released = complaints.release(engine, settings, "ivo", request_id)
    letter = (settings.outbox_dir / released.files[0]).read_text("utf-8")
    assert "Ik woon in [LOCATIE-1] op de [ADRES-1], postcode [POSTCODE-1]." in letter
    assert "Goedemorgen, u spreekt met [PERSOON-2]" in letter  # the undone span shows its text
    assert "Zwolle" not in letter.split("Ik woon in")[1].split("\n")[0]
    paragraphs = "\n".join(p.text for p in docx.Document(str(settings.outbox_dir / released.files[1])).paragraphs)
    assert "[LOCATIE-1]" in paragraphs and "Goedemorgen" in paragraphs
    with pytest.raises(PolicyError, match="released already"):
        review.confirm_all_flagged(engine, settings, request_id, "bob")
    assert audit.verify(engine).ok


def test_a_transcript_without_flags_releases_as_before(engine, staff, settings):
    request_id = approve_transcripts(engine, [CALL])[CALL]
    hand_built(engine, settings, [(s, t, [v for v in spans if v[3] >= 0.5]) for s, t, spans in SCRIPT])
    assert complaints.check_release(engine, "ivo", request_id, settings.transcripts_dir).state == "approved"
    assert complaints.release(engine, settings, "ivo", request_id).files


# --- offsets and tags as properties, on a real redaction ----------------------------------------------

DIALOGUE = [
    ("medewerker", "Goedemorgen, u spreekt met Sanne de Vries van de klantenservice."),
    ("klant", "Hallo, met Pietersen, mijn nummer is 06 12345678. Ik woon in Zwolle op de Dorpsstraat 12."),
    ("medewerker", "Dank u, meneer Pietersen. Ik stuur de brief naar Zwolle, groeten aan Sanne."),
    ("klant", "Mijn vrouw Joke belt morgen nog even terug over de factuur van maart."),
]


@pytest.fixture
def redacted_request(engine, staff, settings, redactor):
    request_id = approve_transcripts(engine, [CALL])[CALL]
    redacted = redactor.redact(DIALOGUE, [(4.0 * i, 4.0 * i + 3.5) for i in range(len(DIALOGUE))],
                               settings.redaction_options())
    store(engine, settings, raw_transcript(DIALOGUE), redacted)
    return request_id


def tags_consistent(settings) -> None:
    """Within each type, one numbered tag per value (case and punctuation aside) and one value per tag,
    for the values the review compares exactly (persons may share a tag over name words)."""
    texts = originals(settings)
    values: dict[tuple[str, str], set[str]] = {}
    for index, seg in enumerate(document_of(settings)["segments"]):
        for e in seg["entities"]:
            values.setdefault((e["type"], e["tag"]), set()).add(review._normalise(texts[index][e["start"]:e["end"]]))
    for (entity_type, tag), found in values.items():
        if entity_type != "PERSON":
            assert len(found) == 1, (entity_type, tag)
    tags: dict[tuple[str, str], str] = {}
    for (entity_type, tag), found in values.items():
        for value in found:
            assert tags.setdefault((entity_type, value), tag) == tag, (entity_type, tag)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_adding_then_undoing_a_random_selection_restores_the_text_and_tags_stay_consistent(
        engine, settings, redacted_request, data):
    view = review.review_view(engine, settings, redacted_request, "bob")
    segment = data.draw(st.integers(0, len(view.segments) - 1), label="segment")
    text = view.segments[segment].text
    start = data.draw(st.integers(0, len(text) - 1), label="start")
    end = data.draw(st.integers(start + 1, len(text)), label="end")
    entity_type = data.draw(st.sampled_from(sorted(review.ENTITY_TYPES)), label="type")
    first, last = start, end
    while first < last and text[first].isspace():
        first += 1
    while last > first and text[last - 1].isspace():
        last -= 1
    overlaps = any(first < s.end and s.start < last for s in view.segments[segment].spans)
    if first == last or overlaps:
        with pytest.raises(PolicyError, match="only spaces|overlaps"):
            review.add_redaction(engine, settings, redacted_request, "bob", segment=segment, start=start, end=end,
                                 entity_type=entity_type, revision=view.revision)
        return
    added = review.add_redaction(engine, settings, redacted_request, "bob", segment=segment, start=start, end=end,
                                 entity_type=entity_type, revision=view.revision)
    [span] = [s for s in added.segments[segment].spans if s.start == first]
    assert added.segments[segment].text == text[:first] + span.tag + text[last:]
    assert span.tag.startswith(f"[{review.ENTITY_TYPES[entity_type]}-")
    stored = document_of(settings)["segments"][segment]["entities"][span.index]
    assert originals(settings)[segment][stored["start"]:stored["end"]] == text[first:last]
    tags_consistent(settings)
    assert [s.text for i, s in enumerate(added.segments) if i != segment] == [
        s.text for i, s in enumerate(view.segments) if i != segment]
    undone = review.undo_redaction(engine, settings, redacted_request, "bob", segment=segment, span=span.index,
                                   revision=added.revision)
    assert [s.text for s in undone.segments] == [s.text for s in view.segments]
    assert [[(s.tag, s.start) for s in seg.spans] for seg in undone.segments] == [
        [(s.tag, s.start) for s in seg.spans] for seg in view.segments]


def test_an_undone_redactor_span_added_back_gets_the_redactor_s_tag(engine, settings, redacted_request):
    view = review.review_view(engine, settings, redacted_request, "bob")
    for segment in view.segments:
        for span in segment.spans:
            if span.flagged:
                continue
            undone = review.undo_redaction(engine, settings, redacted_request, "bob", segment=segment.index,
                                           span=span.index)
            value_start = span.start
            value_end = value_start + len(undone.segments[segment.index].text) - len(segment.text) + span.end - span.start
            again = review.add_redaction(engine, settings, redacted_request, "bob", segment=segment.index,
                                         start=value_start, end=value_end, entity_type=span.type)
            assert again.segments[segment.index].text == segment.text, (segment.index, span.tag)
    tags_consistent(settings)


def test_a_hash_operator_gets_the_redactor_s_keyed_hash(engine, staff, settings, monkeypatch):
    from callscribe.pipeline.redaction.engine import _Replacer
    from callscribe.pipeline.settings import get_settings

    monkeypatch.setenv("CALLSCRIBE_OPERATORS", "LOCATION=hash")
    monkeypatch.setenv("CALLSCRIBE_HASH_SECRET", "een-lang-willekeurig-geheim-voor-de-test")
    hashed = get_settings()
    request_id = approve_transcripts(engine, [CALL])[CALL]
    hand_built(engine, hashed)
    view = review.review_view(engine, hashed, request_id, "bob")
    start, end = selection(view, 2, "Zwolle")
    after = review.add_redaction(engine, hashed, request_id, "bob", segment=2, start=start, end=end,
                                 entity_type="LOCATION")
    expected = _Replacer(RedactionOptions(default_operator="hash", hash_secret=hashed.hash_secret)).replace(
        "LOCATION", "Zwolle")
    assert after.segments[2].spans[0].tag == expected


# --- two reviewers at once --------------------------------------------------------------------------


def _at_once(monkeypatch, changes):
    """Run each change in its own thread; both pass authorisation and meet before either writes."""
    barrier = threading.Barrier(len(changes), timeout=30)
    checked = review._authorised

    def check_then_meet(*args):
        result = checked(*args)
        barrier.wait()
        return result

    monkeypatch.setattr(review, "_authorised", check_then_meet)
    outcomes = [None] * len(changes)

    def run(index, change):
        try:
            outcomes[index] = change()
        except Exception as err:  # noqa: BLE001 - collected and checked by the caller
            outcomes[index] = err

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(changes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.setattr(review, "_authorised", checked)
    return outcomes


def test_two_reviewers_changing_at_once_lose_no_change(engine, settings, request_id, monkeypatch):
    view = review.review_view(engine, settings, request_id, "bob")
    start, end = selection(view, 2, "Zwolle")
    outcomes = _at_once(monkeypatch, [
        lambda: review.add_redaction(engine, settings, request_id, "bob", segment=2, start=start, end=end,
                                     entity_type="LOCATION"),
        lambda: review.confirm_redaction(engine, settings, request_id, "anna", segment=0, span=0),
    ])
    assert all(isinstance(o, review.ReviewView) for o in outcomes), outcomes
    document = document_of(settings)
    assert document["revision"] == 2
    assert sorted((h["by"], h["action"]) for h in document["history"]) == [("anna", "confirm"), ("bob", "add")]
    assert "[LOCATIE-1]" in document["segments"][2]["text"] and document["segments"][0]["entities"][0]["confirmed"]
    assert len(review_entries(engine, "transcript.reviewed")) == 2 and audit.verify(engine).ok


def test_two_reviewers_changing_the_same_revision_leave_one_change_and_one_refusal(engine, settings, request_id,
                                                                                  monkeypatch):
    view = review.review_view(engine, settings, request_id, "bob")
    start, end = selection(view, 2, "Zwolle")
    outcomes = _at_once(monkeypatch, [
        lambda: review.add_redaction(engine, settings, request_id, "bob", segment=2, start=start, end=end,
                                     entity_type="LOCATION", revision=0),
        lambda: review.add_redaction(engine, settings, request_id, "anna", segment=2, start=start, end=end,
                                     entity_type="ADDRESS", revision=0),
    ])
    won = [o for o in outcomes if isinstance(o, review.ReviewView)]
    assert len(won) == 1 and [type(o) for o in outcomes if o not in won] == [ConcurrentChangeError]
    document = document_of(settings)
    assert document["revision"] == 1 and len(document["history"]) == 1
    assert len(document["segments"][2]["entities"]) == 3
    assert len(review_entries(engine, "transcript.reviewed")) == 1 and audit.verify(engine).ok


def test_a_change_and_the_release_at_once_never_release_an_unreviewed_letter(engine, settings, request_id,
                                                                            monkeypatch):
    """The release waits for a review change in flight (and refuses while flags remain); a change
    after the release is refused. Either way the letter is the stored, reviewed transcript."""
    review.confirm_redaction(engine, settings, request_id, "bob", segment=0, span=0)
    review.confirm_redaction(engine, settings, request_id, "bob", segment=2, span=0)
    barrier = threading.Barrier(2, timeout=30)
    checked = review._authorised
    releasable = complaints._releasable

    def meet(function):
        def wrapped(*args):
            result = function(*args)
            barrier.wait()
            return result
        return wrapped

    monkeypatch.setattr(review, "_authorised", meet(checked))
    monkeypatch.setattr(complaints, "_releasable", meet(releasable))
    outcomes = {}

    def run(name, call):
        try:
            outcomes[name] = call()
        except Exception as err:  # noqa: BLE001 - checked below
            outcomes[name] = err

    threads = [threading.Thread(target=run, args=("confirm", lambda: review.confirm_redaction(
                   engine, settings, request_id, "anna", segment=2, span=1))),
               threading.Thread(target=run, args=("release", lambda: complaints.release(
                   engine, settings, "ivo", request_id)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if isinstance(outcomes["release"], complaints.Release):  # the confirmation came first
        assert isinstance(outcomes["confirm"], review.ReviewView)
        assert "[POSTCODE-1]" in (settings.outbox_dir / outcomes["release"].files[0]).read_text("utf-8")
    else:  # the release came first and found one flag unconfirmed
        assert isinstance(outcomes["release"], PolicyError) and "1 flagged" in str(outcomes["release"])
        assert isinstance(outcomes["confirm"], review.ReviewView)
    assert audit.verify(engine).ok
