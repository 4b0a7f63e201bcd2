"""The load the benchmark drives against the server: requests one at a time, plans wrk replays from
another process, the close of a round while voters vote, readers and writers at a person's pace,
and comments on a clause with many followers."""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from bench.common import BASE, CONNECTIONS, PLAN_LUA, THREADS, log

ACCEPT = {"Accept-Encoding": "gzip, deflate, br"}


def http(method: str, path: str, *, token=None, session=None, body=None, headers=None, timeout=60):
    """``(status, headers, body bytes, seconds)`` of one request."""
    request = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body else None)
    request.add_header("Accept-Encoding", ACCEPT["Accept-Encoding"])  # as browsers do; bodies are not read
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            content = answer.read()
            return answer.status, answer.headers, content, time.perf_counter() - start
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read(), time.perf_counter() - start


def plan_file(lines: list[tuple[str, str, dict, str]]) -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=".plan", delete=False)
    for method, path, headers, body in lines:
        head = "|".join(f"{name}: {value}" for name, value in headers.items())
        handle.write(f"{method}\t{path}\t{head}\t{body}\n")
    handle.close()
    return Path(handle.name)


def wrk(plan: list, seconds: int, base: str = BASE) -> dict:
    """Throughput and latency of replaying ``plan`` with wrk for ``seconds`` against ``base``."""
    path = plan_file(plan)
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(PLAN_LUA), base]
    command += ["--", str(path), str(THREADS)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    path.unlink()
    summary = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    summary["rps"] = summary["requests"] / (summary["duration_us"] / 1e6)
    log(f"  {summary['rps']:.0f} requests/s, p50 {summary['p50_ms']:.1f} ms, errors {summary['non_2xx_3xx']}")
    return summary


def queries_of(*lines) -> int:
    """Queries the last of these requests makes, sent one after the other (a read sent twice is
    counted warm; a vote sent with two choices is counted as a change)."""
    for method, path, headers, body in lines:
        status, answer_headers, _, _ = http(
            method, path, headers={**headers, "X-Bench-Queries": "1"}, body=json.loads(body) if body else None
        )
        if status >= 400:
            raise SystemExit(f"{method} {path} answered {status}")
    return int(answer_headers["X-Bench-Queries"])


def read_plans(plan: dict, slug: str) -> dict:
    draft = plan["drafts"][slug]
    clauses = draft["clauses"]
    tokens = plan["tokens"]
    sessions = plan["sessions"]
    # Every client says what browsers and HTTP libraries say: it takes gzip.
    token = lambda n: {"Authorization": f"Token {tokens[n % len(tokens)]}", **ACCEPT}  # noqa: E731
    cookie = lambda n: {"Cookie": f"sessionid={sessions[n % len(sessions)]}", **ACCEPT}  # noqa: E731
    # Readers spread over the whole draft, each line a different reader and clause.
    picks = [clauses[(n * 7919) % len(clauses)] for n in range(400)]
    return {
        "baseline_read": [("GET", f"/bench/baseline/clause/{c}/", ACCEPT, "") for c in picks],
        "clause_api": [("GET", f"/api/v1/clauses/{c}/", token(n), "") for n, c in enumerate(picks)],
        "draft_page": [("GET", f"/drafts/{slug}/", cookie(n), "") for n in range(len(sessions))],
        "clause_list": [("GET", f"/api/v1/drafts/{slug}/clauses/", token(n), "") for n in range(len(tokens))],
        # A delegate's searches of the draft: phrases, words, prefixes, from common to rare.
        "search": [
            ("GET", f"/api/v1/search/?{urlencode({'q': q, 'draft': slug})}", token(n), "")
            for n, q in enumerate(SEARCHES * 40)
        ],
    }


SEARCHES = [
    '"critical infrastructure"',
    "submarine cables",
    "electoral*",
    "supply chains",
    "proxies",
    "satellite systems",
    "human rights",
    "disclosure weaknesses",
]


CHOICES = ["yes", "no", "abstain"]


def vote_plan(plan: dict, slug: str, voters: range) -> list:
    """Each (voter, item) pair three times with three different choices, so every request changes
    the vote (history row included); pairs per wrk thread are disjoint, so no two race."""
    draft = plan["drafts"][slug]
    items = draft["ballot"][:40]
    pairs = [(v, kind, item) for v in voters for kind, item in items]
    pairs = pairs[: len(pairs) - len(pairs) % THREADS]
    lines = []
    for shift in range(3):
        for n, (voter, kind, item) in enumerate(pairs):
            choice = CHOICES[(n + shift) % 3]
            headers = {"Authorization": f"Token {plan['tokens'][voter]}", "Content-Type": "application/json", **ACCEPT}
            lines.append(("PUT", f"/api/v1/{kind}s/{item}/vote/", headers, json.dumps({"choice": choice})))
    return lines


def write_baseline_plan() -> list:
    return [("POST", "/bench/baseline/write/", ACCEPT, "")] * 100


def close_under_load(plan: dict) -> dict:
    """200 voters voting on 20 items each while the moderator closes the round."""
    draft = plan["drafts"]["bench-close"]
    items = [tuple(item) for item in draft["ballot"][:20]]
    jobs = [(voter, kind, item) for voter in range(len(plan["tokens"])) for kind, item in items]
    # Interleave voters so the close lands with many people part-way through their ballot.
    jobs.sort(key=lambda job: (items.index((job[1], job[2])), job[0]))
    accepted, refused, failed, lock = [], [], [], threading.Lock()
    closed = threading.Event()

    def cast(job):
        voter, kind, item = job
        status, _, body, _ = http(
            "PUT", f"/api/v1/{kind}s/{item}/vote/", token=plan["tokens"][voter], body={"choice": "yes"}
        )
        with lock:
            target = accepted if status == 200 else refused if status == 409 else failed
            target.append((voter, kind, item, status, body[:200]))

    def closer():
        while len(accepted) < len(jobs) // 2:
            time.sleep(0.01)
        status, _, body, seconds = http(
            "POST", f"/api/v1/rounds/{draft['round']}/close/", token=plan["moderator_token"]
        )
        closed.status, closed.body, closed.seconds = status, body[:300], seconds
        closed.set()

    thread = threading.Thread(target=closer)
    thread.start()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(cast, jobs))
    thread.join()
    return {
        "jobs": len(jobs),
        "accepted": accepted,
        "refused": len(refused),
        "failed": failed,
        "close_status": closed.status,
        "close_body": closed.body.decode(errors="replace"),
        "close_seconds": closed.seconds,
    }


def mixed_load(plan: dict, seconds: int, readers: int = 200, writers: int = 10) -> dict:
    """Readers and writers as people use the platform: a request, then a pause to read or think."""
    import random

    slug = "bench-1x"
    draft = plan["drafts"][slug]
    clauses, tokens = draft["clauses"], plan["tokens"]
    latencies, errors, lock = {"read": [], "write": []}, [], threading.Lock()
    stop = time.monotonic() + seconds

    def reader(n):
        rng = random.Random(n)
        time.sleep(rng.uniform(0, 4))
        while time.monotonic() < stop:
            if rng.random() < 0.2:
                status, _, _, took = http(
                    "GET", f"/drafts/{slug}/", session=plan["sessions"][n % len(plan["sessions"])]
                )
            else:
                clause = rng.choice(clauses)
                status, _, _, took = http("GET", f"/api/v1/clauses/{clause}/", token=tokens[n % len(tokens)])
            with lock:
                latencies["read"].append(took)
                if status >= 500:
                    errors.append(status)
            time.sleep(rng.uniform(2, 6))

    def writer(n):
        rng = random.Random(1000 + n)
        items = draft["ballot"]
        time.sleep(rng.uniform(0, 2))
        while time.monotonic() < stop:
            kind, item = rng.choice(items)
            token = tokens[(150 + n) % len(tokens)]
            status, _, _, took = http(
                "PUT", f"/api/v1/{kind}s/{item}/vote/", token=token, body={"choice": rng.choice(CHOICES)}
            )
            with lock:
                latencies["write"].append(took)
                if status >= 500:
                    errors.append(status)
            time.sleep(rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = sorted(latencies["read"] + latencies["write"])
    return {
        "requests": len(everything),
        "errors_5xx": len(errors),
        "p50_ms": 1000 * everything[len(everything) // 2],
        "p95_ms": 1000 * everything[int(len(everything) * 0.95)],
        "read_p95_ms": 1000 * sorted(latencies["read"])[int(len(latencies["read"]) * 0.95)],
        "write_p95_ms": 1000 * sorted(latencies["write"])[int(len(latencies["write"]) * 0.95)],
    }


def unloaded_p50(plan: dict) -> float:
    """The same mix as ``mixed_load``, one request at a time."""
    draft = plan["drafts"]["bench-1x"]
    took = []
    for n in range(100):
        if n % 5 == 0:
            took.append(http("GET", "/drafts/bench-1x/", session=plan["sessions"][0])[3])
        else:
            took.append(http("GET", f"/api/v1/clauses/{draft['clauses'][n]}/", token=plan["tokens"][0])[3])
    return 1000 * statistics.median(took)


def fanout(plan: dict, posts: int) -> dict:
    """Latency of posting a comment on a clause with 10,000 followers and on one with 10."""
    result = {}
    for clause in plan["fanout"]["clauses"].values():
        took = []
        for n in range(posts):
            status, _, body, seconds = http(
                "POST",
                "/api/v1/comments/",
                token=plan["fanout"]["token"],
                body={"clause": clause["id"], "body": f"Comment {n}: we support this wording.", "stance": "support"},
            )
            if status != 201:
                raise SystemExit(f"posting a comment answered {status}: {body[:300]}")
            took.append(seconds)
        result[clause["followers"]] = 1000 * statistics.median(took)
    return result


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        sys.exit("wrk is needed: install Debian's package (apt-get install wrk) and run again.")
    log("installing wrk (Debian package)")
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    )
