"""Whisper model provisioning: bundled assembly with sha256 check, local folders, named models."""

import pytest

from callscribe.pipeline.errors import ModelUnavailableError
from callscribe.pipeline.speech.model_cache import BUNDLED_SHA256, BUNDLED_SIZE, ensure_bundled_model, resolve_model


def test_bundled_model_is_assembled_verified_and_reused(models_dir):
    folder = ensure_bundled_model(models_dir)
    model_bin = folder / "model.bin"
    assert model_bin.stat().st_size == BUNDLED_SIZE
    assert (folder / "model.bin.sha256").read_text().strip() == BUNDLED_SHA256
    assert (folder / "tokenizer.json").is_file(), "without tokenizer.json faster-whisper tries the Hub"
    assert not list(folder.glob(".*partial*")) and not list(folder.glob("*.tmp"))
    mtime = model_bin.stat().st_mtime_ns
    assert ensure_bundled_model(models_dir) == folder
    assert model_bin.stat().st_mtime_ns == mtime, "a verified model is not assembled twice"


def test_damaged_bundled_model_is_reassembled(tmp_path, models_dir):
    ensure_bundled_model(models_dir)
    cache = tmp_path / "cache"
    folder = ensure_bundled_model(cache)
    with open(folder / "model.bin", "r+b") as handle:
        handle.truncate(1000)
    ensure_bundled_model(cache)
    assert (folder / "model.bin").stat().st_size == BUNDLED_SIZE


def test_local_folder_without_tokenizer_is_refused(tmp_path):
    folder = tmp_path / "ct2-model"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"x")
    (folder / "config.json").write_text("{}")
    with pytest.raises(ModelUnavailableError, match="tokenizer.json"):
        resolve_model(str(folder), tmp_path / "models")


def test_missing_local_folder_names_the_setting(tmp_path):
    with pytest.raises(ModelUnavailableError, match="CALLSCRIBE_WHISPER_MODEL"):
        resolve_model(str(tmp_path / "nowhere") + "/", tmp_path / "models")


def test_unknown_model_name_lists_the_valid_ones(tmp_path):
    with pytest.raises(ModelUnavailableError, match="large-v3"):
        resolve_model("huge-v9", tmp_path / "models")


def test_offline_named_model_points_to_the_bundled_default(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError) as info:
        resolve_model("large-v3", tmp_path / "models")
    message = str(info.value)
    assert "CALLSCRIBE_WHISPER_MODEL=base" in message and "local CTranslate2 folder" in message
