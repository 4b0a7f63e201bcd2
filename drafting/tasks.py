from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def advance_rounds() -> None:
    """Open, start voting in and close rounds whose scheduled time has come (run by beat)."""
    services.rounds_advance_on_schedule()
