"""Real parts for tests: a Celery worker process, an SMTP server and a Redis server of the test's own."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name: str | None = None) -> str:
    """The test database (or database ``name`` on its server) as a URL, for DATABASE_URL, psycopg
    and the PostgreSQL programs alike."""
    db = connection.settings_dict
    name = name or db["NAME"]
    auth = quote(db["USER"], safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    if host.startswith("/"):  # the folder of a Unix socket, as the embedded server has it
        return f"postgres://{auth}@/{name}?host={host}&port={port}"
    return f"postgres://{auth}@{host}:{port}/{name}"


@contextmanager
def database_of_its_own(prefix: str):
    """An empty database on the test database's server, for processes a test starts with their own
    migrations (its URL), dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = f"{prefix}_{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as db:
        db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url(name)
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as db:
            db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def wait_for(condition, *, timeout: float, step: float = 0.3, process=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process is not None and process.poll() is not None:
            raise AssertionError("the worker exited")
        time.sleep(step)
    return condition()


@contextmanager
def celery_worker(tmp_path, **env_overrides):
    """A real ``celery worker --beat`` against the test database, on the given broker settings."""
    for folder in ("queue", "control"):
        (tmp_path / "broker" / folder).mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "codeofconduct.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "HEARTBEAT_INTERVAL_SECONDS": "1",
        "ROUND_SCHEDULE_SECONDS": "1",
        **env_overrides,
    }
    log_path = tmp_path / f"worker-{time.monotonic_ns()}.log"
    with open(log_path, "w+") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "codeofconduct",
                "worker",
                "--beat",
                "--pool=solo",
                "--loglevel=info",
                "--schedule",
                str(tmp_path / "beat-schedule"),
                "-Q",
                "celery,exports",  # one worker for both queues in a test
                "-n",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the embedded beat goes with it
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
            kill_group(process)
            log.seek(0)
            print(log.read()[-4000:])


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    """``manage.py`` in a process of its own, with ``env`` (its settings), failing the test if it fails."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done


@contextmanager
def gunicorn(env: dict, port: int, log_path: Path, *options: str):
    """The platform served as in production, on ``port``; its log is printed when the test ends."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "codeofconduct.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                *options,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=20)
            print(log_path.read_text()[-6000:])  # shown when the test fails


def kill_group(process) -> None:
    """SIGKILL a worker and every process it started (its embedded beat), as a dying host would."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


@contextmanager
def publishing(tmp_path, broker_url: str | None = None):
    """Make this test process publish tasks to a real broker (the worker's), not run them eagerly."""
    from codeofconduct.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url, dict(app.conf.broker_transport_options or {}))
    app.conf.task_always_eager = False
    if broker_url:
        app.conf.broker_url = broker_url
        app.conf.broker_transport_options = {"socket_connect_timeout": 1, "max_retries": 0}
    elif not settings.REDIS_URL:
        app.conf.broker_transport_options = {
            "data_folder_in": str(tmp_path / "broker" / "queue"),
            "data_folder_out": str(tmp_path / "broker" / "queue"),
            "control_folder": str(tmp_path / "broker" / "control"),
        }
    _reset_pools(app)
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options = saved
        _reset_pools(app)


def _reset_pools(app) -> None:
    """Forget the app's connection pools so the next publish connects with the current settings."""
    app._pool = None
    app.amqp._producer_pool = None


class SMTPServer:
    """aiosmtpd on a loopback port; ``messages`` holds what it received."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                import email
                import email.policy

                server.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


@contextmanager
def redis_server(tmp_path, port: int):
    """A redis-server of this test's own on a spare port, so stopping it leaves the shared one up."""
    binary = shutil.which("redis-server")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _redis_up(port), timeout=10)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False
