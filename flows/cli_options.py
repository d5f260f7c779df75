"""What every ``callscribe`` command shares: settings, error exits and the acting user."""

from __future__ import annotations

import sys

import click

from pipeline import catalogue
from pipeline.errors import CallscribeError
from pipeline.settings import Settings, get_settings


def settings_or_exit(**overrides) -> Settings:
    """The settings, with ``None`` overrides ignored; an invalid setting exits naming the variable."""
    try:
        return get_settings(**{k: v for k, v in overrides.items() if v is not None})
    except Exception as err:  # pydantic ValidationError: name the variable to fix
        raise click.ClickException(f"invalid setting: {err}") from err


def fail(err: CallscribeError) -> None:
    """Print a callscribe error to stderr and exit with 1."""
    click.echo(f"error: {err}", err=True)
    sys.exit(1)


def engine_of(settings: Settings):
    return catalogue.get_engine(settings.catalogue_url)


as_user = click.option(
    "--as", "as_user", envvar="CALLSCRIBE_USER", metavar="USER",
    help="Who acts (login name); checked against their role. Default: $CALLSCRIBE_USER.",
)
