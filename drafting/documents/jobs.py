"""Large exports run in a worker with visible progress; small ones are rendered in the request."""

import hashlib
import json
import logging
from dataclasses import astuple

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from codeofconduct.inputs import whole_number
from codeofconduct.languages import in_default_language
from codeofconduct.limits import TooManyRequests
from notifications import services as notifications

from ..models import OUT_OF_THE_TEXT, Draft, ExportJob, Snapshot
from . import data
from .document_build import build
from .render import FORMATS, render

logger = logging.getLogger(__name__)


def export_is_large(draft: Draft, snapshot: Snapshot | None) -> bool:
    if snapshot is not None:
        size = snapshot.clauses.count()
    else:
        size = draft.clauses.exclude(status__in=OUT_OF_THE_TEXT).count()
    return size > settings.EXPORT_ASYNC_CLAUSES


class Preparing(Exception):
    """A large export nobody has asked for since its text last changed: a worker is rendering it."""

    retry_after = 15


def keeps_record(user, document, fmt: str) -> bool:
    """A JSON export of the current text carries the draft's record (hidden comments, each person's
    votes) for the draft's moderators and administrators, who move drafts between installations."""
    if fmt != "json" or document.revision is not None:
        return False
    return may_have_record(user, document.draft)


def may_have_record(user, draft: Draft) -> bool:
    from .. import rules

    return rules.allowed("draft_manage", rules.Subject(rules.standing(user, draft)))


def export_job_file(job: ExportJob, user) -> tuple[bytes, str, str]:
    """A finished job's ``(content, content type, file name)`` for the person who asked for it,
    if they may still have it (``export_job_check``)."""
    export_job_check(job, user)
    with job.file.open("rb") as handle:
        return handle.read(), job.content_type, job.filename


def export_job_check(job: ExportJob, user) -> None:
    """Refuse a finished job's file to a person who may no longer have it.

    The file was made for who they were then: a JSON export of the current text made for a
    moderator carries the draft's record. Whoever is no longer allowed the record (a moderator
    stepped down, an administrator no more) is refused that file, as a new export would leave the
    record out; any other export stays theirs while they can still see the draft.
    """
    from codeofconduct.errors import NotAllowed

    from .. import selectors

    selectors.draft_for(user, job.draft.slug)
    if job.status != ExportJob.Status.DONE or job.format != "json" or job.snapshot_id is not None:
        return
    if may_have_record(user, job.draft):
        return
    with job.file.open("rb") as handle:
        carries = _carries_record(handle.read())
    if carries:
        raise NotAllowed(
            "This export holds the draft's record (hidden comments and each person's votes), which only the"
            " draft's moderators may download, and you no longer moderate this draft. Export the draft again"
            " for a file without the record."
        )


def _carries_record(content: bytes) -> bool:
    try:
        return "record" in json.loads(content)
    except ValueError:
        return True  # a file that cannot be read is treated as the most a job could hold


def _render(document, fmt: str, by) -> tuple[bytes, str, str]:
    if keeps_record(by, document, fmt):
        return data.render_with_record(document), FORMATS["json"][1], "json"
    return render(document, fmt)


@in_default_language
def export_file(
    draft: Draft, fmt: str, *, snapshot=None, redline=None, wait: bool = True, by=None
) -> tuple[bytes, str, str]:
    """``(content, content type, file name)``, rendered once per text and format.

    The file comes from the cache while the text it renders is unchanged. A miss is rendered here,
    or, with ``wait=False`` (an anonymous reader asking for a large draft), handed to a worker:
    ``Preparing`` is raised, and asking again once it is done gets the file from the cache. A JSON
    export with the record (``keeps_record``) is made each time: the record changes with every
    comment and vote, which the text's fingerprint does not see.
    """
    document = build(draft, snapshot=snapshot, redline=redline)
    if not wait and not keeps_record(by, document, fmt):
        key = _cache_key(document, fmt)
        made = caches[settings.RENDERS].get(key)
        if made is not None:
            return made
        from ..tasks import prepare_export

        # As long as a worker may take to render it (EXPORT_SECONDS_LIMIT), so it is asked for once.
        if caches[settings.RENDERS].add(f"{key}:preparing", 1, timeout=settings.EXPORT_SECONDS_LIMIT + 60):
            ids = (draft.pk, fmt, getattr(snapshot, "pk", None), getattr(redline, "pk", None))
            transaction.on_commit(lambda: notifications.enqueue(prepare_export, *ids))
        raise Preparing()
    return _rendered(document, fmt, by)


def _cache_key(document, fmt: str) -> str:
    return f"export:{fingerprint(document, fmt)}"


def _rendered(document, fmt: str, by) -> tuple[bytes, str, str]:
    """The file from the cache, or rendered now and kept there; a JSON export with the record is
    rendered each time and never kept."""
    if keeps_record(by, document, fmt):
        content, content_type, extension = _render(document, fmt, by)
        return content, content_type, document.filename(extension)
    key = _cache_key(document, fmt)
    made = caches[settings.RENDERS].get(key)
    if made is None:
        content, content_type, extension = render(document, fmt)
        made = (content, content_type, document.filename(extension))
        caches[settings.RENDERS].set(key, made, timeout=settings.EXPORT_CACHE_SECONDS)
        caches[settings.RENDERS].delete(f"{key}:preparing")
    return made


def fingerprint(document, fmt: str) -> str:
    """What a rendered file depends on: the format and everything the document holds (and the
    release that renders it: every cache key starts with ``settings.RELEASE``)."""
    draft = document.draft
    parts = [
        fmt,
        [draft.pk, draft.slug, draft.title, draft.summary, draft.visibility, draft.updated_at],
        [draft.symbol, draft.original_language, draft.distribution, draft.issuing_body],
        [document.label, document.date, document.redline_label, document.revision, document.redline_revision],
        document.stage,
        [[section.title, section.position, [astuple(c) for c in section.clauses]] for section in document.sections],
        [astuple(c) for c in document.removed],
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def export_prepare(draft_id: int, fmt: str, snapshot_id: int | None, redline_id: int | None) -> None:
    """Render an export into the cache (the worker's side of ``wait=False``)."""
    draft = Draft.objects.filter(pk=draft_id).first()
    if draft is None:
        return
    snapshot = draft.snapshots.filter(pk=snapshot_id).first() if snapshot_id else None
    redline = draft.snapshots.filter(pk=redline_id).first() if redline_id else None
    try:
        export_file(draft, fmt, snapshot=snapshot, redline=redline)
    except SoftTimeLimitExceeded:  # one line in the log, not a traceback: the text is too slow to render
        logger.warning(
            "The %s export of draft %s took longer than %s s and was stopped.",
            fmt,
            draft_id,
            settings.EXPORT_SECONDS_LIMIT,
        )


@transaction.atomic
def export_job_create(*, draft: Draft, by: User, fmt: str, snapshot=None, redline=None) -> ExportJob:
    """A job making this file for ``by``; the same file already being made for them is that job.

    At most ``EXPORT_JOBS_PER_PERSON`` of a person's jobs wait or run at once (429 beyond), so one
    account cannot fill the export worker's queue.
    """
    from ..tasks import run_export

    account_services.one_at_a_time(by)
    in_flight = ExportJob.objects.filter(
        requested_by=by, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]
    )
    same = in_flight.filter(draft=draft, format=fmt, snapshot=snapshot, redline=redline).first()
    if same is not None:
        return same
    if in_flight.count() >= settings.EXPORT_JOBS_PER_PERSON:
        raise TooManyRequests(
            f"You have {settings.EXPORT_JOBS_PER_PERSON} exports being made; download one when it is ready "
            "(you will be notified), then ask for the next.",
            retry_after=30,
        )
    job = ExportJob.objects.create(
        draft=draft, requested_by=by, format=fmt, snapshot=snapshot, redline=redline, stage="Waiting for a worker"
    )
    transaction.on_commit(lambda: notifications.enqueue(run_export, job.id))
    return job


def cached_export(draft: Draft, fmt: str, *, snapshot=None, redline=None, by=None):
    """The file already rendered for this text and format, or None (nor for a JSON export with the
    record, which is made each time)."""
    document = build(draft, snapshot=snapshot, redline=redline)
    if keeps_record(by, document, fmt):
        return None
    return caches[settings.RENDERS].get(_cache_key(document, fmt))


def _progress(job_id: int, progress: int, stage: str, **fields) -> None:
    """Each step commits on its own, so the page sees it while the export goes on."""
    ExportJob.objects.filter(pk=job_id).update(progress=progress, stage=stage, **fields)


def _failed(job_id: int, error: str) -> None:
    _progress(job_id, 100, "Failed", status=ExportJob.Status.FAILED, error=error, finished_at=timezone.now())


def export_job_run(job_id: int) -> None:
    """Make the file once; a second run of the same task finds the job taken or done."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id, status=ExportJob.Status.QUEUED).first()
        if job is None:
            return
        job.status, job.progress, job.stage, job.started_at = ExportJob.Status.RUNNING, 5, "Starting", timezone.now()
        job.save(update_fields=["status", "progress", "stage", "started_at"])
    job = ExportJob.objects.select_related("draft", "snapshot", "redline", "requested_by").get(pk=job_id)
    try:
        _progress(job.id, 20, "Collecting the text")
        document = build(job.draft, snapshot=job.snapshot, redline=job.redline)
        _progress(job.id, 40, f"Writing the {job.format.upper()} file")
        # Kept in the cache as well, so the next person asking for this text gets it at once.
        content, content_type, filename = _rendered(document, job.format, job.requested_by)
        _progress(job.id, 90, "Saving")
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
    except SoftTimeLimitExceeded:  # the text takes too long to render: told, not a bug to log
        _failed(job.id, f"Rendering took longer than {settings.EXPORT_SECONDS_LIMIT / 60:g} minutes and was stopped.")
    except Exception as exc:
        _failed(job.id, f"{type(exc).__name__}: {exc}"[:2000])
        raise


def export_jobs_to_retry(*, now=None) -> list[int]:
    """Queued jobs a down broker lost: back in the queue (a worker takes each once). A job running
    longer than a worker may render one (``EXPORT_SECONDS_LIMIT`` and the minute after it) lost its
    worker: it fails, saying so, rather than go round again (a file too slow to make would hold the
    queue for ever)."""
    now = now or timezone.now()
    grace = timezone.timedelta(seconds=settings.SWEEP_GRACE_SECONDS)
    longest = timezone.timedelta(seconds=settings.EXPORT_SECONDS_LIMIT + 60) + grace
    dead = ExportJob.objects.filter(status=ExportJob.Status.RUNNING).filter(
        Q(started_at__lte=now - longest) | Q(started_at__isnull=True, created_at__lte=now - longest)
    )
    dead.update(
        status=ExportJob.Status.FAILED,
        progress=100,
        stage="Failed",
        error="The worker stopped while making this file; ask for it again.",
        finished_at=now,
    )
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
    if chosen["redline"] is not None and chosen["redline"] == chosen["snapshot"]:
        raise InvalidInput(
            "Choose an earlier snapshot to show the changes against, not the text itself.", field="redline"
        )
    return fmt, chosen["snapshot"], chosen["redline"]


def export_for_reader(request, draft: Draft, fmt: str, *, snapshot=None, redline=None):
    """What either door answers an export request with: a job for a signed-in person's large export,
    else the file (``Preparing`` when an anonymous reader's large export is not rendered yet).

    Anonymous readers are limited per address (HEAVY_ANONYMOUS_RATE): each request renders or
    fingerprints a whole document.
    """
    from codeofconduct.limits import HEAVY_BY_ADDRESS, client_address

    large = export_is_large(draft, snapshot)
    if request.user.is_authenticated:
        if large:
            made = cached_export(draft, fmt, snapshot=snapshot, redline=redline, by=request.user)
            if made is not None:  # rendered already: served, not made again
                return made
            return export_job_create(draft=draft, by=request.user, fmt=fmt, snapshot=snapshot, redline=redline)
        return export_file(draft, fmt, snapshot=snapshot, redline=redline, by=request.user)
    HEAVY_BY_ADDRESS.take(client_address(request))
    return export_file(draft, fmt, snapshot=snapshot, redline=redline, wait=not large)
