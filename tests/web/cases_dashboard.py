"""Route × role rows of the manager's dashboard and the audit log."""

from tests.web.route_cases import Case

CASES = {
    ("GET", "/dashboard"): Case(),
    ("GET", "/dashboard/grafiek/{key}.svg"): Case(prepare=lambda engine, staff: {"key": "calls_per_day"}),
    ("GET", "/audit"): Case(),
    ("GET", "/audit/pagina/{number}"): Case(prepare=lambda engine, staff: {"number": "1"}),
    ("POST", "/audit/controleren"): Case(),
}
