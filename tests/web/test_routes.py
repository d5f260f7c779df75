"""Every registered route × every role (and anonymous): allowed where the library's permission
table says so, refused otherwise — with the same 404 as a page that does not exist — and sent to
the login page when nobody is logged in.

Adding a page? Add one row to ``CASES`` of your area's ``tests/web/cases_<area>.py`` for each
method and path you register (see ``route_cases.py``): how to reach it
(``prepare`` creates what the route shows, through the library, and returns its path
parameters; ``form`` is what a POST sends besides the CSRF token) and which statuses mean the
route did its work (``allowed``). Who may use it is not written here: it comes from the route's
declared permission and ``access.PERMISSIONS``. A registered route without a row fails
``test_every_registered_route_has_a_case``.
"""

from __future__ import annotations

import pytest

from callscribe.pipeline.policy import access
from callscribe.web.app import page_routers
from callscribe.web.auth import LOGGED_IN, PUBLIC
from callscribe.web.routes import Page, Pages
from tests.web.conftest import csrf_of, login_as
from tests.web.route_cases import collect

MISSING = "/bestaat-niet"


CASES = collect()

PAGES: list[Page] = [page for router in page_routers() for page in router.pages]
ROUTES = [(method, page) for page in PAGES for method in page.methods]
WHO = [*access.ROLES, None]  # None: anonymous


def test_every_registered_route_has_a_case():
    registered = {(method, page.path) for method, page in ROUTES}
    assert not registered - CASES.keys(), f"add rows to CASES for {sorted(registered - CASES.keys())}"
    assert not CASES.keys() - registered, f"CASES names routes that are gone: {sorted(CASES.keys() - registered)}"


def test_every_route_declares_a_permission_of_the_library():
    for page in PAGES:
        assert page.permission in (PUBLIC, LOGGED_IN) or page.permission in access.PERMISSIONS, page


def test_routes_cannot_be_added_without_a_permission():
    router = Pages()
    with pytest.raises(TypeError):
        router.get("/x")(lambda: None)  # permission is required
    with pytest.raises(TypeError, match="declare their permission"):
        router.add_api_route("/x", lambda: None)
    with pytest.raises(ValueError, match="unknown permission"):
        router.get("/x", permission="complaints.everything")


@pytest.mark.parametrize("who", WHO, ids=[w or "anonymous" for w in WHO])
@pytest.mark.parametrize(("method", "page"), ROUTES, ids=[f"{m} {p.path}" for m, p in ROUTES])
def test_route_as_role(new_client, engine, staff, method, page, who):
    case = CASES[(method, page.path)]
    client = new_client()
    user = next(u for u in staff.values() if u.role == who) if who else None
    token = login_as(client, user) if user else csrf_of(client.get("/inloggen").text)
    url = page.path.format(**(case.prepare(engine, staff) if case.prepare else {}))
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={**case.form, "csrf_token": token})

    if page.allows(user):
        assert response.status_code in case.allowed, f"{who or 'anonymous'} may use {method} {page.path}"
        assert response.headers.get("location") != "/inloggen" or page.path == "/uitloggen"
    elif user is None:
        assert (response.status_code, response.headers.get("location")) == (303, "/inloggen")
    else:
        missing = client.get(MISSING)
        assert response.status_code == missing.status_code == 404, f"{who} may not use {method} {page.path}"
        assert response.text == missing.text
    assert response.headers["cache-control"] == "no-store"
