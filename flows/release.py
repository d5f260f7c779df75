"""The ``release-request`` flow: release an approved transcript or listen-back request.

It checks who releases and that two distinct people are on record, transcribes the call first
when a transcript request finds no redacted transcript yet (the ``transcribe-recordings`` flow as
a subflow, purpose ``quality``), and puts the letter or the audio copy in the outbox. Parameters,
task results and logs hold ids, file names and expiry only, never the reason, a description or
transcript text.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from callscribe.flows.transcribe import transcribe_recordings
from callscribe.pipeline.errors import ProcessingError
from callscribe.pipeline.policy import complaints
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage import catalogue

_task_options = dict(cache_policy=NO_CACHE, persist_result=False)


@task(name="check-release", task_run_name="check {request_id}", **_task_options)
def check_release(request_id: str, released_by: str) -> dict:
    """Whether ``released_by`` may release the request now; returns its kind, call and readiness."""
    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    request = complaints.check_release(engine, released_by, request_id)
    ready = request.kind != "transcript" or complaints.transcript_ready(engine, settings.transcripts_dir, request.call_id)
    return {"kind": request.kind, "call_id": request.call_id, "ready": ready}


@task(name="place-release", task_run_name="release {request_id}", **_task_options)
def place_release(request_id: str, released_by: str) -> dict:
    """Render the letter or copy the audio into the outbox and record the release."""
    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    return complaints.release(engine, settings, released_by, request_id).as_dict()


@flow(name="release-request", persist_result=False)
def release_request(request_id: str, released_by: str) -> dict:
    """Release an approved request into the outbox, under the four-eyes principle.

    Args:
        request_id: the request (``V-YYYY-NNNN``), approved by a second person.
        released_by: the user id of a manager, team leader or ICT back-office user.

    Returns:
        The request id, kind, call id, outbox file names and their expiry (ISO 8601).

    Raises:
        AccessDeniedError: ``released_by`` may not release.
        PolicyError: the request is not approved by a second person, or the recording expired.
        ProcessingError: the call could not be transcribed.
    """
    logger = get_run_logger()
    checked = check_release(request_id, released_by)
    if not checked["ready"]:
        logger.info("request %s: recording %s is not transcribed yet; transcribing", request_id, checked["call_id"])
        summary = transcribe_recordings([checked["call_id"]], purpose="quality")
        if summary["transcribed"] != 1:
            reasons = "; ".join(f["reason"] for f in summary["failures"]) or "not transcribed"
            raise ProcessingError(f"recording {checked['call_id']} could not be transcribed ({reasons}); "
                                  "fix the recording and release again")
    result = place_release(request_id, released_by)
    logger.info("request %s (%s) released: %d file(s) until %s", request_id, result["kind"], len(result["files"]),
                result["expires_at"])
    return result
