"""Peak memory and wall time of transcribing a long, mostly silent call and a bundled sample.

Each case runs in a fresh subprocess (``benchmarks/measure.py``: peak RSS of that child) through
``process.transcribe_file``, the code path of the ``transcribe_recordings`` flow and of
``callscribe transcribe-files``, with the bundled Whisper base model (int8, beam 5, VAD):

- (a) a 2-hour stereo FLAC (16 kHz) of digital silence with a few short spoken bursts: clips of
  ../shared/eval/speech-nl, an agent turn on the left channel and a customer turn on the right,
  near the start, just before the 20-minute mark, after an hour and at the end. It is written to a
  temporary folder, never into the repository;
- (b) the same 2 hours with no sound at all, which is refused as silent without Whisper;
- (c) the bundled sample data/samples/call-002.flac (39 s).

Writes benchmarks/results/memory.md and .json and prints the table.

Usage: python benchmarks/memory.py [--eval-dir ../shared/eval] [--hours 2]
       python benchmarks/memory.py --run FILE   (one case; what the measured subprocess runs)
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RATE = 16_000
# (seconds into the call, channel) of each spoken burst; 1198 s straddles the 20-minute mark
BURSTS = ((30.0, 0), (34.0, 1), (1198.0, 0), (3660.0, 1), (3664.0, 0), (-12.0, 1))


def run_case(path: Path) -> None:
    """Transcribe one file as the flow does and print a summary without text."""
    from callscribe.pipeline import process
    from callscribe.pipeline.errors import AudioError
    from callscribe.pipeline.settings import get_settings
    from callscribe.pipeline.speech.audio import probe

    reports = []
    try:
        transcript = process.transcribe_file(path, get_settings(), label=path.stem, num_workers=1,
                                             on_progress=lambda done, total: reports.append(done))
    except AudioError as err:
        print(json.dumps({"audio_s": round(probe(path).duration, 1), "outcome": f"refused: {err.reason}"}))
        return
    print(json.dumps({"audio_s": round(transcript.duration, 1), "outcome": f"{len(transcript.segments)} segments",
                      "words": len(transcript.text.split()), "progress_reports": len(reports)}))


def write_long_call(path: Path, clips: list[Path], hours: float) -> None:
    """Write ``hours`` of stereo silence with the clips spoken at ``BURSTS``, one minute at a time."""
    import av

    total = int(hours * 3600 * RATE)
    placed = []
    for (at, channel), clip in zip(BURSTS, clips):
        samples = _decode_clip(clip)
        start = int((at if at >= 0 else hours * 3600 + at) * RATE)
        placed.append((start, channel, samples))
    block = 60 * RATE
    with av.open(str(path), "w") as container:
        stream = container.add_stream("flac", rate=RATE, layout="stereo")
        stream.format = "s16"
        for begin in range(0, total, block):
            frames = np.zeros((min(block, total - begin), 2), dtype=np.int16)
            for start, channel, samples in placed:
                lo, hi = max(start, begin), min(start + len(samples), begin + len(frames))
                if lo < hi:
                    frames[lo - begin : hi - begin, channel] = samples[lo - start : hi - start]
            frame = av.AudioFrame.from_ndarray(frames.reshape(1, -1), format="s16", layout="stereo")
            frame.sample_rate, frame.pts = RATE, begin
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def _decode_clip(path: Path) -> np.ndarray:
    import av

    resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=RATE)
    chunks = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            chunks.extend(r.to_ndarray().reshape(-1) for r in resampler.resample(frame))
        chunks.extend(r.to_ndarray().reshape(-1) for r in resampler.resample(None))
    return np.concatenate(chunks)


def measure(path: Path) -> dict:
    command = [sys.executable, str(HERE / "measure.py"), sys.executable, str(Path(__file__).resolve()),
               "--run", str(path)]
    out = subprocess.run(command, check=False, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"case {path.name} failed ({out.returncode}):\n{out.stderr[-2000:]}")
    lines = out.stdout.strip().splitlines()
    return {**json.loads(lines[-2]), **json.loads(lines[-1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--hours", type=float, default=2.0, help="length of the long call (default 2)")
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_case(args.run)
        return
    speech = args.eval_dir / "speech-nl"
    with open(speech / "manifest.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    clips = [speech / row["file"] for row in rows[: len(BURSTS)]]

    from callscribe.pipeline.settings import get_settings
    from callscribe.pipeline.speech.audio import WINDOW_S
    from callscribe.pipeline.speech.model_cache import ensure_bundled_model

    ensure_bundled_model(get_settings().models_dir)  # assembled before, not inside, the measurement
    with tempfile.TemporaryDirectory(prefix="callscribe-memory-") as work:
        long_call = Path(work) / "long-call.flac"
        silent_call = Path(work) / "silent-call.flac"
        write_long_call(long_call, clips, args.hours)
        write_long_call(silent_call, [], args.hours)
        results = {
            f"(a) {args.hours:g} h stereo, silence + {len(clips)} spoken bursts": measure(long_call),
            f"(b) {args.hours:g} h stereo, all silent": measure(silent_call),
            "(c) bundled sample call-002.flac": measure(REPO / "data" / "samples" / "call-002.flac"),
        }
    table = [
        (f"Model: bundled Whisper base, int8, 2 threads, beam 5, VAD; window {WINDOW_S / 60:.0f} min; "
         "one fresh process per case (peak RSS of that process, model load included)."),
        "",
        "| case | audio (min) | outcome | wall (s) | real-time factor | peak RSS (MB) |",
        "|---|---|---|---|---|---|",
        *[f"| {name} | {r['audio_s'] / 60:.1f} | {r['outcome']} | {r['wall_s']:.1f} | "
          f"{r['wall_s'] / r['audio_s']:.4f} | {r['peak_rss_mb']:.0f} |" for name, r in results.items()],
    ]
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "memory.md").write_text("\n".join(table) + "\n", encoding="utf-8")
    (out_dir / "memory.json").write_text(json.dumps({"window_s": WINDOW_S, "results": results}, indent=1) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    os.environ.setdefault("CALLSCRIBE_HOME", str(Path("~/.callscribe").expanduser()))
    main()
