"""``callscribe users``: who may act, with which role."""

from __future__ import annotations

import sys

import click

from callscribe.cli.options import as_user, engine_of, fail, settings_or_exit
from callscribe.pipeline.errors import CallscribeError
from callscribe.pipeline.policy import access, accounts


@click.group()
def users() -> None:
    """Users and their roles (manager, teamleider, ict_backoffice, klachtendesk, coach)."""


@users.command("add")
@click.argument("user_id")
@click.option("--role", required=True, type=click.Choice(access.ROLES), help="The user's role.")
@as_user
def users_add(user_id: str, role: str, as_user: str | None) -> None:
    """Add USER_ID (a login name) with a role, or give an existing user a new role.

    The first user of a deployment is a manager added without --as; after that a manager or
    ict_backoffice user adds users.
    """
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        user = access.add_user(engine, user_id, role, as_user)
    except CallscribeError as err:
        fail(err)
    click.echo(f"user {user.user_id}: {user.role}")


@users.command("deactivate")
@click.argument("user_id")
@as_user
def users_deactivate(user_id: str, as_user: str | None) -> None:
    """Deactivate USER_ID: kept on record for the audit log, can no longer act."""
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        access.deactivate_user(engine, user_id, as_user)
    except CallscribeError as err:
        fail(err)
    click.echo(f"user {user_id}: deactivated")


@users.command("list")
@as_user
def users_list(as_user: str | None) -> None:
    """List users with role and status."""
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        found = access.list_users(engine, as_user)
    except CallscribeError as err:
        fail(err)
    for user in found:
        click.echo(f"{user.user_id:<24} {user.role:<15} {'active' if user.active else 'deactivated'}")


@users.command("set-password")
@click.argument("user_id")
@as_user
def users_set_password(user_id: str, as_user: str | None) -> None:
    """Set USER_ID's web password: typed twice without echo, or one line of piped input.

    Everyone sets their own; a manager or ict_backoffice user sets someone else's (only a manager
    a manager's). Before any password exists, the first manager's is set by whoever installs
    callscribe. The user's web sessions end; the audit log records who set it, never the password.
    """
    password = _read_password()
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        ended = accounts.set_password(engine, user_id, password, as_user)
    except CallscribeError as err:
        fail(err)
    click.echo(f"user {user_id}: password set" + (f"; {ended} web session(s) ended" if ended else ""))


def _read_password() -> str:
    """The new password, typed twice at a prompt without echo, or one line of piped input."""
    if sys.stdin.isatty():
        return click.prompt("New password", hide_input=True, confirmation_prompt="Repeat the password")
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise click.UsageError("type the password at the prompt, or give it as one line of input")
    return line
