"""Celery tasks: thin, idempotent, loading by id and calling a service."""

from celery import shared_task
from django.conf import settings

from . import services
from .services import notifications


@shared_task(ignore_result=True)
def advance_rounds() -> None:
    """Open, start voting in and close rounds whose scheduled time has come (run by beat)."""
    services.rounds_advance_on_schedule()
    services.rounds_warn_closing_soon()


@shared_task(ignore_result=True)
def fan_out_event(event_id: int) -> None:
    for notification_id in notifications.event_fan_out(event_id):
        notifications.enqueue(send_notification_email, notification_id)


@shared_task(bind=True, ignore_result=True, max_retries=None)
def send_notification_email(self, notification_id: int) -> None:
    try:
        notifications.notification_email_send(notification_id)
    except Exception as exc:
        attempts = self.request.retries + 1
        if attempts < settings.EMAIL_MAX_ATTEMPTS:
            raise self.retry(exc=exc, countdown=settings.EMAIL_RETRY_BASE_SECONDS * 2 ** (attempts - 1)) from exc


@shared_task(ignore_result=True)
def send_daily_digests() -> None:
    notifications.digests_send()


@shared_task(ignore_result=True)
def sweep_pending_notifications() -> None:
    """Re-enqueue what a lost message, a down broker or a dead worker left behind (notifications and
    export jobs); every step is idempotent."""
    events, emails = notifications.pending_sweep()
    for event_id in events:
        notifications.enqueue(fan_out_event, event_id)
    for notification_id in emails:
        notifications.enqueue(send_notification_email, notification_id)
    from .services import export_jobs

    for job_id in export_jobs.export_jobs_to_retry():
        notifications.enqueue(run_export, job_id)


@shared_task(ignore_result=True)
def run_export(job_id: int) -> None:
    from .services import export_jobs

    export_jobs.export_job_run(job_id)
