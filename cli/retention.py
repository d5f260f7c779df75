"""``callscribe retention``: the retention policy, now or as a dry run."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from callscribe.cli.options import as_user, fail, start_prefect, timestamp_with_offset
from callscribe.cli.options import settings_or_exit as _settings
from callscribe.pipeline.errors import CallscribeError
from callscribe.pipeline.policy import retention
from callscribe.pipeline.storage import catalogue


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Print what would be deleted (per call day, bytes); change nothing.")
@click.option("--now", callback=timestamp_with_offset, metavar="TIMESTAMP",
              help="With --dry-run: look at the policy as if at this moment (ISO 8601 with offset).")
@as_user
def retention_command(dry_run: bool, now: datetime | None, as_user: str | None) -> None:
    """Delete recordings past the retention period and everything derived from them.

    A real run goes through the expire_recordings flow (recorded in Prefect, old Prefect runs of
    callscribe cleaned up) and uses the real clock; a dry run calls the library directly and
    touches nothing (manager or ict_backoffice; audited).
    """
    settings = _settings()
    try:
        if dry_run:
            report = retention.run(
                catalogue.get_engine(settings.catalogue_url), settings.home, as_user, now=now, dry_run=True,
                retention_days=settings.retention_days, timezone=settings.retention_timezone,
            ).as_dict()
        else:
            if now is not None and not settings.simulated_clock:
                raise click.UsageError("--now only with --dry-run: a run that deletes uses the real clock")
            from callscribe.flows.retention import expire_recordings  # Prefect loads only for a real run

            start_prefect()
            report = expire_recordings(now=now, dry_run=False, run_by=as_user)
    except CallscribeError as err:
        fail(err)
    _print_retention(report)
    sys.exit(1 if report["failed"] else 0)


def _print_retention(report: dict) -> None:
    verb = "would be deleted" if report["dry_run"] else "deleted"
    click.echo(f"retention at {report['now']} ({report['retention_days']} calendar days, {report['timezone']})")
    if report["by_call_date"]:
        click.echo(f"{'call date':<12} {'recordings':>10} {'files':>8} {'bytes':>14}")
        for day in report["by_call_date"]:
            click.echo(f"{day['call_date']:<12} {day['recordings']:>10} {day['files']:>8} {day['bytes']:>14}")
    click.echo(f"recordings {verb}: {report['recordings_expired']} "
               f"({report['files_deleted']} files, {report['bytes_deleted']} bytes; {report['resumed']} resumed)")
    click.echo(f"orphan files {verb}: {report['orphans_swept']} ({report['orphan_bytes']} bytes)")
    if "outbox_expired" in report:
        click.echo(f"outbox files past their own expiry deleted: {report['outbox_expired']}")
    if "prefect_runs_deleted" in report:
        click.echo(f"Prefect flow runs {verb}: {report['prefect_runs_deleted']} "
                   f"({report['prefect_artifacts_deleted']} artifacts)")
    if report["oldest_remaining_id"]:
        click.echo(f"oldest remaining: {report['oldest_remaining_id']} "
                   f"(call {report['oldest_remaining_call_start']}, expires {report['oldest_remaining_expires_at']})")
    else:
        click.echo("oldest remaining: none")
    if report.get("held"):
        click.echo(f"held past expiry (legal hold): {len(report['held'])} recording(s): "
                   + ", ".join(f"{h['call_id']} by {h['held_by']}" for h in report["held"]))
    if report["paths_refused"]:
        click.echo(f"{report['paths_refused']} stored path(s) lie outside the store and were not touched", err=True)
    if report["failed"]:
        click.echo(f"error: {report['failed']} recording(s) could not be deleted completely; "
                   "they stay 'expiring' and the next run finishes them", err=True)
