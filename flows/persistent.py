"""A persistent Prefect API server for one callscribe home, and finding it.

``callscribe server`` (``make serve``) runs Prefect's API server (with its services: the
scheduler, late runs, ...) in its own process, on the home's Prefect database, and writes where it
listens to ``HOME/prefect/server.json`` once it answers. Every callscribe entry point in that home
then uses it (:func:`running_server_url`, called by ``configure_prefect``) instead of starting a
temporary server: a command's flow starts at once instead of after the ~10 s a temporary server
takes. A state file left by a server that died (``kill -9``) or that stopped answering is ignored.
``callscribe server`` also starts ``callscribe worker`` beside it (:mod:`callscribe.flows.worker`)
and stops it before itself.

Standard library only until the server itself starts, so finding it costs a command nothing
when no server runs.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import urllib.request
from pathlib import Path

logger = logging.getLogger(__name__)

STATE_FILE = "server.json"
_HEALTH_TIMEOUT_S = 1.0


def state_file(home: Path) -> Path:
    return home / "prefect" / STATE_FILE


def running_server_url(home: Path) -> str | None:
    """The API URL of the persistent server of ``home`` when one runs and answers; else ``None``."""
    path = state_file(home)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        url, pid = state["url"], int(state["pid"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        logger.warning("ignoring %s: not a server state file; `callscribe server` writes a new one", path)
        return None
    if not isinstance(url, str) or not url.startswith("http://127.") and not url.startswith("http://localhost"):
        logger.warning("ignoring %s: the server it names is not on this host", path)
        return None
    if not _alive(pid) or not answers(url):
        return None
    return url


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process took the number: not our server
        return False
    return True


def answers(url: str) -> bool:
    """Whether the Prefect API at ``url`` answers its health check within a second."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=_HEALTH_TIMEOUT_S) as response:
            return response.status == 200
    except OSError:
        return False


def serve(home: Path, host: str, port: int, on_ready=None, worker: list[str] | None = None) -> None:
    """Run Prefect's API server with its services in this process until SIGINT or SIGTERM.

    The state file is written (0600, atomically) once the server listens, and removed when it
    stops; ``on_ready(url)`` is called after it is written. ``worker``: a command (``callscribe
    worker``) started then, with ``PREFECT_API_URL`` naming this server, and stopped (SIGTERM) before
    the server stops, so it can still report its last runs; it also ends when this process is
    killed (the temporary server's watchdog).
    """
    import asyncio
    import subprocess

    import uvicorn
    from prefect.server.api.server import create_app

    from callscribe.pipeline import atomic

    url = f"http://{host}:{port}/api"
    path = state_file(home)

    class _Server(uvicorn.Server):
        companion: subprocess.Popen | None = None

        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                atomic.write_text(path, json.dumps({"url": url, "pid": os.getpid()}))
                if worker:
                    self.companion = _start_worker(worker, url)
                if on_ready is not None:
                    on_ready(url)

        async def shutdown(self, sockets=None) -> None:
            _forget(path)  # first: uvicorn re-raises SIGTERM once it has shut down, ending the process
            if self.companion is not None:
                await asyncio.to_thread(_stop, self.companion)  # the API answers its last calls meanwhile
            await super().shutdown(sockets=sockets)

    config = uvicorn.Config(create_app(final=True), host=host, port=port, log_level="error", lifespan="on",
                            access_log=False, server_header=False)
    try:
        _Server(config).run()
    finally:
        _forget(path)


def database() -> str:
    """Where the Prefect server keeps its database, without credentials: ``PostgreSQL host/name``
    when ``PREFECT_SERVER_DATABASE_CONNECTION_URL`` names one, else ``SQLite`` and its file."""
    from prefect.settings import get_current_settings
    from sqlalchemy.engine import make_url

    secret = get_current_settings().server.database.connection_url
    if secret is None:
        return f"SQLite {Path(os.environ.get('PREFECT_HOME', '~/.prefect')).expanduser() / 'prefect.db'}"
    try:
        url = make_url(secret.get_secret_value())
    except Exception:  # noqa: BLE001 - a template Prefect completes itself; never print it (a password)
        return "as PREFECT_SERVER_DATABASE_CONNECTION_URL configures"
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database}"
    return f"PostgreSQL {url.host or 'localhost'}/{url.database}"


WORKER_STOP_S = 60  # a worker ends its flow runs and reports them; then it is killed


def _start_worker(command: list[str], url: str):
    import subprocess

    # --stop-with: the worker also ends when this process is killed (it watches this pid)
    return subprocess.Popen([*command, "--stop-with", str(os.getpid())], env={**os.environ, "PREFECT_API_URL": url})


def _stop(process) -> None:
    import subprocess

    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=WORKER_STOP_S)
        except subprocess.TimeoutExpired:
            logger.warning("worker %d did not stop within %d s; killed", process.pid, WORKER_STOP_S)
            process.kill()
            process.wait()


def _forget(path: Path) -> None:
    """Remove the state file when it names this process."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if json.loads(path.read_text(encoding="utf-8"))["pid"] == os.getpid():
            path.unlink()
