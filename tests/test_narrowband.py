"""Narrow-band (telephone) audio is detected and decoded with its own VAD threshold, recorded in the options."""

import dataclasses

import numpy as np
import pytest

from callscribe.pipeline.speech import audio, transcription
from callscribe.pipeline.types import ModelInfo, TranscriptionOptions
from tests.audio_files import silence, write_wav


def noise(seconds: float, rate: int, seed: int = 0) -> np.ndarray:
    return (0.2 * np.random.default_rng(seed).standard_normal(int(seconds * rate))).clip(-1, 1).astype(np.float32)


def windows(path):
    return list(audio.stream(path, max_duration=60, window_s=2.0))


def test_16khz_noise_is_wideband(tmp_path):
    found = windows(write_wav(tmp_path / "wide.wav", [noise(5, 16000), noise(5, 16000, 1)], rate=16000))
    assert len(found) > 1 and not any(w.narrowband for w in found)


def test_8khz_noise_is_narrowband_in_every_window(tmp_path):
    found = windows(write_wav(tmp_path / "tel.wav", [noise(5, 8000), noise(5, 8000, 1)], rate=8000))
    assert len(found) > 1 and all(w.narrowband for w in found)


def test_8khz_audio_stored_at_16khz_is_narrowband_by_its_spectrum(tmp_path):
    upsampled = audio.load(write_wav(tmp_path / "tel.wav", [noise(5, 8000)], rate=8000), max_duration=60)
    path = write_wav(tmp_path / "tel16.wav", list(upsampled.channels), rate=16000)
    assert audio.probe(path).sample_rate == 16000
    assert audio.high_band_share(upsampled.channels) < audio.NARROWBAND_HIGH_SHARE
    assert all(w.narrowband for w in windows(path))


def test_silence_shows_no_band():
    assert audio.high_band_share((silence(2, 16000),)) is None
    assert not audio.is_narrowband(16000, (silence(2, 16000),))


def test_whisper_kwargs_carry_the_threshold_and_not_the_narrowband_fields():
    kwargs = TranscriptionOptions(vad_threshold=0.4).whisper_kwargs()
    assert kwargs["vad_parameters"] == {"min_silence_duration_ms": 500, "threshold": 0.4}
    assert not {"narrowband", "vad_threshold_narrowband", "vad_threshold"} & set(kwargs)


class _Model:
    def __init__(self):
        self.calls = []

    def transcribe(self, samples, **kwargs):
        self.calls.append(kwargs)
        return iter(()), None


@pytest.mark.parametrize("rate, narrow", [(8000, True), (16000, False)])
def test_the_transcript_records_the_threshold_its_audio_was_decoded_with(tmp_path, monkeypatch, rate, narrow):
    model = _Model()
    monkeypatch.setattr(transcription, "get_model", lambda *args: model)
    path = write_wav(tmp_path / "call.wav", [noise(3, rate), noise(3, rate, 1)], rate=rate)
    options = TranscriptionOptions(vad_threshold=0.5, vad_threshold_narrowband=0.3)
    transcript = transcription.transcribe_windows(
        audio.stream(path, max_duration=60), ("medewerker", "klant"), ModelInfo("base", "-", "cpu", "int8", 1), options
    )
    expected = options.for_narrowband() if narrow else options
    assert transcript.options == expected and transcript.options.narrowband is narrow
    assert [c["vad_parameters"]["threshold"] for c in model.calls] == [0.3 if narrow else 0.5] * 2
    assert dataclasses.replace(transcript.options, narrowband=False, vad_threshold=0.5) == options


def test_whole_call_samples_are_checked_as_a_stream_checks_them(tmp_path, monkeypatch):
    """``transcribe_channels`` on decoded samples adapts as ``transcribe_windows`` on the file does."""
    model = _Model()
    monkeypatch.setattr(transcription, "get_model", lambda *args: model)
    info, options = ModelInfo("base", "-", "cpu", "int8", 1), TranscriptionOptions()
    for rate, narrow in ((8000, True), (16000, False)):
        decoded = audio.load(write_wav(tmp_path / f"{rate}.wav", [noise(3, rate)], rate=rate), max_duration=60)
        transcript = transcription.transcribe_channels(decoded.channels, ("onbekend",), info, options)
        assert transcript.options.narrowband is narrow
    forced = transcription.transcribe_channels(decoded.channels, ("onbekend",), info, options, narrowband=True)
    assert forced.options == options.for_narrowband()
