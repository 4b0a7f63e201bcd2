"""A real Celery worker and beat, started as processes, run scheduled work against the test database.

The broker is Redis when REDIS_URL is set (CI) and the filesystem transport otherwise, exactly as in
the two ways the platform runs.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from codeofconduct.models import Heartbeat

ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "codeofconduct.settings.test",
        "DATABASE_URL": _database_url(),
        "HEARTBEAT_INTERVAL_SECONDS": "1",
        "ROUND_SCHEDULE_SECONDS": "1",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
    }
    for folder in ("queue", "control"):
        (tmp_path / "broker" / folder).mkdir(parents=True)
    log = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 - closed below
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
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.seek(0)
    print(log.read()[-3000:])
    log.close()


def test_worker_and_beat_run_scheduled_work_and_health_sees_it(worker, client):
    assert client.get("/health/").json()["worker"] == "down"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Heartbeat.objects.filter(name="worker").exists():
        assert worker.poll() is None, "the worker exited"
        time.sleep(0.5)
    first = Heartbeat.objects.get(name="worker")
    assert first.hostname.startswith("test-")
    # Beat keeps scheduling: the heartbeat moves on.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Heartbeat.objects.get(name="worker").beat_at == first.beat_at:
        time.sleep(0.5)
    assert Heartbeat.objects.get(name="worker").beat_at > first.beat_at
    assert client.get("/health/").json()["worker"] == "up"


def test_beat_and_the_worker_move_a_round_on_its_schedule(worker, draft, people):
    from django.utils import timezone

    from drafting import services
    from drafting.models import Round

    now = timezone.now()
    round_ = services.round_create(
        draft=draft,
        by=people["moderator"],
        title="Due reading",
        opens_at=now - timezone.timedelta(minutes=2),
        voting_opens_at=now + timezone.timedelta(days=1),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and Round.objects.get(pk=round_.pk).phase == "scheduled":
        assert worker.poll() is None, "the worker exited"
        time.sleep(0.5)
    round_.refresh_from_db()
    assert round_.phase == "open"
    assert round_.history.order_by("-history_id").first().history_change_reason == "Round opened on schedule"
