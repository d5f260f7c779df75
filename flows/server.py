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
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None
    server = SubprocessASGIServer()  # the instance get_client() uses when no API is configured
    server.start()
    pid = server.server_process.pid
    if pid not in _watchdogs and hasattr(os, "pidfd_open"):
        watchdog = subprocess.Popen([sys.executable, "-I", str(_WATCHDOG), str(pid)], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, start_new_session=True)
        if watchdog.stdout.readline().strip() == b"ready":
            _watchdogs[pid] = watchdog
            logger.debug("temporary Prefect server %d is tied to process watchdog %d", pid, watchdog.pid)
        else:
            logger.warning("the temporary Prefect server could not be tied to this process; it stops at a normal exit")
    return pid
