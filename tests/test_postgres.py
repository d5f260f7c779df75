"""The PostgreSQL half of the suite fails loudly, in one line naming the fix, where no server can be
had; it never skips."""

import pytest

from tests import postgres


def test_without_initdb_or_a_url_the_message_names_the_fix(monkeypatch):
    monkeypatch.setattr(postgres, "initdb", lambda: None)
    with pytest.raises(postgres.Unavailable) as refused:
        postgres.start(None)
    message = str(refused.value)
    assert "\n" not in message and ".ci/postgres" in message and postgres.URL_VARIABLE in message


def test_an_unreachable_server_names_the_fix_without_its_password():
    with pytest.raises(postgres.Unavailable) as refused:
        postgres.start("postgresql+psycopg://someone:secret@127.0.0.1:1/postgres")
    message = str(refused.value)
    assert "\n" not in message and "cannot reach PostgreSQL" in message and "secret" not in message
