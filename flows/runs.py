"""The runs of callscribe's deployments on the configured Prefect server, for ``callscribe runs``.

Read from the server's API: the flow run's id, its deployment, state, start and duration, and
how far it got; never its parameters (ids only even so) or logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from callscribe.flows.deployments import POOL

_STORED = "store "  # task run names of the transcription's last stage: "store {call_id}"


@dataclass(frozen=True)
class RunRow:
    """One flow run: ``progress`` is filled while it runs (recordings stored, or tasks done)."""

    run_id: str
    deployment: str
    state: str
    start: datetime | None
    seconds: float | None
    progress: str | None


def _deployments(client, pool: str) -> dict:
    from prefect.client.schemas.filters import WorkPoolFilter, WorkPoolFilterName

    found = client.read_deployments(work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=[pool])))
    flows = {flow.id: flow.name for flow in client.read_flows()}
    return {d.id: (f"{flows.get(d.flow_id, '?')}/{d.name}", d) for d in found}


def recent_runs(limit: int, pool: str = POOL) -> list[RunRow]:
    """The ``limit`` latest runs (newest first) of the deployments in ``pool`` that are due: runs
    scheduled for later are left out (:func:`next_runs`)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId, FlowRunFilterExpectedStartTime
    from prefect.client.schemas.sorting import FlowRunSort

    now = datetime.now(UTC)
    with get_client(sync_client=True) as client:
        names = _deployments(client, pool)
        if not names:
            return []
        found = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=list(names)),
                                          expected_start_time=FlowRunFilterExpectedStartTime(before_=now)),
            sort=FlowRunSort.EXPECTED_START_TIME_DESC, limit=limit)
        rows = []
        for run in found:
            running = run.state is not None and run.state.is_running()
            if run.start_time is None:
                seconds = None
            elif running:
                seconds = (now - run.start_time).total_seconds()
            else:
                seconds = run.total_run_time.total_seconds()
            rows.append(RunRow(str(run.id), names[run.deployment_id][0], run.state.name if run.state else "-",
                               run.start_time, seconds, _progress(client, run) if running else None))
    return rows


def _progress(client, run) -> str:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
    done = [t for t in tasks if t.state is not None and t.state.is_completed()]
    asked = run.parameters.get("recording_ids")
    if isinstance(asked, list) and asked:
        stored = sum(1 for t in done if t.name.startswith(_STORED))
        return f"{stored}/{len(asked)} recording(s) done"
    return f"{len(done)} task(s) done"


def next_runs(pool: str = POOL) -> list[tuple[str, datetime]]:
    """The next scheduled run of each deployment in ``pool`` that has one, soonest first."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    upcoming = {}
    with get_client(sync_client=True) as client:
        names = _deployments(client, pool)
        if not names:
            return []
        scheduled = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=list(names)),
                                          state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=50)
        for run in scheduled:
            name = names[run.deployment_id][0]
            if run.next_scheduled_start_time is not None and run.expected_start_time > datetime.now(UTC):
                upcoming.setdefault(name, run.expected_start_time)
    return sorted(upcoming.items(), key=lambda item: item[1])
