"""``callscribe audit``: the tamper-evident audit log."""

from __future__ import annotations

import sys

import click

from callscribe.cli.options import settings_or_exit as _settings
from callscribe.pipeline.policy import audit as audit_log
from callscribe.pipeline.storage import catalogue


@click.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; name the first edited, inserted or removed entry."""
    settings = _settings()
    result = audit_log.verify(catalogue.get_engine(settings.catalogue_url))
    if result.ok:
        click.echo(f"audit log intact: {result.entries} entries")
        return
    click.echo(f"audit log broken at entry {result.first_bad_seq}: {result.reason}", err=True)
    sys.exit(1)
