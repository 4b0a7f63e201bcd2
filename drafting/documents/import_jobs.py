"""Large imports run in a worker with their stage shown on a page; small ones in the request.

A file over ``IMPORT_IN_WORKER_BYTES`` can hold up to a thousand people and fifty thousand rows of a
record: building it in the request once held one for over a minute. Such a file is checked at once
for what needs no database (the right to import, size, encoding, a JSON file's depth, strings and
format), kept in media storage, and built by
the worker on the documents queue (``CELERY_TASK_ROUTES``), so it delays neither requests nor round
moves. The person follows its stage and is notified when the draft is ready or the file is refused
(with the same message the request would have given).
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from codeofconduct.errors import DomainError, NotFound
from codeofconduct.limits import TooManyRequests
from notifications import services as notifications
from notifications.text import shorten

from ..models import Draft, ImportJob
from . import imports

ACTIVE = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def draft_import_start(
    *, upload, by: User, visibility: str | None = None, new_symbol: bool = False
) -> Draft | ImportJob:
    """The draft, imported now; or for a large file the job building it in the worker. ``new_symbol``:
    give the draft the next free symbol where another draft holds the file's."""
    imports.check_size(by, upload.size)  # the whole file's size, not what reading up to the limit got
    content = upload.read(imports.MAX_IMPORT_BYTES + 1)
    imports.check_visibility(visibility)
    if len(content) <= settings.IMPORT_IN_WORKER_BYTES:
        return imports.draft_import_file(
            name=upload.name, content=content, by=by, visibility=visibility, new_symbol=new_symbol
        )
    imports.check_upload(by, upload.name, content, new_symbol=new_symbol)
    return import_job_create(name=upload.name, content=content, by=by, visibility=visibility, new_symbol=new_symbol)


@transaction.atomic
def import_job_create(
    *, name: str, content: bytes, by: User, visibility: str | None, new_symbol: bool = False
) -> ImportJob:
    """At most ``IMPORT_JOBS_PER_PERSON`` of a person's imports wait or run at once (429 beyond)."""
    from ..tasks import run_import

    account_services.one_at_a_time(by)
    if ImportJob.objects.filter(requested_by=by, status__in=ACTIVE).count() >= settings.IMPORT_JOBS_PER_PERSON:
        raise TooManyRequests(
            f"You have {settings.IMPORT_JOBS_PER_PERSON} imports being built; wait until one is done "
            "(you will be notified), then send the next.",
            retry_after=30,
        )
    job = ImportJob(
        requested_by=by,
        filename=name[:300],
        visibility=visibility or "",
        new_symbol=new_symbol,
        stage="Waiting for a worker",
    )
    job.file.save("import.json" if name.lower().endswith(".json") else "import.md", ContentFile(content), save=False)
    job.save()
    transaction.on_commit(lambda: notifications.enqueue(run_import, job.id))
    return job


def import_job_for(user: User, job_id: int) -> ImportJob:
    """An import job of the person who sent it; anyone else's is not there for them."""
    job = ImportJob.objects.select_related("draft").filter(pk=job_id, requested_by=user).first()
    if job is None:
        raise NotFound("No such import.")
    return job


def _stage(job_id: int, progress: int, stage: str, **fields) -> None:
    """Each stage commits on its own, so the page sees it while the import goes on."""
    ImportJob.objects.filter(pk=job_id).update(progress=progress, stage=stage, **fields)


def import_job_run(job_id: int) -> None:
    """Build the draft once; a second run of the same task finds the job taken or done."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, status=ImportJob.Status.QUEUED).first()
        if job is None:
            return
        job.status, job.progress, job.stage = ImportJob.Status.RUNNING, 5, "Reading the file"
        job.save(update_fields=["status", "progress", "stage"])
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        with job.file.open("rb") as stored:
            content = stored.read()
        _stage(job.id, 20, "Building the draft, its history and its record")
        draft = imports.draft_import_file(
            name=job.filename,
            content=content,
            by=job.requested_by,
            visibility=job.visibility or None,
            new_symbol=job.new_symbol,
        )
    except DomainError as refused:  # the file, not the platform: told as the request would tell it
        _finish(job, ImportJob.Status.FAILED, "Refused", error=refused.message)
        return
    except Exception as exc:
        _finish(job, ImportJob.Status.FAILED, "Failed", error=f"The import failed ({type(exc).__name__}).")
        raise
    _finish(job, ImportJob.Status.DONE, "Done", draft=draft)


def _finish(job: ImportJob, status: str, stage: str, *, draft: Draft | None = None, error: str = "") -> None:
    with transaction.atomic():
        _stage(job.id, 100, stage, status=status, draft=draft, error=error[:2000], finished_at=timezone.now())
        job.file.delete(save=False)  # the file served its purpose; the draft (or the error) remains
        ImportJob.objects.filter(pk=job.id).update(file="")
        if draft is not None:
            message = f"Your import of {job.filename} is done: “{draft.title}” is ready."
        else:
            message = f"Your import of {job.filename} was refused: {error}"
        notifications.notify(
            kind="import_done",
            draft=draft,
            actor=None,
            recipients=[job.requested_by_id],
            message=shorten(message, 1000),
            url=reverse("import-job", args=[job.pk]),
        )


def import_jobs_to_retry(*, now=None) -> list[int]:
    """Queued imports a down broker lost, and running ones whose worker died (their transaction
    rolled back, the file still kept): back in the queue."""
    now = now or timezone.now()
    grace = timezone.timedelta(seconds=settings.SWEEP_GRACE_SECONDS)
    ImportJob.objects.filter(
        status=ImportJob.Status.RUNNING, created_at__lte=now - timezone.timedelta(minutes=15)
    ).update(status=ImportJob.Status.QUEUED, stage="Retrying")
    return list(
        ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lte=now - grace).values_list(
            "pk", flat=True
        )
    )
