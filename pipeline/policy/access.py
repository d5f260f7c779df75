"""Users, roles and the policy's checks: who may do what, reasons, and the four-eyes rule.

Users are identified by their login name (``user_id``); callscribe keeps no names of staff, so the
audit log, which records user ids and roles, holds no personal data beyond that id. Every policy
function takes the acting login name and authorises it here; where that name comes from (the
operating-system login, a deployment's own setting, a web session) is the interface's business.
Role changes follow fixed rules: nobody changes their own role, only a manager grants ``manager``,
the last active manager keeps the role.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from callscribe.pipeline.errors import AccessDeniedError, PolicyError
from callscribe.pipeline.policy import audit
from callscribe.pipeline.policy.identity import SYSTEM as SYSTEM  # re-exported: access.SYSTEM, access.User
from callscribe.pipeline.policy.identity import User as User
from callscribe.pipeline.storage.schema import users

logger = logging.getLogger(__name__)

ROLES = ("manager", "teamleider", "ict_backoffice", "klachtendesk", "coach")

# What each permission allows, and to whom. The policy: only managers, team leaders and
# authorised ICT back-office staff access recordings (release, listen-back, exports, erasure);
# the complaint desk registers complaints and files requests; coaches see coaching picks.
PERMISSIONS: dict[str, frozenset[str]] = {
    "users.manage": frozenset({"manager", "ict_backoffice"}),
    "complaint.register": frozenset({"klachtendesk", "teamleider", "manager"}),
    "complaint.read": frozenset({"klachtendesk", "teamleider", "manager"}),
    "request.create": frozenset({"klachtendesk", "teamleider", "manager"}),
    "request.decide": frozenset({"manager", "teamleider"}),
    "request.release": frozenset({"manager", "teamleider", "ict_backoffice"}),
    # whoever files, decides on or releases requests sees them (without reasons in lists)
    "request.read": frozenset({"klachtendesk", "manager", "teamleider", "ict_backoffice"}),
    "coaching.draw": frozenset({"manager", "teamleider"}),
    "coaching.read": frozenset({"coach", "teamleider", "manager"}),
    "coaching.session": frozenset({"coach", "teamleider", "manager"}),
    # employees are not users: whoever holds sessions records the employee's acknowledgement
    "coaching.acknowledge": frozenset({"coach", "teamleider", "manager"}),
    # a session's note is personal data about the employee: reading it is audited
    "coaching.note.read": frozenset({"coach", "teamleider", "manager"}),
    "subject.create": frozenset({"klachtendesk", "teamleider", "manager"}),
    "subject.read": frozenset({"klachtendesk", "teamleider", "manager", "ict_backoffice"}),
    "subject.decide": frozenset({"manager", "teamleider"}),
    "subject.execute": frozenset({"manager", "teamleider", "ict_backoffice"}),
    "recordings.transcribe": frozenset({"manager", "teamleider", "ict_backoffice"}),
    # the second person reviews the redactions of a transcript before it is released
    "transcript.review": frozenset({"manager", "teamleider"}),
    # released letters and exports: whoever serves the customer, and those who release
    "letter.download": frozenset({"klachtendesk", "teamleider", "manager", "ict_backoffice"}),
    # listening back to a released audio copy: only those who may access recordings (the policy)
    "audio.listen": frozenset({"manager", "teamleider", "ict_backoffice"}),
    "dashboard.read": frozenset({"manager"}),
    "audit.read": frozenset({"manager", "ict_backoffice"}),
    # accepting the log as it is now, after looking into why it no longer reached its anchor
    "audit.reanchor": frozenset({"manager"}),
    "retention.run": frozenset({"manager", "ict_backoffice"}),
    "recordings.ingest": frozenset({"manager", "ict_backoffice"}),
}

_USER_ID = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")




def add_user(engine: Engine, user_id: str, role: str, as_user: str | None) -> User:
    """Add a user, or reactivate one with a (new) role, as the user ``as_user`` (a login name).

    The very first user of a deployment is added by whoever installs it and must be a manager;
    after that ``as_user`` needs ``users.manage``.

    Raises:
        AccessDeniedError: the actor may not manage users, or a bootstrap is not allowed.
        PolicyError: a malformed user id or an unknown role.
    """
    user_id = _check_user_id(user_id)
    if role not in ROLES:
        raise PolicyError(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
    now = datetime.now(UTC)
    with audit.transaction(engine) as conn:
        if not conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one():
            if role != "manager":
                raise AccessDeniedError("the first user must be a manager")
            acting = User(user_id, "bootstrap")
        else:
            acting = _authorize(conn, as_user, "users.manage")
        existing = conn.execute(sa.select(users).where(users.c.user_id == user_id)).first()
        _check_role_change(conn, acting, user_id, role, existing)
        if existing is None:
            conn.execute(sa.insert(users).values(user_id=user_id, role=role, active=True, created_at=now,
                                                 created_by=acting.user_id, changed_at=now))
        else:
            conn.execute(sa.update(users).where(users.c.user_id == user_id).values(role=role, active=True,
                                                                                  changed_at=now))
        audit.record(conn, acting, "user.added" if existing is None else "user.changed", user_id,
                     {"role": role}, at=now)
    logger.info("user %s: role %s", user_id, role)
    return User(user_id, role)


def deactivate_user(engine: Engine, user_id: str, as_user: str | None) -> None:
    """Deactivate a user (kept for the audit trail, never deleted), as ``as_user`` (a login name
    with ``users.manage``); they can no longer act.

    Raises:
        AccessDeniedError: the actor may not manage users, or would lock out the last manager.
    """
    now = datetime.now(UTC)
    with audit.transaction(engine) as conn:
        acting = _authorize(conn, as_user, "users.manage")
        target = _get(conn, user_id)
        if target.user_id == acting.user_id:
            raise AccessDeniedError("nobody deactivates themselves: another manager or ict_backoffice user does")
        if target.role == "manager" and target.active and _active_managers(conn) <= 1:
            raise AccessDeniedError("cannot deactivate the last active manager: add another manager first")
        conn.execute(sa.update(users).where(users.c.user_id == user_id).values(active=False, changed_at=now))
        audit.record(conn, acting, "user.deactivated", user_id, {"role": target.role}, at=now)


def _active_managers(conn) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(users).where(
        users.c.role == "manager", users.c.active.is_(True))).scalar_one()


def _check_role_change(conn, acting: User, user_id: str, role: str, existing) -> None:
    """The rules of granting roles: nobody changes their own role, only a manager grants
    ``manager``, and the last active manager keeps the role.

    Raises:
        AccessDeniedError: the change breaks one of them.
    """
    if acting.role == "bootstrap":
        return
    if user_id == acting.user_id:
        raise AccessDeniedError("nobody changes their own role: another manager or ict_backoffice user does")
    if role == "manager" and acting.role != "manager":
        raise AccessDeniedError("only a manager grants the manager role")
    if existing is not None and existing.role == "manager" and existing.active and role != "manager" \
            and _active_managers(conn) <= 1:
        raise AccessDeniedError("cannot take the manager role from the last active manager: add another manager first")


def list_users(engine: Engine, as_user: str | None) -> list[User]:
    """Every user with role and status, for ``as_user`` (a login name with ``users.manage``)."""
    with engine.connect() as conn:
        _authorize(conn, as_user, "users.manage")
        return [User(r.user_id, r.role, r.active) for r in conn.execute(sa.select(users).order_by(users.c.user_id))]


def authorize(engine: Engine, user_id: str | None, permission: str) -> User:
    """The active user ``user_id`` if one of its roles grants ``permission``.

    Raises:
        AccessDeniedError: no user given, unknown or inactive user, or a role without the permission.
    """
    with engine.connect() as conn:
        return _authorize(conn, user_id, permission)


def _authorize(conn, user_id: str | None, permission: str) -> User:
    allowed = PERMISSIONS[permission]
    if not user_id:
        raise AccessDeniedError(f"say who acts (a login name); allowed roles: {', '.join(sorted(allowed))}")
    user = _get(conn, user_id)
    if not user.active:
        raise AccessDeniedError(f"user {user_id} is deactivated")
    if user.role not in allowed:
        raise AccessDeniedError(
            f"user {user_id} has role {user.role}; {permission} needs one of: {', '.join(sorted(allowed))}"
        )
    return user


def _get(conn, user_id: str) -> User:
    row = conn.execute(sa.select(users).where(users.c.user_id == user_id)).first()
    if row is None:
        raise AccessDeniedError(f"unknown user {user_id}: a manager or the ICT back office adds users")
    return User(row.user_id, row.role, row.active)


def _check_user_id(user_id: str) -> str:
    if not _USER_ID.fullmatch(user_id or ""):
        raise PolicyError(
            "a user id is the login name: 1-64 lower-case letters, digits, '.', '_', '@' or '-', e.g. 'j.devries'"
        )
    return user_id


def check_reason(reason: str | None, min_length: int, what: str = "reason") -> str:
    """A written reason, stripped, of at least ``min_length`` characters.

    Raises:
        PolicyError: missing or too short (the message gives the length needed, never the text).
    """
    text = " ".join((reason or "").split())
    if not text:
        raise PolicyError(f"a {what} is required: write why (at least {min_length} characters)")
    if len(text) < min_length:
        raise PolicyError(f"the {what} is too short ({len(text)} characters); write at least {min_length}")
    return text


def check_second_person(requester_id: str, decider: User) -> None:
    """The four-eyes rule: whoever decides on a request is not the person who made it.

    Raises:
        PolicyError: the decider made the request.
    """
    if decider.user_id == requester_id:
        raise PolicyError(
            f"user {decider.user_id} made this request and cannot also decide on it (four-eyes principle): "
            "a second manager or team leader must approve or reject it"
        )


def verify_audit_log(engine: Engine, as_user: str | None) -> audit.Verification:
    """The audit log's hash chain checked for ``as_user`` (``audit.read``: a manager or the ICT back
    office); the check is itself an audit entry.

    Raises:
        AccessDeniedError: ``as_user`` may not read the audit log.
    """
    actor = authorize(engine, as_user, "audit.read")
    result = audit.verify(engine)
    audit.append(engine, actor.user_id, actor.role, "audit.verified", "audit",
                 {"ok": result.ok, "entries": result.entries})
    return result


def reanchor_audit_log(engine: Engine, as_user: str | None) -> tuple[int | None, int]:
    """Anchor the audit log's head as it is now, for ``as_user`` (``audit.reanchor``: a manager),
    after the log no longer reached its anchor and someone looked into why; returns the old
    anchored sequence number (None when missing or unreadable) and the new head, itself an entry.

    Raises:
        AccessDeniedError: ``as_user`` may not re-anchor the log.
    """
    actor = authorize(engine, as_user, "audit.reanchor")
    return audit.reanchor(engine, actor)
