"""Logins, sessions, cookies, CSRF, the one 404, headers and the access log of the web
application, against a real SQLite catalogue; the clock is moved, nobody sleeps."""

from __future__ import annotations

import logging
import re
import string
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from fastapi import Request
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from itsdangerous import Signer

from callscribe.cli.main import main
from callscribe.pipeline.errors import AccessDeniedError, RequestNotFoundError
from callscribe.pipeline.policy import access, accounts
from callscribe.pipeline.settings import get_settings
from callscribe.pipeline.storage.schema import audit_log
from callscribe.web.app import create_app
from callscribe.web.auth import LOGGED_IN, SESSION_COOKIE
from callscribe.web.routes import Pages
from tests.web.conftest import PASSWORD, csrf_of, login_as

PHONE = "0612345678"


def audit_actions(engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return [(r.action, r.subject, r.details) for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.seq))]


def set_cookies(response) -> dict[str, str]:
    """Each Set-Cookie header of a response, by cookie name."""
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


def send_cookie(client, value: str) -> None:
    """From now on ``client`` sends ``value`` as its session cookie, and no other cookie."""
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, value)


def post_login(client, user_id: str, password: str):
    return client.post("/inloggen", data={"user_id": user_id, "password": password,
                                          "csrf_token": csrf_of(client.get("/inloggen").text)})


# --- logging in and out -------------------------------------------------------------------------


def test_login_sets_a_strict_http_only_session_cookie_and_opens_the_home_page(client, staff, engine):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    assert client.get("/").headers["location"] == "/inloggen"
    response = post_login(client, "kim", PASSWORD)
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = set_cookies(response)[SESSION_COOKIE]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie and "Max-Age" not in cookie and "expires" not in cookie.lower()
    home = client.get("/")
    assert home.status_code == 200 and "Welkom, kim" in home.text and "Klachten registreren" in home.text
    assert ("user.login", "kim", '{"method":"password"}') in audit_actions(engine)


def test_cookies_are_secure_over_https(new_client, staff, engine):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    client = new_client(base_url="https://testserver")
    form = client.get("/inloggen")
    assert "Secure" in set_cookies(form)["callscribe_login"]
    response = client.post("/inloggen", data={"user_id": "kim", "password": PASSWORD, "csrf_token": csrf_of(form.text)})
    assert "Secure" in set_cookies(response)[SESSION_COOKIE]


def test_behind_a_trusted_proxy_forwarded_https_makes_cookies_secure(home, staff, clock):
    settings = get_settings(web_trusted_proxies="10.0.0.0/8")
    app = create_app(settings, clock=clock)
    from fastapi.testclient import TestClient

    with TestClient(app, follow_redirects=False, client=("10.1.2.3", 5000)) as proxied, \
            TestClient(app, follow_redirects=False, client=("198.51.100.9", 5000)) as direct:
        assert "Secure" in set_cookies(proxied.get("/inloggen", headers={"X-Forwarded-Proto": "https"}))["callscribe_login"]
        assert "Secure" not in set_cookies(direct.get("/inloggen", headers={"X-Forwarded-Proto": "https"}))["callscribe_login"]


def test_secure_cookies_can_be_required(home, staff, clock):
    from fastapi.testclient import TestClient

    with TestClient(create_app(get_settings(web_secure_cookies="always"), clock=clock), follow_redirects=False) as client:
        assert "Secure" in set_cookies(client.get("/inloggen"))["callscribe_login"]


def test_a_failed_login_never_says_whether_the_user_exists(client, staff, engine):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    wrong = post_login(client, "kim", "not the password at all")
    unknown = post_login(client, "ghost", PASSWORD)
    no_password = post_login(client, "bob", PASSWORD)
    assert wrong.status_code == unknown.status_code == no_password.status_code == 401
    assert wrong.text == unknown.text == no_password.text
    assert "Inloggen mislukt" in wrong.text and "ghost" not in unknown.text
    assert SESSION_COOKIE not in set_cookies(wrong)


def test_a_deactivated_user_cannot_log_in(client, staff, engine):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    access.deactivate_user(engine, "kim", "anna")
    assert post_login(client, "kim", PASSWORD).status_code == 401


def test_repeated_failures_lock_the_login_audited_until_the_lockout_passes(home, staff, engine, clock):
    from fastapi.testclient import TestClient

    settings = get_settings(web_login_failures=3, web_lockout_minutes=10)
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    with TestClient(create_app(settings, clock=clock), follow_redirects=False) as client:
        assert [post_login(client, "kim", "not the password at all").status_code for _ in range(3)] == [401, 401, 429]
        locked = post_login(client, "kim", PASSWORD)
        assert locked.status_code == 429 and "Te veel mislukte pogingen" in locked.text
        assert locked.text == post_login(client, "kim", "not the password at all").text
        assert ("user.locked", "kim", '{"by":"user","failures":3,"minutes":10.0}') in audit_actions(engine)
        clock.advance(minutes=10, seconds=1)
        assert post_login(client, "kim", PASSWORD).status_code == 303


def test_the_session_ends_after_the_idle_time_and_the_lifetime(client, staff, clock):
    login_as(client, staff["kim"])
    for _ in range(3):
        clock.advance(minutes=14)
        assert client.get("/").status_code == 200  # each request restarts the idle time
    clock.advance(minutes=16)
    response = client.get("/")
    assert (response.status_code, response.headers["location"]) == (303, "/inloggen")
    assert 'callscribe_session=""' in set_cookies(response)[SESSION_COOKIE]  # the dead cookie is removed
    login_as(client, staff["kim"])
    for _ in range(45):  # busy all day: 45 × 14 minutes = 10.5 hours
        clock.advance(minutes=14)
        status = client.get("/").status_code
    assert status == 303


def test_logout_ends_the_session_for_good(client, staff, engine):
    token = login_as(client, staff["kim"])
    cookie = client.cookies[SESSION_COOKIE]
    response = client.post("/uitloggen", data={"csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (303, "/inloggen")
    assert client.get("/").status_code == 303
    send_cookie(client, cookie)  # the old cookie, replayed
    assert client.get("/").headers["location"] == "/inloggen"
    assert audit_actions(engine)[-1][:2] == ("user.logout", "kim")


@pytest.mark.parametrize("change", ["deactivated", "new role", "new password"])
def test_changing_the_user_ends_their_web_session(client, staff, engine, change):
    login_as(client, staff["kim"])
    if change == "deactivated":
        access.deactivate_user(engine, "kim", "anna")
    elif change == "new role":
        access.add_user(engine, "kim", "coach", "anna")
    else:
        accounts.set_password(engine, "kim", "een heel ander wachtwoord", "anna")
    assert client.get("/").headers["location"] == "/inloggen"


def test_a_new_login_gets_a_new_session_id(client, staff):
    login_as(client, staff["kim"])
    first = client.cookies[SESSION_COOKIE]
    token = csrf_of(client.get("/").text)
    client.post("/inloggen", data={"user_id": "kim", "password": PASSWORD, "csrf_token": token})
    assert client.cookies[SESSION_COOKIE] != first
    send_cookie(client, first)
    assert client.get("/").status_code == 303  # the old session ended


# --- the cookie's signature ---------------------------------------------------------------------


@pytest.fixture
def session_cookie(client, staff) -> str:
    login_as(client, staff["kim"])
    return client.cookies[SESSION_COOKIE]


@hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_tampered_session_cookie_is_always_refused(client, session_cookie, data):
    valid = session_cookie
    position = data.draw(st.integers(0, len(valid) - 1))
    replacement = data.draw(st.sampled_from(string.ascii_letters + string.digits + "-_.").filter(
        lambda c: c != valid[position]))
    how = data.draw(st.sampled_from(["replace", "cut", "extend"]))
    tampered = {"replace": valid[:position] + replacement + valid[position + 1:], "cut": valid[:position],
                "extend": valid + replacement}[how]
    send_cookie(client, tampered)
    assert client.get("/").headers.get("location") == "/inloggen"
    send_cookie(client, valid)
    assert client.get("/").status_code == 200  # the real one still works


def test_a_signature_changed_only_in_its_spare_bits_is_refused(client, session_cookie):
    signer = client.app.state.web.signer
    twins = [session_cookie[:-1] + c for c in string.ascii_letters + string.digits + "-_"
             if c != session_cookie[-1] and signer.validate((session_cookie[:-1] + c).encode())]
    assert twins  # base64 decodes these to the same signature bytes
    for twin in twins:
        send_cookie(client, twin)
        assert client.get("/").status_code == 303


def test_a_cookie_signed_with_another_secret_or_naming_no_session_is_refused(client, session_cookie):
    token = session_cookie.rsplit(".", 1)[0]
    forged = Signer(b"another secret of enough length!", salt="callscribe.web.session").sign(token).decode()
    send_cookie(client, forged)
    assert client.get("/").status_code == 303
    signer = client.app.state.web.signer
    send_cookie(client, signer.sign("a-random-id-of-no-session").decode())
    assert client.get("/").status_code == 303


# --- CSRF ---------------------------------------------------------------------------------------


def test_a_post_without_the_sessions_csrf_token_is_refused_without_details(new_client, staff):
    client, other = new_client(), new_client()
    token = login_as(client, staff["kim"])
    other_token = login_as(other, staff["bob"])
    missing = client.post("/uitloggen")
    wrong = client.post("/uitloggen", data={"csrf_token": "x" * 43})
    foreign = client.post("/uitloggen", data={"csrf_token": other_token})
    assert missing.status_code == wrong.status_code == foreign.status_code == 403
    assert missing.text == wrong.text == foreign.text and "Geen toegang" in missing.text
    assert token not in missing.text and other_token not in missing.text
    assert client.get("/").status_code == 200  # still logged in
    assert client.post("/uitloggen", headers={"X-CSRF-Token": token}).status_code == 303  # HTMX sends the header


def test_the_login_form_needs_its_own_token(client, staff, engine):
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    assert client.post("/inloggen", data={"user_id": "kim", "password": PASSWORD}).status_code == 403
    assert client.post("/inloggen", data={"user_id": "kim", "password": PASSWORD, "csrf_token": "forged"}).status_code == 403
    assert post_login(client, "kim", PASSWORD).status_code == 303


def test_every_form_carries_the_token_and_htmx_sends_it(client, staff):
    token = login_as(client, staff["kim"])
    home = client.get("/").text
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' in home
    assert all(f'value="{token}"' in form for form in re.findall(r"<form.*?</form>", home, re.DOTALL))


def test_htmx_requests_without_a_session_get_401(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert (response.status_code, response.headers["HX-Redirect"]) == (401, "/inloggen")


# --- the one 404, error pages and headers -------------------------------------------------------


@pytest.fixture
def probe_app(settings, clock):
    """The app with test pages: one for managers only, one whose library call is refused or finds
    nothing, one that fails."""
    probe = Pages()

    @probe.get("/proef/{item_id}", permission="dashboard.read")
    def manager_only(item_id: str):
        return f"<p>item {item_id}</p>"

    @probe.get("/proef-bibliotheek/{item_id}", permission=LOGGED_IN)
    def library_refuses(item_id: str):
        raise AccessDeniedError("user kim has role klachtendesk; complaint.read needs …") if item_id == "1" \
            else RequestNotFoundError(f"no request {item_id}")

    @probe.get("/proef-fout", permission=LOGGED_IN)
    def fails(request: Request):
        raise RuntimeError(f"secret detail {PHONE}")

    return create_app(settings, clock=clock, extra_pages=[probe])


def test_what_a_role_may_not_see_is_the_same_404_as_what_does_not_exist(probe_app, staff):
    from fastapi.testclient import TestClient

    with TestClient(probe_app, follow_redirects=False) as client:
        login_as(client, staff["kim"])
        answers = [client.get(path) for path in ("/proef/K-2026-0001", "/bestaat-niet", "/proef-bibliotheek/1",
                                                 "/proef-bibliotheek/V-2026-0009", "/static/bestaat-niet.css")]
        assert {a.status_code for a in answers} == {404}
        assert len({a.text for a in answers}) == 1
        assert {a.headers["content-type"] for a in answers} == {"text/html; charset=utf-8"}
        assert "K-2026-0001" not in answers[0].text and "klachtendesk" not in answers[2].text
    with TestClient(probe_app, follow_redirects=False) as manager:
        login_as(manager, staff["anna"])
        assert manager.get("/proef/K-2026-0001").status_code == 200


def test_a_server_error_shows_no_details(probe_app, staff, caplog):
    from fastapi.testclient import TestClient

    with TestClient(probe_app, follow_redirects=False, raise_server_exceptions=False) as client:
        login_as(client, staff["kim"])
        response = client.get("/proef-fout")
    assert response.status_code == 500 and "Er ging iets mis" in response.text
    assert PHONE not in response.text and "Traceback" not in response.text and "RuntimeError" not in response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def test_every_response_is_kept_out_of_caches_with_security_headers(new_client, staff):
    client = new_client()
    anonymous = [client.get("/"), client.get("/inloggen"), client.get("/bestaat-niet"),
                 client.get("/static/callscribe.css"), client.get("/static/htmx.min.js"), client.post("/inloggen")]
    token = login_as(client, staff["kim"])
    logged_in = [client.get("/"), client.get("/bestaat-niet"), client.post("/uitloggen", data={"csrf_token": token})]
    for response in anonymous + logged_in:
        headers = response.headers
        assert headers["cache-control"] == "no-store", response.url
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert "server" not in headers


def test_pages_load_nothing_from_elsewhere(client, staff):
    login_as(client, staff["kim"])
    page = client.get("/").text
    assert re.findall(r'(?:src|href)="(https?:)?//', page) == []
    assert client.get("/static/htmx.min.js").text.startswith("var htmx=")


def test_the_access_log_holds_method_path_and_status_only(client, staff, engine, caplog):
    caplog.set_level(logging.INFO, logger="callscribe.web.access")
    accounts.set_password(engine, "kim", PASSWORD, "kim")
    client.get(f"/inloggen?telefoon={PHONE}&naam=Jansen")
    post_login(client, "kim", PASSWORD)
    client.get(f"/bestaat-niet?q={PHONE}")
    lines = [r.getMessage() for r in caplog.records if r.name == "callscribe.web.access"]
    assert "GET /inloggen 200" in lines and "POST /inloggen 303" in lines and "GET /bestaat-niet 404" in lines
    assert all(re.fullmatch(r"(GET|POST) /[^ ?]* \d{3}", line) for line in lines), lines
    everything = caplog.text
    assert PHONE not in everything and "Jansen" not in everything and PASSWORD not in everything


# --- single sign-on through a trusted proxy -----------------------------------------------------


def test_a_trusted_proxy_may_name_the_user_when_so_configured(home, staff, engine, clock):
    from fastapi.testclient import TestClient

    settings = get_settings(web_trusted_user_header="X-Remote-User", web_trusted_proxies="10.0.0.0/8")
    app = create_app(settings, clock=clock)
    with TestClient(app, follow_redirects=False, client=("10.0.0.5", 4000)) as proxied:
        page = proxied.get("/", headers={"X-Remote-User": "kim"})
        assert page.status_code == 200 and "Welkom, kim" in page.text
        assert ("user.login", "kim", '{"method":"proxy"}') in audit_actions(engine)
        assert proxied.get("/", headers={"X-Remote-User": "ghost"}).headers["location"] == "/inloggen"
    with TestClient(app, follow_redirects=False, client=("198.51.100.7", 4000)) as direct:
        assert direct.get("/", headers={"X-Remote-User": "kim"}).headers["location"] == "/inloggen"
    off = create_app(get_settings(web_trusted_proxies="10.0.0.0/8"), clock=clock)
    with TestClient(off, follow_redirects=False, client=("10.0.0.5", 4000)) as proxied:
        assert proxied.get("/", headers={"X-Remote-User": "kim"}).headers["location"] == "/inloggen"


def test_behind_a_trusted_proxy_failures_count_per_forwarded_address(home, staff, engine, clock):
    from fastapi.testclient import TestClient

    settings = get_settings(web_trusted_proxies="10.0.0.0/8", web_login_failures=1)
    with TestClient(create_app(settings, clock=clock), follow_redirects=False, client=("10.0.0.5", 4000)) as proxied:
        statuses = [proxied.post("/inloggen", headers={"X-Forwarded-For": "203.0.113.9"}, data={
            "user_id": f"guess{i}", "password": "x", "csrf_token": csrf_of(proxied.get("/inloggen").text)}).status_code
            for i in range(accounts.ADDRESS_FACTOR)]
        assert statuses[-1] == 429  # one address, different names
        other = proxied.post("/inloggen", headers={"X-Forwarded-For": "203.0.113.10"}, data={
            "user_id": "guess-new", "password": "x", "csrf_token": csrf_of(proxied.get("/inloggen").text)})
        assert other.status_code == 429  # a new name from a new address: its first failure locks the name only
        assert ("user.locked", "address", f'{{"by":"address","failures":{accounts.ADDRESS_FACTOR},"minutes":15.0}}') \
            in audit_actions(engine)


# --- the command line ---------------------------------------------------------------------------


def test_set_password_reads_one_line_of_piped_input(settings, staff, engine):
    runner = CliRunner()
    result = runner.invoke(main, ["users", "set-password", "kim", "--as", "kim"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert result.output == "user kim: password set\n" and PASSWORD not in result.output
    assert accounts.authenticate(engine, "kim", PASSWORD, accounts.datetime.now(accounts.UTC)).user_id == "kim"
    short = runner.invoke(main, ["users", "set-password", "kim", "--as", "kim"], input="kort\n")
    assert short.exit_code == 1 and "too short" in short.output and "kort" not in short.output
    refused = runner.invoke(main, ["users", "set-password", "anna", "--as", "ivo"], input=PASSWORD + "\n")
    assert refused.exit_code == 1 and "only a manager" in refused.output
    empty = runner.invoke(main, ["users", "set-password", "kim", "--as", "kim"], input="")
    assert empty.exit_code == 2


def test_set_password_at_a_terminal_asks_twice_without_echo(settings, staff, engine, monkeypatch):
    monkeypatch.setattr("callscribe.cli.users.sys", SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: True)))
    runner = CliRunner()
    result = runner.invoke(main, ["users", "set-password", "kim", "--as", "anna"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "New password" in result.output and "Repeat the password" in result.output and PASSWORD not in result.output
    mismatch = runner.invoke(main, ["users", "set-password", "kim", "--as", "anna"], input=f"{PASSWORD}\nanders dan dat\n")
    assert mismatch.exit_code != 0 and "do not match" in mismatch.output


def test_the_first_manager_is_bootstrapped_from_the_command_line(home, engine, client, monkeypatch):
    monkeypatch.delenv("CALLSCRIBE_IMPERSONATION")  # as on a real host: the installer's own login acts
    runner = CliRunner()
    assert runner.invoke(main, ["users", "add", "anna", "--role", "manager"]).exit_code == 0
    result = runner.invoke(main, ["users", "set-password", "anna"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    login_as(client, "anna")
    assert "Welkom, anna" in client.get("/").text
