"""The web application: :func:`create_app` builds it on the catalogue of the settings.

It holds the core pages (home, login, logout) and finds the page modules of this package (each
with a ``pages = routes.Pages()``). Every response leaves with ``Cache-Control: no-store`` and
security headers; errors are Dutch pages without details; the access log names method, path and
status only (no query string, no client address).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import pkgutil
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import Signer
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount

from callscribe.pipeline.errors import AccessDeniedError, CallscribeError, RecordingNotFoundError, RequestNotFoundError
from callscribe.pipeline.policy import accounts
from callscribe.pipeline.settings import Settings, get_settings
from callscribe.pipeline.storage import catalogue
from callscribe.web import auth
from callscribe.web.auth import LOGGED_IN, PUBLIC, CurrentUser, WebState
from callscribe.web.routes import Pages, render, tasks

logger = logging.getLogger(__name__)
access_log = logging.getLogger("callscribe.web.access")

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
LOGIN_PATH = "/inloggen"

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

ERRORS = {
    400: ("Ongeldig verzoek", "Het formulier is niet volledig of niet juist ingevuld. Ga terug en probeer het opnieuw."),
    401: ("Niet ingelogd", "Log opnieuw in om verder te gaan."),
    403: ("Geen toegang", "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer het nog eens."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet, of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze actie kan hier niet."),
    500: ("Er ging iets mis", "Probeer het later opnieuw. Blijft het misgaan, meld het dan bij de ICT-backoffice."),
}

# The core pages: home, login and logout.
pages = Pages()


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """On shutdown, let a running background transcription end and drop the queued ones (they stay
    ``ingested`` and can be started again)."""
    yield
    worker = getattr(app.state, "transcription_jobs", None)  # web.jobs.of(app) creates it when first needed
    if worker is not None:
        await run_in_threadpool(worker.stop, 10)


def create_app(settings: Settings | None = None, *, clock: Callable[[], datetime] | None = None,
               extra_pages: Iterable[Pages] = ()) -> FastAPI:
    """The web application on the catalogue of ``settings`` (default: from the environment).

    Args:
        clock: the current time (aware); tests pass their own to move it without sleeping.
        extra_pages: routers to serve besides :func:`page_routers` (declared like them).
    """
    settings = settings or get_settings()
    routers = [*page_routers(), *extra_pages]
    state = WebState(
        settings=settings,
        engine=catalogue.get_engine(settings.catalogue_url),
        policy=accounts.LoginPolicy.from_settings(settings),
        signer=Signer(auth.load_secret(settings), salt="callscribe.web.session", digest_method=hashlib.sha256),
        clock=clock or (lambda: datetime.now(UTC)),
        templates=_templates(),
        pages=tuple(page for router in routers for page in router.pages),
    )
    app = FastAPI(title="callscribe", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_lifespan)
    app.state.web = state
    for router in routers:
        app.include_router(router)
    _check_declared(app, state.pages)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, lambda request, exc: error_page(request, 400))
    app.add_exception_handler(auth.LoginRequired, _login_required)
    app.add_exception_handler(AccessDeniedError, lambda request, exc: error_page(request, 404))
    app.add_exception_handler(RequestNotFoundError, lambda request, exc: error_page(request, 404))
    app.add_exception_handler(RecordingNotFoundError, lambda request, exc: error_page(request, 404))
    app.add_exception_handler(CallscribeError, lambda request, exc: error_page(request, 400))
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(WebMiddleware)
    return app


def page_routers() -> list[Pages]:
    """The core pages and the ``pages`` router of every other module of this package (by module
    name): what the application serves, and what the route × role tests try."""
    found = [pages]
    for info in sorted(pkgutil.iter_modules([str(HERE)]), key=lambda m: m.name):
        if info.name in ("app", "auth", "routes") or info.ispkg:
            continue
        router = getattr(importlib.import_module(f"callscribe.web.{info.name}"), "pages", None)
        if isinstance(router, Pages):
            found.append(router)
    return found


def _check_declared(app: FastAPI, declared) -> None:
    """Every route of the application is a declared page (static files aside)."""
    known = {(p.path, m) for p in declared for m in p.methods}
    for route in app.routes:
        if isinstance(route, Mount):
            continue
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD" and (route.path, method) not in known:
                raise RuntimeError(f"route {method} {route.path} declares no permission: register it with routes.Pages")


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    env.globals["csrf_field"] = _csrf_field
    return Jinja2Templates(env=env)


@pass_context
def _csrf_field(context) -> Markup:
    """The hidden field with the session's (or the login form's) CSRF token, for every form."""
    token = context.get("csrf_token") or getattr(context["request"].state, "csrf_token", None) or ""
    return Markup(f'<input type="hidden" name="{auth.CSRF_FIELD}" value="{escape(token)}">')


# --- responses: headers, cookies, the access log --------------------------------------------------


class WebMiddleware:
    """Adds the security headers and the cookies the handlers asked for to every response, and
    writes the access log line (method, path, status)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        status = 500

        async def send_with_headers(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                names = {name.lower().encode("latin-1") for name in SECURITY_HEADERS}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]
                if state.get("cookies"):
                    headers += auth.cookie_headers(state, auth.is_https(Request(scope)))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            access_log.info("%s %s %d", scope["method"], scope["path"], status)


def error_page(request: Request, status_code: int, headers: dict | None = None) -> Response:
    """The Dutch error page for ``status_code``: the same for everyone, without details."""
    title, text = ERRORS.get(status_code, ERRORS[400] if status_code < 500 else ERRORS[500])
    response = auth.state_of(request).templates.TemplateResponse(
        request, "error.html", {"title": title, "text": text, "status_code": status_code, "user": None, "nav": [],
                                "csrf_token": None}, status_code=status_code)
    response.headers.update(headers or {})
    return response


def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    return error_page(request, exc.status_code, dict(exc.headers or {}) if exc.status_code == 405 else None)


def _login_required(request: Request, exc: auth.LoginRequired) -> Response:
    if request.headers.get("HX-Request") == "true":
        return error_page(request, 401, {"HX-Redirect": LOGIN_PATH})
    return RedirectResponse(LOGIN_PATH, status_code=303)


def _server_error(request: Request, exc: Exception) -> Response:
    logger.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    response = HTMLResponse(auth.state_of(request).templates.get_template("error.html").render(
        title=ERRORS[500][0], text=ERRORS[500][1], status_code=500, user=None, nav=[], csrf_token=None,
        request=request), status_code=500)
    response.headers.update(SECURITY_HEADERS)
    return response


# --- the core pages -------------------------------------------------------------------------------


@pages.get("/", permission=LOGGED_IN)
def home(request: Request, user: CurrentUser) -> Response:
    """Welcome, and the tasks of the user's role (linked once their pages exist)."""
    return render(request, "home.html", {"tasks": tasks(request, user)})


@pages.get(LOGIN_PATH, permission=PUBLIC)
def login_form(request: Request) -> Response:
    """The login form; a logged-in user goes home."""
    if auth.session_of(request) is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html")


@pages.post(LOGIN_PATH, permission=PUBLIC)
def login(request: Request, user_id: str = Form("", max_length=accounts.LOGIN_NAME_MAX_LENGTH),
          password: str = Form("", max_length=accounts.PASSWORD_MAX_LENGTH)) -> Response:
    """Log in: a new session (a new id, whatever cookie came along) and home; or the form again
    with one message that never says whether the login name exists."""
    web = auth.state_of(request)
    now = web.clock()
    try:
        user = accounts.authenticate(web.engine, user_id, password, now, policy=web.policy,
                                     address=auth.client_address(request))
    except accounts.LoginRefused as refused:
        if refused.locked:
            message = f"Te veel mislukte pogingen. Probeer het over {refused.retry_minutes} minuten opnieuw."
            return render(request, "login.html", {"error": message}, status_code=429)
        return render(request, "login.html", {"error": "Inloggen mislukt: gebruikersnaam of wachtwoord onjuist."},
                      status_code=401)
    old = auth.session_token(request)
    if old:
        accounts.end_session(web.engine, old, now)
    token, _session = accounts.start_session(web.engine, user, now, web.policy)
    auth.set_cookie(request, auth.SESSION_COOKIE, token)
    auth.set_cookie(request, auth.LOGIN_COOKIE, None)
    return RedirectResponse("/", status_code=303)


@pages.post("/uitloggen", permission=LOGGED_IN)
def logout(request: Request) -> Response:
    """Log out: the session ends (audited) and its cookie goes."""
    web = auth.state_of(request)
    accounts.end_session(web.engine, auth.session_token(request) or "", web.clock())
    auth.set_cookie(request, auth.SESSION_COOKIE, None)
    return RedirectResponse(LOGIN_PATH, status_code=303)

