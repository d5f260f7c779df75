"""The audit log page (web/audit_log.py) on a real SQLite catalogue: entries newest first with
local times, 50 a page, filters by action, user and local days (kept by the paging links), errors
next to the field, and "Controleer de keten": intact, or the first bad entry after an entry was
removed or edited (as tests/test_audit.py breaks the log)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from callscribe.pipeline.policy import audit
from callscribe.pipeline.storage.schema import audit_log
from tests.web.conftest import csrf_of, login_as

START = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
ENTRIES = 120  # request.created by kim (even n), request.approved by bob (odd n), an hour apart
MISSING = "/bestaat-niet"


@pytest.fixture
def filled(engine, staff):
    for n in range(ENTRIES):
        actor, role, action = ("kim", "klachtendesk", "request.created") if n % 2 == 0 else \
            ("bob", "teamleider", "request.approved")
        audit.append(engine, actor, role, action, f"V-2026-{n:04d}", {"call": f"C-{n}", "n": n},
                     at=START + timedelta(hours=n))
    return engine


def count(engine, action: str | None = None) -> int:
    with engine.connect() as conn:
        query = sa.select(sa.func.count()).select_from(audit_log)
        if action:
            query = query.where(audit_log.c.action == action)
        return conn.execute(query).scalar_one()


def seqs(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="regel-(\d+)">', html)]


def subjects(html: str) -> list[str]:
    return re.findall(r'<td><span class="id">(V-2026-\d{4})</span></td>', html)


# --- the entries and their pages ------------------------------------------------------------------


def test_the_log_shows_the_newest_entries_first_with_local_times(client, filled):
    login_as(client, "anna")
    total = count(filled)
    page = client.get("/audit")

    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert '<a href="/audit" aria-current="page">Auditlog</a>' in html
    assert seqs(html) == list(range(total, total - 50, -1))
    assert f"Regel 1 tot en met 50 van {total}; pagina 1 van {-(-total // 50)}." in html
    assert '<th scope="col" class="num">Nr.</th>' in html
    for header in ("Tijd", "Gebruiker", "Rol", "Actie", "Onderwerp", "Details"):
        assert f'<th scope="col">{header}</th>' in html
    # entry n = 5: 13:00 UTC is 14:00 in Amsterdam; its details compactly; role and action in Dutch too
    row = re.search(r'<tr id="regel-\d+">((?:(?!</tr>).)*V-2026-0005.*?)</tr>', client.get("/audit/pagina/3").text,
                    re.DOTALL).group(1)
    assert '<time datetime="2026-11-24T13:00:00+00:00">24 nov. 2026 14:00:00</time>' in row
    assert "<td>Teamleider</td>" in row and 'request.approved</span><span class="what">Verzoek goedgekeurd' in row
    assert '<td class="details">call: &#34;C-5&#34;, n: 5</td>' in row


def test_pages_of_fifty_link_to_each_other(client, filled):
    login_as(client, "anna")
    total = count(filled)
    last_page = -(-total // 50)
    second = client.get("/audit/pagina/2").text
    assert seqs(second) == list(range(total - 50, total - 100, -1))
    assert '<a href="/audit" rel="prev">Nieuwer</a>' in second
    assert '<a href="/audit/pagina/3" rel="next">Ouder</a>' in second
    assert '<span class="current" aria-current="page">2</span>' in second
    last = client.get(f"/audit/pagina/{last_page}").text
    assert seqs(last)[-1] == 1 and 'rel="next"' not in last
    beyond = client.get(f"/audit/pagina/{last_page + 1}")
    assert beyond.status_code == 200 and f"Op pagina {last_page + 1} staan geen regels" in beyond.text
    missing = client.get(MISSING)
    for path in ("/audit/pagina/0", "/audit/pagina/abc", "/audit/pagina/-1", "/audit/pagina/01"):
        response = client.get(path)
        assert (response.status_code, response.text) == (404, missing.text), path


def test_filters_by_action_user_and_local_days_and_paging_keeps_them(client, filled):
    login_as(client, "anna")
    created = client.get("/audit", params={"actie": "request.created"}).text
    assert subjects(created) == [f"V-2026-{n:04d}" for n in range(118, 18, -2)]
    assert '<option value="request.created" selected>Verzoek ingediend (request.created)</option>' in created
    assert '<a href="/audit/pagina/2?actie=request.created" rel="next">Ouder</a>' in created
    assert subjects(client.get("/audit/pagina/2", params={"actie": "request.created"}).text) == \
        [f"V-2026-{n:04d}" for n in range(18, -1, -2)]

    by_bob = client.get("/audit", params={"gebruiker": "bob", "actie": "request.approved"}).text
    assert len(subjects(by_bob)) == 50 and '<option value="bob" selected>bob</option>' in by_bob

    # local days, both included: 24 Nov runs from 09:00 (n = 0) to 23:00 (n = 14) in Amsterdam
    day = client.get("/audit", params={"van": "2026-11-24", "tot": "2026-11-24"}).text
    assert subjects(day) == [f"V-2026-{n:04d}" for n in range(14, -1, -1)]
    assert 'value="2026-11-24"' in day and "Regels die aan de filters voldoen" in day
    next_day = client.get("/audit", params={"van": "2026-11-25", "tot": "2026-11-25", "gebruiker": "kim"}).text
    assert subjects(next_day) == [f"V-2026-{n:04d}" for n in range(38, 14, -2)]

    none = client.get("/audit", params={"gebruiker": "cor"})
    assert none.status_code == 200 and "Geen regels die aan deze filters voldoen." in none.text


def test_a_wrong_filter_is_named_next_to_its_field_and_left_out(client, filled):
    login_as(client, "anna")
    response = client.get("/audit", params={"van": "2026-13-01", "actie": "request.created", "naam": "Jan"})
    assert response.status_code == 400
    html = response.text
    assert 'id="van" name="van" value="2026-13-01" aria-invalid="true" aria-describedby="van-fout"' in html
    assert '<p id="van-fout" class="field-error">Geen geldige datum' in html
    assert subjects(html)[0] == "V-2026-0118" and "V-2026-0119" not in html  # the action filter still applies
    assert "naam" not in html and "Jan" not in html  # other parameters are neither used nor echoed
    assert '<a href="/audit/pagina/2?actie=request.created" rel="next">' in html  # the wrong one left out

    backwards = client.get("/audit", params={"van": "2026-11-25", "tot": "2026-11-24"})
    assert backwards.status_code == 400 and '<p id="tot-fout" class="field-error">' in backwards.text
    too_long = client.get("/audit", params={"gebruiker": "x" * 65})
    assert too_long.status_code == 400 and '<p id="gebruiker-fout" class="field-error">Te lang' in too_long.text


def test_an_empty_filter_result_and_the_roles_that_may_not_read_it(new_client, staff):
    manager = new_client()
    login_as(manager, "ivo")  # the ICT back office reads the log too
    assert manager.get("/audit").status_code == 200
    for user in ("bob", "kim", "cor"):
        client = new_client()
        login_as(client, user)
        missing = client.get(MISSING).text
        assert ">Auditlog</a>" not in client.get("/").text
        for path in ("/audit", "/audit/pagina/2"):
            response = client.get(path)
            assert (response.status_code, response.text) == (404, missing), (user, path)
        refused = client.post("/audit/controleren", data={"csrf_token": csrf_of(client.get("/").text)})
        assert refused.status_code == 404


# --- checking the chain ---------------------------------------------------------------------------


def test_checking_an_intact_chain_says_so_and_is_audited(client, filled):
    token = login_as(client, "anna")
    total = count(filled)
    response = client.post("/audit/controleren", data={"csrf_token": token})
    assert response.status_code == 200
    assert f"Auditlog intact: {total} regels" in response.text and 'class="message ok"' in response.text
    assert count(filled, "audit.verified") == 1
    assert seqs(response.text)[0] == total + 1  # the page lists the check's own entry first

    fragment = client.post("/audit/controleren", headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert fragment.status_code == 200 and "<html" not in fragment.text and "<table" not in fragment.text
    assert f"Auditlog intact: {total + 1} regels" in fragment.text
    assert count(filled, "audit.verified") == 2

    assert client.post("/audit/controleren", data={}).status_code == 403  # no CSRF token
    assert count(filled, "audit.verified") == 2


def test_a_removed_entry_is_named_with_a_link_to_its_page(client, filled):
    token = login_as(client, "anna")
    total = count(filled)
    with filled.begin() as conn:
        conn.execute(sa.delete(audit_log).where(audit_log.c.seq == 3))
    html = client.post("/audit/controleren", headers={"HX-Request": "true", "X-CSRF-Token": token}).text

    assert 'class="message error"' in html
    assert "Auditlog niet intact: regel 4 is de eerste foute regel" in html
    assert "De nummering springt: er is een regel verwijderd of tussengevoegd." in html
    page = -(-(total - 4 + 1) // 50)  # entries 5 … total, and the check's own entry, come first
    assert f'<a href="/audit/pagina/{page}#regel-4">Bekijk regel 4</a>' in html
    assert "sequence jumps from 2 to 4" in html  # the library's words, for the ICT back office
    assert '<tr id="regel-4">' in client.get(f"/audit/pagina/{page}").text
    with filled.connect() as conn:
        entry = conn.execute(sa.select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    assert (entry.action, entry.actor, entry.details) == ("audit.verified", "anna", '{"entries":3,"ok":false}')


def test_an_edited_entry_is_named(client, filled):
    token = login_as(client, "ivo")
    with filled.begin() as conn:
        conn.execute(sa.update(audit_log).where(audit_log.c.seq == 10).values(role="manager"))
    html = client.post("/audit/controleren", data={"csrf_token": token}).text
    assert "Auditlog niet intact: regel 10 is de eerste foute regel" in html
    assert "de regel is achteraf gewijzigd" in html


def test_a_missing_anchor_is_reported_not_taken_for_an_intact_log(client, filled):
    token = login_as(client, "anna")
    with filled.begin() as conn:
        conn.execute(sa.delete(audit_log).where(audit_log.c.seq >= count(filled) - 5))
    audit.anchor_path(filled).unlink()
    html = client.post("/audit/controleren", data={"csrf_token": token}).text
    assert "Auditlog niet intact" in html and "Het ankerbestand ontbreekt" in html and "Auditlog intact" not in html
