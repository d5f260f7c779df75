"""Shared fixtures: an isolated callscribe home per test, the bundled model assembled once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
BACKENDS = ("sqlite", "postgresql")


def pytest_addoption(parser):
    parser.addoption("--backends", default=",".join(BACKENDS),
                     help="catalogue databases the tests marked both_databases run on, comma-separated "
                          f"(default: {','.join(BACKENDS)})")


def pytest_configure(config):
    """Keep every test run, Prefect's state included, out of the real home folder."""
    import tempfile

    from tests import postgres

    config.addinivalue_line("markers", "both_databases: the module's tests that use the catalogue run on SQLite "
                                       "and on PostgreSQL (--backends)")
    config.addinivalue_line("markers", "sqlite_only(why): a test of a module marked both_databases that only "
                                       "SQLite concerns")
    config.backends = [b.strip() for b in config.getoption("--backends").split(",") if b.strip()]
    if unknown := [b for b in config.backends if b not in BACKENDS]:
        raise pytest.UsageError(f"--backends: unknown {', '.join(unknown)}; valid: {', '.join(BACKENDS)}")
    # read before the `home` fixture clears every CALLSCRIBE_* variable
    config.postgres_url = os.environ.get(postgres.URL_VARIABLE)

    os.environ["CALLSCRIBE_HOME"] = tempfile.mkdtemp(prefix="callscribe-test-home-")
    os.environ["CALLSCRIBE_TRANSCRIPT_KEY_FILE"] = _session_key_file(Path(tempfile.mkdtemp(prefix="callscribe-test-key-")))
    from callscribe.flows import configure_prefect

    configure_prefect()  # before any test module imports a flow (and with it Prefect)


def _session_key_file(folder: Path) -> str:
    """One transcript key file for the session, outside every test home, as a deployment keeps it."""
    from callscribe.pipeline.storage.transcripts import create_key_file

    return str(create_key_file(folder / "transcript.key", Path(os.environ["CALLSCRIBE_HOME"])))


@pytest.fixture(scope="session")
def redactor():
    """The redactor with the bundled spaCy pipeline and rules, loaded once for the session."""
    from callscribe.pipeline.redaction.engine import get_redactor
    from callscribe.pipeline.settings import RULES_DIR, SPACY_MODEL

    return get_redactor(SPACY_MODEL, RULES_DIR, 0.35)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    """One model cache for the whole session, so the bundled model is assembled once."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture
def home(tmp_path, models_dir, monkeypatch) -> Path:
    """A fresh CALLSCRIBE_HOME whose models/ points at the session's model cache."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "models").symlink_to(models_dir, target_is_directory=True)
    monkeypatch.setenv("CALLSCRIBE_HOME", str(home))
    for name in list(os.environ):
        if name.startswith("CALLSCRIBE_") and name not in ("CALLSCRIBE_HOME", "CALLSCRIBE_TRANSCRIPT_KEY_FILE"):
            monkeypatch.delenv(name)
    # the tests act as many users from one OS login; a deployment keeps this off (tests/test_identity.py)
    monkeypatch.setenv("CALLSCRIBE_IMPERSONATION", "true")
    return home


def pytest_generate_tests(metafunc):
    """A test of a module marked ``both_databases`` that uses the catalogue runs once per back-end;
    those marked ``sqlite_only`` or needing the Prefect harness stay on SQLite (the database is not
    what they test)."""
    if ("database_url" in metafunc.fixturenames and "prefect_harness" not in metafunc.fixturenames
            and metafunc.definition.get_closest_marker("both_databases")
            and not metafunc.definition.get_closest_marker("sqlite_only")):
        metafunc.parametrize("backend", metafunc.config.backends, indirect=True)


@pytest.fixture
def backend(request) -> str:
    """The catalogue's database: ``sqlite`` unless the test is parametrised over both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server(pytestconfig):
    """One PostgreSQL server for the session: a throwaway cluster, or CALLSCRIBE_TEST_POSTGRES_URL."""
    from tests import postgres

    try:
        server = postgres.start(pytestconfig.postgres_url)
    except postgres.Unavailable as err:
        pytest.fail(str(err), pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def database_url(home, backend, request, monkeypatch):
    """The catalogue's URL: SQLite in the home, or a fresh PostgreSQL database set as
    CALLSCRIBE_DATABASE_URL, so commands run by the test use it too."""
    if backend == "sqlite":
        yield f"sqlite:///{home / 'catalogue.sqlite'}"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    monkeypatch.setenv("CALLSCRIBE_DATABASE_URL", url)
    yield url
    server.release_database(url)


@pytest.fixture
def settings(home, database_url):
    from callscribe.pipeline.settings import get_settings

    settings = get_settings()
    assert settings.catalogue_url == database_url
    return settings


@pytest.fixture(scope="session")
def sample_pii() -> dict[str, list[str]]:
    """Every personal-data string of each bundled sample call (spoken and written forms)."""
    data = json.loads((SAMPLES / "samples_pii.json").read_text(encoding="utf-8"))
    return {call["call_id"]: call["strings"] for call in data["calls"]}


@pytest.fixture(scope="session")
def prefect_harness():
    """A temporary Prefect API for the flow tests (one per session: it costs ~12 s)."""
    from prefect.testing.utilities import prefect_test_harness


    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def staff(settings) -> dict:
    """One active user per role (plus a second team leader) in a fresh catalogue, by login name."""
    from callscribe.pipeline.policy import access
    from callscribe.pipeline.storage import catalogue

    engine = catalogue.get_engine(settings.catalogue_url)
    first = access.add_user(engine, "anna", "manager", None)
    people = {"anna": first}
    for user_id, role in (("bob", "teamleider"), ("bea", "teamleider"), ("ivo", "ict_backoffice"),
                          ("kim", "klachtendesk"), ("cor", "coach")):
        people[user_id] = access.add_user(engine, user_id, role, first.user_id)
    return people


def ingest_approved_sample(settings, folder: Path, call_id: str):
    """One bundled sample call, alone, ingested from ``folder`` (made here) with an approved
    transcript request, as a command-line ``transcribe`` needs it; returns the catalogue engine."""
    import shutil

    from callscribe.pipeline.storage import catalogue

    header, *rows = (SAMPLES / "calls.csv").read_text(encoding="utf-8").splitlines()
    row = next(line for line in rows if line.startswith(f"{call_id},"))
    folder.mkdir()
    shutil.copy(SAMPLES / row.split(",")[header.split(",").index("file")], folder)
    (folder / "calls.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    engine = catalogue.get_engine(settings.catalogue_url)
    catalogue.ingest(engine, folder, folder / "calls.csv", settings.audio_dir)
    approve_transcripts(engine, [call_id])
    return engine


def approve_transcripts(engine, call_ids) -> dict[str, str]:
    """A registered complaint and an approved transcript request (filed by a complaint-desk user,
    approved by a team leader) for each call: the purpose that lets the calls be transcribed.
    Adds the two users when the catalogue has none. Returns call id → request id."""
    from datetime import UTC, datetime

    from callscribe.pipeline.errors import AccessDeniedError
    from callscribe.pipeline.policy import access, complaints

    try:
        access.authorize(engine, "bob", "request.decide")
    except AccessDeniedError:  # a catalogue without staff yet
        first = access.add_user(engine, "anna", "manager", None)
        access.add_user(engine, "kim", "klachtendesk", first.user_id)
        access.add_user(engine, "bob", "teamleider", first.user_id)
    complaint = complaints.register_complaint(engine, "kim", channel="telefoon", received_at=datetime.now(UTC),
                                              description="Klacht over het gesprek.", call_ids=tuple(call_ids))
    approved = {}
    for call_id in call_ids:
        request = complaints.create_request(engine, "kim", kind="transcript", call_id=call_id,
                                            reason="Klant wil nalezen wat er is afgesproken in dit gesprek.",
                                            complaint_id=complaint.complaint_id)
        approved[call_id] = complaints.approve_request(engine, "bob", request.request_id).request_id
    return approved
