"""The benchmark's HTTP figures while a negotiation's live streams are open.

    python3 -m bench.live_load [--subscribers 2000] [--rounds 3] [--seconds 8] [--write]

It serves one copy of the seed as the full run does (gunicorn, bench/server.py) and the live streams
with uvicorn on the same database, as docker-compose.yml's ``web`` and ``live`` services share one,
so the votes and writes of the load reach the streams as a room's would. Then every HTTP load of the
full run (bench/ab.py's ``loads``) is measured twice a round: with ``--subscribers`` streams open on
the 1x draft (from one asyncio client in this process) and with none, in alternation (quiet first,
then open first in the next round), so both share the same minutes of the machine's drift. It
prints each load's requests a second both ways and open / quiet; ``--write`` adds them to
bench/results/latest.json under ``live_subscribers`` (the goal: no load more than 5% slower).
"""

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.ab import loads  # noqa: E402
from bench.common import PORT, PYTHON, REDIS_URL, RESULTS, ROOT, SERVER, log  # noqa: E402
from bench.database import ensure_seed, environment, fresh_copy, inproc, manage  # noqa: E402
from bench.live import Subscriber  # noqa: E402
from bench.load import ensure_wrk, wrk  # noqa: E402
from bench.server import Server  # noqa: E402

# No load may lose more than this share of its requests a second while the streams are open.
WORST = 0.05


class Room:
    """``count`` streams of one draft held open from a thread of their own, opened and closed at will."""

    def __init__(self, port: int, path: str, count: int):
        self.port, self.path, self.count = port, path, count
        self.loop = asyncio.new_event_loop()
        self.tasks: list[asyncio.Task] = []
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def _run(self, coroutine, timeout: float = 300):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _open(self) -> float:
        started = time.perf_counter()
        subscribers = [Subscriber() for _ in range(self.count)]
        opened = asyncio.Semaphore(100)
        self.tasks = [asyncio.create_task(s.follow(self.port, self.path, opened)) for s in subscribers]
        await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in subscribers)), 300)
        return time.perf_counter() - started

    async def _close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks = []

    def open(self, settle: float) -> None:
        log(f"  {self.count} streams open in {self._run(self._open()):.1f} s; measured {settle:.0f} s later")
        time.sleep(settle)

    def close(self) -> None:
        self._run(self._close())
        time.sleep(2)  # the server lets them go


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used (user and system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_live(database: str, port: int) -> subprocess.Popen:
    command = [str(PYTHON), "-m", "uvicorn", "codeofconduct.asgi:application", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--log-level", "warning", "--no-access-log"]
    command += ["--backlog", "4096", "--timeout-graceful-shutdown", "2"]
    server = subprocess.Popen(command, cwd=ROOT, env=environment(database), start_new_session=True)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5)  # noqa: S310
            return server
        except urllib.error.HTTPError:
            return server  # answering (503: no worker runs beside it here)
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("uvicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument(
        "--settle",
        type=float,
        default=60,
        help="seconds between the streams opening and the measuring, so that what is measured is a room "
        "held open, its keep-alives (every 55 s, live.views.KEEP_ALIVE) and checks running, not the "
        "first quiet seconds of its streams (default: %(default)s)",
    )
    parser.add_argument("--only", help="only the loads whose name holds this (e.g. vote); not with --write")
    parser.add_argument("--write", action="store_true", help="add the figures to bench/results/latest.json")
    options = parser.parse_args()
    if options.only and options.write:
        parser.error("--write records every load: leave out --only")
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    ensure_wrk()
    name = urlsplit(SERVER).path.lstrip("/")
    ensure_seed(f"{name}_seed")
    fresh_copy(f"{name}_seed", name)
    manage(name, "collectstatic", "--noinput", "-v0")
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    plan = inproc(name, "prepare")
    named = {key: lines for key, lines in loads(plan).items() if not options.only or options.only in key}
    started = time.time()
    samples: dict[str, dict[str, list[float]]] = {"quiet": {}, "open": {}}
    # The share of a core the live node and the streams' client (this process) use, each state.
    busy: dict[str, list[tuple[float, float]]] = {"quiet": [], "open": []}
    logs = Path(tempfile.mkdtemp(prefix="bench-live-load-"))
    with Server(name, logs / "gunicorn.log"):
        live = serve_live(name, PORT + 2)
        room = Room(PORT + 2, "/live/drafts/bench-1x/events/", options.subscribers)
        try:
            log("warming up")
            for lines in named.values():
                wrk(lines, 2)
            for turn in range(options.rounds):
                for state in ("quiet", "open") if turn % 2 == 0 else ("open", "quiet"):
                    log(f"round {turn + 1}: streams {state}")
                    if state == "open":
                        room.open(options.settle)
                    began, node, client = time.monotonic(), cpu_seconds(live.pid), cpu_seconds(os.getpid())
                    for key, lines in named.items():
                        samples[state].setdefault(key, []).append(wrk(lines, options.seconds)["rps"])
                    spent = time.monotonic() - began
                    node, client = (cpu_seconds(live.pid) - node) / spent, (cpu_seconds(os.getpid()) - client) / spent
                    busy[state].append((node, client))
                    log(f"  live node {node:.1%} of a core, the streams' client {client:.1%}")
                    if state == "open":
                        room.close()
        finally:
            os.killpg(live.pid, 15)
            live.wait(20)
    quiet = {key: statistics.median(values) for key, values in samples["quiet"].items()}
    held = {key: statistics.median(values) for key, values in samples["open"].items()}
    ratio = {key: held[key] / quiet[key] for key in quiet}
    worst = min(ratio, key=ratio.get)
    met = ratio[worst] >= 1 - WORST
    print(f"\n{'load':<24}{'quiet rps':>12}{'open rps':>12}{'open / quiet':>14}")
    for key in quiet:
        print(f"{key:<24}{quiet[key]:>12.1f}{held[key]:>12.1f}{ratio[key]:>14.3f}")
    node = {state: statistics.median(n for n, _ in found) for state, found in busy.items()}
    client = {state: statistics.median(c for _, c in found) for state, found in busy.items()}
    print(
        f"\nThe live node used {node['open']:.1%} of a core with the streams open, {node['quiet']:.1%} without; "
        f"their client (as remote as it can be here: this process) {client['open']:.1%}, {client['quiet']:.1%}."
    )
    print(
        f"\nWith {options.subscribers} streams open, the worst load is {worst} at {ratio[worst]:.3f} of its quiet "
        f"rate (goal: at least {1 - WORST:.2f}) -> {'met' if met else 'NOT met'}"
    )
    if options.write:
        figures = json.loads(RESULTS.read_text())
        entry = figures["figures"].setdefault("live_subscribers", {})
        entry["http_while_open"] = {
            "goal": f"every load of the full run at least {1 - WORST:.2f} of its rate with the streams open",
            "met": met,
            "command": "python3 -m bench.live_load",
            "subscribers": options.subscribers,
            "rounds": options.rounds,
            "seconds": options.seconds,
            "minutes": round((time.time() - started) / 60, 1),
            "quiet_rps": {k: round(v, 1) for k, v in quiet.items()},
            "open_rps": {k: round(v, 1) for k, v in held.items()},
            "open_over_quiet": {k: round(v, 3) for k, v in ratio.items()},
            "worst": worst,
            "live_node_core_share": {state: round(value, 3) for state, value in node.items()},
            "client_core_share": {state: round(value, 3) for state, value in client.items()},
        }
        RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
        log(f"written {RESULTS}")


if __name__ == "__main__":
    main()
