"""What every part of the benchmark shares: where things are, the server's address, the shape of
the load, and the log."""

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
RESULTS = ROOT / "bench" / "results" / "latest.json"
# Every measurement of the last run, to compute the figures again (--report) without measuring.
RAW = ROOT / "var" / "bench-raw.json"
PLAN_LUA = ROOT / "bench" / "wrk" / "plan.lua"
PORT = int(os.environ.get("BENCH_PORT", "8790"))
BASE = f"http://127.0.0.1:{PORT}"
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/codeofconduct_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
WORKERS = 3
CONNECTIONS = 8
THREADS = 2
# Bump when what the seed holds changes in a way the fingerprint below cannot see (bench/inproc.py
# seed_fanout, the drafts ensure_seed generates).
SEED_VERSION = "1"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)
