"""The retention policy as code: when a recording and everything derived from it expires."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def expires_at(call_start: datetime, retention_days: int = 62, timezone: str = "Europe/Amsterdam") -> datetime:
    """The moment a recording expires: call start plus ``retention_days`` calendar days, local time.

    Calendar days in ``timezone`` keep the wall-clock time across daylight-saving changes: a call
    at 10:00 on 1 March expires at 10:00 on 2 May, whatever the UTC offset did in between.
    """
    if call_start.tzinfo is None:
        raise ValueError("call_start must be timezone-aware")
    local = call_start.astimezone(ZoneInfo(timezone))
    return local + timedelta(days=retention_days)
