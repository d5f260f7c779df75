"""What every ``callscribe`` command shares: settings, error exits and the acting user."""

from __future__ import annotations

import getpass
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from callscribe.pipeline.errors import AccessDeniedError, CallscribeError, RecordingNotFoundError, TranscriptKeyError
from callscribe.pipeline.settings import Settings, get_settings
from callscribe.pipeline.storage import catalogue


def settings_or_exit(**overrides) -> Settings:
    """The settings, with ``None`` overrides ignored; an invalid setting exits naming the variable."""
    try:
        return get_settings(**{k: v for k, v in overrides.items() if v is not None})
    except Exception as err:  # pydantic ValidationError: name the variable to fix
        raise click.ClickException(f"invalid setting: {err}") from err


def fail(err: CallscribeError, hint: str | None = None) -> None:
    """Print a callscribe error to stderr (with the command line's hint, where it has one) and exit with 1."""
    click.echo(f"error: {err}", err=True)
    if hint:
        click.echo(f"hint: {hint}", err=True)
    elif isinstance(err, TranscriptKeyError) and "no transcript key file" in str(err):
        click.echo("hint: `callscribe keys create` makes one there (keep a copy in your secret store)", err=True)
    elif isinstance(err, AccessDeniedError) and "say who acts" in str(err):
        click.echo("hint: name yourself with --as USER, or set CALLSCRIBE_USER", err=True)
    elif isinstance(err, RecordingNotFoundError):
        click.echo("hint: `callscribe recordings` lists the known ids", err=True)
    sys.exit(1)


_early = None  # the temporary server a command started before Prefect was imported


def begin_prefect() -> None:
    """At the start of a command that runs a flow: Prefect's temporary server (when neither
    ``callscribe server`` nor ``PREFECT_API_URL`` gives one) starts booting now, beside the
    command's own start-up; :func:`start_prefect` waits for it."""
    global _early
    from callscribe.flows.server import start_server_early

    _early = _early or start_server_early()


def start_prefect() -> None:
    """Before a command's first flow run: Prefect's temporary server (when no Prefect server is
    configured) is up, and ends with this process, however the process ends."""
    if _early is not None:
        from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

        try:
            _early.wait(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
        except CallscribeError as err:
            fail(err)
        return
    from callscribe.flows.server import tie_temporary_server

    tie_temporary_server()


def engine_of(settings: Settings):
    return catalogue.get_engine(settings.catalogue_url)


def acting_login(settings: Settings) -> str | None:
    """Who is at the keyboard, from the one place the deployment chose: the operating-system login
    (default) or ``CALLSCRIBE_USER`` (``CALLSCRIBE_IDENTITY=env``)."""
    if settings.identity == "env":
        return os.environ.get("CALLSCRIBE_USER") or None
    return getpass.getuser()


def _acting_user(_ctx, _param, value: str | None) -> str | None:
    """The acting user's login name; ``--as`` may name someone else only where the deployment
    allows impersonation (``CALLSCRIBE_IMPERSONATION=true``: tests and support)."""
    settings = settings_or_exit()
    login = acting_login(settings)
    if value is None or value == login:
        return login
    if not settings.impersonation:
        raise click.BadParameter(f"you act as {login or 'nobody'} here: this deployment does not let --as name "
                                 "someone else (CALLSCRIBE_IMPERSONATION is off)", param_hint="--as")
    return value


as_user = click.option(
    "--as", "as_user", metavar="USER", callback=_acting_user,
    help="Who acts; only yourself unless the deployment allows impersonation. Default: your login.",
)


_YEARS = (2000, 2100)  # calls, complaints and runs outside these are typing errors


def parse_timestamp(value: str | None, local_zone: str | None = None) -> datetime | None:
    """An ISO 8601 timestamp from the command line; without a UTC offset it is read in
    ``local_zone``, or refused when none is given.

    Raises:
        click.BadParameter: not a timestamp, or no offset where one is required.
    """
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter("write an ISO 8601 timestamp like 2026-11-24T09:14:03+01:00") from err
    if not _YEARS[0] <= moment.year <= _YEARS[1]:
        raise click.BadParameter(f"give a moment between the years {_YEARS[0]} and {_YEARS[1]}")
    if moment.tzinfo is None:
        if local_zone is None:
            raise click.BadParameter("give a UTC offset, e.g. 2026-11-24T09:14:03+01:00")
        moment = moment.replace(tzinfo=ZoneInfo(local_zone))
    return moment


def timestamp_with_offset(_ctx, _param, value: str | None) -> datetime | None:
    """Click callback: :func:`parse_timestamp` with the UTC offset required."""
    return parse_timestamp(value)
