"""Transcription with faster-whisper: per channel for stereo calls, Dutch forced, VAD on,
word timestamps, and guards against Whisper's hallucinations on silence and repetition loops.

Long calls are transcribed window by window (``transcribe_windows``), so memory stays bounded.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Protocol

import ctranslate2
import numpy as np

from callscribe.pipeline.speech.audio import is_narrowband
from callscribe.pipeline.types import SAMPLE_RATE, ModelInfo, Segment, Transcript, TranscriptionOptions, Word

logger = logging.getLogger(__name__)


# Whisper learned subtitle credits and channel outros from its training data and writes them on
# silence or noise. A segment that is nothing but one of these is dropped.
_PHANTOM_PATTERNS = (
    r"ondertit(?:eld|eling|els)\b.*",
    r".*\bamara\.org\b.*",
    r"(?:bedankt|dank ?je wel|dank u wel) voor het (?:kijken|luisteren)[.!]*",
    r"(?:vergeet niet te )?abonneer(?:en)?\b.*",
    r"tv gelderland\b.*",
    r"omroep \w+ \d{4}.*",
    r"[♪♫*\s]+",
    r"[\[(]?muziek[\])]?",
    r"subtitles? by\b.*",
    r"thanks? (?:you )?for watching[.!]*",
)
_PHANTOM = re.compile(r"^\s*(?:" + "|".join(_PHANTOM_PATTERNS) + r")\s*$", re.IGNORECASE)
_SEED = 0
_MAX_REPEATS = 3  # a phrase said more than this many times in a row is a decoding loop


@lru_cache(maxsize=2)
def get_model(path: str, device: str, compute_type: str, cpu_threads: int, num_workers: int):
    """Load a faster-whisper model once per process (thread-safe for ``num_workers`` callers)."""
    from faster_whisper import WhisperModel

    started = time.perf_counter()
    model = WhisperModel(
        path,
        device=device,
        compute_type=compute_type,
        cpu_threads=cpu_threads,
        num_workers=num_workers,
        local_files_only=True,
    )
    logger.info("loaded Whisper model from %s in %.1f s", path, time.perf_counter() - started)
    return model


class AudioWindow(Protocol):
    """A stretch of a call as ``audio.stream`` yields it: where it starts and its samples."""

    @property
    def start(self) -> float:
        """Seconds from the start of the call."""

    @property
    def channels(self) -> tuple[np.ndarray, ...]:
        """16 kHz float32 samples per channel."""

    @property
    def silent(self) -> bool:
        """Every channel is silent: the window is not given to Whisper."""

    @property
    def narrowband(self) -> bool:
        """Telephone-band audio: VAD runs with ``options.vad_threshold_narrowband``."""


@dataclass(frozen=True)
class _WholeCall:
    channels: tuple[np.ndarray, ...]
    start: float = 0.0
    silent: bool = False
    narrowband: bool = False


def transcribe_channels(
    channels: tuple[np.ndarray, ...],
    speakers: tuple[str, ...],
    model_info: ModelInfo,
    options: TranscriptionOptions | None = None,
    num_workers: int = 1,
    on_progress: Callable[[float, float], None] | None = None,
    channel_layout: str = "mono",
    narrowband: bool | None = None,
) -> Transcript:
    """Transcribe each channel as one speaker and merge them into a time-ordered dialogue.

    Args:
        channels: 16 kHz float32 samples per channel.
        speakers: one speaker label per channel.
        model_info: which model folder to load and how.
        options: decoding options; defaults are Dutch, beam 5, VAD, word timestamps.
        num_workers: concurrent transcriptions the loaded model must serve.
        on_progress: called with ``(seconds done, call duration)`` as decoding goes on; with two
            channels, done is the share of both channels decoded, in seconds of the call.
        channel_layout: recorded in the result.
        narrowband: telephone-band audio, decoded with ``options.vad_threshold_narrowband``; default
            (None): detected from the samples' spectrum, as ``audio.stream`` does for 16 kHz files.

    Returns:
        The unredacted transcript, carrying the model and options that made it.
    """
    if len(channels) != len(speakers):
        raise ValueError(f"{len(channels)} channels but {len(speakers)} speaker labels")
    if narrowband is None:
        narrowband = is_narrowband(SAMPLE_RATE, channels)
    return transcribe_windows(
        [_WholeCall(channels, narrowband=narrowband)], speakers, model_info, options, num_workers, on_progress, channel_layout,
        expected_duration=max((len(c) for c in channels), default=0) / SAMPLE_RATE,
    )


def transcribe_windows(
    windows: Iterable[AudioWindow],
    speakers: tuple[str, ...],
    model_info: ModelInfo,
    options: TranscriptionOptions | None = None,
    num_workers: int = 1,
    on_progress: Callable[[float, float], None] | None = None,
    channel_layout: str = "mono",
    expected_duration: float = 0.0,
) -> Transcript:
    """Transcribe a call window by window, each channel as one speaker, into a time-ordered dialogue.

    Windows silent on every channel are skipped without Whisper (the model is loaded at the first
    window that is not); timestamps are shifted by each window's start. One window holding the
    whole call gives exactly what ``transcribe_channels`` gives.

    Args:
        windows: the call's windows in order (``audio.stream`` yields them, decoding as it goes;
            each is dropped before the next is asked for).
        speakers: one speaker label per channel.
        model_info: which model folder to load and how.
        options: decoding options; defaults are Dutch, beam 5, VAD, word timestamps.
        num_workers: concurrent transcriptions the loaded model must serve.
        on_progress: called with ``(seconds done, call duration)`` as decoding goes on; within a
            window of two channels, done counts the share of both channels decoded.
        channel_layout: recorded in the result.
        expected_duration: the call's length as its header says, the total reported to
            ``on_progress`` until the windows show more.

    Returns:
        The unredacted transcript, carrying the model and options that made it.

    Raises:
        AudioError: raised by the windows while they decode (corrupt, over-long, silent).
    """
    options = options or TranscriptionOptions()
    started = time.perf_counter()
    model = None
    segments: list[Segment] = []
    dropped = skipped = count = 0
    duration = 0.0
    for window in windows:
        if len(window.channels) != len(speakers):
            raise ValueError(f"{len(window.channels)} channels but {len(speakers)} speaker labels")
        count += 1
        length = max((len(c) for c in window.channels), default=0) / SAMPLE_RATE
        duration = window.start + length
        total = max(expected_duration, duration)
        if window.silent:
            skipped += 1
            if on_progress is not None:
                on_progress(duration, total)
        else:
            if window.narrowband and not options.narrowband:
                options = options.for_narrowband()  # recorded in the transcript's options
                logger.info("narrow-band audio: VAD threshold %.2f", options.vad_threshold)
            if model is None:
                loading = time.perf_counter()
                model = get_model(
                    model_info.path, model_info.device, model_info.compute_type, model_info.cpu_threads, num_workers
                )
                started += time.perf_counter() - loading  # as before: the model's loading is not processing
            report = None if on_progress is None else partial(_report, on_progress, total)
            found, lost = _transcribe_window(model, window, length, speakers, options, report)
            segments.extend(found)
            dropped += lost
        del window  # its samples go before the next window is decoded
    if on_progress is not None:
        on_progress(duration, duration)
    segments.sort(key=lambda s: (s.start, s.end, speakers.index(s.speaker)))
    if dropped:
        logger.info("dropped %d hallucinated segment(s)", dropped)
    if skipped:
        logger.info("skipped %d silent window(s) of %d", skipped, count)
    return Transcript(
        segments=tuple(segments),
        duration=duration,
        channel_layout=channel_layout,
        speakers=tuple(speakers),
        model=model_info,
        options=options,
        dropped_segments=dropped,
        processing_seconds=time.perf_counter() - started,
    )


def _report(on_progress: Callable[[float, float], None], total: float, done: float) -> None:
    on_progress(min(done, total), total)


def _transcribe_window(
    model, window: AudioWindow, length: float, speakers: tuple[str, ...], options: TranscriptionOptions,
    on_progress: Callable[[float], None] | None,
) -> tuple[list[Segment], int]:
    """Each channel of one window as one speaker; segments in seconds of the call, and the number dropped."""
    channel_seconds = sum(len(c) for c in window.channels) / SAMPLE_RATE or 1.0
    segments: list[Segment] = []
    dropped = 0
    done_before = 0.0
    for samples, speaker in zip(window.channels, speakers):
        # Temperature fallback samples at random. CTranslate2 seeds each worker thread's generator once,
        # at its first draw (a thread_local std::mt19937), so this seed makes a transcript reproducible
        # per fresh process, not between transcriptions in one process once a fallback has sampled.
        ctranslate2.set_random_seed(_SEED)
        raw_segments, _info = model.transcribe(samples, **options.whisper_kwargs())
        for raw in raw_segments:
            if on_progress is not None:
                on_progress(window.start + (done_before + raw.end) / channel_seconds * length)
            cleaned = clean_segment(_to_segment(raw, speaker, window.start))
            if cleaned is None:
                dropped += 1
            else:
                segments.append(cleaned)
        done_before += len(samples) / SAMPLE_RATE
    return segments, dropped


def clean_segment(segment: Segment) -> Segment | None:
    """Drop phantom subtitle credits and collapse repetition loops; ``None`` drops the segment."""
    text = segment.text.strip()
    if not text or _PHANTOM.match(text):
        return None
    collapsed = collapse_repetitions(text)
    if collapsed == text:
        return segment if text == segment.text else _replace_text(segment, text)
    return _replace_text(segment, collapsed, keep_words=False)


def collapse_repetitions(text: str, max_repeats: int = _MAX_REPEATS) -> str:
    """Shorten a phrase repeated more than ``max_repeats`` times in a row to one occurrence.

    Whisper's decoding loops repeat a word or phrase many times ("ja ja ja ja ja ja ..."); a
    speaker's own short repetition ("nee, nee, nee") stays as it is.
    """
    words = text.split()
    if len(words) <= max_repeats:
        return text
    keys = [re.sub(r"\W+", "", w.lower()) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        collapsed = False
        for n in range(1, min(8, (len(words) - i) // (max_repeats + 1)) + 1):
            gram = keys[i : i + n]
            if not any(gram):
                continue
            repeats = 1
            while keys[i + repeats * n : i + (repeats + 1) * n] == gram:
                repeats += 1
            if repeats > max_repeats:
                out.extend(words[i : i + n])
                i += repeats * n
                collapsed = True
                break
        if not collapsed:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _replace_text(segment: Segment, text: str, keep_words: bool = True) -> Segment:
    return Segment(
        speaker=segment.speaker,
        start=segment.start,
        end=segment.end,
        text=text,
        words=segment.words if keep_words else (),
        avg_logprob=segment.avg_logprob,
        no_speech_prob=segment.no_speech_prob,
    )


def _to_segment(raw, speaker: str, offset: float = 0.0) -> Segment:
    """A faster-whisper segment as ours, its times shifted by ``offset`` seconds (its window's start)."""
    words = tuple(
        Word(start=round(float(w.start) + offset, 3), end=round(float(w.end) + offset, 3), text=w.word,
             probability=round(float(w.probability), 4))
        for w in (raw.words or ())
    )
    return Segment(
        speaker=speaker,
        start=round(float(raw.start) + offset, 3),
        end=round(float(raw.end) + offset, 3),
        text=raw.text,
        words=words,
        avg_logprob=round(float(raw.avg_logprob), 4),
        no_speech_prob=round(float(raw.no_speech_prob), 4),
    )
