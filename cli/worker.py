"""``callscribe worker``: runs the flows that the server's deployments and the commands start."""

from __future__ import annotations

import click

from callscribe.cli.options import settings_or_exit


@click.command("worker")
@click.option("--limit", default=2, show_default=True, type=click.IntRange(1, 64), help="Flow runs at a time.")
@click.option("--stop-with", type=int, hidden=True, help="Also stop when this process ends (`callscribe server`).")
def worker(limit: int, stop_with: int | None) -> None:
    """Run callscribe's flows for the Prefect server: registers the deployments (schedules
    included) and runs each flow run as a process (`callscribe server` starts one beside itself).

    Needs `callscribe server` running for this home, or PREFECT_API_URL. Stop it with Ctrl-C or
    SIGTERM; a flow run in progress is ended and marked crashed.
    """
    import os

    from callscribe.flows.worker import work

    settings_or_exit()
    if not os.environ.get("PREFECT_API_URL"):
        raise click.ClickException("no Prefect server runs for this home; start `callscribe server` first "
                                   "(or set PREFECT_API_URL)")
    work(limit=limit, say=lambda line: click.echo(line, err=True), stop_with=stop_with)
