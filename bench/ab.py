"""Two checkouts measured side by side, with the machine's drift taken out.

    python3 -m bench.ab OTHER_CHECKOUT [--rounds 3] [--seconds 8]

Two full runs of one commit, minutes apart, differ by up to 30% on a shared machine: its pace drifts,
so two commits' full runs cannot show a 5% difference either way. This serves both checkouts at once,
each with its own gunicorn on its own copy of its own seed (an idle server costs nothing), and
measures them in alternation: every load of `python3 dev.py bench`, A then B, then B then A in the
next round, so each pair shares the same minute. The in-process steps (round close, exports, diff)
alternate the same way, each on a fresh copy. It prints the median of each figure per checkout and
B / A, and writes var/bench-ab.json.

OTHER_CHECKOUT (A) is a worktree of an earlier commit with its own .venv; its seed is
codeofconduct_bench_other_seed and it serves on BENCH_PORT + 1. This checkout is B.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import PORT, REDIS_URL, ROOT, SERVER, log  # noqa: E402
from bench.load import ensure_wrk, read_plans, vote_plan, write_baseline_plan, wrk  # noqa: E402

# Run by each checkout's own Python in its own folder, with the modules it has (bench/run.py held
# them all before it was split).
SIDE = """
import json, sys
from pathlib import Path
from urllib.parse import urlsplit
sys.path.insert(0, ".")
try:
    from bench.common import SERVER
    from bench.database import ensure_seed, fresh_copy, inproc, manage
    from bench.server import Server
except ImportError:
    from bench.run import SERVER, Server, ensure_seed, fresh_copy, inproc, manage
name = urlsplit(SERVER).path.lstrip("/")
ensure_seed(name + "_seed")
fresh_copy(name + "_seed", name)
step, *args = sys.argv[1:]
if step == "serve":
    manage(name, "collectstatic", "--noinput", "-v0")
    plan = inproc(name, "prepare")
    with Server(name, Path(args[0])) as server:
        print("PLAN " + json.dumps(plan), flush=True)
        sys.stdin.read()
        print("RSS " + json.dumps(server.peak_rss_mb()), flush=True)
else:
    print("RESULT " + json.dumps(inproc(name, step, *args)), flush=True)
"""

SLUGS = ("bench-1x", "bench-10x")
ENDPOINTS = ("clause_api", "draft_page", "clause_list", "vote", "search")


class Side:
    def __init__(self, label: str, root: Path, port: int, database: str, redis_db: int):
        self.label, self.root, self.port = label, root, port
        parts = urlsplit(SERVER)
        redis = urlsplit(REDIS_URL)
        self.base = f"http://127.0.0.1:{port}"
        # Each its own Redis database: the two releases must not read each other's cached pages.
        self.env = {
            **os.environ,
            "BENCH_PORT": str(port),
            "BENCH_DATABASE_URL": parts._replace(path=f"/{database}").geturl(),
            "BENCH_REDIS_URL": redis._replace(path=f"/{redis_db}").geturl(),
        }
        self.redis_url = self.env["BENCH_REDIS_URL"]

    def command(self, *args: str) -> list[str]:
        return [str(self.root / ".venv" / "bin" / "python"), "-c", SIDE, *args]

    def serve(self, log_path: Path) -> dict:
        subprocess.run(["redis-cli", "-u", self.redis_url, "flushdb"], check=True, capture_output=True)
        self.process = subprocess.Popen(
            self.command("serve", str(log_path)),
            cwd=self.root,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in self.process.stdout:
            if line.startswith("PLAN "):
                return json.loads(line[5:])
            print(f"  {self.label}: {line.rstrip()}", flush=True)
        sys.exit(f"{self.label} did not start; see {log_path}")

    def stop(self) -> float:
        self.process.stdin.close()
        rss = next(json.loads(line[4:]) for line in self.process.stdout if line.startswith("RSS "))
        self.process.wait()
        return rss

    def inproc(self, step: str, *args: str) -> dict:
        result = subprocess.run(self.command(step, *args), cwd=self.root, env=self.env, capture_output=True, text=True)
        if result.returncode:
            sys.exit(f"{self.label}: {step} failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(next(line[7:] for line in result.stdout.splitlines() if line.startswith("RESULT ")))


def loads(plan: dict) -> dict:
    """Every load of the full benchmark, by name: the baselines and each endpoint at 1x and 10x."""
    reads = {slug: read_plans(plan, slug) for slug in SLUGS}
    named = {"baseline_read": reads["bench-1x"]["baseline_read"], "baseline_write": write_baseline_plan()}
    for slug in SLUGS:
        voters = range(0, 100) if slug == "bench-1x" else range(100, 200)
        for endpoint in ENDPOINTS:
            named[f"{endpoint}@{slug}"] = vote_plan(plan, slug, voters) if endpoint == "vote" else reads[slug][endpoint]
    return named


def medians(samples: dict) -> dict:
    return {key: statistics.median(values) for key, values in samples.items()}


def ratios(medians: dict) -> dict:
    """Each endpoint's ratio to its baseline as the full benchmark reports it, and the close's."""
    ratio = {"close_10x_vs_1x": medians["close_seconds@bench-10x"] / medians["close_seconds@bench-1x"]}
    for slug in SLUGS:
        for endpoint in ENDPOINTS:
            key = f"{endpoint}@{slug}"
            if endpoint == "search":
                ratio[f"{key}/draft_page"] = medians[key] / medians[f"draft_page@{slug}"]
            else:
                baseline = "baseline_write" if endpoint == "vote" else "baseline_read"
                ratio[f"{key}/{baseline}"] = medians[key] / medians[baseline]
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="the earlier checkout (A), with its own .venv")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--only", help="the loads whose name holds this (e.g. vote); no in-process steps")
    options = parser.parse_args()
    name = urlsplit(SERVER).path.lstrip("/")
    sides = [
        Side("A", options.other.resolve(), PORT + 1, f"{name}_other", 10),
        Side("B", ROOT, PORT, name, 9),
    ]
    ensure_wrk()
    logs = Path(tempfile.mkdtemp(prefix="bench-ab-"))
    started = time.time()
    # One after the other: generating a seed takes both cores.
    plans = {side.label: side.serve(logs / f"{side.label}.log") for side in sides}
    named = {side.label: loads(plans[side.label]) for side in sides}
    if options.only:
        named = {label: {k: v for k, v in lines.items() if options.only in k} for label, lines in named.items()}
    samples = {side.label: {} for side in sides}
    try:
        log("warming up")
        for side in sides:
            for lines in named[side.label].values():
                wrk(lines, 2, side.base)
        for turn in range(options.rounds):
            order = sides if turn % 2 == 0 else sides[::-1]
            for key in named["A"]:
                log(f"round {turn + 1}: {key}")
                for side in order:
                    measured = wrk(named[side.label][key], options.seconds, side.base)
                    samples[side.label].setdefault(key, []).append(measured["rps"])
    finally:
        rss = {side.label: side.stop() for side in sides}
    for turn in range(0 if options.only else options.rounds):
        order = sides if turn % 2 == 0 else sides[::-1]
        for side in order:
            log(f"round {turn + 1}: in process, {side.label}")
            for slug in SLUGS:
                samples[side.label].setdefault(f"close_seconds@{slug}", []).append(
                    side.inproc("close", slug)["seconds"]
                )
            exports = side.inproc("exports", "bench-10x")
            samples[side.label].setdefault("pdf_vs_weasyprint", []).append(
                exports["pdf_seconds"] / exports["weasyprint_seconds"]
            )
            samples[side.label].setdefault("docx_seconds", []).append(exports["docx_seconds"])
            diff = side.inproc("diff")
            samples[side.label].setdefault("diff_10x", []).append(diff["ten_seconds"] / diff["one_seconds"])

    result = {side.label: medians(samples[side.label]) for side in sides}
    for side in sides:
        if not options.only:
            result[side.label] |= ratios(result[side.label])
        result[side.label]["web_worker_rss_mb"] = rss[side.label]
    print(f"\n{'figure':<42}{'A':>12}{'B':>12}{'B / A':>9}")
    for key in result["A"]:
        a, b = result["A"][key], result["B"][key]
        print(f"{key:<42}{a:>12.3f}{b:>12.3f}{b / a:>9.3f}")
    out = ROOT / "var" / "bench-ab.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "A": str(sides[0].root),
                "B": str(sides[1].root),
                "rounds": options.rounds,
                "seconds": options.seconds,
                "minutes": round((time.time() - started) / 60, 1),
                "samples": samples,
                "medians": result,
            },
            indent=1,
        )
    )
    log(f"written {out}")


if __name__ == "__main__":
    main()
