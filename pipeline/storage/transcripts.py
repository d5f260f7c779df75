"""The transcript folders under the home folder: encrypted raw transcripts and redacted outputs.

Unredacted transcripts never rest on disk in plain text: they are encrypted with Fernet
(AES-128-CBC + HMAC-SHA256) under a key from the settings, so the transcribe and redact steps
can run as separate, retryable tasks and a better redaction engine can re-run later without
transcribing again. Redacted outputs are plain JSON and Markdown.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet, InvalidToken

from callscribe.pipeline import atomic
from callscribe.pipeline.errors import StoreError, TranscriptKeyError
from callscribe.pipeline.types import (
    Entity,
    ModelInfo,
    RedactedSegment,
    RedactedTranscript,
    Segment,
    Transcript,
    TranscriptionOptions,
    Word,
)

logger = logging.getLogger(__name__)

RAW_NAME = "raw.json.enc"
REDACTED_NAME = "redacted.json"
TEXT_NAME = "transcript.md"
COACHING_NAME = "coaching.md"
_KEY_FILE = "transcript.key"
TAG_EXPLANATION = (
    "Persoonsgegevens (namen, telefoonnummers, e-mailadressen, rekeningnummers, postcodes en "
    "dergelijke) zijn vervangen door labels zoals [PERSOON-1] of [TELEFOONNUMMER-1]. Hetzelfde "
    "label staat steeds voor dezelfde persoon of hetzelfde gegeven."
)


@dataclass(frozen=True)
class TranscriptFolder:
    """The folder of one recording's transcripts, ``<transcripts_dir>/<call id>/``: the encrypted
    unredacted transcript, the redacted JSON, the readable Markdown and the coaching copy. The one
    place that knows the layout; retention deletes :attr:`FILES` with the recording."""

    path: Path

    FILES: ClassVar[tuple[str, ...]] = (RAW_NAME, REDACTED_NAME, TEXT_NAME, COACHING_NAME)

    @classmethod
    def of(cls, transcripts_dir: Path, call_id: str) -> TranscriptFolder:
        return cls(transcripts_dir / call_id)

    @property
    def raw(self) -> Path:
        return self.path / RAW_NAME

    @property
    def redacted(self) -> Path:
        return self.path / REDACTED_NAME

    @property
    def text(self) -> Path:
        return self.path / TEXT_NAME

    @property
    def coaching(self) -> Path:
        return self.path / COACHING_NAME


def load_key(configured: str | None, key_file: Path, home: Path) -> bytes:
    """The Fernet key of raw transcripts, from the settings only: the key itself (from a secret
    store), else the key file, which must lie outside ``home`` (a copy or backup of the home would
    otherwise carry the key with the data it protects) and be readable by its owner only.

    Raises:
        TranscriptKeyError: not a Fernet key; no key file; a key file inside the home, readable
            by others or owned by someone else; or the old key file of the home still in place.
    """
    if configured:
        return _checked_key(configured.encode("ascii"), "CALLSCRIBE_TRANSCRIPT_KEY")
    path = _outside_home(key_file, home)
    legacy = home.expanduser().resolve() / "keys" / _KEY_FILE
    if not path.exists():
        if legacy.is_file():
            raise TranscriptKeyError(
                f"the transcript key is still in the home folder ({legacy}); move it to {path}, or elsewhere "
                "outside the home and point CALLSCRIBE_TRANSCRIPT_KEY_FILE at it")
        raise TranscriptKeyError(f"no transcript key file at {path} (setting CALLSCRIBE_TRANSCRIPT_KEY_FILE)")
    status = path.stat()
    if not path.is_file():
        raise TranscriptKeyError(f"the transcript key file {path} is not a regular file")
    if status.st_uid != os.geteuid():
        raise TranscriptKeyError(f"the transcript key file {path} belongs to another user (uid {status.st_uid})")
    if status.st_mode & 0o077:
        raise TranscriptKeyError(f"the transcript key file {path} is readable by others (mode "
                                 f"{status.st_mode & 0o777:04o}); make it 0600")
    return _checked_key(path.read_bytes().strip(), str(path))


def create_key_file(key_file: Path, home: Path) -> Path:
    """Make a new transcript key file (mode 0600, its folder 0700 when created) outside ``home``.

    Raises:
        TranscriptKeyError: the file exists already (a new key would make every raw transcript
            encrypted with the old one unreadable), or lies inside the home.
    """
    path = _outside_home(key_file, home)
    if path.exists():
        raise TranscriptKeyError(f"{path} exists already; a new key would leave the raw transcripts encrypted "
                                 "with it unreadable")
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, mode=0o700)
    atomic.write_bytes(path, Fernet.generate_key(), mode=0o600)
    logger.info("created a transcript key file")
    return path


def _outside_home(key_file: Path, home: Path) -> Path:
    path = key_file.expanduser().resolve()
    if path.is_relative_to(home.expanduser().resolve()):
        raise TranscriptKeyError(f"the transcript key file {path} lies inside the callscribe home; keep it "
                                 "outside (CALLSCRIBE_TRANSCRIPT_KEY_FILE), so a copy of the home does not carry "
                                 "the key with the data it protects")
    return path


def _checked_key(key: bytes, source: str) -> bytes:
    try:
        Fernet(key)
    except ValueError as err:
        raise TranscriptKeyError(f"{source} does not hold a Fernet key (32 bytes, urlsafe base64)") from err
    return key


def write_raw(folder: Path, transcript: Transcript, key: bytes) -> Path:
    """Encrypt and store an unredacted transcript; returns its path."""
    payload = json.dumps(dataclasses.asdict(transcript), ensure_ascii=False).encode("utf-8")
    path = folder / RAW_NAME
    atomic.write_bytes(path, Fernet(key).encrypt(payload), mode=0o600)
    return path


def read_raw(folder: Path, key: bytes) -> Transcript:
    """Decrypt a stored unredacted transcript.

    Raises:
        StoreError: missing, or encrypted under another key.
    """
    path = folder / RAW_NAME
    try:
        token = path.read_bytes()
    except FileNotFoundError as err:
        raise StoreError(f"{path} is missing: transcribe the recording again") from err
    try:
        data = json.loads(Fernet(key).decrypt(token))
    except InvalidToken as err:
        raise StoreError(
            f"{path} cannot be decrypted with the configured key (CALLSCRIBE_TRANSCRIPT_KEY or "
            "<home>/keys/transcript.key changed): restore the key or transcribe again"
        ) from err
    segments = tuple(
        Segment(**{**s, "words": tuple(Word(**w) for w in s["words"])}) for s in data.pop("segments")
    )
    return Transcript(
        segments=segments,
        model=ModelInfo(**data.pop("model")),
        options=TranscriptionOptions(**data.pop("options")),
        speakers=tuple(data.pop("speakers")),
        **data,
    )


def write_redacted(
    folder: Path,
    call_id: str,
    call_start: datetime,
    transcript: Transcript,
    redacted: RedactedTranscript,
    purpose: str,
    timezone: str,
) -> tuple[Path, Path]:
    """Write the redacted JSON and the readable Markdown transcript; returns both paths. The call
    date is the local date in ``timezone`` (a call at 00:30 on 1 March in Amsterdam is of 1 March)."""
    document = {
        "recording_id": call_id,
        "call_date": local_date(call_start, timezone),
        "purpose": purpose,
        "duration": round(transcript.duration, 2),
        "channel_layout": transcript.channel_layout,
        "speakers": list(transcript.speakers),
        "transcription": {
            "model": dataclasses.asdict(transcript.model),
            "options": dataclasses.asdict(transcript.options),
            "dropped_segments": transcript.dropped_segments,
        },
        "redaction": redacted.engine,
        "entity_counts": redacted.entity_counts(),
        "review_count": sum(e.review for seg in redacted.segments for e in seg.entities),
        "segments": [
            {
                "speaker": seg.speaker,
                "start": seg.start,
                "end": seg.end,
                "text": seg.text,
                "entities": [
                    {"start": e.start, "end": e.end, "type": e.type, "tag": e.tag, "score": e.score,
                     "review": e.review}
                    for e in seg.entities
                ],
            }
            for seg in redacted.segments
        ],
    }
    json_path = folder / REDACTED_NAME
    text_path = folder / TEXT_NAME
    atomic.write_text(json_path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    atomic.write_text(text_path, render_markdown(call_id, call_start, redacted, timezone))
    return json_path, text_path


def read_redacted(folder: Path, call_id: str) -> dict:
    """The parsed ``redacted.json`` of recording ``call_id`` in ``folder``.

    Raises:
        StoreError: missing, not valid JSON, or of another recording.
    """
    path = folder / REDACTED_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise StoreError(f"recording {call_id} has no redacted transcript yet: transcribe it first") from err
    except ValueError as err:
        raise StoreError(f"{path} is not valid JSON: transcribe recording {call_id} again") from err
    if not isinstance(document, dict) or document.get("recording_id") != call_id:
        raise StoreError(f"{path} belongs to another recording: transcribe recording {call_id} again")
    if not isinstance(document.get("segments"), list):
        raise StoreError(f"{path} has no segments: transcribe recording {call_id} again")
    return document


def unconfirmed_flags(document: dict) -> int:
    """How many spans of a ``redacted.json`` document are flagged for review (``review: true``)
    and not yet confirmed by a reviewer (``confirmed: true``)."""
    return sum(1 for segment in document.get("segments") or () for entity in segment.get("entities") or ()
               if entity.get("review") and not entity.get("confirmed"))


def redacted_from_document(document: dict) -> RedactedTranscript:
    """The :class:`RedactedTranscript` a ``redacted.json`` document holds (text, spans, times)."""
    return RedactedTranscript(
        segments=tuple(
            RedactedSegment(
                speaker=seg["speaker"], text=seg["text"], start=seg.get("start"), end=seg.get("end"),
                entities=tuple(Entity(e["start"], e["end"], e["type"], e["score"], e.get("tag", ""),
                                      bool(e.get("review"))) for e in seg.get("entities") or ()),
            )
            for seg in document["segments"]
        ),
        engine=document.get("redaction") or {},
    )


def write_reviewed(folder: Path, call_id: str, call_start: datetime, document: dict, timezone: str) -> tuple[Path, Path]:
    """Write a reviewed ``redacted.json`` document and re-render ``transcript.md`` from it, each
    atomically; the entity and review counts are recomputed. Returns both paths."""
    redacted = redacted_from_document(document)
    document["entity_counts"] = redacted.entity_counts()
    document["review_count"] = sum(e.review for seg in redacted.segments for e in seg.entities)
    json_path = folder / REDACTED_NAME
    text_path = folder / TEXT_NAME
    atomic.write_text(json_path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    atomic.write_text(text_path, render_markdown(call_id, call_start, redacted, timezone))
    return json_path, text_path


def local_date(moment: datetime, timezone: str) -> str:
    """The ISO date of ``moment`` (timezone-aware) on the wall calendar of ``timezone``."""
    return moment.astimezone(ZoneInfo(timezone)).date().isoformat()


def render_markdown(call_id: str, call_start: datetime, redacted: RedactedTranscript, timezone: str) -> str:
    """The one readable transcript for a customer or coach (``transcript.md`` and ``coaching.md``):
    the call's local date in ``timezone``, speaker labels, times, redacted text."""
    lines = [
        f"# Transcript van gesprek {call_id}",
        "",
        f"Datum: {local_date(call_start, timezone)}",
        "",
        f"_{TAG_EXPLANATION}_",
        "",
    ]
    for seg in redacted.segments:
        stamp = clock(seg.start) if seg.start is not None else "--:--"
        lines.append(f"**[{stamp}] {seg.speaker.capitalize()}:** {seg.text}")
        lines.append("")
    return "\n".join(lines)


def clock(seconds: float) -> str:
    """``hh:mm:ss`` of a time in seconds from the start of the call."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
