"""The ``carry-out-subject-request`` flow: an approved data-subject request, carried out.

Access: recordings not yet transcribed are transcribed and redacted first (purpose
``access_request``), then each recording's metadata and redacted transcript go to the outbox.
Erasure: the recordings are deleted through the retention mechanism, and the Prefect runs whose
parameters name them are deleted too, so an erased recording leaves what an expired one leaves.
Parameters and results hold the request id, user ids and counts only.
"""

from __future__ import annotations

from prefect import flow, get_run_logger

from callscribe.flows.retention import forget_runs_of
from callscribe.flows.transcribe import with_concurrency
from callscribe.pipeline.policy import subjects
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage import catalogue


@flow(name="carry-out-subject-request", persist_result=False)
def carry_out_subject_request(request_id: str, executed_by: str, override_holds: bool = False) -> dict:
    """Carry out an approved access or erasure request.

    Args:
        request_id: the subject request (``AVG-…``), approved by a second person.
        executed_by: the user carrying it out (manager, teamleider or ict_backoffice).
        override_holds: erase calls under a legal hold too (an explicit decision, audited).

    Returns:
        Request id, kind, recordings found, exported or erased, and the outbox file names.
    """
    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    logger = get_run_logger()
    request, _ = subjects.check_executable(engine, request_id, executed_by)
    result = {"request_id": request_id, "kind": request.kind, "recordings": len(request.call_ids)}
    if request.kind == "access":
        live = catalogue.live_call_ids(engine, request.call_ids)
        pending = [c for c in request.call_ids
                   if c in live and catalogue.get_recording(engine, c).state in catalogue.NEEDS_TRANSCRIBING]
        if pending:
            with_concurrency(settings.max_parallel)(recording_ids=pending, purpose="access_request")
        items = subjects.export(engine, settings, request_id, executed_by)
        result.update(exported=len({item.call_id for item in items}), outbox=[item.name for item in items])
    else:
        report = subjects.erase(engine, settings, request_id, executed_by, override_holds=override_holds)
        result.update(erased=report.recordings_expired, files_deleted=report.files_deleted,
                      prefect_runs_deleted=forget_runs_of(list(request.call_ids)))
    logger.info("subject request %s (%s) carried out: %s", request_id, request.kind,
                {k: v for k, v in result.items() if k not in ("outbox",)})
    return result
