"""Dates as every page shows them: Dutch month names, local time (``24 nov. 2026 10:00``)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")
MONTHS_SHORT = ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


def short_date(day: date) -> str:
    """``24 nov. 2026``."""
    return f"{day.day} {MONTHS_SHORT[day.month - 1]} {day.year}"


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """``24 nov. 2026 10:00`` in the local time of ``zone``."""
    local = moment.astimezone(zone)
    return f"{short_date(local)} {local:%H:%M}"
