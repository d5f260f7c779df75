"""Transcriptions started from the browser, run in the background of the web process: one worker
thread, a bounded queue, de-duplicated by call id.

When a request is approved and its call is not transcribed yet, the approval page plans the
transcription through the library (``transcribing.plan``: authorised and audited as the approver)
and hands the call here, so the browser does not wait for Whisper. The worker starts Prefect's
temporary server once (:func:`callscribe.flows.server.tie_temporary_server`) and runs the
``transcribe-recordings`` flow for one call at a time; the flow checks the purpose again and keeps
the recording's state in the catalogue (``processing``, then ``transcribed`` or ``failed`` with a
reason), which is what the pages show. A job holds a call id and a purpose, nothing else.

The queue lives in memory: what was waiting when the process stopped stays ``ingested`` in the
catalogue, and the release page offers to start it again. The application keeps one
:class:`TranscriptionJobs` in ``app.state.transcription_jobs`` (:func:`of`); tests put their own
there, with a runner that records the jobs instead of running Whisper.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import CallscribeError
from callscribe.pipeline.storage import catalogue

logger = logging.getLogger(__name__)

STATE_NAME = "transcription_jobs"  # the attribute of app.state that holds the application's jobs
LIMIT = 100  # calls waiting at most; more are refused until the worker catches up
_STOP = object()
_created = threading.Lock()


@dataclass(frozen=True)
class Job:
    """One call to transcribe, and why (a ``transcribing.Purpose`` value the flow checks again)."""

    call_id: str
    purpose: str


class NotQueued(CallscribeError):
    """The job was not added: too many are waiting, or the worker has stopped."""


def run_flow(job: Job) -> None:
    """Run the ``transcribe-recordings`` flow for the job's call, one recording at a time, after
    starting Prefect's temporary server once for this process."""
    _prefect_ready()
    from callscribe.flows.transcribe import with_concurrency

    with_concurrency(1)(recording_ids=[job.call_id], purpose=job.purpose)


@functools.cache
def _prefect_ready() -> None:
    """Prefect's defaults and temporary server, once per process (a failed start is tried again)."""
    from callscribe.flows import configure_prefect

    configure_prefect()  # values already set (``callscribe web`` sets them) win
    from callscribe.flows.server import tie_temporary_server

    tie_temporary_server()


class TranscriptionJobs:
    """A queue of :class:`Job` and the one thread that works through it.

    Args:
        run: runs one job (default :func:`run_flow`); what it raises is logged by type, and the
            recording, when the run never claimed it, is marked ``failed`` with a safe reason.
        engine: the catalogue, to mark such recordings failed (None: leave them as they are).
        limit: jobs waiting at most (:class:`NotQueued` beyond).
    """

    def __init__(self, run: Callable[[Job], None] = run_flow, *, engine: Engine | None = None,
                 limit: int = LIMIT) -> None:
        self._run = run
        self._engine = engine
        self._queue: queue.Queue = queue.Queue(maxsize=limit)
        self._waiting: set[str] = set()  # call ids queued or running
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def submit(self, job: Job) -> bool:
        """Queue ``job`` unless its call is queued or running already; True when added.

        Raises:
            NotQueued: ``limit`` jobs are waiting already, or the worker was stopped.
        """
        with self._lock:
            if self._stopped:
                raise NotQueued("the transcription worker has stopped; start the transcription again later")
            if job.call_id in self._waiting:
                return False
            try:
                self._queue.put_nowait(job)
            except queue.Full:
                raise NotQueued(f"{self._queue.maxsize} transcriptions are waiting already; start this one "
                                "again later") from None
            self._waiting.add(job.call_id)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="callscribe-transcriptions", daemon=True)
                self._thread.start()
        logger.info("transcription of %s queued (%s)", job.call_id, job.purpose)
        return True

    def is_waiting(self, call_id: str) -> bool:
        """Whether the call is queued or being transcribed by this worker."""
        with self._lock:
            return call_id in self._waiting

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """Block until no job is queued or running (or ``timeout`` seconds passed); True when idle."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._waiting, timeout)

    def stop(self, timeout: float | None = None, *, finish_queued: bool = False) -> None:
        """Take no more jobs and end the worker, waiting at most ``timeout`` seconds for the job
        that is running (the thread is a daemon and does not keep the process alive). Jobs still
        queued are dropped, unless ``finish_queued``: their calls stay ``ingested`` in the
        catalogue, and the release page offers to start them again."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            thread = self._thread
            while not finish_queued:
                try:
                    dropped = self._queue.get_nowait()
                except queue.Empty:
                    break
                self._waiting.discard(dropped.call_id)
            self._lock.notify_all()
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            try:
                self._run(job)
            except BaseException as err:  # noqa: BLE001 - one failed job never ends the worker
                logger.warning("transcription of %s could not run: %s", job.call_id, type(err).__name__)
                self._mark_failed(job, err)
            finally:
                with self._lock:
                    self._waiting.discard(job.call_id)
                    self._lock.notify_all()

    def _mark_failed(self, job: Job, err: BaseException) -> None:
        """A run that never claimed the recording leaves it as it was: mark it failed, with the
        library's own message (safe: ids only) or the error's type."""
        if self._engine is None:
            return
        reason = str(err) if isinstance(err, CallscribeError) else f"the transcription could not start: {type(err).__name__}"
        try:
            catalogue.finish(self._engine, job.call_id, catalogue.RecordingState.FAILED, reason[:500], claimed=False)
        except Exception as failed:  # noqa: BLE001 - the catalogue may be gone; the log says so
            logger.warning("could not mark %s failed: %s", job.call_id, type(failed).__name__)


def of(app) -> TranscriptionJobs:
    """The application's jobs (``app.state.transcription_jobs``), made on first use with
    :func:`run_flow` on the application's catalogue."""
    jobs = getattr(app.state, STATE_NAME, None)
    if jobs is None:
        with _created:
            jobs = getattr(app.state, STATE_NAME, None)
            if jobs is None:
                jobs = TranscriptionJobs(run_flow, engine=app.state.web.engine)
                setattr(app.state, STATE_NAME, jobs)
    return jobs
