"""Scale figures: a simulated retention window of 200 agents × 40 calls a day on SQLite and on
PostgreSQL, measured through the library's own functions.

    python benchmarks/scale.py                 # 63 days: 504,000 rows, 1,000,000 audit entries
    python benchmarks/scale.py --quick         # a small check (a few minutes)
    python benchmarks/scale.py --rows 100000 --backends sqlite

Per back-end, in this order, each step in a fresh process (its peak RSS is that step's alone):

1. ``ingest``: ``catalogue.ingest`` of one day's calls (the last day of the window) from a folder of
   small, distinct, valid WAV files (0.25 s, 8 kHz mono, 4 KB): every file is hashed, probed with
   PyAV, its tail decoded and copied into the store, as in production.
2. ``seed``: the other days in bulk (``INSERT`` through the catalogue's table definition, 10,000 rows
   a statement) with the audio of each row a hard link to one small WAV (a new source file every
   50,000 links); on PostgreSQL then ``ANALYZE`` (what autovacuum does after a bulk load).
3. ``listing``: ``catalogue.list_recordings`` pages of 50 with filters (state, employee, call
   period) and keyset paging (``after``) deep into the catalogue; ``callscribe recordings`` for one
   page in a new process; and the whole catalogue streamed.
4. ``draw``: ``coaching.draw`` of the last full month (200 employees).
5. ``audit``: the audit log filled to 1,000,000 entries in bulk (hashes chained with the library's
   digest, anchor written by the library), then ``audit.verify``.
6. ``retention``: ``retention.apply_retention`` at the moment the first day expires (one day's
   calls go, the whole store is swept for orphans), then at a moment when every remaining row has
   expired (the backlog).

Writes benchmarks/results/scale.md and scale.json. Not a test: tests assert behaviour, not speed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RESULTS = REPO / "benchmarks" / "results"
ZONE = ZoneInfo("Europe/Amsterdam")
AGENTS = 200
DAYS = 63  # day 0 expires in the daily retention run; the 62 after it are the backlog
LAST_DAY = date(2026, 10, 31)
MONTH = "2026-10"  # the draw's month: wholly inside the window
SEED_BATCH = 10_000
LINKS_PER_SOURCE = 50_000  # below ext4's 65,000 links per inode
PAGE = 50
TARGETS = {"listing_s": 1.0, "draw_s": 10.0}


# --- the simulated call centre --------------------------------------------------------------------


def first_day() -> date:
    return LAST_DAY - timedelta(days=DAYS - 1)


def day_rows(day: date, per_agent: int) -> list[dict]:
    """One day's calls: ``per_agent`` calls for each of the 200 agents between 08:00 and 18:00."""
    rows = []
    opening = datetime(day.year, day.month, day.day, 8, 0, tzinfo=ZONE)
    step = timedelta(seconds=36_000 // max(per_agent, 1))
    for agent in range(1, AGENTS + 1):
        for k in range(per_agent):
            call_id = f"{day:%Y%m%d}-{agent:03d}-{k:02d}"
            number = int(hashlib.sha256(call_id.encode()).hexdigest()[:8], 16) % 10**8
            rows.append({
                "call_id": call_id,
                "call_start": (opening + k * step + timedelta(seconds=agent)).astimezone(UTC),
                "employee_id": f"MW-{agent:04d}",
                "caller_number": f"+316{number:08d}",
                "direction": "inbound" if k % 4 else "outbound",
                "duration_s": float(60 + (number % 540)),
                # most calls are never transcribed (no purpose); a few were, a few failed
                "state": "transcribed" if number % 100 == 0 else "failed" if number % 200 == 1 else "ingested",
            })
    return rows


def write_wav(path: Path, index: int) -> None:
    """0.25 s of an 8 kHz mono tone whose first samples spell ``index``: every file distinct."""
    import numpy as np

    t = np.arange(2000) / 8000
    pcm = (0.3 * np.sin(2 * np.pi * (300 + index % 500) * t) * 32767).astype("<i2")
    pcm[:4] = np.frombuffer(index.to_bytes(8, "little"), dtype="<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(pcm.tobytes())


def make_ingest_folder(folder: Path, per_agent: int) -> int:
    """The last day's calls as WAV files and a metadata CSV; returns the number of rows."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    rows = day_rows(LAST_DAY, per_agent)
    with open(folder / "calls.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["call_id", "call_start", "employee_id", "caller_number", "direction", "file", "duration_s"])
        for i, row in enumerate(rows):
            write_wav(folder / f"{row['call_id']}.wav", i)
            writer.writerow([row["call_id"], row["call_start"].isoformat(), row["employee_id"],
                             row["caller_number"], row["direction"], f"{row['call_id']}.wav", row["duration_s"]])
    return len(rows)


# --- the steps, each run in a fresh process -----------------------------------------------------------


def _engine(url: str):
    from callscribe.pipeline.storage import catalogue

    return catalogue.get_engine(url)


def step_ingest(home: Path, url: str, params: dict) -> dict:
    from callscribe.pipeline.storage import catalogue

    engine = _engine(url)
    folder = Path(params["folder"])
    started = time.perf_counter()
    result = catalogue.ingest(engine, folder, folder / "calls.csv", home / "audio")
    wall = time.perf_counter() - started
    return {"rows": result.added, "seconds": wall, "rows_per_s": result.added / wall}


def step_seed(home: Path, url: str, params: dict) -> dict:
    import sqlalchemy as sa

    from callscribe.pipeline.storage.schema import recordings

    engine = _engine(url)
    audio = home / "audio"
    audio.mkdir(exist_ok=True)
    per_agent = params["per_agent"]
    started = time.perf_counter()
    rows = links = 0
    source = None
    ingested_at = datetime(2026, 11, 1, tzinfo=UTC)
    for offset in range(DAYS - 1):  # every day but the last, which ingest brought in
        day = first_day() + timedelta(days=offset)
        batch = []
        for row in day_rows(day, per_agent):
            if links % LINKS_PER_SOURCE == 0:
                source = home / f"seed-source-{links // LINKS_PER_SOURCE}.wav"
                write_wav(source, 10**7 + links)
            name = f"{row['call_id']}.wav"
            os.link(source, audio / name)
            links += 1
            batch.append({**row, "audio_path": f"audio/{name}",
                          "sha256": hashlib.sha256(row["call_id"].encode()).hexdigest(),
                          "channel_layout": "mono", "ingested_at": ingested_at, "failure_reason": None,
                          "processed_at": ingested_at if row["state"] != "ingested" else None})
        for start in range(0, len(batch), SEED_BATCH):
            with engine.begin() as conn:
                conn.execute(sa.insert(recordings), batch[start:start + SEED_BATCH])
        rows += len(batch)
    for path in home.glob("seed-source-*.wav"):
        path.unlink()  # the links keep the data; the sources are no store files
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    wall = time.perf_counter() - started
    return {"rows": rows, "seconds": wall, "rows_per_s": rows / wall}


def step_listing(home: Path, url: str, params: dict) -> dict:
    from callscribe.pipeline.storage import catalogue

    engine = _engine(url)
    with engine.connect() as conn:
        total = conn.exec_driver_sql("SELECT count(*) FROM recordings").scalar()
        middle = conn.exec_driver_sql(
            f"SELECT call_id FROM recordings ORDER BY call_start, call_id LIMIT 1 OFFSET {total // 2}").scalar()
    week = (datetime(2026, 10, 5, tzinfo=ZONE), datetime(2026, 10, 12, tzinfo=ZONE))
    cases = {
        "first page": {},
        "page after the middle row (keyset)": {"after": middle},
        "state failed": {"states": ["failed"]},
        "state ingested": {"states": ["ingested"]},
        "state transcribed, after the middle row": {"states": ["transcribed"], "after": middle},
        "one employee": {"employee_id": "MW-0137"},
        "one employee, one week": {"employee_id": "MW-0137", "since": week[0], "until": week[1]},
        "one week, state failed": {"states": ["failed"], "since": week[0], "until": week[1]},
        "one employee, after the middle row": {"employee_id": "MW-0137", "after": middle},
        "states ingested or failed, after the middle row": {"states": ["ingested", "failed"], "after": middle},
        "state ingested, from one week on": {"states": ["ingested"], "since": week[0]},
    }
    timings = {}
    list(catalogue.list_recordings(engine, limit=1))  # the engine's first connection is not the listing's
    for name, kwargs in cases.items():
        best = None
        for _ in range(3):
            started = time.perf_counter()
            page = list(catalogue.list_recordings(engine, limit=PAGE, **kwargs))
            wall = time.perf_counter() - started
            best = wall if best is None else min(best, wall)
        timings[name] = {"seconds": best, "rows": len(page)}
    slowest = max(t["seconds"] for t in timings.values())
    # the command as a user types it: a fresh process, interpreter start and imports included
    command = [str(Path(sys.executable).parent / "callscribe"), "recordings", "--state", "ingested", "--limit",
               str(PAGE), "--after", middle]
    cli = None
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        wall = time.perf_counter() - started
        cli = wall if cli is None else min(cli, wall)
    # the whole catalogue, streamed: memory must not grow with it
    started = time.perf_counter()
    count = sum(1 for _ in catalogue.list_recordings(engine))
    return {"rows": total, "pages": timings, "seconds": slowest, "met": slowest < TARGETS["listing_s"],
            "cli_seconds": cli, "cli_met": cli < TARGETS["listing_s"], "cli_command": " ".join(command[1:]),
            "all_rows": count, "all_seconds": time.perf_counter() - started}


def step_draw(home: Path, url: str, params: dict) -> dict:
    from callscribe.pipeline.policy import coaching
    from callscribe.pipeline.settings import get_settings

    engine = _engine(url)
    settings = get_settings(home=home, database_url=None if url.startswith("sqlite") else url,
                            policy_secret="scale-benchmark-secret-0123456789")
    started = time.perf_counter()
    drawn = coaching.draw(engine, settings, MONTH, None, now=datetime(2026, 11, 1, 6, 0, tzinfo=ZONE))
    wall = time.perf_counter() - started
    return {"rows": sum(p.candidates for p in drawn.picks), "employees": len(drawn.picks), "seconds": wall,
            "met": wall < TARGETS["draw_s"] and len(drawn.picks) == AGENTS}


def step_audit_seed(home: Path, url: str, params: dict) -> dict:
    """Fill the log to ``entries`` in bulk: the chain is computed with the library's digest and
    the anchor written by the library, so :func:`audit.verify` sees a valid log."""
    import sqlalchemy as sa

    from callscribe.pipeline.policy import audit
    from callscribe.pipeline.storage.schema import audit_log

    engine = _engine(url)
    seq, prev = audit.head(engine)
    wanted = params["entries"]
    started = time.perf_counter()
    at = datetime(2026, 9, 1, tzinfo=UTC)
    added = 0
    while seq < wanted:
        batch = []
        for _ in range(min(SEED_BATCH, wanted - seq)):
            seq += 1
            at += timedelta(milliseconds=250)
            subject, details = f"V-2026-{seq % 10_000:04d}", json.dumps({"calls": seq % 7}, separators=(",", ":"))
            digest = audit._digest(seq, at, "kim", "klachtendesk", "request.viewed", subject, details, prev)
            batch.append({"seq": seq, "at": at, "actor": "kim", "role": "klachtendesk", "action": "request.viewed",
                          "subject": subject, "details": details, "prev_hash": prev, "hash": digest})
            prev = digest
        with engine.begin() as conn:
            conn.execute(sa.insert(audit_log), batch)
        added += len(batch)
    audit._write_anchor(engine)
    wall = time.perf_counter() - started
    return {"rows": added, "entries": seq, "seconds": wall, "rows_per_s": added / wall if wall else 0}


def step_verify(home: Path, url: str, params: dict) -> dict:
    from callscribe.pipeline.policy import audit

    engine = _engine(url)
    started = time.perf_counter()
    result = audit.verify(engine)
    wall = time.perf_counter() - started
    return {"rows": result.entries, "seconds": wall, "rows_per_s": result.entries / wall, "ok": result.ok,
            "reason": result.reason}


def step_retention(home: Path, url: str, params: dict) -> dict:
    from callscribe.pipeline.policy import retention

    engine = _engine(url)
    now = datetime.fromisoformat(params["now"])
    started = time.perf_counter()
    report = retention.apply_retention(engine, home, now=now)
    wall = time.perf_counter() - started
    return {"rows": report.recordings_expired, "seconds": wall, "rows_per_s": report.recordings_expired / wall,
            "files": report.files_deleted, "failed": report.failed, "orphans": report.orphans_swept}


STEPS = {"ingest": step_ingest, "seed": step_seed, "listing": step_listing, "draw": step_draw,
         "audit_seed": step_audit_seed, "verify": step_verify, "retention": step_retention}


def child(step: str, home: Path, url: str, params: dict) -> None:
    # what the library imports is loaded before the baseline, so the peak above it is the step's
    import callscribe.pipeline.policy.coaching
    import callscribe.pipeline.policy.retention  # noqa: F401

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = STEPS[step](home, url, params)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["baseline_rss_mb"] = baseline
    print(json.dumps(result, default=str))


def run_step(step: str, home: Path, url: str, **params) -> dict:
    environment = {**os.environ, "CALLSCRIBE_HOME": str(home)}
    environment.pop("CALLSCRIBE_DATABASE_URL", None)
    if not url.startswith("sqlite"):
        environment["CALLSCRIBE_DATABASE_URL"] = url
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", step, "--home", str(home), "--url", url,
                           "--params", json.dumps(params)], capture_output=True, text=True, cwd=REPO, env=environment,
                          check=False)
    if done.returncode:
        raise SystemExit(f"step {step} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {step}: {time.perf_counter() - started:.1f} s {json.dumps(result, default=str)[:400]}",
          file=sys.stderr, flush=True)
    return result


# --- one back-end ------------------------------------------------------------------------------------


def measure(backend: str, scratch: Path, ingest_folder: Path, per_agent: int, audit_entries: int) -> dict:
    home = scratch / f"home-{backend}"
    home.mkdir()
    (home / "audio").mkdir()
    server = None
    if backend == "sqlite":
        url = f"sqlite:///{home / 'catalogue.sqlite'}"
    else:
        from tests import postgres

        server = postgres.start(os.environ.get(postgres.URL_VARIABLE))
        url = server.create_database()
    try:
        print(f"{backend}:", file=sys.stderr, flush=True)
        results = {"ingest": run_step("ingest", home, url, folder=str(ingest_folder))}
        results["seed"] = run_step("seed", home, url, per_agent=per_agent)
        results["listing"] = run_step("listing", home, url)
        results["draw"] = run_step("draw", home, url)
        results["audit_seed"] = run_step("audit_seed", home, url, entries=audit_entries)
        results["verify"] = run_step("verify", home, url)
        day0 = datetime.combine(first_day(), datetime.min.time(), ZONE)
        results["retention_day"] = run_step("retention", home, url,
                                            now=(day0 + timedelta(days=62, hours=23)).isoformat())
        results["retention_backlog"] = run_step("retention", home, url,
                                                now=(day0 + timedelta(days=200)).isoformat())
        results["verify_after"] = run_step("verify", home, url)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(home, ignore_errors=True)
    return results


# --- the tables -------------------------------------------------------------------------------------------


def _mb(result: dict) -> str:
    return f"{result['peak_rss_mb']:.0f} ({result['peak_rss_mb'] - result['baseline_rss_mb']:+.0f})"


def rows_of(backend: str, r: dict) -> list[list[str]]:
    flat_limit = r["retention_day"]["peak_rss_mb"] + 25
    listing = r["listing"]
    return [
        [backend, "ingest one day (real `catalogue.ingest`, PyAV probe, copy)", f"{r['ingest']['rows']:,}",
         f"{r['ingest']['seconds']:.1f}", f"{r['ingest']['rows_per_s']:,.0f}", _mb(r["ingest"]), "–"],
        [backend, "seed the other days (bulk insert, hard links)", f"{r['seed']['rows']:,}",
         f"{r['seed']['seconds']:.1f}", f"{r['seed']['rows_per_s']:,.0f}", _mb(r["seed"]), "–"],
        [backend, f"`list_recordings` page of {PAGE}, slowest of {len(listing['pages'])} filters/pages",
         f"{listing['rows']:,}", f"{listing['seconds']:.3f}", "–", _mb(listing),
         "yes" if listing["met"] else "**no**"],
        [backend, f"`callscribe recordings --state ingested --limit {PAGE} --after ID` (a new process)",
         f"{listing['rows']:,}", f"{listing['cli_seconds']:.2f}", "–", "–", "yes" if listing["cli_met"] else "**no**"],
        [backend, "`list_recordings`, every row streamed", f"{listing['all_rows']:,}",
         f"{listing['all_seconds']:.1f}", f"{listing['all_rows'] / listing['all_seconds']:,.0f}", _mb(listing), "–"],
        [backend, f"coaching draw {MONTH} ({r['draw']['employees']} employees)", f"{r['draw']['rows']:,}",
         f"{r['draw']['seconds']:.1f}", f"{r['draw']['rows'] / r['draw']['seconds']:,.0f}", _mb(r["draw"]),
         "yes" if r["draw"]["met"] else "**no**"],
        [backend, "audit log filled (bulk, library digest)", f"{r['audit_seed']['rows']:,}",
         f"{r['audit_seed']['seconds']:.1f}", f"{r['audit_seed']['rows_per_s']:,.0f}", _mb(r["audit_seed"]), "–"],
        [backend, "`audit.verify`" + ("" if r["verify"]["ok"] else " (**not ok**)"), f"{r['verify']['rows']:,}",
         f"{r['verify']['seconds']:.1f}", f"{r['verify']['rows_per_s']:,.0f}", _mb(r["verify"]), "–"],
        [backend, "retention: one day expires (+ orphan sweep of the store)", f"{r['retention_day']['rows']:,}",
         f"{r['retention_day']['seconds']:.1f}", f"{r['retention_day']['rows_per_s']:,.0f}",
         _mb(r["retention_day"]), "–"],
        [backend, "retention: the backlog", f"{r['retention_backlog']['rows']:,}",
         f"{r['retention_backlog']['seconds']:.1f}", f"{r['retention_backlog']['rows_per_s']:,.0f}",
         _mb(r["retention_backlog"]),
         "yes (flat)" if r["retention_backlog"]["peak_rss_mb"] <= flat_limit else "**no** (grows)"],
    ]


NOTES = (
    "Rows: one day is 200 agents × 40 calls. The ingested day's audio is 8,000 distinct 4 KB WAV files that "
    "`ingest` hashes, probes, decodes the tail of and copies (the CSV states each call's duration, as an "
    "export does); the other days are bulk-inserted rows whose "
    "audio is a hard link to a small WAV (retention deletes each link as it would a file), no transcript "
    "folders. Targets: a page of the listing under 1 s, the draw under 10 s, retention's peak memory the "
    "same for the backlog as for one day (within 25 MB). The draw's candidates are the month's calls that "
    "qualify (at least 60 s, not failed). The daily retention run's time is mostly its sweep of the whole "
    "store for orphan files (every name in audio/ looked up, 1,000 at a time): the backlog run deletes "
    "at thousands of rows a second."
)


def write_tables(measured: dict, command: str, started: datetime, wall: float) -> str:
    RESULTS.mkdir(exist_ok=True)
    record = {"command": command, "date": started.date().isoformat(), "started": started.isoformat(),
              "wall_s": wall, "cpus": os.cpu_count(), "machine": platform.machine(),
              "python": platform.python_version(), "targets": TARGETS, "backends": measured}
    (RESULTS / "scale.json").write_text(json.dumps(record, indent=1, default=str) + "\n")
    lines = [
        (f"`{command}`, {started.date().isoformat()}, {os.cpu_count()} CPUs ({platform.machine()}, shared), "
         f"Python {platform.python_version()}, {wall / 60:.0f} min in all. Peak RSS of the step's own "
         "process in MB (in brackets: above the process after importing the library)."),
        "",
        "| back-end | step | rows | seconds | rows/s | peak RSS MB | target met |",
        "|---|---|---|---|---|---|---|",
    ]
    for backend, result in measured.items():
        lines += ["| " + " | ".join(row) + " |" for row in rows_of(backend, result)]
    lines += ["", NOTES]
    lines += ["", "Listing pages of the library (best of three, seconds):", "",
              "| filter / page | " + " | ".join(measured) + " |", "|---|" + "---|" * len(measured)]
    names = next(iter(measured.values()))["listing"]["pages"]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(
            f"{m['listing']['pages'][name]['seconds']:.3f} ({m['listing']['pages'][name]['rows']} rows)"
            for m in measured.values()) + " |")
    text = "\n".join(lines) + "\n"
    (RESULTS / "scale.md").write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DAYS * AGENTS * 40,
                        help=f"rows in the window ({DAYS} days of {AGENTS} agents; default 40 calls a day each)")
    parser.add_argument("--audit-entries", type=int, default=1_000_000)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--quick", action="store_true", help="a small check: 12,600 rows, 50,000 audit entries")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave benchmarks/results alone")
    parser.add_argument("--tables-from", type=Path, metavar="JSON",
                        help="rewrite scale.md from a scale.json of an earlier run, measuring nothing")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.home), args.url, json.loads(args.params))
        return
    if args.tables_from:
        record = json.loads(args.tables_from.read_text())
        print(write_tables(record["backends"], record["command"], datetime.fromisoformat(record["started"]),
                           record["wall_s"]))
        return
    if args.quick:
        args.rows, args.audit_entries = DAYS * AGENTS, 50_000
    per_agent = max(1, round(args.rows / (DAYS * AGENTS)))
    started = datetime.now(UTC)
    clock = time.perf_counter()
    measured = {}
    with tempfile.TemporaryDirectory(prefix="callscribe-scale-") as scratch:
        folder = Path(scratch) / "ingest"
        made = make_ingest_folder(folder, per_agent)
        print(f"{made:,} WAV files for the ingest day in {time.perf_counter() - clock:.0f} s; "
              f"{DAYS * AGENTS * per_agent:,} rows per back-end", file=sys.stderr, flush=True)
        for backend in args.backends:
            measured[backend] = measure(backend, Path(scratch), folder, per_agent, args.audit_entries)
    command = "python benchmarks/scale.py " + " ".join(sys.argv[1:])
    text = write_tables(measured, command.strip(), started, time.perf_counter() - clock) if not args.no_write \
        else json.dumps(measured, indent=1, default=str)
    print(text)


if __name__ == "__main__":
    main()
