"""A real Celery worker and beat, started as processes, run scheduled work against the test database.

The broker is Redis when REDIS_URL is set (CI) and the filesystem transport otherwise, exactly as in
the two ways the platform runs.
"""

import pytest
from django.utils import timezone

from codeofconduct.models import Heartbeat
from drafting import services
from drafting.models import Round
from tests.support import celery_worker, wait_for


@pytest.fixture
def worker(transactional_db, tmp_path):
    with celery_worker(tmp_path) as process:
        yield process


def test_worker_and_beat_run_scheduled_work_and_health_sees_it(worker, client):
    assert client.get("/health/").json()["worker"] == "down"
    assert wait_for(lambda: Heartbeat.objects.filter(name="worker").exists(), timeout=60, process=worker)
    first = Heartbeat.objects.get(name="worker")
    assert first.hostname.startswith("test-")
    # Beat keeps scheduling: the heartbeat moves on.
    assert wait_for(lambda: Heartbeat.objects.get(name="worker").beat_at > first.beat_at, timeout=30, process=worker)
    assert client.get("/health/").json()["worker"] == "up"


def test_beat_and_the_worker_move_a_round_on_its_schedule(worker, draft, people):
    now = timezone.now()
    round_ = services.round_create(
        draft=draft,
        by=people["moderator"],
        title="Due reading",
        opens_at=now - timezone.timedelta(minutes=2),
        voting_opens_at=now + timezone.timedelta(days=1),
    )
    assert wait_for(lambda: Round.objects.get(pk=round_.pk).phase == "open", timeout=60, process=worker)
    round_.refresh_from_db()
    assert round_.history.order_by("-history_id").first().history_change_reason == "Round opened on schedule"
