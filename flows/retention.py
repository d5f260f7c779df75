"""The ``expire_recordings`` flow: the retention policy, run daily at 02:30 Europe/Amsterdam.

It expires recordings in the catalogue and the store (``callscribe.pipeline.policy.retention``), then forgets what
callscribe put into Prefect about them: flow runs of the flows that carry recording ids, with
their artifacts, older than the retention period. The report holds counts, dates and at most one
call id; it is returned and published as table artifacts.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError

from callscribe.pipeline.policy import outbox, retention
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage import catalogue

# Flows whose runs name recordings (parameters, logs, artifacts).
RECORDING_FLOWS = ("transcribe-recordings", "draw-coaching-sample", "release-request", "carry-out-subject-request")
_PAGE = 200
_WAIT_S = 900  # how long an erasure waits for a running transcription of the same call to end
_POLL_S = 2.0


@task(name="expire-store", cache_policy=NO_CACHE, persist_result=False)
def expire_store(now: datetime | None, dry_run: bool, run_by: str | None) -> dict:
    """Expire catalogue rows and their files; sweep orphans. Returns the report as a dict."""
    settings = get_settings()
    report = retention.run(
        catalogue.get_engine(settings.catalogue_url), settings.home, run_by, now=now, dry_run=dry_run,
        simulated_clock=settings.simulated_clock, retention_days=settings.retention_days,
        timezone=settings.retention_timezone,
    )
    _publish(report)
    return report.as_dict()


@task(name="expire-outbox", cache_policy=NO_CACHE, persist_result=False)
def expire_outbox(now: datetime) -> int:
    """Remove outbox files (customer transcripts, listen-back copies, exports) past their own expiry."""
    settings = get_settings()
    return outbox.sweep(catalogue.get_engine(settings.catalogue_url), settings.outbox_dir, now)


@task(name="forget-prefect-runs", cache_policy=NO_CACHE, persist_result=False)
def forget_prefect_runs(before: datetime, dry_run: bool) -> dict:
    """Delete flow runs of :data:`RECORDING_FLOWS` expected to start before ``before``, with their
    artifacts (their logs go with the server's orphan vacuum). Best effort: an unreachable API is
    reported, not raised."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterExpectedStartTime,
    )

    logger = get_run_logger()
    runs = artifacts = 0
    seen = set()
    try:
        with get_client(sync_client=True) as client:
            while True:
                page = client.read_flow_runs(
                    flow_filter=FlowFilter(name=FlowFilterName(any_=list(RECORDING_FLOWS))),
                    flow_run_filter=FlowRunFilter(expected_start_time=FlowRunFilterExpectedStartTime(before_=before)),
                    limit=_PAGE, offset=len(seen) if dry_run else 0,
                )
                page = [run for run in page if run.id not in seen]
                if not page:
                    break
                ids = [run.id for run in page]
                seen.update(ids)
                found = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=ids)))
                artifacts += len(found)
                runs += len(ids)
                if dry_run:
                    continue
                for artifact in found:
                    client.delete_artifact(artifact.id)
                for run_id in ids:
                    client.delete_flow_run(run_id)
    except Exception as err:  # noqa: BLE001 - best effort: the store is what must be clean
        logger.warning("could not clean Prefect runs (%s); the next run tries again", type(err).__name__)
        return {"prefect_runs_deleted": runs, "prefect_artifacts_deleted": artifacts, "prefect_error": type(err).__name__}
    logger.info("%s %d Prefect flow run(s) and %d artifact(s) from before %s",
                "would delete" if dry_run else "deleted", runs, artifacts, before.isoformat())
    return {"prefect_runs_deleted": runs, "prefect_artifacts_deleted": artifacts, "prefect_error": None}


@task(name="forget-runs-of-recordings", cache_policy=NO_CACHE, persist_result=False)
def forget_runs_of(call_ids: list[str]) -> int:
    """Delete the flow runs (with their artifacts) whose parameters name any of ``call_ids``: an
    early erasure leaves in Prefect what expiry leaves. Best effort, like :func:`forget_prefect_runs`."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowFilter,
        FlowFilterName,
    )

    wanted = set(call_ids)
    deleted = 0
    try:
        with get_client(sync_client=True) as client:
            offset = 0
            doomed = []
            while True:
                page = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=list(RECORDING_FLOWS))),
                                             limit=_PAGE, offset=offset)
                if not page:
                    break
                offset += len(page)
                doomed += [run for run in page if wanted & set(_named_ids(run.parameters))]
            # A run still going is not pulled from under its process: it drops the erased calls at
            # its next step (their claim is gone) and ends; then it goes too.
            still_running = [run.id for run in doomed if run.state is not None and _is_going(run.state)
                             and not _wait_until_final(client, run.id)]
            if still_running:
                _logger().warning("%d run(s) naming erased recordings still running after %d s; the retention "
                                         "period removes them", len(still_running), _WAIT_S)
            doomed = [run.id for run in doomed if run.id not in still_running]
            if doomed:
                for artifact in client.read_artifacts(
                        artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=doomed))):
                    client.delete_artifact(artifact.id)
            for run_id in doomed:
                client.delete_flow_run(run_id)
                deleted += 1
    except Exception as err:  # noqa: BLE001 - best effort: the store is what must be clean
        _logger().warning("could not clean Prefect runs (%s); the retention period removes them", type(err).__name__)
    return deleted


def _logger():
    """The run's logger inside a flow run; this module's logger when called outside one (the web
    application's background worker calls :func:`forget_runs_of` directly)."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


def _is_going(state) -> bool:
    return state.is_running() or state.is_cancelling()


# The clock and the pause of the wait below, named here so that a test replaces these two and not
# the process-wide ``time.monotonic`` / ``time.sleep`` that Prefect's own event loop runs on.
_clock = time.monotonic
_pause = time.sleep


def _wait_until_final(client, run_id) -> bool:
    """Wait (at most :data:`_WAIT_S`) for a running flow run to end; whether it did."""
    deadline = _clock() + _WAIT_S
    while True:
        state = client.read_flow_run(run_id).state
        if state is None or not _is_going(state):
            return True
        if _clock() >= deadline:
            return False
        _pause(_POLL_S)


def _named_ids(parameters: dict) -> list[str]:
    ids = parameters.get("recording_ids") or []
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


def _publish(report: retention.RetentionReport) -> None:
    create_table_artifact(key="retention-report", table=report.to_frame().to_dict("records"),
                          description=report.summary_line())
    create_table_artifact(key="retention-by-call-date", table=report.days_frame().to_dict("records"),
                          description="recordings, files and bytes per local call date")


@flow(name="expire-recordings", persist_result=False)
def expire_recordings(now: datetime | None = None, dry_run: bool = False, run_by: str | None = None) -> dict:
    """Delete every recording past its retention period, and everything derived from it.

    Args:
        now: look at the policy as if at this moment, in a dry run (without a UTC offset it is read
            in the retention timezone). Default: the current time.
        dry_run: report what would go and change nothing.
        run_by: login name of the user who starts the run (checked for ``retention.run``);
            default the daily schedule.

    Returns:
        The report: counts, bytes, per call date, oldest remaining recording and its expiry, and
        the Prefect flow runs and artifacts deleted.
    """
    settings = get_settings()
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo(settings.retention_timezone))
    report = expire_store(now, dry_run, run_by)
    now = datetime.fromisoformat(report["now"])
    if not dry_run:
        report["outbox_expired"] = expire_outbox(now)
    before = now.astimezone(ZoneInfo(settings.retention_timezone)) - timedelta(days=settings.retention_days)
    report.update(forget_prefect_runs(before, dry_run))
    logger = get_run_logger()
    logger.info(
        "%s %d recording(s), %d file(s), %d bytes; %d orphan file(s); %d failed",
        "would expire" if dry_run else "expired", report["recordings_expired"], report["files_deleted"],
        report["bytes_deleted"], report["orphans_swept"], report["failed"],
    )
    if report["failed"]:
        logger.error("%d recording(s) could not be deleted completely; they stay 'expiring' and the next "
                     "run finishes them (see the warnings above for their ids)", report["failed"])
    return report
