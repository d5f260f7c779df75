"""Review before release: the second person checks the redactions of a transcript request's
transcript before the letter leaves.

A manager or team leader (``transcript.review``) who did not file the request sees the redacted
transcript of an approved, not yet released transcript request with every redaction as a span
over the redacted text (:func:`review_view`), and may

- add a redaction the redactor missed (:func:`add_redaction`): a selection of the current
  redacted text of one segment and an entity type; the selection is mapped back to the original
  text (decrypted in memory only) and replaced by a tag consistent with the rest of the transcript;
- undo a false redaction (:func:`undo_redaction`): its original text becomes visible again, the
  reviewer's explicit decision;
- confirm a redaction flagged for review (:func:`confirm_redaction`, :func:`confirm_all_flagged`).

A transcript request is not released while a flagged span is unconfirmed
(:func:`callscribe.pipeline.policy.complaints.release`), and its letter is built from the reviewed
``redacted.json``. Every change rewrites ``redacted.json`` and ``transcript.md`` atomically, adds
an entry to the document's ``history`` and a ``transcript.reviewed`` audit entry, in the
transaction that holds the request approved: offsets, types and user ids, never text. Changes are
serialised on the request's row (so a release waits for them, and they for a release), and each
carries the revision the reviewer saw, so a selection made on a text someone else has changed
meanwhile is refused instead of landing in the wrong place.

Offsets are character (code point) positions in Python's sense.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from callscribe.pipeline import atomic
from callscribe.pipeline.errors import ConcurrentChangeError, ConfigurationError, PolicyError, StoreError
from callscribe.pipeline.policy import access, audit, complaints, four_eyes
from callscribe.pipeline.storage import catalogue, transcripts
from callscribe.pipeline.types import DUTCH_TAGS, RedactionOptions

logger = logging.getLogger(__name__)

PERMISSION = "transcript.review"
ENTITY_TYPES: dict[str, str] = dict(DUTCH_TAGS)  # the types a reviewer may add, and their Dutch tag
ADDED_SCORE = 1.0  # the score of a redaction a reviewer added
ACTIONS = ("add", "undo", "confirm")

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
# the particles the redactor leaves out when it compares names (pipeline/redaction/engine.py)
_PARTICLES = frozenset({"de", "der", "den", "van", "ter", "ten", "te", "het", "'t", "in", "op", "la", "le", "du"})


@dataclass(frozen=True)
class ReviewSpan:
    """One redaction as the reviewer sees it: a span over the REDACTED text of its segment.

    Attributes:
        index: its place among the segment's redactions (what undo and confirm take).
        start, end: where its tag stands in the segment's redacted text.
        type: the entity type (``PERSON`` …); tag: what replaces it (``[PERSOON-1]``).
        score: the redactor's confidence (1.0 for a reviewer's own).
        flagged: scored below the review threshold (``review: true``); confirmed: a reviewer
            confirmed it; added: a reviewer added it.
    """

    index: int
    start: int
    end: int
    type: str
    tag: str
    score: float
    flagged: bool
    confirmed: bool
    added: bool


@dataclass(frozen=True)
class ReviewSegment:
    """One utterance: its index, speaker, times (seconds, None unknown), redacted text and spans."""

    index: int
    speaker: str
    start: float | None
    end: float | None
    text: str
    spans: tuple[ReviewSpan, ...]


@dataclass(frozen=True)
class ReviewChange:
    """One recorded change: when, by whom, what, of which type, where (offsets into the segment's
    original text, as the spans of ``redacted.json`` are stored; never the text)."""

    at: datetime
    by: str
    action: str
    type: str
    segment: int
    start: int
    end: int


@dataclass(frozen=True)
class ReviewView:
    """The redacted transcript of a transcript request, for its reviewer; no original values.

    Attributes:
        revision: the version of ``redacted.json`` shown; pass it back with a change.
        flagged: spans flagged for review; unconfirmed: those not confirmed yet (release waits
            until none is left).
    """

    request_id: str
    call_id: str
    revision: int
    segments: tuple[ReviewSegment, ...]
    history: tuple[ReviewChange, ...]
    flagged: int
    unconfirmed: int

    @property
    def releasable(self) -> bool:
        """Whether the review lets the release go ahead: no flagged span left unconfirmed."""
        return self.unconfirmed == 0

    def as_dict(self) -> dict:
        """The view as plain data (JSON-ready: times as ISO 8601)."""
        data = dataclasses.asdict(self)
        for change in data["history"]:
            change["at"] = change["at"].isoformat()
        return {**data, "releasable": self.releasable}


# --- reading --------------------------------------------------------------------------------------


def review_view(engine: Engine, settings, request_id: str, as_user: str | None) -> ReviewView:
    """The redacted transcript of an approved transcript request for its reviewer; the reading is
    audited (``transcript.review_viewed``: ids, revision and counts).

    Args:
        settings: the callscribe settings (where the transcripts are).
        as_user: the reviewer: ``transcript.review`` (manager, teamleider), not who filed the request.

    Raises:
        AccessDeniedError: the user may not review transcripts.
        RequestNotFoundError: no such request.
        PolicyError: not a transcript request, filed by the user, or not approved (yet) or
            released already.
        StoreError: the call has no (readable) redacted transcript yet.
    """
    row, reviewer = _authorised(engine, request_id, as_user)
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, row.call_id)
    document = transcripts.read_redacted(folder.path, row.call_id)
    view = _view(request_id, row.call_id, document)
    with audit.transaction(engine) as conn:
        audit.record(conn, reviewer, "transcript.review_viewed", request_id,
                     {"call": row.call_id, "revision": view.revision, "flagged": view.flagged,
                      "unconfirmed": view.unconfirmed})
    return view


# --- changes --------------------------------------------------------------------------------------


def add_redaction(engine: Engine, settings, request_id: str, as_user: str | None, *, segment: int, start: int,
                  end: int, entity_type: str, revision: int | None = None) -> ReviewView:
    """Redact a selection the redactor missed; returns the view after the change.

    The selection is ``start:end`` of the CURRENT redacted text of segment ``segment`` (as
    :func:`review_view` shows it), without the spaces at its ends. It is mapped back to the
    original text and replaced by a tag of ``entity_type``: the tag of the same value elsewhere in
    the transcript (a person sharing the name words of one tagged before is that person), else the
    next number of its type; with a ``mask`` or ``hash`` operator configured for the type, what
    the redactor writes for it. The span scores 1.0 and is marked ``added_by_review``.

    Args:
        entity_type: one of :data:`ENTITY_TYPES` (``PERSON``, ``PHONE_NUMBER`` …).
        revision: the revision the selection was made on (:attr:`ReviewView.revision`); None
            takes the current one.

    Raises:
        AccessDeniedError, RequestNotFoundError, PolicyError: as :func:`review_view`; also an
            unknown type, a segment that does not exist, a selection outside the text, empty or
            overlapping a redaction.
        ConcurrentChangeError: the transcript changed since ``revision``, or the request was
            released meanwhile; nothing was changed.
        StoreError: the redacted transcript is missing or no longer matches the raw transcript.
        TranscriptKeyError: the transcript key is missing or not usable.
    """
    if entity_type not in ENTITY_TYPES:
        raise PolicyError(f"unknown entity type {entity_type!r}; valid: {', '.join(ENTITY_TYPES)}")
    _check_index(start, "the selection's start")
    _check_index(end, "the selection's end")

    def edit(document: dict, context: _Context) -> list[dict]:
        seg = _segment(document, segment)
        text = seg["text"]
        if not 0 <= start < end <= len(text):
            raise PolicyError(f"the selection {start}-{end} lies outside segment {segment}, whose redacted text is "
                              f"{len(text)} characters long: select from 0 up to {len(text)}, start before end")
        first, last = start, end
        while first < last and text[first].isspace():
            first += 1
        while last > first and text[last - 1].isspace():
            last -= 1
        if first == last:
            raise PolicyError("the selection holds only spaces: select the words to redact")
        entities = seg["entities"]
        shift = 0  # original minus redacted offset, after the redactions before the selection
        for entity, (tag_start, tag_end) in zip(entities, _layout(seg, segment)):
            if first < tag_end and tag_start < last:
                raise PolicyError(f"the selection {first}-{last} overlaps the redaction {entity['tag']} at "
                                  f"{tag_start}-{tag_end} of segment {segment}: select text outside redactions")
            if tag_end <= first:
                shift = entity["end"] - tag_end
        original_start, original_end = first + shift, last + shift
        originals = context.originals(document)
        value = originals[segment][original_start:original_end]
        tag = _tag_for(document, originals, entity_type, value, settings.redaction_options())
        entities.append({"start": original_start, "end": original_end, "type": entity_type, "tag": tag,
                         "score": ADDED_SCORE, "review": False, "added_by_review": True})
        entities.sort(key=lambda e: e["start"])
        seg["text"] = _render(originals[segment], entities)
        return [_change("add", entity_type, segment, original_start, original_end)]

    return _changed(engine, settings, request_id, as_user, revision, edit)


def undo_redaction(engine: Engine, settings, request_id: str, as_user: str | None, *, segment: int, span: int,
                   revision: int | None = None) -> ReviewView:
    """Undo a false redaction: span ``span`` of segment ``segment`` (:attr:`ReviewSpan.index`) is
    removed and its original text becomes visible in ``redacted.json``, ``transcript.md`` and the
    letter, as the reviewer decides. Returns the view after the change.

    Raises:
        As :func:`add_redaction`; PolicyError also for a span that does not exist.
    """

    def edit(document: dict, context: _Context) -> list[dict]:
        seg = _segment(document, segment)
        entity = _span(seg, segment, span)
        originals = context.originals(document)
        seg["entities"].remove(entity)
        seg["text"] = _render(originals[segment], seg["entities"])
        return [_change("undo", entity["type"], segment, entity["start"], entity["end"])]

    return _changed(engine, settings, request_id, as_user, revision, edit)


def confirm_redaction(engine: Engine, settings, request_id: str, as_user: str | None, *, segment: int, span: int,
                      revision: int | None = None) -> ReviewView:
    """Confirm a flagged redaction (span ``span`` of segment ``segment``): it stays redacted and no
    longer holds up the release. Returns the view after the change.

    Raises:
        As :func:`add_redaction`; PolicyError also for a span that does not exist, is not flagged
        or is confirmed already.
    """

    def edit(document: dict, context: _Context) -> list[dict]:
        entity = _span(_segment(document, segment), segment, span)
        if not entity.get("review"):
            raise PolicyError(f"redaction {span} of segment {segment} is not flagged for review; only flagged "
                              "redactions need confirming")
        if entity.get("confirmed"):
            raise PolicyError(f"redaction {span} of segment {segment} is confirmed already")
        entity["confirmed"] = True
        return [_change("confirm", entity["type"], segment, entity["start"], entity["end"])]

    return _changed(engine, settings, request_id, as_user, revision, edit)


def confirm_all_flagged(engine: Engine, settings, request_id: str, as_user: str | None, *,
                        revision: int | None = None) -> ReviewView:
    """Confirm every flagged redaction not confirmed yet, each recorded as its own change (in the
    audit log marked ``bulk``); with none left, nothing changes. Returns the view after it.

    Raises:
        As :func:`add_redaction`.
    """

    def edit(document: dict, context: _Context) -> list[dict]:
        changes = []
        for index, seg in enumerate(document["segments"]):
            for entity in seg["entities"]:
                if entity.get("review") and not entity.get("confirmed"):
                    entity["confirmed"] = True
                    changes.append(_change("confirm", entity["type"], index, entity["start"], entity["end"]))
        return changes

    return _changed(engine, settings, request_id, as_user, revision, edit, bulk=True)


# --- the machinery --------------------------------------------------------------------------------


@dataclass
class _Context:
    """What an edit may need besides the document: the original segment texts, decrypted on first
    use and checked against the redacted ones."""

    settings: object
    folder: Path
    call_id: str
    _texts: list[str] | None = None

    def originals(self, document: dict) -> list[str]:
        if self._texts is None:
            settings = self.settings
            key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
            texts = [s.text for s in transcripts.read_raw(self.folder, key).segments]
            segments = document["segments"]
            if len(texts) != len(segments) or any(_render(t, s["entities"]) != s["text"]
                                                  for t, s in zip(texts, segments)):
                raise StoreError(f"the redacted transcript of {self.call_id} no longer matches its raw transcript: "
                                 "transcribe the recording again")
            self._texts = texts
        return self._texts


def _authorised(engine: Engine, request_id: str, as_user: str | None) -> tuple[sa.Row, access.User]:
    """The request's row and the reviewer, if ``as_user`` may review its transcript now."""
    reviewer = access.authorize(engine, as_user, PERMISSION)
    row = four_eyes.load(engine, complaints.WORKFLOW, request_id)
    if row.kind != "transcript":
        raise PolicyError(f"request {request_id} is a {row.kind} request; only a transcript request has a transcript "
                          "to review")
    if row.requested_by == reviewer.user_id:
        raise PolicyError(f"user {reviewer.user_id} filed request {request_id} and cannot also review its transcript "
                          "(four-eyes principle): a second manager or team leader reviews it")
    if row.state == four_eyes.State.RELEASED:
        raise PolicyError(f"request {request_id} was released already; its letter holds the transcript as reviewed")
    if row.state != four_eyes.State.APPROVED:
        raise PolicyError(f"request {request_id} is {row.state}; a transcript is reviewed once its request is "
                          "approved and until it is released")
    return row, reviewer


def _changed(engine: Engine, settings, request_id: str, as_user: str | None, revision: int | None,
             edit: Callable[[dict, _Context], list[dict]], bulk: bool = False) -> ReviewView:
    """Apply ``edit`` to the request's ``redacted.json`` under the request's row lock: check the
    revision, write both files atomically, record the history and the audit entries, all in one
    transaction; the files are put back if it does not commit."""
    if revision is not None:
        _check_index(revision, "the revision")
    row, reviewer = _authorised(engine, request_id, as_user)
    recording = catalogue.get_recording(engine, row.call_id)
    folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, row.call_id)
    now = datetime.now(UTC)
    previous: dict[Path, bytes | None] | None = None
    try:
        with audit.transaction(engine) as conn:
            _hold(conn, request_id)
            document = transcripts.read_redacted(folder.path, row.call_id)
            current = _revision(document)
            if revision is not None and revision != current:
                raise ConcurrentChangeError(f"the transcript of request {request_id} changed meanwhile (revision "
                                            f"{current}, not {revision}): look at it again before changing it")
            changes = edit(document, _Context(settings, folder.path, row.call_id))
            if not changes:
                return _view(request_id, row.call_id, document)
            document["revision"] = current + 1
            history = document.setdefault("history", [])
            for change in changes:
                history.append({"at": now.isoformat(), "by": reviewer.user_id, **change})
                audit.record(conn, reviewer, "transcript.reviewed", request_id,
                             {"request": request_id, "call": row.call_id, "revision": current + 1, **change,
                              **({"bulk": True} if bulk else {})}, at=now)
            previous = {path: path.read_bytes() if path.exists() else None for path in (folder.redacted, folder.text)}
            transcripts.write_reviewed(folder.path, row.call_id, recording.call_start, document,
                                       settings.retention_timezone)
    except BaseException:
        for path, data in (previous or {}).items():  # the change did not commit: the files as they were
            if data is None:
                path.unlink(missing_ok=True)
            else:
                atomic.write_bytes(path, data)
        raise
    logger.info("request %s: %d review change(s) (%s) by %s, revision %d", request_id, len(changes),
                ", ".join(sorted({f"{c['action']} {c['type']}" for c in changes})), reviewer.user_id, current + 1)
    return _view(request_id, row.call_id, document)


def _hold(conn: Connection, request_id: str) -> None:
    """Take the request's row for this transaction, if it is still approved: a write that
    serialises review changes with each other and with the release (which moves the same row)."""
    table = complaints.WORKFLOW.table
    held = conn.execute(sa.update(table).where(
        table.c.request_id == request_id, table.c.state == four_eyes.State.APPROVED.value,
    ).values(state=table.c.state)).rowcount
    if held != 1:
        raise ConcurrentChangeError(f"request {request_id} is no longer approved (released meanwhile?): nothing was "
                                    "changed; look at it again")


def _change(action: str, entity_type: str, segment: int, start: int, end: int) -> dict:
    return {"action": action, "type": entity_type, "segment": segment, "start": start, "end": end}


def _revision(document: dict) -> int:
    return int(document.get("revision") or 0)


def _check_index(value, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PolicyError(f"{what} must be a whole number of 0 or more, not {value!r}")


def _segment(document: dict, index: int) -> dict:
    segments = document["segments"]
    _check_index(index, "the segment")
    if index >= len(segments):
        raise PolicyError(f"segment {index} does not exist: the transcript has segments 0 to {len(segments) - 1}")
    return segments[index]


def _span(segment: dict, segment_index: int, index: int) -> dict:
    entities = segment["entities"]
    _check_index(index, "the redaction")
    if index >= len(entities):
        raise PolicyError(f"segment {segment_index} has no redaction {index}: it has {len(entities)}")
    return entities[index]


def _layout(segment: dict, index: int) -> list[tuple[int, int]]:
    """Where each redaction's tag stands in the segment's redacted text, checked against it.

    Raises:
        StoreError: the spans overlap or their tags are not where they should be.
    """
    text, shift, end, places = segment["text"], 0, 0, []
    for entity in segment["entities"]:
        if entity["start"] < end or entity["end"] <= entity["start"]:
            raise StoreError(f"segment {index} of the redacted transcript has overlapping or empty redactions: "
                             "transcribe the recording again")
        start = entity["start"] + shift
        places.append((start, start + len(entity["tag"])))
        if text[start:start + len(entity["tag"])] != entity["tag"]:
            raise StoreError(f"segment {index} of the redacted transcript does not hold its redactions where its "
                             "spans say: transcribe the recording again")
        shift += len(entity["tag"]) - (entity["end"] - entity["start"])
        end = entity["end"]
    return places


def _render(original: str, entities: list[dict]) -> str:
    """A segment's redacted text: its original text with each span replaced by its tag."""
    parts, cursor = [], 0
    for entity in entities:
        parts += [original[cursor:entity["start"]], entity["tag"]]
        cursor = entity["end"]
    parts.append(original[cursor:])
    return "".join(parts)


def _view(request_id: str, call_id: str, document: dict) -> ReviewView:
    segments = []
    for index, seg in enumerate(document["segments"]):
        spans = tuple(
            ReviewSpan(number, start, end, e["type"], e["tag"], float(e["score"]), bool(e.get("review")),
                       bool(e.get("confirmed")), bool(e.get("added_by_review")))
            for number, (e, (start, end)) in enumerate(zip(seg["entities"], _layout(seg, index)))
        )
        segments.append(ReviewSegment(index, str(seg["speaker"]), seg.get("start"), seg.get("end"), seg["text"], spans))
    history = tuple(
        ReviewChange(datetime.fromisoformat(h["at"]), h["by"], h["action"], h["type"], h["segment"], h["start"], h["end"])
        for h in document.get("history") or ()
    )
    flagged = sum(s.flagged for seg in segments for s in seg.spans)
    return ReviewView(request_id, call_id, _revision(document), tuple(segments), history, flagged,
                      transcripts.unconfirmed_flags(document))


# --- tags -----------------------------------------------------------------------------------------


def _tag_for(document: dict, originals: list[str], entity_type: str, value: str, options: RedactionOptions) -> str:
    """What replaces ``value`` of ``entity_type``, as the redactor would write it in this transcript.

    ``tag``: the tag an equal value of the type already has (case, spaces and punctuation aside;
    for a person also a name sharing its name words, the first such in the transcript), else the
    type's highest number plus one. ``mask``: asterisks. ``hash``: the keyed hash of the redactor.
    """
    operator = options.operator_for(entity_type)
    label = ENTITY_TYPES[entity_type]
    if operator == "mask":
        return "*" * len(value)
    if operator == "hash":
        if not options.hash_secret:
            raise ConfigurationError("the hash operator needs a secret: set CALLSCRIBE_HASH_SECRET to a long random "
                                     "string")
        digest = hmac.new(options.hash_secret.encode(), f"{entity_type}|{_normalise(value)}".encode(), hashlib.sha256)
        return f"[{label}-{digest.hexdigest()[:12]}]"
    numbered = re.compile(rf"\[{re.escape(label)}-([0-9]+)\]")
    tagged = [(e["tag"], originals[index][e["start"]:e["end"]])
              for index, seg in enumerate(document["segments"]) for e in seg["entities"]
              if e["type"] == entity_type and numbered.fullmatch(e["tag"])]
    key = _normalise(value)
    for tag, known in tagged:
        if key and _normalise(known) == key:
            return tag
    words = _name_words(value) if entity_type == "PERSON" else frozenset()
    for tag, known in tagged:
        known_words = _name_words(known) if words else frozenset()
        if known_words and (words <= known_words or known_words <= words):
            return tag
    highest = max((int(numbered.fullmatch(tag).group(1)) for tag, _ in tagged), default=0)
    return f"[{label}-{highest + 1}]"


def _normalise(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.casefold())


def _name_words(value: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(value) if w.casefold() not in _PARTICLES and len(w) > 1)
