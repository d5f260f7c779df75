"""Long files are decoded and transcribed window by window: windows cover the file exactly once and
end in quiet stretches, memory stays at about one window, and silence never reaches Whisper."""

from __future__ import annotations

import tempfile
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import av
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callscribe.pipeline import process
from callscribe.pipeline.errors import AudioError
from callscribe.pipeline.speech import audio, transcription
from callscribe.pipeline.types import SAMPLE_RATE, ModelInfo
from tests.audio_files import write_wav

TWO_HOURS = 2 * 3600
FAKE_MODEL = ModelInfo(model_id="stand-in", path="/nowhere", device="cpu", compute_type="int8", cpu_threads=1)


def write_flac(path: Path, seconds: float, bursts=(), channels: int = 2, rate: int = SAMPLE_RATE) -> Path:
    """Write digital silence with bursts ``(start s, length s, channel, kind)`` of "tone" or "noise",
    one minute at a time (a two-hour file is never held whole)."""
    total, block = int(seconds * rate), 60 * rate
    rng = np.random.default_rng(7)
    layout = "stereo" if channels == 2 else "mono"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("flac", rate=rate, layout=layout)
        stream.format = "s16"
        stream.codec_context.options = {"frame_size": "16384"}  # fewer, larger frames: a quicker test
        for begin in range(0, total, block):
            frames = np.zeros((min(block, total - begin), channels), dtype=np.int16)
            for start, length, channel, kind in bursts:
                lo, hi = max(int(start * rate), begin), min(int((start + length) * rate), begin + len(frames))
                if lo < hi:
                    t = np.arange(lo, hi) / rate
                    wave = np.sin(2 * np.pi * 300 * t) if kind == "tone" else rng.uniform(-1, 1, hi - lo)
                    frames[lo - begin : hi - begin, channel] = (6000 * wave).astype(np.int16)
            frame = av.AudioFrame.from_ndarray(frames.reshape(1, -1), format="s16", layout=layout)
            frame.sample_rate, frame.pts = rate, begin
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def speech_like(seconds: float, channel_of=lambda i: i % 2) -> list[tuple]:
    """Bursts of 1.5 s with 0.6 s pauses, turn by turn on alternating channels."""
    return [(t, 1.5, channel_of(i), "noise" if i % 3 else "tone")
            for i, t in enumerate(np.arange(0.3, seconds - 1.5, 2.1))]


def test_windows_concatenate_to_the_whole_file_and_end_in_pauses(tmp_path):
    path = write_flac(tmp_path / "talk.flac", 150, speech_like(150))
    whole = audio.load(path, max_duration=600).channels
    windows = list(audio.stream(path, max_duration=600, window_s=60))

    assert len(windows) == 3
    assert [w.offset for w in windows] == [0, *np.cumsum([len(w.channels[0]) for w in windows[:-1]])]
    for channel in range(2):
        joined = np.concatenate([w.channels[channel] for w in windows])
        assert joined.dtype == np.float32 and np.array_equal(joined, whole[channel])
    for window in windows[:-1]:
        assert 60 - audio.QUIET_SEARCH_S <= window.duration <= 60
        cut = window.offset + len(window.channels[0])
        around = slice(cut - SAMPLE_RATE // 10, cut + SAMPLE_RATE // 10)
        assert all(np.abs(samples[around]).max() == 0 for samples in whole), f"cut at {cut / SAMPLE_RATE:.2f} s is in a burst"
    assert not any(w.silent for w in windows)


def test_a_call_shorter_than_the_window_is_one_window_equal_to_load(tmp_path):
    path = write_flac(tmp_path / "call.flac", 90, speech_like(90))
    (window,) = audio.stream(path, max_duration=600, window_s=90)
    assert window.offset == 0
    assert all(np.array_equal(a, b) for a, b in zip(window.channels, audio.load(path, max_duration=600).channels))


@settings(max_examples=30, deadline=None)
@given(
    seconds=st.floats(0.2, 12.0),
    window_s=st.floats(1.0, 5.0),
    channels=st.sampled_from([1, 2]),
    seed=st.integers(0, 2**16),
)
def test_windows_cover_the_signal_exactly_once_in_order(seconds, window_s, channels, seed):
    rng = np.random.default_rng(seed)
    rate = 8000
    signal = [rng.uniform(-0.5, 0.5, int(seconds * rate)) * (rng.uniform(size=int(seconds * rate)) < 0.7)
              for _ in range(channels)]
    with tempfile.TemporaryDirectory() as folder:
        path = write_wav(Path(folder) / "random.wav", signal, rate=rate)
        whole = audio.load(path, max_duration=60).channels
        windows = list(audio.stream(path, max_duration=60, window_s=window_s))
    longest = round(window_s * SAMPLE_RATE)
    shortest = longest - min(round(audio.QUIET_SEARCH_S * SAMPLE_RATE), longest // 2)
    offset = 0
    for window in windows:
        assert window.offset == offset
        assert 0 < len(window.channels[0]) <= longest
        assert len({len(c) for c in window.channels}) == 1
        offset += len(window.channels[0])
    assert all(len(w.channels[0]) >= shortest for w in windows[:-1])
    assert offset == len(whole[0])
    for channel in range(channels):
        assert np.array_equal(np.concatenate([w.channels[channel] for w in windows]), whole[channel])


# a few short bursts of tone and noise in two hours of stereo silence; 1198 s straddles 20 minutes
BURSTS = [(30, 3, 0, "tone"), (34, 2, 1, "noise"), (1198, 4, 0, "noise"), (3660, 3, 1, "tone"),
          (TWO_HOURS - 10, 3, 0, "noise")]


@pytest.fixture(scope="module")
def two_hour_call(tmp_path_factory) -> Path:
    return write_flac(tmp_path_factory.mktemp("long") / "two-hours.flac", TWO_HOURS, BURSTS)


def test_streaming_a_two_hour_file_holds_about_one_window(two_hour_call):
    whole_file_bytes = TWO_HOURS * SAMPLE_RATE * 2 * np.dtype(np.float32).itemsize  # what load() holds
    spans = []
    tracemalloc.start()
    try:
        for window in audio.stream(two_hour_call, max_duration=3 * 3600):
            spans.append((window.start, window.end, window.silent))
            del window
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert spans[0][0] == 0 and abs(spans[-1][1] - TWO_HOURS) < 0.01
    assert len(spans) == 7 and all(end - start <= audio.WINDOW_S for start, end, _ in spans)
    assert not any(at <= end <= at + length for _, end, _ in spans for at, length, *_ in BURSTS), "a burst is cut"
    assert [silent for *_, silent in spans] == [
        not any(start < at < end for at, *_ in BURSTS) for start, end, _ in spans
    ]
    assert sum(silent for *_, silent in spans) >= 2
    assert peak < 0.25 * whole_file_bytes, f"peak {peak / 1e6:.0f} MB while streaming"


class CountingModel:
    """A stand-in for Whisper: one segment at 1–2 s of every channel it is given."""

    def __init__(self):
        self.calls: list[int] = []

    def transcribe(self, samples, **_options):
        self.calls.append(len(samples))
        word = SimpleNamespace(start=1.0, end=1.5, word=" hallo", probability=0.9)
        segment = SimpleNamespace(start=1.0, end=2.0, text=" hallo", words=[word], avg_logprob=-0.2,
                                  no_speech_prob=0.01)
        return iter([segment]), None


@pytest.fixture
def stand_in(monkeypatch) -> dict:
    """Replace the Whisper loader; counts loads and the channels given to the model."""
    loaded = {"loads": 0, "model": CountingModel()}

    def get_model(*_args):
        loaded["loads"] += 1
        return loaded["model"]

    monkeypatch.setattr(transcription, "get_model", get_model)
    return loaded


def test_a_two_hour_silent_file_fails_silent_without_whisper(tmp_path, settings, stand_in):
    path = write_flac(tmp_path / "silent.flac", TWO_HOURS)
    with pytest.raises(AudioError) as info:
        process.transcribe_file(path, settings, label="REC-9", info=FAKE_MODEL, num_workers=1)
    assert info.value.reason == "silent" and str(info.value).startswith("REC-9: ")
    assert stand_in["loads"] == 0 and stand_in["model"].calls == []


def test_silent_windows_are_skipped_and_timestamps_shift_by_the_window(tmp_path, stand_in):
    # sound near the start and the end only: the 60-s windows between are silent
    bursts = [(5, 2, 0, "noise"), (200, 2, 1, "tone")]
    path = write_flac(tmp_path / "gaps.flac", 230, bursts)
    progress = []
    source = audio.stream(path, max_duration=600, window_s=60)
    result = transcription.transcribe_windows(
        source, ("medewerker", "klant"), FAKE_MODEL, on_progress=lambda done, total: progress.append((done, total)),
        channel_layout="stereo", expected_duration=source.info.duration,
    )
    windows = list(source)
    assert [w.silent for w in windows] == [not any(w.start < at < w.end for at, *_ in bursts) for w in windows]
    assert not windows[0].silent and not windows[-1].silent and sum(w.silent for w in windows) >= 2
    assert stand_in["loads"] == 1
    assert stand_in["model"].calls == [len(c) for w in windows if not w.silent for c in w.channels]
    starts = sorted(round(w.start + 1.0, 3) for w in windows if not w.silent for _ in w.channels)
    assert [s.start for s in result.segments] == starts
    assert all(s.words[0].start == s.start for s in result.segments)
    assert result.duration == pytest.approx(230, abs=0.01)
    done = [d for d, _ in progress]
    assert done == sorted(done) and done[-1] == result.duration
    assert all(d <= total for d, total in progress)
