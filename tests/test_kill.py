"""A `callscribe transcribe` killed with SIGKILL in the middle of its flow run: a real process,
a real signal, Prefect's real temporary server and the real model."""

import os
import select
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callscribe.pipeline.storage import catalogue
from tests.conftest import ingest_approved_sample

CALL_ID = "TBI-2026-000102"
MARKER = f"Task run 'load {CALL_ID}' - Finished in state Completed"  # claimed; Whisper starts next
DEADLINE_S = 600  # bounds on waiting for a sign of life; the test never waits for time to pass


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _read_until(process: subprocess.Popen, marker: str) -> str:
    """The output of ``process`` up to ``marker`` (blocking reads of what it writes, bounded)."""
    seen, deadline = b"", time.monotonic() + DEADLINE_S
    while marker.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], deadline - time.monotonic())
        chunk = os.read(process.stdout.fileno(), 65536) if ready else b""
        if not chunk:
            break
        seen += chunk
    if marker.encode() not in seen:
        raise AssertionError(f"the command never got to {marker!r}:\n{seen.decode(errors='replace')[-3000:]}")
    return seen.decode(errors="replace")


def _ended(pidfd: int, within_s: float) -> bool:
    ready, _, _ = select.select([pidfd], [], [], within_s)
    return bool(ready)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs Linux pidfds")
def test_kill_9_during_transcribe_takes_the_temporary_server_along_and_the_call_comes_back(settings, tmp_path):
    """The fault: `kill -9` during `transcribe`: the recording stays `processing` forever
    (`--pending` skips it) and the temporary Prefect server keeps running."""
    engine = ingest_approved_sample(settings, tmp_path / "incoming", CALL_ID)

    command = [sys.executable, "-c", "from callscribe.cli.main import main; main()", "transcribe", CALL_ID,
               "--as", "bob"]
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={**environment, "COLUMNS": "300"})
    server = pidfd = None
    try:
        _read_until(process, MARKER)
        (server,) = [pid for pid in _children(process.pid) if "uvicorn" in _cmdline(pid)]
        pidfd = os.pidfd_open(server)
        process.send_signal(signal.SIGKILL)
        assert process.wait() == -signal.SIGKILL
        assert _ended(pidfd, within_s=60), "the temporary Prefect server outlived its command"
    finally:
        if process.poll() is None:
            process.kill()
        if pidfd is not None and not _ended(pidfd, 0):
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        process.stdout.close()

    assert catalogue.get_recording(engine, CALL_ID).state == "processing", "killed with its claim standing"
    assert CALL_ID not in catalogue.needs_transcribing(engine), "a live claim is left alone"
    later = datetime.now(UTC) + catalogue.DEFAULT_LEASE + timedelta(minutes=1)
    assert CALL_ID in catalogue.needs_transcribing(engine, now=later), "after the lease, --pending takes it again"
