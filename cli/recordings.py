"""``callscribe ingest``, ``recordings``, ``transcribe``, ``demo``, ``transcribe-files``,
``redact-transcripts`` and ``model``: the catalogue and transcription."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from callscribe.cli.options import as_user, begin_prefect, parse_timestamp, start_prefect
from callscribe.cli.options import fail as _fail
from callscribe.cli.options import settings_or_exit as _settings
from callscribe.cli.runs import hand_over, wait_option
from callscribe.flows.deployments import TRANSCRIBE
from callscribe.pipeline import atomic, process
from callscribe.pipeline.errors import CallscribeError
from callscribe.pipeline.policy import transcribing
from callscribe.pipeline.policy.retention import expires_at
from callscribe.pipeline.settings import Settings
from callscribe.pipeline.storage import catalogue, transcripts


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--metadata", "metadata_csv", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with columns call_id, call_start, employee_id, caller_number, direction, file "
                   "(optional: duration_s, channel_layout).")
@as_user
def ingest(folder: Path, metadata_csv: Path, as_user: str | None) -> None:
    """Import the recordings of FOLDER listed in a metadata CSV (all or nothing)."""
    settings = _settings()
    try:
        result = transcribing.ingest(catalogue.get_engine(settings.catalogue_url), as_user, folder, metadata_csv,
                                     settings.audio_dir)
    except CallscribeError as err:
        _fail(err)
    click.echo(f"{result.added} recording(s) added, {result.unchanged} already in the catalogue")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, for machines.")
@click.option("--state", type=click.Choice(catalogue.STATES), multiple=True, help="Only recordings in this state.")
@click.option("--employee", help="Only this employee's calls.")
@click.option("--since", help="Only calls that started at or after this moment (ISO 8601; a date or a time "
                              "without offset is read in the retention timezone).")
@click.option("--until", help="Only calls that started before this moment (as --since).")
@click.option("--after", metavar="ID", help="The page after the one that ended with recording ID.")
@click.option("--limit", type=click.IntRange(1), help="At most this many recordings (a page); default all.")
def recordings(as_json: bool, state: tuple[str, ...], employee: str | None, since: str | None, until: str | None,
               after: str | None, limit: int | None) -> None:
    """List the catalogue: id, call start, employee, state and expiry.

    Ordered by call start. Page through a large catalogue with --limit N, then --after the last id shown.
    """
    settings = _settings()
    zone = settings.retention_timezone
    engine = catalogue.get_engine(settings.catalogue_url)
    listed = catalogue.list_recordings(engine, state or None, employee_id=employee,
                                       since=parse_timestamp(since, zone), until=parse_timestamp(until, zone),
                                       after=after, limit=limit)
    shown, last = 0, None
    try:
        for rec in listed:  # printed as read: the whole catalogue is never held at once
            expiry = expires_at(rec.call_start, settings.retention_days, zone)
            row = {
                "id": rec.call_id,
                "call_start": rec.call_start.astimezone(expiry.tzinfo).isoformat(),
                "employee_id": rec.employee_id,
                "state": rec.state,
                "expires_at": expiry.isoformat(),
                "failure_reason": rec.failure_reason,
            }
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=False))
            else:
                if not shown:
                    click.echo(f"{'id':<20} {'call start':<25} {'employee':<10} {'state':<12} expires")
                click.echo(f"{row['id']:<20} {row['call_start']:<25} {row['employee_id']:<10} {row['state']:<12} "
                           f"{row['expires_at']}")
            shown, last = shown + 1, rec.call_id
    except CallscribeError as err:
        _fail(err)
    if not shown and not as_json:
        click.echo("no recordings; import some with `callscribe ingest DIR --metadata calls.csv`"
                   if not (state or employee or since or until or after) else "no recordings match")
    if limit is not None and shown == limit:
        click.echo(f"next page: --after {last}", err=True)


_NO_PURPOSE_HINT = ("`callscribe requests add --kind transcript --call ID ...` files one for a second person to "
                    "approve; `callscribe coaching draw` makes coaching picks")


@click.command()
@click.argument("recording_ids", nargs=-1)
@click.option("--pending", is_flag=True,
              help="Also every recording not yet transcribed (ingested or failed) that has a purpose.")
@click.option("--parallel", type=click.IntRange(1, 32), help="Recordings at a time (default CALLSCRIBE_MAX_PARALLEL).")
@wait_option
@as_user
def transcribe(recording_ids: tuple[str, ...], pending: bool, parallel: int | None, wait: bool,
               as_user: str | None) -> None:
    """Run the transcribe_recordings flow over catalogued recordings that an approved request, an
    approved access request or a coaching pick names (manager, teamleider or ict_backoffice;
    recorded in the audit log).

    With `callscribe server` running, the worker transcribes them: the command prints a flow run
    id per purpose at once (`callscribe runs` shows how far each got; --parallel then does not apply).
    """
    settings = _settings(max_parallel=parallel)
    try:
        plan = transcribing.plan(catalogue.get_engine(settings.catalogue_url), as_user, recording_ids, pending)
    except CallscribeError as err:
        _fail(err, hint=_NO_PURPOSE_HINT if transcribing.NO_PURPOSE in str(err) else None)
    if plan.left_out:
        click.echo(f"{plan.left_out} recording(s) not yet transcribed have no purpose and are left out", err=True)
    failed = 0
    for purpose, ids in plan.batches.items():
        if not hand_over(TRANSCRIBE, {"recording_ids": ids, "purpose": str(purpose)},
                         f"{len(ids)} recording(s) for {purpose}", wait):
            failed += _run_flow(settings, ids, purpose)["failed"]
    sys.exit(1 if failed else 0)


@click.command()
@click.option("--parallel", type=click.IntRange(1, 32), help="Recordings at a time.")
def demo(parallel: int | None) -> None:
    """Ingest the bundled sample calls and transcribe them end to end, offline."""
    settings = _settings(max_parallel=parallel)
    engine = catalogue.get_engine(settings.catalogue_url)
    try:
        result = transcribing.ingest_samples(engine, settings.audio_dir, settings.retention_timezone)
        plan = transcribing.start_demo(engine, transcribing.sample_ids())
    except CallscribeError as err:
        _fail(err)
    click.echo(f"samples: {result.added} added, {result.unchanged} already in the catalogue ({settings.home}); "
               "dated last month, so `callscribe coaching draw` of last month finds them")
    if not settings.transcript_key and not settings.transcript_key_file.exists():
        try:
            key_file = transcripts.create_key_file(settings.transcript_key_file, settings.home)
        except CallscribeError as err:
            _fail(err)
        click.echo(f"transcript key: created {key_file} (outside the home; raw transcripts need it)")
    ids = plan.call_ids
    summary = _run_flow(settings, ids, transcribing.Purpose.DEMO)
    click.echo("\nredacted transcripts:")
    for call_id in ids:
        folder = transcripts.TranscriptFolder.of(settings.transcripts_dir, call_id)
        if folder.text.is_file():
            click.echo(f"  {folder.text}")
            click.echo(f"  {folder.redacted}")
    sys.exit(1 if summary["failed"] else 0)


def _run_flow(settings: Settings, ids: list[str], purpose: str) -> dict:
    try:
        info = process.model_info(settings)
        transcripts.load_key(settings.transcript_key, settings.transcript_key_file, settings.home)  # fail fast
    except CallscribeError as err:
        _fail(err)
    begin_prefect()  # a temporary server boots while Prefect, the flow and the model load here
    from callscribe.flows.progress import ProgressBoard
    from callscribe.flows.transcribe import with_concurrency

    if not settings.on_dask:  # on Dask each worker process loads its own
        try:
            process.load_model(info, settings.max_parallel)  # while the server boots; the flow loads it otherwise
        except Exception as err:  # noqa: BLE001 - a model that fails to load fails the flow's transcriptions
            click.echo(f"the Whisper model did not load ({type(err).__name__}); the transcriptions report why",
                       err=True)
    engine = catalogue.get_engine(settings.catalogue_url)
    total = 0.0
    for call_id in ids:
        try:
            total += catalogue.get_recording(engine, call_id).duration or 0.0
        except CallscribeError:
            pass
    start_prefect()
    with ProgressBoard(total, disable=not sys.stderr.isatty()):
        summary = with_concurrency(settings.max_parallel)(recording_ids=ids, purpose=purpose)
    _print_summary(summary)
    return summary


def _print_summary(summary: dict) -> None:
    click.echo(
        f"\n{summary['transcribed']}/{summary['recordings']} recording(s) transcribed, {summary['failed']} failed\n"
        f"audio: {summary['audio_minutes']} min in {summary['wall_seconds']} s "
        f"(real-time factor {summary['real_time_factor']})"
    )
    entities = summary["entities_by_type"]
    click.echo("entities redacted: " + (", ".join(f"{k} {v}" for k, v in entities.items()) or "none"))
    for failure in summary["failures"]:
        click.echo(f"failed {failure['recording_id']}: {failure['reason']}", err=True)


@click.command("transcribe-files")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="JSON lines file, one line per input file.")
@click.option("--no-redact", is_flag=True,
              help="Write unredacted text: only for audio without personal data (e.g. WER measurement).")
@click.option("--model", help="Whisper model: 'base' (bundled), a faster-whisper name or a local folder.")
@click.option("--compute-type", help="CTranslate2 compute type, e.g. int8, int8_float32, float32.")
@click.option("--threads", type=click.IntRange(0, 256), help="CPU threads for Whisper.")
@click.option("--beam-size", type=click.IntRange(1, 20), help="Beam size.")
@as_user
def transcribe_files(files: tuple[Path, ...], output: Path, no_redact: bool, model: str | None,
                     compute_type: str | None, threads: int | None, beam_size: int | None,
                     as_user: str | None) -> None:
    """Transcribe audio FILES without the catalogue; redacted unless --no-redact."""
    settings = _settings(whisper_model=model, compute_type=compute_type, cpu_threads=threads, beam_size=beam_size)
    try:
        transcribing.check_files(catalogue.get_engine(settings.catalogue_url), as_user, files, settings.audio_dir,
                                 redact=not no_redact)
        info = process.model_info(settings)
    except CallscribeError as err:
        _fail(err)
    lines = []
    failed = 0
    for path in files:
        try:
            transcript = process.transcribe_file(path, settings, info=info, num_workers=1)
            segments = [(s.speaker, s.text) for s in transcript.segments]
            if not no_redact:
                redacted = process.redact_transcript(transcript, settings)
                segments = [(s.speaker, s.text) for s in redacted.segments]
        except CallscribeError as err:
            failed += 1
            click.echo(f"error: {err}", err=True)
            lines.append(json.dumps({"file": str(path), "error": getattr(err, "reason", type(err).__name__)}))
            continue
        lines.append(json.dumps({
            "file": str(path),
            "text": " ".join(text for _, text in segments),
            "redacted": not no_redact,
            "duration": round(transcript.duration, 3),
            "processing_seconds": round(transcript.processing_seconds, 3),
            "model": info.model_id,
            "segments": [{"speaker": spk, "start": s.start, "end": s.end, "text": text}
                         for (spk, text), s in zip(segments, transcript.segments)],
        }, ensure_ascii=False))
    atomic.write_text(output, "\n".join(lines) + "\n")
    click.echo(f"{len(files) - failed}/{len(files)} file(s) transcribed into {output}", err=True)
    sys.exit(1 if failed else 0)


@click.command("redact-transcripts")
@click.argument("in_path", metavar="IN.jsonl", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out_path", metavar="OUT.jsonl", type=click.Path(dir_okay=False, path_type=Path))
def redact_transcripts(in_path: Path, out_path: Path) -> None:
    """Redact transcripts that are already text: {"id", "segments": [{"speaker", "text"}]} per line."""
    settings = _settings()
    lines = []
    try:
        redactor = process.redactor(settings)
        options = settings.redaction_options()
        for dialogue_id, segments in process.read_dialogues(in_path):
            lines.append(process.redacted_line(dialogue_id, redactor.redact(segments, options=options)))
    except CallscribeError as err:
        _fail(err)
    atomic.write_text(out_path, "\n".join(lines) + ("\n" if lines else ""))
    click.echo(f"{len(lines)} transcript(s) redacted into {out_path}", err=True)


@click.command()
def model() -> None:
    """Prepare the configured Whisper model (assemble the bundled one) and print where it is."""
    settings = _settings()
    try:
        info = process.model_info(settings)
    except CallscribeError as err:
        _fail(err)
    click.echo(f"{info.model_id}: {info.path} ({info.compute_type}, {info.cpu_threads} threads)")
