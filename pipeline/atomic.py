"""Atomic file writes: write a temporary file in the target folder, fsync, then rename.

A reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

_CHUNK = 8 << 20


def write_bytes(target: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``target`` atomically with file permissions ``mode``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _temporary(target) as out:
        out.write(data)
        os.fchmod(out.fileno(), mode)
    os.replace(out.name, target)


def write_text(target: Path, text: str, mode: int = 0o600) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    write_bytes(target, text.encode("utf-8"), mode)


def copy_file(source: Path, target: Path, mode: int = 0o600) -> None:
    """Copy ``source`` to ``target`` atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _temporary(target) as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out, _CHUNK)
        os.fchmod(out.fileno(), mode)
    os.replace(out.name, target)


class _temporary:
    """A named temporary file beside ``target`` that is flushed and fsynced on success and removed on failure."""

    def __init__(self, target: Path):
        self._file: BinaryIO = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in __exit__
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        )

    def __enter__(self) -> BinaryIO:
        return self._file

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._file.flush()
                os.fsync(self._file.fileno())
        finally:
            self._file.close()
            if exc_type is not None:
                os.unlink(self._file.name)
