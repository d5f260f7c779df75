"""Who acts: a login name and one role. Shared by the audit log (which records it) and access
(which decides what it may do), so neither needs the other's copy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    """Someone acting in callscribe: a login name and one role."""

    user_id: str
    role: str
    active: bool = True


SYSTEM = User("system", "system")  # scheduled flows (coaching draw, retention) act as this


def schedule(flow_name: str) -> User:
    """The actor of a scheduled run of ``flow_name``, named in the audit log as such."""
    return User(f"schedule:{flow_name}", "system")


DEMO = User("demo", "system")  # `callscribe demo`: ingests and transcribes only the bundled samples
