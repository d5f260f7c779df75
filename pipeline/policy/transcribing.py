"""Who may bring recordings in and have them transcribed, and the record of it.

Ingesting puts callers' numbers and voices in the catalogue: only a manager or the ICT back office
does it, audited with counts. Transcribing a recording makes its words readable (redacted, but
also kept encrypted in full for the retention period): only a manager, a team leader or the ICT
back office may start it, for a stated purpose, and every start is an audit entry naming the
recordings. The catalogue's stored audio is never transcribed unredacted outside a run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import PolicyError
from callscribe.pipeline.policy import access, audit
from callscribe.pipeline.storage import catalogue

PURPOSES = ("coaching", "quality", "access_request", "demo")
_AUDITED_IDS = 100  # the audit entry names at most this many recordings (and always the count)


def start_transcription(engine: Engine, as_user: str | None, recording_ids: Iterable[str], pending: bool,
                        purpose: str) -> list[str]:
    """Authorise ``as_user`` to transcribe ``recording_ids`` (and, with ``pending``, every recording
    not yet transcribed) for ``purpose``; audit it and return the ids to transcribe.

    Raises:
        AccessDeniedError: ``as_user`` is unknown, inactive or lacks the role.
        PolicyError: an unknown purpose, or no recording named and none pending.
    """
    actor = access.authorize(engine, as_user, "recordings.transcribe")
    if purpose not in PURPOSES:
        raise PolicyError(f"purpose {purpose!r} is not one of {', '.join(PURPOSES)}")
    ids = list(dict.fromkeys([*recording_ids, *(catalogue.needs_transcribing(engine) if pending else [])]))
    if not ids:
        raise PolicyError("name the recordings to transcribe, or ask for every recording not yet transcribed")
    audit.append(engine, actor.user_id, actor.role, "recordings.transcribe", "recordings",
                 {"purpose": purpose, "recordings": sorted(ids)[:_AUDITED_IDS], "count": len(ids)})
    return ids


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
