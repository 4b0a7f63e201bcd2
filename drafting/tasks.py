"""Celery tasks: thin, idempotent, loading by id and calling a service."""

from celery import shared_task
from django.conf import settings

from notifications.services import enqueue

from . import services


@shared_task(ignore_result=True)
def advance_rounds() -> None:
    """Open, start voting in and close rounds whose scheduled time has come (run by beat)."""
    services.rounds_advance_on_schedule()
    services.rounds_warn_closing_soon()


@shared_task(ignore_result=True)
def retry_export_jobs() -> None:
    """Re-enqueue export and import jobs a down broker lost or a dead worker left running (run by
    beat); idempotent."""
    from .documents import import_jobs
    from .documents import jobs as export_jobs

    for job_id in export_jobs.export_jobs_to_retry():
        enqueue(run_export, job_id)
    for job_id in import_jobs.import_jobs_to_retry():
        enqueue(run_import, job_id)


# An export stops after EXPORT_SECONDS_LIMIT (SoftTimeLimitExceeded, which the job records as its
# failure), and its process is ended a minute later if it still runs.
EXPORT_LIMITS = {"soft_time_limit": settings.EXPORT_SECONDS_LIMIT, "time_limit": settings.EXPORT_SECONDS_LIMIT + 60}


@shared_task(ignore_result=True, **EXPORT_LIMITS)
def run_export(job_id: int) -> None:
    from .documents import jobs as export_jobs

    export_jobs.export_job_run(job_id)


@shared_task(ignore_result=True, **EXPORT_LIMITS)
def prepare_export(draft_id: int, fmt: str, snapshot_id: int | None, redline_id: int | None) -> None:
    """Render a large export an anonymous reader asked for into the cache; idempotent."""
    from .documents import jobs as export_jobs

    export_jobs.export_prepare(draft_id, fmt, snapshot_id, redline_id)


@shared_task(ignore_result=True)
def run_import(job_id: int) -> None:
    from .documents import import_jobs

    import_jobs.import_job_run(job_id)
