"""Chromium for the web tests: the application served by uvicorn on 127.0.0.1 in a thread, and
Debian's chromium driven by Playwright's sync API (``playwright install`` cannot download
browsers here, so ``executable_path`` names the system's).

Use in a test module::

    from tests.web.browser import browser, live_server, log_in, page  # noqa: F401 (fixtures)

    def test_something(page, live_server, staff):
        log_in(page, live_server, "bob")
        page.goto(live_server.url + "/verzoeken")

``live_server`` serves the test's ``app`` (the catalogue of the test's home, the test's clock),
so the library can set up what the page shows and read back what it did. ``page`` records
console errors and uncaught exceptions (a Content-Security-Policy violation is one) in
``page.errors``. Without ``/usr/bin/chromium`` the browser tests fail, unless
``CALLSCRIBE_SKIP_BROWSER=1`` says to skip them.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from callscribe.pipeline.policy import accounts
from callscribe.pipeline.storage.schema import users
from tests.web.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--lang=nl"]
# Date and time fields follow the browser process's locale, not the page's: Dutch, as the desk sees them
# (with Debian's chromium-l10n, which .ci/run installs beside chromium)
LAUNCH_ENV = {"LANG": "nl_NL.UTF-8", "LANGUAGE": "nl", "LC_ALL": "nl_NL.UTF-8"}
SKIP = "CALLSCRIBE_SKIP_BROWSER"


def chromium() -> Path:
    """Debian's chromium; without it the test fails (or is skipped where CALLSCRIBE_SKIP_BROWSER=1)."""
    if CHROMIUM.is_file():
        return CHROMIUM
    if os.environ.get(SKIP) == "1":
        pytest.skip(f"{CHROMIUM} is missing and {SKIP}=1")
    pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), or set {SKIP}=1 "
                "to skip the browser tests")


@dataclass(frozen=True)
class LiveServer:
    """The application served for a browser: its base URL (``http://127.0.0.1:PORT``) and app."""

    url: str
    app: FastAPI

    @property
    def engine(self) -> Engine:
        """The catalogue the application serves."""
        return self.app.state.web.engine


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """The test's application served on 127.0.0.1 at a free port.

    The socket listens before the server's thread starts, so the browser's first request waits
    in its backlog instead of the test waiting for the server."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{sock.getsockname()[1]}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture
def browser():
    """Chromium, launched for one test (Playwright's sync API keeps an event loop of its own, so it
    is not held across tests that use asyncio)."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=LAUNCH_ARGS,
                                              env={**os.environ, **LAUNCH_ENV})
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):
    """A fresh page (its own cookies) in Dutch, Amsterdam time. ``page.errors`` collects console
    errors (a Content-Security-Policy violation is one) and uncaught exceptions;
    ``page.failed`` the responses of 400 and up (but a missing favicon) as ``"404 /path"``."""
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam",
                                  viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.errors, opened.failed = [], []

    def console(message) -> None:
        # a failed load is logged without its address; page.failed has it
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            opened.errors.append(message.text)

    def response(answer) -> None:
        path = urlsplit(answer.url).path
        if answer.status >= 400 and path != "/favicon.ico":
            opened.failed.append(f"{answer.status} {path}")

    opened.on("console", console)
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    opened.on("response", response)
    try:
        yield opened
    finally:
        context.close()


def log_in(page, server: LiveServer, user_id: str, password: str = PASSWORD) -> None:
    """Log ``user_id`` in through the login form, as a person does (their password set through
    the library first, by themselves, unless they have one)."""
    with server.engine.connect() as conn:
        has_password = conn.execute(sa.select(users.c.password_hash).where(users.c.user_id == user_id)).scalar()
    if has_password is None:
        accounts.set_password(server.engine, user_id, password, user_id)
    page.goto(server.url + "/inloggen")
    page.fill("#user_id", user_id)
    page.fill("#password", password)
    page.click("form[action='/inloggen'] button[type=submit]")
    page.wait_for_url(server.url + "/")
