"""Listing the catalogue with filters and keyset pages (``catalogue.list_recordings`` and
``callscribe recordings``), on SQLite and PostgreSQL."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from callscribe.cli.main import main
from callscribe.pipeline.errors import RecordingNotFoundError
from callscribe.pipeline.storage import catalogue
from callscribe.pipeline.storage.schema import recordings

pytestmark = pytest.mark.both_databases

START = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)


@pytest.fixture
def engine(settings):
    """Twelve recordings of three employees; calls 4 and 5 start at the same moment (ties go by id)."""
    engine = catalogue.get_engine(settings.catalogue_url)
    rows = []
    for n in range(12):
        start = START + timedelta(hours=n if n != 5 else 4)
        rows.append({"call_id": f"C-{n:02d}", "call_start": start, "duration_s": 60.0, "employee_id": f"MW-{n % 3}",
                     "caller_number": "+31612345678", "direction": "inbound", "audio_path": f"audio/C-{n:02d}.wav",
                     "sha256": f"{n:064d}", "channel_layout": "mono", "state": "failed" if n % 4 == 0 else "ingested",
                     "ingested_at": start})
    with engine.begin() as conn:
        conn.execute(sa.insert(recordings), rows)
    return engine


def ids(listed) -> list[str]:
    return [r.call_id for r in listed]


ORDER = ["C-00", "C-01", "C-02", "C-03", "C-04", "C-05", "C-06", "C-07", "C-08", "C-09", "C-10", "C-11"]


def test_everything_by_call_start_then_id(engine):
    assert ids(catalogue.list_recordings(engine)) == ORDER


def test_filters_combine(engine):
    assert ids(catalogue.list_recordings(engine, ["failed"])) == ["C-00", "C-04", "C-08"]
    assert ids(catalogue.list_recordings(engine, employee_id="MW-1")) == ["C-01", "C-04", "C-07", "C-10"]
    since, until = START + timedelta(hours=4), START + timedelta(hours=8)  # since included, until not
    assert ids(catalogue.list_recordings(engine, since=since, until=until)) == ["C-04", "C-05", "C-06", "C-07"]
    assert ids(catalogue.list_recordings(engine, ["ingested"], employee_id="MW-1", since=since)) == ["C-07", "C-10"]


def test_pages_after_an_id_walk_every_row_once(engine):
    for size in (1, 2, 5, 12):
        seen, after = [], None
        while page := ids(catalogue.list_recordings(engine, limit=size, after=after)):
            assert len(page) <= size
            seen += page
            after = page[-1]
        assert seen == ORDER, size


def test_pages_keep_the_filters(engine):
    first = ids(catalogue.list_recordings(engine, employee_id="MW-2", limit=2))
    rest = ids(catalogue.list_recordings(engine, employee_id="MW-2", limit=2, after=first[-1]))
    assert (first, rest) == (["C-02", "C-05"], ["C-08", "C-11"])
    # the id ending a page need not match the filter of the next one
    assert ids(catalogue.list_recordings(engine, ["failed"], after="C-05")) == ["C-08"]


def test_a_page_after_a_recording_that_is_gone_says_so(engine):
    with pytest.raises(RecordingNotFoundError, match="C-99 is no longer in the catalogue"):
        list(catalogue.list_recordings(engine, after="C-99"))


def test_naive_moments_and_empty_pages_are_refused(engine):
    with pytest.raises(ValueError, match="timezone-aware"):
        list(catalogue.list_recordings(engine, since=datetime(2026, 10, 5)))
    with pytest.raises(ValueError, match="at least 1"):
        list(catalogue.list_recordings(engine, limit=0))


def test_cli_pages_with_filters(engine):
    runner = CliRunner()
    first = runner.invoke(main, ["recordings", "--json", "--state", "ingested", "--limit", "3"])
    assert first.exit_code == 0, first.output
    rows = [json.loads(line) for line in first.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["C-01", "C-02", "C-03"]
    assert "next page: --after C-03" in first.stderr
    second = runner.invoke(main, ["recordings", "--json", "--state", "ingested", "--limit", "3", "--after", "C-03"])
    assert [json.loads(line)["id"] for line in second.stdout.splitlines()] == ["C-05", "C-06", "C-07"]
    # a date without offset is a local day in the retention timezone (Europe/Amsterdam, UTC+2 then)
    week = runner.invoke(main, ["recordings", "--employee", "MW-0", "--since", "2026-10-05T12:00",
                                "--until", "2026-10-05T17:00"])
    assert week.exit_code == 0 and [line.split()[0] for line in week.stdout.splitlines()[1:]] == ["C-03", "C-06"]
    gone = runner.invoke(main, ["recordings", "--after", "C-99"])
    assert gone.exit_code == 1 and "C-99 is no longer in the catalogue" in gone.output
    none = runner.invoke(main, ["recordings", "--employee", "MW-7"])
    assert none.exit_code == 0 and "no recordings match" in none.output


def test_an_older_catalogue_gets_the_listing_index_instead_of_the_state_index(settings):
    engine = catalogue.get_engine(settings.catalogue_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP INDEX ix_recordings_state_call_start"))
        conn.execute(sa.text("CREATE INDEX ix_recordings_state ON recordings (state)"))
    engine.dispose()
    catalogue.get_engine.cache_clear()  # a new process opening the older catalogue
    reopened = catalogue.get_engine(settings.catalogue_url)
    with reopened.connect() as conn:
        names = {index["name"] for index in sa.inspect(conn).get_indexes("recordings")}
    assert "ix_recordings_state_call_start" in names and "ix_recordings_state" not in names
