"""``callscribe runs``, and handing a command's flow to the worker when a Prefect server runs."""

from __future__ import annotations

import os

import click

from callscribe.cli.options import settings_or_exit

wait_option = click.option(
    "--wait", is_flag=True,
    help="Run the flow in this command and wait for it, as without a server, instead of handing it to the worker.")


def hand_over(name: str, parameters: dict, what: str, wait: bool) -> bool:
    """Start deployment ``name`` on the Prefect server this home uses, print the flow run id and
    return True; False (the command runs the flow itself) with ``wait``, without a server or when
    the server does not have the deployment (no worker registered it yet)."""
    if wait or not os.environ.get("PREFECT_API_URL"):
        return False
    from callscribe.flows.deployments import POOL, is_registered
    from callscribe.flows.worker import trigger, worker_online

    if not is_registered(name):
        return False
    run_id = trigger(name, parameters)
    click.echo(run_id)
    click.echo(f"{what}: flow run {run_id} of {name} handed to the worker; `callscribe runs` shows how it goes",
               err=True)
    if not worker_online(POOL):
        click.echo(f"no worker polls work pool {POOL!r} now: the run starts when `callscribe worker` runs", err=True)
    return True


@click.command("runs")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500), help="How many runs.")
def runs(limit: int) -> None:
    """Recent runs of callscribe's deployments on the Prefect server: id, deployment, state, start, duration, progress.

    Newest first, then the next scheduled run of each scheduled deployment. Ids only: no
    parameters are shown.
    """
    from callscribe.flows.runs import next_runs, recent_runs

    settings = settings_or_exit()
    if not os.environ.get("PREFECT_API_URL"):
        raise click.ClickException("no Prefect server runs for this home; `callscribe server` starts one")
    zone = settings.retention_timezone
    found = recent_runs(limit)
    if not found:
        click.echo("no runs yet")
    else:
        click.echo(f"{'id':<36}  {'deployment':<38} {'state':<10} {'start':<22} {'duration':>9}  progress")
        for run in found:
            click.echo(f"{run.run_id:<36}  {run.deployment:<38} {run.state:<10} {_stamp(run.start, zone):<22} "
                       f"{_duration(run.seconds):>9}  {run.progress or '-'}")
    for deployment, moment in next_runs():
        click.echo(f"next: {deployment} at {_stamp(moment, zone)}")


def _stamp(moment, zone: str) -> str:
    if moment is None:
        return "-"
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s" if minutes else f"{rest}s"
