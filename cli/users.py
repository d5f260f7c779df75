"""``callscribe users``: who may act, with which role."""

from __future__ import annotations

import click

from callscribe.cli.options import as_user, engine_of, fail, settings_or_exit
from callscribe.pipeline.errors import CallscribeError
from callscribe.pipeline.policy import access


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
