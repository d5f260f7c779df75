"""``callscribe web``: serve the web application with uvicorn on the catalogue of the settings."""

from __future__ import annotations

import copy
import ipaddress

import click

from callscribe.cli.options import fail, settings_or_exit
from callscribe.pipeline.errors import CallscribeError


@click.command("web")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep the default behind a TLS reverse proxy on the same host.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
def web(host: str, port: int) -> None:
    """Serve the web application (login, pages per role) on the catalogue, with uvicorn.

    Users log in with the password `callscribe users set-password` set. Serve it to others only
    behind a TLS reverse proxy (see the README); the access log shows method, path and status only.
    """
    import uvicorn

    from callscribe.web.app import create_app

    settings = settings_or_exit()
    try:
        app = create_app(settings)
    except CallscribeError as err:
        fail(err)
    if not _loopback(host):
        click.echo(f"warning: serving on {host} without TLS: put callscribe web behind a TLS reverse proxy "
                   "(README, 'Web application')", err=True)
    uvicorn.run(app, host=host, port=port, access_log=False, proxy_headers=False, server_header=False,
                log_config=_log_config(uvicorn.config.LOGGING_CONFIG))


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _log_config(base: dict) -> dict:
    """uvicorn's logging, with callscribe's loggers (the access log: method, path, status) on its
    console handler instead of uvicorn's own access log (which would show query strings)."""
    config = copy.deepcopy(base)
    config["loggers"]["callscribe"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
