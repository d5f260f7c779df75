"""Audio decoding: probe a file, refuse bad ones with a clear reason, split stereo calls per channel.

Decoding goes through PyAV (FFmpeg) like faster-whisper's own ``decode_audio``, so WAV, FLAC, MP3
and Ogg/Opus, 8 kHz telephone audio included, all work and are resampled to 16 kHz mono floats.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from callscribe.pipeline.errors import AudioError
from callscribe.pipeline.types import SAMPLE_RATE

logger = logging.getLogger(__name__)

SILENCE_RMS = 1e-4  # about -80 dBFS: digital silence or pure line noise


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


def load(path: Path, max_duration: float, label: str | None = None) -> DecodedAudio:
    """Decode an audio file into one 16 kHz float array per channel.

    Args:
        path: the audio file.
        max_duration: longer files are refused (seconds).
        label: how to name the file in error messages.

    Raises:
        AudioError: corrupt, empty, silent, over-long, or more than two channels.
    """
    name = label or path.name
    info = probe(path, label)
    if info.channels not in (1, 2):
        raise AudioError(
            f"{name}: {info.channels} audio channels; callscribe takes mono or stereo calls", "channels"
        )
    if info.duration > max_duration:
        raise AudioError(
            f"{name}: {info.duration:.0f} s of audio is longer than the limit of {max_duration:.0f} s "
            "(setting CALLSCRIBE_MAX_DURATION_S)",
            "too_long",
        )
    try:
        samples = _decode(path, stereo=info.channels == 2)
    except av.FFmpegError as err:
        raise AudioError(f"{name}: audio data is corrupt ({type(err).__name__})", "corrupt") from err
    if info.channels == 2:
        channels = (samples[0::2].copy(), samples[1::2].copy())
    else:
        channels = (samples,)
    decoded = DecodedAudio(channels=channels, info=info)
    if decoded.duration == 0.0:
        raise AudioError(f"{name}: audio stream holds no samples; the file is truncated", "empty")
    if decoded.duration > max_duration:
        raise AudioError(
            f"{name}: {decoded.duration:.0f} s of audio is longer than the limit of {max_duration:.0f} s "
            "(setting CALLSCRIBE_MAX_DURATION_S)",
            "too_long",
        )
    if all(_rms(channel) < SILENCE_RMS for channel in channels):
        raise AudioError(f"{name}: the recording is silent on every channel", "silent")
    logger.debug("decoded %s: %d channel(s), %.1f s", name, len(channels), decoded.duration)
    return decoded


def _decode(path: Path, stereo: bool) -> np.ndarray:
    """Decode to interleaved 16 kHz float32 samples (as faster_whisper.decode_audio, but strict).

    faster-whisper's decoder skips invalid frames silently; a call recording with broken frames
    should fail loudly instead, so frames are decoded here without that filter.
    """
    resampler = av.audio.resampler.AudioResampler(
        format="s16", layout="stereo" if stereo else "mono", rate=SAMPLE_RATE
    )
    chunks: list[np.ndarray] = []
    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        for frame in container.decode(audio=0):
            for resampled in resampler.resample(frame):
                chunks.append(resampled.to_ndarray().reshape(-1))
        for resampled in resampler.resample(None):
            chunks.append(resampled.to_ndarray().reshape(-1))
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def _duration_seconds(container, stream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def _rms(samples: np.ndarray) -> float:
    if samples.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
