"""The route registry: every page declares who may use it, and the navigation and the route × role
tests are built from these declarations.

A page module is a module of this package with a ``pages = Pages()`` router; the application
finds it by itself (``app.create_app``). Each route names its permission, a key of the library's
``access.PERMISSIONS`` (or ``PUBLIC``, ``LOGGED_IN``)::

    from callscribe.web.auth import CurrentUser
    from callscribe.web.routes import Pages, render

    pages = Pages()

    @pages.get("/klachten", permission="complaint.read", nav="Klachten")
    def complaint_list(request: Request, user: CurrentUser):
        return render(request, "complaints/list.html", {"complaints": ...})

    @pages.post("/klachten", permission="complaint.register")
    def complaint_register(request: Request, user: CurrentUser, description: str = Form(...)):
        ...  # the library authorises and audits again, as user.user_id

Before the endpoint runs, the route has checked the session (anonymous: to the login page), the
permission (not granted: the same 404 as a missing page) and, on POST, the CSRF token (403).
``tests/web/test_routes.py`` tries every registered route as every role and anonymous, with the rows
of ``tests/web/cases_<area>.py``; a route without a row fails that test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from callscribe.pipeline.policy import accounts
from callscribe.pipeline.policy.identity import User
from callscribe.web.auth import LOGGED_IN, PUBLIC, guard, state_of

# The navigation, in this order; a link shows only once its page is registered (with ``nav=``)
# and the user's role may use it. Pages not listed here follow in registration order.
NAV_ORDER = ("/klachten", "/verzoeken", "/avg", "/goedkeuren", "/vrijgeven", "/downloads", "/coaching", "/dashboard",
             "/audit")

ROLE_LABELS = {"manager": "Manager", "teamleider": "Teamleider", "ict_backoffice": "ICT-backoffice",
               "klachtendesk": "Klachtendesk", "coach": "Coach"}

# What a role's work is, by permission, as the home page lists it (in this order).
TASKS = (
    ("complaint.register", "Klachten registreren"),
    ("request.create", "Een transcript of terugluisteren aanvragen, met een geschreven reden"),
    ("subject.create", "Inzage- en verwijderverzoeken van bellers indienen"),
    ("request.decide", "Verzoeken van anderen goedkeuren of afwijzen (vier ogen)"),
    ("transcript.review", "Geredigeerde transcripten controleren vóór vrijgave"),
    ("request.release", "Goedgekeurde verzoeken vrijgeven"),
    ("subject.decide", "Inzage- en verwijderverzoeken beoordelen"),
    ("subject.execute", "Goedgekeurde inzage- en verwijderverzoeken uitvoeren"),
    ("letter.download", "Vrijgegeven brieven downloaden"),
    ("audio.listen", "Vrijgegeven opnames terugluisteren"),
    ("coaching.read", "De coachingsgesprekken van dit kwartaal bekijken"),
    ("coaching.session", "Coachingsgesprekken vastleggen"),
    ("dashboard.read", "Het dashboard bekijken"),
    ("audit.read", "Het auditlog bekijken en controleren"),
    ("users.manage", "Gebruikers en wachtwoorden beheren (opdrachtregel)"),
)


# Tasks whose actions sit on a page registered under another permission.
TASK_PAGES = {"subject.decide": "/goedkeuren", "subject.execute": "/vrijgeven", "audio.listen": "/downloads",
              "coaching.session": "/coaching", "transcript.review": "/vrijgeven"}


@dataclass(frozen=True)
class Page:
    """One registered route: its methods, path (ids only in paths), who may use it, and its label
    in the navigation (GET pages only)."""

    methods: tuple[str, ...]
    path: str
    permission: str
    nav: str | None = None

    def allows(self, user: User | None) -> bool:
        """Whether ``user`` (None: anonymous) may use the route, by the library's table."""
        if self.permission == PUBLIC:
            return True
        if user is None:
            return False
        return self.permission == LOGGED_IN or accounts.may(user, self.permission)


class Pages(APIRouter):
    """A router whose every route declares its permission (``get``, ``post``, ``page``); the
    plain APIRouter decorators are refused, so no route goes unchecked."""

    def __init__(self) -> None:
        super().__init__(default_response_class=HTMLResponse)
        self.pages: list[Page] = []

    def page(self, path: str, *, permission: str, methods: Iterable[str] = ("GET",),
             nav: str | None = None) -> Callable:
        """Register the decorated endpoint at ``path`` for ``methods``, used by ``permission``."""
        methods = tuple(m.upper() for m in methods)
        dependencies = guard(permission)

        def register(endpoint: Callable) -> Callable:
            APIRouter.add_api_route(self, path, endpoint, methods=list(methods), dependencies=dependencies,
                                    include_in_schema=False)
            self.pages.append(Page(methods, path, permission, nav if "GET" in methods else None))
            return endpoint

        return register

    def get(self, path: str, *, permission: str, nav: str | None = None) -> Callable:  # type: ignore[override]
        """A page shown by GET (with ``nav``: a link in the navigation)."""
        return self.page(path, permission=permission, nav=nav)

    def post(self, path: str, *, permission: str) -> Callable:  # type: ignore[override]
        """A form or HTMX action by POST (CSRF-checked)."""
        return self.page(path, permission=permission, methods=("POST",))

    def add_api_route(self, *args, **kwargs) -> None:
        raise TypeError("register routes with Pages.get/post/page, which declare their permission")

    def api_route(self, *args, **kwargs):
        raise TypeError("register routes with Pages.get/post/page, which declare their permission")


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    current: bool


def navigation(request: Request, user: User | None) -> list[NavItem]:
    """The links of the registered pages ``user`` may open, in :data:`NAV_ORDER`."""
    pages = [p for p in state_of(request).pages if p.nav and p.allows(user)]
    order = {path: i for i, path in enumerate(NAV_ORDER)}
    pages.sort(key=lambda p: order.get(p.path, len(order)))
    here = request.url.path
    return [NavItem(p.nav, p.path, here == p.path or here.startswith(p.path + "/")) for p in pages]


def tasks(request: Request, user: User) -> list[tuple[str, str | None]]:
    """The role's tasks for the home page, each with the page that serves it (once registered)."""
    found = []
    for permission, text in TASKS:
        if accounts.may(user, permission):
            pages = [p for p in state_of(request).pages if p.permission == permission and "GET" in p.methods
                     and "{" not in p.path]
            page = next((p for p in pages if p.nav), None) or next(iter(pages), None)  # its list, else its form
            if page is None:  # a task done on another area's page
                page = next((p for p in state_of(request).pages if p.path == TASK_PAGES.get(permission)
                             and "GET" in p.methods and p.allows(user)), None)
            found.append((text, page.path if page else None))
    return found


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200) -> Response:
    """A page from ``web/templates``: the template gets ``user``, ``role_label``, ``nav`` and
    ``csrf_field()``/``csrf_token`` besides ``context``."""
    session = getattr(request.state, "session", None)
    user = session.user if session else None
    values = {"user": user, "role_label": ROLE_LABELS.get(user.role, user.role) if user else None,
              "nav": navigation(request, user) if user else [],
              "csrf_token": getattr(request.state, "csrf_token", None)}
    values.update(context or {})
    return state_of(request).templates.TemplateResponse(request, name, values, status_code=status_code)
