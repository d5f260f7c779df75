"""``callscribe audit``: the tamper-evident audit log."""

from __future__ import annotations

import sys

import click

from callscribe.cli.options import as_user, fail
from callscribe.cli.options import settings_or_exit as _settings
from callscribe.pipeline.errors import CallscribeError
from callscribe.pipeline.policy import access
from callscribe.pipeline.storage import catalogue


@click.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
@as_user
def audit_verify(as_user: str | None) -> None:
    """Recompute the hash chain; name the first edited, inserted or removed entry."""
    settings = _settings()
    try:
        result = access.verify_audit_log(catalogue.get_engine(settings.catalogue_url), as_user)
    except CallscribeError as err:
        fail(err)
    if result.ok:
        click.echo(f"audit log intact: {result.entries} entries")
        return
    where = f"at entry {result.first_bad_seq}" if result.first_bad_seq else "(anchor)"
    click.echo(f"audit log broken {where}: {result.reason}", err=True)
    sys.exit(1)


@audit.command("anchor")
@click.option("--yes", is_flag=True, help="Confirm: the log as it is now becomes the anchored truth.")
@as_user
def audit_anchor(yes: bool, as_user: str | None) -> None:
    """Anchor the log's head as it is now, once a manager has looked into a broken anchor (audited)."""
    if not yes:
        raise click.UsageError("re-anchoring accepts the log as it is now, removed entries included: look into "
                               "`callscribe audit verify` first, then repeat with --yes")
    settings = _settings()
    try:
        old, head = access.reanchor_audit_log(catalogue.get_engine(settings.catalogue_url), as_user)
    except CallscribeError as err:
        fail(err)
    click.echo(f"audit log anchored at entry {head} (was {'missing or unreadable' if old is None else old})")
