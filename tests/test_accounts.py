"""Web accounts in a real SQLite catalogue: who sets which password, logins and their refusals,
lockouts, and sessions ending on time, on logout and when the user changes."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from callscribe.pipeline.errors import AccessDeniedError, PolicyError
from callscribe.pipeline.policy import access, accounts, audit
from callscribe.pipeline.storage import catalogue, schema

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL

PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = accounts.LoginPolicy(failures=3, window=timedelta(minutes=15), lockout=timedelta(minutes=10),
                              idle=timedelta(minutes=15), lifetime=timedelta(hours=10))


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2id with the lowest costs: the same code paths, a thousand times faster."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def engine(settings):
    return catalogue.get_engine(settings.catalogue_url)


def audit_entries(engine, action=None):
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.audit_log).order_by(schema.audit_log.c.seq)).all()
    return [r for r in rows if action is None or r.action == action]


def stored_hash(engine, user_id):
    with engine.connect() as conn:
        return conn.execute(sa.select(schema.users.c.password_hash).where(schema.users.c.user_id == user_id)).scalar()


# --- passwords ----------------------------------------------------------------------------------


def test_a_user_sets_their_own_password_stored_as_argon2id_and_audited_without_it(engine, staff):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    digest = stored_hash(engine, "kim")
    assert digest.startswith("$argon2id$") and PASSWORD not in digest
    entry = audit_entries(engine, "user.password_set")[-1]
    assert (entry.actor, entry.subject) == ("kim", "kim")
    assert PASSWORD not in entry.details and digest not in entry.details and '"own":true' in entry.details


def test_user_managers_set_others_passwords_but_only_a_manager_sets_a_managers(engine, staff):
    accounts.set_password(engine, "kim", PASSWORD, "ivo")  # ict_backoffice: users.manage
    accounts.set_password(engine, "bob", PASSWORD, "anna")
    assert audit_entries(engine, "user.password_set")[-1].details == '{"own":false,"sessions_ended":0}'
    with pytest.raises(AccessDeniedError, match="only a manager sets a manager's password"):
        accounts.set_password(engine, "anna", PASSWORD, "ivo")
    for role_holder in ("kim", "bob", "cor"):  # no users.manage: only their own
        with pytest.raises(AccessDeniedError):
            accounts.set_password(engine, "bea", PASSWORD, role_holder)
    with pytest.raises(AccessDeniedError, match="unknown user nobody"):
        accounts.set_password(engine, "nobody", PASSWORD, "anna")


def test_the_first_managers_first_password_is_a_bootstrap_and_only_that(engine):
    first = access.add_user(engine, "anna", "manager", None)
    access.add_user(engine, "kim", "klachtendesk", first.user_id)
    with pytest.raises(AccessDeniedError):
        accounts.set_password(engine, "kim", PASSWORD, "root")  # not a manager: no bootstrap
    accounts.set_password(engine, "anna", PASSWORD, "root")  # the installer, not a user
    assert audit_entries(engine, "user.password_set")[-1].role == "bootstrap"
    with pytest.raises(AccessDeniedError):
        accounts.set_password(engine, "anna", "another long password", "root")  # a password exists now


@pytest.mark.parametrize(("password", "message"), [
    ("short", "too short"), ("            ", "give a password"), ("x" * 1025, "too long"), ("  KIM  " + " " * 8, "login name"),
])
def test_weak_or_absurd_passwords_are_refused(engine, staff, password, message):
    with pytest.raises(PolicyError, match=message):
        accounts.set_password(engine, "kim", password, "kim")


def test_a_deactivated_user_cannot_set_their_own_password(engine, staff):
    access.deactivate_user(engine, "kim", "anna")
    with pytest.raises(AccessDeniedError):
        accounts.set_password(engine, "kim", PASSWORD, "kim")


# --- logins -------------------------------------------------------------------------------------


def test_a_login_returns_the_user_and_is_audited(engine, staff):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    user = accounts.authenticate(engine, "  Kim ", PASSWORD, T0, policy=POLICY)
    assert (user.user_id, user.role) == ("kim", "klachtendesk")
    entry = audit_entries(engine)[-1]
    assert (entry.action, entry.actor, entry.details) == ("user.login", "kim", '{"method":"password"}')


def test_every_refusal_reads_the_same_whether_or_not_the_user_exists(engine, staff):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    accounts.set_password(engine, "ivo", PASSWORD, "ivo")
    access.deactivate_user(engine, "ivo", "anna")
    messages, reasons = set(), []
    for name, password in (("kim", "wrong password!!"), ("ghost", PASSWORD), ("bob", PASSWORD), ("ivo", PASSWORD),
                           ("", ""), ("x" * 300, PASSWORD)):
        with pytest.raises(accounts.LoginRefused) as refused:
            accounts.authenticate(engine, name, password, T0, policy=accounts.LoginPolicy(failures=100))
        assert not refused.value.locked
        messages.add(str(refused.value))
    assert len(messages) == 1
    reasons = [(e.actor, e.subject, e.details) for e in audit_entries(engine, "user.login_failed")]
    assert reasons == [("anonymous", "kim", '{"reason":"password"}'), ("anonymous", "unknown", '{"reason":"unknown_user"}'),
                       ("anonymous", "bob", '{"reason":"no_password"}'), ("anonymous", "ivo", '{"reason":"deactivated"}'),
                       ("anonymous", "unknown", '{"reason":"unknown_user"}'),
                       ("anonymous", "unknown", '{"reason":"unknown_user"}')]
    assert not any("ghost" in e.details + e.subject for e in audit_entries(engine))


def test_unknown_names_are_verified_against_a_hash_too(engine, staff, monkeypatch):
    verified = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda digest, password: verified.append(digest) or real(digest, password))
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate(engine, "ghost", PASSWORD, T0)
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate(engine, "bob", PASSWORD, T0)  # no password yet
    assert len(verified) == 2 and all(d.startswith("$argon2id$") for d in verified)


def test_failures_lock_the_name_audited_once_then_it_opens_again(engine, staff):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    for minute in range(2):
        with pytest.raises(accounts.LoginRefused) as refused:
            accounts.authenticate(engine, "kim", "wrong password!!", T0 + timedelta(minutes=minute), policy=POLICY)
        assert not refused.value.locked
    with pytest.raises(accounts.LoginRefused) as refused:  # the third failure locks
        accounts.authenticate(engine, "kim", "wrong password!!", T0 + timedelta(minutes=2), policy=POLICY)
    assert refused.value.locked and refused.value.retry_after == timedelta(minutes=10)
    with pytest.raises(accounts.LoginRefused) as refused:  # the right password, but locked
        accounts.authenticate(engine, "kim", PASSWORD, T0 + timedelta(minutes=5), policy=POLICY)
    assert refused.value.locked and "try again in 7 minute" in str(refused.value)
    locks = audit_entries(engine, "user.locked")
    assert [(e.subject, e.details) for e in locks] == [("kim", '{"by":"user","failures":3,"minutes":10.0}')]
    assert len(audit_entries(engine, "user.login_failed")) == 3  # refusals while locked are not counted
    assert accounts.authenticate(engine, "kim", PASSWORD, T0 + timedelta(minutes=12, seconds=1), policy=POLICY)


def test_failures_outside_the_window_do_not_add_up(engine, staff):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    for minute in (0, 20, 40, 60):
        with pytest.raises(accounts.LoginRefused) as refused:
            accounts.authenticate(engine, "kim", "wrong password!!", T0 + timedelta(minutes=minute), policy=POLICY)
        assert not refused.value.locked


def test_unknown_names_lock_like_known_ones(engine, staff):
    outcomes = []
    for _ in range(4):
        with pytest.raises(accounts.LoginRefused) as refused:
            accounts.authenticate(engine, "ghost", PASSWORD, T0, policy=POLICY)
        outcomes.append(refused.value.locked)
    assert outcomes == [False, False, True, True]


def test_one_address_failing_across_many_names_is_locked(engine, staff):
    outcomes = []
    for i in range(accounts.ADDRESS_FACTOR * POLICY.failures + 1):
        with pytest.raises(accounts.LoginRefused) as refused:
            accounts.authenticate(engine, f"guess{i}", PASSWORD, T0, policy=POLICY, address="192.0.2.7")
        outcomes.append(refused.value.locked)
    assert outcomes[-2:] == [True, True] and not any(outcomes[:-2])
    assert audit_entries(engine, "user.locked")[-1].subject == "address"
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    assert accounts.authenticate(engine, "kim", PASSWORD, T0, policy=POLICY, address="198.51.100.1")
    with engine.connect() as conn:  # neither the typed names nor the address are kept
        kept = " ".join(str(v) for table in (schema.login_failures, schema.login_locks)
                        for row in conn.execute(sa.select(table)) for v in row)
    assert "guess" not in kept and "192.0.2.7" not in kept


def test_setting_the_password_lifts_the_lock(engine, staff):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    for _ in range(3):
        with pytest.raises(accounts.LoginRefused):
            accounts.authenticate(engine, "kim", "wrong password!!", T0, policy=POLICY)
    accounts.set_password(engine, "kim", "a brand new password", "anna")
    assert accounts.authenticate(engine, "kim", "a brand new password", T0, policy=POLICY)


def test_an_outdated_hash_is_upgraded_at_login(engine, staff, monkeypatch):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    old = stored_hash(engine, "kim")
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    accounts.authenticate(engine, "kim", PASSWORD, T0)
    assert stored_hash(engine, "kim") != old and "t=2" in stored_hash(engine, "kim")


# --- sessions -----------------------------------------------------------------------------------


def test_a_session_is_kept_only_as_a_hash_and_resumes_until_idle(engine, staff):
    token, session = accounts.start_session(engine, staff["kim"], T0, POLICY)
    with engine.connect() as conn:
        row = conn.execute(sa.select(schema.web_sessions)).one()
    assert token not in " ".join(str(v) for v in row) and row.user_id == "kim"
    again = accounts.resume_session(engine, token, T0 + timedelta(minutes=14), POLICY)
    assert again.user == staff["kim"] and again.csrf_token == session.csrf_token
    assert accounts.resume_session(engine, token, T0 + timedelta(minutes=28), POLICY) is not None  # seen at 14
    assert accounts.resume_session(engine, token, T0 + timedelta(minutes=44), POLICY) is None  # idle 16 minutes
    assert accounts.resume_session(engine, token, T0 + timedelta(minutes=45), POLICY) is None  # and removed
    assert accounts.resume_session(engine, "not-a-token", T0, POLICY) is None


def test_a_busy_session_still_ends_after_its_lifetime(engine, staff):
    token, _ = accounts.start_session(engine, staff["kim"], T0, POLICY)
    moment = T0
    while moment < T0 + timedelta(hours=10) - timedelta(minutes=10):
        moment += timedelta(minutes=10)
        assert accounts.resume_session(engine, token, moment, POLICY) is not None
    assert accounts.resume_session(engine, token, T0 + timedelta(hours=10, minutes=1), POLICY) is None


@pytest.mark.parametrize("change", ["deactivate", "role", "password"])
def test_changing_the_user_ends_their_sessions(engine, staff, change):
    token, _ = accounts.start_session(engine, staff["kim"], T0, POLICY)
    other, _ = accounts.start_session(engine, staff["bob"], T0, POLICY)
    if change == "deactivate":
        access.deactivate_user(engine, "kim", "anna")
    elif change == "role":
        access.add_user(engine, "kim", "coach", "anna")
    else:
        assert accounts.set_password(engine, "kim", PASSWORD, "anna") == 1
    assert accounts.resume_session(engine, token, T0, POLICY) is None
    assert accounts.resume_session(engine, other, T0, POLICY) is not None


def test_logout_ends_the_session_and_is_audited(engine, staff):
    token, _ = accounts.start_session(engine, staff["kim"], T0, POLICY)
    accounts.end_session(engine, token, T0)
    assert accounts.resume_session(engine, token, T0, POLICY) is None
    assert (audit_entries(engine)[-1].action, audit_entries(engine)[-1].actor) == ("user.logout", "kim")
    accounts.end_session(engine, token, T0)  # twice: nothing more
    assert len(audit_entries(engine, "user.logout")) == 1
    assert audit.verify(engine).ok


def test_a_deactivated_user_gets_no_session(engine, staff):
    access.deactivate_user(engine, "kim", "anna")
    with pytest.raises(accounts.LoginRefused):
        accounts.start_session(engine, staff["kim"], T0, POLICY)
    with pytest.raises(accounts.LoginRefused):
        accounts.trusted_login(engine, "kim", T0)


def test_the_proxy_login_is_audited_by_method(engine, staff):
    assert accounts.trusted_login(engine, "kim", T0) == staff["kim"]
    assert audit_entries(engine)[-1].details == '{"method":"proxy"}'
    with pytest.raises(accounts.LoginRefused):
        accounts.trusted_login(engine, "ghost", T0)


def test_an_older_catalogue_gets_the_password_columns(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    old = sa.create_engine(url)
    with old.begin() as conn:
        conn.execute(sa.text("CREATE TABLE users (user_id VARCHAR(64) PRIMARY KEY, role VARCHAR(32) NOT NULL, "
                             "active BOOLEAN NOT NULL, created_at DATETIME NOT NULL, created_by VARCHAR(64) NOT NULL, "
                             "changed_at DATETIME NOT NULL)"))
    old.dispose()
    engine = catalogue.get_engine(url)
    access.add_user(engine, "anna", "manager", None)
    accounts.set_password(engine, "anna", PASSWORD, "anna")
    assert accounts.authenticate(engine, "anna", PASSWORD, T0).role == "manager"


def test_may_follows_the_permission_table(staff):
    for user in staff.values():
        for permission, roles in access.PERMISSIONS.items():
            assert accounts.may(user, permission) == (user.role in roles)
