"""WER, speed and memory of ``callscribe transcribe-files`` against bare faster-whisper.

Both transcribe the clips of ../shared/eval/speech-nl with the bundled Whisper base model and the
same decoding options (int8, 2 threads, beam 5, Dutch, VAD, word timestamps); both are scored with
../shared/eval/score_wer.py. Writes benchmarks/results/wer.md and .json.

Usage: python benchmarks/wer.py [--limit N] [--eval-dir ../shared/eval]
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def run_measured(command: list[str]) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "measure.py"), *command], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"command failed ({out.returncode}): {' '.join(command[:3])} …\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def score(eval_dir: Path, manifest: Path, hyps: Path) -> float:
    out = subprocess.run([sys.executable, str(eval_dir / "score_wer.py"), str(manifest), str(hyps), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["all"]["wer"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clips (quick check)")
    args = parser.parse_args()
    speech = args.eval_dir / "speech-nl"
    with open(speech / "manifest.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    if args.limit:
        rows = rows[: args.limit]
    files = [str(speech / row["file"]) for row in rows]
    work = Path(tempfile.mkdtemp(prefix="callscribe-wer-"))
    manifest = work / "manifest.tsv"
    with open(manifest, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "speaker", "text"], delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    audio_seconds = _audio_seconds(files)

    from callscribe.pipeline.settings import get_settings
    from callscribe.pipeline.speech.model_cache import ensure_bundled_model

    model_dir = ensure_bundled_model(get_settings().models_dir)
    callscribe = str(Path(sys.executable).parent / "callscribe")
    results = {}
    for name, command in (
        ("bare faster-whisper", [sys.executable, str(HERE / "bare_whisper.py"), str(model_dir), str(work / "bare.jsonl"), *files]),
        ("callscribe transcribe-files", [callscribe, "transcribe-files", *files, "--no-redact", "--output", str(work / "callscribe.jsonl")]),
    ):
        measured = run_measured(command)
        hyps = work / ("bare.jsonl" if name.startswith("bare") else "callscribe.jsonl")
        results[name] = {**measured, "wer": round(score(args.eval_dir, manifest, hyps), 4),
                         "rtf": round(measured["wall_s"] / audio_seconds, 3)}
    bare, ours = results["bare faster-whisper"], results["callscribe transcribe-files"]
    ratios = {"wer_delta": round(ours["wer"] - bare["wer"], 4), "wall_ratio": round(ours["wall_s"] / bare["wall_s"], 3),
              "memory_ratio": round(ours["peak_rss_mb"] / bare["peak_rss_mb"], 3)}
    table = [
        f"Clips: {len(files)} ({audio_seconds / 60:.1f} min of audio), model: bundled Whisper base, int8, 2 threads, beam 5.",
        "",
        "| run | WER | wall (s) | real-time factor | peak RSS (MB) |",
        "|---|---|---|---|---|",
        *[f"| {n} | {r['wer']:.4f} | {r['wall_s']:.1f} | {r['rtf']:.3f} | {r['peak_rss_mb']:.0f} |" for n, r in results.items()],
        f"| **callscribe − bare / callscribe ÷ bare** | **{ratios['wer_delta']:+.4f}** | **×{ratios['wall_ratio']:.3f}** | | **×{ratios['memory_ratio']:.3f}** |",
        "",
        "Targets: WER no more than 0.005 above bare faster-whisper; wall-time ratio ≤ 1.10.",
    ]
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "wer.md").write_text("\n".join(table) + "\n", encoding="utf-8")
    (out_dir / "wer.json").write_text(json.dumps({"clips": len(files), "audio_seconds": round(audio_seconds, 1),
                                                  "results": results, "ratios": ratios}, indent=1) + "\n")
    print("\n".join(table))


def _audio_seconds(files: list[str]) -> float:
    import av

    total = 0.0
    for path in files:
        with av.open(path) as container:
            stream = container.streams.audio[0]
            total += float(stream.duration * stream.time_base)
    return total


if __name__ == "__main__":
    os.environ.setdefault("CALLSCRIBE_HOME", str(Path("~/.callscribe").expanduser()))
    main()
