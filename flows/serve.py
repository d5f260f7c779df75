"""Deployments of callscribe's flows, served from this process: ``python -m flows.serve``.

- ``transcribe-recordings/on-request``: no schedule; the complaint desk or a coach starts a run
  with recording ids and a purpose (``prefect deployment run 'transcribe-recordings/on-request'
  -p recording_ids='["TBI-2026-000101"]' -p purpose=quality``), or ``callscribe transcribe``.

Later flows (retention, coaching draws) add their scheduled deployments here.
"""

from __future__ import annotations

import flows  # noqa: F401 - offline defaults before prefect is imported
from prefect import serve

from flows.transcribe import with_concurrency
from pipeline.settings import get_settings


def deployments() -> list:
    """The deployments this module serves, configured from the current settings."""
    settings = get_settings()
    return [
        with_concurrency(settings.max_parallel).to_deployment(
            name="on-request",
            description="Transcribe and redact catalogued recordings on request (ids and purpose only).",
            tags=["callscribe"],
        ),
    ]


if __name__ == "__main__":
    serve(*deployments())
