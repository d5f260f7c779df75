"""Telephone audio: what else might close the gap to studio WER, tried on the 8 kHz G.711 calls.

Every call of ../shared/eval/calls-nl in its telephone version (8 kHz μ-law, 300–3,400 Hz), each
channel transcribed by the bundled Whisper base with callscribe's narrow-band options
(``TranscriptionOptions.for_narrowband``: VAD threshold 0.2) changed in one way at a time:

- decoding: ``log_prob_threshold`` -1.5 or off, temperature fallback off, no
  ``hallucination_silence_threshold``, beam 10, a generic Dutch ``initial_prompt`` (no names or
  numbers);
- the signal: white noise above 3.6 kHz at -50 or -35 dB of the channel's speech level (so the
  empty band looks like a studio noise floor), or an ideal (FFT) 8 → 16 kHz upsampling instead of
  FFmpeg's resampler.

WER per channel and over all channels against refs.json, normalised as ../shared/eval/score_wer.py
does. Writes benchmarks/results/telephone_adapt.md and .json (about 2 minutes per way on 2 cores;
run it alone). The studio figure to compare with is in benchmarks/results/telephone.md.

Usage: python benchmarks/telephone_adapt.py [--eval-dir ../shared/eval] [--ways NAME ...]
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from telephone import CHANNELS, norm  # this folder: WER normalised as ../shared/eval/score_wer.py

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROMPT = "Goedemiddag, u spreekt met de klantenservice. Waarmee kan ik u helpen?"
WAYS = {
    "shipped": {},
    "log-prob threshold -1.5": {"log_prob_threshold": -1.5},
    "log-prob threshold off": {"log_prob_threshold": None},
    "no temperature fallback": {"temperature": [0.0]},
    "no hallucination-silence threshold": {"hallucination_silence_threshold": None},
    "beam 10": {"beam_size": 10},
    "generic initial prompt": {"initial_prompt": PROMPT},
    "noise above 3.6 kHz, -50 dB": {"noise_db": -50},
    "noise above 3.6 kHz, -35 dB": {"noise_db": -35},
    "FFT upsampling": {"fft_upsampling": True},
}
SIGNAL = ("noise_db", "fft_upsampling")


def noise_above(samples: np.ndarray, level_db: float, rng, cut_hz: float = 3600) -> np.ndarray:
    """``samples`` plus white noise above ``cut_hz`` at ``level_db`` of the speech level."""
    loud = np.abs(samples) > 1e-3
    level = np.sqrt(np.mean(samples[loud] ** 2)) if loud.any() else 0.01
    spectrum = np.fft.rfft(rng.standard_normal(len(samples)))
    spectrum[: int(len(spectrum) * cut_hz / 8000)] = 0
    noise = np.fft.irfft(spectrum, len(samples))
    noise *= level * 10 ** (level_db / 20) / (np.sqrt(np.mean(noise**2)) + 1e-12)
    return (samples + noise).astype(np.float32)


def fft_upsampled(path: Path) -> list[np.ndarray]:
    """The file's channels at 16 kHz by zero-padding their spectrum (an ideal low-pass)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        count = stream.codec_context.channels
        frames = [frame.to_ndarray() for frame in container.decode(audio=0)]  # packed s16
    samples = np.concatenate(frames, axis=1).reshape(-1, count).T.astype(np.float32) / 32768.0
    out = []
    for channel in samples:
        spectrum = np.zeros(len(channel) + 1, dtype=complex)
        spectrum[: len(channel) // 2 + 1] = np.fft.rfft(channel)
        out.append((np.fft.irfft(spectrum, 2 * len(channel)) * 2).astype(np.float32))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--ways", nargs="+", choices=list(WAYS), default=list(WAYS))
    parser.add_argument("--out", type=Path, default=HERE / "results" / "telephone_adapt")
    args = parser.parse_args()

    import jiwer

    from callscribe.pipeline import process
    from callscribe.pipeline.settings import get_settings
    from callscribe.pipeline.speech import audio
    from callscribe.pipeline.speech.transcription import get_model

    calls_dir = args.eval_dir / "calls-nl"
    refs = json.loads((calls_dir / "refs.json").read_text(encoding="utf-8"))
    settings = get_settings()
    info = process.model_info(settings)
    model = get_model(info.path, info.device, info.compute_type, info.cpu_threads, 1)
    options = process.transcription_options(settings).for_narrowband()
    began, results = time.perf_counter(), []
    for way in args.ways:
        change, rng, started = WAYS[way], np.random.default_rng(0), time.perf_counter()
        kwargs = options.whisper_kwargs() | {k: v for k, v in change.items() if k not in SIGNAL}
        scores, refs_all, hyps_all = {}, [], []
        for call in sorted(refs):
            path = calls_dir / "calls" / f"{call}-tel.wav"
            channels = fft_upsampled(path) if change.get("fft_upsampling") else audio.load(path, settings.max_duration_s).channels
            for speaker, samples in zip(CHANNELS, channels):
                if "noise_db" in change:
                    samples = noise_above(samples, change["noise_db"], rng)
                segments, _ = model.transcribe(samples, **kwargs)
                ref, hyp = norm(refs[call][speaker]), norm(" ".join(s.text.strip() for s in segments))
                scores[f"{call}/{speaker}"] = jiwer.wer(ref, hyp)
                refs_all.append(ref)
                hyps_all.append(hyp)
        scores["all"] = jiwer.wer(refs_all, hyps_all)
        results.append({"way": way, "change": change, "wer": scores, "seconds": time.perf_counter() - started})
        print(f"{way}: WER {scores['all']:.4f}", flush=True)
    command = ("python benchmarks/telephone_adapt.py " + shlex.join(sys.argv[1:])).strip()
    lines = [
        (f"Telephone versions (8 kHz G.711 μ-law) of the {len(refs)} calls of ../shared/eval/calls-nl; bundled "
         f"Whisper base, {settings.compute_type}, callscribe's narrow-band options with one change each."),
        f"Run: {time.strftime('%Y-%m-%d %H:%M %Z')}, {(time.perf_counter() - began) / 60:.1f} min. Command: `{command}`",
        "", "| way | WER, all channels | − shipped |", "|---|---|---|",
    ]
    shipped = next((r["wer"]["all"] for r in results if r["way"] == "shipped"), None)
    for r in results:
        delta = f"{r['wer']['all'] - shipped:+.4f}" if shipped is not None else "–"
        lines.append(f"| {r['way']} | {r['wer']['all']:.4f} | {delta} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps({"command": command, "results": results}, indent=1),
                                             encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
