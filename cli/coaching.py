"""``callscribe coaching`` (monthly draws, quarter overview, sessions, notes and acknowledgements) and
``callscribe employees``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

import click

from callscribe.cli.options import as_user, engine_of, fail, parse_timestamp, settings_or_exit, start_prefect
from callscribe.pipeline.errors import CallscribeError
from callscribe.pipeline.policy import coaching as library
from callscribe.pipeline.policy.retention import expires_at


def _month(_ctx, _param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return library.check_month(value)
    except CallscribeError as err:
        raise click.BadParameter(str(err)) from None


def _quarter(_ctx, _param, value: str) -> str:
    try:
        library.quarter_months(value)
    except CallscribeError as err:
        raise click.BadParameter(str(err)) from None
    return value


# A note file larger than this cannot hold an allowed note (4 bytes per character at most, and room
# for whitespace around it); it is refused without reading it all.
_NOTE_FILE_MAX_BYTES = 4 * library.COACHING_NOTE_MAX + 4096


def _refuse(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _read_note(handle: BinaryIO | None) -> str | None:
    """The note's text from an open file (``-``: standard input): UTF-8 only. Its content is
    personal data: it goes to the library, never into a message."""
    if handle is None:
        return None
    data = handle.read(_NOTE_FILE_MAX_BYTES + 1)
    if len(data) > _NOTE_FILE_MAX_BYTES:
        _refuse(f"the note file is over {_NOTE_FILE_MAX_BYTES} bytes; a coaching note holds at most "
                f"{library.COACHING_NOTE_MAX} characters")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # not chained or shown: the decoding error holds the file's bytes
        _refuse("the note file is not UTF-8 text: save it as UTF-8")
    return None  # not reached: _refuse exits


def _local(moment: datetime | None, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).isoformat(timespec="minutes") if moment else "-"


def _acknowledgement(at: str | None, by: str | None) -> str:
    return f"acknowledged {at} (recorded by {by})" if at else "not acknowledged"


@click.group()
def coaching() -> None:
    """Coaching draws, picks and sessions.

    One call per employee is drawn right after each calendar month ends, so the three picks of a
    quarter can each be reviewed before their recordings expire.
    """


@coaching.command("draw")
@click.option("--month", callback=_month, metavar="YYYY-MM",
              help="The month to draw (ended, retention timezone). Default: the previous month.")
@click.option("--no-transcribe", is_flag=True, help="Only draw; do not transcribe the picks.")
@as_user
def coaching_draw(month: str | None, no_transcribe: bool, as_user: str | None) -> None:
    """Draw one call per employee for a month; transcribe and redact the picks.

    A month is drawn once: drawing it again shows the same picks.
    """
    settings = settings_or_exit()
    engine = engine_of(settings)
    now = datetime.now(UTC)
    month = month or library.previous_month(now, settings.retention_timezone)
    try:
        library.check_drawable(month, settings.retention_timezone, now)
        if no_transcribe:
            result = library.draw(engine, settings, month, as_user, now)
            already, without = result.already_drawn, list(result.without_calls)
            picks = [(p.employee_id, p.call_id, p.candidates,
                      expires_at(p.call_start, settings.retention_days, settings.retention_timezone).isoformat())
                     for p in result.picks]
            summary = None
        else:
            from callscribe.flows.coaching import draw_coaching_sample

            start_prefect()
            summary = draw_coaching_sample(month=month, transcribe=True, drawn_by=as_user)
            already, without = summary["already_drawn"], summary.get("without_calls", [])
            picks = [(p["employee_id"], p["call_id"], p["candidates"], p["expires_at"]) for p in summary["picks"]]
    except CallscribeError as err:
        fail(err)
    if already:
        click.echo(f"{month} was drawn before: the picks stay as they were drawn")
    click.echo(f"coaching {month}: {len(picks)} pick(s)")
    for employee_id, call_id, candidates, expiry in picks:
        click.echo(f"  {employee_id:<12} {call_id:<22} of {candidates:<4} expires {expiry}")
    if without:
        click.echo(f"no eligible call in {month} for {len(without)} employee(s): {', '.join(without)}")
    if summary is not None:
        click.echo(f"{summary['transcribed']} transcribed, {summary['failed']} failed, "
                   f"{summary['coaching_transcripts']} coaching transcript(s) written")
        if summary["failed"]:
            sys.exit(1)


@coaching.command("list")
@click.option("--quarter", required=True, callback=_quarter, metavar="YYYYQn", help="e.g. 2026Q4.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, for machines.")
@as_user
def coaching_list(quarter: str, as_json: bool, as_user: str | None) -> None:
    """List a quarter's picks: employee, call, call date, expiry, transcript state, sessions held.

    Under each pick its sessions: id, when and by whom it was held, whether it has a note (the note
    itself only with show-session) and whether and when the employee's acknowledgement was recorded.
    """
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        rows = library.quarter_overview(engine, settings, quarter, as_user)
    except CallscribeError as err:
        fail(err)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row))
        return
    if not rows:
        click.echo(f"no coaching picks in {quarter}")
        return
    for row in rows:
        click.echo(f"{row['month']}  {row['employee_id']:<12} {row['call_id']:<22} {row['call_date']}  "
                   f"expires {row['expires_at']}  {row['transcript']:<12} sessions {row['sessions']}")
        for held in row["session_details"]:
            click.echo(f"         {held['session_id']:<14} held {held['held_at']} by {held['coach']:<12} "
                       f"note {'yes' if held['note'] else 'no ':<4} "
                       f"{_acknowledgement(held['acknowledged_at'], held['acknowledged_by'])}")


@coaching.command("session")
@click.option("--month", required=True, callback=_month, metavar="YYYY-MM", help="The month of the pick.")
@click.option("--employee", "employee_id", required=True, help="Employee id, e.g. MW-017.")
@click.option("--held-at", metavar="ISO",
              help="When the session was held, e.g. 2026-11-12T14:00; without offset in the retention "
                   "timezone. Default: now.")
@click.option("--again", is_flag=True, help="Log a second session about the same pick on the same day.")
@click.option("--note-file", type=click.File("rb"), metavar="FILE",
              help="A short note on the session from a UTF-8 text file, or - for standard input "
                   f"(at most {library.COACHING_NOTE_MAX:,} characters). It is kept in the catalogue only: "
                   "never logged or audited; show-session prints it.")
@as_user
def coaching_session(month: str, employee_id: str, held_at: str | None, again: bool, note_file: BinaryIO | None,
                     as_user: str | None) -> None:
    """Log a coaching session about an employee's pick of a month.

    The session gets an id (CS-2026-0001) for show-session and acknowledge. The note comes from a
    file, not from the command line, so it stays out of the shell history and the process list.
    """
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        when = parse_timestamp(held_at, settings.retention_timezone)
    except click.BadParameter as err:
        err.param_hint = "--held-at"
        raise
    note = _read_note(note_file)
    try:
        session = library.log_session(engine, month, employee_id, as_user, when, again=again, note=note,
                                      timezone=settings.retention_timezone)
    except CallscribeError as err:
        fail(err)
    click.echo(f"session {session.session_id}: {month} {employee_id} call {session.call_id} "
               f"held {_local(session.held_at, settings.retention_timezone)} by {session.coach}"
               f"{', note stored' if session.has_note else ''}")


@coaching.command("acknowledge")
@click.argument("session_id")
@as_user
def coaching_acknowledge(session_id: str, as_user: str | None) -> None:
    """Record that the employee acknowledged session SESSION_ID (e.g. CS-2026-0001).

    Employees have no account: the coach, team leader or manager records it, once; the time is kept.
    """
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        session = library.acknowledge_session(engine, session_id, as_user,
                                              timezone=settings.retention_timezone)
    except CallscribeError as err:
        fail(err)
    click.echo(f"session {session.session_id}: {session.employee_id}'s acknowledgement recorded "
               f"{_local(session.acknowledged_at, settings.retention_timezone)} by {session.acknowledged_by}")


@coaching.command("show-session")
@click.argument("session_id")
@as_user
def coaching_show_session(session_id: str, as_user: str | None) -> None:
    """Show session SESSION_ID with its note (the reading is recorded in the audit log)."""
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        session = library.get_session(engine, session_id, as_user)
    except CallscribeError as err:
        fail(err)
    zone = settings.retention_timezone
    click.echo(f"session {session.session_id}: {session.month} {session.employee_id} call {session.call_id}")
    click.echo(f"held     {_local(session.held_at, zone)} by {session.coach}")
    click.echo(_acknowledgement(_local(session.acknowledged_at, zone) if session.acknowledged_at else None,
                                session.acknowledged_by))
    if session.note is None:
        click.echo("note     none")
    else:
        click.echo("note:")
        click.echo(session.note)


@click.group()
def employees() -> None:
    """Employees (medewerkers) known from the call metadata."""


@employees.command("list")
@as_user
def employees_list(as_user: str | None) -> None:
    """List employee ids of the catalogue with their number of calls and whether a name is on file."""
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        found = library.list_employees(engine, as_user)
    except CallscribeError as err:
        fail(err)
    for employee in found:
        click.echo(f"{employee.employee_id:<16} {employee.calls:>6} call(s)  "
                   f"name {'on file' if employee.name_on_file else 'not on file'}")


@employees.command("set-name")
@click.argument("employee_id")
@click.argument("name")
@as_user
def employees_set_name(employee_id: str, name: str, as_user: str | None) -> None:
    """Put NAME on file for EMPLOYEE_ID, kept visible in their coaching transcripts.

    Only coaching transcripts use it, and only with CALLSCRIBE_COACHING_SHOW_EMPLOYEE_NAME on
    (the default); it is never logged or written to the audit log.
    """
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        library.set_employee_name(engine, employee_id, name, as_user)
    except CallscribeError as err:
        fail(err)
    click.echo(f"name on file for employee {employee_id}")
