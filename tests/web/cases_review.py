"""Route × role rows of review before release (``web/review.py``), and the transcripts its tests
review: an approved transcript request (filed by kim, approved by bob) whose call has an
encrypted raw transcript and a redacted one, written through the library."""

from __future__ import annotations

from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage import catalogue, transcripts
from callscribe.pipeline.types import (
    Entity,
    ModelInfo,
    RedactedSegment,
    RedactedTranscript,
    Segment,
    Transcript,
    TranscriptionOptions,
)
from tests.conftest import SAMPLES, approve_transcripts
from tests.web.route_cases import Case

CALL = "TBI-2026-000101"
SECONDS_PER_TURN = 4.0

# A small call redacted by hand, for the route × role rows: (speaker, original text, spans as
# (value, type, tag, score)); a score below 0.5 is flagged for review.
SCRIPT = (
    ("medewerker", "Goedemiddag, u spreekt met Sanne de Vries.", (("Sanne de Vries", "PERSON", "[PERSOON-1]", 0.85),)),
    ("klant", "Met Pietersen uit Zwolle, mijn code is vier twee.",
     (("Pietersen", "PERSON", "[PERSOON-2]", 0.9), ("vier twee", "NUMBER", "[NUMMER-1]", 0.38))),
)


def ingested(engine, settings) -> None:
    """The bundled sample calls in the catalogue (once)."""
    if not any(r.call_id == CALL for r in catalogue.list_recordings(engine)):
        catalogue.ingest(engine, SAMPLES, SAMPLES / "calls.csv", settings.audio_dir)


def raw_transcript(turns) -> Transcript:
    """The unredacted transcript of ``turns`` ((speaker, text)), a turn every four seconds."""
    return Transcript(
        segments=tuple(Segment(speaker, SECONDS_PER_TURN * i, SECONDS_PER_TURN * i + 3.5, text)
                       for i, (speaker, text) in enumerate(turns)),
        duration=SECONDS_PER_TURN * len(turns), channel_layout="stereo", speakers=("medewerker", "klant"),
        model=ModelInfo("base", "-", "cpu", "int8", 2), options=TranscriptionOptions(),
    )


def store(engine, settings, raw: Transcript, redacted: RedactedTranscript, call_id: str = CALL) -> None:
    """The call's encrypted raw transcript, ``redacted.json`` and ``transcript.md``, as the
    transcription flow leaves them; the recording transcribed."""
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id)
    folder.path.mkdir(parents=True, exist_ok=True)
    key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
    transcripts.write_raw(folder.path, raw, key)
    recording = catalogue.get_recording(engine, call_id)
    transcripts.write_redacted(folder.path, call_id, recording.call_start, raw, redacted, "quality",
                               settings.retention_timezone)
    catalogue.set_state(engine, call_id, "transcribed")


def hand_redacted(script=SCRIPT) -> RedactedTranscript:
    segments = []
    for i, (speaker, text, spans) in enumerate(script):
        entities, cursor, pieces = [], 0, []
        for value, entity_type, tag, score in spans:
            start = text.index(value, cursor)
            entities.append(Entity(start, start + len(value), entity_type, score, tag, review=score < 0.5))
            pieces += [text[cursor:start], tag]
            cursor = start + len(value)
        pieces.append(text[cursor:])
        segments.append(RedactedSegment(speaker, "".join(pieces), tuple(entities), SECONDS_PER_TURN * i,
                                        SECONDS_PER_TURN * i + 3.5))
    return RedactedTranscript(tuple(segments))


def approved_request(engine) -> str:
    """An approved transcript request for :data:`CALL` (kim filed it, bob approved it)."""
    ingested(engine, get_settings())
    return approve_transcripts(engine, [CALL])[CALL]


def reviewable(engine, staff) -> dict[str, str]:
    """An approved transcript request whose call has the hand-redacted :data:`SCRIPT`."""
    settings = get_settings()
    request_id = approved_request(engine)
    store(engine, settings, raw_transcript([(s, t) for s, t, _ in SCRIPT]), hand_redacted())
    return {"request_id": request_id}


def _redacted_offsets(segment: int, word: str) -> tuple[int, int]:
    text = hand_redacted().segments[segment].text
    start = text.index(word)
    return start, start + len(word)


_START, _END = _redacted_offsets(1, "Zwolle")

CASES = {
    ("GET", "/verzoeken/{request_id}/controle"): Case(prepare=reviewable, allowed=(200,)),
    ("GET", "/verzoeken/{request_id}/controle/status"): Case(
        prepare=lambda engine, staff: {"request_id": approved_request(engine)}, allowed=(200,)),
    ("POST", "/verzoeken/{request_id}/controle/toevoegen"): Case(
        prepare=reviewable, form={"segment": "1", "start": str(_START), "end": str(_END), "type": "LOCATION",
                                  "revision": "0"}, allowed=(303,)),
    ("POST", "/verzoeken/{request_id}/controle/ongedaan"): Case(
        prepare=reviewable, form={"segment": "0", "span": "0", "revision": "0"}, allowed=(303,)),
    ("POST", "/verzoeken/{request_id}/controle/bevestigen"): Case(
        prepare=reviewable, form={"segment": "1", "span": "1", "revision": "0"}, allowed=(303,)),
    ("POST", "/verzoeken/{request_id}/controle/alles-bevestigen"): Case(
        prepare=reviewable, form={"revision": "0"}, allowed=(303,)),
}


# --- a call redacted by the real redactor, for the page and browser tests ----------------------------

# Every turn a few seconds apart; the redactor flags the two number runs said as words (review:
# true) and misses the name said after an emoji, which the reviewer adds.
DIALOGUE = (
    ("medewerker", "Goedemorgen, u spreekt met Sanne de Vries van de klantenservice."),
    ("klant", "Hallo, met Pietersen, mijn nummer is 06 12345678. Ik woon in Zwolle op de Dorpsstraat 12."),
    ("medewerker", "Dank u, meneer Pietersen. Wat is uw postcode?"),
    ("klant", "8011 AB. En mijn klantcode is vier zeven twee negen acht."),
    ("klant", "Het pakket had code drie acht vijf twee zes, dat weet ik nog."),
    ("medewerker", "Ik stuur de brief vandaag, groeten aan Sanne. Uw e-mail is p.pietersen@example.nl?"),
    ("klant", "Ja 🙂 de monteur van Kabelnet heette Bobbie, die kwam dinsdag langs."),
)
MISSED_TURN, MISSED = 6, "Bobbie"  # after an astral character: UTF-16 and code point offsets differ


def redacted_request(engine, settings, redactor) -> str:
    """An approved transcript request (kim filed it, bob approved it) for :data:`CALL`, whose call
    is :data:`DIALOGUE` redacted by the real redactor; returns the request id."""
    request_id = approved_request(engine)
    times = [(SECONDS_PER_TURN * i, SECONDS_PER_TURN * i + 3.5) for i in range(len(DIALOGUE))]
    store(engine, settings, raw_transcript(DIALOGUE), redactor.redact(list(DIALOGUE), times,
                                                                      settings.redaction_options()))
    return request_id


def originals(settings, call_id: str = CALL) -> list[str]:
    """The unredacted segment texts, decrypted (for checks only)."""
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).path
    key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
    return [s.text for s in transcripts.read_raw(folder, key).segments]


def redacted_document(settings, call_id: str = CALL) -> dict:
    return transcripts.read_redacted(transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).path, call_id)


def redacted_values(settings, call_id: str = CALL) -> set[str]:
    """The original value of every span redacted now: what no response may show."""
    texts = originals(settings, call_id)
    return {texts[i][e["start"]:e["end"]] for i, seg in enumerate(redacted_document(settings, call_id)["segments"])
            for e in seg["entities"]}
