"""Celery tasks for accounts: thin and idempotent, as everywhere."""

from celery import shared_task

from notifications.services import enqueue

from . import services, tokens


@shared_task(bind=True, ignore_result=True, max_retries=5)
def send_signup_email(self, user_id: int) -> None:
    try:
        services.signup_email_send(user_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(ignore_result=True)
def sweep_signup_emails() -> None:
    """Send what a lost message or a down broker left unsent (run by beat)."""
    for user_id in services.signup_emails_pending():
        enqueue(send_signup_email, user_id)


@shared_task(ignore_result=True)
def purge_expired_tokens() -> None:
    """Delete API tokens past their expiry (run daily by beat; they sign nobody in already)."""
    tokens.tokens_purge_expired()
