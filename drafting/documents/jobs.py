"""Large exports run in a worker with visible progress; small ones are rendered in the request."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from codeofconduct.inputs import whole_number
from notifications import services as notifications

from ..models import ClauseStatus, Draft, ExportJob, Snapshot
from .document import build
from .render import FORMATS, render


def export_is_large(draft: Draft, snapshot: Snapshot | None) -> bool:
    if snapshot is not None:
        size = snapshot.clauses.count()
    else:
        size = draft.clauses.exclude(status__in=(ClauseStatus.REJECTED, ClauseStatus.WITHDRAWN)).count()
    return size > settings.EXPORT_ASYNC_CLAUSES


def export_file(draft: Draft, fmt: str, *, snapshot=None, redline=None) -> tuple[bytes, str, str]:
    """Render at once: ``(content, content type, file name)``."""
    document = build(draft, snapshot=snapshot, redline=redline)
    content, content_type, extension = render(document, fmt)
    suffix = f"-redline-{redline.label}" if redline is not None else ""
    return content, content_type, f"{document.filename_stem}{suffix}.{extension}".replace(" ", "-")


@transaction.atomic
def export_job_create(*, draft: Draft, by: User, fmt: str, snapshot=None, redline=None) -> ExportJob:
    from ..tasks import run_export

    job = ExportJob.objects.create(
        draft=draft, requested_by=by, format=fmt, snapshot=snapshot, redline=redline, stage="Waiting for a worker"
    )
    transaction.on_commit(lambda: notifications.enqueue(run_export, job.id))
    return job


def _progress(job_id: int, progress: int, stage: str, **fields) -> None:
    """Each step commits on its own, so the page sees it while the export goes on."""
    ExportJob.objects.filter(pk=job_id).update(progress=progress, stage=stage, **fields)


def export_job_run(job_id: int) -> None:
    """Make the file once; a second run of the same task finds the job taken or done."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id, status=ExportJob.Status.QUEUED).first()
        if job is None:
            return
        job.status, job.progress, job.stage = ExportJob.Status.RUNNING, 5, "Starting"
        job.save(update_fields=["status", "progress", "stage"])
    job = ExportJob.objects.select_related("draft", "snapshot", "redline", "requested_by").get(pk=job_id)
    try:
        _progress(job.id, 20, "Collecting the text")
        document = build(job.draft, snapshot=job.snapshot, redline=job.redline)
        _progress(job.id, 40, f"Writing the {job.format.upper()} file")
        content, content_type, extension = render(document, job.format)
        _progress(job.id, 90, "Saving")
        suffix = f"-redline-{job.redline.label}" if job.redline else ""
        filename = f"{document.filename_stem}{suffix}.{extension}".replace(" ", "-")
        with transaction.atomic():
            job.file.save(filename, ContentFile(content), save=False)
            job.filename, job.content_type = filename, content_type
            job.status, job.progress, job.stage, job.finished_at = ExportJob.Status.DONE, 100, "Ready", timezone.now()
            job.save()
            notifications.notify(
                kind="export_ready",
                draft=job.draft,
                actor=None,
                recipients=[job.requested_by_id],
                message=f"Your {job.format.upper()} export of {job.draft.title} ({document.label}) is ready to download.",
                url=reverse("export-job", args=[job.pk]),
            )
    except Exception as exc:
        _progress(
            job.id,
            100,
            "Failed",
            status=ExportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise


def export_jobs_to_retry(*, now=None) -> list[int]:
    """Queued jobs a down broker lost, and running ones whose worker died: back in the queue."""
    now = now or timezone.now()
    grace = timezone.timedelta(seconds=settings.SWEEP_GRACE_SECONDS)
    stuck = ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING, created_at__lte=now - timezone.timedelta(minutes=15)
    )
    stuck.update(status=ExportJob.Status.QUEUED, stage="Retrying")
    return list(
        ExportJob.objects.filter(status=ExportJob.Status.QUEUED, created_at__lte=now - grace).values_list(
            "pk", flat=True
        )
    )


def export_choice(params, draft: Draft) -> tuple[str, Snapshot | None, Snapshot | None]:
    """The format and snapshots asked for in a query string, checked: ``(fmt, snapshot, redline)``."""
    from codeofconduct.errors import InvalidInput, NotFound

    fmt = params.get("format", "")
    if fmt not in FORMATS:
        raise InvalidInput(f"Choose a format: {', '.join(FORMATS)}.", field="format")
    chosen = {}
    for name in ("snapshot", "redline"):
        raw = params.get(name)
        if raw is None:
            chosen[name] = None
            continue
        if whole_number(raw) is None:
            raise InvalidInput("Give a snapshot id.", field=name)
        chosen[name] = draft.snapshots.filter(pk=whole_number(raw)).first()
        if chosen[name] is None:
            raise NotFound(f"This draft has no snapshot {raw}.")
    return fmt, chosen["snapshot"], chosen["redline"]
