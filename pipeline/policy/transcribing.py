"""Who may bring recordings in and have them transcribed, why, and the record of it.

Ingesting puts callers' numbers and voices in the catalogue: only a manager or the ICT back office
does it, audited with counts. Transcribing a recording makes its words readable (redacted, but
also kept encrypted in full for the retention period), so it needs a purpose that someone else
has agreed to, and a role that may start it:

- ``quality``: an approved transcript request names the call (a second person approved it);
- ``access_request``: an approved data-subject access request covers the call (idem);
- ``coaching``: the call is a coaching pick of the keyed monthly draw;
- ``demo``: the call is one of the bundled sample calls, with its audio unchanged.

Only a manager, a team leader or the ICT back office may start a transcription, and every start
is an audit entry naming the recordings and the id that justifies each. The flow checks the
purpose again, so a run started another way (a Prefect deployment) cannot transcribe an
unjustified call either. The catalogue's stored audio is never transcribed unredacted outside a run.
"""

from __future__ import annotations

import calendar
import csv
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import PolicyError, RecordingNotFoundError
from callscribe.pipeline.policy import access, audit
from callscribe.pipeline.policy.four_eyes import State
from callscribe.pipeline.policy.identity import DEMO
from callscribe.pipeline.settings import SAMPLES_DIR
from callscribe.pipeline.storage import catalogue
from callscribe.pipeline.storage.schema import coaching_picks, requests, subject_request_calls, subject_requests

_AUDITED_IDS = 100  # the audit entry names at most this many recordings (and always the count)


class Purpose(StrEnum):
    """Why a call is transcribed; the values are what transcripts and the audit log record."""

    QUALITY = "quality"
    ACCESS_REQUEST = "access_request"
    COACHING = "coaching"
    DEMO = "demo"


PURPOSES = tuple(p.value for p in Purpose)
_PREFERENCE = (Purpose.QUALITY, Purpose.ACCESS_REQUEST, Purpose.COACHING, Purpose.DEMO)
NO_PURPOSE = ("no approved transcript request, approved access request or coaching pick names it; "
              "a transcript request approved by a second person gives it one")


@dataclass(frozen=True)
class Plan:
    """Recordings to transcribe, grouped by purpose, each with the id that justifies it."""

    batches: dict[Purpose, list[str]]
    references: dict[str, str]  # call id → request id, subject request id, coaching pick or "samples"
    left_out: int  # pending recordings without a purpose, not transcribed

    @property
    def call_ids(self) -> list[str]:
        return [call_id for ids in self.batches.values() for call_id in ids]


def purposes_of(engine: Engine, call_ids: Iterable[str]) -> dict[str, dict[Purpose, str]]:
    """Call id → every purpose it may be transcribed for now, with the id that justifies each;
    calls without one are absent."""
    wanted = list(dict.fromkeys(call_ids))
    found: dict[str, dict[Purpose, str]] = {}
    if not wanted:
        return found
    approved = State.APPROVED.value
    queries = (
        (Purpose.QUALITY, sa.select(requests.c.call_id, requests.c.request_id).where(
            requests.c.call_id.in_(wanted), requests.c.kind == "transcript", requests.c.state == approved)),
        (Purpose.ACCESS_REQUEST, sa.select(subject_request_calls.c.call_id, subject_requests.c.request_id).join(
            subject_requests, subject_requests.c.request_id == subject_request_calls.c.request_id).where(
            subject_request_calls.c.call_id.in_(wanted), subject_requests.c.kind == "access",
            subject_requests.c.state == approved)),
        (Purpose.COACHING, sa.select(coaching_picks.c.call_id,
                                     coaching_picks.c.month + "/" + coaching_picks.c.employee_id).where(
            coaching_picks.c.call_id.in_(wanted))),
    )
    with engine.connect() as conn:
        for purpose, query in queries:
            for call_id, reference in sorted(conn.execute(query).all()):  # the oldest id justifies it
                found.setdefault(call_id, {}).setdefault(purpose, reference)
    for call_id in _unchanged_samples(engine, wanted):
        found.setdefault(call_id, {})[Purpose.DEMO] = "samples"
    return found


def sample_ids() -> list[str]:
    """The call ids of the bundled sample calls, in the order of their metadata."""
    return list(_sample_files())


def _sample_files() -> dict[str, Path]:
    with open(SAMPLES_DIR / "calls.csv", encoding="utf-8", newline="") as handle:
        return {row["call_id"]: SAMPLES_DIR / row["file"] for row in csv.DictReader(handle)}


def _unchanged_samples(engine: Engine, call_ids: list[str]) -> list[str]:
    """Those of ``call_ids`` that are bundled samples whose stored audio is the sample's own."""
    samples = _sample_files()
    unchanged = []
    for call_id in call_ids:
        if call_id not in samples:
            continue
        try:
            recording = catalogue.get_recording(engine, call_id)
        except RecordingNotFoundError:
            continue
        if recording.sha256 == catalogue.file_sha256(samples[call_id]):
            unchanged.append(call_id)
    return unchanged


def plan(engine: Engine, as_user: str | None, recording_ids: Iterable[str], pending: bool) -> Plan:
    """Authorise ``as_user`` to transcribe ``recording_ids`` (and, with ``pending``, every recording
    not yet transcribed that has a purpose), find each one's purpose, audit it and return the plan.

    Raises:
        AccessDeniedError: ``as_user`` is unknown, inactive or lacks the role.
        PolicyError: a named recording has no purpose, or nothing is left to transcribe.
    """
    actor = access.authorize(engine, as_user, "recordings.transcribe")
    named = list(dict.fromkeys(recording_ids))
    waiting = [i for i in catalogue.needs_transcribing(engine) if i not in named] if pending else []
    purposes = purposes_of(engine, [*named, *waiting])
    unjustified = [i for i in named if i not in purposes]
    if unjustified:
        shown = ", ".join(unjustified[:10]) + (f" and {len(unjustified) - 10} more" if len(unjustified) > 10 else "")
        raise PolicyError(f"{shown}: {NO_PURPOSE}")
    batches: dict[Purpose, list[str]] = {}
    references: dict[str, str] = {}
    for call_id in [*named, *(i for i in waiting if i in purposes)]:
        purpose = next(p for p in _PREFERENCE if p in purposes[call_id])
        batches.setdefault(purpose, []).append(call_id)
        references[call_id] = purposes[call_id][purpose]
    result = Plan(batches, references, left_out=sum(1 for i in waiting if i not in purposes))
    if not references:
        raise PolicyError("nothing to transcribe: name the recordings, or ask for those not yet transcribed "
                          f"({result.left_out} waiting without a purpose)")
    audit.append(engine, actor.user_id, actor.role, "recordings.transcribe", "recordings", {
        "count": len(references), "left_out": result.left_out,
        "purposes": {p.value: len(ids) for p, ids in batches.items()},
        "recordings": dict(sorted(references.items())[:_AUDITED_IDS]),
    })
    return result


def unjustified(engine: Engine, call_ids: Iterable[str], purpose: str) -> list[str]:
    """Those of ``call_ids`` that may not be transcribed for ``purpose`` now (checked by the flow).

    Raises:
        PolicyError: ``purpose`` is not one of :data:`PURPOSES`.
    """
    if purpose not in PURPOSES:
        raise PolicyError(f"purpose {purpose!r} is not one of {', '.join(PURPOSES)}")
    ids = list(call_ids)
    purposes = purposes_of(engine, ids)
    return [i for i in ids if purpose not in purposes.get(i, {})]


def ingest_samples(engine: Engine, audio_dir: Path, timezone: str, now: datetime | None = None) -> catalogue.IngestResult:
    """Import the bundled sample calls, dated in the calendar month before ``now`` (same day and
    local time, the day clipped to the month's length): recent enough to be kept, in a month that
    has ended, so a coaching draw can pick them. Samples already in the catalogue stay as they are.
    Audited as the ``demo`` actor.
    """
    now = now or datetime.now(UTC)
    samples = _sample_files()
    present = {r.call_id for r in catalogue.list_recordings(engine) if r.call_id in samples}
    with open(SAMPLES_DIR / "calls.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, [row for row in reader if row["call_id"] not in present]
    if not rows:
        return catalogue.IngestResult(added=0, unchanged=len(present))
    for row in rows:
        row["call_start"] = _in_previous_month(datetime.fromisoformat(row["call_start"]), now, timezone).isoformat()
    with tempfile.TemporaryDirectory(prefix="callscribe-samples-") as folder:
        metadata = Path(folder) / "calls.csv"
        with open(metadata, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        result = catalogue.ingest(engine, SAMPLES_DIR, metadata, audio_dir)
    audit.append(engine, DEMO.user_id, DEMO.role, "recordings.ingested", "samples",
                 {"added": result.added, "unchanged": result.unchanged + len(present)})
    return catalogue.IngestResult(added=result.added, unchanged=result.unchanged + len(present))


def _in_previous_month(moment: datetime, now: datetime, timezone: str) -> datetime:
    zone = ZoneInfo(timezone)
    local, today = moment.astimezone(zone), now.astimezone(zone)
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day, tzinfo=None).replace(tzinfo=zone)


def start_demo(engine: Engine, call_ids: Iterable[str]) -> Plan:
    """The demo's transcription of the bundled samples (purpose ``demo``), audited as ``demo``.

    Raises:
        PolicyError: a call that is not an unchanged bundled sample.
    """
    ids = list(dict.fromkeys(call_ids))
    refused = unjustified(engine, ids, Purpose.DEMO)
    if refused:
        raise PolicyError(f"{', '.join(refused)}: not a bundled sample with its own audio; the demo transcribes "
                          "only those")
    audit.append(engine, DEMO.user_id, DEMO.role, "recordings.transcribe", "samples",
                 {"count": len(ids), "purposes": {Purpose.DEMO.value: len(ids)}})
    return Plan({Purpose.DEMO: ids}, {i: "samples" for i in ids}, left_out=0)


def ingest(engine: Engine, as_user: str | None, folder: Path, metadata_csv: Path, audio_dir: Path) -> catalogue.IngestResult:
    """Import recordings (see :func:`catalogue.ingest`) as ``as_user`` (``recordings.ingest``: a
    manager or the ICT back office), audited with counts only.

    Raises:
        AccessDeniedError: ``as_user`` may not ingest.
        IngestError: listing every bad row; nothing was imported.
    """
    actor = access.authorize(engine, as_user, "recordings.ingest")
    result = catalogue.ingest(engine, folder, metadata_csv, audio_dir)
    audit.append(engine, actor.user_id, actor.role, "recordings.ingested", "recordings",
                 {"added": result.added, "unchanged": result.unchanged})
    return result


def check_files(engine: Engine, as_user: str | None, files: Iterable[Path], audio_dir: Path, redact: bool) -> None:
    """Files to transcribe outside the catalogue: any of the catalogue's stored audio among them
    (also through a link) needs ``recordings.transcribe``, only redacted, and is audited.

    Raises:
        AccessDeniedError: stored audio, and ``as_user`` may not transcribe recordings.
        PolicyError: stored audio asked for without redaction.
    """
    store = audio_dir.resolve()
    stored = [path for path in files if path.resolve().is_relative_to(store)]
    if not stored:
        return
    actor = access.authorize(engine, as_user, "recordings.transcribe")
    if not redact:
        raise PolicyError("the catalogue's stored audio is transcribed redacted only; its unredacted text stays "
                          "encrypted inside callscribe")
    audit.append(engine, actor.user_id, actor.role, "recordings.transcribed_files", "recordings",
                 {"files": len(stored)})
