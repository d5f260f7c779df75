"""A Prefect process worker for callscribe's work pool, and starting runs of its deployments.

``callscribe worker`` (or ``callscribe server``, which starts one beside itself) registers the
deployments (:func:`callscribe.flows.deployments.register`) and then runs Prefect's
``ProcessWorker`` on the pool in this process: each flow run is a child process of the installed
package (``python -m prefect.engine``) with the worker's environment, so it finds the same
``CALLSCRIBE_HOME``, settings and transcript key file; nothing but ids travels in the run's
parameters. SIGTERM or SIGINT stops the worker: it takes no new runs, ends the runs in progress
(SIGTERM to their processes), marks any they leave unfinished as crashed, and exits.

:func:`trigger` is how the command line hands a flow to the worker: ``run_deployment`` with
``timeout=0``, so it returns the flow run's id at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from callscribe.flows.deployments import POOL

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 2  # flow runs at a time: a release need not wait for a long transcription


def work(pool: str = POOL, limit: int | None = DEFAULT_LIMIT, say: Callable[[str], None] | None = None,
         stop_with: int | None = None) -> None:
    """Register the deployments, then run a process worker on ``pool`` until SIGTERM or SIGINT, or
    until process ``stop_with`` (the server that started it) ends, however it ends.

    Needs a Prefect server (``PREFECT_API_URL``, set by ``configure_prefect`` when ``callscribe
    server`` runs for this home). ``say`` gets one line when the worker polls and one when it stopped.
    """
    import asyncio
    import signal

    from prefect.workers.process import ProcessWorker

    from callscribe.flows.deployments import register

    registered = register(pool)
    say = say or (lambda line: None)

    async def run() -> None:
        loop = asyncio.get_running_loop()
        this = asyncio.current_task()
        worker = ProcessWorker(work_pool_name=pool, limit=limit, create_pool_if_not_found=False)
        polling = worker.get_and_submit_flow_runs
        stopping: list[asyncio.Task] = []

        async def poll():  # no new runs once stopping
            return [] if stopping else await polling()

        async def stop() -> None:
            try:
                await _end_runs(say)
            finally:
                this.cancel()

        def on_stop() -> None:
            if not stopping:
                stopping.append(loop.create_task(stop()))

        worker.get_and_submit_flow_runs = poll
        for number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(number, on_stop)
        if stop_with is not None and hasattr(os, "pidfd_open"):
            try:
                watched = os.pidfd_open(stop_with)  # readable once that process has ended
            except ProcessLookupError:
                return
            loop.add_reader(watched, on_stop)
        started = False

        def printer(line: str) -> None:
            nonlocal started
            if not started:  # Prefect prints "Worker 'name' started!" once its loops run
                started = True
                say(f"worker {os.getpid()} runs the {len(registered)} deployments of work pool {pool!r} "
                    f"({limit or 'any number of'} flow run(s) at a time); SIGTERM or Ctrl-C stops it")

        try:
            await worker.start(printer=printer)
        except asyncio.CancelledError:
            pass

    asyncio.run(run())
    say("worker stopped")


RUN_STOP_S = 10  # a flow run's process gets this long to end after SIGTERM (a task in a thread runs on), then SIGKILL


async def _end_runs(say: Callable[[str], None]) -> None:
    """End this worker's flow-run processes (SIGTERM; SIGKILL after :data:`RUN_STOP_S`) and mark
    each run they leave unfinished as crashed, so none stays "Running" on the server."""
    import asyncio
    import signal

    from prefect.client.orchestration import get_client
    from prefect.states import Crashed

    runs = _flow_run_processes()
    for pid in runs:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + RUN_STOP_S
    while any(_alive(pid) for pid in runs) and loop.time() < deadline:
        await asyncio.sleep(0.2)
    for pid in runs:
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    async with get_client() as client:
        for run_id in runs.values():
            run = await client.read_flow_run(run_id)
            if run.state is None or not run.state.is_final():
                await client.set_flow_run_state(
                    run_id, Crashed(message="the worker was stopped while this run ran; start it again"), force=True)
    if runs:
        say(f"worker ended {len(runs)} flow run(s) in progress: {', '.join(runs.values())}")


def _flow_run_processes() -> dict[int, str]:
    """This process's children that run a flow: pid → flow run id (from their environment)."""
    found = {}
    me = str(os.getpid())
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if (proc / "stat").read_text().rsplit(")", 1)[1].split()[1] != me:
                continue
            environment = (proc / "environ").read_bytes().split(b"\0")
        except (OSError, IndexError):
            continue
        for entry in environment:
            if entry.startswith(b"PREFECT__FLOW_RUN_ID="):
                found[int(proc.name)] = entry.split(b"=", 1)[1].decode()
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def trigger(name: str, parameters: dict) -> str:
    """Start a run of deployment ``name`` (``flow/deployment``) on the configured Prefect server and
    return its flow run id at once; the worker runs it. ``parameters``: ids only."""
    from prefect.deployments import run_deployment

    run = run_deployment(name, parameters=parameters, timeout=0, as_subflow=False)
    logger.info("started flow run %s of %s", run.id, name)
    return str(run.id)


def worker_online(pool: str = POOL) -> bool:
    """Whether a worker polled ``pool`` lately (the pool is ready)."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            return client.read_work_pool(pool).status == "READY"
        except ObjectNotFound:
            return False
