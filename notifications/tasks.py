"""Celery tasks: thin, idempotent, loading by id and calling a service."""

from celery import shared_task
from django.conf import settings

from . import delivery, services


@shared_task(ignore_result=True)
def fan_out_event(event_id: int) -> None:
    for notification_id in services.event_fan_out(event_id):
        services.enqueue(send_notification_email, notification_id)


@shared_task(bind=True, ignore_result=True, max_retries=None)
def send_notification_email(self, notification_id: int) -> None:
    try:
        delivery.notification_email_send(notification_id)
    except Exception as exc:
        attempts = self.request.retries + 1
        if attempts < settings.EMAIL_MAX_ATTEMPTS:
            raise self.retry(exc=exc, countdown=settings.EMAIL_RETRY_BASE_SECONDS * 2 ** (attempts - 1)) from exc


@shared_task(ignore_result=True)
def send_daily_digests() -> None:
    delivery.digests_send()


@shared_task(ignore_result=True)
def sweep_pending_notifications() -> None:
    """Re-enqueue what a lost message, a down broker or a dead worker left behind; every step is idempotent.

    Also picks up messages sent under the tasks' old names (``drafting.tasks.*``) that a worker
    rejected as unknown after the move: their events and emails are still pending in the database.
    """
    events, emails = services.pending_sweep()
    for event_id in events:
        services.enqueue(fan_out_event, event_id)
    for notification_id in emails:
        services.enqueue(send_notification_email, notification_id)
