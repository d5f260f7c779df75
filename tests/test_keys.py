"""The transcript key comes from the settings only: the key itself, or a key file outside the
home that only its owner can read. Real files, the library and the CLI."""

import os

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from callscribe.cli.main import main
from callscribe.pipeline.errors import TranscriptKeyError
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage import transcripts


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "secrets" / "transcript.key"
    monkeypatch.setenv("CALLSCRIBE_TRANSCRIPT_KEY_FILE", str(path))
    return path


def _load(settings):
    return transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)


def test_a_key_file_inside_the_home_is_refused(home, monkeypatch):
    """The fault: the key sat beside the data it protects (`<home>/keys/transcript.key`), so a
    copy of the home carried both."""
    inside = home / "keys" / "transcript.key"
    monkeypatch.setenv("CALLSCRIBE_TRANSCRIPT_KEY_FILE", str(inside))
    settings = get_settings()
    with pytest.raises(TranscriptKeyError, match="inside the callscribe home"):
        transcripts.create_key_file(settings.transcript_key_file, settings.home)
    inside.parent.mkdir()
    inside.write_bytes(Fernet.generate_key())
    inside.chmod(0o600)
    with pytest.raises(TranscriptKeyError, match="inside the callscribe home"):
        _load(settings)
    result = CliRunner().invoke(main, ["keys", "check"])
    assert result.exit_code == 1 and "inside the callscribe home" in result.output and "Traceback" not in result.output


def test_a_link_from_outside_into_the_home_is_refused_too(home, tmp_path, monkeypatch):
    target = home / "keys" / "transcript.key"
    target.parent.mkdir()
    target.write_bytes(Fernet.generate_key())
    target.chmod(0o600)
    link = tmp_path / "looks-outside.key"
    link.symlink_to(target)
    monkeypatch.setenv("CALLSCRIBE_TRANSCRIPT_KEY_FILE", str(link))
    with pytest.raises(TranscriptKeyError, match="inside the callscribe home"):
        _load(get_settings())


def test_the_old_key_in_the_home_is_named_with_where_it_should_go(home, key_file):
    legacy = home / "keys" / "transcript.key"
    legacy.parent.mkdir()
    legacy.write_bytes(Fernet.generate_key())
    with pytest.raises(TranscriptKeyError, match=f"still in the home folder .*move it to {key_file}"):
        _load(get_settings())


def test_no_key_is_one_line_with_the_command_that_makes_one(home, key_file):
    result = CliRunner().invoke(main, ["keys", "check"])
    assert result.exit_code == 1
    assert f"no transcript key file at {key_file}" in result.output
    assert "hint: `callscribe keys create`" in result.output


def test_keys_create_makes_a_private_key_once(home, key_file):
    result = CliRunner().invoke(main, ["keys", "create"])
    assert result.exit_code == 0, result.output
    assert key_file.stat().st_mode & 0o777 == 0o600 and key_file.parent.stat().st_mode & 0o777 == 0o700
    key = key_file.read_bytes()
    assert _load(get_settings()) == key
    again = CliRunner().invoke(main, ["keys", "create"])
    assert again.exit_code == 1 and "exists already" in again.output
    assert key_file.read_bytes() == key, "an existing key is never replaced"
    assert CliRunner().invoke(main, ["keys", "check"]).output.startswith("transcript key ok")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_key_file_others_can_read_is_refused(home, key_file, mode):
    transcripts.create_key_file(key_file, home)
    key_file.chmod(mode)
    with pytest.raises(TranscriptKeyError, match=f"readable by others \\(mode {mode:04o}\\)"):
        _load(get_settings())


def test_a_key_file_without_a_key_is_refused(home, key_file):
    transcripts.create_key_file(key_file, home)
    key_file.write_bytes(b"not a key")
    with pytest.raises(TranscriptKeyError, match="does not hold a Fernet key"):
        _load(get_settings())


def test_the_key_itself_from_a_secret_store_needs_no_file(home, key_file, monkeypatch):
    key = Fernet.generate_key()
    monkeypatch.setenv("CALLSCRIBE_TRANSCRIPT_KEY", key.decode())
    assert _load(get_settings()) == key and not key_file.exists()
    monkeypatch.setenv("CALLSCRIBE_TRANSCRIPT_KEY", "too-short")
    with pytest.raises(TranscriptKeyError, match="CALLSCRIBE_TRANSCRIPT_KEY does not hold a Fernet key"):
        _load(get_settings())
    assert "too-short" not in repr(get_settings()), "the key is kept out of the settings' repr"


def test_the_default_key_file_is_in_the_users_configuration_folder(home, tmp_path, monkeypatch):
    monkeypatch.delenv("CALLSCRIBE_TRANSCRIPT_KEY_FILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert get_settings().transcript_key_file == tmp_path / "config" / "callscribe" / "transcript.key"


def test_transcribing_without_a_key_stops_before_the_flow(home, key_file, staff):
    from callscribe.pipeline.storage import catalogue
    from tests.conftest import approve_transcripts
    from tests.test_purposes import _add

    engine = catalogue.get_engine(get_settings().catalogue_url)
    _add(engine, "C-1")
    approve_transcripts(engine, ["C-1"])
    result = CliRunner().invoke(main, ["transcribe", "C-1", "--as", "bob"])
    assert result.exit_code == 1 and "no transcript key file" in result.output
    assert catalogue.get_recording(engine, "C-1").state == "ingested"
    assert os.listdir(home / "transcripts") == [] if (home / "transcripts").exists() else True
