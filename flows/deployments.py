"""callscribe's deployments, registered on a Prefect server for a process work pool.

Five deployments (table in the README, *Flows and schedules*): two on a schedule, in the retention
timezone, and three that the command line (and later the web application) starts on request. Each
names its flow by module path (``callscribe.flows.release.release_request``), so a process worker
of the installed package imports it without pulling code from anywhere. :func:`register` creates the
work pool when missing and upserts the deployments, schedules included; registering again (every
worker start) changes nothing else, so the schedules live in the server's database and survive a
restart of the server or the worker.

Parameters are ids only: recording, request and user ids, a purpose, a month.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

POOL = "callscribe"
RETENTION_CRON = "30 2 * * *"
COACHING_CRON = "0 3 1 * *"

# "flow name/deployment name", as run_deployment and `prefect deployment run` take them
TRANSCRIBE = "transcribe-recordings/on-request"
RETENTION = "expire-recordings/daily"
COACHING = "draw-coaching-sample/monthly"
RELEASE = "release-request/on-request"
SUBJECT_REQUEST = "carry-out-subject-request/on-request"
NAMES = (TRANSCRIBE, RETENTION, COACHING, RELEASE, SUBJECT_REQUEST)


def deployments(work_pool_name: str | None = None) -> list:
    """The deployments, configured from the current settings (timezone, concurrency)."""
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    from callscribe.flows.coaching import draw_coaching_sample
    from callscribe.flows.release import release_request
    from callscribe.flows.retention import expire_recordings
    from callscribe.flows.subjects import carry_out_subject_request
    from callscribe.flows.transcribe import transcribe_recordings
    from callscribe.pipeline.settings import get_settings

    zone = get_settings().retention_timezone
    common = {"entrypoint_type": EntrypointType.MODULE_PATH, "work_pool_name": work_pool_name}
    return [
        # its task runner follows the worker's settings when a run starts (transcribe.FromSettings)
        transcribe_recordings.to_deployment(
            name="on-request",
            description="Transcribe and redact catalogued recordings on request (ids and purpose only).",
            tags=["callscribe"], **common,
        ),
        expire_recordings.to_deployment(
            name="daily",
            description="Delete recordings past the retention period and everything derived from them.",
            schedules=[Cron(RETENTION_CRON, timezone=zone)], tags=["callscribe"], **common,
        ),
        draw_coaching_sample.to_deployment(
            name="monthly",
            description="Draw one call per employee from the month that ended; transcribe and redact the picks.",
            schedules=[Cron(COACHING_CRON, timezone=zone)], tags=["callscribe", "coaching"], **common,
        ),
        release_request.to_deployment(
            name="on-request",
            description="Release an approved transcript or listen-back request into the outbox.",
            tags=["callscribe", "requests"], **common,
        ),
        carry_out_subject_request.to_deployment(
            name="on-request",
            description="Carry out an approved data-subject request (access export or early erasure).",
            tags=["callscribe", "subjects"], **common,
        ),
    ]


def register(pool: str = POOL) -> dict[str, str]:
    """Create the process work pool ``pool`` when missing and upsert the deployments into it, on
    the configured Prefect server. Returns deployment name → deployment id."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(pool)
        except ObjectNotFound:
            try:
                client.create_work_pool(WorkPoolCreate(
                    name=pool, type=ProcessWorker.type,
                    base_job_template=ProcessWorker.get_default_base_job_template(),
                    description="callscribe's flows, run as processes of the installed package."))
            except ObjectAlreadyExists:  # another worker made it meanwhile
                pass
    registered = {}
    for deployment in deployments(pool):
        registered[f"{deployment.flow_name}/{deployment.name}"] = str(deployment.apply())
    logger.info("%d deployment(s) registered in work pool %s", len(registered), pool)
    return registered


def is_registered(name: str) -> bool:
    """Whether the configured Prefect server knows deployment ``name`` (``flow/deployment``)."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_deployment_by_name(name)
        except ObjectNotFound:
            return False
    return True
