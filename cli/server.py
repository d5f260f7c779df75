"""``callscribe server``: a persistent Prefect API server that this home's commands then use, with
a worker beside it that runs callscribe's deployments."""

from __future__ import annotations

import click

from callscribe.cli.options import settings_or_exit


@click.command("server")
@click.option("--port", default=4200, show_default=True, type=click.IntRange(1, 65535), help="Port on 127.0.0.1.")
@click.option("--worker/--no-worker", "with_worker", default=True, show_default=True,
              help="Start `callscribe worker` beside the server (off where the worker runs as its own service).")
@click.option("--limit", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Flow runs at a time for that worker.")
def server(port: int, with_worker: bool, limit: int) -> None:
    """Run a persistent Prefect server for this home; commands use it instead of a temporary one.

    It listens on 127.0.0.1 only (Prefect's API has no login of its own; flow runs hold ids and
    counts, never personal data). A worker started beside it registers the deployments (schedules
    included) and runs the flows; commands then hand their flows to it and return at once. Stop it
    with Ctrl-C or SIGTERM: the worker stops first, then the server; commands then start a
    temporary server again.
    """
    import os
    import sys

    from callscribe.flows.persistent import database, running_server_url, serve

    settings = settings_or_exit()
    if os.environ.get("PREFECT_API_URL"):
        already = running_server_url(settings.home)
        where = "this home's server already runs" if already else "PREFECT_API_URL names a Prefect server"
        raise click.ClickException(f"{where} ({os.environ['PREFECT_API_URL']}); commands use it. "
                                   "Unset PREFECT_API_URL to run one for this home")
    if not _free(port):
        raise click.ClickException(f"port {port} on 127.0.0.1 is in use; choose another with --port")
    worker = [sys.executable, "-m", "callscribe.cli.main", "worker", "--limit", str(limit)] if with_worker else None
    serve(settings.home, "127.0.0.1", port, worker=worker,
          on_ready=lambda url: click.echo(f"Prefect server for {settings.home} on {url}; database {database()}; "
                                          "Ctrl-C stops it", err=True))


def _free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
