"""End to end against bare faster-whisper: wall, CPU, peak memory and WER on the calls of
../shared/eval/calls-nl, studio and telephone.

For each set (the four studio calls, then their four 8 kHz G.711 versions) and each round, in an
order that rotates every round, three ways of transcribing the same four calls run as fresh
processes:

- ``bare``: ``benchmarks/bare_calls.py``: faster-whisper alone, same model folder, compute type,
  threads, decoding options (narrow-band VAD threshold on the telephone set, as callscribe picks
  it), seed and concurrency (``max_parallel`` calls at a time on one model), each channel on its
  own; no catalogue, Prefect, redaction or audit.
- ``embedded``: ``callscribe ingest`` then ``callscribe transcribe ID...`` (one command, four
  calls, through the catalogue and the ``transcribe-recordings`` flow, redaction and audit
  included), with Prefect's temporary server, in a home whose Prefect database exists.
- ``server``: the same two commands in a home where ``callscribe server --no-worker`` runs
  (started once, before the rounds; its start-up is reported, its CPU and memory are not in the
  runs'); without a worker ``transcribe`` runs the flow itself on that server, as it did before
  servers had workers (with one it would hand the run over and return at once).

Between ingest and transcribe the benchmark files a complaint and an approved transcript request
per call through the library (the purpose a transcription needs); that is not timed. Every run
ingests the calls under new ids. Per run: wall (ingest + transcribe), CPU (user + system of the
command and its children, from ``wait4``), peak RSS (the largest process, from ``wait4``; and the
whole process tree, sampled every 0.1 s) and WER per channel of the unredacted transcript (read
back with the transcript key) against refs.json, normalised as ../shared/eval/score_wer.py does.

Writes benchmarks/results/calls.md and .json. Run it alone on the machine: it uses both cores.

Usage: python benchmarks/calls.py [--eval-dir ../shared/eval] [--rounds 3] [--limit N]
       [--sets studio telephone] [--modes bare embedded server]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from telephone import CHANNELS, norm  # this folder: WER normalised as ../shared/eval/score_wer.py

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
SETS = {"studio": "{}.flac", "telephone": "{}-tel.wav"}
MODES = ("bare", "embedded", "server")
TARGETS = {"wall": 1.10, "rss": 1.5}


def measured(command: list[str], env: dict, output: bool = False) -> dict:
    """Run ``command``; its wall time, CPU seconds and peak memory (largest process; process tree),
    and with ``output`` what it printed (``stdout``)."""
    import psutil

    started = time.perf_counter()
    printed = tempfile.TemporaryFile() if output else subprocess.DEVNULL  # read after wait4 reaps the process
    proc = subprocess.Popen(command, env=env, stdout=printed, stderr=subprocess.PIPE)
    tree_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            total = 0
            try:
                for member in [root, *root.children(recursive=True)]:
                    try:
                        total += member.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            tree_peak = max(tree_peak, total)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{shlex.join(command)} failed ({proc.returncode}):\n{stderr.decode(errors='replace')[-2000:]}")
    result = {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
              "rss_mb": usage.ru_maxrss / 1024, "tree_mb": tree_peak / 2**20}
    if output:
        printed.seek(0)
        result["stdout"] = printed.read().decode(errors="replace")
        printed.close()
    return result


def combined(*runs: dict) -> dict:
    return {"wall_s": sum(r["wall_s"] for r in runs), "cpu_s": sum(r["cpu_s"] for r in runs),
            "rss_mb": max(r["rss_mb"] for r in runs), "tree_mb": max(r["tree_mb"] for r in runs)}


class Home:
    """A callscribe home with its users, key file and environment."""

    def __init__(self, root: Path, name: str):
        self.path = root / name
        self.path.mkdir(mode=0o700)
        self.env = {
            **os.environ,
            "CALLSCRIBE_HOME": str(self.path),
            "CALLSCRIBE_TRANSCRIPT_KEY_FILE": str(root / f"{name}.key"),
            "CALLSCRIBE_IDENTITY": "env",
            "CALLSCRIBE_USER": "anna",
        }
        self.env.pop("PREFECT_API_URL", None)
        self.runs = 0
        self.server_pid: int | None = None  # `callscribe server` of this home, when one runs
        subprocess.run([BIN / "callscribe", "keys", "create"], env=self.env, check=True, capture_output=True)
        subprocess.run([BIN / "callscribe", "users", "add", "anna", "--role", "manager"], env=self.env, check=True,
                       capture_output=True)
        for user, role in (("kim", "klachtendesk"), ("bob", "teamleider")):
            subprocess.run([BIN / "callscribe", "users", "add", user, "--role", role], env=self.env, check=True,
                           capture_output=True)

    def metadata(self, calls_dir: Path, set_name: str, calls: list[str], tag: str) -> tuple[Path, dict[str, str]]:
        """A metadata CSV of ``calls`` under new ids; returns it and new id → call."""
        import csv

        with open(calls_dir / "calls.csv", encoding="utf-8", newline="") as handle:
            rows = {row["file"]: row for row in csv.DictReader(handle)}
        out = self.path.parent / f"{self.path.name}-{tag}.csv"
        ids = {}
        with open(out, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=next(iter(rows.values())).keys())
            writer.writeheader()
            for call in calls:
                row = dict(rows[SETS[set_name].format(call)])
                row["call_id"] = f"{call}-{tag}"
                ids[row["call_id"]] = call
                writer.writerow(row)
        return out, ids

    def approve(self, call_ids: list[str]) -> None:
        """A complaint and an approved transcript request per call (untimed): the calls' purpose."""
        script = (
            "import sys\n"
            "from datetime import UTC, datetime\n"
            "from callscribe.pipeline.policy import complaints\n"
            "from callscribe.pipeline.settings import get_settings\n"
            "from callscribe.pipeline.storage import catalogue\n"
            "engine = catalogue.get_engine(get_settings().catalogue_url)\n"
            "ids = sys.argv[1:]\n"
            "c = complaints.register_complaint(engine, 'kim', channel='telefoon', received_at=datetime.now(UTC),\n"
            "    description='Benchmark.', call_ids=tuple(ids))\n"
            "for i in ids:\n"
            "    r = complaints.create_request(engine, 'kim', kind='transcript', call_id=i,\n"
            "        reason='Benchmark van de transcriptie van dit gesprek.', complaint_id=c.complaint_id)\n"
            "    complaints.approve_request(engine, 'bob', r.request_id)\n"
        )
        subprocess.run([sys.executable, "-c", script, *call_ids], env=self.env, check=True)

    def texts(self, call_ids: dict[str, str]) -> dict[str, list[str]]:
        """The unredacted text per channel of each transcribed call, read back with the key."""
        script = (
            "import json, sys\n"
            "from callscribe.pipeline.settings import get_settings\n"
            "from callscribe.pipeline.storage import transcripts\n"
            "s = get_settings()\n"
            "key = transcripts.load_key(s.transcript_key, s.transcript_key_file, s.home)\n"
            "out = {}\n"
            "for i in sys.argv[1:]:\n"
            "    t = transcripts.read_raw(transcripts.TranscriptFolder.of(s.transcripts_dir, i).path, key)\n"
            "    out[i] = [' '.join(x.text.strip() for x in t.segments if x.speaker == spk) for spk in t.speakers]\n"
            "print(json.dumps(out))\n"
        )
        found = subprocess.run([sys.executable, "-c", script, *call_ids], env=self.env, check=True,
                               capture_output=True, text=True)
        return {call_ids[i]: texts for i, texts in json.loads(found.stdout).items()}

    def _server_cpu(self) -> float | None:
        import psutil

        if self.server_pid is None:
            return None
        times = psutil.Process(self.server_pid).cpu_times()
        return times.user + times.system

    def run(self, calls_dir: Path, set_name: str, calls: list[str]) -> tuple[dict, dict[str, list[str]]]:
        self.runs += 1
        tag = f"{set_name[:3].upper()}{self.runs}"
        csv_path, ids = self.metadata(calls_dir, set_name, calls, tag)
        ingest = measured([str(BIN / "callscribe"), "ingest", str(calls_dir / "calls"), "--metadata", str(csv_path)],
                          self.env)
        self.approve(list(ids))
        before = self._server_cpu()
        transcribe = measured([str(BIN / "callscribe"), "transcribe", *ids], self.env)
        result = combined(ingest, transcribe)
        if before is not None:
            result["server_cpu_s"] = self._server_cpu() - before
        result["ingest_s"], result["transcribe_s"] = ingest["wall_s"], transcribe["wall_s"]
        return result, self.texts(ids)


def bare(root: Path, model_dir: str, calls_dir: Path, set_name: str, calls: list[str]) -> tuple[dict, dict]:
    out = root / "bare.json"
    files = [str(calls_dir / "calls" / SETS[set_name].format(call)) for call in calls]
    flags = ["--narrowband"] if set_name == "telephone" else []
    env = {**os.environ}
    result = measured([sys.executable, str(HERE / "bare_calls.py"), model_dir, str(out), *flags, *files], env)
    found = json.loads(out.read_text(encoding="utf-8"))
    return result, {call: found[path] for call, path in zip(calls, files)}


def wer(refs: dict, texts: dict[str, list[str]]) -> dict[str, float]:
    """WER per call and channel, and over the set."""
    import jiwer

    scores, ref_all, hyp_all = {}, [], []
    for call, channels in sorted(texts.items()):
        for speaker, hypothesis in zip(CHANNELS, channels):
            ref, hyp = norm(refs[call][speaker]), norm(hypothesis)
            scores[f"{call}/{speaker}"] = jiwer.wer(ref, hyp)
            ref_all.append(ref)
            hyp_all.append(hyp)
    scores["all"] = jiwer.wer(ref_all, hyp_all)
    return scores


def start_server(home: Home) -> tuple[subprocess.Popen, float]:
    """``callscribe server`` for ``home``; returns it and the seconds until it answered."""
    started = time.perf_counter()
    server = subprocess.Popen([str(BIN / "callscribe"), "server", "--port", str(_free_port()), "--no-worker"],
                              env=home.env, stderr=subprocess.PIPE, text=True)
    line = server.stderr.readline()  # written once it answers
    if "Prefect server" not in line:
        server.kill()
        sys.exit(f"callscribe server did not start: {line}{server.stderr.read()[-2000:]}")
    return server, time.perf_counter() - started


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO.parent / "shared" / "eval")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="only the first N calls (quick check)")
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--out", type=Path, default=HERE / "results" / "calls")
    args = parser.parse_args()

    from callscribe.pipeline import process
    from callscribe.pipeline.settings import get_settings

    calls_dir = args.eval_dir / "calls-nl"
    refs = json.loads((calls_dir / "refs.json").read_text(encoding="utf-8"))
    calls = sorted(refs)[: args.limit or None]
    settings = get_settings()
    model_dir = process.model_info(settings).path
    began = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="callscribe-bench-"))
    homes = {mode: Home(root, mode) for mode in args.modes if mode != "bare"}
    setup = {}
    server = None
    try:
        # The first flow run in a new home creates Prefect's database: measured once, then not again.
        for mode, home in homes.items():
            if mode == "server":
                server, setup["server_start_s"] = start_server(home)
                home.server_pid = server.pid
                print(f"callscribe server answered after {setup['server_start_s']:.1f} s", flush=True)
            first, _ = home.run(calls_dir, args.sets[0], calls[:1])
            setup[f"{mode}_first_run_s"] = first["wall_s"]
            print(f"{mode}: first run in a new home (one call) {first['wall_s']:.1f} s", flush=True)
        runs = []
        for round_no in range(1, args.rounds + 1):
            for set_name in args.sets:
                order = args.modes[(round_no - 1) % len(args.modes):] + args.modes[: (round_no - 1) % len(args.modes)]
                for mode in order:
                    if mode == "bare":
                        result, texts = bare(root, model_dir, calls_dir, set_name, calls)
                    else:
                        result, texts = homes[mode].run(calls_dir, set_name, calls)
                    result.update(round=round_no, set=set_name, mode=mode, wer=wer(refs, texts), texts=texts)
                    runs.append(result)
                    print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in result.items()
                                      if k not in ("texts", "wer")} | {"wer": round(result["wer"]["all"], 4)}),
                          flush=True)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    command = "python benchmarks/calls.py " + shlex.join(sys.argv[1:])
    write(args.out, runs, setup, calls, settings, command.strip(), time.perf_counter() - began)


def write(out: Path, runs: list[dict], setup: dict, calls: list[str], settings, command: str, seconds: float) -> None:
    sets = list(dict.fromkeys(r["set"] for r in runs))
    modes = list(dict.fromkeys(r["mode"] for r in runs))
    median = {}
    for set_name in sets:
        for mode in modes:
            mine = [r for r in runs if r["set"] == set_name and r["mode"] == mode]
            median[set_name, mode] = {k: statistics.median(r[k] for r in mine) for k in ("wall_s", "cpu_s", "rss_mb", "tree_mb")}
            median[set_name, mode]["wer"] = mine[0]["wer"]["all"]
            median[set_name, mode]["paired"] = statistics.median(
                r["wall_s"] / next(b["wall_s"] for b in runs if b["set"] == set_name and b["mode"] == "bare"
                                   and b["round"] == r["round"]) for r in mine) if "bare" in modes else None
            median[set_name, mode]["server_cpu_s"] = (statistics.median(r["server_cpu_s"] for r in mine)
                                                      if "server_cpu_s" in mine[0] else None)
            median[set_name, mode]["same_text"] = all(r["texts"] == mine[0]["texts"] for r in mine)
    lines = [
        (f"Calls: {len(calls)} stereo calls of ../shared/eval/calls-nl per set, studio (16 kHz FLAC) and telephone "
         f"(8 kHz G.711 μ-law); bundled Whisper base, {settings.compute_type}, {settings.cpu_threads} threads, "
         f"beam {settings.beam_size}, {settings.max_parallel} recording(s) at a time."),
        f"Run: {time.strftime('%Y-%m-%d %H:%M %Z')}, {seconds / 60:.1f} min on {os.cpu_count()} cores. Command: `{command}`",
        "",
        "## Medians per set and way (ratios against bare in the same set)",
        "",
        ("| set | way | wall (s) | × bare | × bare, same round | CPU (s) | × bare | peak RSS, largest process (MB) "
         "| × bare | peak RSS, process tree (MB) | × bare | WER | text as bare |"),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for set_name in sets:
        base = median.get((set_name, "bare"))
        for mode in modes:
            m = median[set_name, mode]

            def ratio(key: str, m=m, base=base) -> str:
                return f"{m[key] / base[key]:.2f}" if base else "–"

            same = "–"
            if base and mode != "bare":
                bare_texts = next(r["texts"] for r in runs if r["set"] == set_name and r["mode"] == "bare")
                mine = [r["texts"] for r in runs if r["set"] == set_name and r["mode"] == mode]
                same = "yes" if all(t == bare_texts for t in mine) else "no"
            paired = f"{m['paired']:.2f}" if m["paired"] is not None else "–"
            cpu = f"{m['cpu_s']:.1f}" + (f" (+{m['server_cpu_s']:.1f} server)" if m["server_cpu_s"] is not None else "")
            lines.append(f"| {set_name} | {mode} | {m['wall_s']:.1f} | {ratio('wall_s')} | {paired} | {cpu} | "
                         f"{ratio('cpu_s')} | {m['rss_mb']:.0f} | {ratio('rss_mb')} | {m['tree_mb']:.0f} | "
                         f"{ratio('tree_mb')} | {m['wer']:.3f} | {same} |")
    lines += ["", "## Every run", "",
              "| round | set | way | wall (s) | ingest (s) | transcribe (s) | CPU (s) | server CPU (s) | RSS (MB) | tree (MB) | WER |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        server_cpu = f"{r['server_cpu_s']:.1f}" if "server_cpu_s" in r else "–"
        lines.append(f"| {r['round']} | {r['set']} | {r['mode']} | {r['wall_s']:.1f} | {r.get('ingest_s', 0):.1f} | "
                     f"{r.get('transcribe_s', r['wall_s']):.1f} | {r['cpu_s']:.1f} | {server_cpu} | "
                     f"{r['rss_mb']:.0f} | {r['tree_mb']:.0f} | {r['wer']['all']:.3f} |")
    lines += ["", "## WER per call and channel (first run of each way)", "",
              "| set | call/channel | " + " | ".join(modes) + " |", "|---|---|" + "---|" * len(modes)]
    for set_name in sets:
        first = {mode: next(r for r in runs if r["set"] == set_name and r["mode"] == mode) for mode in modes}
        for key in first[modes[0]]["wer"]:
            lines.append(f"| {set_name} | {key} | " + " | ".join(f"{first[m]['wer'][key]:.3f}" for m in modes) + " |")
    lines += ["", "## Set-up, once", ""]
    lines += [f"- {key.replace('_', ' ')}: {value:.1f}" for key, value in setup.items()]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps({"command": command, "setup": setup, "runs": [
        {k: v for k, v in r.items() if k != "texts"} for r in runs]}, indent=1), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
