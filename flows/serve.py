"""Deployments of callscribe's flows, served from this process: ``python -m flows.serve``.

- ``transcribe-recordings/on-request``: no schedule; the complaint desk or a coach starts a run
  with recording ids and a purpose (``prefect deployment run 'transcribe-recordings/on-request'
  -p recording_ids='["TBI-2026-000101"]' -p purpose=quality``), or ``callscribe transcribe``.

- ``expire-recordings/daily``: every day at 02:30 in the retention timezone (Europe/Amsterdam):
  on the spring-forward day, when 02:30 does not exist, Prefect runs it at 03:30; in October it
  runs once. A run deletes what expired since the last one, so no recording stays more than a
  day past its expiry.

Later flows (coaching draws) add their scheduled deployments here.
"""

from __future__ import annotations

import flows  # noqa: F401 - offline defaults before prefect is imported
from prefect import serve
from prefect.schedules import Cron

from flows.retention import expire_recordings
from flows.transcribe import with_concurrency
from pipeline.settings import get_settings

RETENTION_CRON = "30 2 * * *"


def deployments() -> list:
    """The deployments this module serves, configured from the current settings."""
    settings = get_settings()
    return [
        with_concurrency(settings.max_parallel).to_deployment(
            name="on-request",
            description="Transcribe and redact catalogued recordings on request (ids and purpose only).",
            tags=["callscribe"],
        ),
        expire_recordings.to_deployment(
            name="daily",
            description="Delete recordings past the retention period and everything derived from them.",
            schedules=[Cron(RETENTION_CRON, timezone=settings.retention_timezone)],
            tags=["callscribe"],
        ),
    ]


if __name__ == "__main__":
    serve(*deployments())
