"""Audio decoding: probe a file, refuse bad ones with a clear reason, split stereo calls per channel.

Decoding goes through PyAV (FFmpeg) like faster-whisper's own ``decode_audio``, so WAV, FLAC, MP3
and Ogg/Opus, 8 kHz telephone audio included, all work and are resampled to 16 kHz mono floats.
``stream`` decodes a file window by window, so memory stays bounded however long the file is;
``load`` decodes a whole file at once.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from callscribe.pipeline.errors import AudioError
from callscribe.pipeline.types import SAMPLE_RATE

logger = logging.getLogger(__name__)

SILENCE_RMS = 1e-4  # about -80 dBFS: digital silence or pure line noise
# Longest window of ``stream`` (seconds). A normal call is far shorter and is one window, decoded
# and transcribed exactly as a whole; a stereo window is 150 MB of samples.
WINDOW_S = 20 * 60.0
QUIET_SEARCH_S = 30.0  # a window ends at the quietest moment of its last 30 s
_FRAME = 160  # 10 ms: the unit a window is cut at
_STRETCH_FRAMES = 50  # 0.5 s: the quietest stretch of this length holds the cut
_SCALE = np.float32(1 / 32768)  # int16 to [-1, 1), exact (a power of two)
_RMS_BLOCK = 1 << 20  # samples squared at a time in float64
NARROWBAND_RATE = 8000  # a file sampled at this rate or less holds nothing above 4 kHz: telephone audio
NARROWBAND_HIGH_SHARE = 1e-3  # under this share of its energy above 4.5 kHz, 16 kHz audio is narrow-band too
_HIGH_BAND_HZ = 4500  # past the roll-off of a resampler's 4 kHz low-pass
_SPECTRUM_FRAME = 512  # 32 ms frames for the band-energy check
_SPECTRUM_FRAMES = 4000  # at most this many frames, spread over the window, per channel


@dataclass(frozen=True)
class AudioInfo:
    """What the container says about an audio file."""

    channels: int
    sample_rate: int
    duration: float
    codec: str

    @property
    def channel_layout(self) -> str:
        return "stereo" if self.channels == 2 else "mono" if self.channels == 1 else f"{self.channels}ch"


@dataclass(frozen=True)
class DecodedAudio:
    """Decoded 16 kHz float32 samples, one array per channel."""

    channels: tuple[np.ndarray, ...]
    info: AudioInfo

    @property
    def duration(self) -> float:
        return len(self.channels[0]) / SAMPLE_RATE if self.channels else 0.0


@dataclass(frozen=True)
class Window:
    """A stretch of a decoded file: 16 kHz float32 samples per channel, ``offset`` samples in."""

    offset: int
    channels: tuple[np.ndarray, ...]
    rms: tuple[float, ...]  # per channel
    narrowband: bool = False  # telephone-band audio (see ``is_narrowband``); the same for every window of a file

    @property
    def start(self) -> float:
        """Seconds from the start of the file."""
        return self.offset / SAMPLE_RATE

    @property
    def end(self) -> float:
        return (self.offset + len(self.channels[0])) / SAMPLE_RATE

    @property
    def duration(self) -> float:
        return len(self.channels[0]) / SAMPLE_RATE

    @property
    def silent(self) -> bool:
        """Every channel is below ``SILENCE_RMS``: nothing in the window to transcribe."""
        return all(rms < SILENCE_RMS for rms in self.rms)


@dataclass(frozen=True)
class AudioStream:
    """A probed audio file that is decoded window by window, afresh each time it is iterated."""

    path: Path
    info: AudioInfo
    max_duration: float
    name: str  # the file as error messages name it
    window_s: float

    def __iter__(self) -> Iterator[Window]:
        return _windows(self)


def probe(path: Path, label: str | None = None) -> AudioInfo:
    """Read channel count, sample rate and duration without decoding the samples.

    Args:
        path: the audio file.
        label: how to name the file in error messages (a recording id); default the file name.

    Raises:
        AudioError: the file is empty, not audio, or has no audio stream.
    """
    name = label or path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError as err:
        raise AudioError(f"{name}: audio file is missing", "missing") from err
    if size == 0:
        raise AudioError(f"{name}: audio file is empty (0 bytes); re-export the recording", "empty")
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{name}: file has no audio stream", "corrupt")
            stream = container.streams.audio[0]
            duration = _duration_seconds(container, stream)
            return AudioInfo(
                channels=stream.codec_context.channels,
                sample_rate=stream.codec_context.sample_rate,
                duration=duration,
                codec=stream.codec_context.name,
            )
    except av.FFmpegError as err:
        raise AudioError(
            f"{name}: not a readable audio file ({type(err).__name__}); supported are WAV, FLAC, "
            "MP3 and Ogg/Opus",
            "corrupt",
        ) from err


def stream(path: Path, max_duration: float, label: str | None = None, window_s: float = WINDOW_S) -> AudioStream:
    """Probe an audio file and return it as windows that are decoded one at a time when iterated.

    At most one window of decoded samples (and the stretch after its cut) is held at once, when
    the caller lets each window go before asking for the next. A window ends at the quietest
    moment of its last ``QUIET_SEARCH_S`` seconds, so words are not cut; a file no longer than
    ``window_s`` is one window, holding exactly the samples ``load`` returns.

    Args:
        path: the audio file.
        max_duration: longer files are refused (seconds).
        label: how to name the file in error messages (a recording id); default the file name.
        window_s: the longest window (seconds); ``math.inf`` decodes the whole file as one window.

    Raises:
        AudioError: when called: missing, empty or unreadable file, more than two channels, or a
            header that says the file is over-long. While iterating: corrupt audio data, no
            samples, more audio than ``max_duration``, and after the last window, silence on every
            channel of every window.
        ValueError: ``window_s`` is under one second.
    """
    if not window_s >= 1.0:
        raise ValueError(f"window_s must be at least 1 second, got {window_s!r}")
    name = label or path.name
    info = probe(path, label)
    if info.channels not in (1, 2):
        raise AudioError(
            f"{name}: {info.channels} audio channels; callscribe takes mono or stereo calls", "channels"
        )
    if info.duration > max_duration:
        raise _too_long(name, info.duration, max_duration)
    return AudioStream(path=path, info=info, max_duration=max_duration, name=name, window_s=window_s)


def load(path: Path, max_duration: float, label: str | None = None) -> DecodedAudio:
    """Decode a whole audio file into one 16 kHz float array per channel.

    Holds the whole file in memory; ``stream`` decodes long files window by window instead.

    Args:
        path: the audio file.
        max_duration: longer files are refused (seconds).
        label: how to name the file in error messages.

    Raises:
        AudioError: corrupt, empty, silent, over-long, or more than two channels.
    """
    source = stream(path, max_duration, label, window_s=math.inf)
    (window,) = source  # one window holds the whole file; iterating to the end checks for silence
    decoded = DecodedAudio(channels=window.channels, info=source.info)
    logger.debug("decoded %s: %d channel(s), %.1f s", source.name, len(decoded.channels), decoded.duration)
    return decoded


def _windows(source: AudioStream) -> Iterator[Window]:
    """Decode ``source`` into windows; the samples of a window are views of one buffer per window."""
    count = source.info.channels
    longest = None if math.isinf(source.window_s) else round(source.window_s * SAMPLE_RATE)
    search = None if longest is None else min(round(QUIET_SEARCH_S * SAMPLE_RATE), longest // 2)
    expected = round(source.info.duration * SAMPLE_RATE) + SAMPLE_RATE  # the header's length, a second spare
    offset = fill = 0  # samples before the buffer; samples in it
    narrow = None  # decided on the first window, kept for the rest of the file
    audible = False
    buffer = _empty(count, _capacity(expected, longest))
    for chunk in _decoded_chunks(source.path, source.name, stereo=count == 2):
        frames = chunk.reshape(-1, count)
        if (offset + fill + len(frames)) / SAMPLE_RATE > source.max_duration:
            raise _too_long(source.name, (offset + fill + len(frames)) / SAMPLE_RATE, source.max_duration)
        done = 0
        while done < len(frames):
            if fill == len(buffer[0]) and fill == longest:  # a full window and more audio: cut it
                cut = _quiet_cut(buffer, fill, search)
                rest = [samples[cut:fill].copy() for samples in buffer]
                window = _window(offset, [samples[:cut] for samples in buffer], source.info.sample_rate, narrow)
                narrow = window.narrowband
                audible = audible or not window.silent
                offset, buffer = offset + cut, None
                yield window
                del window  # the consumer holds the only reference to the window's samples now
                buffer = _empty(count, _capacity(max(expected - offset, len(rest[0])), longest))
                fill = len(rest[0])
                for channel, kept in enumerate(rest):
                    buffer[channel][:fill] = kept
                del rest
            elif fill == len(buffer[0]):  # the header said less than there is: grow the buffer
                buffer = _grown(buffer, fill, longest)
            take = min(len(frames) - done, len(buffer[0]) - fill)
            _put(buffer, fill, frames[done : done + take])
            fill += take
            done += take
    if offset + fill == 0:
        raise AudioError(f"{source.name}: audio stream holds no samples; the file is truncated", "empty")
    window = _window(offset, [samples[:fill] for samples in buffer], source.info.sample_rate, narrow)
    audible = audible or not window.silent
    buffer = None
    yield window
    del window
    if not audible:
        raise AudioError(f"{source.name}: the recording is silent on every channel", "silent")


def _decoded_chunks(path: Path, name: str, stereo: bool) -> Iterator[np.ndarray]:
    """Interleaved 16 kHz int16 samples, frame by frame (as faster_whisper.decode_audio, but strict).

    faster-whisper's decoder skips invalid frames silently; a call recording with broken frames
    should fail loudly instead, so frames are decoded here without that filter.
    """
    resampler = av.audio.resampler.AudioResampler(
        format="s16", layout="stereo" if stereo else "mono", rate=SAMPLE_RATE
    )
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            for frame in container.decode(audio=0):
                for resampled in resampler.resample(frame):
                    yield resampled.to_ndarray().reshape(-1)
            for resampled in resampler.resample(None):
                yield resampled.to_ndarray().reshape(-1)
    except av.FFmpegError as err:
        raise AudioError(f"{name}: audio data is corrupt ({type(err).__name__})", "corrupt") from err


def _quiet_cut(channels: list[np.ndarray], end: int, search: int) -> int:
    """Where a window of ``end`` samples ends: in its last ``search`` samples, at the quietest 10 ms
    of the quietest 0.5 s, nearest the middle of that quiet (a pause, or the latest of equally
    quiet pauses), so no word is cut."""
    frames = search // _FRAME
    start = end - frames * _FRAME
    energy = sum(
        np.square(samples[start:end].reshape(frames, _FRAME), dtype=np.float64).sum(axis=1) for samples in channels
    )
    width = min(_STRETCH_FRAMES, frames)
    stretches = np.convolve(energy, np.ones(width), mode="valid")
    tied = np.flatnonzero(stretches == stretches.min())
    breaks = np.flatnonzero(np.diff(tied) != 1)
    first = tied[breaks[-1] + 1] if len(breaks) else tied[0]  # the latest run of equally quiet stretches
    quiet = energy[first : tied[-1] + width]
    candidates = np.flatnonzero(quiet == quiet.min())
    frame = first + candidates[np.argmin(np.abs(candidates - (len(quiet) - 1) / 2))]
    return int(start + frame * _FRAME + _FRAME // 2)


def _put(buffer: list[np.ndarray], fill: int, frames: np.ndarray) -> None:
    """Write interleaved int16 ``frames`` into the buffer's channels from ``fill`` on, as floats."""
    for channel, samples in enumerate(buffer):
        np.multiply(frames[:, channel], _SCALE, out=samples[fill : fill + len(frames)])


def _window(offset: int, channels: list[np.ndarray], sample_rate: int, narrowband: bool | None = None) -> Window:
    if narrowband is None:
        narrowband = is_narrowband(sample_rate, channels)
    return Window(offset=offset, channels=tuple(channels), rms=tuple(_rms(samples) for samples in channels),
                  narrowband=narrowband)


def is_narrowband(sample_rate: int, channels) -> bool:
    """Whether audio is narrow-band (telephone) speech, which Silero VAD scores lower than studio audio.

    Args:
        sample_rate: the file's own sample rate, before resampling to 16 kHz.
        channels: 16 kHz float32 samples per channel (a window of the file).

    Returns:
        True when the file is sampled at ``NARROWBAND_RATE`` (8 kHz) or less, or when under
        ``NARROWBAND_HIGH_SHARE`` of the samples' energy lies above 4.5 kHz (8 kHz audio stored at
        a higher rate); False for silence, which shows no band at all.
    """
    if sample_rate <= NARROWBAND_RATE:
        return True
    share = high_band_share(channels)
    return share is not None and share < NARROWBAND_HIGH_SHARE


def high_band_share(channels) -> float | None:
    """Share of the energy of 16 kHz samples above 4.5 kHz, over all channels; ``None`` for silence."""
    high = full = 0.0
    window = np.hanning(_SPECTRUM_FRAME).astype(np.float32)
    split = _HIGH_BAND_HZ * _SPECTRUM_FRAME // SAMPLE_RATE
    for samples in channels:
        count = len(samples) // _SPECTRUM_FRAME
        if count == 0:
            continue
        starts = np.linspace(0, (count - 1) * _SPECTRUM_FRAME, min(count, _SPECTRUM_FRAMES)).astype(np.int64)
        frames = samples[starts[:, None] + np.arange(_SPECTRUM_FRAME)] * window
        power = np.square(np.abs(np.fft.rfft(frames, axis=1)), dtype=np.float64)
        high += float(power[:, split:].sum())
        full += float(power.sum())
    return high / full if full > 0 else None


def _capacity(expected: int, longest: int | None) -> int:
    return expected if longest is None else max(1, min(expected, longest))


def _empty(count: int, capacity: int) -> list[np.ndarray]:
    return [np.empty(capacity, dtype=np.float32) for _ in range(count)]


def _grown(buffer: list[np.ndarray], fill: int, longest: int | None) -> list[np.ndarray]:
    capacity = len(buffer[0]) + max(len(buffer[0]) // 2, SAMPLE_RATE)
    grown = _empty(len(buffer), capacity if longest is None else min(capacity, longest))
    for samples, old in zip(grown, buffer):
        samples[:fill] = old[:fill]
    return grown


def _too_long(name: str, seconds: float, max_duration: float) -> AudioError:
    return AudioError(
        f"{name}: {seconds:.0f} s of audio is longer than the limit of {max_duration:.0f} s "
        "(setting CALLSCRIBE_MAX_DURATION_S)",
        "too_long",
    )

def _duration_seconds(container, stream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def _rms(samples: np.ndarray) -> float:
    if samples.size == 0:
        return 0.0
    squares = sum(
        float(np.square(samples[i : i + _RMS_BLOCK], dtype=np.float64).sum())
        for i in range(0, samples.size, _RMS_BLOCK)
    )
    return math.sqrt(squares / samples.size)
