"""Who may have catalogued recordings transcribed, and the record of it.

Transcribing a recording makes its words readable (redacted, but also kept encrypted in full for
the retention period): only a manager, a team leader or the ICT back office may start it, for a
stated purpose, and every start is an audit entry naming the recordings.
"""

from __future__ import annotations

from collections.abc import Iterable

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
