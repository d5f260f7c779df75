"""``callscribe keys``: the key that encrypts raw (unredacted) transcripts."""

from __future__ import annotations

import click

from callscribe.cli.options import fail
from callscribe.cli.options import settings_or_exit as _settings
from callscribe.pipeline.errors import CallscribeError
from callscribe.pipeline.storage import transcripts


@click.group()
def keys() -> None:
    """The transcript key: make it, check it (CALLSCRIBE_TRANSCRIPT_KEY_FILE, outside the home)."""


@keys.command()
def create() -> None:
    """Make a new transcript key file at CALLSCRIBE_TRANSCRIPT_KEY_FILE (mode 0600); never over an existing one."""
    settings = _settings()
    try:
        path = transcripts.create_key_file(settings.transcript_key_file, settings.home)
    except CallscribeError as err:
        fail(err)
    click.echo(f"created {path}; keep a copy in your secret store: raw transcripts cannot be read without it")


@keys.command()
def check() -> None:
    """Check that the configured transcript key is there, outside the home and private."""
    settings = _settings()
    try:
        transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
    except CallscribeError as err:
        fail(err)
    source = "CALLSCRIBE_TRANSCRIPT_KEY" if settings.transcript_key else str(settings.transcript_key_file)
    click.echo(f"transcript key ok ({source})")
