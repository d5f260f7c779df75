"""Frozen, typed values passed between the stages (audio → transcription → redaction → store).

Stage modules import from here, never from each other.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

SAMPLE_RATE = 16_000  # Hz: audio is decoded to this rate for Whisper


@dataclass(frozen=True)
class TranscriptionOptions:
    """How Whisper was asked to transcribe; embedded in every transcript it produces."""

    language: str | None = "nl"
    beam_size: int = 5
    vad_filter: bool = True
    word_timestamps: bool = True
    condition_on_previous_text: bool = False
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    no_speech_threshold: float = 0.6
    hallucination_silence_threshold: float | None = 2.0
    vad_min_silence_duration_ms: int = 500
    vad_threshold: float = 0.5  # Silero VAD's speech probability threshold, as used on this call
    vad_threshold_narrowband: float = 0.2  # used instead on narrow-band (8 kHz telephone) audio
    narrowband: bool = False  # the call was detected as narrow-band and decoded with the threshold above

    def whisper_kwargs(self) -> dict:
        """Keyword arguments for ``faster_whisper.WhisperModel.transcribe``."""
        kwargs = dataclasses.asdict(self)
        del kwargs["vad_threshold_narrowband"], kwargs["narrowband"]
        kwargs["vad_parameters"] = {
            "min_silence_duration_ms": kwargs.pop("vad_min_silence_duration_ms"),
            "threshold": kwargs.pop("vad_threshold"),
        }
        return kwargs

    def for_narrowband(self) -> TranscriptionOptions:
        """These options for a narrow-band call: the narrow-band VAD threshold, recorded as such."""
        return dataclasses.replace(self, vad_threshold=self.vad_threshold_narrowband, narrowband=True)


@dataclass(frozen=True)
class ModelInfo:
    """Which Whisper model ran and how."""

    model_id: str
    path: str
    device: str
    compute_type: str
    cpu_threads: int


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """One utterance of one speaker, times in seconds from the start of the call."""

    speaker: str
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0


@dataclass(frozen=True)
class Transcript:
    """The unredacted transcription of one audio file. Personal data: never log or store in plain text."""

    segments: tuple[Segment, ...]
    duration: float
    channel_layout: str
    speakers: tuple[str, ...]
    model: ModelInfo
    options: TranscriptionOptions
    dropped_segments: int = 0
    processing_seconds: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclass(frozen=True)
class Entity:
    """A redacted span: offsets into the original text and its replacement, never the original value."""

    start: int
    end: int
    type: str
    score: float
    tag: str = ""
    review: bool = False


# Canonical entity types callscribe reports, and the Dutch tag each becomes in a transcript.
DUTCH_TAGS = {
    "PERSON": "PERSOON",
    "PHONE_NUMBER": "TELEFOONNUMMER",
    "EMAIL_ADDRESS": "EMAILADRES",
    "IBAN": "IBAN",
    "POSTCODE": "POSTCODE",
    "ADDRESS": "ADRES",
    "LOCATION": "LOCATIE",
    "BSN": "BSN",
    "DATE_OF_BIRTH": "GEBOORTEDATUM",
    "CUSTOMER_ID": "KLANTNUMMER",
    "LICENSE_PLATE": "KENTEKEN",
    "CREDIT_CARD": "CREDITCARD",
    "URL": "WEBADRES",
    # A dictated run of digits or letters that no specific recognizer claims (recall first;
    # always flagged for review).
    "NUMBER": "NUMMER",
}


@dataclass(frozen=True)
class RedactionOptions:
    """How found spans are replaced, and when a span is flagged for human review."""

    default_operator: str = "tag"
    operators: tuple[tuple[str, str], ...] = ()  # (entity type, operator) overrides
    hash_secret: str | None = field(default=None, repr=False)
    review_threshold: float = 0.5
    # Names left visible (coaching transcripts: the employee's own name). A PERSON span made only
    # of words of one of these names is not redacted, nor are further mentions inside it.
    keep_names: tuple[str, ...] = field(default=(), repr=False)

    def operator_for(self, entity_type: str) -> str:
        return dict(self.operators).get(entity_type, self.default_operator)


@dataclass(frozen=True)
class RedactedSegment:
    speaker: str
    text: str
    entities: tuple[Entity, ...]
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class RedactedTranscript:
    segments: tuple[RedactedSegment, ...]
    engine: dict = field(default_factory=dict)

    def entity_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for segment in self.segments:
            for entity in segment.entities:
                counts[entity.type] = counts.get(entity.type, 0) + 1
        return dict(sorted(counts.items()))


@dataclass(frozen=True)
class Recording:
    """A row of the recordings catalogue."""

    call_id: str
    call_start: datetime
    duration: float | None
    employee_id: str
    caller_number: str
    direction: str
    audio_path: str
    sha256: str
    channel_layout: str
    state: str
    failure_reason: str | None = None
    processed_at: datetime | None = None
