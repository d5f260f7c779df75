"""Who acts comes from one place the deployment controls: the attacks of issue 11, tried through
the real command line with impersonation off (the deployment default)."""

import getpass

import pytest
from click.testing import CliRunner

from callscribe.cli.main import main
from callscribe.pipeline.policy import access
from callscribe.pipeline.storage import catalogue
from tests.test_registry import audit_rows

ME = getpass.getuser()


@pytest.fixture
def deployment(home, monkeypatch, settings):
    """A deployment as installed: impersonation off, the OS login is the acting user, who is an
    ict_backoffice user beside a manager."""
    monkeypatch.delenv("CALLSCRIBE_IMPERSONATION")
    engine = catalogue.get_engine(settings.catalogue_url)
    access.add_user(engine, "anna", "manager", None)
    access.add_user(engine, ME, "ict_backoffice", "anna")
    return engine


def test_as_cannot_name_someone_else(deployment):
    result = CliRunner().invoke(main, ["users", "add", "mallory", "--role", "coach", "--as", "anna"])
    assert result.exit_code == 2 and "does not let --as name someone else" in result.output
    assert "mallory" not in {u.user_id for u in access.list_users(deployment, "anna")}


def test_callscribe_user_is_ignored_unless_the_deployment_chose_it(deployment):
    """One shell filed as one person and approved as another by changing CALLSCRIBE_USER."""
    result = CliRunner().invoke(main, ["users", "add", "mallory", "--role", "coach"], env={"CALLSCRIBE_USER": "anna"})
    assert result.exit_code == 0  # acted as the OS login (ict_backoffice), not as anna
    entries = [e for e in audit_rows(deployment) if e.subject == "mallory"]
    assert entries and entries[-1].actor == ME
    chosen = CliRunner().invoke(main, ["users", "list"], env={"CALLSCRIBE_USER": "anna", "CALLSCRIBE_IDENTITY": "env"})
    assert chosen.exit_code == 0


def test_the_acting_user_cannot_make_itself_manager(deployment):
    result = CliRunner().invoke(main, ["users", "add", ME, "--role", "manager"])
    assert result.exit_code == 1 and "own role" in result.output
    assert {u.user_id: u.role for u in access.list_users(deployment, "anna")}[ME] == "ict_backoffice"

