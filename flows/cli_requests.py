"""``callscribe complaints`` and ``callscribe requests`` (placeholder until the registry lands)."""

import click


@click.group()
def complaints() -> None:
    """The complaint registry."""


@click.group()
def requests() -> None:
    """Transcript and listen-back requests under four eyes."""
