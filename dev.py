#!/usr/bin/env python3
"""The two quick-start commands, with nothing but Python 3.11 on the machine.

    python3 dev.py up     set up (.venv, packages, database, demo data) and serve on :8000,
                          with a Celery worker and beat running beside the web server
    python3 dev.py test   set up the same way and run the whole test suite
    python3 dev.py bench  the performance benchmark (bench/run.py; --quick for a short run),
                          which needs PostgreSQL and Redis
    python3 dev.py samples  sample documents of the demo draft (a redline, a compilation of
                          proposals) in docs/samples/, on a database of their own
    python3 dev.py stop   stop the embedded PostgreSQL server (it also stops by itself when the
                          last process using it exits)

Without DATABASE_URL and REDIS_URL this uses the embedded default: a PostgreSQL server of the
checkout's own under var/postgres/ (installed from PyPI with the other packages, started by the
first process that needs it) and Celery's filesystem broker in var/broker/, so scheduled work runs
with no service to install. With them set, the same commands use that PostgreSQL and Redis.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
STAMP = VENV / ".requirements.sha256"
NODE_LOCK = ROOT / "package-lock.json"
NODE_STAMP = ROOT / "node_modules" / ".package-lock.sha256"
DEMO_PASSWORD = "draft-together-2026"


def run(*args: str, **kwargs) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def ensure_environment() -> None:
    """Create .venv and install the pinned packages, again only when a requirements file changed."""
    if sys.version_info[:2] < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in REQUIREMENTS)).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", ROOT / "requirements-dev.txt")
        STAMP.write_text(digest)
    ensure_node_packages()


def ensure_node_packages() -> None:
    """Install axe-core (the page tests' accessibility checker) from package-lock.json with npm,
    again only when the lock file changed; without npm the accessibility test skips, so say so."""
    digest = hashlib.sha256(NODE_LOCK.read_bytes()).hexdigest()
    installed = (ROOT / "node_modules" / "axe-core" / "axe.min.js").exists()
    if installed and NODE_STAMP.exists() and NODE_STAMP.read_text() == digest:
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm is not installed: the accessibility test will be skipped (apt-get install nodejs npm).")
        return
    run(npm, "ci", "--no-audit", "--no-fund")
    NODE_STAMP.write_text(digest)


WATCHED = ("accounts", "codeofconduct", "drafting", "live", "notifications", "templates")


def up() -> None:
    ensure_environment()
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "codeofconduct.settings.local")
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    run(PYTHON, "manage.py", "load_demo", "--password", DEMO_PASSWORD, env=env)
    print("Starting a Celery worker with beat (scheduled work), and one for exports ...", flush=True)
    celery = [str(PYTHON), "-m", "celery", "-A", "codeofconduct", "worker", "--loglevel=warning"]
    schedule = ["--beat", "--schedule", str(ROOT / "var" / "celerybeat-schedule")]
    # Exports have a worker of their own, so a long one never delays a round moving on time; a
    # process pool of one, whose time limits stop a file too slow to make (the solo pool has none;
    # Windows has only it).
    exports_pool = ["--pool=solo"] if sys.platform == "win32" else ["--pool=prefork", "--concurrency=1"]
    workers = [
        subprocess.Popen([*celery, "--pool=solo", *schedule, "-Q", "celery", "-n", "main@%h"], cwd=ROOT, env=env),
        subprocess.Popen([*celery, *exports_pool, "-Q", "exports", "-n", "exports@%h"], cwd=ROOT, env=env),
    ]
    try:
        print("\nThe platform is at http://127.0.0.1:8000/ (Ctrl+C stops it).\n", flush=True)
        # One ASGI server for everything: the pages, and the live stream that keeps them current
        # (production splits them: gunicorn for the pages, uvicorn for /live/; docker-compose.yml).
        # It restarts when the code changes, as runserver did.
        watched = [arg for app in WATCHED for arg in ("--reload-dir", str(ROOT / app))]
        uvicorn = [str(PYTHON), "-m", "uvicorn", "codeofconduct.asgi:application", "--host", "127.0.0.1"]
        uvicorn += [
            "--port",
            "8000",
            "--reload",
            *watched,
            "--reload-include",
            "*.html",
            "--timeout-graceful-shutdown",
            "3",
        ]
        subprocess.run(uvicorn, cwd=ROOT, env=env)
    except KeyboardInterrupt:
        pass
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()


def test(pytest_args: list[str]) -> None:
    ensure_environment()
    env = {**os.environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the tests choose their own (pyproject.toml)
    result = subprocess.run([str(PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def bench(bench_args: list[str]) -> None:
    ensure_environment()
    result = subprocess.run([str(PYTHON), str(ROOT / "bench" / "run.py"), *bench_args], cwd=ROOT)
    sys.exit(result.returncode)


def samples() -> None:
    """The README's sample documents, made from a fresh demo on a database of their own."""
    ensure_environment()
    # A database of their own on the embedded server, empty each time.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "codeofconduct.settings.local"}
    env |= {"DJANGO_DATABASE_NAME": "codeofconduct_samples", "CELERY_BROKER_DIR": str(ROOT / "var" / "samples-broker")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    drop = "from codeofconduct import embedded_database as db; db.drop_database('codeofconduct_samples')"
    run(PYTHON, "-c", drop, env=env)
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v0", env=env)
    run(PYTHON, "manage.py", "load_demo", "--password", DEMO_PASSWORD, env=env, stdout=subprocess.DEVNULL)
    out = ROOT / "docs" / "samples"
    shutil.rmtree(out, ignore_errors=True)  # the papers of this run only, not the last run's too
    run(PYTHON, "manage.py", "document_samples", "--out", out, env=env)


def stop() -> None:
    """Stop the embedded PostgreSQL server, whoever still uses it."""
    ensure_environment()
    stopping = "from codeofconduct import embedded_database as db; print('stopped' if db.stop() else 'not running')"
    run(PYTHON, "-c", stopping)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "up":
        up()
    elif command == "test":
        test(sys.argv[2:])
    elif command == "bench":
        bench(sys.argv[2:])
    elif command == "samples":
        samples()
    elif command == "stop":
        stop()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
