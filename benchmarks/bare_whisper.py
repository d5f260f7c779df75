"""Bare faster-whisper over audio files, with callscribe's model and decoding options: the baseline
that ``benchmarks/wer.py`` compares ``callscribe transcribe-files`` with.

Usage: bare_whisper.py MODEL_DIR OUT.jsonl FILE...
"""

import json
import sys

from faster_whisper import WhisperModel, decode_audio

from callscribe.pipeline.types import TranscriptionOptions


def main() -> None:
    model_dir, out_path, *files = sys.argv[1:]
    model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=2, local_files_only=True)
    options = TranscriptionOptions().whisper_kwargs()
    with open(out_path, "w", encoding="utf-8") as out:
        for path in files:
            segments, _info = model.transcribe(decode_audio(path), **options)
            text = " ".join(segment.text.strip() for segment in segments)
            out.write(json.dumps({"file": path, "text": text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
