"""``callscribe subjects`` (placeholder until data-subject requests land)."""

import click


@click.group()
def subjects() -> None:
    """Data-subject requests (access, erasure) under four eyes."""
