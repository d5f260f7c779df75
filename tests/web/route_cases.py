"""How the route × role test (test_routes.py) calls each route, collected from every area.

Each area of the web application keeps its rows in its own module ``tests/web/cases_<area>.py``
as ``CASES: dict[tuple[method, path], Case]``, so areas are added without editing one shared list.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Case:
    """How the route × role test calls one route."""

    prepare: Callable[[object, dict], dict[str, str]] | None = None  # (engine, staff) -> path parameters
    form: dict[str, str] = field(default_factory=dict)  # what a POST sends besides csrf_token
    allowed: tuple[int, ...] = (200, 303)  # statuses of a route that did its work


def collect() -> dict[tuple[str, str], Case]:
    """Every area's rows; a route named by two areas is an error."""
    found: dict[tuple[str, str], Case] = {}
    for path in sorted(Path(__file__).parent.glob("cases_*.py")):
        module = importlib.import_module(f"tests.web.{path.stem}")
        clash = found.keys() & module.CASES.keys()
        if clash:
            raise ValueError(f"{path.name} repeats rows of another area: {sorted(clash)}")
        found.update(module.CASES)
    return found
