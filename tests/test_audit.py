"""The hash-chained audit log in a real SQLite database: any edit, insertion or deletion is caught."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from callscribe.pipeline.policy import audit
from callscribe.pipeline.storage import catalogue

pytestmark = pytest.mark.both_databases  # catalogue tests run on SQLite and PostgreSQL


@pytest.fixture
def engine(settings):
    engine = catalogue.get_engine(settings.catalogue_url)
    for n in range(1, 6):
        audit.append(engine, f"u-{n}", "klachtendesk", "request.created", f"REQ-{n}", {"recording": f"C-{n}"},
                     at=datetime(2026, 11, 29, 9, n, tzinfo=UTC))
    return engine


def test_an_untouched_log_verifies(engine):
    result = audit.verify(engine)
    assert result.ok and result.entries == 5


def test_an_edited_entry_is_named(engine):
    with engine.begin() as conn:
        conn.execute(sa.update(audit.audit_log).where(audit.audit_log.c.seq == 3).values(role="manager"))
    result = audit.verify(engine)
    assert (result.first_bad_seq, result.reason) == (3, "content does not match its hash (entry edited)")


def test_a_removed_entry_is_named(engine):
    with engine.begin() as conn:
        conn.execute(sa.delete(audit.audit_log).where(audit.audit_log.c.seq == 2))
    result = audit.verify(engine)
    assert result.first_bad_seq == 3 and "removed" in result.reason


def test_an_inserted_entry_is_named(engine):
    with engine.begin() as conn:
        rows = conn.execute(sa.select(audit.audit_log).order_by(audit.audit_log.c.seq)).mappings().all()
        conn.execute(sa.delete(audit.audit_log))
        forged = dict(rows[1], subject="REQ-X")
        for n, row in enumerate([rows[0], rows[1], forged, *rows[2:]], start=1):
            conn.execute(sa.insert(audit.audit_log).values(**{**row, "seq": n}))
    result = audit.verify(engine)
    assert result.first_bad_seq == 3 and "broken" in result.reason




def test_verify_reads_the_log_in_batches_across_their_edges(engine, monkeypatch):
    """verify streams the log a batch at a time (flat memory on a long log); a bad entry is found
    wherever a batch ends."""
    monkeypatch.setattr(audit, "_VERIFY_BATCH", 2)
    assert audit.verify(engine).entries == 5
    with engine.begin() as conn:
        conn.execute(sa.update(audit.audit_log).where(audit.audit_log.c.seq == 4).values(subject="REQ-9"))
    result = audit.verify(engine)
    assert (result.entries, result.first_bad_seq) == (4, 4) and "edited" in result.reason

def test_cli_verify_reports_the_first_bad_entry(engine, staff):
    from click.testing import CliRunner

    from callscribe.cli.main import main

    refused = CliRunner().invoke(main, ["audit", "verify"])
    assert refused.exit_code == 1 and "unknown user" in refused.output  # the OS login, not on record
    assert CliRunner().invoke(main, ["audit", "verify", "--as", "anna"]).exit_code == 0
    with engine.begin() as conn:
        conn.execute(sa.update(audit.audit_log).where(audit.audit_log.c.seq == 4).values(action="request.approved"))
    result = CliRunner().invoke(main, ["audit", "verify", "--as", "anna"])
    assert result.exit_code == 1 and "entry 4" in result.output


@pytest.mark.sqlite_only("the anchor file is kept beside a SQLite catalogue")
def test_a_deleted_anchor_is_reported_not_taken_for_an_intact_log(engine):
    """The attack: cut the tail of the log and delete the anchor; verify said "intact"."""
    with engine.begin() as conn:
        conn.execute(sa.delete(audit.audit_log).where(audit.audit_log.c.seq >= 4))
    audit.anchor_path(engine).unlink()
    result = audit.verify(engine)
    assert not result.ok and "anchor file" in result.reason and "missing" in result.reason


@pytest.mark.sqlite_only("the anchor file is kept beside a SQLite catalogue")
def test_a_corrupt_anchor_is_reported_without_a_traceback(engine):
    audit.anchor_path(engine).write_text("{not json", encoding="utf-8")
    result = audit.verify(engine)
    assert not result.ok and "unreadable" in result.reason


@pytest.mark.sqlite_only("the anchor file is kept beside a SQLite catalogue")
def test_an_older_anchor_put_back_is_reported(engine):
    path = audit.anchor_path(engine)
    old = path.read_text(encoding="utf-8")
    audit.append(engine, "u-9", "manager", "user.added", "x")
    path.write_text(old, encoding="utf-8")
    result = audit.verify(engine)
    assert not result.ok and "older than the log" in result.reason


@pytest.mark.sqlite_only("the anchor file is kept beside a SQLite catalogue")
def test_the_catalogue_and_the_anchor_are_private_in_a_private_home(engine, settings):
    database = settings.home / "catalogue.sqlite"
    assert database.stat().st_mode & 0o777 == 0o600
    assert audit.anchor_path(engine).stat().st_mode & 0o777 == 0o600
    assert settings.home.stat().st_mode & 0o777 == 0o700


def test_a_broken_anchor_stays_broken_until_a_manager_re_anchors(tmp_path, monkeypatch):
    """Every later step keeps the old anchor (so the cut stays visible); re-anchoring is a manager's
    explicit, audited decision, after which the log verifies again and the anchor follows again."""
    from click.testing import CliRunner

    from callscribe.cli.main import main
    from callscribe.pipeline.policy import access

    monkeypatch.setenv("CALLSCRIBE_HOME", str(tmp_path))
    monkeypatch.setenv("CALLSCRIBE_IMPERSONATION", "true")
    engine = catalogue.get_engine(f"sqlite:///{tmp_path / 'catalogue.sqlite'}")
    access.add_user(engine, "anna", "manager", None)
    access.add_user(engine, "ivo", "ict_backoffice", "anna")
    access.add_user(engine, "cor", "coach", "anna")
    with engine.begin() as conn:
        conn.execute(sa.delete(audit.audit_log).where(audit.audit_log.c.seq == 3))
    access.add_user(engine, "kim", "klachtendesk", "anna")  # takes seq 3; the anchor stays at the old 3
    assert not audit.verify(engine).ok
    runner = CliRunner()
    refused = runner.invoke(main, ["audit", "anchor", "--yes", "--as", "ivo"])
    assert refused.exit_code == 1 and "audit.reanchor needs" in refused.output
    unconfirmed = runner.invoke(main, ["audit", "anchor", "--as", "anna"])
    assert unconfirmed.exit_code != 0 and "--yes" in unconfirmed.output
    done = runner.invoke(main, ["audit", "anchor", "--yes", "--as", "anna"])
    assert done.exit_code == 0 and "was 3" in done.output, done.output
    assert audit.verify(engine).ok
    access.add_user(engine, "bob", "teamleider", "anna")
    assert audit.verify(engine).ok and audit.head(engine)[0] == 5, "the anchor follows the log again"
    with engine.connect() as conn:
        actions = [r.action for r in conn.execute(sa.select(audit.audit_log).order_by(audit.audit_log.c.seq))]
    assert actions[-2] == "audit.reanchored"
