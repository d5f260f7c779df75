"""Fan-out: throughput of ``callscribe transcribe`` with the flow's tasks on threads in one
process against a local Dask cluster of two worker processes, on the calls of ../shared/eval/calls-nl.

Two homes, the same four studio calls ingested under new ids for every run (untimed: ingest, a
complaint and an approved request per call), then ``callscribe transcribe ID...`` as a fresh
process, alternating the two ways every round:

- ``threads``: the default: one process, its thread pool (``CALLSCRIBE_MAX_PARALLEL`` from the
  cores, Whisper threads ``CALLSCRIBE_CPU_THREADS``), one Whisper model;
- ``threads-Nx1`` (with ``--ways``): one process, ``CALLSCRIBE_MAX_PARALLEL=N`` recordings at a
  time with one Whisper thread each, one model serving N at once;
- ``dask-N``: ``CALLSCRIBE_DASK_WORKERS=N``: the flow starts a ``LocalCluster`` of N worker
  processes with one task thread each and ``cores ÷ N`` Whisper threads; one model per process.

Per run: the flow's own wall time and audio minutes (from the summary ``transcribe`` prints:
throughput = audio minutes per wall minute; the cluster starts before the flow's clock), the
command's wall (with Prefect's temporary server and the cluster's start), CPU (the command and its
children, ``wait4``), peak RSS of the process tree (sampled every 0.1 s), and WER of the
unredacted text against refs.json.

Writes benchmarks/results/fanout.md and .json. Run it alone on the machine: it uses every core.

Usage: python benchmarks/fanout.py [--eval-dir ../shared/eval] [--rounds 2] [--workers 2] [--limit N]
       [--ways threads threads-Nx1 dask-N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from calls import BIN, Home, measured, wer  # this folder

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
_SUMMARY = re.compile(r"audio: ([0-9.]+) min in ([0-9.]+) s")


def run(home: Home, calls_dir: Path, calls: list[str]) -> dict:
    """Ingest ``calls`` under new ids (untimed), then one measured ``callscribe transcribe``."""
    home.runs += 1
    csv_path, ids = home.metadata(calls_dir, "studio", calls, f"F{home.runs}")
    subprocess.run([BIN / "callscribe", "ingest", str(calls_dir / "calls"), "--metadata", str(csv_path)],
                   env=home.env, check=True, capture_output=True)
    home.approve(list(ids))
    result = measured([str(BIN / "callscribe"), "transcribe", *ids], home.env, output=True)
    found = _SUMMARY.search(result.pop("stdout"))
    if not found:
        sys.exit("callscribe transcribe printed no summary line")
    result["audio_min"], result["flow_s"] = float(found[1]), float(found[2])
    result["throughput"] = result["audio_min"] / (result["flow_s"] / 60)
    result["texts"] = home.texts(ids)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes of the second way")
    parser.add_argument("--limit", type=int, default=0, help="only the first N calls (quick check)")
    parser.add_argument("--ways", nargs="+", choices=["threads", "threads-Nx1", "dask-N"], default=["threads", "dask-N"])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "fanout")
    args = parser.parse_args()

    from callscribe.pipeline.settings import get_settings, available_cores

    calls_dir = args.eval_dir / "calls-nl"
    refs = json.loads((calls_dir / "refs.json").read_text(encoding="utf-8"))
    calls = sorted(refs)[: args.limit or None]
    settings = get_settings()
    began = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="callscribe-fanout-"))
    environments = {"threads": {}, "threads-Nx1": {"CALLSCRIBE_MAX_PARALLEL": str(args.workers), "CALLSCRIBE_CPU_THREADS": "1"},
                    "dask-N": {"CALLSCRIBE_DASK_WORKERS": str(args.workers)}}
    ways = {}
    for way in args.ways:
        name = way.replace("N", str(args.workers))
        ways[name] = Home(root, name)
        ways[name].env.update(environments[way])
    for way, home in ways.items():  # the first run in a new home creates Prefect's database: not counted
        first = run(home, calls_dir, calls[:1])
        print(f"{way}: first run in a new home (one call) {first['wall_s']:.1f} s", flush=True)
    runs = []
    for round_no in range(1, args.rounds + 1):
        shift = (round_no - 1) % len(ways)
        order = list(ways)[shift:] + list(ways)[:shift]
        for way in order:
            result = run(ways[way], calls_dir, calls)
            result.update(round=round_no, way=way, wer=wer(refs, result.pop("texts")))
            runs.append(result)
            print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in result.items() if k != "wer"}
                             | {"wer": round(result["wer"]["all"], 4)}), flush=True)
    command = ("python benchmarks/fanout.py " + shlex.join(sys.argv[1:])).strip()
    write(args.out, runs, list(ways), calls, settings, available_cores(), command, time.perf_counter() - began)


def write(out: Path, runs: list[dict], ways: list[str], calls: list[str], settings, cores: int, command: str,
          seconds: float) -> None:
    median = {way: {key: statistics.median(r[key] for r in runs if r["way"] == way)
                    for key in ("throughput", "flow_s", "wall_s", "cpu_s", "tree_mb")} for way in ways}
    base = median[ways[0]]
    lines = [
        (f"Calls: the {len(calls)} studio calls of ../shared/eval/calls-nl "
         f"({runs[0]['audio_min']:.1f} audio minutes) per run; bundled Whisper base, {settings.compute_type}, "
         f"beam {settings.beam_size}; {cores} cores."),
        f"Run: {time.strftime('%Y-%m-%d %H:%M %Z')}, {seconds / 60:.1f} min. Command: `{command}`",
        "",
        "| way | throughput (audio min / wall min) | × threads | flow wall (s) | command wall (s) | CPU (s) "
        "| peak RSS, process tree (MB) | WER |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for way in ways:
        m = median[way]
        first = next(r for r in runs if r["way"] == way)
        lines.append(f"| {way} | {m['throughput']:.2f} | {m['throughput'] / base['throughput']:.2f} | "
                     f"{m['flow_s']:.1f} | {m['wall_s']:.1f} | {m['cpu_s']:.1f} | {m['tree_mb']:.0f} | "
                     f"{first['wer']['all']:.3f} |")
    lines += ["", "Medians over the rounds. Every run:", "",
              "| round | way | throughput | flow (s) | command (s) | CPU (s) | tree (MB) | WER |",
              "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r['round']} | {r['way']} | {r['throughput']:.2f} | {r['flow_s']:.1f} | {r['wall_s']:.1f} | "
                     f"{r['cpu_s']:.1f} | {r['tree_mb']:.0f} | {r['wer']['all']:.3f} |")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps({"command": command, "cores": cores, "runs": runs}, indent=1),
                                        encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
