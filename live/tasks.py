from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def forget_old_events() -> int:
    """Changes older than a reconnecting client is told of (``services.KEPT``)."""
    return services.forget_old()
