"""Bare faster-whisper over stereo call files, each channel on its own: the baseline that
``benchmarks/calls.py`` compares ``callscribe transcribe`` with.

Same model folder, compute type, threads and decoding options as callscribe (its
``TranscriptionOptions``; ``--narrowband`` uses the narrow-band VAD threshold callscribe picks for
8 kHz audio), the same seed before each channel, and the same concurrency: ``max_parallel`` files
at a time on one model (``num_workers``), as callscribe's flow runs them; nothing else: no
catalogue, no Prefect, no redaction, no audit.

Usage: bare_calls.py MODEL_DIR OUT.json [--narrowband] FILE...
"""

import json
import sys
from concurrent.futures import ThreadPoolExecutor

import ctranslate2
from faster_whisper import WhisperModel, decode_audio

from callscribe.pipeline import process
from callscribe.pipeline.settings import get_settings


def main() -> None:
    model_dir, out_path, *files = sys.argv[1:]
    narrowband = "--narrowband" in files
    files = [f for f in files if f != "--narrowband"]
    settings = get_settings()
    model = WhisperModel(model_dir, device="cpu", compute_type=settings.compute_type,
                         cpu_threads=settings.cpu_threads, num_workers=settings.max_parallel, local_files_only=True)
    options = process.transcription_options(settings)  # callscribe's decoding options, not its code path
    if narrowband:
        options = options.for_narrowband()

    def transcribe(path: str) -> list[str]:
        texts = []
        for samples in decode_audio(path, split_stereo=True):
            ctranslate2.set_random_seed(0)
            segments, _info = model.transcribe(samples, **options.whisper_kwargs())
            texts.append(" ".join(segment.text.strip() for segment in segments))
        return texts

    with ThreadPoolExecutor(settings.max_parallel) as pool:
        texts = dict(zip(files, pool.map(transcribe, files)))
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(texts, out, ensure_ascii=False)


if __name__ == "__main__":
    main()
