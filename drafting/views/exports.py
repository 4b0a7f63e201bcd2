"""Documents: downloading the draft in any format (or following a worker's export), and importing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from codeofconduct.errors import DomainError
from codeofconduct.responses import attachment

from .. import rules, selectors
from ..documents import import_jobs
from ..documents import jobs as export_jobs
from ..models import ExportJob, ImportJob


@login_required
def draft_import(request):
    rules.check("draft_create", rules.Subject(rules.standing(request.user)))
    error, status = None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_("Choose a Markdown or JSON file."), field="file")
            made = import_jobs.draft_import_start(
                upload=upload,
                by=request.user,
                visibility=request.POST.get("visibility") or None,
                new_symbol=request.POST.get("new_symbol") == "on",
            )
        except DomainError as exc:
            error, status = exc.message, exc.status_code
        else:
            if isinstance(made, ImportJob):
                return redirect("import-job", import_id=made.id)
            draft = made
            count = draft.clauses.count()
            messages.success(
                request,
                ngettext(
                    "“%(title)s” imported with %(count)d clause.", "“%(title)s” imported with %(count)d clauses.", count
                )
                % {"title": draft.title, "count": count},
            )
            return redirect("draft-detail", slug=draft.slug)
    return render(request, "drafting/import.html", {"error": error}, status=status)


def draft_export(request, slug):
    """Download at once, or for a large draft start a worker and show its progress."""
    draft, _standing = selectors.draft_for(request.user, slug)
    fmt, snapshot, redline = export_jobs.export_choice(request.GET, draft)
    try:
        made = export_jobs.export_for_reader(request, draft, fmt, snapshot=snapshot, redline=redline)
    except export_jobs.Preparing as preparing:
        context = {"draft": draft, "format": fmt.upper(), "retry_after": preparing.retry_after}
        response = render(request, "drafting/export_preparing.html", context, status=202)
        response["Retry-After"] = str(preparing.retry_after)
        return response
    if isinstance(made, ExportJob):
        return redirect("export-job", job_id=made.id)
    return attachment(*made)


@login_required
def export_job(request, job_id):
    job = selectors.export_job_for(request.user, job_id)
    export_jobs.export_job_check(job, request.user)  # the page offers the file: refused as the download is
    template = "drafting/_export_job.html" if request.htmx else "drafting/export_job.html"
    return render(request, template, {"job": job, "draft": job.draft})


@login_required
def import_job(request, import_id):
    job = import_jobs.import_job_for(request.user, import_id)
    template = "drafting/_import_job.html" if request.htmx else "drafting/import_job.html"
    return render(request, template, {"job": job})
