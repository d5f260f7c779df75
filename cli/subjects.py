"""``callscribe subjects``: data-subject requests (access, erasure) under four eyes."""

from __future__ import annotations

import json
import sys

import click

from callscribe.cli.options import as_user, engine_of, fail, settings_or_exit, start_prefect
from callscribe.cli.runs import hand_over, wait_option
from callscribe.flows.deployments import SUBJECT_REQUEST
from callscribe.pipeline.errors import CallscribeError, ConcurrentChangeError, RequestNotFoundError
from callscribe.pipeline.policy import subjects as library

_HINTS = (
    (RequestNotFoundError, "`callscribe subjects list` lists the known ids"),
    (ConcurrentChangeError, "`callscribe subjects list` shows where it stands now"),
)


def _fail(err: CallscribeError) -> None:
    """:func:`fail`, with the command that helps next where this group has one."""
    hint = next((text for kind, text in _HINTS if isinstance(err, kind)), None)
    fail(err if hint is None else type(err)(f"{err}\nhint: {hint}"))


@click.group()
def subjects() -> None:
    """Data-subject requests: a caller's access or erasure request, filed, approved by a second
    person, then carried out."""


@subjects.command("add")
@click.option("--kind", required=True, type=click.Choice(library.KINDS), help="access: export; erasure: delete early.")
@click.option("--number", help="The caller's phone number, any notation (asked for when left out, not echoed; "
                               "read from standard input when that is not a terminal).")
@click.option("--reason", required=True, help="Why, e.g. how the caller's identity was checked.")
@as_user
def subjects_add(kind: str, number: str, reason: str, as_user: str | None) -> None:
    """File a request for every recording of a phone number (the number itself is not kept)."""
    number = number if number is not None else _read_number()
    settings = settings_or_exit()
    engine = engine_of(settings)
    try:
        request = library.file_request(engine, settings, kind, number, reason, as_user)
    except CallscribeError as err:
        _fail(err)
    click.echo(f"{request.request_id}: {request.kind} request for {len(request.call_ids)} recording(s), "
               "awaiting approval by a second person")
    for call_id in request.call_ids:
        click.echo(f"  {call_id}")


def _read_number() -> str:
    """The number typed at a prompt without echo, or one line of piped input (no prompt, no
    warning that a password might be echoed: nothing is shown back either way)."""
    if sys.stdin.isatty():
        return click.prompt("Phone number of the caller", hide_input=True)
    line = sys.stdin.readline().strip()
    if not line:
        raise click.UsageError("give the caller's number with --number, at the prompt or as one line of input")
    return line


@subjects.command("approve")
@click.argument("request_id")
@click.option("--note", help="Optional note with the approval.")
@as_user
def subjects_approve(request_id: str, note: str | None, as_user: str | None) -> None:
    """Approve REQUEST_ID (a manager or team leader who did not file it)."""
    _decide(request_id, as_user, True, note)


@subjects.command("reject")
@click.argument("request_id")
@click.option("--reason", required=True, help="Why the request is refused (required).")
@as_user
def subjects_reject(request_id: str, reason: str, as_user: str | None) -> None:
    """Reject REQUEST_ID with a reason."""
    _decide(request_id, as_user, False, reason)


def _decide(request_id: str, user_id: str | None, approve: bool, reason: str | None) -> None:
    settings = settings_or_exit()
    try:
        request = library.decide(engine_of(settings), settings, request_id, user_id, approve, reason)
    except CallscribeError as err:
        _fail(err)
    click.echo(f"{request.request_id}: {request.state} by {request.decided_by}")


@subjects.command("execute")
@click.argument("request_id")
@click.option("--override-holds", is_flag=True,
              help="Erase calls an open complaint or request holds too (an explicit decision, audited).")
@wait_option
@as_user
def subjects_execute(request_id: str, override_holds: bool, wait: bool, as_user: str | None) -> None:
    """Carry out approved REQUEST_ID: export to the outbox (access) or erase early (erasure).

    With `callscribe server` running, the worker carries it out: the command prints the flow run
    id at once (`callscribe runs` shows how it goes).
    """
    settings = settings_or_exit()
    try:
        library.check_executable(engine_of(settings), request_id, as_user)
    except CallscribeError as err:
        _fail(err)
    parameters = {"request_id": request_id, "executed_by": as_user, "override_holds": override_holds}
    if hand_over(SUBJECT_REQUEST, parameters, f"subject request {request_id}", wait):
        return
    from callscribe.flows.subjects import carry_out_subject_request

    start_prefect()
    try:
        result = carry_out_subject_request(request_id=request_id, executed_by=as_user, override_holds=override_holds)
    except CallscribeError as err:
        _fail(err)
    if result["kind"] == "access":
        click.echo(f"{request_id}: {result['exported']} of {result['recordings']} recording(s) exported")
        for name in result["outbox"]:
            click.echo(f"  {settings.outbox_dir / name}")
    else:
        click.echo(f"{request_id}: {result['erased']} of {result['recordings']} recording(s) erased "
                   f"({result['files_deleted']} files, {result['prefect_runs_deleted']} Prefect runs)")


@subjects.command("list")
@click.option("--state", type=click.Choice([str(state) for state in library.STATES]),
              help="Only requests in this state.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@as_user
def subjects_list(state: str | None, as_json: bool, as_user: str | None) -> None:
    """List subject requests: id, kind, state, recordings, who filed, decided and carried out."""
    settings = settings_or_exit()
    try:
        found = library.list_requests(engine_of(settings), state, user_id=as_user)
    except CallscribeError as err:
        _fail(err)
    for request in found:
        row = {
            "id": request.request_id, "kind": request.kind, "state": request.state,
            "recordings": list(request.call_ids), "requested_by": request.requested_by,
            "requested_at": request.requested_at.isoformat(), "decided_by": request.decided_by,
            "executed_by": request.executed_by,
        }
        if as_json:
            click.echo(json.dumps(row))
        else:
            click.echo(f"{row['id']:<15} {row['kind']:<8} {row['state']:<10} {len(request.call_ids):>3} recording(s) "
                       f"filed by {row['requested_by']}, decided by {row['decided_by'] or '-'}, "
                       f"carried out by {row['executed_by'] or '-'}")
