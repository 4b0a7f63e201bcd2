"""GET /health/: is the platform able to serve, and is scheduled work running?"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .models import Heartbeat


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "down"
    return "up"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
    except Exception:
        return "down"
    return "up"


def _worker() -> str:
    """Up when a worker ran the heartbeat within three intervals."""
    try:
        beat = Heartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
    except Exception:
        return "down"
    if beat is None:
        return "down"
    return "up" if timezone.now() - beat <= settings.HEARTBEAT_INTERVAL * 3 else "down"


@never_cache
def health(request):
    checks = {"database": _database(), "redis": _redis(), "worker": _worker()}
    healthy = all(state in ("up", "not configured") for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)
