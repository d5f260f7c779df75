"""Who is at the browser: the session cookie, CSRF tokens, the trusted proxy, and the dependencies
every page uses (:func:`current_user`, :func:`require`, :func:`guard`).

The cookie carries the random session id signed with the web secret (itsdangerous); the library
(:mod:`callscribe.pipeline.policy.accounts`) keeps the session, ends it and audits logins. Every
POST carries the session's CSRF token, in the form (``csrf_field()``) or, for HTMX, in the
``X-CSRF-Token`` header; the login form, before there is a session, carries one bound to a signed
cookie of its own. What a role may not see is answered exactly like what does not exist: 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, Signer
from sqlalchemy.engine import Engine
from starlette.responses import Response

from callscribe.pipeline import atomic
from callscribe.pipeline.errors import AccessDeniedError
from callscribe.pipeline.policy import access, accounts
from callscribe.pipeline.policy.identity import User
from callscribe.pipeline.settings import Settings

logger = logging.getLogger(__name__)

SESSION_COOKIE = "callscribe_session"
LOGIN_COOKIE = "callscribe_login"  # binds the login form's CSRF token before a session exists
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
KEY_FILE = "web.key"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Who may use a route besides the permissions of the library's table:
PUBLIC = "public"  # anyone, logged in or not (the login page)
LOGGED_IN = "logged_in"  # any active user (home, logout)


@dataclass(frozen=True)
class WebState:
    """What every request of one application shares (``app.state.web``)."""

    settings: Settings
    engine: Engine
    policy: accounts.LoginPolicy
    signer: Signer
    clock: Callable[[], datetime]
    templates: Jinja2Templates
    pages: tuple  # the routes.Page of every registered route


class LoginRequired(Exception):
    """No live session: a page request is sent to the login page, an HTMX request gets 401."""


def load_secret(settings: Settings) -> bytes:
    """The secret signing cookies: ``CALLSCRIBE_WEB_SECRET``, else a key file created once in
    ``<home>/keys`` (0600 in a 0700 folder)."""
    if settings.web_secret:
        return settings.web_secret.encode("utf-8")
    path = settings.keys_dir / KEY_FILE
    if not path.is_file():
        settings.keys_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(settings.keys_dir, 0o700)
        atomic.write_bytes(path, secrets.token_hex(32).encode("ascii"), mode=0o600)
        logger.info("created web key file %s", path)
    return path.read_bytes().strip()


def state_of(request: Request) -> WebState:
    return request.app.state.web


# --- the proxy and the connection ---------------------------------------------------------------


def _from_trusted_proxy(request: Request) -> bool:
    proxies = state_of(request).settings.web_trusted_proxies
    if not proxies or request.client is None:
        return False
    try:
        peer = ipaddress.ip_address(request.client.host)
    except ValueError:
        return False
    return any(peer in ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def client_address(request: Request) -> str | None:
    """The client's address: the peer, or behind a trusted proxy the address it added last to
    ``X-Forwarded-For``."""
    if _from_trusted_proxy(request):
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.client.host if request.client else None


def is_https(request: Request) -> bool:
    """Whether cookies go out Secure: always by setting, over https directly, or when a trusted
    proxy says the client used https."""
    if state_of(request).settings.web_secure_cookies == "always" or request.url.scheme == "https":
        return True
    return _from_trusted_proxy(request) and request.headers.get("x-forwarded-proto", "").lower() == "https"


def _trusted_user(request: Request) -> str | None:
    header = state_of(request).settings.web_trusted_user_header
    if not header or not _from_trusted_proxy(request):
        return None
    return request.headers.get(header, "").strip().lower() or None


# --- cookies: set by the middleware from request.state, so dependencies can set them too --------


def set_cookie(request: Request, name: str, value: str | None) -> None:
    """Have the response set cookie ``name`` to ``value`` (signed; None deletes it): HttpOnly,
    SameSite=Strict, Path=/, Secure over https; no expiry (the server ends sessions)."""
    if not hasattr(request.state, "cookies"):
        request.state.cookies = {}
    request.state.cookies[name] = None if value is None else state_of(request).signer.sign(value).decode("ascii")


def cookie_headers(scope_state: dict[str, Any], secure: bool) -> list[tuple[bytes, bytes]]:
    """The Set-Cookie headers for the cookies a request's handlers asked for."""
    response = Response()
    for name, value in scope_state.get("cookies", {}).items():
        if value is None:
            response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="strict")
        else:
            response.set_cookie(name, value, path="/", secure=secure, httponly=True, samesite="strict")
    return [(key, value) for key, value in response.raw_headers if key == b"set-cookie"]


def _unsigned(request: Request, name: str) -> str | None:
    value = request.cookies.get(name)
    if not value:
        return None
    signer = state_of(request).signer
    try:
        unsigned = signer.unsign(value.encode("utf-8"))
    except (BadSignature, UnicodeError):
        return None
    # base64 leaves the last character's spare bits free: only the one canonical form is accepted
    return unsigned.decode("utf-8") if signer.sign(unsigned).decode("ascii") == value else None


# --- sessions -----------------------------------------------------------------------------------


def session_of(request: Request) -> accounts.Session | None:
    """The request's live session (resolved once per request): from the session cookie, or made
    for the user a trusted SSO proxy names."""
    if hasattr(request.state, "session"):
        return request.state.session
    web = state_of(request)
    now = web.clock()
    token = _unsigned(request, SESSION_COOKIE)
    session = accounts.resume_session(web.engine, token, now, web.policy) if token else None
    if session is None and SESSION_COOKIE in request.cookies:
        set_cookie(request, SESSION_COOKIE, None)
    proxied = _trusted_user(request)
    if proxied is not None and (session is None or session.user.user_id != proxied):
        if session is not None:
            accounts.end_session(web.engine, token, now)
            session = None
        try:
            user = accounts.trusted_login(web.engine, proxied, now)
            token, session = accounts.start_session(web.engine, user, now, web.policy)
            set_cookie(request, SESSION_COOKIE, token)
        except accounts.LoginRefused:
            logger.warning("the trusted proxy named a user who cannot log in")
    request.state.session = session
    request.state.csrf_token = session.csrf_token if session else None
    return session


def session_token(request: Request) -> str | None:
    """The random id of the request's session cookie (signature checked), for logging out."""
    return _unsigned(request, SESSION_COOKIE)


def login_csrf_token(request: Request) -> str:
    """The login form's CSRF token: the one its signed cookie holds, or a new one (and cookie)."""
    token = _unsigned(request, LOGIN_COOKIE)
    if token is None:
        token = secrets.token_urlsafe(32)
        set_cookie(request, LOGIN_COOKIE, token)
    request.state.csrf_token = token
    return token


def current_user(request: Request) -> User:
    """The logged-in user; without a live session the request goes to the login page (a page) or
    gets 401 (HTMX).

    Raises:
        LoginRequired: nobody is logged in.
    """
    session = session_of(request)
    if session is None:
        raise LoginRequired()
    return session.user


CurrentUser = Annotated[User, Depends(current_user)]


def not_found() -> HTTPException:
    """The one answer for what does not exist and what this user may not see."""
    return HTTPException(status_code=404)


def require(permission: str) -> Callable[[Request], User]:
    """A dependency: the logged-in user if the library's permission table grants them
    ``permission`` (``access.authorize``); otherwise the same 404 as a missing page."""

    def dependency(request: Request) -> User:
        user = current_user(request)
        if permission == LOGGED_IN:
            return user
        try:
            return access.authorize(state_of(request).engine, user.user_id, permission)
        except AccessDeniedError:
            raise not_found() from None

    return dependency


async def check_csrf(request: Request) -> None:
    """On every request that changes something: the form field or the HTMX header must carry the
    token of the session (the login form: of its cookie).

    Raises:
        HTTPException: 403, without saying why.
    """
    if request.method in SAFE_METHODS:
        return
    expected = getattr(request.state, "csrf_token", None)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(status_code=403)


def guard(permission: str) -> list:
    """The dependencies every registered route runs first: who may use it (:data:`PUBLIC`,
    :data:`LOGGED_IN` or a permission of ``access.PERMISSIONS``), then the CSRF check."""
    if permission == PUBLIC:
        def public(request: Request) -> None:
            if session_of(request) is not None:
                return  # logged in: the session's token, as everywhere
            if request.method in SAFE_METHODS:
                login_csrf_token(request)
            else:
                request.state.csrf_token = _unsigned(request, LOGIN_COOKIE)

        return [Depends(public), Depends(check_csrf)]
    if permission != LOGGED_IN and permission not in access.PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}: use one of access.PERMISSIONS, "
                         "auth.PUBLIC or auth.LOGGED_IN")
    return [Depends(require(permission)), Depends(check_csrf)]
