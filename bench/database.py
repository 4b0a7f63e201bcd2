"""The benchmark's databases: the drafts generated once into a template database (again only when
the generator or the migrations change), a fresh copy of it for each run, and the Django processes
(manage.py, bench/inproc.py) run against them."""

import hashlib
import json
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

from bench.common import PYTHON, REDIS_URL, ROOT, SEED_VERSION, SERVER, log


def database_url(name: str) -> str:
    parts = urlsplit(SERVER)
    return parts._replace(path=f"/{name}").geturl()


def psql(sql: str, database: str = "postgres") -> str:
    parts = urlsplit(SERVER)
    command = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    command += ["-U", parts.username or "postgres", "-d", database, "-tAqc", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def environment(database: str, **extra) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": "benchmark-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": database_url(database),
        "REDIS_URL": REDIS_URL,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        # Load from one address would meet the per-address limits at once; the tests check them.
        "DJANGO_LOGIN_ADDRESS_RATE": "1000000/min",
        "DJANGO_LOGIN_ACCOUNT_RATE": "1000000/min",
        "DJANGO_HEAVY_ANONYMOUS_RATE": "1000000/min",
        **extra,
    }


def manage(database: str, *args: str) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=environment(database), capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def inproc(database: str, step: str, *args: str) -> dict:
    result = subprocess.run(
        [str(PYTHON), "-m", "bench.inproc", step, *args],
        cwd=ROOT,
        env=environment(database),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"bench.inproc {step} failed:\n{result.stdout}\n{result.stderr}")
    lines = result.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def seed_fingerprint() -> str:
    digest = hashlib.sha256(SEED_VERSION.encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")) + sorted((ROOT / "bench" / "scale").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_seed(seed: str) -> None:
    """The drafts at 1x and 10x, generated once into a template database and reused."""
    fingerprint = seed_fingerprint()
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{seed}'") == "1"
    if exists and psql(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname='{seed}'") == (
        fingerprint
    ):
        log(f"data: reusing {seed} ({fingerprint})")
        return
    log(f"data: generating {seed} (1x, 10x and the close-under-load draft); this takes a few minutes")
    psql(f'DROP DATABASE IF EXISTS "{seed}"')
    psql(f'CREATE DATABASE "{seed}"')
    manage(seed, "migrate", "--noinput", "-v0")
    for scale, slug in (("1", "bench-1x"), ("10", "bench-10x"), ("0.2", "bench-close")):
        start = time.perf_counter()
        print(manage(seed, "generate_draft", "--scale", scale, "--slug", slug).strip(), flush=True)
        log(f"data: {slug} generated in {time.perf_counter() - start:.0f} s")
    inproc(seed, "seed_fanout")
    psql("VACUUM ANALYZE", database=seed)
    psql(f"COMMENT ON DATABASE \"{seed}\" IS '{fingerprint}'")


def fresh_copy(seed: str, name: str) -> None:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}" TEMPLATE "{seed}"')
