"""Telephone audio: WER and speech kept by VAD, studio against 8 kHz G.711 versions of the same calls.

For every call of ../shared/eval/calls-nl, studio (16 kHz FLAC) and telephone (8 kHz μ-law WAV),
each channel is transcribed by callscribe itself (``process.transcribe_file`` with the settings
from ``get_settings()``: bundled Whisper base, int8, callscribe's decoding and VAD options) and
scored against refs.json, normalised as ../shared/eval/score_wer.py does (lower case, punctuation
stripped), with jiwer.

refs.json has no timings, so the speech VAD drops on a telephone channel is measured against the
speech Silero VAD finds on the studio version of the same channel at the shipped threshold:
dropped = seconds of studio speech that no telephone segment covers ÷ seconds of studio speech.
faster-whisper's ``get_speech_timestamps`` runs on the channel's 16 kHz samples (``audio.load``)
with callscribe's VAD parameters, at the shipped threshold and at lower ones.

Writes benchmarks/results/telephone.md and .json. Run one at a time (it uses both cores).

Usage: python benchmarks/telephone.py [--eval-dir ../shared/eval] [--limit N] [--thresholds 0.35 0.2]
       [--narrowband-off]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shlex
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHANNELS = ("medewerker", "klant")


def norm(text: str) -> str:
    """As ../shared/eval/score_wer.py: lower case, punctuation (but apostrophes) to spaces."""
    text = re.sub(r"[^\w\s']", " ", text.lower())
    return " ".join(text.split())


def channel_texts(transcript) -> dict[str, str]:
    return {
        speaker: " ".join(s.text.strip() for s in transcript.segments if s.speaker == speaker)
        for speaker in transcript.speakers
    }


def speech_segments(samples, threshold: float, options) -> list[tuple[float, float]]:
    """Silero VAD speech segments (seconds) with callscribe's VAD parameters at ``threshold``."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    params = dict(options.whisper_kwargs()["vad_parameters"], threshold=threshold)
    return [(s["start"] / 16000, s["end"] / 16000) for s in get_speech_timestamps(samples, VadOptions(**params))]


def total(segments: list[tuple[float, float]]) -> float:
    return sum(end - start for start, end in segments)


def overlap(reference: list[tuple[float, float]], kept: list[tuple[float, float]]) -> float:
    """Seconds of ``reference`` covered by ``kept`` (both sorted, non-overlapping)."""
    covered, j = 0.0, 0
    for start, end in reference:
        while j < len(kept) and kept[j][1] <= start:
            j += 1
        k = j
        while k < len(kept) and kept[k][0] < end:
            covered += min(end, kept[k][1]) - max(start, kept[k][0])
            k += 1
    return covered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--limit", type=int, default=0, help="only the first N calls (quick check)")
    parser.add_argument("--thresholds", type=float, nargs="*", default=[0.35, 0.2],
                        help="VAD thresholds tried on the telephone versions besides the shipped one")
    parser.add_argument("--narrowband-off", action="store_true",
                        help="also transcribe the telephone versions with narrow-band adaptation off (before/after)")
    args = parser.parse_args()

    import jiwer

    from callscribe.pipeline import process
    from callscribe.pipeline.settings import get_settings
    from callscribe.pipeline.speech import audio

    calls_dir = args.eval_dir / "calls-nl"
    refs = json.loads((calls_dir / "refs.json").read_text(encoding="utf-8"))
    call_ids = sorted(refs)[: args.limit or None]
    settings = get_settings()
    options = process.transcription_options(settings)
    shipped = dataclasses.asdict(options).get("vad_threshold", 0.5)
    narrowband = getattr(settings, "vad_threshold_narrowband", None)
    thresholds = list(dict.fromkeys(t for t in (shipped, narrowband, *args.thresholds) if t is not None))

    variants = [("studio", "{}.flac", {}), ("telephone", "{}-tel.wav", {})]
    if args.narrowband_off and narrowband is not None:
        variants.append(("telephone, adaptation off", "{}-tel.wav", {"vad_threshold_narrowband": shipped}))

    rows, started = [], time.perf_counter()
    for call in call_ids:
        ref = refs[call]
        studio_vad = None
        for variant, pattern, overrides in variants:
            path = calls_dir / "calls" / pattern.format(call)
            run_settings = settings.model_copy(update=overrides) if overrides else settings
            begun = time.perf_counter()
            transcript = process.transcribe_file(path, run_settings, num_workers=1)
            wall = time.perf_counter() - begun
            texts = channel_texts(transcript)
            decoded = audio.load(path, settings.max_duration_s)
            info = audio.probe(path)
            for index, speaker in enumerate(transcript.speakers):
                row = {
                    "call": call, "version": variant, "channel": speaker, "sample_rate": info.sample_rate,
                    "wer": round(jiwer.wer(norm(ref[speaker]), norm(texts[speaker])), 4),
                    "wall_s": round(wall, 1),
                    "options": dataclasses.asdict(transcript.options),
                    "hypothesis": texts[speaker],
                }
                if not overrides:
                    samples = decoded.channels[index]
                    vad = {t: speech_segments(samples, t, options) for t in (thresholds if variant != "studio" else [shipped])}
                    if variant == "studio":
                        studio_vad = studio_vad or {}
                        studio_vad[speaker] = vad[shipped]
                    reference = studio_vad[speaker]
                    row["vad"] = {
                        str(t): {"speech_s": round(total(segs), 1),
                                 "dropped": round(1 - overlap(reference, segs) / max(total(reference), 1e-9), 4)}
                        for t, segs in vad.items()
                    }
                rows.append(row)
                print(json.dumps({k: v for k, v in row.items() if k not in ("options", "hypothesis")}), flush=True)

    summary = {}
    for variant, _, _ in variants:
        mine = [r for r in rows if r["version"] == variant]
        ref_texts = [norm(refs[r["call"]][r["channel"]]) for r in mine]
        summary[variant] = round(jiwer.wer(ref_texts, [norm(r["hypothesis"]) for r in mine]), 4)
    command = "python benchmarks/telephone.py " + shlex.join(sys.argv[1:])
    write(rows, summary, thresholds, shipped, narrowband, command.strip(), time.perf_counter() - started, settings)


def write(rows, summary, thresholds, shipped, narrowband, command, seconds, settings) -> None:
    variants = list(summary)
    lines = [
        (f"Calls: ../shared/eval/calls-nl, {len({r['call'] for r in rows})} stereo calls, studio (16 kHz FLAC) "
         "and telephone (8 kHz G.711 μ-law, 300–3,400 Hz) versions; bundled Whisper base, int8, "
         f"{settings.cpu_threads} threads, beam {settings.beam_size}, "
         "callscribe's own options through `process.transcribe_file`."),
        f"Run: {time.strftime('%Y-%m-%d %H:%M %Z')}, {seconds / 60:.1f} min on 2 cores. Command: `{command}`",
        "",
        "## WER per call and channel",
        "",
        "| call | channel | " + " | ".join(f"WER {v}" for v in variants) + " | telephone − studio |",
        "|---|---|" + "---|" * len(variants) + "---|",
    ]
    by = {(r["call"], r["channel"], r["version"]): r for r in rows}
    for call, channel in sorted({(r["call"], r["channel"]) for r in rows}):
        wers = [by[(call, channel, v)]["wer"] for v in variants]
        lines.append(f"| {call} | {channel} | " + " | ".join(f"{w:.3f}" for w in wers)
                     + f" | {wers[1] - wers[0]:+.3f} |")
    lines.append("| **all** | | " + " | ".join(f"**{summary[v]:.3f}**" for v in variants)
                 + f" | **{summary[variants[1]] - summary[variants[0]]:+.3f}** |")
    lines += [
        "",
        f"## Speech Silero VAD drops on the telephone versions (callscribe's VAD parameters; shipped threshold {shipped})",
        "",
        ("Reference: the speech VAD finds on the studio version of the same channel at the shipped threshold "
         "(refs.json has no timings). Dropped = share of that speech no telephone segment covers."),
        "",
        "| call | channel | studio speech (s) | " + " | ".join(f"thr {t}: kept (s) / dropped" for t in thresholds) + " |",
        "|---|---|---|" + "---|" * len(thresholds),
    ]
    for call, channel in sorted({(r["call"], r["channel"]) for r in rows}):
        studio, tel = by[(call, channel, "studio")], by[(call, channel, "telephone")]
        cells = [f"{tel['vad'][str(t)]['speech_s']:.1f} / {tel['vad'][str(t)]['dropped']:.1%}" for t in thresholds]
        lines.append(f"| {call} | {channel} | {studio['vad'][str(shipped)]['speech_s']:.1f} | " + " | ".join(cells) + " |")
    tels = [r for r in rows if r["version"] == "telephone"]
    ref_total = sum(by[(r["call"], r["channel"], "studio")]["vad"][str(shipped)]["speech_s"] for r in tels)
    cells = []
    for t in thresholds:
        dropped = sum(r["vad"][str(t)]["dropped"] * by[(r["call"], r["channel"], "studio")]["vad"][str(shipped)]["speech_s"]
                      for r in tels)
        cells.append(f"**{sum(r['vad'][str(t)]['speech_s'] for r in tels):.1f} / {dropped / ref_total:.1%}**")
    lines.append(f"| **all** | | **{ref_total:.1f}** | " + " | ".join(cells) + " |")
    tel_options = tels[0]["options"] if tels else {}
    lines += [
        "",
        (f"Telephone transcripts' recorded options: VAD threshold {tel_options.get('vad_threshold', 'not recorded')}, "
         f"narrow-band {tel_options.get('narrowband', 'not recorded')} (setting CALLSCRIBE_VAD_THRESHOLD_NARROWBAND: "
         f"{narrowband if narrowband is not None else 'not present'}). \"telephone, adaptation off\" is the same "
         "telephone file at the shipped threshold, as before narrow-band detection."),
        "",
        "Targets (issue 13 point 3): telephone WER ≤ studio WER + 0.02; VAD drops ≤ 2 % of speech.",
    ]
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "telephone.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out_dir / "telephone.json").write_text(json.dumps(
        {"command": command, "summary_wer": summary, "shipped_threshold": shipped, "thresholds": thresholds,
         "rows": rows}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    home = Path(tempfile.mkdtemp(prefix="callscribe-telephone-"))
    cached = Path("~/.callscribe/models").expanduser()
    if cached.is_dir():  # reuse the assembled bundled model, as tests/conftest.py does
        (home / "models").symlink_to(cached, target_is_directory=True)
    os.environ["CALLSCRIBE_HOME"] = str(home)
    main()
