"""Progress display for interactive runs: a bar per recording and the audio minutes done.

The CLI opens a :class:`ProgressBoard` around a flow run; tasks report to whichever board is
active. Without one (a served deployment) reports are dropped and the flow's summary remains.
Only recording ids and seconds are shown.
"""

from __future__ import annotations

import threading

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

_active: ProgressBoard | None = None
_lock = threading.Lock()


class ProgressBoard:
    """A rich progress display with one bar per recording and a total in audio minutes."""

    def __init__(self, total_audio_seconds: float, disable: bool = False):
        self._progress = Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            TextColumn("{task.fields[minutes]}"),
            TimeRemainingColumn(),
            disable=disable,
        )
        self._total = self._progress.add_task(
            "audio minutes", total=max(total_audio_seconds, 1e-6), minutes=self._minutes(0, total_audio_seconds)
        )
        self._bars: dict[str, TaskID] = {}
        self._done: dict[str, float] = {}
        self._total_seconds = total_audio_seconds

    @staticmethod
    def _minutes(done: float, total: float) -> str:
        return f"{done / 60:.1f}/{total / 60:.1f} min"

    def __enter__(self) -> ProgressBoard:
        global _active
        self._progress.start()
        with _lock:
            _active = self
        return self

    def __exit__(self, *exc) -> None:
        global _active
        with _lock:
            _active = None
        self._progress.stop()

    def update(self, call_id: str, done: float, total: float) -> None:
        with _lock:
            if call_id not in self._bars:
                self._bars[call_id] = self._progress.add_task(call_id, total=max(total, 1e-6), minutes="")
            self._done[call_id] = min(done, total)
            self._progress.update(self._bars[call_id], completed=self._done[call_id],
                                  minutes=self._minutes(self._done[call_id], total))
            finished = sum(self._done.values())
            self._progress.update(self._total, completed=finished, minutes=self._minutes(finished, self._total_seconds))


def report(call_id: str, done: float, total: float) -> None:
    """Report ``done`` of ``total`` seconds of audio for a recording to the active board, if any."""
    board = _active
    if board is not None:
        board.update(call_id, done, total)
