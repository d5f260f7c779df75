"""The ``transcribe_recordings`` flow: load → transcribe → redact → store for each recording.

Tasks take and return recording ids, store paths and counts only; transcript text stays inside a
task (in memory) or in the encrypted raw transcript, so nothing personal lands in Prefect's
parameters, results, logs or artifacts. Retries are for I/O errors only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from sqlalchemy.exc import OperationalError

from callscribe.flows import progress
from callscribe.pipeline import process
from callscribe.pipeline.errors import CallscribeError, ConfigurationError, ProcessingError, StoreError
from callscribe.pipeline.policy import transcribing
from callscribe.pipeline.settings import Settings, available_cores, get_settings
from callscribe.pipeline.storage import catalogue, transcripts

PURPOSES = transcribing.PURPOSES
STAGES = ("load", "transcribe", "redact", "store")


def _io_only(task, task_run, state) -> bool:
    """Retry condition: only I/O errors (files, database connections) are worth another try."""
    try:
        state.result()
    except (OSError, OperationalError):
        return True
    except BaseException:  # noqa: BLE001 - everything else fails at once
        return False
    return False


_task_options = dict(retries=2, retry_delay_seconds=2, retry_condition_fn=_io_only, cache_policy=NO_CACHE,
                     persist_result=False)


def _safe(stage: str, call_id: str, err: Exception) -> Exception:
    """Keep callscribe's own (safe) errors and I/O errors; reduce anything else to its type."""
    if isinstance(err, CallscribeError | OSError | OperationalError):
        return err
    return ProcessingError(f"{stage} failed for recording {call_id}: {type(err).__name__}")


@task(name="load-recording", task_run_name="load {call_id}", **_task_options)
def load_recording(call_id: str) -> str:
    """Check the recording is catalogued and its stored audio unchanged; claim it (``processing``).

    Returns:
        The path of the audio in the managed transcripts.
    """
    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    path = catalogue.verified_audio(settings.home, catalogue.get_recording(engine, call_id))
    catalogue.claim(engine, call_id)  # one run at a time; a dead run's claim lapses after its lease
    return str(path)


@task(name="transcribe-recording", task_run_name="transcribe {call_id}", **_task_options)
def transcribe_recording(call_id: str, audio_path: str, lanes: int | None = None) -> str:
    """Transcribe a recording and keep the unredacted transcript encrypted (``lanes``: the
    transcriptions the loaded model serves at once; default the setting's).

    Returns:
        The recording's transcript folder.
    """
    settings = get_settings()
    logger = get_run_logger()
    try:
        transcript = process.transcribe_file(
            Path(audio_path), settings, label=call_id,
            on_progress=lambda done, total: progress.report(call_id, done, total), num_workers=lanes,
        )
        folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id)
        key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
        _while_claimed(call_id, folder, lambda: transcripts.write_raw(folder.path, transcript, key))
    except Exception as err:
        raise _safe("transcribe", call_id, err) from None
    logger.info(
        "recording %s: %.1f s audio, %d segment(s), %d dropped, %.1f s processing",
        call_id, transcript.duration, len(transcript.segments), transcript.dropped_segments,
        transcript.processing_seconds,
    )
    return str(folder.path)


def _while_claimed(call_id: str, folder: transcripts.TranscriptFolder, write) -> None:
    """Run ``write`` (which writes into ``folder``) only while this run's claim on the recording
    stands, and take back everything in the folder when retention or an erasure took the recording
    meanwhile: a deleted call leaves nothing of its transcription behind.

    Raises:
        StoreError: the recording is being deleted.
    """
    engine = catalogue.get_engine(get_settings().catalogue_url)
    gone = StoreError(f"recording {call_id} was deleted during its transcription (retention or erasure); "
                      "nothing of it is kept")
    if not catalogue.is_claimed(engine, call_id):
        raise gone
    write()
    if not catalogue.is_claimed(engine, call_id):
        for name in transcripts.TranscriptFolder.FILES:
            (folder.path / name).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            folder.path.rmdir()
        raise gone


@task(name="redact-recording", task_run_name="redact {call_id}", **_task_options)
def redact_recording(call_id: str, transcript_folder: str, purpose: str) -> dict:
    """Redact the stored transcript and write the redacted JSON and Markdown.

    Returns:
        Counts only: audio seconds, transcription seconds and entities per type.
    """
    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    folder = Path(transcript_folder)
    try:
        recording = catalogue.get_recording(engine, call_id)
        key = transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
        transcript = transcripts.read_raw(folder, key)
        redacted = process.redact_transcript(transcript, settings)
        _while_claimed(call_id, transcripts.TranscriptFolder(folder), lambda: transcripts.write_redacted(
            folder, call_id, recording.call_start, transcript, redacted, purpose, settings.retention_timezone))
    except Exception as err:
        raise _safe("redact", call_id, err) from None
    counts = redacted.entity_counts()
    get_run_logger().info("recording %s: %d entities redacted %s", call_id, sum(counts.values()), counts)
    return {
        "audio_seconds": transcript.duration,
        "transcription_seconds": transcript.processing_seconds,
        "entities": counts,
    }


@task(name="store-result", task_run_name="store {call_id}", **_task_options)
def store_result(call_id: str, outcome: dict) -> dict:
    """Mark the recording transcribed in the catalogue."""
    settings = get_settings()
    catalogue.finish(catalogue.get_engine(settings.catalogue_url), call_id, catalogue.RecordingState.TRANSCRIBED)
    return outcome


@task(name="record-failure", task_run_name="failed {call_id}", **_task_options)
def record_failure(call_id: str, reason: str, claimed: bool) -> None:
    """Mark the recording failed with a reason that holds no personal data (``claimed``: this run
    held the claim; otherwise only a recording nobody claimed is marked)."""
    settings = get_settings()
    catalogue.finish(catalogue.get_engine(settings.catalogue_url), call_id, catalogue.RecordingState.FAILED,
                     reason[:500], claimed=claimed)


class FromSettings(TaskRunner):
    """The task runner a run of the flow gets, chosen from the settings as the run starts (see
    :func:`task_runner`): Prefect enters ``duplicate()`` of a flow's runner for each run, so a
    deployment's runs follow the settings of the worker that runs them. ``max_parallel``: the
    thread pool's size instead of the setting's."""

    def __init__(self, max_parallel: int | None = None):
        super().__init__()
        self.max_parallel = max_parallel

    def duplicate(self) -> TaskRunner:
        return task_runner(get_settings(), self.max_parallel)

    def submit(self, task, parameters, wait_for=None, dependencies=None):
        raise RuntimeError("FromSettings only chooses a task runner; submit to the one duplicate() returns")


def task_runner(settings: Settings, max_parallel: int | None = None) -> TaskRunner:
    """Where the flow's tasks run: on the Dask cluster at ``dask_address``; else on a local Dask
    cluster of ``dask_workers`` processes when more than one is asked for (each with a share of
    the cores for its Whisper threads, unless ``CALLSCRIBE_CPU_THREADS`` is set); else in a pool of
    ``max_parallel`` threads in this process (default the setting)."""
    if settings.on_dask:
        from distributed import LocalCluster
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        env = {} if "CALLSCRIBE_CPU_THREADS" in os.environ else {
            "CALLSCRIBE_CPU_THREADS": str(max(1, available_cores() // settings.dask_workers))}
        return DaskTaskRunner(cluster_class=LocalCluster, cluster_kwargs=dict(
            n_workers=settings.dask_workers, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, env=env))
    return ThreadPoolTaskRunner(max_workers=max_parallel or settings.max_parallel)


def check_store(runner: TaskRunner) -> None:
    """On a Dask cluster, check that every worker sees this home's store (the same files at the
    same path) and can read the transcript key: a file made here must be visible there.

    Raises:
        ConfigurationError: a worker cannot work on this store; the message names the fix.
    """
    client = getattr(runner, "client", None)
    if client is None or not type(runner).__module__.startswith("prefect_dask"):
        return  # threads in this process share its store
    settings = get_settings()
    settings.transcripts_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    probe = settings.transcripts_dir / f".store-check-{secrets.token_hex(8)}"
    probe.touch(mode=0o600)
    try:
        answers = client.run(sees_store, str(settings.home), probe.name)
    finally:
        probe.unlink(missing_ok=True)
    problems = sorted(problem for problem in answers.values() if problem)
    if problems:
        raise ConfigurationError(
            f"{len(problems)} of {len(answers)} Dask worker(s) cannot work on this store: {problems[0]}")


def sees_store(home: str, probe_name: str) -> str | None:
    """On a Dask worker: why it cannot work on the store at ``home`` (None when it can)."""
    settings = get_settings()
    if str(settings.home) != home:
        return f"its CALLSCRIBE_HOME is {settings.home}, not {home}; give every worker the same home"
    if not (settings.transcripts_dir / probe_name).exists():
        return f"{home} on the worker is not this store; mount the shared store at the same path"
    try:
        transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)
    except CallscribeError as err:
        return f"the transcript key: {err}"
    return None


@flow(name="transcribe-recordings", task_runner=FromSettings(), persist_result=False)
def transcribe_recordings(recording_ids: list[str], purpose: str = "quality") -> dict:
    """Transcribe and redact recordings from the catalogue, in parallel with bounded concurrency.

    Args:
        recording_ids: catalogue call ids.
        purpose: why the calls are transcribed: coaching, quality, access_request or demo.

    Returns:
        A summary without personal data: counts, audio minutes, real-time factor, entities by
        type, and failures with their reasons.
    """
    logger = get_run_logger()
    if purpose not in PURPOSES:
        raise ConfigurationError(f"unknown purpose {purpose!r}; valid: {', '.join(PURPOSES)}")
    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    asked = list(dict.fromkeys(recording_ids))
    # Checked again here: a run started another way (a deployment) needs a purpose too.
    unjustified = set(transcribing.unjustified(engine, asked, purpose))
    ids = [i for i in asked if i not in unjustified]
    if unjustified:
        logger.warning("%d recording(s) left out: no purpose %s for them", len(unjustified), purpose)
    process.model_info(settings)  # assemble the bundled model once, before tasks race for it
    check_store(FlowRunContext.get().task_runner)
    lanes = _lanes()
    if ids and available_cores() > lanes * (settings.cpu_threads or available_cores()):
        process.warm_redactor(settings)  # spare cores: Presidio and spaCy load beside the first transcription
    started = time.perf_counter()
    logger.info("transcribing %d recording(s) for %s", len(ids), purpose)

    stages = {"load": load_recording, "transcribe": transcribe_recording, "redact": redact_recording,
              "store": store_result}
    futures: dict[tuple[str, str], object] = {}
    for stage, call_id in submission_order(ids, lanes):
        upstream = {"load": (), "transcribe": (futures.get(("load", call_id)), lanes),
                    "redact": (futures.get(("transcribe", call_id)), purpose),
                    "store": (futures.get(("redact", call_id)),)}[stage]
        futures[stage, call_id] = stages[stage].submit(call_id, *upstream)
    loads, transcribes, redacts, stores = ({i: futures[stage, i] for i in ids} for stage in STAGES)

    outcomes: dict[str, dict] = {}
    failures = {i: f"no purpose {purpose}: {transcribing.NO_PURPOSE}" for i in asked if i in unjustified}
    for call_id in ids:
        chain = (loads[call_id], transcribes[call_id], redacts[call_id], stores[call_id])
        for future in chain:
            future.wait()
        if stores[call_id].state.is_completed():
            outcomes[call_id] = stores[call_id].result()
            continue
        failures[call_id] = _failure_reason(chain)
        if _is_known(engine, call_id):
            record_failure(call_id, failures[call_id], claimed=loads[call_id].state.is_completed())
    summary = _summary(asked, outcomes, failures, time.perf_counter() - started)
    create_table_artifact(
        key="transcription-summary",
        table=[{"recording_id": i, "state": "transcribed" if i in outcomes else "failed",
                "audio_s": round(outcomes.get(i, {}).get("audio_seconds", 0.0), 1),
                "entities": sum(outcomes.get(i, {}).get("entities", {}).values()),
                "reason": failures.get(i, "")} for i in asked],
        description=_summary_line(summary),
    )
    logger.info(_summary_line(summary))
    return summary


def submission_order(ids: list[str], lanes: int) -> list[tuple[str, str]]:
    """``(stage, call id)`` in the order the flow submits its tasks to ``lanes`` workers.

    Workers take tasks in this order, and every task comes after the task it waits on, so a worker
    never waits on a task no worker has taken. Each call is redacted and stored as soon as a
    worker is free after its transcription: with one lane right after it (the first redaction
    loads the redactor while later calls wait their turn), with more lanes while the next
    ``lanes - 1`` transcriptions run, so transcriptions keep running side by side.
    """
    lag = max(lanes, 1) - 1
    order: list[tuple[str, str]] = []
    for n, call_id in enumerate(ids):
        order += [("load", call_id), ("transcribe", call_id)]
        if n >= lag:
            order += [("redact", ids[n - lag]), ("store", ids[n - lag])]
    for call_id in ids[max(len(ids) - lag, 0):] if lag else ():
        order += [("redact", call_id), ("store", call_id)]
    return order


def _lanes() -> int:
    """How many tasks this flow run's task runner runs at once (1 when it does not say)."""
    context = FlowRunContext.get()
    workers = getattr(getattr(context, "task_runner", None), "_max_workers", 1)
    return workers if isinstance(workers, int) and 0 < workers < 1000 else 1


def _is_known(engine, call_id: str) -> bool:
    try:
        catalogue.get_recording(engine, call_id)
    except CallscribeError:
        return False
    return True


def _failure_reason(chain) -> str:
    for stage, future in zip(STAGES, chain):
        if future.state.is_failed():
            err = future.result(raise_on_failure=False)
            if isinstance(err, CallscribeError):
                return str(err)
            return f"{stage}: {type(err).__name__}"
    return "not run"


def _summary(ids: list[str], outcomes: dict[str, dict], failures: dict[str, str], wall: float) -> dict:
    audio_seconds = sum(o["audio_seconds"] for o in outcomes.values())
    entities: dict[str, int] = {}
    for outcome in outcomes.values():
        for kind, count in outcome["entities"].items():
            entities[kind] = entities.get(kind, 0) + count
    return {
        "recordings": len(ids),
        "transcribed": len(outcomes),
        "failed": len(failures),
        "audio_minutes": round(audio_seconds / 60, 2),
        "wall_seconds": round(wall, 1),
        "real_time_factor": round(wall / audio_seconds, 3) if audio_seconds else None,
        "entities_by_type": dict(sorted(entities.items())),
        "failures": [{"recording_id": i, "reason": r} for i, r in failures.items()],
    }


def _summary_line(summary: dict) -> str:
    return (
        f"{summary['transcribed']}/{summary['recordings']} recording(s) transcribed, "
        f"{summary['failed']} failed, {summary['audio_minutes']} audio min, "
        f"RTF {summary['real_time_factor']}, entities {summary['entities_by_type']}"
    )


def with_concurrency(max_parallel: int):
    """The flow with ``max_parallel`` recordings at a time when it runs on threads (a Dask cluster
    from the settings takes precedence)."""
    if max_parallel < 1:
        raise ConfigurationError("max_parallel must be at least 1 (setting CALLSCRIBE_MAX_PARALLEL)")
    return transcribe_recordings.with_options(task_runner=FromSettings(max_parallel))
