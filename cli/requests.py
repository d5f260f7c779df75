"""``callscribe complaints`` and ``callscribe requests``: the complaint registry and the four-eyes
requests for transcripts and listen-back copies. Parsing and printing only; the library does the work.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from callscribe.cli.options import as_user, engine_of, fail, settings_or_exit, start_prefect, timestamp_with_offset
from callscribe.cli.runs import hand_over, wait_option
from callscribe.flows.deployments import RELEASE
from callscribe.pipeline.errors import CallscribeError, ConcurrentChangeError, RequestNotFoundError
from callscribe.pipeline.policy import complaints as library

_KIND_OPTIONS = {"transcript": "transcript", "listen-back": "listen_back"}
_HINTS = (
    (RequestNotFoundError, "`callscribe requests list` lists the known ids"),
    (ConcurrentChangeError, "`callscribe requests show REQUEST_ID` shows where it stands now"),
)


def _fail(err: CallscribeError) -> None:
    """:func:`fail`, with the command that helps next where this group has one."""
    hint = next((text for kind, text in _HINTS if isinstance(err, kind)), None)
    fail(err if hint is None else type(err)(f"{err}\nhint: {hint}"))


def _stamp(moment: datetime | None, timezone: str) -> str:
    if moment is None:
        return "-"
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(timezone)).isoformat(timespec="minutes")


@click.group()
def complaints() -> None:
    """The complaint registry (klachtendesk, team leaders, managers)."""


@complaints.command("add")
@click.option("--channel", required=True, type=click.Choice(library.CHANNELS), help="How the complaint came in.")
@click.option("--received", required=True, callback=timestamp_with_offset, metavar="ISO",
              help="When it came in, with UTC offset, e.g. 2026-11-24T09:14:03+01:00.")
@click.option("--description", help="What the complaint is about (kept in the catalogue only).")
@click.option("--description-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the description from a UTF-8 text file instead.")
@click.option("--call", "call_ids", multiple=True, metavar="ID", help="A call the complaint is about (repeatable).")
@as_user
def complaints_add(channel: str, received: datetime, description: str | None, description_file: Path | None,
                   call_ids: tuple[str, ...], as_user: str | None) -> None:
    """Register a complaint; prints its new id (K-YYYY-NNNN)."""
    if (description is None) == (description_file is None):
        raise click.UsageError("give the description with exactly one of --description or --description-file")
    if description_file is not None:
        description = description_file.read_text(encoding="utf-8")
    settings = settings_or_exit()
    try:
        complaint = library.register_complaint(
            engine_of(settings), as_user, channel=channel, received_at=received, description=description,
            call_ids=call_ids, timezone=settings.retention_timezone)
    except CallscribeError as err:
        fail(err)
    click.echo(complaint.complaint_id)


@complaints.command("close")
@click.argument("complaint_id")
@as_user
def complaints_close(complaint_id: str, as_user: str | None) -> None:
    """Close a handled complaint: its calls are no longer held against retention."""
    settings = settings_or_exit()
    try:
        library.close_complaint(engine_of(settings), as_user, complaint_id)
    except CallscribeError as err:
        fail(err)
    click.echo(f"complaint {complaint_id}: closed")


@complaints.command("list")
@as_user
def complaints_list(as_user: str | None) -> None:
    """List complaints: id, channel, received, linked calls and number of requests (no descriptions)."""
    settings = settings_or_exit()
    try:
        found = library.list_complaints(engine_of(settings), as_user)
    except CallscribeError as err:
        fail(err)
    if not found:
        click.echo("no complaints; register one with `callscribe complaints add`")
        return
    click.echo(f"{'id':<12} {'channel':<9} {'received':<23} {'requests':>8}  calls")
    for c in found:
        click.echo(f"{c.complaint_id:<12} {c.channel:<9} {_stamp(c.received_at, settings.retention_timezone):<23} "
                   f"{c.request_count:>8}  {', '.join(c.call_ids) or '-'}")


@complaints.command("show")
@click.argument("complaint_id")
@click.option("--no-description", is_flag=True, help="Leave the description out.")
@as_user
def complaints_show(complaint_id: str, no_description: bool, as_user: str | None) -> None:
    """Show one complaint, with its description (reading it is audited)."""
    settings = settings_or_exit()
    try:
        c = library.get_complaint(engine_of(settings), as_user, complaint_id, with_description=not no_description)
    except CallscribeError as err:
        fail(err)
    tz = settings.retention_timezone
    click.echo(f"complaint:     {c.complaint_id}")
    click.echo(f"channel:       {c.channel}")
    click.echo(f"received:      {_stamp(c.received_at, tz)}")
    click.echo(f"registered:    {_stamp(c.registered_at, tz)} by {c.registered_by}")
    click.echo(f"calls:         {', '.join(c.call_ids) or '-'}")
    click.echo(f"requests:      {c.request_count}")
    if c.description is not None:
        click.echo("description:")
        click.echo(c.description)


@click.group()
def requests() -> None:
    """Transcript and listen-back requests under four eyes: add, approve or reject, release."""


@requests.command("add")
@click.option("--kind", required=True, type=click.Choice(list(_KIND_OPTIONS)), help="What is asked for.")
@click.option("--call", "call_id", required=True, metavar="ID", help="The call (see `callscribe recordings`).")
@click.option("--complaint", "complaint_id", metavar="K-YYYY-NNNN", help="The complaint the request serves.")
@click.option("--employee-request", "employee_id", metavar="EMPLOYEE_ID",
              help="Or: the employee (e.g. MW-017) whose own request about their own call this is.")
@click.option("--reason", help="Why, in writing (at least CALLSCRIBE_REASON_MIN_LENGTH characters).")
@as_user
def requests_add(kind: str, call_id: str, complaint_id: str | None, employee_id: str | None, reason: str | None,
                 as_user: str | None) -> None:
    """File a request; prints its new id (V-YYYY-NNNN). A second person approves or rejects it."""
    settings = settings_or_exit()
    try:
        request = library.create_request(
            engine_of(settings), as_user, kind=_KIND_OPTIONS[kind], call_id=call_id, reason=reason,
            complaint_id=complaint_id, employee_id=employee_id, reason_min_length=settings.reason_min_length,
            timezone=settings.retention_timezone)
    except CallscribeError as err:
        _fail(err)
    click.echo(request.request_id)


@requests.command("approve")
@click.argument("request_id")
@click.option("--note", help="An optional note on the approval.")
@as_user
def requests_approve(request_id: str, note: str | None, as_user: str | None) -> None:
    """Approve REQUEST_ID (a manager or team leader who did not file it)."""
    settings = settings_or_exit()
    try:
        request = library.approve_request(engine_of(settings), as_user, request_id, note)
    except CallscribeError as err:
        _fail(err)
    click.echo(f"{request.request_id}: approved by {request.decided_by}; release it with "
               f"`callscribe requests release {request.request_id}`")


@requests.command("reject")
@click.argument("request_id")
@click.option("--reason", help="Why it is rejected (required, at least CALLSCRIBE_REASON_MIN_LENGTH characters).")
@as_user
def requests_reject(request_id: str, reason: str | None, as_user: str | None) -> None:
    """Reject REQUEST_ID with a reason (a manager or team leader who did not file it)."""
    settings = settings_or_exit()
    try:
        request = library.reject_request(engine_of(settings), as_user, request_id, reason,
                                          settings.reason_min_length)
    except CallscribeError as err:
        _fail(err)
    click.echo(f"{request.request_id}: rejected by {request.decided_by}")


@requests.command("release")
@click.argument("request_id")
@wait_option
@as_user
def requests_release(request_id: str, wait: bool, as_user: str | None) -> None:
    """Release an approved REQUEST_ID into the outbox (runs the release-request flow).

    With `callscribe server` running, the worker runs it: the command prints the flow run id at
    once (`callscribe runs` shows how it goes).
    """
    settings = settings_or_exit()
    try:
        library.check_release(engine_of(settings), as_user, request_id)  # fail fast, before Prefect starts
        if hand_over(RELEASE, {"request_id": request_id, "released_by": as_user}, f"release of {request_id}", wait):
            return
        from callscribe.flows.release import release_request

        start_prefect()
        result = release_request(request_id=request_id, released_by=as_user)
    except CallscribeError as err:
        _fail(err)
    for name in result["files"]:
        click.echo(str(settings.outbox_dir / name))
    click.echo(f"available until {_stamp(datetime.fromisoformat(result['expires_at']), settings.retention_timezone)}")


@requests.command("list")
@click.option("--state", type=click.Choice([str(state) for state in library.STATES]),
              help="Only requests in this state.")
@as_user
def requests_list(state: str | None, as_user: str | None) -> None:
    """List requests: id, kind, call, complaint, state, who filed and decided, and when (no reasons)."""
    settings = settings_or_exit()
    try:
        found = library.list_requests(engine_of(settings), as_user, state)
    except CallscribeError as err:
        _fail(err)
    if not found:
        click.echo("no requests")
        return
    tz = settings.retention_timezone
    click.echo(f"{'id':<12} {'kind':<11} {'call':<18} {'ground':<12} {'state':<9} {'requested':<28} "
               f"{'decided':<28} released")
    for r in found:
        ground = r.complaint_id or f"mw:{r.employee_id}"
        click.echo(f"{r.request_id:<12} {r.kind:<11} {r.call_id:<18} {ground:<12} {r.state:<9} "
                   f"{r.requested_by + ' ' + _stamp(r.requested_at, tz):<28} "
                   f"{(r.decided_by or '-') + ' ' + _stamp(r.decided_at, tz):<28} "
                   f"{(r.released_by or '-') + ' ' + _stamp(r.released_at, tz)}")


@requests.command("show")
@click.argument("request_id")
@as_user
def requests_show(request_id: str, as_user: str | None) -> None:
    """Show one request with its reason and the decision's reason or note."""
    settings = settings_or_exit()
    try:
        r = library.show_request(engine_of(settings), as_user, request_id)
    except CallscribeError as err:
        _fail(err)
    tz = settings.retention_timezone
    click.echo(f"request:   {r.request_id} ({r.kind}), call {r.call_id}")
    click.echo(f"ground:    {'complaint ' + r.complaint_id if r.complaint_id else 'own request of ' + r.employee_id}")
    click.echo(f"state:     {r.state}")
    click.echo(f"requested: {r.requested_by} {_stamp(r.requested_at, tz)}")
    click.echo(f"decided:   {r.decided_by or '-'} {_stamp(r.decided_at, tz)}")
    click.echo(f"released:  {r.released_by or '-'} {_stamp(r.released_at, tz)}")
    click.echo(f"reason:    {r.reason}")
    if r.decision_reason:
        click.echo(f"decision:  {r.decision_reason}")
