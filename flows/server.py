"""Prefect's temporary server, tied to the process that needs it.

With no ``PREFECT_API_URL`` Prefect starts a temporary API server as a child process and stops it
at interpreter exit. A process killed with SIGKILL runs no exit handlers, so that server would
keep running (and keep its database open) after its command died. :func:`tie_temporary_server`
starts the server itself, in the calling thread, through Prefect's own ``SubprocessASGIServer``
(the instance Prefect's clients then reuse), and hands its pid to a small watchdog process that
ends it as soon as this process ends in any way.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

_WATCHDOG = Path(__file__).with_name("_watchdog.py")
_watchdogs: dict[int, subprocess.Popen] = {}  # server pid → its watchdog, one per server


def tie_temporary_server() -> int | None:
    """Start Prefect's temporary server now, unless a Prefect API is configured, and make sure it
    ends with this process; returns its pid, or ``None`` when no temporary server is used.

    Call it from the main thread of an entry point before the first flow runs (``configure_prefect``
    first). Where the platform has no pidfd (Linux before 5.3, other systems) the server is still
    started, and stopped at a normal exit as before.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None  # before importing Prefect's server (3 s): a configured server needs none of it
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the instance get_client() uses when no API is configured
    server.start()
    pid = server.server_process.pid
    _tie(pid)
    return pid


class EarlyServer:
    """Prefect's temporary server, started before Prefect is imported so it boots while the
    command does its own start-up (imports, checks, the model); :meth:`wait` before the first flow.

    The same server Prefect's ``SubprocessASGIServer`` runs (uvicorn on Prefect's ``create_app``,
    ephemeral, without the UI) on a free loopback port named in ``PREFECT_API_URL``, tied to this
    process by the watchdog and stopped at exit.
    """

    def __init__(self, process: subprocess.Popen, url: str):
        self.process, self.url = process, url

    def wait(self, timeout: float) -> None:
        """Until the server answers.

        Raises:
            ConfigurationError: it ended or did not answer within ``timeout`` seconds.
        """
        import time

        from callscribe.flows.persistent import answers
        from callscribe.pipeline.errors import ConfigurationError

        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise ConfigurationError(f"Prefect's temporary server ended at start-up (exit {self.process.returncode}); "
                                         "run `callscribe server` in another shell, or check the home's prefect folder")
            if answers(self.url):
                return
            if time.monotonic() >= deadline:
                raise ConfigurationError(f"Prefect's temporary server did not answer within {timeout:.0f} s; "
                                         "raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS or run `callscribe server`")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server_early() -> EarlyServer | None:
    """Start Prefect's temporary server now, in the background, when this process will need one
    (no ``PREFECT_API_URL``, Prefect not yet imported, ephemeral servers enabled); sets
    ``PREFECT_API_URL`` to it. Call :meth:`EarlyServer.wait` before the first flow runs."""
    import atexit
    import importlib.util
    import socket

    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        return None
    if os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "true").lower() in ("0", "false", "no"):
        return None
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        return None
    with socket.socket() as probe:  # a free port; Prefect's own server finds one the same way
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(spec.origin).parent.parent), "--factory",
         "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "error", "--lifespan", "on"],
        env=env,
    )
    server = EarlyServer(process, f"http://127.0.0.1:{port}/api")
    _tie(process.pid)
    atexit.register(server.stop)
    os.environ["PREFECT_API_URL"] = server.url
    return server


def _tie(pid: int) -> None:
    if pid in _watchdogs or not hasattr(os, "pidfd_open"):
        return
    watchdog = subprocess.Popen([sys.executable, "-I", str(_WATCHDOG), str(pid)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, start_new_session=True)
    if watchdog.stdout.readline().strip() == b"ready":
        _watchdogs[pid] = watchdog
        logger.debug("temporary Prefect server %d is tied to process watchdog %d", pid, watchdog.pid)
    else:
        logger.warning("the temporary Prefect server could not be tied to this process; it stops at a normal exit")
