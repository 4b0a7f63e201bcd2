"""Delivery with the real parts: a Celery worker process, a broker, and an SMTP server on loopback."""

import shutil
import time

import pytest
from django.conf import settings

from drafting.models import Event
from drafting.services import notifications
from tests.conftest import client_for, need
from tests.support import SMTPServer, celery_worker, free_port, publishing, redis_server, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def smtp_env(smtp: SMTPServer) -> dict:
    return {
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp.port),
        "SWEEP_SECONDS": "1",
        "SWEEP_GRACE_SECONDS": "1",
    }


def test_a_comment_reaches_a_follower_by_email_through_the_worker(tmp_path, clause, people):
    notifications.follow(user=people["observer"], clause=clause)
    with SMTPServer() as smtp, celery_worker(tmp_path, **smtp_env(smtp)) as worker, publishing(tmp_path):
        response = client_for(people["participant"]).post(
            "/api/v1/comments/", {"clause": clause.id, "body": "We support this.", "stance": "support"}, format="json"
        )
        assert response.status_code == 201
        assert wait_for(lambda: smtp.to(people["observer"].email), timeout=60, process=worker)
        time.sleep(2)  # nothing more is coming
        received = smtp.to(people["observer"].email)
        assert len(received) == 1
        email = received[0]
        assert "a_participant commented on clause 1" in email["Subject"]
        assert str(email["List-Unsubscribe"]).strip().startswith("<http") and email.is_multipart()
        assert {part.get_content_type() for part in email.walk()} >= {"text/plain", "text/html"}


def test_redis_down_during_a_write_then_back_the_email_arrives_once(tmp_path, clause, people):
    need(shutil.which("redis-server") is not None, "redis-server is not installed (apt-get install redis-server)")
    notifications.follow(user=people["observer"], clause=clause)
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    with SMTPServer() as smtp:
        env = {**smtp_env(smtp), "REDIS_URL": broker}
        with (
            redis_server(tmp_path, port) as redis,
            celery_worker(tmp_path, **env) as worker,
            publishing(tmp_path, broker),
        ):
            from codeofconduct.models import Heartbeat

            assert wait_for(lambda: Heartbeat.objects.exists(), timeout=60, process=worker)
            redis.terminate()
            redis.wait(timeout=10)

            started = time.monotonic()
            response = client_for(people["participant"]).post(
                "/api/v1/comments/",
                {"clause": clause.id, "body": "Written while Redis is down.", "stance": "neutral"},
                format="json",
            )
            elapsed = time.monotonic() - started
            assert response.status_code == 201 and elapsed < 2.0, elapsed
            assert Event.objects.filter(fanned_out_at__isnull=True).exists()  # recorded, waiting
            assert smtp.to(people["observer"].email) == []

            with redis_server(tmp_path, port):
                assert wait_for(lambda: smtp.to(people["observer"].email), timeout=120, process=worker)
                time.sleep(3)  # the sweep keeps running: still only one
                assert len(smtp.to(people["observer"].email)) == 1
    assert settings.REDIS_URL != broker  # the shared Redis was never touched
