"""A persistent Prefect API server for one callscribe home, and finding it.

``callscribe server`` (``make serve``) runs Prefect's API server (with its services: the
scheduler, late runs, ...) in its own process, on the home's Prefect database, and writes where it
listens to ``HOME/prefect/server.json`` once it answers. Every callscribe entry point in that home
then uses it (:func:`running_server_url`, called by ``configure_prefect``) instead of starting a
temporary server: a command's flow starts at once instead of after the ~10 s a temporary server
takes. A state file left by a server that died (``kill -9``) or that stopped answering is ignored.

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


def serve(home: Path, host: str, port: int, on_ready=None) -> None:
    """Run Prefect's API server with its services in this process until SIGINT or SIGTERM.

    The state file is written (0600, atomically) once the server listens, and removed when it
    stops; ``on_ready(url)`` is called after it is written.
    """
    import uvicorn
    from prefect.server.api.server import create_app

    from callscribe.pipeline import atomic

    url = f"http://{host}:{port}/api"
    path = state_file(home)

    class _Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                atomic.write_text(path, json.dumps({"url": url, "pid": os.getpid()}))
                if on_ready is not None:
                    on_ready(url)

        async def shutdown(self, sockets=None) -> None:
            _forget(path)  # first: uvicorn re-raises SIGTERM once it has shut down, ending the process
            await super().shutdown(sockets=sockets)

    config = uvicorn.Config(create_app(final=True), host=host, port=port, log_level="error", lifespan="on",
                            access_log=False, server_header=False)
    try:
        _Server(config).run()
    finally:
        _forget(path)


def _forget(path: Path) -> None:
    """Remove the state file when it names this process."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if json.loads(path.read_text(encoding="utf-8"))["pid"] == os.getpid():
            path.unlink()
