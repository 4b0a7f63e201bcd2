from celery import shared_task
from django.utils import timezone

from .models import Heartbeat


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Record that a worker ran scheduled work just now (read by /health/)."""
    from celery import current_task

    hostname = getattr(current_task.request, "hostname", "") or ""
    Heartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now(), "hostname": hostname[:200]})
