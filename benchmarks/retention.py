"""Retention benchmark: wall time and peak memory of a dry run and a real run over a catalogue of
10,000 and 100,000 recordings with small files (audio + redacted.json per row).

    python benchmarks/retention.py [--sizes 10000 100000]

Each run happens in a fresh subprocess (so peak RSS belongs to that run alone); a second pair of
runs over a rebuilt store measures the peak of Python allocations with tracemalloc. Writes
benchmarks/results/retention.md and retention.json. Not a test: tests assert behaviour, not speed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
RESULTS = REPO / "benchmarks" / "results"
NOW = datetime.fromisoformat("2026-11-29T02:30:00+01:00")
EXPIRED_SHARE = 0.9


def build(home: Path, rows: int) -> None:
    """``rows`` catalogue rows, 90 % past expiry, each with a 9-byte audio file and a redacted.json."""
    import sqlalchemy as sa

    from callscribe.pipeline.storage import catalogue

    engine = catalogue.get_engine(f"sqlite:///{home / 'catalogue.sqlite'}")
    (home / "audio").mkdir(parents=True, exist_ok=True)
    (home / "transcripts").mkdir(exist_ok=True)
    expired = int(rows * EXPIRED_SHARE)
    oldest = NOW - timedelta(days=62 + 200)
    batch = []
    for i in range(rows):
        call_id = f"BENCH-{i:07d}"
        if i < expired:  # spread over 200 days before the cut-off
            start = oldest + timedelta(seconds=i * (200 * 86400 // max(expired, 1)))
        else:  # the last 60 days
            start = NOW - timedelta(days=60) + timedelta(seconds=(i - expired) * (59 * 86400 // max(rows - expired, 1)))
        (home / "audio" / f"{call_id}.wav").write_bytes(b"RIFFaudio")
        folder = home / "transcripts" / call_id
        folder.mkdir()
        (folder / "redacted.json").write_bytes(b"{}\n")
        batch.append(dict(call_id=call_id, call_start=start, duration_s=60.0, employee_id="MW-001",
                          caller_number="+31600000000", direction="inbound", audio_path=f"audio/{call_id}.wav",
                          sha256="0" * 64, channel_layout="stereo", state="transcribed", ingested_at=start))
        if len(batch) == 10_000:
            with engine.begin() as conn:
                conn.execute(sa.insert(catalogue.recordings), batch)
            batch = []
    if batch:
        with engine.begin() as conn:
            conn.execute(sa.insert(catalogue.recordings), batch)
    engine.dispose()


def child(home: Path, dry_run: bool, trace: bool) -> None:
    """One retention run; prints wall time, peak RSS and (with ``trace``) the tracemalloc peak."""
    import tracemalloc

    from callscribe.pipeline.policy.retention import apply_retention
    from callscribe.pipeline.storage import catalogue

    engine = catalogue.get_engine(f"sqlite:///{home / 'catalogue.sqlite'}")
    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    report = apply_retention(engine, home, now=NOW, dry_run=dry_run)
    wall = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    print(json.dumps({
        "wall_s": wall,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "baseline_rss_mb": baseline_rss / 1024,
        "traced_peak_mb": peak / 2**20 if peak is not None else None,
        "expired": report.recordings_expired,
        "files": report.files_deleted,
        "bytes": report.bytes_deleted,
    }))


def run_child(home: Path, dry_run: bool, trace: bool) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(home), "--dry-run" if dry_run else "--real"]
        + (["--trace"] if trace else []),
        check=True, capture_output=True, text=True, cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(rows: int, scratch: Path) -> dict:
    results = {}
    for trace in (False, True):
        home = scratch / f"home-{rows}-{'trace' if trace else 'time'}"
        started = time.perf_counter()
        build(home, rows)
        print(f"{rows} rows built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for dry_run in (True, False):
            result = run_child(home, dry_run, trace)
            key = ("dry" if dry_run else "real") + ("_trace" if trace else "")
            results[key] = result
            print(f"  {key}: {result}", file=sys.stderr)
    return results


def write_tables(measured: dict[int, dict]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "retention.json").write_text(json.dumps(measured, indent=1) + "\n")
    lines = [
        f"Measured on {datetime.now(UTC).date().isoformat()} on {platform.machine()} with {os.cpu_count()} "
        f"CPU(s), Python {platform.python_version()}, SQLite, local disk. Each row has a 9-byte audio file "
        f"and a 3-byte redacted.json in its own transcript folder; {EXPIRED_SHARE:.0%} of the rows are past "
        "expiry. Each run is a fresh process; peak RSS includes the interpreter and SQLAlchemy "
        "(baseline = RSS before the run); traced peak = tracemalloc's peak of Python allocations "
        "during the run (a separate run, so its time is not shown).",
        "",
        "| rows | run | recordings expired | files | wall (s) | peak RSS (MB) | baseline RSS (MB) | traced peak (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rows, result in measured.items():
        for mode in ("dry", "real"):
            timed, traced = result[mode], result[f"{mode}_trace"]
            lines.append(
                f"| {rows:,} | {'dry run' if mode == 'dry' else 'real run'} | {timed['expired']:,} | "
                f"{timed['files']:,} | {timed['wall_s']:.1f} | {timed['peak_rss_mb']:.0f} | "
                f"{timed['baseline_rss_mb']:.0f} | {traced['traced_peak_mb']:.2f} |"
            )
    (RESULTS / "retention.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--real", action="store_true")
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(Path(args.child), args.dry_run, args.trace)
        return
    measured = {}
    with tempfile.TemporaryDirectory(prefix="callscribe-retention-bench-") as scratch:
        for rows in args.sizes:
            measured[rows] = measure(rows, Path(scratch))
    write_tables(measured)


if __name__ == "__main__":
    main()
