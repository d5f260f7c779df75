"""callscribe's deployments served from this one process, without a worker:
``python -m callscribe.flows.serve``.

Kept for a quick look on a workstation; a deployment runs ``callscribe server`` (with its worker)
or ``callscribe server --no-worker`` and ``callscribe worker`` instead (README, *Flows and
schedules*): Prefect's ``serve`` pauses the schedules when it stops and keeps no work pool, so
the command line cannot hand its flows to it. The deployments, their schedules and parameters
are those of :mod:`callscribe.flows.deployments`:

- ``transcribe-recordings/on-request``: no schedule; recording ids and a purpose.
- ``expire-recordings/daily``: every day at 02:30 in the retention timezone (Europe/Amsterdam):
  on the spring-forward day, when 02:30 does not exist, Prefect runs it at 03:30; in October it
  runs once. A run deletes what expired since the last one, so no recording stays more than a
  day past its expiry; it also removes outbox files past their own expiry.
- ``draw-coaching-sample/monthly``: at 03:00 Europe/Amsterdam on the first day of each month it
  draws one call per employee from the month that just ended, transcribes and redacts the picks.
- ``release-request/on-request`` and ``carry-out-subject-request/on-request``: no schedule; the
  request id and the acting user id only.
"""

from __future__ import annotations

from callscribe.flows import configure_prefect
from callscribe.flows.deployments import COACHING_CRON, RETENTION_CRON, deployments

__all__ = ["COACHING_CRON", "RETENTION_CRON", "deployments"]

if __name__ == "__main__":
    configure_prefect()  # this module is an entry point: Prefect's offline defaults before Prefect loads
    from prefect import serve

    serve(*deployments())
