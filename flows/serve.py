"""Deployments of callscribe's flows, served from this process: ``python -m callscribe.flows.serve``.

- ``transcribe-recordings/on-request``: no schedule; the complaint desk or a coach starts a run
  with recording ids and a purpose (``prefect deployment run 'transcribe-recordings/on-request'
  -p recording_ids='["TBI-2026-000101"]' -p purpose=quality``), or ``callscribe transcribe``.

- ``expire-recordings/daily``: every day at 02:30 in the retention timezone (Europe/Amsterdam):
  on the spring-forward day, when 02:30 does not exist, Prefect runs it at 03:30; in October it
  runs once. A run deletes what expired since the last one, so no recording stays more than a
  day past its expiry; it also removes outbox files past their own expiry.

- ``draw-coaching-sample/monthly``: at 03:00 Europe/Amsterdam on the first day of each month it
  draws one call per employee from the month that just ended, transcribes and redacts the picks
  (three months make the quarter's three calls, each reviewable before it expires).

- ``release-request/on-request`` and ``carry-out-subject-request/on-request``: no schedule;
  ``callscribe requests release`` and ``callscribe subjects execute`` run them after a second
  person approved (parameters: request id and the acting user id only).
"""

from __future__ import annotations

from callscribe.flows import configure_prefect

configure_prefect()  # this module is an entry point: Prefect's offline defaults before Prefect loads

from prefect import serve  # noqa: E402
from prefect.schedules import Cron  # noqa: E402

from callscribe.flows.coaching import draw_coaching_sample  # noqa: E402
from callscribe.flows.release import release_request  # noqa: E402
from callscribe.flows.retention import expire_recordings  # noqa: E402
from callscribe.flows.subjects import carry_out_subject_request  # noqa: E402
from callscribe.flows.transcribe import with_concurrency  # noqa: E402
from callscribe.pipeline.settings import get_settings  # noqa: E402

RETENTION_CRON = "30 2 * * *"
COACHING_CRON = "0 3 1 * *"


def deployments() -> list:
    """The deployments this module serves, configured from the current settings."""
    settings = get_settings()
    zone = settings.retention_timezone
    return [
        with_concurrency(settings.max_parallel).to_deployment(
            name="on-request",
            description="Transcribe and redact catalogued recordings on request (ids and purpose only).",
            tags=["callscribe"],
        ),
        expire_recordings.to_deployment(
            name="daily",
            description="Delete recordings past the retention period and everything derived from them.",
            schedules=[Cron(RETENTION_CRON, timezone=zone)],
            tags=["callscribe"],
        ),
        draw_coaching_sample.to_deployment(
            name="monthly",
            description="Draw one call per employee from the month that ended; transcribe and redact the picks.",
            schedules=[Cron(COACHING_CRON, timezone=zone)],
            tags=["callscribe", "coaching"],
        ),
        release_request.to_deployment(
            name="on-request",
            description="Release an approved transcript or listen-back request into the outbox.",
            tags=["callscribe", "requests"],
        ),
        carry_out_subject_request.to_deployment(
            name="on-request",
            description="Carry out an approved data-subject request (access export or early erasure).",
            tags=["callscribe", "subjects"],
        ),
    ]


if __name__ == "__main__":
    serve(*deployments())
