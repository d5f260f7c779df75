"""The retention policy as code: when a recording and everything derived from it expires, and the
crash-safe deletion that carries it out.

A run works in batches of catalogue rows ordered by call start (memory does not grow with the
catalogue) and, per batch:

1. marks the expired rows ``expiring`` in one transaction;
2. deletes their files: the transcript folder first, then outbox exports, the audio last;
3. replaces the rows by tombstones in one transaction (id, call date, what was deleted; no
   phone number, no employee).

A run killed anywhere leaves rows ``expiring``; the next run finishes them first (deleting what
is already gone is harmless). Files are only ever removed inside ``<home>/audio``,
``<home>/transcripts`` and ``<home>/outbox``: parent folders are resolved and checked, and a
symbolic link is removed as a link, never followed. Files in those folders that no catalogue row
owns are swept once they are older than the retention period (at once if their call id has a
tombstone: written late by a run that was still busy when the recording expired).
"""

from __future__ import annotations

import gc
import logging
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import PolicyError
from callscribe.pipeline.policy import access, audit, holds
from callscribe.pipeline.policy.identity import User, schedule
from callscribe.pipeline.storage import catalogue, transcripts
from callscribe.pipeline.storage.schema import recordings

logger = logging.getLogger(__name__)

AUDIO, TRANSCRIPTS, OUTBOX = "audio", "transcripts", "outbox"
TRANSCRIPT_FILES = transcripts.TranscriptFolder.FILES
_SEPARATORS = "._-"
# expires_at() adds calendar days; in UTC that is the same span give or take the offset change,
# so rows up to this much younger are read and checked exactly.
_SLACK = timedelta(days=2)

# Indirections so tests can inject a crash after N deletions.
_unlink = os.unlink
_rmdir = os.rmdir


def expires_at(call_start: datetime, retention_days: int = 62, timezone: str = "Europe/Amsterdam") -> datetime:
    """The moment a recording expires: call start plus ``retention_days`` calendar days, local time.

    Calendar days in ``timezone`` keep the wall-clock time across daylight-saving changes: a call
    at 10:00 on 1 March expires at 10:00 on 2 May, whatever the UTC offset did in between.
    """
    if call_start.tzinfo is None:
        raise ValueError("call_start must be timezone-aware")
    try:
        local = call_start.astimezone(ZoneInfo(timezone))
        return local + timedelta(days=retention_days)
    except OverflowError:  # a call start at the end of the calendar (only older catalogues hold one)
        return datetime.max.replace(tzinfo=UTC)


def is_expired(call_start: datetime, now: datetime, retention_days: int = 62, timezone: str = "Europe/Amsterdam") -> bool:
    """Whether a recording that started at ``call_start`` has expired at ``now`` (expiry included)."""
    return expires_at(call_start, retention_days, timezone) <= now


@dataclass(frozen=True)
class RetentionOptions:
    """The settings a retention run was made with; carried by its report."""

    retention_days: int = 62
    timezone: str = "Europe/Amsterdam"
    dry_run: bool = False
    batch_size: int = catalogue.TOMBSTONE_BATCH


@dataclass(frozen=True)
class DayCount:
    """Recordings expired (or that would be) for one local call day."""

    call_date: date
    recordings: int
    files: int
    bytes: int


@dataclass(frozen=True)
class RetentionReport:
    """What a run did, without personal data: counts, bytes, dates and one call id.

    Attributes:
        recordings_expired: recordings tombstoned (or, in a dry run, that would be).
        resumed: of those, rows an interrupted earlier run had left ``expiring``.
        failed: rows left ``expiring`` because a file could not be deleted (the next run retries).
        paths_refused: stored paths outside the managed store, not touched.
        held: expired calls kept under a legal hold, each with the complaint or request id holding it.
    """

    now: datetime
    options: RetentionOptions
    recordings_expired: int
    resumed: int
    failed: int
    files_deleted: int
    bytes_deleted: int
    orphans_swept: int
    orphan_bytes: int
    paths_refused: int
    days: tuple[DayCount, ...]
    oldest_remaining_id: str | None
    oldest_remaining_call_start: datetime | None
    oldest_remaining_expires_at: datetime | None
    held: tuple[tuple[str, str], ...] = ()

    def to_frame(self):
        """The report as a pandas DataFrame of (metric, value) rows."""
        import pandas as pd

        rows = [
            ("run at", self.now.isoformat()),
            ("dry run", self.options.dry_run),
            ("retention", f"{self.options.retention_days} calendar days, {self.options.timezone}"),
            ("recordings expired", self.recordings_expired),
            ("of which resumed", self.resumed),
            ("recordings failed (retried next run)", self.failed),
            ("files deleted", self.files_deleted),
            ("bytes deleted", self.bytes_deleted),
            ("orphan files swept", self.orphans_swept),
            ("orphan bytes swept", self.orphan_bytes),
            ("paths refused (outside the store)", self.paths_refused),
            ("expired but held (open complaint or request)", len(self.held)),
            ("oldest recording remaining", self.oldest_remaining_id or ""),
            ("its call start", _iso(self.oldest_remaining_call_start)),
            ("its expiry", _iso(self.oldest_remaining_expires_at)),
        ]
        return pd.DataFrame(rows, columns=["metric", "value"]).astype({"value": str})

    def days_frame(self):
        """Counts per local call day as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(
            [(d.call_date.isoformat(), d.recordings, d.files, d.bytes) for d in self.days],
            columns=["call_date", "recordings", "files", "bytes"],
        )

    def as_dict(self) -> dict:
        """JSON-ready: what the flow returns."""
        return {
            "now": self.now.isoformat(),
            "dry_run": self.options.dry_run,
            "retention_days": self.options.retention_days,
            "timezone": self.options.timezone,
            "recordings_expired": self.recordings_expired,
            "resumed": self.resumed,
            "failed": self.failed,
            "files_deleted": self.files_deleted,
            "bytes_deleted": self.bytes_deleted,
            "orphans_swept": self.orphans_swept,
            "orphan_bytes": self.orphan_bytes,
            "paths_refused": self.paths_refused,
            "held": [{"call_id": call, "held_by": holder} for call, holder in self.held],
            "by_call_date": [
                {"call_date": d.call_date.isoformat(), "recordings": d.recordings, "files": d.files, "bytes": d.bytes}
                for d in self.days
            ],
            "oldest_remaining_id": self.oldest_remaining_id,
            "oldest_remaining_call_start": _iso(self.oldest_remaining_call_start),
            "oldest_remaining_expires_at": _iso(self.oldest_remaining_expires_at),
        }

    def summary_line(self) -> str:
        verb = "would expire" if self.options.dry_run else "expired"
        return (
            f"{verb} {self.recordings_expired} recording(s) ({self.files_deleted} files, "
            f"{self.bytes_deleted} bytes), {self.orphans_swept} orphan file(s) swept, "
            f"{self.failed} failed, {self.paths_refused} path(s) refused; oldest remaining expires "
            f"{_iso(self.oldest_remaining_expires_at) or 'never (none left)'}"
        )


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


@dataclass
class _Tally:
    expired: int = 0
    resumed: int = 0
    failed: int = 0
    files: int = 0
    bytes: int = 0
    orphans: int = 0
    orphan_bytes: int = 0
    refused: int = 0
    days: dict[date, list[int]] = field(default_factory=dict)
    held: dict[str, str] = field(default_factory=dict)


@dataclass
class _Removed:
    files: int = 0
    bytes: int = 0
    kinds: set[str] = field(default_factory=set)
    refused: int = 0


class _Store:
    """The three managed folders, resolved once; every removal goes through :meth:`remove`.

    Paths are plain strings here: a run handles hundreds of thousands of them.
    """

    def __init__(self, home: Path, dry_run: bool):
        self.home = home
        self.dry_run = dry_run
        self.roots = {name: os.path.realpath(home / name) for name in (AUDIO, TRANSCRIPTS, OUTBOX)}

    def entry(self, root: str, name: str) -> str | None:
        """``<root>/<name>`` when ``name`` is one plain entry of that folder, else None."""
        if not name or name in (".", "..") or "/" in name or "\0" in name:
            return None
        return os.path.join(self.roots[root], name)

    def audio_entry(self, audio_path: str) -> str | None:
        """The stored audio file of a row, when its path lies directly inside ``<home>/audio``."""
        folder, _, name = audio_path.rpartition("/")
        if folder != AUDIO and os.path.realpath(os.path.join(self.home, folder)) != self.roots[AUDIO]:
            return None
        return self.entry(AUDIO, name)

    def remove(self, path: str, kind: str, removed: _Removed, older_than: datetime | None = None) -> None:
        """Remove ``path`` (file, link or folder tree) without following links.

        With ``older_than``, only files modified before it go, and folders only once empty.
        """
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return
        if stat.S_ISDIR(info.st_mode):
            with os.scandir(path) as entries:
                children = [e.name for e in entries]
            for name in children:
                child_kind = kind if kind != TRANSCRIPTS else (
                    f"{TRANSCRIPTS}/{name}" if name in TRANSCRIPT_FILES else f"{TRANSCRIPTS}/other"
                )
                self.remove(os.path.join(path, name), child_kind, removed, older_than)
            if self.dry_run:
                return
            if older_than is not None and (_mtime(info) >= older_than or _has_entries(path)):
                return
            try:
                _rmdir(path)
            except FileNotFoundError:
                pass
            return
        if older_than is not None and _mtime(info) >= older_than:
            return
        if not self.dry_run:
            try:
                _unlink(path)  # a symbolic link goes itself; its target is never touched
            except FileNotFoundError:
                return
        removed.files += 1
        removed.bytes += info.st_size if stat.S_ISREG(info.st_mode) else 0
        removed.kinds.add(kind)


def _has_entries(path: str) -> bool:
    with os.scandir(path) as entries:
        return next(entries, None) is not None


def _mtime(info: os.stat_result) -> datetime:
    return datetime.fromtimestamp(info.st_mtime, UTC)


def apply_retention(
    engine: Engine,
    home: Path,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    retention_days: int = 62,
    timezone: str = "Europe/Amsterdam",
    batch_size: int = catalogue.TOMBSTONE_BATCH,
    actor: User | None = None,
) -> RetentionReport:
    """Expire every recording whose expiry is at or before ``now``, then sweep orphan files.

    The engine of :func:`run` (which authorises the run and keeps the clock real) and of the
    tests; ``actor`` is named in the audit entry (default the system).

    Args:
        engine: the catalogue.
        home: the callscribe home holding ``audio/``, ``transcripts/`` and ``outbox/``.
        now: the moment to apply the policy at (timezone-aware); default the current time.
        dry_run: count what would go and change nothing.
        retention_days: calendar days a recording is kept.
        timezone: the zone whose calendar counts the days.
        batch_size: catalogue rows read and tombstoned per transaction.

    Returns:
        A report without personal data.
    """
    now = datetime.now(UTC) if now is None else now
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware, e.g. 2026-03-01T02:30:00+01:00")
    options = RetentionOptions(retention_days, timezone, dry_run, batch_size)
    store = _Store(home, dry_run)
    tally = _Tally()

    # 1. rows an interrupted run left half done, whatever the clock or settings say now
    for batch in catalogue.iter_expiry_batches(engine, state=catalogue.RecordingState.EXPIRING, batch_size=batch_size):
        _expire_batch(engine, store, batch, options, now, tally, resumed=True)
    # 2. rows that expired since, except calls under a legal hold (kept, and reported)
    upper = now.astimezone(UTC) - timedelta(days=retention_days) + _SLACK
    for batch in catalogue.iter_expiry_batches(engine, call_start_before=upper, batch_size=batch_size):
        gc.collect()  # keep memory flat: free the previous batch's reference cycles
        due = [row for row in batch if row.state != catalogue.RecordingState.EXPIRING and is_expired(row.call_start, now, retention_days, timezone)]
        held = holds.held_calls(engine, [row.call_id for row in due])
        tally.held.update(held)
        _expire_batch(engine, store, [row for row in due if row.call_id not in held], options, now, tally, resumed=False)
    # 3. files nobody owns
    _sweep_orphans(engine, store, options, now, tally)
    report = _report(engine, now, options, tally)
    if not dry_run:
        _audit(engine, "retention.run", now, report, actor=actor)
    logger.info("retention: %s", report.summary_line())
    return report


SCHEDULED = schedule("expire-recordings")


def run(
    engine: Engine,
    home: Path,
    as_user: str | None,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    simulated_clock: bool = False,
    retention_days: int = 62,
    timezone: str = "Europe/Amsterdam",
) -> RetentionReport:
    """A retention run for ``as_user`` (a login with ``retention.run``: a manager or the ICT back
    office) or, with ``as_user=None``, for the daily schedule (its own named actor).

    A run that deletes uses the real clock: ``now`` is for dry runs, unless ``simulated_clock``
    (a test setting) allows it; the audit entry always carries the real time.

    Raises:
        AccessDeniedError: ``as_user`` may not run retention.
        PolicyError: a deleting run at a moment other than now.
    """
    actor = SCHEDULED if as_user is None else access.authorize(engine, as_user, "retention.run")
    if now is not None and not dry_run and not simulated_clock:
        raise PolicyError("a retention run that deletes uses the real clock: look at another moment with a dry run")
    return apply_retention(engine, home, now=now, dry_run=dry_run, retention_days=retention_days,
                           timezone=timezone, actor=actor)


def erase(
    engine: Engine,
    home: Path,
    call_ids: Iterable[str],
    *,
    now: datetime | None = None,
    retention_days: int = 62,
    timezone: str = "Europe/Amsterdam",
    actor=None,
    subject: str = "erasure",
    override_holds: bool = False,
) -> RetentionReport:
    """Erase recordings early (a data subject's right to erasure) exactly as expiry would.

    A call under a legal hold (an open complaint, an undecided or approved request) is erased only
    with ``override_holds``: the decision is explicit, and recorded with the ids that held it.

    The rows go through the same steps as :func:`apply_retention`: marked ``expiring``, transcript
    folder, outbox files and audio deleted, rows replaced by tombstones, so an erased recording
    leaves what an expired one leaves. Ids not in the catalogue are skipped (already gone).

    Args:
        call_ids: the recordings to erase.
        actor: who carries it out (``.user_id``, ``.role``) for the audit entry; default the system.
        subject: the audit entry's subject, e.g. the data-subject request id.

    Returns:
        The report (``recordings_expired`` counts the recordings erased).
    """
    now = datetime.now(UTC) if now is None else now
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    call_ids = list(call_ids)
    held = holds.held_calls(engine, call_ids)
    if held and not override_holds:
        raise PolicyError(f"{len(held)} of the recordings are under a legal hold ("
                          + ", ".join(f"{call} by {holder}" for call, holder in sorted(held.items()))
                          + "): close the complaint or decide the request first, or decide explicitly to erase them anyway")
    options = RetentionOptions(retention_days, timezone, False)
    store = _Store(home, dry_run=False)
    tally = _Tally()
    rows = catalogue.expiry_candidates_of(engine, call_ids)
    for start in range(0, len(rows), options.batch_size):
        _expire_batch(engine, store, rows[start:start + options.batch_size], options, now, tally, resumed=False)
    report = _report(engine, now, options, tally)
    _audit(engine, "recordings.erased", now, report, actor=actor, subject=subject,
           extra={"holds_overridden": sorted(set(held.values()))} if held else None)
    logger.info("erasure: %s", report.summary_line())
    return report


def _report(engine, now: datetime, options: RetentionOptions, tally: _Tally) -> RetentionReport:
    def would_go(row: catalogue.ExpiryCandidate) -> bool:  # a dry run deletes nothing, but would these
        return is_expired(row.call_start, now, options.retention_days, options.timezone) and row.call_id not in tally.held

    oldest = catalogue.oldest_recording(engine, skip=would_go if options.dry_run else None)
    zone = options.timezone
    return RetentionReport(
        now=now,
        options=options,
        recordings_expired=tally.expired,
        resumed=tally.resumed,
        failed=tally.failed,
        files_deleted=tally.files,
        bytes_deleted=tally.bytes,
        orphans_swept=tally.orphans,
        orphan_bytes=tally.orphan_bytes,
        paths_refused=tally.refused,
        days=tuple(DayCount(day, *counts) for day, counts in sorted(tally.days.items())),
        oldest_remaining_id=oldest.call_id if oldest else None,
        oldest_remaining_call_start=oldest.call_start.astimezone(ZoneInfo(zone)) if oldest else None,
        oldest_remaining_expires_at=expires_at(oldest.call_start, options.retention_days, zone) if oldest else None,
        held=tuple(sorted(tally.held.items())),
    )


def _audit(engine, action: str, now: datetime, report: RetentionReport, actor=None, subject: str | None = None,
           extra: dict | None = None) -> None:
    """One audit entry per run: counts only (the call ids are in the tombstones)."""
    audit.append(engine, (actor or access.SYSTEM).user_id, (actor or access.SYSTEM).role, action,
                 subject or f"retention:{now.astimezone(UTC).isoformat(timespec='seconds')}",
                 {"recordings": report.recordings_expired, "files": report.files_deleted,
                  "orphans": report.orphans_swept, "failed": report.failed, "held": len(report.held), **(extra or {})})


def _expire_batch(engine, store: _Store, rows, options: RetentionOptions, now: datetime, tally: _Tally,
                  resumed: bool) -> None:
    if not rows:
        return
    if not options.dry_run:
        catalogue.mark_expiring(engine, [row.call_id for row in rows])
    outbox = _outbox_owners(engine, store, {row.call_id for row in rows})
    zone = ZoneInfo(options.timezone)
    done: list[catalogue.Tombstone] = []
    for row in rows:
        removed = _Removed()
        try:
            _delete_recording(store, row, outbox.get(row.call_id, ()), removed)
        except OSError as err:
            tally.failed += 1
            logger.warning("retention: recording %s stays expiring, a file could not be deleted (%s)",
                           row.call_id, type(err).__name__)
            continue
        tally.refused += removed.refused
        tally.expired += 1
        tally.resumed += resumed
        tally.files += removed.files
        tally.bytes += removed.bytes
        day = row.call_start.astimezone(zone).date()
        counts = tally.days.setdefault(day, [0, 0, 0])
        counts[0] += 1
        counts[1] += removed.files
        counts[2] += removed.bytes
        done.append(catalogue.Tombstone(
            call_id=row.call_id, call_date=day,
            expired_at=expires_at(row.call_start, options.retention_days, options.timezone),
            deleted_at=now, files_deleted=removed.files, bytes_deleted=removed.bytes,
            deleted=tuple(sorted(removed.kinds)), resumed=resumed,
        ))
    if not options.dry_run:
        catalogue.write_tombstones(engine, done)


def _delete_recording(store: _Store, row, outbox_entries: Iterable[str], removed: _Removed) -> None:
    """Transcripts first, then outbox exports, the audio last: a crash never leaves a transcript
    whose audio is gone."""
    folder = store.entry(TRANSCRIPTS, row.call_id)
    if folder is None:
        removed.refused += 1
    else:
        store.remove(folder, TRANSCRIPTS, removed)
    for name in outbox_entries:
        store.remove(os.path.join(store.roots[OUTBOX], name), OUTBOX, removed)
    audio = store.audio_entry(row.audio_path)
    if audio is None:
        removed.refused += 1
        logger.warning("retention: recording %s has an audio path outside %s; not touched",
                       row.call_id, store.roots[AUDIO])
    else:
        store.remove(audio, AUDIO, removed)


def _prefixes(name: str) -> Iterator[str]:
    """Every call id an outbox entry name could belong to: the name cut at each separator."""
    for i, char in enumerate(name):
        if char in _SEPARATORS and i:
            yield name[:i]
    yield name


def _outbox_owners(engine, store: _Store, call_ids: set[str]) -> dict[str, list[str]]:
    """Outbox entries of ``call_ids``: named ``<call_id>`` or ``<call_id>`` + separator + anything,
    and not belonging to a longer call id that is still catalogued."""
    root = store.roots[OUTBOX]
    if not os.path.isdir(root):
        return {}
    claimed: dict[str, list[str]] = {}
    with os.scandir(root) as entries:
        for entry in entries:
            prefixes = list(_prefixes(entry.name))
            mine = [p for p in prefixes if p in call_ids]
            if not mine:
                continue
            owner = max(mine, key=len)
            longer = [p for p in prefixes if len(p) > len(owner)]
            if longer and catalogue.live_call_ids(engine, longer):
                continue
            claimed.setdefault(owner, []).append(entry.name)
    return claimed


def _sweep_orphans(engine, store: _Store, options: RetentionOptions, now: datetime, tally: _Tally) -> None:
    """Remove store files no row owns, once older than the retention period (at once if tombstoned)."""
    # modified before this = older than the retention period, counted in calendar days like expiry
    older_than = now.astimezone(ZoneInfo(options.timezone)) - timedelta(days=options.retention_days)
    for root in (AUDIO, TRANSCRIPTS, OUTBOX):
        if not os.path.isdir(store.roots[root]):
            continue
        for names in _chunks(_scan_names(store.roots[root]), options.batch_size):
            gc.collect()  # SQLAlchemy results leave reference cycles; free them per batch
            orphans = _unowned(engine, root, names)  # name -> call ids it could belong to
            expired = catalogue.tombstoned_call_ids(engine, {i for ids in orphans.values() for i in ids})
            for name, ids in orphans.items():
                removed = _Removed()
                cutoff = None if expired.intersection(ids) else older_than
                store.remove(os.path.join(store.roots[root], name), root, removed, older_than=cutoff)
                if removed.files:
                    logger.info("retention: %s %d orphan file(s) under %s/",
                                "would sweep" if store.dry_run else "swept", removed.files, root)
                tally.orphans += removed.files
                tally.orphan_bytes += removed.bytes


def _unowned(engine, root: str, names: list[str]) -> dict[str, list[str]]:
    if root == AUDIO:
        # stored as <call_id><.ext>: look the row up by its primary key
        ids = {n: n.rsplit(".", 1)[0] for n in names}
        paths = catalogue.recording_values(engine, ids.values(), recordings.c.audio_path)
        return {n: [i] for n, i in ids.items() if paths.get(i) != f"{AUDIO}/{n}"}
    if root == TRANSCRIPTS:
        live = catalogue.live_call_ids(engine, names)
        return {n: [n] for n in names if n not in live}
    candidates = {n: list(_prefixes(n)) for n in names}
    live = catalogue.live_call_ids(engine, [p for ps in candidates.values() for p in ps])
    return {n: ps for n, ps in candidates.items() if not live.intersection(ps)}


def _scan_names(folder: str) -> Iterator[str]:
    with os.scandir(folder) as entries:
        for entry in entries:
            yield entry.name


def _chunks(items: Iterator[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
