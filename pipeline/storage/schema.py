"""The catalogue's schema: every table of callscribe in one place, in SQLite by default and any
SQLAlchemy database (PostgreSQL) by URL.

The storage layer owns the tables; the policy modules (access, audit, outbox, complaints, coaching,
subjects) read and write them but define none, so creating a catalogue needs no policy code.
"""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa

# Recordings and what is left of them after retention (the call database)


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware datetimes stored as UTC; SQLite keeps no offset of its own."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the catalogue; attach a timezone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


metadata = sa.MetaData()

recordings = sa.Table(
    "recordings",
    metadata,
    sa.Column("call_id", sa.String(64), primary_key=True),
    sa.Column("call_start", UTCDateTime, nullable=False, index=True),
    sa.Column("duration_s", sa.Float),
    sa.Column("employee_id", sa.String(64), nullable=False, index=True),
    sa.Column("caller_number", sa.String(32), nullable=False, index=True),
    sa.Column("direction", sa.String(8), nullable=False),
    sa.Column("audio_path", sa.String(512), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("channel_layout", sa.String(16), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # indexed by LISTING_INDEX
    sa.Column("failure_reason", sa.String(500)),
    sa.Column("ingested_at", UTCDateTime, nullable=False),
    sa.Column("processed_at", UTCDateTime),
    sa.Column("claimed_at", UTCDateTime),  # when a run took it for transcription (its lease starts)
)
# Columns added after the first release, with their DDL type: added to older catalogues on open.
ADDED_COLUMNS = {"recordings": {"claimed_at": "TIMESTAMP"},
                 "complaints": {"closed_at": "TIMESTAMP", "closed_by": "VARCHAR(64)"},
                 "coaching_sessions": {"note": "TEXT", "acknowledged_at": "TIMESTAMP",
                                       "acknowledged_by": "VARCHAR(64)"},
                 "users": {"password_hash": "VARCHAR(255)", "password_changed_at": "TIMESTAMP"}}

# Batches by expiry walk (call_start, call_id) with a keyset: one index range scan per batch.
EXPIRY_INDEX = sa.Index("ix_recordings_call_start_call_id", recordings.c.call_start, recordings.c.call_id)
# A page of recordings in one state (``callscribe recordings --state``) is one range scan of this
# index in listing order, not a sort of every row in that state; it serves every query by state.
LISTING_INDEX = sa.Index("ix_recordings_state_call_start", recordings.c.state, recordings.c.call_start,
                         recordings.c.call_id)
# The index on state alone that LISTING_INDEX replaces: dropped from older catalogues when opened, so
# no planner picks it (and sorts) for a listing by state.
REPLACED_INDEXES = ("ix_recordings_state",)

tombstones = sa.Table(
    "tombstones",
    metadata,
    sa.Column("call_id", sa.String(64), primary_key=True),
    sa.Column("call_date", sa.Date, nullable=False, index=True),
    sa.Column("expired_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=False),
    sa.Column("files_deleted", sa.Integer, nullable=False),
    sa.Column("bytes_deleted", sa.BigInteger, nullable=False),
    sa.Column("deleted", sa.String(500), nullable=False),
    sa.Column("resumed", sa.Boolean, nullable=False),
)


# The audit log
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("subject", sa.String(128), nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)


# Users and their roles
users = sa.Table(
    "users",
    metadata,
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("changed_at", UTCDateTime, nullable=False),  # role or status: ends the user's web sessions
    sa.Column("password_hash", sa.String(255)),  # argon2id; none: the user cannot log in to the web application
    sa.Column("password_changed_at", UTCDateTime),
)

# Web sessions: the cookie carries a random id (signed); the catalogue keeps only its SHA-256, so a
# copy of the database opens no session. A session ends on logout, after its idle or absolute time,
# and when its user's row changes (role, status: ``changed_at`` differs from the one at login).
web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id_sha256", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), nullable=False, index=True),
    sa.Column("role", sa.String(32), nullable=False),  # at login
    sa.Column("user_changed_at", UTCDateTime, nullable=False),  # the user's changed_at at login
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
)

# Failed logins and lockouts, keyed by the SHA-256 of the typed login name or of the client address
# (neither kept as typed: a password typed into the name field must not land in the catalogue).
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key_sha256", sa.String(64), nullable=False, index=True),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
)

login_locks = sa.Table(
    "login_locks",
    metadata,
    sa.Column("key_sha256", sa.String(64), primary_key=True),
    sa.Column("until", UTCDateTime, nullable=False),
)


# What leaves callscribe
outbox_items = sa.Table(
    "outbox_items",
    metadata,
    sa.Column("name", sa.String(255), primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("call_id", sa.String(64), index=True),
    sa.Column("request_id", sa.String(64), index=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False, index=True),
    sa.Column("removed_at", UTCDateTime),
)


# The complaint registry and four-eyes requests for transcripts and listen-back copies
complaints = sa.Table(
    "complaints",
    metadata,
    sa.Column("complaint_id", sa.String(16), primary_key=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("received_at", UTCDateTime, nullable=False),
    sa.Column("description", sa.Text, nullable=False),  # may hold personal data: catalogue only
    sa.Column("registered_by", sa.String(64), nullable=False),
    sa.Column("registered_at", UTCDateTime, nullable=False),
    sa.Column("closed_at", UTCDateTime),  # open while empty: its calls are on hold
    sa.Column("closed_by", sa.String(64)),
)

# No foreign key to ``recordings``: retention deletes recording rows, the registry stays.
complaint_calls = sa.Table(
    "complaint_calls",
    metadata,
    sa.Column("complaint_id", sa.String(16), sa.ForeignKey("complaints.complaint_id"), primary_key=True),
    sa.Column("call_id", sa.String(64), primary_key=True),
)

requests = sa.Table(
    "requests",
    metadata,
    sa.Column("request_id", sa.String(16), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("call_id", sa.String(64), nullable=False, index=True),
    sa.Column("complaint_id", sa.String(16), sa.ForeignKey("complaints.complaint_id"), index=True),
    sa.Column("employee_id", sa.String(64)),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("requested_by", sa.String(64), nullable=False),
    sa.Column("requested_at", UTCDateTime, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # indexed by LISTING_INDEX
    sa.Column("decided_by", sa.String(64)),
    sa.Column("decided_at", UTCDateTime),
    sa.Column("decision_reason", sa.Text),
    sa.Column("released_by", sa.String(64)),
    sa.Column("released_at", UTCDateTime),
    sa.CheckConstraint("(complaint_id IS NULL) <> (employee_id IS NULL)", name="ck_requests_one_ground"),
)


# Coaching picks and sessions, employees' spoken names
EMPLOYEE_NAME_MAX = 200
COACHING_NOTE_MAX = 1000  # characters of a session's note

coaching_picks = sa.Table(
    "coaching_picks",
    metadata,
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("employee_id", sa.String(64), primary_key=True),
    sa.Column("call_id", sa.String(64), nullable=False),
    # kept so the list still shows the call date and expiry after retention removed the row
    sa.Column("call_start", UTCDateTime, nullable=False),
    sa.Column("candidates", sa.Integer, nullable=False),
    sa.Column("candidates_sha256", sa.String(64), nullable=False),
    sa.Column("algorithm", sa.String(64), nullable=False),
    sa.Column("drawn_at", UTCDateTime, nullable=False),
    sa.Column("drawn_by", sa.String(64), nullable=False),
)

coaching_sessions = sa.Table(
    "coaching_sessions",
    metadata,
    sa.Column("session_id", sa.String(32), primary_key=True),  # CS-2026-0001 (older ones: 32 hex digits)
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("employee_id", sa.String(64), nullable=False),
    sa.Column("call_id", sa.String(64), nullable=False),
    sa.Column("coach", sa.String(64), nullable=False),
    sa.Column("held_at", UTCDateTime, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("note", sa.Text),  # personal data about the employee: catalogue only, never logged or audited
    sa.Column("acknowledged_at", UTCDateTime),  # when the employee's acknowledgement was recorded
    sa.Column("acknowledged_by", sa.String(64)),  # who recorded it (employees are not users)
    sa.ForeignKeyConstraint(["month", "employee_id"], ["coaching_picks.month", "coaching_picks.employee_id"]),
    sa.Index("ix_coaching_sessions_pick", "month", "employee_id"),
)

employee_names = sa.Table(
    "employee_names",
    metadata,
    sa.Column("employee_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(EMPLOYEE_NAME_MAX), nullable=False),
    sa.Column("set_at", UTCDateTime, nullable=False),
    sa.Column("set_by", sa.String(64), nullable=False),
)


# Data-subject (GDPR) requests
subject_requests = sa.Table(
    "subject_requests",
    metadata,
    sa.Column("request_id", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("requested_by", sa.String(64), nullable=False),
    sa.Column("requested_at", UTCDateTime, nullable=False),
    sa.Column("decided_by", sa.String(64)),
    sa.Column("decided_at", UTCDateTime),
    sa.Column("decision_reason", sa.Text),
    sa.Column("executed_by", sa.String(64)),
    sa.Column("executed_at", UTCDateTime),
)

subject_request_calls = sa.Table(
    "subject_request_calls",
    metadata,
    sa.Column("request_id", sa.String(32), sa.ForeignKey("subject_requests.request_id"), primary_key=True),
    sa.Column("call_id", sa.String(64), primary_key=True),
)
