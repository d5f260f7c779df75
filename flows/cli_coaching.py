"""``callscribe coaching`` and ``callscribe employees`` (placeholder until the coaching workflow lands)."""

import click


@click.group()
def coaching() -> None:
    """Coaching draws, picks and sessions."""


@click.group()
def employees() -> None:
    """Employees (medewerkers) known from the call metadata."""
