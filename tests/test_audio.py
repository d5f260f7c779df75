"""Audio decoding: formats, 8 kHz telephone audio, stereo split, and clear refusals of bad files."""

import dataclasses

import numpy as np
import pytest

from callscribe.pipeline.errors import AudioError
from callscribe.pipeline.speech import audio
from tests.audio_files import corrupt, silence, tone, write_wav
from tests.conftest import SAMPLES


@pytest.mark.parametrize("name", ["call-001.wav", "call-002.flac", "call-003.mp3", "call-004.ogg"])
def test_sample_formats_decode_as_two_16khz_channels(name):
    decoded = audio.load(SAMPLES / name, max_duration=600)
    assert decoded.info.channels == 2
    left, right = decoded.channels
    assert left.dtype == np.float32 and len(left) == len(right)
    assert 15 < decoded.duration < 40
    assert abs(decoded.duration - decoded.info.duration) < 0.2


def test_stereo_channels_are_kept_apart(tmp_path):
    path = write_wav(tmp_path / "split.wav", [np.concatenate([tone(1), silence(1)]), np.concatenate([silence(1), tone(1)])])
    left, right = audio.load(path, max_duration=60).channels
    half = len(left) // 2
    assert np.abs(left[:half]).mean() > 0.1 > np.abs(left[half + 400 :]).mean()
    assert np.abs(right[half + 400 :]).mean() > 0.1 > np.abs(right[: half - 400]).mean()


def test_mono_8khz_is_resampled(tmp_path):
    decoded = audio.load(write_wav(tmp_path / "mono.wav", [tone(2)]), max_duration=60)
    assert decoded.info.channel_layout == "mono" and decoded.info.sample_rate == 8000
    assert len(decoded.channels) == 1 and len(decoded.channels[0]) == 2 * audio.SAMPLE_RATE


def load_by_streaming(path, max_duration, label=None):
    """Decode through ``stream`` in windows of 1 s (the refusals must not depend on the path)."""
    return list(audio.stream(path, max_duration, label, window_s=1.0))


@pytest.mark.parametrize("decode", [audio.load, load_by_streaming], ids=["load", "stream"])
@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: corrupt(p / "c.wav"), "corrupt"),
        (lambda p: (p / "e.wav").write_bytes(b"") or p / "e.wav", "empty"),
        (lambda p: write_wav(p / "s.wav", [silence(3), silence(3)]), "silent"),
        (lambda p: write_wav(p / "l.wav", [tone(5)]), "too_long"),
        (lambda p: write_wav(p / "q.wav", [tone(1)] * 4), "channels"),
    ],
    ids=["corrupt", "empty", "silent", "too-long", "four-channels"],
)
def test_bad_audio_is_refused_with_a_reason_naming_the_recording(tmp_path, make, reason, decode):
    path = make(tmp_path)
    with pytest.raises(AudioError) as info:
        decode(path, max_duration=4, label="REC-1")
    assert info.value.reason == reason
    assert str(info.value).startswith("REC-1: ")


def test_a_header_that_under_reports_the_length_is_caught_while_decoding(tmp_path, monkeypatch):
    path = write_wav(tmp_path / "six.wav", [tone(6), tone(6, freq=300)])
    header = audio.probe(path)
    monkeypatch.setattr(audio, "probe", lambda p, label=None: dataclasses.replace(header, duration=1.0))
    left, right = audio.load(path, max_duration=60).channels  # the buffer grows past the header's length
    assert len(left) == len(right) == 6 * audio.SAMPLE_RATE
    with pytest.raises(AudioError) as info:
        load_by_streaming(path, max_duration=4, label="REC-2")
    assert info.value.reason == "too_long" and str(info.value).startswith("REC-2: ")


def test_one_silent_window_among_audible_ones_is_not_a_silent_recording(tmp_path):
    path = write_wav(tmp_path / "pause.wav", [np.concatenate([tone(1), silence(4), tone(1)])])
    windows = load_by_streaming(path, max_duration=60)
    assert windows[0].silent is False and any(w.silent for w in windows) and windows[-1].silent is False


def test_a_window_under_a_second_is_refused(tmp_path):
    with pytest.raises(ValueError, match="window_s"):
        audio.stream(write_wav(tmp_path / "t.wav", [tone(1)]), max_duration=60, window_s=0.5)
