"""faster-whisper's BatchedInferencePipeline on the four studio calls of ../shared/eval/calls-nl:
WER, wall time and segments per channel for each configuration named on the command line (the
sequential figures to compare with are in benchmarks/results/calls.md: WER 0.138, about 82 s).

Usage: python benchmarks/batched.py batch8-default batch8-timestamps batch8-ts-maxspeech10 batch4-ts-minsil500
"""

import json
import sys
import time
from pathlib import Path

import ctranslate2
import jiwer
from faster_whisper import BatchedInferencePipeline, decode_audio
from telephone import CHANNELS, norm  # this folder: WER normalised as ../shared/eval/score_wer.py

from callscribe.pipeline import process
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.speech.transcription import get_model

CALLS = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "calls-nl"
CONFIGS = {
    "batch8-default": {"batch_size": 8},
    "batch8-timestamps": {"batch_size": 8, "without_timestamps": False},
    "batch8-ts-maxspeech10": {"batch_size": 8, "without_timestamps": False,
                              "vad_parameters": {"max_speech_duration_s": 10, "min_silence_duration_ms": 500}},
    "batch4-ts-minsil500": {"batch_size": 4, "without_timestamps": False,
                            "vad_parameters": {"min_silence_duration_ms": 500}},
}


def main() -> None:
    settings = get_settings()
    info = process.model_info(settings)
    pipeline = BatchedInferencePipeline(get_model(info.path, info.device, info.compute_type, info.cpu_threads, 1))
    refs = json.loads((CALLS / "refs.json").read_text(encoding="utf-8"))
    audio = {call: decode_audio(str(CALLS / "calls" / f"{call}.flac"), split_stereo=True) for call in sorted(refs)}
    for name in sys.argv[1:]:
        references, hypotheses, segments_per_channel = [], [], []
        started = time.perf_counter()
        for call, channels in audio.items():
            for samples, speaker in zip(channels, CHANNELS):
                ctranslate2.set_random_seed(0)
                segments, _info = pipeline.transcribe(samples, language="nl", beam_size=settings.beam_size,
                                                      **CONFIGS[name])
                segments = list(segments)
                segments_per_channel.append(len(segments))
                hypotheses.append(norm(" ".join(segment.text.strip() for segment in segments)))
                references.append(norm(refs[call][speaker]))
        print(f"{name}: WER {jiwer.wer(references, hypotheses):.4f}, wall {time.perf_counter() - started:.0f} s, "
              f"segments per channel {segments_per_channel}", flush=True)


if __name__ == "__main__":
    main()
