"""The performance benchmark: the platform served as in production, against a bare Django baseline.

    python3 dev.py bench            the full run (about 15 minutes, most of it loading data once)
    python3 dev.py bench --quick    shorter measurements (about 6 minutes once the data exists)

It needs PostgreSQL and Redis (as CI has them; BENCH_DATABASE_URL and BENCH_REDIS_URL say where)
and wrk (Debian's package; installed when missing and running as root). It generates the drafts at
1x and 10x once into a template database (again only when the generator or the migrations change),
copies it for each run, serves it with gunicorn (3 workers, production settings plus the baseline
views of bench/views.py), drives load with wrk from another process, measures the in-process steps
(bench/inproc.py), prints a table and writes bench/results/latest.json.

    bench/common.py     where things are, the server's address, the shape of the load
    bench/database.py   the template database of generated drafts, its copies, manage.py and inproc
    bench/server.py     gunicorn serving the copy
    bench/load.py       the requests, wrk's plans and the loads driven from threads
    bench/report.py     the figures against their goals, the table and latest.json
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

# Run as a script, this folder comes first on the path; its modules are imported as ``bench.*`` from
# the checkout instead, as Django and bench/inproc.py know them.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import RAW, REDIS_URL, SERVER, log  # noqa: E402
from bench.database import ensure_seed, fresh_copy, inproc, manage, psql  # noqa: E402
from bench.load import (  # noqa: E402
    close_under_load,
    ensure_wrk,
    fanout,
    mixed_load,
    queries_of,
    read_plans,
    unloaded_p50,
    vote_plan,
    write_baseline_plan,
    wrk,
)
from bench.report import report  # noqa: E402
from bench.server import Server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shorter measurements")
    parser.add_argument("--keep", action="store_true", help="leave the run's database for a look afterwards")
    parser.add_argument("--report", action="store_true", help="the figures of the last run again, from var/")
    options = parser.parse_args()
    if options.report:
        saved = json.loads(RAW.read_text())
        report(saved["raw"], saved["check"], quick=saved["quick"], minutes=saved["minutes"])
        return
    seconds = 8 if options.quick else 20
    mixed_seconds = 20 if options.quick else 60
    name = urlsplit(SERVER).path.lstrip("/")
    seed = f"{name}_seed"
    started = time.time()

    ensure_wrk()
    ensure_seed(seed)
    fresh_copy(seed, name)
    manage(name, "collectstatic", "--noinput", "-v0")
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    plan = inproc(name, "prepare")
    raw: dict = {"throughput": {}, "queries": {}}
    logs = Path(tempfile.mkdtemp(prefix="bench-"))

    with Server(name, logs / "gunicorn.log") as server:
        reads = {slug: read_plans(plan, slug) for slug in ("bench-1x", "bench-10x")}
        writes = {
            "bench-1x": vote_plan(plan, "bench-1x", range(0, 100)),
            "bench-10x": vote_plan(plan, "bench-10x", range(100, 200)),
        }
        log("warming up")
        for slug in reads:
            for lines in reads[slug].values():
                wrk(lines, 2)
        for slug in reads:
            for endpoint, lines in reads[slug].items():
                raw["queries"][f"{endpoint}@{slug}"] = queries_of(lines[0], lines[0])
            # The same voter and item with the next choice (vote_plan's second pass).
            raw["queries"][f"vote@{slug}"] = queries_of(writes[slug][0], writes[slug][len(writes[slug]) // 3])
        log(f"queries per request: {raw['queries']}")

        # Each endpoint right after its own baseline, at 1x then 10x: the machine's pace drifts
        # over minutes, and a ratio is only fair between figures taken side by side.
        for endpoint in ("clause_api", "draft_page", "clause_list", "vote", "search"):
            baseline = "baseline_write" if endpoint == "vote" else "baseline_read"
            log(f"load: {baseline}, then {endpoint} at 1x and 10x, {seconds} s each")
            lines = write_baseline_plan() if endpoint == "vote" else reads["bench-1x"]["baseline_read"]
            before = wrk(lines, seconds)
            for slug in ("bench-1x", "bench-10x"):
                measured = writes[slug] if endpoint == "vote" else reads[slug][endpoint]
                raw["throughput"][f"{endpoint}@{slug}"] = wrk(measured, seconds)
            after = wrk(lines, seconds)
            # The baseline both before and after, so a drift of the machine's pace evens out.
            raw["throughput"][f"{baseline}#{endpoint}"] = {**after, "rps": (before["rps"] + after["rps"]) / 2}
        raw["rss_mb"] = server.peak_rss_mb()

        log("close under load: 200 voters x 20 items while the moderator closes")
        raw["close_under_load"] = close_under_load(plan)
        raw["unloaded_p50_ms"] = unloaded_p50(plan)
        log(f"mixed load: 200 readers and 10 writers for {mixed_seconds} s")
        raw["mixed"] = mixed_load(plan, mixed_seconds)
        log("fan-out: a comment on a clause with 10,000 followers and on one with 10")
        raw["fanout_ms"] = fanout(plan, 10 if options.quick else 30)
        raw["rss_mb"] = max(raw["rss_mb"], server.peak_rss_mb())
        raw["server_errors"] = (logs / "gunicorn.log").read_text().count("Traceback")

    check = inproc(name, "check_close", "bench-close")
    log("round close at 1x and 10x, in process")
    raw["close"] = {slug: inproc(name, "close", slug) for slug in ("bench-1x", "bench-10x")}
    log("exports of the 10x draft")
    raw["exports"] = inproc(name, "exports", "bench-10x")
    raw["diff"] = inproc(name, "diff")
    raw["draft_page"] = inproc(name, "draft_page", "bench-10x")
    if not options.keep:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    RAW.parent.mkdir(parents=True, exist_ok=True)
    minutes = round((time.time() - started) / 60, 1)
    RAW.write_text(json.dumps({"raw": raw, "check": check, "quick": options.quick, "minutes": minutes}, default=str))
    report(raw, check, quick=options.quick, minutes=minutes)


if __name__ == "__main__":
    main()
