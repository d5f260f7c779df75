"""Small audio files written on the fly for the tests (standard library WAV writer)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def write_wav(path: Path, channels: list[np.ndarray], rate: int = 8000) -> Path:
    """Write float samples in [-1, 1], one array per channel, as 16-bit PCM."""
    frames = np.stack(channels, axis=1) if len(channels) > 1 else channels[0][:, None]
    pcm = (np.clip(frames, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(len(channels))
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm.tobytes())
    return path


def tone(seconds: float, rate: int = 8000, freq: float = 440.0, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def silence(seconds: float, rate: int = 8000) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.float32)


def corrupt(path: Path) -> Path:
    """A file with an audio name and no audio in it."""
    path.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(range(256)) * 40)
    return path
