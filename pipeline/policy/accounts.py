"""Web accounts: passwords, logins and sessions of the web application.

A user logs in with their login name and a password stored as an argon2id hash. Failed logins are
counted per login name and per client address; too many within the window lock that name or
address for a while. A refusal never says whether the login name exists: unknown names are
verified against a dummy hash (about the same time) and lock like known ones. Logins, failures,
lockouts, logouts and password changes are audited (ids only: never a password, a hash, a typed
unknown name or an address).

A session is a row of ``web_sessions`` keyed by the SHA-256 of a random id that only the client
holds (the web application signs it into a cookie). It ends on logout, after ``idle`` without a
request or ``lifetime`` after login, when the user's password is set, and when the user's row
changes (a new role, deactivation), since each session remembers the row as it was at login.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import AccessDeniedError, PolicyError
from callscribe.pipeline.policy import access, audit
from callscribe.pipeline.policy.identity import User
from callscribe.pipeline.settings import Settings
from callscribe.pipeline.storage.schema import login_failures, login_locks, users, web_sessions

logger = logging.getLogger(__name__)

PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 1024  # hashing is costly: a megabyte "password" is refused, not hashed
LOGIN_NAME_MAX_LENGTH = 256  # what a login form field may hold; longer is refused unread
ADDRESS_FACTOR = 4  # one client address may fail this many times as often as one login name
# argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile); tests put in a cheaper one.
HASHER = PasswordHasher()
# Who the audit log names for a failed login: whoever typed it is not known to be anyone.
ANONYMOUS = User("anonymous", "anonymous")


@dataclass(frozen=True)
class LoginPolicy:
    """How many failed logins lock a login name (an address: :data:`ADDRESS_FACTOR` times as many)
    within ``window``, for how long, and how long a session lasts idle and at most."""

    failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)
    idle: timedelta = timedelta(minutes=15)
    lifetime: timedelta = timedelta(hours=10)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginPolicy:
        """The policy of the ``CALLSCRIBE_WEB_*`` settings."""
        return cls(failures=settings.web_login_failures,
                   window=timedelta(minutes=settings.web_login_window_minutes),
                   lockout=timedelta(minutes=settings.web_lockout_minutes),
                   idle=timedelta(minutes=settings.web_idle_minutes),
                   lifetime=timedelta(hours=settings.web_absolute_hours))


class LoginRefused(AccessDeniedError):
    """A login was refused: wrong name or password, a user who cannot log in, or a lock. The
    message is the same whether or not the login name exists.

    Attributes:
        locked: the name or address is locked for now; retry_after: how long it still is.
    """

    def __init__(self, locked: bool = False, retry_after: timedelta | None = None):
        self.locked = locked
        self.retry_after = retry_after
        super().__init__(f"too many failed logins: try again in {self.retry_minutes} minute(s)" if locked
                         else "login refused: unknown login name or wrong password (or the user cannot log in)")

    @property
    def retry_minutes(self) -> int:
        """Whole minutes until a lock ends, rounded up (at least 1); 0 when not locked."""
        if not self.locked:
            return 0
        return max(1, -(-int((self.retry_after or timedelta()).total_seconds()) // 60))


@dataclass(frozen=True)
class Session:
    """A live web session: who, since when, and the token every form of it must carry."""

    user: User
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


def may(user: User, permission: str) -> bool:
    """Whether ``user``'s role grants ``permission`` in :data:`access.PERMISSIONS` (for showing a
    link or a task; acting still goes through ``access.authorize``)."""
    return user.active and user.role in access.PERMISSIONS[permission]


# --- passwords ----------------------------------------------------------------------------------


def set_password(engine: Engine, user_id: str, password: str, as_user: str | None,
                 now: datetime | None = None) -> int:
    """Set ``user_id``'s password, as ``as_user``: anyone active for themselves, ``users.manage``
    (a manager or the ICT back office) for someone else, only a manager for a manager. Before any
    password exists, the first manager's may be set by whoever installs callscribe (recorded as a
    bootstrap). Ends the user's web sessions and lifts a lock on their login name; returns how many
    sessions ended. Audited as ``user.password_set`` (never the password or its hash).

    Raises:
        PolicyError: the password is too short or too long, or is the login name.
        AccessDeniedError: ``as_user`` may not set this user's password, or the user is unknown.
    """
    _check_password(user_id, password)
    now = now or datetime.now(UTC)
    acting = _password_actor(engine, user_id, as_user)
    digest = HASHER.hash(password)
    with audit.transaction(engine) as conn:
        conn.execute(sa.update(users).where(users.c.user_id == user_id).values(password_hash=digest,
                                                                              password_changed_at=now))
        ended = conn.execute(sa.delete(web_sessions).where(web_sessions.c.user_id == user_id)).rowcount
        _forget_failures(conn, _key("user", user_id))
        audit.record(conn, acting, "user.password_set", user_id,
                     {"own": acting.user_id == user_id and acting.role != "bootstrap", "sessions_ended": ended}, at=now)
    logger.info("user %s: password set, %d session(s) ended", user_id, ended)
    return ended


def _check_password(user_id: str, password: str) -> None:
    if not password or not password.strip():
        raise PolicyError(f"give a password of at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) < PASSWORD_MIN_LENGTH:
        raise PolicyError(f"the password is too short ({len(password)} characters); use at least {PASSWORD_MIN_LENGTH}")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise PolicyError(f"the password is too long; use at most {PASSWORD_MAX_LENGTH} characters")
    if password.strip().lower() == user_id.lower():
        raise PolicyError("the password must not be the login name")


def _password_actor(engine: Engine, user_id: str, as_user: str | None) -> User:
    """Who sets ``user_id``'s password: the user themselves, a user manager, or the bootstrap."""
    with engine.connect() as conn:
        target = conn.execute(sa.select(users).where(users.c.user_id == user_id)).first()
        any_password = conn.execute(sa.select(sa.func.count()).select_from(users).where(
            users.c.password_hash.is_not(None))).scalar_one()
    if target is not None and as_user == user_id and target.active:
        return User(user_id, target.role)
    try:
        acting = access.authorize(engine, as_user, "users.manage")
    except AccessDeniedError:
        if target is not None and target.active and target.role == "manager" and not any_password:
            return User(user_id, "bootstrap")  # the first manager's first password, as add_user's first user
        raise
    if target is None:
        raise AccessDeniedError(f"unknown user {user_id}: add the user first")
    if target.role == "manager" and acting.role != "manager":
        raise AccessDeniedError("only a manager sets a manager's password")
    return acting


def _verify(digest: str, password: str) -> bool:
    try:
        return HASHER.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy_hashes: dict[tuple, str] = {}


def _dummy_hash() -> str:
    """A hash of a random password with the current hasher's costs: unknown names are verified
    against it, so they take about as long as known ones."""
    costs = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism, HASHER.type)
    if costs not in _dummy_hashes:
        _dummy_hashes[costs] = HASHER.hash(secrets.token_urlsafe(24))
    return _dummy_hashes[costs]


# --- logins -------------------------------------------------------------------------------------


def authenticate(engine: Engine, user_id: str, password: str, now: datetime, *,
                 policy: LoginPolicy = LoginPolicy(), address: str | None = None) -> User:
    """The user ``user_id`` (a login name, case and surrounding spaces ignored) if ``password`` is
    theirs and they are active, audited as ``user.login``. Otherwise the failure is counted for the
    name and, when given, the client ``address``, audited as ``user.login_failed`` (``user.locked``
    once a count reaches the policy's limit) and refused.

    Raises:
        LoginRefused: the same for an unknown name, a wrong password, a deactivated user or one
            without a password; ``locked`` while the name or address is locked (not counted).
    """
    name = (user_id or "").strip().lower()
    password = password or ""
    if len(name) > LOGIN_NAME_MAX_LENGTH or len(password) > PASSWORD_MAX_LENGTH:
        name, password = "", ""  # verified (and failed) like any other unknown name
    keys = {"user": _key("user", name)}
    if address:
        keys["address"] = _key("address", address)
    with engine.connect() as conn:
        until = conn.execute(sa.select(sa.func.max(login_locks.c.until)).where(
            login_locks.c.key_sha256.in_(keys.values()), login_locks.c.until > now)).scalar()
        row = conn.execute(sa.select(users).where(users.c.user_id == name)).first() if name else None
    if until is not None:
        raise LoginRefused(locked=True, retry_after=until - now)
    stored = row.password_hash if row is not None else None
    matches = _verify(stored or _dummy_hash(), password) and stored is not None
    if matches and row.active:
        with audit.transaction(engine) as conn:
            _forget_failures(conn, keys["user"])
            if HASHER.check_needs_rehash(stored):
                conn.execute(sa.update(users).where(users.c.user_id == name).values(password_hash=HASHER.hash(password)))
            user = User(row.user_id, row.role)
            audit.record(conn, user, "user.login", user.user_id, {"method": "password"}, at=now)
        logger.info("user %s logged in", user.user_id)
        return user
    reason = ("unknown_user" if row is None else "no_password" if stored is None
              else "deactivated" if matches else "password")
    locked = _count_failure(engine, keys, row, reason, now, policy)
    raise LoginRefused(locked=locked is not None, retry_after=locked)


def _count_failure(engine: Engine, keys: dict[str, str], row, reason: str, now: datetime,
                   policy: LoginPolicy) -> timedelta | None:
    """Record one failed login for each key; lock a key that reached its limit. Returns the lock's
    length when this failure locked something."""
    subject = row.user_id if row is not None else "unknown"
    locked = None
    with audit.transaction(engine) as conn:
        conn.execute(sa.delete(login_failures).where(login_failures.c.at <= now - policy.window))
        conn.execute(sa.delete(login_locks).where(login_locks.c.until <= now))
        audit.record(conn, ANONYMOUS, "user.login_failed", subject, {"reason": reason}, at=now)
        for kind, key in keys.items():
            conn.execute(sa.insert(login_failures).values(key_sha256=key, at=now))
            count = conn.execute(sa.select(sa.func.count()).select_from(login_failures).where(
                login_failures.c.key_sha256 == key, login_failures.c.at > now - policy.window)).scalar_one()
            limit = policy.failures if kind == "user" else policy.failures * ADDRESS_FACTOR
            if count >= limit:
                _forget_failures(conn, key)
                conn.execute(sa.insert(login_locks).values(key_sha256=key, until=now + policy.lockout))
                audit.record(conn, ANONYMOUS, "user.locked", subject if kind == "user" else "address",
                             {"by": kind, "failures": count, "minutes": policy.lockout.total_seconds() / 60}, at=now)
                logger.warning("login locked by %s for %s", kind, policy.lockout)
                locked = policy.lockout
    return locked


def _forget_failures(conn, key: str) -> None:
    conn.execute(sa.delete(login_failures).where(login_failures.c.key_sha256 == key))
    conn.execute(sa.delete(login_locks).where(login_locks.c.key_sha256 == key))


def _key(kind: str, value: str) -> str:
    """What the catalogue keeps of a typed login name or a client address: a SHA-256."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def trusted_login(engine: Engine, user_id: str, now: datetime) -> User:
    """The active user ``user_id`` as a trusted reverse proxy (single sign-on) names them, audited
    as ``user.login`` by proxy.

    Raises:
        LoginRefused: unknown or deactivated user (not counted: the proxy already authenticated).
    """
    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.user_id == user_id)).first()
    if row is None or not row.active:
        raise LoginRefused()
    user = User(row.user_id, row.role)
    audit.append(engine, user.user_id, user.role, "user.login", user.user_id, {"method": "proxy"}, at=now)
    return user


# --- sessions -----------------------------------------------------------------------------------


def start_session(engine: Engine, user: User, now: datetime, policy: LoginPolicy = LoginPolicy()) -> tuple[str, Session]:
    """A new session of ``user`` (who just logged in): the random id for the client, which the
    catalogue keeps only as its SHA-256, and the session. Sessions past their time are removed.

    Raises:
        LoginRefused: the user is no longer active.
    """
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        _remove_expired(conn, now, policy)
        row = conn.execute(sa.select(users).where(users.c.user_id == user.user_id)).first()
        if row is None or not row.active:
            raise LoginRefused()
        conn.execute(sa.insert(web_sessions).values(
            id_sha256=_digest(token), user_id=row.user_id, role=row.role, user_changed_at=row.changed_at,
            csrf_token=csrf, created_at=now, last_seen_at=now))
    return token, Session(User(row.user_id, row.role), csrf, now, now)


def resume_session(engine: Engine, token: str, now: datetime, policy: LoginPolicy = LoginPolicy()) -> Session | None:
    """The live session whose random id is ``token``, now seen again; None when there is none, or
    it has ended: idle or lifetime over, the user deactivated, given another role or a new password
    (the row is then removed)."""
    if not token:
        return None
    digest = _digest(token)
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(web_sessions, users.c.role.label("current_role"), users.c.active,
                      users.c.changed_at).join(users, users.c.user_id == web_sessions.c.user_id)
            .where(web_sessions.c.id_sha256 == digest)).first()
        if row is None:
            return None
        if (now - row.last_seen_at > policy.idle or now - row.created_at > policy.lifetime or not row.active
                or row.current_role != row.role or row.changed_at != row.user_changed_at):
            conn.execute(sa.delete(web_sessions).where(web_sessions.c.id_sha256 == digest))
            return None
        seen = max(now, row.last_seen_at)
        conn.execute(sa.update(web_sessions).where(web_sessions.c.id_sha256 == digest).values(last_seen_at=seen))
    return Session(User(row.user_id, row.role), row.csrf_token, row.created_at, seen)


def end_session(engine: Engine, token: str, now: datetime) -> None:
    """Log out: the session of ``token`` ends, audited as ``user.logout``; nothing when none is live."""
    if not token:
        return
    with audit.transaction(engine) as conn:
        row = conn.execute(sa.select(web_sessions).where(web_sessions.c.id_sha256 == _digest(token))).first()
        if row is None:
            return
        conn.execute(sa.delete(web_sessions).where(web_sessions.c.id_sha256 == row.id_sha256))
        audit.record(conn, User(row.user_id, row.role), "user.logout", row.user_id, at=now)


def _remove_expired(conn, now: datetime, policy: LoginPolicy) -> None:
    conn.execute(sa.delete(web_sessions).where(sa.or_(web_sessions.c.last_seen_at < now - policy.idle,
                                                      web_sessions.c.created_at < now - policy.lifetime)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
