"""The persistent Prefect server (`callscribe server`), found and used by this home's commands; the
flow's task order; the redactor loaded once when threads ask for it at once."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callscribe.flows.persistent import running_server_url, state_file
from callscribe.flows.transcribe import submission_order

DEADLINE_S = 300  # bounds on waiting for the server to answer; nothing waits for time to pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from callscribe.cli.main import main; main()", *args]


def _environment() -> dict:
    return {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}


@pytest.fixture
def server(home):
    """`callscribe server` for the test's home (without its worker: tests/test_workers.py has that),
    running until the test ends; yields (process, url)."""
    process = subprocess.Popen(_cli("server", "--port", str(_free_port()), "--no-worker"), env=_environment(),
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()  # written once it answers (blocking read, not a wait on time)
        assert "Prefect server for" in line, line + process.stderr.read()
        yield process, line.split(" on ")[1].split(";")[0]
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=DEADLINE_S)
        process.stderr.close()


@pytest.mark.slow
def test_a_running_server_is_used_by_the_home_s_commands_and_forgets_itself_when_stopped(server, home, staff):
    process, url = server
    state = state_file(home)
    assert json.loads(state.read_text()) == {"url": url, "pid": process.pid}
    assert state.stat().st_mode & 0o777 == 0o600
    assert running_server_url(home) == url

    # A command that runs a flow (a real retention run) records its run on this server, and starts no
    # temporary server of its own.
    run = subprocess.run(_cli("retention", "--as", "anna"), env=_environment(), capture_output=True, text=True,
                         timeout=DEADLINE_S)
    assert run.returncode == 0, run.stderr
    assert "Starting temporary server" not in run.stderr
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    with SyncPrefectClient(url) as client:
        runs = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["expire-recordings"])))
    assert [r.state.type.value for r in runs] == ["COMPLETED"]

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=DEADLINE_S)
    assert not state.exists(), "a stopped server leaves no state file behind"
    assert running_server_url(home) is None


def test_a_second_server_for_the_same_home_is_refused_with_one_line(server, home):
    second = subprocess.run(_cli("server", "--port", str(_free_port())), env=_environment(), capture_output=True,
                            text=True, timeout=DEADLINE_S)
    assert second.returncode == 1
    assert second.stderr.strip().splitlines() == [
        f"Error: this home's server already runs ({server[1]}); commands use it. "
        "Unset PREFECT_API_URL to run one for this home"]


def test_a_busy_port_is_refused_with_one_line(home):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = subprocess.run(_cli("server", "--port", str(port)), env=_environment(), capture_output=True,
                                 text=True, timeout=DEADLINE_S)
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"Error: port {port} on 127.0.0.1 is in use; choose another with --port"


def _write_state(home: Path, state) -> Path:
    path = state_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(state if isinstance(state, str) else json.dumps(state))
    return path


def _dead_pid() -> int:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    return ended.pid


def test_a_state_file_left_by_a_killed_server_is_ignored(home):
    with socket.socket() as listening:  # something answers on the port, but the named process is gone
        listening.bind(("127.0.0.1", 0))
        _write_state(home, {"url": f"http://127.0.0.1:{listening.getsockname()[1]}/api", "pid": _dead_pid()})
        assert running_server_url(home) is None


def test_a_state_file_naming_a_live_process_that_does_not_answer_is_ignored(home):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        _write_state(home, {"url": f"http://127.0.0.1:{silent.getsockname()[1]}/api", "pid": os.getpid()})
        assert running_server_url(home) is None


@pytest.mark.parametrize("state", [
    "not json", "[]", json.dumps({"url": "http://127.0.0.1:4200/api"}),
    json.dumps({"url": "http://198.51.100.7:4200/api", "pid": os.getpid()}),
    json.dumps({"url": 42, "pid": os.getpid()}),
])
def test_a_state_file_that_is_not_a_local_server_s_is_ignored(home, state, caplog):
    _write_state(home, state)
    assert running_server_url(home) is None


def test_without_a_state_file_nothing_is_looked_up(home):
    assert not state_file(home).exists()
    assert running_server_url(home) is None


def test_configure_prefect_points_prefect_at_the_running_server_only(home, monkeypatch):
    from callscribe.flows import configure_prefect

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    configure_prefect()
    assert "PREFECT_API_URL" not in os.environ, "no server: Prefect keeps its temporary one"
    monkeypatch.setattr("callscribe.flows.running_server_url", lambda found_home: "http://127.0.0.1:4999/api")
    configure_prefect()
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:4999/api"
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:5000/api")
    configure_prefect()
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:5000/api", "a configured server wins"


@given(st.lists(st.from_regex(r"C-[0-9]{1,3}", fullmatch=True), unique=True, max_size=12),
       st.integers(min_value=1, max_value=5))
def test_every_task_is_submitted_once_after_the_task_it_waits_on(ids, lanes):
    order = submission_order(ids, lanes)
    assert sorted(order) == sorted((stage, i) for i in ids for stage in ("load", "transcribe", "redact", "store"))
    at = {task: n for n, task in enumerate(order)}
    for i in ids:
        assert at["load", i] < at["transcribe", i] < at["redact", i] < at["store", i]
    for n, i in enumerate(ids):  # transcriptions stay `lanes` side by side: none waits behind a redaction
        ahead = ids[min(n + lanes - 1, len(ids) - 1)]
        assert at["transcribe", ahead] < at["redact", i]


def test_with_one_lane_each_call_is_redacted_as_soon_as_it_is_transcribed():
    assert submission_order(["A", "B"], 1) == [("load", "A"), ("transcribe", "A"), ("redact", "A"), ("store", "A"),
                                                ("load", "B"), ("transcribe", "B"), ("redact", "B"), ("store", "B")]


def test_threads_asking_for_the_redactor_at_once_share_one_load(monkeypatch, tmp_path):
    from callscribe.pipeline.redaction import engine

    loads, gate = [], threading.Barrier(3)

    class Loaded:
        def __init__(self, *args):
            loads.append(args)

    monkeypatch.setattr(engine, "Redactor", Loaded)
    engine._loaded_redactor.cache_clear()
    found = []

    def ask() -> None:
        gate.wait()
        found.append(engine.get_redactor(tmp_path / "model", tmp_path / "rules", 0.5))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        engine._loaded_redactor.cache_clear()
    assert len(loads) == 1 and len(found) == 3 and all(r is found[0] for r in found)


def _uvicorns_of(home: Path) -> list[int]:
    """Live uvicorn processes started for ``home`` (by their environment)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"uvicorn" in (proc / "cmdline").read_bytes() and \
                    f"CALLSCRIBE_HOME={home}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_without_a_server_the_command_boots_a_temporary_one_early_and_stops_it_at_exit(settings, home, tmp_path):
    """No `callscribe server`: `transcribe` starts Prefect's temporary server before it imports
    Prefect (so it boots beside the command's start-up), runs the flow on it and stops it at exit."""
    from callscribe.pipeline.storage import catalogue
    from tests.conftest import ingest_approved_sample

    call_id = "TBI-2026-000102"
    engine = ingest_approved_sample(settings, tmp_path / "incoming", call_id)

    run = subprocess.run(_cli("transcribe", call_id, "--as", "bob"), env=_environment(), capture_output=True,
                         text=True, timeout=DEADLINE_S)
    assert run.returncode == 0, run.stderr[-3000:]
    assert catalogue.get_recording(engine, call_id).state == "transcribed"
    assert not state_file(home).exists()
    assert _uvicorns_of(home) == [], "the temporary server outlived its command"
