"""The ``draw_coaching_sample`` flow: draw a month's coaching picks, transcribe and redact them,
and write each pick's coaching transcript.

Scheduled monthly (1st of the month, 03:00 Europe/Amsterdam) it draws the month just ended and
acts as ``access.SYSTEM``; ``callscribe coaching draw`` runs it for a given month on behalf of a
user. Parameters, results, logs and the artifact hold months, employee ids, call ids, counts and
dates only: no names, no transcript text.
"""

from __future__ import annotations

from datetime import UTC, datetime

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from callscribe.flows.transcribe import with_concurrency
from callscribe.pipeline.errors import CallscribeError, ProcessingError
from callscribe.pipeline.policy import coaching
from callscribe.pipeline.policy.retention import expires_at
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage import catalogue, transcripts

_task_options = dict(cache_policy=NO_CACHE, persist_result=False)


@task(name="draw-coaching-picks", **_task_options)
def draw_picks(month: str, drawn_by: str | None) -> dict:
    """Draw (or find) the month's picks as ``drawn_by`` (authorised for ``coaching.draw``) or the system.

    Returns:
        ``{"already_drawn": bool, "picks": [{"employee_id", "call_id", "candidates", "expires_at"}],
        "without_calls": [employee ids without an eligible call]}``.
    """
    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    result = coaching.draw(engine, settings, month, drawn_by)
    return {
        "already_drawn": result.already_drawn,
        "without_calls": list(result.without_calls),
        "picks": [
            {"employee_id": p.employee_id, "call_id": p.call_id, "candidates": p.candidates,
             "expires_at": expires_at(p.call_start, settings.retention_days, settings.retention_timezone).isoformat()}
            for p in result.picks
        ],
    }


@task(name="write-coaching-transcript", task_run_name="coaching transcript {call_id}", **_task_options)
def write_coaching_transcript(call_id: str, employee_id: str) -> bool:
    """Write ``coaching.md`` for one pick; False (logged by id) when its transcript is not there."""
    settings = get_settings()
    engine = catalogue.get_engine(settings.catalogue_url)
    try:
        coaching.write_coaching_transcript(engine, settings, call_id, employee_id)
    except CallscribeError as err:
        get_run_logger().warning("no coaching transcript for %s: %s", call_id, type(err).__name__)
        return False
    except Exception as err:  # anything else is reduced to its type: its message might quote text
        raise ProcessingError(f"coaching transcript failed for recording {call_id}: {type(err).__name__}") from None
    return True


def _needs_transcription(settings, call_ids: list[str]) -> list[str]:
    engine = catalogue.get_engine(settings.catalogue_url)
    live = catalogue.live_call_ids(engine, call_ids)
    return [
        call_id for call_id in call_ids
        if call_id in live and not transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).raw.is_file()
    ]


@flow(name="draw-coaching-sample", persist_result=False)
def draw_coaching_sample(month: str | None = None, transcribe: bool = True, drawn_by: str | None = None) -> dict:
    """Draw one call per employee for a month that has ended, transcribe and redact the picks.

    Args:
        month: ``YYYY-MM``; default the previous calendar month in the retention timezone.
        transcribe: transcribe and redact the picks, and write their coaching transcripts.
        drawn_by: login name of the user drawing (checked for ``coaching.draw``); default the
            system, as on the monthly schedule.

    Returns:
        Counts and the picks (employee ids, call ids, expiry), no names and no text.
    """
    settings = get_settings()
    logger = get_run_logger()
    month = month or coaching.previous_month(datetime.now(UTC), settings.retention_timezone)
    drawn = draw_picks(month, drawn_by)
    picks = drawn["picks"]
    call_ids = [p["call_id"] for p in picks]
    summary = {"month": month, "already_drawn": drawn["already_drawn"], "without_calls": drawn["without_calls"],
               "employees": len(picks),
               "picks": picks, "transcribed": 0, "failed": 0, "coaching_transcripts": 0}
    if transcribe and call_ids:
        pending = _needs_transcription(settings, call_ids)
        if pending:
            outcome = with_concurrency(settings.max_parallel)(recording_ids=pending, purpose="coaching")
            summary["transcribed"], summary["failed"] = outcome["transcribed"], outcome["failed"]
        written = [write_coaching_transcript(p["call_id"], p["employee_id"]) for p in picks]
        summary["coaching_transcripts"] = sum(written)
    create_table_artifact(
        key="coaching-picks",
        table=[{"month": month, "employee_id": p["employee_id"], "call_id": p["call_id"],
                "candidates": p["candidates"], "expires_at": p["expires_at"]} for p in picks] or
              [{"month": month, "employee_id": "", "call_id": "", "candidates": 0, "expires_at": ""}],
        description=_line(summary),
    )
    logger.info(_line(summary))
    return summary


def _line(summary: dict) -> str:
    return (
        f"coaching {summary['month']}: {summary['employees']} pick(s)"
        f"{' (drawn before, unchanged)' if summary['already_drawn'] else ''}, "
        f"{summary['transcribed']} transcribed, {summary['failed']} failed, "
        f"{summary['coaching_transcripts']} coaching transcript(s)"
    )
