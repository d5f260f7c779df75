"""The web application in tests: an app on a real SQLite catalogue in the test's home, a clock the
test moves, TestClients, and ``login_as`` (passwords set through the library, the login form
posted like a browser does)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from callscribe.pipeline.policy import accounts
from callscribe.pipeline.policy.identity import User
from callscribe.pipeline.storage import catalogue
from callscribe.pipeline.storage.schema import users
from callscribe.web.app import create_app

PASSWORD = "een lang wachtwoord om mee te testen"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    """The application's clock: ``advance`` moves it, nobody sleeps."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2id with the lowest costs: the same code paths, a thousand times faster."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC))


@pytest.fixture
def engine(settings):
    return catalogue.get_engine(settings.catalogue_url)


@pytest.fixture
def app(settings, clock):
    return create_app(settings, clock=clock)


@pytest.fixture
def new_client(app):
    """Makes TestClients of the app (each its own cookie jar), closed after the test."""
    made = []

    def make(**options) -> TestClient:
        client = TestClient(app, follow_redirects=False, **options)
        made.append(client.__enter__())
        return client

    yield make
    for client in made:
        client.__exit__(None, None, None)


@pytest.fixture
def client(new_client) -> TestClient:
    return new_client()


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def login_as(client: TestClient, user: User | str, password: str = PASSWORD) -> str:
    """Log ``user`` in on ``client`` through the login form (their password set through the
    library first, by themselves, unless they have one); returns the session's CSRF token."""
    user_id = user if isinstance(user, str) else user.user_id
    engine = client.app.state.web.engine
    if not _has_password(engine, user_id):
        accounts.set_password(engine, user_id, password, user_id)
    form = client.get("/inloggen")
    assert form.status_code == 200, form.status_code
    response = client.post("/inloggen", data={"user_id": user_id, "password": password, "csrf_token": csrf_of(form.text)})
    assert response.status_code == 303 and response.headers["location"] == "/", response.status_code
    return csrf_of(client.get("/").text)


def _has_password(engine, user_id: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(users.c.password_hash).where(users.c.user_id == user_id)).scalar() is not None
