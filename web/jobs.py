"""Work started from the browser, run in the background of the web process: one worker thread,
a bounded queue of transcriptions, de-duplicated by call id, and the cleanup after an erasure.

When a request is approved and its call is not transcribed yet, the approval page plans the
transcription through the library (``transcribing.plan``: authorised and audited as the approver)
and hands the call here, so the browser does not wait for Whisper. The worker starts Prefect's
temporary server once (:func:`callscribe.flows.server.tie_temporary_server`) and runs the
``transcribe-recordings`` flow for one call at a time; the flow checks the purpose again and keeps
the recording's state in the catalogue (``processing``, then ``transcribed`` or ``failed`` with a
reason), which is what the pages show. A job holds a call id and a purpose, nothing else.

When an erasure has been carried out (``subjects.erase``, as the logged-in user), the page hands
the erased call ids here as a :class:`ForgetRuns` job: the worker deletes the Prefect runs whose
parameters name them (:func:`callscribe.flows.retention.forget_runs_of`), as the CLI's
``carry-out-subject-request`` flow does, so an erased call leaves in Prefect what an expired one
leaves. It runs on the same thread, after the transcriptions queued before it (a transcription of
an erased call that was waiting runs, drops the call, and its run is then deleted too). It is not
held to the limit of waiting transcriptions.

The queue lives in memory: what was waiting when the process stopped stays ``ingested`` in the
catalogue, and the release page offers to start it again; a cleanup that was waiting is left to
the daily retention flow, which deletes such runs once they are older than the retention period.
The application keeps one :class:`TranscriptionJobs` in ``app.state.transcription_jobs``
(:func:`of`); tests put their own there, with runners that record the jobs instead of running
Whisper or Prefect.
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


@dataclass(frozen=True)
class ForgetRuns:
    """After an erasure: the Prefect runs that name its calls, to be deleted (ids only)."""

    request_id: str  # the erasure request, for the log
    call_ids: tuple[str, ...]


class NotQueued(CallscribeError):
    """The job was not added: too many are waiting, or the worker has stopped."""


def run_flow(job: Job) -> None:
    """Run the ``transcribe-recordings`` flow for the job's call, one recording at a time, after
    starting Prefect's temporary server once for this process."""
    _prefect_ready()
    from callscribe.flows.transcribe import with_concurrency

    with_concurrency(1)(recording_ids=[job.call_id], purpose=job.purpose)


def forget_runs(job: ForgetRuns) -> None:
    """Delete the Prefect runs (with their artifacts) whose parameters name the job's calls, after
    starting Prefect's temporary server once for this process."""
    _prefect_ready()
    from callscribe.flows.retention import forget_runs_of

    deleted = forget_runs_of.fn(list(job.call_ids))
    logger.info("erasure %s: %d Prefect run(s) naming its calls deleted", job.request_id, deleted)


@functools.cache
def _prefect_ready() -> None:
    """Prefect's defaults and temporary server, once per process (a failed start is tried again)."""
    from callscribe.flows import configure_prefect

    configure_prefect()  # values already set (``callscribe web`` sets them) win
    from callscribe.flows.server import tie_temporary_server

    tie_temporary_server()


class TranscriptionJobs:
    """A queue of :class:`Job` (and :class:`ForgetRuns`) and the one thread that works through it.

    Args:
        run: runs one transcription (default :func:`run_flow`); what it raises is logged by type,
            and the recording, when the run never claimed it, is marked ``failed`` with a safe reason.
        forget: runs one cleanup after an erasure (default :func:`forget_runs`); what it raises is
            logged by type.
        engine: the catalogue, to mark such recordings failed (None: leave them as they are).
        limit: transcriptions waiting at most (:class:`NotQueued` beyond).
    """

    def __init__(self, run: Callable[[Job], None] = run_flow, *, forget: Callable[[ForgetRuns], None] = forget_runs,
                 engine: Engine | None = None, limit: int = LIMIT) -> None:
        self._run = run
        self._forget = forget
        self._engine = engine
        self._limit = limit
        self._queue: queue.Queue = queue.Queue()  # the limit is on transcriptions: see submit
        self._queued = 0  # transcriptions queued, not yet taken by the worker
        self._waiting: set[str] = set()  # call ids queued or running
        self._cleanups: set[str] = set()  # erasure requests whose cleanup is queued or running
        self._lock = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False

    def submit(self, job: Job | ForgetRuns) -> bool:
        """Queue ``job`` unless its call (or, for a cleanup, its request) is queued or running
        already; True when added.

        Raises:
            NotQueued: ``limit`` transcriptions are waiting already, or the worker was stopped.
        """
        cleanup = isinstance(job, ForgetRuns)
        with self._lock:
            if self._stopped:
                raise NotQueued("the background worker has stopped" if cleanup else
                                "the transcription worker has stopped; start the transcription again later")
            if (job.request_id in self._cleanups) if cleanup else (job.call_id in self._waiting):
                return False
            if cleanup:
                self._cleanups.add(job.request_id)
            elif self._queued >= self._limit:
                raise NotQueued(f"{self._limit} transcriptions are waiting already; start this one again later")
            else:
                self._queued += 1
                self._waiting.add(job.call_id)
            self._queue.put_nowait(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="callscribe-transcriptions", daemon=True)
                self._thread.start()
        if cleanup:
            logger.info("erasure %s: forgetting the Prefect runs of %d call(s) queued", job.request_id,
                        len(job.call_ids))
        else:
            logger.info("transcription of %s queued (%s)", job.call_id, job.purpose)
        return True

    def is_waiting(self, call_id: str) -> bool:
        """Whether the call is queued or being transcribed by this worker."""
        with self._lock:
            return call_id in self._waiting

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """Block until no job is queued or running (or ``timeout`` seconds passed); True when idle."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._waiting and not self._cleanups, timeout)

    def stop(self, timeout: float | None = None, *, finish_queued: bool = False) -> None:
        """Take no more jobs and end the worker, waiting at most ``timeout`` seconds for the job
        that is running (the thread is a daemon and does not keep the process alive). Jobs still
        queued are dropped, unless ``finish_queued``: their calls stay ``ingested`` in the
        catalogue, and the release page offers to start them again; a dropped cleanup is left to
        the retention flow."""
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
                self._done(dropped)
            self._lock.notify_all()
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is _STOP:
                return
            cleanup = isinstance(job, ForgetRuns)
            if not cleanup:
                with self._lock:
                    self._queued -= 1
            try:
                if cleanup:
                    self._forget(job)
                else:
                    self._run(job)
            except BaseException as err:  # noqa: BLE001 - one failed job never ends the worker
                if cleanup:
                    logger.warning("erasure %s: the Prefect runs of its calls could not be forgotten (%s); the "
                                   "retention flow removes them", job.request_id, type(err).__name__)
                else:
                    logger.warning("transcription of %s could not run: %s", job.call_id, type(err).__name__)
                    self._mark_failed(job, err)
            finally:
                with self._lock:
                    if cleanup:
                        self._cleanups.discard(job.request_id)
                    else:
                        self._waiting.discard(job.call_id)
                    self._lock.notify_all()

    def _done(self, job: Job | ForgetRuns) -> None:
        """Forget a job dropped from the queue (the lock is held)."""
        if isinstance(job, ForgetRuns):
            self._cleanups.discard(job.request_id)
        else:
            self._queued -= 1
            self._waiting.discard(job.call_id)

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
