"""Transcription fanned out over a Dask cluster: real worker processes, one Whisper model each,
tasks that carry ids and paths only, and a worker that cannot see the store stopping the run."""

import pytest

from callscribe.pipeline.storage import catalogue, transcripts
from tests.conftest import SAMPLES, approve_transcripts

CALLS = ("TBI-2026-000101", "TBI-2026-000104")


@pytest.fixture
def two_calls(settings, tmp_path):
    """Two bundled sample calls ingested, each with an approved transcript request."""
    import shutil

    header, *rows = (SAMPLES / "calls.csv").read_text(encoding="utf-8").splitlines()
    picked = [row for row in rows if row.split(",")[0] in CALLS]
    folder = tmp_path / "incoming"
    folder.mkdir()
    for row in picked:
        shutil.copy(SAMPLES / row.split(",")[header.split(",").index("file")], folder)
    (folder / "calls.csv").write_text("\n".join([header, *picked]) + "\n", encoding="utf-8")
    engine = catalogue.get_engine(settings.catalogue_url)
    catalogue.ingest(engine, folder, folder / "calls.csv", settings.audio_dir)
    approve_transcripts(engine, list(CALLS))
    return engine


def _cluster(workers: int, **env):
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None, env={"CALLSCRIBE_CPU_THREADS": "1", **env})


def test_each_worker_process_loads_one_model_and_the_calls_are_transcribed_there(
        two_calls, settings, prefect_harness, monkeypatch):
    from distributed import Client

    from callscribe.flows.transcribe import with_concurrency
    from callscribe.pipeline.speech.transcription import get_model

    here = get_model.cache_info()
    with _cluster(2) as cluster, Client(cluster) as client:
        monkeypatch.setenv("CALLSCRIBE_DASK_ADDRESS", cluster.scheduler_address)
        summary = with_concurrency(1)(recording_ids=list(CALLS), purpose="quality")
        models = client.run(lambda: get_model.cache_info().currsize)

    assert summary["transcribed"] == 2 and summary["failed"] == 0
    assert sorted(models.values()) == [1, 1]  # each worker process took a call and loaded the model once
    after = get_model.cache_info()
    assert (after.hits, after.misses) == (here.hits, here.misses)  # and this process asked for none
    for call_id in CALLS:
        assert catalogue.get_recording(two_calls, call_id).state == catalogue.RecordingState.TRANSCRIBED
        assert transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id).redacted.exists()


def test_a_worker_that_does_not_see_the_store_stops_the_run_before_any_call_is_touched(
        two_calls, tmp_path, prefect_harness, monkeypatch):
    from callscribe.flows.transcribe import with_concurrency

    elsewhere = tmp_path / "other-home"
    elsewhere.mkdir()
    with _cluster(1, CALLSCRIBE_HOME=str(elsewhere)) as cluster:
        monkeypatch.setenv("CALLSCRIBE_DASK_ADDRESS", cluster.scheduler_address)
        state = with_concurrency(1)(recording_ids=list(CALLS), purpose="quality", return_state=True)

    assert state.is_failed()
    message = str(state.result(raise_on_failure=False))
    assert "1 of 1 Dask worker(s) cannot work on this store" in message and "same home" in message
    assert {catalogue.get_recording(two_calls, c).state for c in CALLS} == {catalogue.RecordingState.INGESTED}
    assert not any(elsewhere.iterdir())


def test_the_task_runner_follows_the_settings(settings, monkeypatch):
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from callscribe.flows.transcribe import task_runner
    from callscribe.pipeline.settings import Settings, available_cores

    threads = task_runner(Settings(max_parallel=3))
    assert isinstance(threads, ThreadPoolTaskRunner) and threads._max_workers == 3
    assert task_runner(Settings(dask_workers=1), 2)._max_workers == 2  # one process: threads

    local = task_runner(Settings(dask_workers=2))
    assert isinstance(local, DaskTaskRunner) and local.address is None
    assert local.cluster_kwargs["n_workers"] == 2 and local.cluster_kwargs["threads_per_worker"] == 1
    assert local.cluster_kwargs["env"] == {"CALLSCRIBE_CPU_THREADS": str(max(1, available_cores() // 2))}
    monkeypatch.setenv("CALLSCRIBE_CPU_THREADS", "4")
    assert task_runner(Settings(dask_workers=2)).cluster_kwargs["env"] == {}  # set by the deployment: kept

    remote = task_runner(Settings(dask_address="tcp://10.0.0.5:8786", dask_workers=4))
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://10.0.0.5:8786"


@pytest.mark.parametrize("address", ["10.0.0.5", "http://10.0.0.5:8786", "tcp://10.0.0.5", "tcp://a b:1"])
def test_a_malformed_scheduler_address_is_refused_naming_the_form(address):
    from pydantic import ValidationError

    from callscribe.pipeline.settings import Settings

    with pytest.raises(ValidationError, match="tcp://HOST:PORT"):
        Settings(dask_address=address)
