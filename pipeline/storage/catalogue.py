"""The recordings catalogue: what the call-centre database keeps about each call, in SQLite by
default and any SQLAlchemy database (PostgreSQL) by URL.

``ingest`` imports a folder of recordings with a metadata CSV all or nothing: every row and its
audio are checked first, the audio is copied into the managed store under temporary names, and the
rows are written in one transaction that also links their audio into place.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import logging
import math
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import av
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline import atomic
from callscribe.pipeline.errors import AudioError, IngestError, RecordingNotFoundError, StoreError
from callscribe.pipeline.speech.audio import probe
from callscribe.pipeline.storage import locking
from callscribe.pipeline.storage.schema import (
    ADDED_COLUMNS,
    EXPIRY_INDEX,
    LISTING_INDEX,
    REPLACED_INDEXES,
    UTCDateTime,
    metadata,
    recordings,
    tombstones,
)
from callscribe.pipeline.types import Recording

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("call_id", "call_start", "employee_id", "caller_number", "direction", "file")
OPTIONAL_COLUMNS = ("duration_s", "channel_layout")
DIRECTIONS = ("inbound", "outbound")
CHANNEL_LAYOUTS = ("mono", "stereo")
AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a")


class RecordingState(StrEnum):
    """Where a recording stands: ingested → processing → transcribed or failed; expiring once
    retention has marked it for deletion (stored as these strings)."""

    INGESTED = "ingested"
    PROCESSING = "processing"
    TRANSCRIBED = "transcribed"
    FAILED = "failed"
    EXPIRING = "expiring"


STATES = tuple(state.value for state in RecordingState)
# Recordings that still need transcribing: never done, or failed and worth another try.
NEEDS_TRANSCRIBING = (RecordingState.INGESTED, RecordingState.FAILED)

TOMBSTONE_BATCH = 1000
LOCK_WAIT_MS = 30_000  # how long a writer waits for another's lock before it fails
DEFAULT_NAME = "catalogue.sqlite"
# A call start outside these bounds is a broken export: it would break expiry arithmetic later.
EARLIEST_CALL = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
# How long a transcription claim holds: a recording ``processing`` for longer was left by a run that
# died (killed, machine lost) and is taken up again. Longer than the longest transcription.
DEFAULT_LEASE = timedelta(hours=6)
_CALL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_EMPLOYEE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{4,22}[0-9]")


@lru_cache(maxsize=4)
def get_engine(url: str) -> Engine:
    """An engine for the catalogue at ``url``, tables created if missing. A SQLite catalogue (every
    caller's number, complaint texts) is readable by its owner only: the file and its journal
    0600, a folder callscribe creates 0700."""
    database = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    if database is not None and not database.parent.is_dir():
        database.parent.mkdir(parents=True, mode=0o700)
    server = sa.make_url(url).get_backend_name() == "postgresql"
    # a writer waits as long for another's lock on PostgreSQL as on SQLite (busy_timeout), then fails
    engine = sa.create_engine(url, future=True,
                              connect_args={"options": f"-c lock_timeout={LOCK_WAIT_MS}"} if server else {})
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    with engine.begin() as conn:  # one process at a time creates or completes the tables
        locking.lock_writers(conn)
        metadata.create_all(conn)
        _add_columns(conn)
        EXPIRY_INDEX.create(conn, checkfirst=True)  # catalogues made before the retention flow
        LISTING_INDEX.create(conn, checkfirst=True)  # catalogues made before paged listings
        for name in REPLACED_INDEXES:
            conn.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
    if database is not None:
        for path in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))):
            if path.exists():
                os.chmod(path, 0o600)
        if database.name == DEFAULT_NAME:  # the catalogue in a callscribe home: the home is private too
            os.chmod(database.parent, 0o700)
    return engine


def _add_columns(conn) -> None:
    """Add the columns of :data:`ADDED_COLUMNS` that an older catalogue lacks (nullable, no data),
    inside the caller's transaction."""
    inspector = sa.inspect(conn)
    for table, columns in ADDED_COLUMNS.items():
        present = {column["name"] for column in inspector.get_columns(table)}
        for name, ddl in columns.items():
            if name not in present:
                conn.execute(sa.text(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}"))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")  # first: switching to WAL may wait for a lock
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows (tombstoned recordings: phone numbers, employee ids) are overwritten with zeros
    # instead of lingering in free pages of the database file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


@dataclass(frozen=True)
class IngestResult:
    """Counts only: safe to print and log."""

    added: int
    unchanged: int


@dataclass(frozen=True)
class _Row:
    line: int
    call_id: str
    call_start: datetime
    employee_id: str
    caller_number: str
    direction: str
    file: str  # as the CSV lists it
    source: Path  # resolved, inside the ingest folder
    duration: float | None
    channel_layout: str | None


@dataclass(frozen=True)
class _Staged:
    """Audio this run copied into the store under a unique temporary name, to be linked at ``target``
    once its row is ours: a new row (``values``) or a catalogued row whose stored audio is missing."""

    line: int
    call_id: str
    digest: str
    temp: Path
    target: Path
    audio_path: str  # ``target`` relative to the home, as the catalogue stores it
    values: dict | None


def ingest(engine: Engine, folder: Path, metadata_csv: Path, audio_dir: Path) -> IngestResult:
    """Import recordings listed in ``metadata_csv`` (files relative to ``folder``) all or nothing.

    Every row is checked first, its audio probed and its last seconds decoded, so empty, non-audio
    and truncated files are refused before anything is copied. Re-ingesting the same files is a
    no-op, except that a catalogued row whose stored audio is missing gets it back; a known call id
    with different audio is an error. Safe to run twice at once: audio is copied under a unique
    temporary name and linked into place only for a row this run inserted (or repairs), never over
    an existing file.

    Raises:
        IngestError: listing every bad row; nothing was imported.
    """
    rows, problems = _read_metadata(folder, metadata_csv)
    hashes: dict[str, str] = {}
    for row in rows:
        try:
            hashes[row.call_id] = file_sha256(row.source)
        except OSError as err:
            problems.append(f"row {row.line}: file {_shown(row.file)} cannot be read ({err.strerror}); "
                            "check its permissions")
    rows = [row for row in rows if row.call_id in hashes]
    home = audio_dir.parent
    with engine.connect() as conn:
        known = {
            r.call_id: r
            for r in conn.execute(
                sa.select(recordings.c.call_id, recordings.c.sha256, recordings.c.audio_path, recordings.c.state)
                .where(recordings.c.call_id.in_(list(hashes)))
            )
        }
        expired = set(
            conn.execute(sa.select(tombstones.c.call_id).where(tombstones.c.call_id.in_(list(hashes)))).scalars()
        )
    seen_hashes: dict[str, int] = {}
    repairs: list[_Row] = []
    for row in rows:
        if row.call_id in expired:
            problems.append(
                f"row {row.line}: call_id {row.call_id} has expired and was deleted (retention); it cannot be ingested again"
            )
        digest = hashes[row.call_id]
        if digest in seen_hashes:
            problems.append(f"row {row.line}: same audio as row {seen_hashes[digest]} (duplicate file)")
        seen_hashes.setdefault(digest, row.line)
        stored = known.get(row.call_id)
        if stored is None:
            continue
        if stored.sha256 != digest:
            problems.append(
                f"row {row.line}: call_id {row.call_id} is already in the catalogue with different audio"
            )
        elif stored.state != RecordingState.EXPIRING and not (home / stored.audio_path).is_file():
            repairs.append(row)  # its stored audio went missing (an older version's race): put it back
    if problems:
        raise IngestError(f"{metadata_csv}: {len(problems)} problem(s); nothing was imported", problems)

    temps: list[Path] = []
    now = datetime.now(UTC)
    try:
        staged = [
            _stage(row, audio_dir / f"{row.call_id}{row.source.suffix.lower()}", home, hashes[row.call_id],
                   temps, metadata_csv, now)
            for row in rows if row.call_id not in known
        ]
        staged += [
            _stage(row, home / known[row.call_id].audio_path, home, hashes[row.call_id], temps, metadata_csv)
            for row in repairs
        ]
        added, repaired = _commit(engine, staged, home, metadata_csv)
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    logger.info("ingested %d recording(s), %d unchanged (%d given back their missing audio)",
                added, len(rows) - added, repaired)
    return IngestResult(added=added, unchanged=len(rows) - added)


def _stage(row: _Row, target: Path, home: Path, digest: str, temps: list[Path], metadata_csv: Path,
           now: datetime | None = None) -> _Staged:
    """Copy the row's audio beside ``target`` under a unique temporary name (listed in ``temps``);
    with ``now``, for a new row: probe the copy and prepare the row's values."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".ingest")
        os.close(handle)
        temps.append(Path(name))
        atomic.copy_file(row.source, Path(name), mode=0o600)
        copied = file_sha256(Path(name))
    except OSError as err:
        raise IngestError(f"{metadata_csv}: cannot copy into the audio store {target.parent} ({err.strerror}); "
                          "nothing was imported", [f"row {row.line}: check the store's free space and permissions"]
                          ) from None
    if copied != digest:
        raise IngestError(f"{metadata_csv}: a file changed while it was imported; nothing was imported",
                          [(f"row {row.line}: file {_shown(row.file)} changed while it was copied; "
                            "ingest again once the export is complete")])
    audio_path = str(target.relative_to(home))
    values = None
    if now is not None:
        info = _probe_or_none(Path(name))
        values = {
            "call_id": row.call_id,
            "call_start": row.call_start,
            "duration_s": row.duration if row.duration is not None else (info.duration if info else None),
            "employee_id": row.employee_id,
            "caller_number": row.caller_number,
            "direction": row.direction,
            "audio_path": audio_path,
            "sha256": digest,
            "channel_layout": row.channel_layout or (info.channel_layout if info else "unknown"),
            "state": RecordingState.INGESTED,
            "ingested_at": now,
        }
    return _Staged(row.line, row.call_id, digest, Path(name), target, audio_path, values)


_INSERT_ATTEMPTS = 3


def _commit(engine: Engine, staged: list[_Staged], home: Path, metadata_csv: Path) -> tuple[int, int]:
    """Insert the new rows and link their audio into place in one transaction; returns (added,
    repaired). Rows another ingest committed meanwhile with the same audio count as unchanged (two
    runs of one CSV at once), with other audio as an error. Database errors never reach the caller
    with their parameters (phone numbers)."""
    try:
        for _ in range(_INSERT_ATTEMPTS):
            try:
                return _commit_once(engine, staged, metadata_csv)
            except sa.exc.IntegrityError:
                staged = _after_clash(engine, staged, home, metadata_csv)
    except sa.exc.DBAPIError as err:
        raise IngestError(f"{metadata_csv}: the catalogue refused the rows ({type(err.orig).__name__}); "
                          "nothing was imported", []) from None
    except OSError as err:
        raise IngestError(f"{metadata_csv}: cannot write into the audio store ({err.strerror}); nothing was "
                          "imported", ["check the store's free space and permissions"]) from None
    raise IngestError(f"{metadata_csv}: other ingests kept adding the same recordings; try again", [])


def _commit_once(engine: Engine, staged: list[_Staged], metadata_csv: Path) -> tuple[int, int]:
    """One try of :func:`_commit`. The audio is linked while the transaction holds the new rows (and
    the repaired ones), so no other run can commit the same call id meanwhile; the files this try
    created are removed before its transaction ends, so a failed try leaves nothing another run
    could have taken for its own."""
    if not staged:
        return 0, 0
    new = [item.values for item in staged if item.values is not None]
    created: list[Path] = []
    repaired = 0
    try:
        with engine.begin() as conn:
            if new:
                conn.execute(sa.insert(recordings), new)
            try:
                for item in staged:
                    if item.values is None and not _hold_for_repair(conn, item):
                        continue  # changed meanwhile: expiring, erased, or other audio
                    if _place(item, metadata_csv):
                        created.append(item.target)
                        repaired += item.values is None
            except BaseException:
                _unlink(created)
                raise
    except BaseException:
        _unlink(created)  # the commit itself failed
        raise
    return len(new), repaired


def _hold_for_repair(conn, item: _Staged) -> bool:
    """Lock the catalogued row ``item`` repairs (a no-op update) if it still wants this audio and
    is not being deleted; retention or an erasure that marks it waits for this transaction."""
    return bool(conn.execute(sa.update(recordings).where(
        recordings.c.call_id == item.call_id, recordings.c.sha256 == item.digest,
        recordings.c.audio_path == item.audio_path, recordings.c.state != RecordingState.EXPIRING,
    ).values(audio_path=item.audio_path)).rowcount)


def _place(item: _Staged, metadata_csv: Path) -> bool:
    """Link the staged copy at its target without ever replacing a file there. True when this run
    created the target; False when the same audio is there already.

    Raises:
        IngestError: other content is there (a file no recording owns, left by an interrupted run).
    """
    try:
        os.link(item.temp, item.target)
        return True
    except FileExistsError:
        pass
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise
        if _copy_exclusive(item.temp, item.target):
            return True
    if item.target.is_file() and file_sha256(item.target) == item.digest:
        return False
    raise IngestError(f"{metadata_csv}: the audio store holds other audio where a recording goes; "
                      "nothing was imported",
                      [(f"row {item.line}: {item.audio_path} in the store is not this row's audio (left by an "
                        "interrupted run?); move it out of the store and ingest again")])


# A store on a file system without hard links (some network shares) gets an exclusive copy instead.
_NO_HARD_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EXDEV)


def _copy_exclusive(source: Path, target: Path) -> bool:
    """Copy ``source`` to a new file ``target`` (never over an existing one): False when ``target``
    exists. A copy that fails half-way is removed."""
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    try:
        with open(handle, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out, 8 << 20)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return True


def _after_clash(engine: Engine, staged: list[_Staged], home: Path, metadata_csv: Path) -> list[_Staged]:
    """What is left after another ingest committed some of the new rows first: those with the same
    audio are unchanged (or repaired if their stored audio is missing), those with other audio an
    error."""
    ids = [item.call_id for item in staged if item.values is not None]
    with engine.connect() as conn:
        committed = {r.call_id: r for r in conn.execute(
            sa.select(recordings.c.call_id, recordings.c.sha256, recordings.c.audio_path, recordings.c.state)
            .where(recordings.c.call_id.in_(ids)))}
    clashes = [item for item in staged if item.values is not None and item.call_id in committed
               and committed[item.call_id].sha256 != item.digest]
    if clashes:
        raise IngestError(f"{metadata_csv}: another ingest added {', '.join(i.call_id for i in clashes)} with "
                          "different audio meanwhile; nothing was imported",
                          [f"row {i.line}: call_id {i.call_id} now has other audio in the catalogue; check which "
                           "export is right" for i in clashes])
    left = []
    for item in staged:
        row = committed.get(item.call_id) if item.values is not None else None
        if row is None:
            left.append(item)
        elif row.state != RecordingState.EXPIRING and not (home / row.audio_path).is_file():
            left.append(replace(item, target=home / row.audio_path, audio_path=row.audio_path, values=None))
    return left


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _read_metadata(folder: Path, metadata_csv: Path) -> tuple[list[_Row], list[str]]:
    try:
        handle = open(metadata_csv, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as err:
        raise IngestError(f"{metadata_csv}: cannot open the metadata CSV", [str(err.strerror)]) from err
    reader = csv.DictReader(handle)
    try:
        with handle:
            return _read_rows(folder, metadata_csv, reader)
    except UnicodeDecodeError:
        raise IngestError(f"{metadata_csv}: line {_undecodable_line(metadata_csv)} is not UTF-8 text; save the "
                          "CSV as UTF-8", []) from None
    except csv.Error as err:
        raise IngestError(f"{metadata_csv}: line {reader.line_num} is not CSV ({err}); export the metadata again",
                          []) from None


def _undecodable_line(path: Path) -> int:
    """The number of the first line of ``path`` that is not UTF-8 (text is decoded in blocks, so
    the reader's own count can be lines behind)."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 0


def _read_rows(folder: Path, metadata_csv: Path, reader: csv.DictReader) -> tuple[list[_Row], list[str]]:
    columns = reader.fieldnames or []
    unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if unknown or missing:
        problems = [f"header: unknown column {c!r}" for c in unknown]
        problems += [f"header: missing column {c!r}" for c in missing]
        problems.append(
            f"header: required columns are {', '.join(REQUIRED_COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)}"
        )
        raise IngestError(f"{metadata_csv}: bad header; nothing was imported", problems)
    rows: list[_Row] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    files: dict[Path, int] = {}
    for line, record in enumerate(reader, start=2):
        row, row_problems = _parse_row(line, record, folder)
        problems += row_problems
        if row is None:
            continue
        if row.call_id in first_line:
            problems.append(f"row {line}: duplicate call_id {row.call_id} (first in row {first_line[row.call_id]})")
            continue
        if row.source in files:
            problems.append(f"row {line}: file {_shown(row.file)} is also listed in row {files[row.source]}")
            continue
        first_line[row.call_id] = line
        files[row.source] = line
        rows.append(row)
    if not rows and not problems:
        problems.append("the CSV lists no recordings")
    return rows, problems


def _parse_row(line: int, record: dict, folder: Path) -> tuple[_Row | None, list[str]]:
    problems = []
    if None in record:
        return None, [f"row {line}: more fields than header columns"]
    value = {k: (v or "").strip() for k, v in record.items()}
    call_id = value["call_id"]
    if not _CALL_ID.fullmatch(call_id):
        problems.append(f"row {line}: call_id must be 1-64 letters, digits, '.', '_' or '-'")
    call_start = None
    try:
        call_start = datetime.fromisoformat(value["call_start"])
        if call_start.tzinfo is None:
            problems.append(f"row {line}: call_start has no UTC offset; write e.g. 2026-11-24T09:14:03+01:00")
            call_start = None
    except ValueError:
        problems.append(f"row {line}: call_start is not an ISO 8601 timestamp like 2026-11-24T09:14:03+01:00")
    if call_start is not None and not EARLIEST_CALL <= call_start <= datetime.now(UTC) + FUTURE_SLACK:
        problems.append(f"row {line}: call_start {call_start.date().isoformat()} lies outside 2000-01-01 .. tomorrow; "
                        "check the date in the call database export")
        call_start = None
    if not _EMPLOYEE_ID.fullmatch(value["employee_id"]):
        problems.append(f"row {line}: employee_id must be 1-64 letters, digits, '.', '_' or '-'")
    if not _PHONE.fullmatch(value["caller_number"]):
        problems.append(f"row {line}: caller_number is not a phone number (digits, spaces, '+', '-' only)")
    if value["direction"] not in DIRECTIONS:
        problems.append(f"row {line}: direction must be one of {', '.join(DIRECTIONS)}")
    duration = None
    if value.get("duration_s"):
        try:
            duration = float(value["duration_s"])
        except ValueError:
            duration = math.nan
        if not 0 <= duration <= MAX_DURATION_S:  # also nan
            problems.append(f"row {line}: duration_s must be a number of seconds from 0 to {MAX_DURATION_S:.0f} "
                            "(a day); leave it empty to take the audio's own")
    layout = value.get("channel_layout") or None
    if layout is not None and layout not in CHANNEL_LAYOUTS:
        problems.append(f"row {line}: channel_layout must be one of {', '.join(CHANNEL_LAYOUTS)} or empty")
    source = None
    if not value["file"]:
        problems.append(f"row {line}: file is empty")
    else:
        source, problem = _source(folder, value["file"])
        if problem is not None:
            problems.append(f"row {line}: file {_shown(value['file'])} {problem}")
    if problems:
        return None, problems
    return (
        _Row(line, call_id, call_start, value["employee_id"], value["caller_number"], value["direction"],
             value["file"], source, duration, layout),
        [],
    )


def _source(folder: Path, listed: str) -> tuple[Path | None, str | None]:
    """The audio file a row lists, resolved (links followed), and what is wrong with it, if anything:
    it must lie inside ``folder`` and be whole audio."""
    try:
        source = (folder / listed).resolve()
        if not source.is_relative_to(folder.resolve()):
            return None, f"is outside {folder}; list files relative to the folder"
        if not source.is_file():
            return None, f"not found in {folder}"
    except (OSError, ValueError):
        return None, "is not a usable file name; list files relative to the folder"
    if source.suffix.lower() not in AUDIO_SUFFIXES:
        return None, f"is not {', '.join(AUDIO_SUFFIXES)} audio"
    problem = _audio_problem(source)
    return (None, problem) if problem is not None else (source, None)


def _shown(name: str) -> str:
    """A listed file name as messages show it: what looks like a phone number masked (exports may
    name files after the caller)."""
    return _PHONE.sub("…", name)


# Checking audio at ingest: the header through ``probe``, then only the last seconds are decoded
# (a whole long call would take seconds; a file cut short ends early or breaks in its last frame).
MAX_DURATION_S = 24 * 3600.0  # a recording (or a duration_s) longer than a day is a broken export
_TAIL_S = 3.0  # decoded at the end of each file; a file short by less passes
_AUDIO_PROBLEMS = {
    "empty": "is empty (0 bytes); export the recording again",
    "missing": "cannot be read; check that it is still in the folder",
}
_UNREADABLE = f"is not readable audio ({', '.join(AUDIO_SUFFIXES)}); export the recording again"


def _audio_problem(path: Path) -> str | None:
    """What makes ``path`` unfit to catalogue, said after "file NAME", or None: empty, not audio,
    neither mono nor stereo, longer than a day, or cut short (it holds less than its header says)."""
    try:
        missing = _wav_bytes_missing(path)
        info = probe(path)
    except AudioError as err:
        return _AUDIO_PROBLEMS.get(err.reason, _UNREADABLE)
    except OSError as err:
        return f"cannot be read ({err.strerror}); check its permissions"
    if info.channels not in (1, 2):
        return f"has {info.channels} audio channels; callscribe takes mono or stereo calls"
    if not info.duration <= MAX_DURATION_S:
        return f"holds {info.duration / 3600:.0f} hours of audio, more than a day; check the recording"
    if missing:
        return f"is cut short: {missing} bytes fewer than its header states; export the recording again"
    try:
        return _cut_short(path, info.duration)
    except (av.FFmpegError, OSError):
        return "has corrupt audio at its end (cut short?); export the recording again"


def _wav_bytes_missing(path: Path) -> int:
    """How many bytes a RIFF/WAVE file lacks of the size its header states (0 for other files, and
    for a size the header leaves open). FFmpeg takes a WAV's length from the file's size, so a
    truncated WAV decodes to its (early) end without an error; the RIFF header still tells."""
    with open(path, "rb") as handle:
        head = handle.read(12)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return 0
    stated = int.from_bytes(head[4:8], "little") + 8
    if stated in (8, 0xFFFFFFFF + 8):  # written by a streaming recorder that never went back
        return 0
    short = stated - path.stat().st_size
    return short if short > 1 else 0  # one byte: a pad byte a writer counted but left out


def _cut_short(path: Path, duration: float) -> str | None:
    """Why ``path`` holds less audio than its header's ``duration`` says, or None. Decodes only from
    ``_TAIL_S`` before that duration (the first frame alone when it is unknown): a file cut short
    ends early or breaks in its last frame.

    Raises:
        av.FFmpegError: the audio there does not decode.
    """
    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        stream = container.streams.audio[0]
        base, bit_rate = stream.time_base, stream.codec_context.bit_rate
        # A duration no longer than the file's bytes hold at the codec's bit rate may be FFmpeg's
        # estimate from the file's size (an MP3 without a Xing header): no evidence of a cut then.
        stated = not bit_rate or duration > path.stat().st_size * 8 / bit_rate + 1.0
        start = float(stream.start_time * base) if stream.start_time is not None else 0.0
        if duration > _TAIL_S:
            container.seek(int((start + duration - _TAIL_S) / base), stream=stream)
        end = None
        for frame in container.decode(stream):
            if frame.pts is not None:
                end = float(frame.pts * base) - start + frame.samples / frame.sample_rate
            else:
                end = math.inf if end is None else end + frame.samples / frame.sample_rate
            if duration <= 0:
                break
    if end is None:
        return ("is cut short: no audio where its header puts the last seconds; export the recording again"
                if duration > _TAIL_S else "holds no audio samples; export the recording again")
    if stated and end < duration - _TAIL_S:
        return (f"is cut short: its audio ends at {end:.0f} s of the {duration:.0f} s its header states; "
                "export the recording again")
    return None


def _probe_or_none(path: Path):
    try:
        return probe(path)
    except AudioError:
        return None


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB chunks (a long call recording is not loaded whole)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verified_audio(home: Path, recording: Recording) -> Path:
    """The recording's audio in the store, checked to be there and unchanged since ingest.

    Raises:
        StoreError: the file is missing or its sha256 differs from the catalogue's.
    """
    path = home / recording.audio_path
    if not path.is_file():
        raise StoreError(f"audio of recording {recording.call_id} is missing from the store ({recording.audio_path})")
    if file_sha256(path) != recording.sha256:
        raise StoreError(f"audio of recording {recording.call_id} changed since ingest (sha256 mismatch)")
    return path


def get_recording(engine: Engine, call_id: str) -> Recording:
    """One catalogue row.

    Raises:
        RecordingNotFoundError: no such call id.
    """
    with engine.connect() as conn:
        row = conn.execute(sa.select(recordings).where(recordings.c.call_id == call_id)).mappings().first()
    if row is None:
        raise RecordingNotFoundError(
            f"recording {call_id} is not in the catalogue; check the id against the list of recordings"
        )
    return _to_recording(row)


def list_recordings(
    engine: Engine,
    states: Iterable[str] | None = None,
    *,
    employee_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> Iterator[Recording]:
    """Recordings ordered by call start (then id), filtered and paged.

    Args:
        states: only recordings in these states.
        employee_id: only this employee's calls.
        since: only calls that started at or after this moment (timezone-aware).
        until: only calls that started before this moment (timezone-aware).
        after: a call id: only recordings that come after it in this order (the next page after
            a page that ended with it). Each page is one index range scan, however deep.
        limit: at most this many recordings.

    Without ``limit`` the rows are streamed from the database in batches, so listing the whole
    catalogue does not hold it in memory.

    Raises:
        RecordingNotFoundError: ``after`` is not in the catalogue (expired or erased since the
            page that ended with it); list from a call start (``since``) instead.
        ValueError: a naive ``since``/``until``, or a ``limit`` below 1.
    """
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    for name, moment in (("since", since), ("until", until)):
        if moment is not None and moment.tzinfo is None:
            raise ValueError(f"{name} must be timezone-aware, e.g. 2026-10-01T00:00:00+02:00")
    query = sa.select(recordings).order_by(recordings.c.call_start, recordings.c.call_id)
    if states is not None:
        query = query.where(recordings.c.state.in_(list(states)))
    if employee_id is not None:
        query = query.where(recordings.c.employee_id == employee_id)
    if since is not None:
        query = query.where(recordings.c.call_start >= since)
    if until is not None:
        query = query.where(recordings.c.call_start < until)
    with engine.connect() as conn:
        if after is not None:
            start = conn.execute(sa.select(recordings.c.call_start).where(recordings.c.call_id == after)).scalar()
            if start is None:
                raise RecordingNotFoundError(
                    f"recording {after} is no longer in the catalogue (expired or erased), so the listing "
                    "cannot continue after it; list from a call start instead")
            query = query.where(sa.tuple_(recordings.c.call_start, recordings.c.call_id)
                                > sa.tuple_(_bind_utc(start), sa.literal(after)))
        if limit is not None:
            rows = conn.execute(query.limit(limit)).mappings().all()
        else:
            rows = conn.execution_options(yield_per=1000).execute(query).mappings()
        for row in rows:
            yield _to_recording(row)


def needs_transcribing(engine: Engine, lease: timedelta = DEFAULT_LEASE, now: datetime | None = None) -> list[str]:
    """Ids of the recordings not yet transcribed, oldest call first: ingested, failed before, or
    left ``processing`` by a run that died (its claim older than ``lease``)."""
    stale = (now or datetime.now(UTC)) - lease
    query = sa.select(recordings.c.call_id).where(sa.or_(
        recordings.c.state.in_(list(NEEDS_TRANSCRIBING)),
        sa.and_(recordings.c.state == RecordingState.PROCESSING,
                sa.or_(recordings.c.claimed_at.is_(None), recordings.c.claimed_at < stale)),
    )).order_by(recordings.c.call_start, recordings.c.call_id)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def claim(engine: Engine, call_id: str, lease: timedelta = DEFAULT_LEASE, now: datetime | None = None) -> None:
    """Take a recording for transcription (``processing``, claimed now): one run at a time. A claim
    older than ``lease`` was left by a run that died and may be taken over.

    Raises:
        RecordingNotFoundError: the id is not in the catalogue.
        StoreError: another run holds a live claim, or retention is deleting the recording.
    """
    now = now or datetime.now(UTC)
    with engine.begin() as conn:
        taken = conn.execute(sa.update(recordings).where(
            recordings.c.call_id == call_id, recordings.c.state != RecordingState.EXPIRING,
            sa.or_(recordings.c.state != RecordingState.PROCESSING, recordings.c.claimed_at.is_(None),
                   recordings.c.claimed_at < now - lease),
        ).values(state=RecordingState.PROCESSING, claimed_at=now, failure_reason=None)).rowcount
    if not taken:
        recording = get_recording(engine, call_id)  # raises when it is not catalogued
        raise StoreError(f"recording {call_id} is {recording.state}: another run is transcribing it or retention "
                         "is deleting it; try again later")


def set_state(engine: Engine, call_id: str, state: str, failure_reason: str | None = None) -> None:
    """Move a recording to ``state``; ``failure_reason`` is kept only for ``failed``."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}; valid: {', '.join(STATES)}")
    values = {"state": state, "failure_reason": failure_reason if state == RecordingState.FAILED else None}
    if state in (RecordingState.TRANSCRIBED, RecordingState.FAILED):
        values["processed_at"] = datetime.now(UTC)
    with engine.begin() as conn:
        result = conn.execute(sa.update(recordings).where(recordings.c.call_id == call_id).values(**values))
    if result.rowcount == 0:
        raise RecordingNotFoundError(f"recording {call_id} is not in the catalogue")


def is_claimed(engine: Engine, call_id: str) -> bool:
    """True while a transcription's claim on the recording stands: it is catalogued and
    ``processing`` (retention or an erasure marks it ``expiring``, then removes the row)."""
    with engine.connect() as conn:
        state = conn.execute(sa.select(recordings.c.state).where(recordings.c.call_id == call_id)).scalar()
    return state == RecordingState.PROCESSING


def finish(engine: Engine, call_id: str, state: str, failure_reason: str | None = None, *,
           claimed: bool = True) -> bool:
    """End a transcription in ``transcribed`` or ``failed``: with ``claimed`` (the run holds the
    claim) from ``processing``; without (the run failed before it could claim) only from
    ``ingested`` or ``failed``, so another run's claim and retention's mark are never overwritten.
    True when the recording moved."""
    if state not in (RecordingState.TRANSCRIBED, RecordingState.FAILED):
        raise ValueError(f"a transcription ends transcribed or failed, not {state!r}")
    from_states = [RecordingState.PROCESSING] if claimed else list(NEEDS_TRANSCRIBING)
    with engine.begin() as conn:
        moved = conn.execute(sa.update(recordings).where(
            recordings.c.call_id == call_id, recordings.c.state.in_(from_states),
        ).values(state=state, processed_at=datetime.now(UTC),
                 failure_reason=failure_reason if state == RecordingState.FAILED else None)).rowcount
    return bool(moved)


def _to_recording(row) -> Recording:
    return Recording(
        call_id=row["call_id"],
        call_start=row["call_start"],
        duration=row["duration_s"],
        employee_id=row["employee_id"],
        caller_number=row["caller_number"],
        direction=row["direction"],
        audio_path=row["audio_path"],
        sha256=row["sha256"],
        channel_layout=row["channel_layout"],
        state=row["state"],
        failure_reason=row["failure_reason"],
        processed_at=row["processed_at"],
    )


# --- retention: batched reads, the "expiring" mark and tombstones -------------------------------


@dataclass(frozen=True)
class ExpiryCandidate:
    """What the retention flow needs of a row: no phone number, no employee."""

    call_id: str
    call_start: datetime
    audio_path: str
    state: str


@dataclass(frozen=True)
class Tombstone:
    """What remains of an expired recording: id, call date and what was deleted (kinds, counts)."""

    call_id: str
    call_date: date
    expired_at: datetime
    deleted_at: datetime
    files_deleted: int
    bytes_deleted: int
    deleted: tuple[str, ...]
    resumed: bool


def iter_expiry_batches(
    engine: Engine,
    *,
    call_start_before: datetime | None = None,
    state: str | None = None,
    batch_size: int = TOMBSTONE_BATCH,
) -> Iterator[list[ExpiryCandidate]]:
    """Rows in (call_start, call_id) order, ``batch_size`` at a time, one short query per batch.

    A keyset (the last row's call start and id) starts each batch, so rows deleted or changed
    between batches do not shift the walk, and no read transaction stays open while files are
    deleted.
    """
    key = sa.tuple_(recordings.c.call_start, recordings.c.call_id)
    query = sa.select(
        recordings.c.call_id, recordings.c.call_start, recordings.c.audio_path, recordings.c.state
    ).order_by(recordings.c.call_start, recordings.c.call_id).limit(batch_size)
    if call_start_before is not None:
        query = query.where(recordings.c.call_start <= call_start_before)
    if state is not None:
        query = query.where(recordings.c.state == state)
    last = None
    while True:
        page = query if last is None else query.where(key > sa.tuple_(*last))
        with engine.connect() as conn:
            batch = [ExpiryCandidate(r.call_id, r.call_start, r.audio_path, r.state) for r in conn.execute(page)]
        if not batch:
            return
        yield batch
        if len(batch) < batch_size:
            return
        last = (_bind_utc(batch[-1].call_start), batch[-1].call_id)


def expiry_candidates_of(engine: Engine, call_ids: Iterable[str]) -> list[ExpiryCandidate]:
    """The rows of ``call_ids`` that are still catalogued, in (call_start, call_id) order."""
    columns = (recordings.c.call_id, recordings.c.call_start, recordings.c.audio_path, recordings.c.state)
    found = [ExpiryCandidate(*row) for row in _select_in(engine, columns, recordings.c.call_id, call_ids)]
    return sorted(found, key=lambda row: (row.call_start, row.call_id))


def next_yearly_id(conn, column, prefix: str, now: datetime, timezone: str) -> str:
    """The next id ``<prefix>-<year>-<number>`` (``K-2026-0001``) numbered per local year in ``timezone``.

    Two writers can compute the same id; the primary key makes the second insert fail, and the
    caller retries.
    """
    from zoneinfo import ZoneInfo

    stem = f"{prefix}-{now.astimezone(ZoneInfo(timezone)).year}-"
    last = conn.execute(sa.select(column).where(column.like(stem + "%")).order_by(
        sa.func.length(column).desc(), column.desc()).limit(1)).scalar()
    number = int(last.removeprefix(stem)) + 1 if last else 1
    return f"{stem}{number:04d}"


def _bind_utc(value: datetime):
    return sa.literal(value, UTCDateTime)


def mark_expiring(engine: Engine, call_ids: Iterable[str]) -> None:
    """Mark rows ``expiring`` in one transaction, before any of their files is deleted."""
    ids = list(call_ids)
    if ids:
        with engine.begin() as conn:
            conn.execute(sa.update(recordings).where(recordings.c.call_id.in_(ids)).values(state=RecordingState.EXPIRING))


def write_tombstones(engine: Engine, entries: Iterable[Tombstone]) -> None:
    """Replace recordings by their tombstones in one transaction (insert tombstone, delete row).
    Two runs expiring the same recording at once (the retention flow and an erasure) write its
    tombstone once: the writers' lock keeps the second from inserting what the first committed."""
    entries = list(entries)
    if not entries:
        return
    with engine.begin() as conn:
        locking.lock_writers(conn)
        ids = [e.call_id for e in entries]
        already = set(conn.execute(sa.select(tombstones.c.call_id).where(tombstones.c.call_id.in_(ids))).scalars())
        rows = [
            {"call_id": e.call_id, "call_date": e.call_date, "expired_at": e.expired_at, "deleted_at": e.deleted_at,
             "files_deleted": e.files_deleted, "bytes_deleted": e.bytes_deleted, "deleted": ",".join(e.deleted),
             "resumed": e.resumed}
            for e in entries if e.call_id not in already
        ]
        if rows:
            conn.execute(sa.insert(tombstones), rows)
        conn.execute(sa.delete(recordings).where(recordings.c.call_id.in_(ids)))


def get_tombstone(engine: Engine, call_id: str) -> Tombstone | None:
    """The tombstone of an expired recording, or None."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(tombstones).where(tombstones.c.call_id == call_id)).mappings().first()
    if row is None:
        return None
    return Tombstone(
        call_id=row["call_id"], call_date=row["call_date"], expired_at=row["expired_at"],
        deleted_at=row["deleted_at"], files_deleted=row["files_deleted"], bytes_deleted=row["bytes_deleted"],
        deleted=tuple(k for k in row["deleted"].split(",") if k), resumed=row["resumed"],
    )


def live_call_ids(engine: Engine, call_ids: Iterable[str]) -> set[str]:
    """Those of ``call_ids`` that have a catalogue row."""
    return _existing(engine, recordings.c.call_id, call_ids)


def tombstoned_call_ids(engine: Engine, call_ids: Iterable[str]) -> set[str]:
    """Those of ``call_ids`` that have a tombstone."""
    return _existing(engine, tombstones.c.call_id, call_ids)


def recording_values(engine: Engine, call_ids: Iterable[str], column) -> dict:
    """``column`` (e.g. ``recordings.c.audio_path``) of those of ``call_ids`` that have a row, by call id."""
    return dict(_select_in(engine, (recordings.c.call_id, column), recordings.c.call_id, call_ids))


def _existing(engine: Engine, column, values: Iterable[str]) -> set[str]:
    return {row[0] for row in _select_in(engine, (column,), column, values)}


def _select_in(engine: Engine, columns, key, values: Iterable[str]) -> list:
    """Rows of ``columns`` whose ``key`` is one of ``values``, asked :data:`TOMBSTONE_BATCH` values
    at a time (SQLite caps the bound parameters of one statement)."""
    values = list(dict.fromkeys(values))
    rows: list = []
    with engine.connect() as conn:
        for start in range(0, len(values), TOMBSTONE_BATCH):
            rows += conn.execute(sa.select(*columns).where(key.in_(values[start:start + TOMBSTONE_BATCH]))).all()
    return rows


def oldest_recording(engine: Engine, skip: Callable[[ExpiryCandidate], bool] | None = None) -> ExpiryCandidate | None:
    """The recording with the earliest call start that is not being expired, passing over those
    ``skip`` says to (read in batches, oldest first: memory stays flat)."""
    query = (sa.select(recordings.c.call_id, recordings.c.call_start, recordings.c.audio_path, recordings.c.state)
             .where(recordings.c.state != RecordingState.EXPIRING)
             .order_by(recordings.c.call_start, recordings.c.call_id))
    with engine.connect() as conn:
        if skip is None:
            row = conn.execute(query.limit(1)).first()
            return None if row is None else ExpiryCandidate(row.call_id, row.call_start, row.audio_path, row.state)
        for row in conn.execution_options(yield_per=1000).execute(query):
            candidate = ExpiryCandidate(row.call_id, row.call_start, row.audio_path, row.state)
            if not skip(candidate):
                return candidate
    return None
