"""Compositions of the stages for one file or one transcript, shared by the flows and the CLI."""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from callscribe.pipeline.errors import InputFormatError
from callscribe.pipeline.settings import Settings
from callscribe.pipeline.speech import audio
from callscribe.pipeline.speech.model_cache import resolve_model
from callscribe.pipeline.speech.transcription import get_model, transcribe_windows
from callscribe.pipeline.types import ModelInfo, RedactedTranscript, Transcript, TranscriptionOptions

if TYPE_CHECKING:
    from callscribe.pipeline.redaction.engine import Redactor

logger = logging.getLogger(__name__)


def model_info(settings: Settings) -> ModelInfo:
    """Resolve (and for the bundled model, assemble) the configured Whisper model."""
    model_id, path = resolve_model(settings.whisper_model, settings.models_dir)
    return ModelInfo(
        model_id=model_id,
        path=str(path),
        device=settings.device,
        compute_type=settings.compute_type,
        cpu_threads=settings.cpu_threads,
    )


def load_model(info: ModelInfo, num_workers: int) -> None:
    """Load the Whisper model now (once per process), for ``num_workers`` transcriptions at a time."""
    get_model(info.path, info.device, info.compute_type, info.cpu_threads, num_workers)


def transcription_options(settings: Settings) -> TranscriptionOptions:
    return TranscriptionOptions(language=settings.language or None, beam_size=settings.beam_size,
                                vad_threshold=settings.vad_threshold,
                                vad_threshold_narrowband=settings.vad_threshold_narrowband)


def transcribe_file(
    path: Path,
    settings: Settings,
    label: str | None = None,
    on_progress: Callable[[float, float], None] | None = None,
    info: ModelInfo | None = None,
    num_workers: int | None = None,
) -> Transcript:
    """Decode and transcribe one audio file; stereo calls per channel with the configured speakers.

    The file is decoded and transcribed window by window (``audio.WINDOW_S``), so memory stays
    bounded on long files; windows silent on every channel are skipped.

    Raises:
        AudioError: the file is corrupt, empty, silent, over-long or has too many channels.
    """
    source = audio.stream(path, settings.max_duration_s, label)
    speakers = settings.channel_speakers if source.info.channels == 2 else (settings.mono_speaker,)
    return transcribe_windows(
        source,
        speakers,
        info or model_info(settings),
        transcription_options(settings),
        num_workers=num_workers or settings.max_parallel,
        on_progress=on_progress,
        channel_layout=source.info.channel_layout,
        expected_duration=source.info.duration,
    )


def redactor(settings: Settings) -> Redactor:
    """The process-wide redactor for these settings (Presidio and spaCy load on first use)."""
    from callscribe.pipeline.redaction.engine import get_redactor

    return get_redactor(settings.spacy_model, settings.rules_dir, settings.score_threshold)


def warm_redactor(settings: Settings) -> threading.Thread:
    """Load the redactor in a background thread, beside the first transcription, so the first
    redaction does not wait for Presidio and spaCy after it. A failed load is left to the first
    :func:`redactor` call, which raises it where it is handled."""

    def load() -> None:
        try:
            redactor(settings)
        except Exception as err:  # noqa: BLE001 - raised again, and handled, by the redaction itself
            logger.debug("redactor warm-up failed (%s); the redaction step reports it", type(err).__name__)

    thread = threading.Thread(target=load, name="redactor-warm-up", daemon=True)
    thread.start()
    return thread


def redact_transcript(
    transcript: Transcript, settings: Settings, keep_names: Sequence[str] = ()
) -> RedactedTranscript:
    """Redact a transcript with the configured operators.

    Args:
        transcript: the unredacted transcript.
        settings: operators, hash secret and review threshold.
        keep_names: names left visible (the employee's own name in a coaching transcript);
            default none: everything found is redacted.
    """
    options = settings.redaction_options()
    if keep_names:
        options = dataclasses.replace(options, keep_names=tuple(keep_names))
    return redactor(settings).redact(
        [(s.speaker, s.text) for s in transcript.segments],
        [(s.start, s.end) for s in transcript.segments],
        options,
    )


# A transcript line of a JSONL input: a ten-hour call is well under a million characters; one
# segment (an utterance) stays under spaCy's own limit of a million characters per text.
MAX_LINE_CHARS = 1_000_000
MAX_SEGMENT_CHARS = 100_000


def read_dialogues(path: Path) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Read ``{"id": str, "segments": [{"speaker": str, "text": str}]}`` lines.

    Raises:
        InputFormatError: naming the file, the line and what is wrong (never the text).
    """
    with open(path, encoding="utf-8") as handle:
        number = 0
        while True:
            number += 1
            try:
                line = handle.readline(MAX_LINE_CHARS + 1)  # bounded: a runaway line is never read whole
            except UnicodeDecodeError:
                raise InputFormatError(f"{path} line {number} or nearby: not UTF-8; save the file as UTF-8") from None
            if not line:
                return
            if len(line) > MAX_LINE_CHARS:
                raise InputFormatError(f"{path} line {number}: longer than {MAX_LINE_CHARS:,} characters; "
                                       "split the transcript over several lines")
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                segments = [(str(s["speaker"]), s["text"]) for s in row["segments"]]
                if not isinstance(row["id"], str) or not all(isinstance(t, str) for _, t in segments):
                    raise TypeError
                if any(len(t) > MAX_SEGMENT_CHARS for _, t in segments):
                    raise InputFormatError(f"{path} line {number}: a segment is longer than {MAX_SEGMENT_CHARS:,} "
                                           "characters; split it into utterances")
            except json.JSONDecodeError as err:
                raise InputFormatError(f"{path} line {number}: not valid JSON ({err.msg})") from None
            except (KeyError, TypeError, AttributeError):
                raise InputFormatError(
                    f"{path} line {number}: expected {{\"id\": str, \"segments\": "
                    "[{\"speaker\": str, \"text\": str}, ...]}"
                ) from None
            yield row["id"], segments


def redacted_line(dialogue_id: str, redacted: RedactedTranscript) -> str:
    """One output line of ``redact-transcripts``."""
    return json.dumps(
        {
            "id": dialogue_id,
            "segments": [
                {
                    "speaker": seg.speaker,
                    "text": seg.text,
                    "entities": [
                        {"start": e.start, "end": e.end, "type": e.type, "score": e.score, "review": e.review}
                        for e in seg.entities
                    ],
                }
                for seg in redacted.segments
            ],
        },
        ensure_ascii=False,
    )
