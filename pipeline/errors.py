"""One exception hierarchy for callscribe.

Messages name what was wrong, the valid values and the fix. They carry ids, file names of the
managed store and counts, never transcript text, names or phone numbers, so they are safe to log
and to store as a recording's failure reason.
"""


class CallscribeError(Exception):
    """Base class of every error callscribe raises on purpose."""


class ConfigurationError(CallscribeError):
    """A setting has an invalid value."""


class TranscriptKeyError(ConfigurationError):
    """The key of raw transcripts is missing, misplaced or not private."""


class ModelUnavailableError(CallscribeError):
    """A Whisper or spaCy model cannot be found or fetched."""


class AudioError(CallscribeError):
    """An audio file cannot be used: corrupt, empty, silent, too long or with too many channels.

    Attributes:
        reason: short machine-readable reason (``corrupt``, ``empty``, ``silent``, ``too_long``,
            ``channels``), stored in the catalogue when a recording fails.
    """

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class IngestError(CallscribeError):
    """Recordings metadata or files are invalid; nothing was imported.

    Attributes:
        problems: one line per bad row, ``row N: what is wrong``.
    """

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message + "\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = problems


class RecordingNotFoundError(CallscribeError):
    """A recording id is not in the catalogue."""


class StoreError(CallscribeError):
    """A stored file is missing, changed or cannot be decrypted."""


class RulesError(CallscribeError):
    """A redaction rules file is invalid."""


class InputFormatError(CallscribeError):
    """A JSON lines input file has a malformed line."""


class ProcessingError(CallscribeError):
    """An unexpected failure inside a processing step, reported by step and type only."""


class AccessDeniedError(CallscribeError):
    """A user is unknown, inactive, or has no role allowed to do this."""


class PolicyError(CallscribeError):
    """A step the recording policy forbids: an own request approved, a reason missing or too
    short, a request in the wrong state, a release without two distinct people on record."""


class RequestNotFoundError(PolicyError):
    """No request with this id is on record."""


class DuplicateSessionError(PolicyError):
    """A coaching session about the same pick was logged for that day already (confirm to log another)."""


class ConcurrentChangeError(PolicyError):
    """Someone else changed the request first (or kept taking the next id): look again, then act."""
