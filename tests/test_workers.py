"""`callscribe server` with its worker as real processes on loopback: a release handed to the
worker end to end, `callscribe runs`, a clean SIGTERM, and the schedules still in the server's
database after a restart. Also: the deploy/ files start commands that exist."""

from __future__ import annotations

import queue
import re
import shlex
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from callscribe.flows.persistent import state_file
from tests.conftest import REPO, SAMPLES
from tests.test_prefect_server import DEADLINE_S, _cli, _environment, _free_port

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Served:
    """`callscribe server` (with or without its worker) for the test's home; its stderr lines are
    read in a thread, so the process never blocks on a full pipe and the test waits on lines."""

    def __init__(self, *options: str):
        env = {**_environment(), "PREFECT_WORKER_QUERY_SECONDS": "1"}  # the worker polls each second
        self.process = subprocess.Popen(_cli("server", "--port", str(_free_port()), *options), env=env,
                                        stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line)
        self.lines.put("")  # end of output

    def wait_for(self, pattern: str) -> re.Match:
        """The first line from now on that matches ``pattern`` (the deadline is a safety net)."""
        while True:
            try:
                line = self.lines.get(timeout=DEADLINE_S)
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}:\n" + "".join(self.seen[-40:])) from None
            self.seen.append(line)
            if not line:
                raise AssertionError(f"ended before {pattern!r}:\n" + "".join(self.seen[-40:]))
            if found := re.search(pattern, line):
                return found

    def stop(self) -> int:
        """SIGTERM, then its exit status: uvicorn ends the process by the signal once it has shut
        down (systemd counts that as a clean stop), so -SIGTERM or 0."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=DEADLINE_S)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _wait_until_final(client, run_id: str):
    """The flow run once it has ended (the deadline is a safety net)."""
    import time

    deadline, pause = time.monotonic() + DEADLINE_S, threading.Event()
    while True:
        run = client.read_flow_run(run_id)
        if run.state is not None and run.state.is_final():
            return run
        assert time.monotonic() < deadline, f"run {run_id} still {run.state.name} at the deadline"
        pause.wait(0.5)


@pytest.mark.slow
def test_a_release_handed_to_the_worker_runs_end_to_end_and_the_schedules_survive_a_restart(home, settings, staff):
    from prefect.client.orchestration import SyncPrefectClient

    from callscribe.pipeline.policy import audit, complaints
    from callscribe.pipeline.storage import catalogue
    from tests.test_registry import CALL, approved, audit_rows

    engine = catalogue.get_engine(settings.catalogue_url)
    catalogue.ingest(engine, SAMPLES, SAMPLES / "calls.csv", settings.audio_dir)
    request = approved(engine, kind="listen_back", requester="bob", approver="anna")

    first = Served()
    try:
        url = first.wait_for(r"Prefect server for .* on (\S+); database SQLite ").group(1)
        worker_pid = int(first.wait_for(r"worker (\d+) runs the 5 deployments of work pool 'callscribe'").group(1))

        # Who may release is checked before anything is handed over: a complaint-desk user may not.
        refused = subprocess.run(_cli("requests", "release", request.request_id, "--as", "kim"), env=_environment(),
                                 capture_output=True, text=True, timeout=DEADLINE_S, check=False)
        assert refused.returncode == 1 and refused.stdout == ""

        release = subprocess.Popen(_cli("requests", "release", request.request_id, "--as", "ivo"),
                                   env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = release.communicate(timeout=DEADLINE_S)
        assert release.returncode == 0, err[-3000:]
        run_id = out.strip()
        assert UUID.match(run_id), out
        assert f"flow run {run_id} of release-request/on-request handed to the worker" in err

        with SyncPrefectClient(url) as client:
            run = _wait_until_final(client, run_id)
            assert run.state.type.value == "COMPLETED", run.state
            # run by the worker, in a process of its own, with ids only as parameters
            assert run.work_pool_name == "callscribe" and run.infrastructure_pid not in (None, release.pid)
            assert run.parameters == {"request_id": request.request_id, "released_by": "ivo"}

        copy = settings.outbox_dir / f"{CALL}-{request.request_id}.wav"
        assert copy.is_file()
        assert complaints.get_request(engine, request.request_id).state == "released"
        assert audit.verify(engine).ok
        released = [row for row in audit_rows(engine) if row.action == "request.released"]
        assert [(row.actor, row.subject) for row in released] == [("ivo", request.request_id)]

        runs = subprocess.run(_cli("runs"), env=_environment(), capture_output=True, text=True, timeout=DEADLINE_S, check=False)
        assert runs.returncode == 0, runs.stderr[-3000:]
        (row,) = [line for line in runs.stdout.splitlines() if line.startswith(run_id)]
        assert row.split()[1:3] == ["release-request/on-request", "Completed"]
        assert "next: expire-recordings/daily at " in runs.stdout
        assert "next: draw-coaching-sample/monthly at " in runs.stdout
        for value in ("Klant betwist", "+31657214836", "MW-017"):
            assert value not in runs.stdout

        assert first.stop() in (0, -signal.SIGTERM)
        first.wait_for(r"^worker stopped")
    finally:
        first.kill()
    assert not _alive(worker_pid), "the worker outlived its server"
    assert not state_file(home).exists()

    # Restarted without a worker: the deployments and their schedules come from the server's database.
    second = Served("--no-worker")
    try:
        url = second.wait_for(r"Prefect server for .* on (\S+);").group(1)
        with SyncPrefectClient(url) as client:
            daily = client.read_deployment_by_name("expire-recordings/daily")
            monthly = client.read_deployment_by_name("draw-coaching-sample/monthly")
        assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in daily.schedules] == [
            ("30 2 * * *", "Europe/Amsterdam", True)]
        assert [(s.schedule.cron, s.schedule.timezone) for s in monthly.schedules] == [("0 3 1 * *", "Europe/Amsterdam")]
        assert not daily.paused and daily.work_pool_name == "callscribe"
        assert daily.entrypoint == "callscribe.flows.retention.expire_recordings"

        # registering again (as every worker start does) changes nothing: same ids, one schedule each
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from callscribe.flows.deployments import register

        with temporary_settings({PREFECT_API_URL: url}):
            ids = register()
            assert register() == ids
        with SyncPrefectClient(url) as client:
            assert len(client.read_deployment_by_name("expire-recordings/daily").schedules) == 1
        assert ids["expire-recordings/daily"] == str(daily.id)
        assert second.stop() in (0, -signal.SIGTERM)
    finally:
        second.kill()
    assert not state_file(home).exists()


def test_a_worker_without_a_server_is_refused_with_one_line(home):
    refused = subprocess.run(_cli("worker"), env=_environment(), capture_output=True, text=True, timeout=DEADLINE_S, check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == ("Error: no Prefect server runs for this home; start `callscribe server` first "
                                      "(or set PREFECT_API_URL)")


def test_runs_without_a_server_says_how_to_start_one(home):
    from click.testing import CliRunner

    from callscribe.cli.main import main

    result = CliRunner().invoke(main, ["runs"], env={"PREFECT_API_URL": ""})
    assert result.exit_code == 1
    assert "no Prefect server runs for this home; `callscribe server` starts one" in result.stderr


def _service_commands() -> list[tuple[str, list[str]]]:
    """(file, argv) of every `callscribe` command the deploy/ files start."""
    found = []
    for unit in sorted((REPO / "deploy").glob("*.service")):
        for line in unit.read_text(encoding="utf-8").splitlines():
            if line.startswith("ExecStart="):
                found.append((unit.name, shlex.split(line.removeprefix("ExecStart="))))
    import yaml

    compose = yaml.safe_load((REPO / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    for name, service in compose["services"].items():
        if "command" in service:
            command = service["command"]
            found.append((f"compose {name}", command if isinstance(command, list) else shlex.split(command)))
    return found


def test_the_deploy_files_start_commands_and_options_that_exist():
    from callscribe.cli.main import COMMANDS, main

    started = _service_commands()
    names = {Path(argv[0]).name == "callscribe" and argv[1] for _, argv in started}
    assert {"server", "worker", "web"} <= names, started
    for where, argv in started:
        if Path(argv[0]).name != "callscribe":
            continue
        assert argv[1] in COMMANDS, f"{where}: no command {argv[1]!r}"
        command = main.get_command(None, argv[1])
        options = {option for param in command.params for option in param.opts + param.secondary_opts}
        given = {arg.split("=")[0] for arg in argv[2:] if arg.startswith("--")}
        assert given <= options, f"{where}: unknown options {given - options}"


def test_the_systemd_units_are_hardened_and_share_one_home():
    for name in ("callscribe-server.service", "callscribe-worker.service", "callscribe-web.service"):
        text = (REPO / "deploy" / name).read_text(encoding="utf-8")
        settings = dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))
        assert settings["User"] == "callscribe", name
        assert settings["NoNewPrivileges"] == "yes" and settings["PrivateTmp"] == "yes", name
        assert settings["ProtectSystem"] == "strict" and settings["UMask"] == "0077", name
        assert settings["ReadWritePaths"] == "/srv/callscribe", name
        assert settings["EnvironmentFile"] == "/etc/callscribe/callscribe.env", name
    assert "CALLSCRIBE_HOME=/srv/callscribe" in (REPO / "deploy" / "callscribe.env").read_text(encoding="utf-8")


def test_the_server_keeps_its_deployments_and_schedules_in_postgresql_when_configured(home, postgres_server,
                                                                                        monkeypatch):
    """Prefect's own setting puts the server's database in PostgreSQL: the deployments a worker
    registers, their schedules and runs are rows there, not in a SQLite file in the home."""
    import os

    import sqlalchemy as sa
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from callscribe.flows.deployments import register

    name = f"prefect_test_{os.getpid()}"
    admin = sa.create_engine(postgres_server.admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    url = sa.make_url(postgres_server.url_of(name))
    monkeypatch.setenv("PREFECT_SERVER_DATABASE_CONNECTION_URL",
                       url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False))
    served = Served("--no-worker")
    try:
        api = served.wait_for(rf"Prefect server for .* on (\S+); database PostgreSQL [^;]*/{name};").group(1)
        with temporary_settings({PREFECT_API_URL: api}):
            ids = register()
        stored = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with stored.connect() as conn:
            deployments = set(conn.exec_driver_sql("SELECT id::text FROM deployment").scalars())
            crons = sorted(conn.exec_driver_sql("SELECT schedule->>'cron' FROM deployment_schedule").scalars())
        stored.dispose()
        assert deployments == set(ids.values()) and len(deployments) == 5
        assert crons == ["0 3 1 * *", "30 2 * * *"]
        assert not list((home / "prefect").glob("*.db"))
        assert served.stop() in (0, -signal.SIGTERM)
    finally:
        served.kill()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()
