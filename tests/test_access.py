"""Users and roles: bootstrap, role checks, reasons and the four-eyes rule, in a real SQLite catalogue."""

import pytest
from click.testing import CliRunner

from callscribe.cli.main import main
from callscribe.pipeline.errors import AccessDeniedError, PolicyError
from callscribe.pipeline.policy import access, audit
from callscribe.pipeline.storage import catalogue

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL


@pytest.fixture
def engine(settings):
    return catalogue.get_engine(settings.catalogue_url)


def test_the_first_user_must_be_a_manager_and_only_the_first_is_added_without_an_actor(engine):
    with pytest.raises(AccessDeniedError, match="first user must be a manager"):
        access.add_user(engine, "kim", "klachtendesk", None)
    access.add_user(engine, "anna", "manager", None)
    with pytest.raises(AccessDeniedError, match="say who acts"):
        access.add_user(engine, "bob", "manager", None)


@pytest.mark.parametrize("role", sorted(set(access.ROLES) - access.PERMISSIONS["users.manage"]))
def test_only_managers_and_ict_manage_users(engine, staff, role):
    actor = next(u for u in staff.values() if u.role == role)
    with pytest.raises(AccessDeniedError, match="users.manage needs"):
        access.add_user(engine, "newcomer", "coach", actor.user_id)


@pytest.mark.parametrize("permission", sorted(access.PERMISSIONS))
def test_every_permission_is_granted_to_its_roles_and_refused_to_the_others(engine, staff, permission):
    for user in staff.values():
        if user.role in access.PERMISSIONS[permission]:
            assert access.authorize(engine, user.user_id, permission) == user
        else:
            with pytest.raises(AccessDeniedError):
                access.authorize(engine, user.user_id, permission)


def test_coaching_permissions_go_to_those_who_hold_sessions():
    """Employees are not users: whoever holds sessions records their acknowledgement; the session
    notes (personal data about the employee) are read by the same roles, nobody else."""
    holders = frozenset({"coach", "teamleider", "manager"})
    for permission in ("coaching.read", "coaching.session", "coaching.acknowledge", "coaching.note.read"):
        assert access.PERMISSIONS[permission] == holders, permission
    assert access.PERMISSIONS["coaching.draw"] == frozenset({"manager", "teamleider"})


def test_unknown_missing_and_deactivated_users_cannot_act(engine, staff):
    with pytest.raises(AccessDeniedError, match="unknown user"):
        access.authorize(engine, "mallory", "request.create")
    with pytest.raises(AccessDeniedError, match="say who acts") as refused:
        access.authorize(engine, None, "request.create")
    assert "--as" not in str(refused.value), "the library names no command-line option"
    access.deactivate_user(engine, "kim", "anna")
    with pytest.raises(AccessDeniedError, match="deactivated"):
        access.authorize(engine, "kim", "request.create")


def test_the_last_manager_cannot_be_deactivated(engine, staff):
    with pytest.raises(AccessDeniedError, match="last active manager"):
        access.deactivate_user(engine, "anna", "ivo")


@pytest.mark.parametrize("reason", [None, "", "   ", "te kort", "x" * 29])
def test_missing_or_short_reasons_are_refused(reason):
    with pytest.raises(PolicyError):
        access.check_reason(reason, 30)


def test_a_long_enough_reason_is_kept_with_whitespace_normalised():
    assert access.check_reason("  Klant betwist   de toezegging over de terugbetaling ", 30) == (
        "Klant betwist de toezegging over de terugbetaling")


def test_nobody_decides_on_their_own_request(staff):
    with pytest.raises(PolicyError, match="four-eyes"):
        access.check_second_person("bob", staff["bob"])
    access.check_second_person("bob", staff["bea"])


def test_user_changes_are_audited_without_names(engine, staff):
    assert audit.verify(engine).ok
    with engine.connect() as conn:
        actions = [r.action for r in conn.execute(audit.audit_log.select().order_by(audit.audit_log.c.seq))]
    assert actions == ["user.added"] * 6


def test_cli_users_checks_the_acting_role(home):
    runner = CliRunner()
    assert runner.invoke(main, ["users", "add", "anna", "--role", "manager"]).exit_code == 0
    assert runner.invoke(main, ["users", "add", "cor", "--role", "coach", "--as", "anna"]).exit_code == 0
    refused = runner.invoke(main, ["users", "add", "eve", "--role", "manager", "--as", "cor"])
    assert refused.exit_code == 1 and "users.manage needs" in refused.output
    listed = runner.invoke(main, ["users", "list"], env={"CALLSCRIBE_USER": "anna", "CALLSCRIBE_IDENTITY": "env"})
    assert listed.exit_code == 0 and "cor" in listed.output and "coach" in listed.output


@pytest.mark.sqlite_only("the anchor file is kept beside a SQLite catalogue")
def test_removing_the_newest_audit_entries_is_caught_by_the_anchor(engine, staff):
    import sqlalchemy as sa

    with engine.begin() as conn:
        conn.execute(sa.delete(audit.audit_log).where(audit.audit_log.c.seq >= 5))
    result = audit.verify(engine)
    assert not result.ok and "removed from the end" in result.reason


def test_cli_transcribe_needs_a_role_with_access_to_recordings(staff, home):
    for user in (None, "cor", "kim"):
        result = CliRunner().invoke(main, ["transcribe", "TBI-1"] + (["--as", user] if user else []))
        assert result.exit_code == 1
        assert ("recordings.transcribe needs" if user else "unknown user") in result.output  # no --as: the OS login


def test_reading_the_audit_log_needs_its_role_and_is_audited(engine, staff):
    with pytest.raises(AccessDeniedError, match="audit.read needs"):
        access.verify_audit_log(engine, "kim")
    before = audit.verify(engine).entries
    result = access.verify_audit_log(engine, "ivo")
    assert result.ok and result.entries == before
    assert audit.verify(engine).entries == before + 1, "the check itself is an entry"


def test_an_ict_user_cannot_make_itself_or_anyone_manager(engine, staff):
    """The attack: `users add ivo --role manager --as ivo`, then approving alone."""
    with pytest.raises(AccessDeniedError, match="own role"):
        access.add_user(engine, "ivo", "manager", "ivo")
    with pytest.raises(AccessDeniedError, match="only a manager grants"):
        access.add_user(engine, "kim", "manager", "ivo")
    with pytest.raises(AccessDeniedError, match="only a manager grants"):
        access.add_user(engine, "nieuw", "manager", "ivo")
    assert {u.user_id: u.role for u in access.list_users(engine, "anna")}["ivo"] == "ict_backoffice"
    assert access.add_user(engine, "kim", "manager", "anna").role == "manager", "a manager may grant it"


def test_the_last_manager_can_be_neither_demoted_nor_deactivated(engine, staff):
    with pytest.raises(AccessDeniedError, match="last active manager"):
        access.add_user(engine, "anna", "coach", "ivo")
    with pytest.raises(AccessDeniedError, match="last active manager"):
        access.deactivate_user(engine, "anna", "ivo")
    with pytest.raises(AccessDeniedError, match="deactivates themselves"):
        access.deactivate_user(engine, "ivo", "ivo")
    access.add_user(engine, "bob", "manager", "anna")
    access.add_user(engine, "anna", "coach", "bob")  # with a second manager, the first may step down
    assert {u.user_id: u.role for u in access.list_users(engine, "bob")}["anna"] == "coach"
